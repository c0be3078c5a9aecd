"""The plans that keep PostgreSQL's pages fast: each page's rows are found through an index in
the page's order, never by reading and sorting every matching row (run with
DATABASE_URL=postgres://…; CI does). Sequential and bitmap scans are turned off, as in
tests/test_search.py: on a table of a few rows PostgreSQL rightly prefers them, and the question
is which index it can read in order instead."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from tests.factories import EventFactory, MeasureFactory, StatementFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL plans: run with DATABASE_URL=postgres://… (CI does)",
    ),
    pytest.mark.django_db(transaction=True),
]


def page_queries(client, url):
    """(sql, params) of every query the page makes, page cache off."""
    executed = []

    def record(execute, sql, params, many, context):
        executed.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    assert response.status_code == 200
    return executed


def plan_of(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def records(settings):
    """A few records, committed and vacuumed as autovacuum does: the visibility map set, the
    planner told how many rows there are."""
    settings.CACHE_PUBLIC_PAGES = False
    EventFactory.create_batch(12)
    MeasureFactory.create_batch(4)
    StatementFactory.create_batch(4)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE timeline_event, timeline_measure, timeline_statement")


@pytest.mark.parametrize("kind", ["event", "measure", "statement"])
def test_the_sort_indexes_hold_what_their_queries_read(kind):
    """Covering indexes: with the visibility map set (VACUUM, autovacuum), the tables' keys and
    the timeline's rows come from an index-only scan, not a visit to the table for each row."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (%s, %s)",
            [f"{kind}_date_slug", f"{kind}_chronological"],
        )
        definitions = dict(cursor.fetchall())

    assert definitions[f"{kind}_date_slug"].endswith("(date, slug) INCLUDE (id)")
    assert definitions[f"{kind}_chronological"].endswith(
        "(date, date_width, slug) INCLUDE (id, date_precision)"
    )


def test_a_deep_table_page_reads_its_keys_from_the_covering_index(client, records):
    """The page's keys come from the (date, slug) index that includes the id: an index-only
    scan that skips the rows before the page, not a sort of every event."""
    queries = page_queries(client, reverse("timeline:event-list") + "?per_page=2&page=3")
    sql, params = next(query for query in queries if "OFFSET" in query[0])

    plan = plan_of(sql, params)

    assert "Index Only Scan using event_date_slug" in plan
    assert "Sort Key: u0." not in plan  # the keys are not sorted; the 50 rows may be


@pytest.mark.parametrize("query", ["", "?start=2015-08-19", "?kind=event&start=2015-08-19"])
def test_the_timeline_reads_each_kind_from_its_chronological_index(client, records, query):
    """Filtered or not, each kind's entries come from its (date, date_width, slug) index in
    order, a page's worth at most, before they are merged: not every matching row sorted."""
    queries = page_queries(client, reverse("timeline:timeline") + query)
    sql, params = next(query for query in queries if '"entries"' in query[0])

    plan = plan_of(sql, params)

    kinds = ["event"] if "kind=event" in query else ["event", "measure", "statement"]
    for kind in kinds:
        assert f"Index Only Scan using {kind}_chronological" in plan
    assert "Seq Scan" not in plan
