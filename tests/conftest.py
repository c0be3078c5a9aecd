"""Shared fixtures: the first article, many generated records, and the browser set-up."""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import (
    EventFactory,
    MeasureFactory,
    PlaceFactory,
    SourceFactory,
    StatementFactory,
)
from timeline.models import Actor, Event, Measure, Participation, Statement
from timeline.signals import records_written

# Playwright's sync API runs an event loop in the test thread; Django refuses database access from
# a thread with a running loop unless told this is safe (it is: the test drives one browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
FIRST_ARTICLE = FIXTURES_DIR / "2015-08-19-afp-uk-police-to-calais.json"
CHROMIUM = Path("/usr/bin/chromium")


def first_article_counts():
    """How many records the first article's fixture holds: all, and events."""
    records = json.loads(FIRST_ARTICLE.read_text())
    return len(records), sum(record["model"] == "timeline.event" for record in records)


@pytest.fixture
def article(db):
    """The first article's fixture, loaded as `make run` loads it."""
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)


@pytest.fixture
def imported_article(db):
    """The first article, imported as `make run` imports it: its batch remembers what it wrote."""
    from timeline import importing

    return importing.import_articles([importing.read_article_path(FIRST_ARTICLE)])


@pytest.fixture(autouse=True)
def local_memory_cache(settings):
    """Each test gets its own empty in-process cache instead of the shared file cache."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests",
        }
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On PostgreSQL, commits that do not wait for the disk: a test database need not survive a
    crash, and the tests that commit (live server, browser, transactional) commit thousands of
    times."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """A cheap hasher: the production one takes a good part of a second per password, by design,
    and the tests sign in hundreds of users. What they check is who may do what, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def live_article(transactional_db):
    """The first article, committed so that a live server thread can read it."""
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)


@pytest.fixture
def make_records(db):
    """make_records(n): add about n events, measures and statements, all by one actor and source.

    Every record cites the source "shared-source" and involves the actor "prolific"; the first
    event and the first measure are linked to every other record, so that every page, list or
    detail, grows with n. Records are bulk-created from factories to keep the tests quick.
    """

    def make(n):
        source = SourceFactory(slug="shared-source")
        actor = Actor.objects.get_or_create(
            slug="prolific", defaults={"name": "Prolific Actor", "kind": "person"}
        )[0]
        place = PlaceFactory()
        per_kind = max(1, n // 3)
        events = Event.objects.bulk_create(EventFactory.build_batch(per_kind, place=place))
        measures = Measure.objects.bulk_create(MeasureFactory.build_batch(per_kind))
        statements = Statement.objects.bulk_create(
            StatementFactory.build_batch(n - 2 * per_kind, speaker=actor)
        )
        first_event = Event.objects.order_by("pk").first()
        first_measure = Measure.objects.order_by("pk").first()
        Participation.objects.bulk_create(
            Participation(event=event, actor=actor, capacity="took part") for event in events
        )
        links = [
            (Event.sources.through, [{"event": e, "source": source} for e in events]),
            (Measure.sources.through, [{"measure": m, "source": source} for m in measures]),
            (Statement.sources.through, [{"statement": s, "source": source} for s in statements]),
            (Measure.responsible.through, [{"measure": m, "actor": actor} for m in measures]),
            (Measure.events.through, [{"measure": m, "event": first_event} for m in measures]),
            (
                Measure.events.through,
                [{"measure": first_measure, "event": e} for e in events if e != first_event],
            ),
            (
                Statement.events.through,
                [{"statement": s, "event": first_event} for s in statements],
            ),
            (
                Statement.measures.through,
                [{"statement": s, "measure": first_measure} for s in statements],
            ),
        ]
        for through, rows in links:
            through.objects.bulk_create([through(**row) for row in rows])
        # bulk_create sends no post_save: announce the write, as the seed and the importer do.
        records_written.send(sender=make_records)

    return make


# Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


def pytest_collection_modifyitems(config, items):
    """Outside CI, skip browser tests when there is no Chromium; in CI they must run."""
    if CHROMIUM.exists() or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}; install Debian's chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
