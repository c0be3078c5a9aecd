"""The scratch databases of `make bench`: made, seeded, inspected and dropped.

Each database is prepared in a process of its own (Django's settings read DATABASE_URL once, at
start-up), which seeds it with ``seed_synthetic``, counts the SQL queries of every page with
Django's test client and keeps the slowest query of each page with its plan:
``EXPLAIN (ANALYZE, BUFFERS)`` on PostgreSQL, ``EXPLAIN QUERY PLAN`` on SQLite.

A PostgreSQL scratch database is created on the server that ``BENCH_DATABASE_URL`` names, under
the name it gives, and dropped at the end; an existing database of that name is refused, never
dropped. After the seed it is VACUUM ANALYZEd, as autovacuum would do to a production database
some time after a bulk load: until then the planner has no statistics and the visibility map is
empty, so no index-only scan can skip the table.
"""

import contextlib
import multiprocessing
import os
import time
from dataclasses import dataclass, field

import dj_database_url

MAINTENANCE_DATABASE = "postgres"
SQL_SHOWN = 4000  # characters of a slowest query kept in the report


@dataclass
class Plan:
    sql: str
    milliseconds: float
    text: str


@dataclass
class Prepared:
    """What the preparing process found: a middle event's slug, queries and plans per path."""

    event_slug: str = ""
    queries: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    seconds: float = 0.0
    server_version: str = ""


def vendor(database_url):
    engine = dj_database_url.parse(database_url)["ENGINE"]
    return "postgresql" if "postgresql" in engine else "sqlite"


def _connect(settings, database):
    import psycopg

    return psycopg.connect(
        dbname=database,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )


@contextlib.contextmanager
def postgresql_scratch(database_url):
    """Create the database ``database_url`` names for the block, and drop it after."""
    from psycopg import sql

    settings = dj_database_url.parse(database_url)
    name = settings["NAME"]
    with _connect(settings, MAINTENANCE_DATABASE) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            raise RuntimeError(
                f"The database {name!r} exists already: `make bench` drops the scratch database "
                f"it makes, so it will not use one it did not. Drop it (dropdb {name}) or name "
                "another in BENCH_DATABASE_URL."
            )
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield database_url
    finally:
        with _connect(settings, MAINTENANCE_DATABASE) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def prepare(env, events, seed, paths_for):
    """Seed the database of ``env["DATABASE_URL"]`` and inspect its pages, in a new process.

    ``paths_for(events, event_slug)``: the pages to inspect, {name: path} (a module-level
    function, so the new process can import it).
    """
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_prepare, (env, events, seed, paths_for))


def _prepare(env, events, seed, paths_for):
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from timeline.models import Event

    # The pages are rendered here too, with DEBUG off: hashed static names.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_synthetic", events=events, seed=seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    prepared = Prepared(seconds=time.perf_counter() - started)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            prepared.server_version = cursor.fetchone()[0]
    ids = Event.objects.order_by("pk").values_list("pk", flat=True)
    prepared.event_slug = Event.objects.get(pk=ids[len(ids) // 2]).slug
    paths = paths_for(events, prepared.event_slug)
    prepared.queries = count_queries(paths.values())
    prepared.plans = {path: slowest_query_plan(path) for path in paths.values()}
    connection.close()
    return prepared


def count_queries(paths):
    """SQL queries each page issues, rendered once (uncached) through Django's test client."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client()
    counts = {}
    for path in paths:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, secure=True)
        counts[path] = len(captured) if response.status_code < 400 else None
    cache.clear()
    return counts


def slowest_query_plan(path):
    """The slowest query of the page (page cache off, fragments warm) with its plan."""
    from django.db import connection
    from django.test import Client, override_settings

    client = Client()
    executed = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            executed.append((time.perf_counter() - started, sql, params))

    with override_settings(CACHE_PUBLIC_PAGES=False):
        client.get(path, secure=True)  # the fragments and counts kept until a write
        with connection.execute_wrapper(timed):
            client.get(path, secure=True)
    if not executed:
        return None
    seconds, sql, params = max(executed, key=lambda query: query[0])
    postgresql = connection.vendor == "postgresql"
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        rows = cursor.fetchall()
    text = "\n".join(row[0] if len(row) == 1 else " ".join(map(str, row)) for row in rows)
    with connection.cursor() as cursor:
        shown = cursor.mogrify(sql, params) if hasattr(cursor, "mogrify") else None
    shown = shown.decode() if isinstance(shown, bytes) else shown or f"{sql}\n-- {params!r}"
    if len(shown) > SQL_SHOWN:
        shown = shown[:SQL_SHOWN] + " …"
    return Plan(shown, seconds * 1000, text)
