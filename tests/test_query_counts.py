"""Every public page costs the same number of queries with 10 records as with 1,000: at most
10, measured on the page as rendered (the page cache is off here)."""

import pytest
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse

from timeline.models import Event, Measure, Statement

MOST_QUERIES = 10


def first_slug(model):
    return model.objects.order_by("pk").values_list("slug", flat=True).first()


def first_place_slug():
    """The place of the first event: make_records puts every event of a batch there."""
    return Event.objects.order_by("pk").values_list("place__slug", flat=True).first()


PAGES = {
    # page: (how to build its URL once records exist, the most queries it may make)
    "timeline": (lambda: reverse("timeline:timeline"), 10),
    "timeline-search": (lambda: reverse("timeline:timeline") + "?q=police", 10),
    "timeline-filtered": (
        lambda: (
            reverse("timeline:timeline")
            + "?actor=prolific&source=shared-source&start=2015-01-01&end=2020-12-31"
            + "&q=police&page=2"
        ),
        10,
    ),
    "timeline-measures-by-category": (
        lambda: reverse("timeline:timeline") + "?kind=measure&category=policing",
        9,
    ),
    "event-list": (lambda: reverse("timeline:event-list") + "?sort=-date", 7),
    "measure-list": (lambda: reverse("timeline:measure-list"), 6),
    "statement-list": (lambda: reverse("timeline:statement-list"), 5),
    "actor-list": (lambda: reverse("timeline:actor-list"), 2),
    "source-list": (lambda: reverse("timeline:source-list"), 4),
    "event-export": (lambda: reverse("timeline:event-list") + "?_export=csv", 7),
    "statement-export": (lambda: reverse("timeline:statement-list") + "?_export=json", 5),
    "event-detail": (
        lambda: reverse("timeline:event-detail", args=[first_slug(Event)]),
        7,
    ),
    "measure-detail": (
        lambda: reverse("timeline:measure-detail", args=[first_slug(Measure)]),
        9,
    ),
    "statement-detail": (
        lambda: reverse("timeline:statement-detail", args=[first_slug(Statement)]),
        6,
    ),
    "actor-detail": (lambda: reverse("timeline:actor-detail", args=["prolific"]), 10),
    "source-detail": (lambda: reverse("timeline:source-detail", args=["shared-source"]), 9),
    "place-detail": (lambda: reverse("timeline:place-detail", args=[first_place_slug()]), 9),
    "event-list-filtered": (
        lambda: (
            reverse("timeline:event-list")
            + "?q=police&actor=prolific&source=shared-source&start=2015-01-01&sort=title&page=2"
        ),
        10,
    ),
    "event-list-deep": (lambda: reverse("timeline:event-list") + "?page=7", 10),
}


def make_searchable_records(make_records, n):
    """make_records(n), with the word "police" in every event, measure and statement."""
    make_records(n)
    Event.objects.update(summary=Concat("summary", Value(" Police at the port.")))
    Measure.objects.update(description=Concat("description", Value(" Police at the port.")))
    Statement.objects.update(text=Concat("text", Value(" Police at the port.")))


def test_every_page_is_held_to_at_most_ten_queries():
    assert max(most for _, most in PAGES.values()) <= MOST_QUERIES


@pytest.mark.parametrize("page_name", PAGES)
def test_page_query_count_does_not_grow_from_10_to_1000_records(
    page_name, client, make_records, django_assert_max_num_queries, settings
):
    settings.CACHE_PUBLIC_PAGES = False
    url_for, most_queries = PAGES[page_name]
    make_searchable_records(make_records, 10)
    url = url_for()
    with django_assert_max_num_queries(most_queries):
        assert client.get(url).status_code == 200

    make_searchable_records(make_records, 990)
    assert Event.objects.count() + Measure.objects.count() + Statement.objects.count() >= 1000
    url = url_for()
    with django_assert_max_num_queries(most_queries):
        assert client.get(url).status_code == 200
