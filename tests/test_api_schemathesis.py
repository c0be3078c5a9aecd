"""schemathesis runs every operation of /api/openapi.json against the app in process (its WSGI
application), with all of its checks: every answer must match the schema, and no input, valid or
not, may make a server error."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from calais.wsgi import application

# Loaded when the module is collected: the schema needs no database. (schemathesis's
# from_fixture, which would load it inside the test, does not work with this pytest.)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def in_test_transaction(article):
    """Requests that run in the test's transaction, and see the article in it.

    Django's own test client does the same: a request's end would otherwise close the
    connection, which is inside a transaction (on PostgreSQL, closing it ends the test's).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def in_order(start, end):
    """``start`` and ``end`` as dates, or None for anything else (an empty or invalid value)."""
    try:
        return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except (TypeError, ValueError):
        return None


def map_query(context, query):
    """An end before the start, in order: OpenAPI cannot say that one parameter must not precede
    another, so a range the schema calls valid may be one the API refuses (400, documented, and
    tested in test_api.py); the generator is given ranges the right way round."""
    if query and (dates := in_order(query.get("start"), query.get("end"))):
        start, end = dates
        if end < start:
            query["start"], query["end"] = query["end"], query["start"]
    return query


@schema.hooks.apply(map_query)
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, in_test_transaction):
    case.call_and_validate()
