"""The site recovers by itself when PostgreSQL drops its connections (a restart, a failover, an
administrator terminating backends): the kept connection is health-checked before reuse."""

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from timeline.models import Event

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="terminating server connections needs PostgreSQL; SQLite has no server connection "
    "(run with DATABASE_URL=postgres://...)",
)


def serve_request(path):
    """One request through Django's real WSGI handler, with the request_started/finished signals
    that manage connections (the test client switches those off)."""
    environ = RequestFactory().get(path).environ
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    b"".join(response)
    response.close()
    return int(statuses[0].split()[0])


def terminate_other_backends():
    """From a second connection, as an administrator would: end every backend of the test database
    but this one. Returns the terminated process ids."""
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity, pg_terminate_backend(pid) "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return {pid for (pid,) in rows}


@pytest.mark.django_db(transaction=True)
def test_next_request_succeeds_after_the_database_dropped_the_connection(article, settings):
    settings.CACHE_PUBLIC_PAGES = False  # a cached page would be served without the database
    url = Event.objects.first().get_absolute_url()
    connection.close()  # from here on, only the requests open connections
    assert serve_request(url) == 200
    kept_backend = connection.connection.info.backend_pid  # kept open by CONN_MAX_AGE

    assert kept_backend in terminate_other_backends()

    assert serve_request(url) == 200
    assert connection.connection.info.backend_pid != kept_backend


@pytest.mark.django_db(transaction=True)
def test_health_check_recovers_after_the_database_dropped_the_connection():
    connection.close()
    assert serve_request(reverse("healthz")) == 200
    kept_backend = connection.connection.info.backend_pid

    assert kept_backend in terminate_other_backends()

    assert serve_request(reverse("healthz")) == 200
