"""The public page cache (timeline.caching): any write invalidates it once it commits, repeat
views are cheap.

Tests of when the generation changes commit for real (transaction=True); elsewhere writes run in
the test's transaction, which never commits, and django_capture_on_commit_callbacks(execute=True)
runs the on-commit callbacks where a commit would be.
"""

import datetime
import os
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, transaction
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from bench.factories import ActorFactory, EventFactory, SourceFactory
from tests.conftest import FIRST_ARTICLE
from timeline.models import Event, Measure
from timeline.public import caching, entries, views
from timeline.public.entries import Timeline
from timeline.public.filters import EventFilter
from timeline.public.views import ActorDetailView, EventDetailView, EventListView, TimelineView

TIMELINE = reverse("timeline:timeline")

requests = RequestFactory()


class CountingView:
    """A view that says how many times it has rendered."""

    def __init__(self, status=200):
        self.renders = 0
        self.status = status

    def __call__(self, request):
        self.renders += 1
        return HttpResponse(f"render {self.renders}", status=self.status)


@pytest.fixture
def view():
    counting = CountingView()
    return counting, caching.cache_public_page(counting)


@pytest.mark.django_db(transaction=True)
def test_saving_a_record_changes_the_generation():
    before = caching.current_generation()
    EventFactory()
    assert caching.current_generation() != before


@pytest.mark.django_db(transaction=True)
def test_deleting_a_record_changes_the_generation():
    event = EventFactory()
    before = caching.current_generation()
    event.delete()
    assert caching.current_generation() != before


@pytest.mark.django_db(transaction=True)
def test_changing_a_many_to_many_relation_changes_the_generation():
    event = EventFactory()
    source = SourceFactory()
    before = caching.current_generation()
    event.sources.add(source)
    assert caching.current_generation() != before


@pytest.mark.django_db(transaction=True)
def test_the_generation_changes_only_when_the_write_commits():
    before = caching.current_generation()
    with transaction.atomic():
        EventFactory()
        # A page rendered now reads the old data: it must be cached under the old generation.
        assert caching.current_generation() == before
    assert caching.current_generation() != before


@pytest.mark.django_db
def test_a_transaction_of_many_writes_invalidates_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        EventFactory.create_batch(5)
    assert callbacks.count(caching.invalidate_public_pages) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_cache_alone():
    before = caching.current_generation()
    with transaction.atomic():
        EventFactory()
        transaction.set_rollback(True)
    assert caching.current_generation() == before


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_invalidates():
    before = caching.current_generation()
    with transaction.atomic():
        with transaction.atomic():
            EventFactory()
            transaction.set_rollback(True)
        EventFactory()
        assert caching.current_generation() == before
    assert caching.current_generation() != before


@pytest.mark.django_db
def test_a_queryset_update_needs_the_explicit_call():
    event = EventFactory()
    before = caching.current_generation()
    Event.objects.filter(pk=event.pk).update(title="Changed in bulk")
    assert caching.current_generation() == before
    caching.invalidate_public_pages()
    assert caching.current_generation() != before


def test_the_generation_is_stable_without_writes():
    assert caching.current_generation() == caching.current_generation()


def test_a_repeat_view_is_served_from_the_cache(view):
    counting, cached = view
    first = cached(requests.get("/events/?page=2"))
    second = cached(requests.get("/events/?page=2"))
    assert counting.renders == 1
    assert second.content == first.content == b"render 1"


def test_another_query_string_is_another_page(view):
    counting, cached = view
    cached(requests.get("/events/?page=2"))
    cached(requests.get("/events/?page=3"))
    assert counting.renders == 2


@pytest.mark.django_db
def test_a_write_makes_the_next_view_render_again(view, django_capture_on_commit_callbacks):
    counting, cached = view
    cached(requests.get("/events/"))
    with django_capture_on_commit_callbacks(execute=True):
        ActorFactory()
    assert cached(requests.get("/events/")).content == b"render 2"


def test_a_matching_etag_gets_304_without_rendering(view):
    counting, cached = view
    etag = cached(requests.get("/events/"))["ETag"]
    response = cached(requests.get("/events/", HTTP_IF_NONE_MATCH=etag))
    assert response.status_code == 304
    assert counting.renders == 1


def test_a_stale_etag_gets_the_page(view):
    counting, cached = view
    cached(requests.get("/events/"))
    response = cached(requests.get("/events/", HTTP_IF_NONE_MATCH='"stale"'))
    assert response.status_code == 200


def test_a_signed_in_request_is_rendered_fresh(view):
    counting, cached = view
    cached(requests.get("/events/"))
    request = requests.get("/events/")
    request.COOKIES["sessionid"] = "staff"
    assert cached(request).content == b"render 2"


def test_a_post_is_never_cached(view):
    counting, cached = view
    cached(requests.post("/events/"))
    cached(requests.post("/events/"))
    assert counting.renders == 2


def test_an_error_page_is_not_cached():
    counting = CountingView(status=404)
    cached = caching.cache_public_page(counting)
    cached(requests.get("/events/missing/"))
    cached(requests.get("/events/missing/"))
    assert counting.renders == 2


# The timeline's counts per month and its histogram are cached until the next write, whether or
# not whole pages are (CACHE_PUBLIC_PAGES): these tests turn the page cache off.


def histogram_counts(response):
    return {
        bar.bucket.label: bar.count
        for year in response.context_data["histogram"]
        for bar in year.bars
    }


def test_the_timeline_counts_its_months_once_until_a_write(
    client, article, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHE_PUBLIC_PAGES = False
    counted = []
    count_buckets = Timeline._count_buckets
    monkeypatch.setattr(
        Timeline, "_count_buckets", lambda self: counted.append(1) or count_buckets(self)
    )

    client.get(TIMELINE)
    client.get(TIMELINE, {"page": 2})
    assert len(counted) == 1
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(date=datetime.date(2016, 3, 5))
    client.get(TIMELINE)
    assert len(counted) == 2


def test_the_histogram_is_drawn_once_per_query_until_a_write(
    client, article, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHE_PUBLIC_PAGES = False
    drawn = []
    markup = entries.histogram_markup
    monkeypatch.setattr(entries, "histogram_markup", lambda *args: drawn.append(1) or markup(*args))

    client.get(TIMELINE)
    client.get(TIMELINE, {"page": 2})
    assert len(drawn) == 1
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(date=datetime.date(2016, 3, 5))
    client.get(TIMELINE)
    assert len(drawn) == 2


def test_a_new_event_shows_in_the_histogram_on_the_next_request(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.CACHE_PUBLIC_PAGES = False
    before = client.get(TIMELINE)
    assert "March 2016" not in histogram_counts(before)

    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(date=datetime.date(2016, 3, 5))
    after = client.get(TIMELINE)

    assert histogram_counts(after)["March 2016"] == 1
    assert "March 2016: 1 entry" in after.content.decode()


def test_an_admin_edit_moves_the_entry_in_the_histogram_on_the_next_request(
    client, article, settings, django_capture_on_commit_callbacks
):
    settings.CACHE_PUBLIC_PAGES = False
    reader = Client()
    before = reader.get(TIMELINE)
    assert "March 2016" not in before.content.decode()
    event = Event.objects.get(slug="theresa-may-visits-calais")
    client.force_login(User.objects.create_superuser("editor", "e@example.com", "a-long-password"))
    data = {
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary,
        "date": "2016-03-05",
        "date_precision": "day",
        "place": event.place_id,
        "sources": [s.pk for s in event.sources.all()],
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "status": event.status,
        "reviewed": "on",
        "observations-TOTAL_FORMS": "0",
        "observations-INITIAL_FORMS": "0",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:timeline_event_change", args=[event.pk]), data)
    assert response.status_code == 302
    after = reader.get(TIMELINE)

    assert histogram_counts(after)["March 2016"] == 1
    assert "March 2016: 1 entry" in after.content.decode()
    assert histogram_counts(after)["August 2015"] == histogram_counts(before)["August 2015"] - 1


def test_each_filter_has_its_own_histogram(client, article, settings):
    settings.CACHE_PUBLIC_PAGES = False
    everything = client.get(TIMELINE)
    measures = client.get(TIMELINE, {"kind": "measure"})

    total = sum(histogram_counts(everything).values())
    assert sum(histogram_counts(measures).values()) == Measure.objects.count() < total
    assert 'href="?kind=measure&amp;page=1#m2015-08"' in measures.content.decode()
    assert 'href="?page=1#m2015-08"' in client.get(TIMELINE).content.decode()


def test_the_histogram_links_keep_the_query_of_the_page_it_is_on(client, article, settings):
    settings.CACHE_PUBLIC_PAGES = False
    client.get(TIMELINE, {"kind": "event"})

    second = client.get(TIMELINE, {"kind": "event", "q": "police"}).content.decode()

    # The filters in the form's order: one histogram serves every order of the same filters.
    assert 'href="?q=police&amp;kind=event&amp;page=1#m2015-08"' in second


# The filter forms are cached the same way (their <select> of actors is most of their cost).


@pytest.mark.parametrize("page", [TIMELINE, reverse("timeline:event-list")])
def test_a_new_actor_is_offered_by_the_filter_form_on_the_next_request(
    client, article, settings, django_capture_on_commit_callbacks, page
):
    settings.CACHE_PUBLIC_PAGES = False
    assert "Yvette Cooper" not in client.get(page).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        ActorFactory(name="Yvette Cooper", slug="yvette-cooper")

    assert (
        '<option value="yvette-cooper">Yvette Cooper</option>' in client.get(page).content.decode()
    )


def test_the_filter_form_shows_the_choice_of_each_query(client, article, settings):
    settings.CACHE_PUBLIC_PAGES = False
    client.get(TIMELINE)

    chosen = client.get(TIMELINE, {"actor": "keith-vaz", "page": 2}).content.decode()
    plain = client.get(TIMELINE).content.decode()

    assert '<option value="keith-vaz" selected>' in chosen
    assert '<option value="keith-vaz">' in plain


@pytest.fixture
def form_drawings(monkeypatch):
    """The forms whose fields a page drew whole (macros.form_fields), rather than read kept."""
    drawn = []
    macros = views.macros()

    class Counting:
        def __getattr__(self, name):
            return getattr(macros, name)

        def form_fields(self, form, **kwargs):
            drawn.append(form)
            return macros.form_fields(form, **kwargs)

    monkeypatch.setattr(views, "macros", Counting)
    return drawn


@pytest.mark.parametrize("page", [TIMELINE, reverse("timeline:event-list")])
def test_a_parameter_that_is_no_filter_neither_redraws_the_fragments_nor_adds_a_cache_entry(
    client, article, settings, form_drawings, page
):
    """The fragments are kept under the form's values, not the query string: ?utm_source=x
    would otherwise draw them again and fill the cache with copies."""
    settings.CACHE_PUBLIC_PAGES = False
    client.get(page, {"actor": "keith-vaz"})
    kept, drawings = set(cache._cache), len(form_drawings)

    tagged = client.get(page, {"actor": "keith-vaz", "utm_source": "x", "page": "1"}, follow=True)

    assert len(form_drawings) == drawings
    assert set(cache._cache) == kept
    assert '<option value="keith-vaz" selected>' in tagged.content.decode()
    assert "utm_source" not in tagged.content.decode()


def test_another_filter_value_draws_its_own_fields(client, article, settings, form_drawings):
    settings.CACHE_PUBLIC_PAGES = False
    client.get(TIMELINE, {"actor": "keith-vaz"})
    drawings = len(form_drawings)

    client.get(TIMELINE, {"actor": "theresa-may"})

    assert len(form_drawings) > drawings


@pytest.mark.parametrize("page", [TIMELINE, reverse("timeline:event-list")])
def test_a_new_date_range_draws_only_its_dates_into_the_kept_fields(
    client, article, settings, form_drawings, page
):
    """The first view of a shared link with a new range reads the other fields' markup kept
    (no query for the actors' <select>) and shows its own dates and the other choices."""
    settings.CACHE_PUBLIC_PAGES = False
    client.get(page, {"actor": "keith-vaz", "start": "2015-08-01"})
    drawings = len(form_drawings)

    html = client.get(page, {"actor": "keith-vaz", "start": "2015-08-18"}).content.decode()

    assert len(form_drawings) == drawings
    assert '<option value="keith-vaz" selected>' in html
    assert 'value="2015-08-18"' in html and 'value="2015-08-01"' not in html
    wrong = client.get(page, {"actor": "keith-vaz", "start": "2015-08-18", "end": "2015-08-01"})
    assert "The end date must not be before the start date." in wrong.content.decode()
    assert '<option value="keith-vaz" selected>' in wrong.content.decode()


def test_an_invalid_filter_shows_its_own_error_not_a_valid_pages_fields(client, article, settings):
    """A wrong value is part of what the fields show: it is not served the valid page's form."""
    settings.CACHE_PUBLIC_PAGES = False
    client.get(TIMELINE, {"start": "2016-01-01"})

    wrong = client.get(TIMELINE, {"start": "2016-01-01", "end": "2015-01-01"}).content.decode()

    assert "The end date must not be before the start date." in wrong


# Every cached thing is keyed by the database it was read from.


@contextmanager
def default_database(settings_dict):
    """Point the site's default connection at another database for the block."""
    settings_dict = connections.configure_settings({"default": settings_dict})["default"]
    original = connections["default"]
    other = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = other
    try:
        yield other
    finally:
        other.close()
        connections["default"] = original


def test_the_database_token_names_the_sqlite_file_however_it_is_spelled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sqlite = {"ENGINE": "django.db.backends.sqlite3"}
    with default_database({**sqlite, "NAME": "site.sqlite3"}):
        relative = caching.database_token()
    with default_database({**sqlite, "NAME": str(tmp_path / "site.sqlite3")}):
        absolute = caching.database_token()
    with default_database({**sqlite, "NAME": str(tmp_path / "other.sqlite3")}):
        other = caching.database_token()
    assert relative == absolute != other


def test_the_database_token_names_the_server_and_the_database():
    postgresql = {"ENGINE": "django.db.backends.postgresql", "HOST": "db", "PORT": "5432"}
    tokens = set()
    for settings_dict in (
        {**postgresql, "NAME": "calais"},
        {**postgresql, "NAME": "calais_restored"},
        {**postgresql, "NAME": "calais", "HOST": "replica"},
        {**postgresql, "NAME": "calais", "PORT": "5433"},
    ):
        with default_database(settings_dict):
            tokens.add(caching.database_token())
    assert len(tokens) == 4


@pytest.mark.django_db(transaction=True)
def test_a_second_database_under_the_same_cache_gets_its_own_pages(client, settings, tmp_path):
    """Guards the timeline's compiled index query, its counts and its pages, once served from
    one database for another (SQL compiled for PostgreSQL answered 500 on SQLite)."""
    other = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "other.sqlite3")}
    with default_database(other):
        call_command("migrate", verbosity=0)
        EventFactory(title="Only in the other database", date=datetime.date(2016, 3, 5))
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)
    # Cached from the first database: the page, the counts, the compiled SQL, the fragments.
    assert "Theresa May visits Calais" in client.get(TIMELINE).content.decode()
    assert client.get(reverse("timeline:event-list")).status_code == 200

    with default_database(other):
        settings.CACHE_PUBLIC_PAGES = False
        rendered = client.get(TIMELINE)
        settings.CACHE_PUBLIC_PAGES = True
        cached = client.get(TIMELINE)
        table = client.get(reverse("timeline:event-list"))

    assert rendered.status_code == cached.status_code == table.status_code == 200
    for response in (rendered, cached):
        page = response.content.decode()
        assert "Only in the other database" in page
        assert "Theresa May visits Calais" not in page
        assert "August 2015" not in page  # the first database's histogram
    assert "Theresa May visits Calais" not in table.content.decode()
    # And back: the first database's pages, not the other's.
    assert "Only in the other database" not in client.get(TIMELINE).content.decode()


# Unknown and empty query parameters are redirected away: they neither bust nor fill the cache.


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/?q=&kind=&actor=theresa-may", "/?actor=theresa-may"),
        ("/?utm_source=x", "/"),
        ("/?kind=event&fbclid=abc&q=police", "/?kind=event&q=police"),
        (
            "/events/?place=calais&_x=1&sort=-date&per_page=10",
            "/events/?place=calais&sort=-date&per_page=10",
        ),
        ("/events/theresa-may-visits-calais/?page=2", "/events/theresa-may-visits-calais/"),
    ],
)
def test_unknown_or_empty_parameters_redirect_to_the_canonical_url(
    client, article, url, canonical, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == canonical


@pytest.mark.parametrize(
    "url",
    [
        "/?q=police&kind=event&actor=keith-vaz&category=policing&start=2015-01-01&end=2016-01-01&page=2",
        "/events/?q=police&place=calais&sort=-date&page=2&per_page=10",
        "/events/?_export=csv",
        "/actors/keith-vaz/?page=1",
    ],
)
def test_known_parameters_are_not_redirected(client, article, url):
    assert client.get(url).status_code == 200


def test_a_link_with_an_unknown_parameter_is_served_the_cached_page(client, article, monkeypatch):
    client.get(TIMELINE, {"kind": "event"})
    rendered = []
    render = caching.render
    monkeypatch.setattr(caching, "render", lambda *a, **k: rendered.append(1) or render(*a, **k))

    response = client.get(TIMELINE, {"kind": "event", "utm_source": "social"}, follow=True)

    assert response.redirect_chain == [("/?kind=event", 301)]
    assert response.status_code == 200
    assert rendered == []


def test_unknown_parameters_add_nothing_to_the_cache(client, article):
    from django.core.cache import cache

    client.get(TIMELINE, {"kind": "event"})
    entries = len(cache._cache)  # the tests' LocMemCache
    for number in range(5):
        client.get(TIMELINE, {"kind": "event", "_x": number})
        client.get(reverse("timeline:event-list"), {"fbclid": number})
    assert len(cache._cache) == entries


def test_the_order_of_the_parameters_makes_no_second_page(client, article, monkeypatch):
    client.get("/?kind=event&q=police")
    rendered = []
    render = caching.render
    monkeypatch.setattr(caching, "render", lambda *a, **k: rendered.append(1) or render(*a, **k))

    assert client.get("/?q=police&kind=event").status_code == 200
    assert rendered == []


def test_every_public_view_knows_its_filter_fields():
    timeline = TimelineView.known_parameters()
    events = EventListView.known_parameters()
    assert timeline == {
        *("q", "kind", "actor", "category", "source", "place", "start", "end"),
        *("page", "_export"),
    }
    assert events == set(EventFilter.base_filters) | {"page", "sort", "per_page", "_export"}
    assert EventDetailView.known_parameters() == set()
    assert ActorDetailView.known_parameters() == {"page"}


# The embedded cache: diskcache's Django cache, the default without REDIS_URL.


@pytest.fixture
def disk_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {"BACKEND": "calais.cache.DiskCache", "LOCATION": str(tmp_path / "cache")}
    }
    from django.core.cache import cache

    yield cache
    cache.clear()


def test_the_default_cache_without_redis_is_diskcache(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    environment["CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run(
        [sys.executable, "-c", PRINT_CACHE_SETTINGS],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.split() == ["calais.cache.DiskCache", str(tmp_path / "cache")]


PRINT_CACHE_SETTINGS = """
import os
os.environ["DJANGO_SETTINGS_MODULE"] = "calais.settings"
from django.conf import settings
print(settings.CACHES["default"]["BACKEND"], settings.CACHES["default"]["LOCATION"])
"""


def test_diskcache_keeps_pages_and_answers_add_and_delete_as_django_does(disk_cache, view):
    counting, cached = view
    cached(requests.get("/events/?page=2"))
    assert cached(requests.get("/events/?page=2")).content == b"render 1"

    assert disk_cache.add("flag", 1) is True
    assert disk_cache.add("flag", 2) is False
    assert disk_cache.delete("flag") is True
    assert disk_cache.delete("flag") is False


def test_diskcache_stays_open_between_requests(disk_cache):
    """Django closes its caches after every request; reopening diskcache's SQLite files cost more
    than serving a cached page."""
    disk_cache.set("page", "cached")
    shard = disk_cache._cache._shards[0]
    shard._con  # noqa: B018 (opens the shard's connection)
    opened = shard._local.con

    disk_cache.close()

    assert shard._local.con is opened
    assert disk_cache.get("page") == "cached"
