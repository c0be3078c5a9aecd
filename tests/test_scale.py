"""Fast at scale, end to end through the views: full-text search, the page cache and its
invalidation, deep table pages, and streamed exports."""

import csv
import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from bench.factories import EventFactory, PlaceFactory
from tests.conftest import FIRST_ARTICLE
from timeline.models import Event
from timeline.public import paging

EVENTS = reverse("timeline:event-list")
TIMELINE = reverse("timeline:timeline")


def table_slugs(response):
    return [row.record.slug for row in response.context_data["table"].paginated_rows]


# Text search through the views: stemmed on both databases (PostgreSQL full-text search,
# SQLite FTS5 with the porter stemmer).


@pytest.mark.django_db
def test_searching_the_timeline_for_a_word_finds_its_other_forms(client):
    EventFactory(slug="deployed", title="British police officers deployed to Calais")
    EventFactory(slug="strike", title="Ferry strike halts crossings", summary="")

    response = client.get(TIMELINE, {"q": "deploy"})

    slugs = [
        entry.record.slug for group in response.context_data["groups"] for entry in group.entries
    ]
    assert slugs == ["deployed"]


@pytest.mark.django_db
def test_searching_the_events_table_ranks_title_matches_first(client):
    EventFactory(slug="in-summary", title="Ferry strike", summary="Police deployed to the port.")
    EventFactory(slug="in-title", title="Police deployed to Calais", summary="Crossings halted.")

    response = client.get(EVENTS, {"q": "deploy"})

    assert table_slugs(response) == ["in-title", "in-summary"]


# The page cache, as the public sees it.


@pytest.mark.django_db
def test_a_repeat_view_is_served_from_the_cache(client, article, django_assert_num_queries):
    client.get(TIMELINE)

    with django_assert_num_queries(0):
        response = client.get(TIMELINE)

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_cached_page_answers_its_etag_with_304_and_has_one_etag(client, article):
    etag = client.get(EVENTS)["ETag"]
    cached = client.get(EVENTS)

    response = client.get(EVENTS, headers={"if-none-match": etag})

    assert cached["ETag"] == etag and "," not in etag
    assert response.status_code == 304
    assert response["ETag"] == etag


@pytest.mark.django_db(transaction=True)
def test_an_admin_edit_shows_on_the_next_public_request(client, admin_client):
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)
    event = Event.objects.get(slug="theresa-may-visits-calais")
    detail = event.get_absolute_url()
    assert "Theresa May visits Calais" in client.get(detail).content.decode()
    assert "Theresa May visits Calais" in client.get(EVENTS).content.decode()

    change = admin_client.post(
        reverse("admin:timeline_event_change", args=[event.pk]),
        {
            "slug": event.slug,
            "title": "Theresa May tours Calais",
            "date": event.date.isoformat(),
            "date_precision": event.date_precision,
            "sources": [source.pk for source in event.sources.all()],
            "participations-TOTAL_FORMS": "0",
            "participations-INITIAL_FORMS": "0",
            "status": event.status,
            "reviewed": "on",
            "observations-TOTAL_FORMS": "0",
            "observations-INITIAL_FORMS": "0",
        },
    )
    assert change.status_code == 302, change.context["adminform"].errors

    assert "Theresa May tours Calais" in client.get(detail).content.decode()
    assert "Theresa May tours Calais" in client.get(EVENTS).content.decode()


@pytest.mark.django_db(transaction=True)
def test_an_import_shows_on_the_next_public_request(client):
    assert client.get(EVENTS).context_data["table"].paginator.count == 0

    call_command("import_article", str(FIRST_ARTICLE), verbosity=0)

    response = client.get(EVENTS)
    assert response.context_data["table"].paginator.count == Event.objects.count() > 0


# Deep pages: page N holds exactly the rows a full sort puts there, ties included, whether it is
# read from the start (page 1 of 3) or from the end (pages 2 and 3: timeline.paging).


@pytest.fixture
def many_events(db):
    """130 events: 60 on one day (ties on date), titles in 7 repeated values (ties on title),
    places shared (ties on place)."""
    places = [PlaceFactory(name=name) for name in ("Calais", "Dover", "Coquelles")]
    same_day = datetime.date(2015, 8, 19)
    events = []
    for number in range(130):
        events.append(
            EventFactory.build(
                slug=f"event-{(number * 37) % 130:03d}",
                title=f"Title {number % 7}",
                date=same_day if number < 60 else same_day + datetime.timedelta(days=number),
                place=places[number % 3] if number % 5 else None,
            )
        )
    Event.objects.bulk_create(events)


@pytest.mark.parametrize(
    ("sort", "full_sort"),
    [
        (None, ("date", "slug")),
        ("date", ("date", "slug")),
        ("-date", ("-date", "-slug")),
        ("title", ("title", "pk")),
        ("-title", ("-title", "-pk")),
        ("place", ("place__name", "pk")),
        ("-place", ("-place__name", "-pk")),
    ],
)
@pytest.mark.parametrize("page", [1, 2, 3])
def test_page_n_holds_the_rows_a_full_sort_puts_there(client, many_events, sort, full_sort, page):
    params = {"page": page, "sort": sort} if sort else {"page": page}
    every = list(Event.objects.order_by(*full_sort).values_list("slug", flat=True))

    response = client.get(EVENTS, params)

    assert table_slugs(response) == every[(page - 1) * 50 : page * 50]


@pytest.mark.parametrize(
    ("sort", "full_sort"),
    [
        (None, ("date", "slug")),
        ("-date", ("-date", "-slug")),
        ("title", ("title", "pk")),
        ("-title", ("-title", "-pk")),
    ],
)
@pytest.mark.parametrize("page", [2, 3, 4, 5, 6, 9])
def test_a_page_sought_from_a_checkpoint_holds_the_rows_a_full_sort_puts_there(
    client, many_events, monkeypatch, settings, sort, full_sort, page
):
    """Pages read from a checkpoint (every 20th row here), from the start or from the end, ties
    on the first sort column on either side of the checkpoint."""
    monkeypatch.setattr(paging, "CHECKPOINT_ROWS", 20)
    settings.CACHE_PUBLIC_PAGES = False
    params = {"page": page, "per_page": 15, **({"sort": sort} if sort else {})}
    every = list(Event.objects.order_by(*full_sort).values_list("slug", flat=True))

    response = client.get(EVENTS, params)
    again = client.get(EVENTS, params)  # the checkpoint now read from the cache

    assert table_slugs(response) == table_slugs(again) == every[(page - 1) * 15 : page * 15]


@pytest.mark.parametrize("page", [1, 2, 3])
def test_a_search_page_holds_the_rows_the_full_ranking_puts_there(client, many_events, page):
    ranked = [event.slug for event in Event.objects.search("title")]

    response = client.get(EVENTS, {"q": "title", "page": page})

    assert len(ranked) == 130
    assert table_slugs(response) == ranked[(page - 1) * 50 : page * 50]


def test_pages_never_repeat_or_skip_a_row_with_ties(client, many_events):
    seen = []
    for page in (1, 2, 3):
        seen += table_slugs(client.get(EVENTS, {"sort": "place", "page": page}))

    assert sorted(seen) == sorted(Event.objects.values_list("slug", flat=True))


# Streamed exports, read row by row.


def test_the_csv_export_streams_every_row_in_order(client, many_events):
    response = client.get(EVENTS, {"_export": "csv", "sort": "-date"})

    assert response.streaming
    lines = (chunk.decode() for chunk in response.streaming_content)
    reader = csv.DictReader(line.removeprefix("\ufeff") for line in lines)
    exported = [(row["slug"], row["date"]) for row in reader]
    expected = [
        (slug, day.isoformat())
        for slug, day in Event.objects.order_by("-date", "-slug").values_list("slug", "date")
    ]
    assert exported == expected


def test_the_json_export_streams_an_array_of_every_row(client, many_events):
    response = client.get(EVENTS, {"_export": "json", "q": "title"})

    assert response.streaming
    rows = json.loads(b"".join(response.streaming_content))
    assert len(rows) == 130
    assert {row["title"] for row in rows} == {f"Title {number}" for number in range(7)}


def test_an_xlsx_export_over_the_limit_is_refused_with_a_reason(client, many_events, monkeypatch):
    monkeypatch.setattr("timeline.public.downloads.XLSX_MOST_ROWS", 100)

    response = client.get(EVENTS, {"_export": "xlsx"})

    assert response.status_code == 400
    assert "at most 100 rows" in response.content.decode()
    assert "130" in response.content.decode()
