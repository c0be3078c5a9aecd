"""Dates are as precise as the source allows, and no more."""

import datetime

import pytest
from django.db import models

from bench.factories import EventFactory
from timeline import dates
from timeline.dates import DatePrecision
from timeline.models import Event

D = datetime.date


@pytest.mark.parametrize(
    ("day", "precision", "shown"),
    [
        (D(2015, 8, 20), DatePrecision.DAY, "20 August 2015"),
        (D(2015, 8, 17), DatePrecision.WEEK, "week of 17 August 2015"),
        (D(2015, 7, 1), DatePrecision.EARLY_MONTH, "early July 2015"),
        (D(2015, 7, 11), DatePrecision.MID_MONTH, "mid-July 2015"),
        (D(2015, 7, 21), DatePrecision.LATE_MONTH, "late July 2015"),
        (D(2015, 7, 1), DatePrecision.MONTH, "July 2015"),
        (D(2015, 1, 1), DatePrecision.YEAR, "2015"),
    ],
)
def test_display_claims_no_more_than_the_precision(day, precision, shown):
    assert dates.display(day, precision) == shown


@pytest.mark.parametrize(
    ("day", "precision", "machine"),
    [
        (D(2015, 8, 20), DatePrecision.DAY, "2015-08-20"),
        (D(2015, 8, 17), DatePrecision.WEEK, "2015-W34"),
        (D(2015, 7, 21), DatePrecision.LATE_MONTH, "2015-07"),
        (D(2015, 7, 1), DatePrecision.MONTH, "2015-07"),
        (D(2015, 1, 1), DatePrecision.YEAR, "2015"),
    ],
)
def test_machine_readable_date_is_a_valid_html_time_value(day, precision, machine):
    assert dates.machine_readable(day, precision) == machine


def test_week_starts_on_monday():
    """'Earlier this week' in Wednesday 19 August 2015's article is the week of Monday the 17th."""
    assert dates.period_start(D(2015, 8, 19), DatePrecision.WEEK) == D(2015, 8, 17)


@pytest.mark.parametrize(
    ("day", "precision", "start"),
    [
        (D(2015, 7, 31), DatePrecision.LATE_MONTH, D(2015, 7, 21)),
        (D(2015, 7, 15), DatePrecision.MID_MONTH, D(2015, 7, 11)),
        (D(2015, 7, 15), DatePrecision.MONTH, D(2015, 7, 1)),
        (D(2015, 8, 19), DatePrecision.YEAR, D(2015, 1, 1)),
    ],
)
def test_expected_start_is_the_first_day_of_the_period(day, precision, start):
    assert dates.expected_start(day, precision) == start
    assert dates.is_period_start(start, precision)


def test_a_late_month_date_must_start_on_the_21st():
    assert not dates.is_period_start(D(2015, 7, 11), DatePrecision.LATE_MONTH)


def test_display_names_every_month():
    shown = [dates.display(D(2015, month, 1), DatePrecision.MONTH) for month in range(1, 13)]

    assert shown == [
        f"{name} 2015"
        for name in [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
    ]


def test_stored_date_width_orders_every_precision_from_the_widest(db):
    for precision in dates.WIDTH_ORDER:
        # A Monday, first of its month and year: where a period of every precision may start.
        EventFactory(slug=precision, date_precision=precision, date=datetime.date(2018, 1, 1))

    ranked = Event.objects.order_by("date_width")

    assert list(ranked.values_list("slug", flat=True)) == list(dates.WIDTH_ORDER)
    assert len(set(ranked.values_list("date_width", flat=True))) == len(dates.WIDTH_ORDER)
    assert list(Event.objects.chronological().values_list("slug", flat=True)) == list(
        dates.WIDTH_ORDER
    )


def test_date_width_follows_a_changed_precision(db):
    """The database keeps date_width: an edit of the precision re-sorts the record at once."""
    event = EventFactory(date=datetime.date(2018, 1, 1), date_precision=DatePrecision.DAY)
    event.date_precision = DatePrecision.YEAR
    event.save()

    event.refresh_from_db()
    assert event.date_width == Event.objects.aggregate(widest=models.Min("date_width"))["widest"]
    assert event.date_width < EventFactory(date=datetime.date(2018, 1, 1)).date_width


def test_the_width_the_database_stores_is_the_width_a_filter_asks_for(db):
    for precision in dates.WIDTH_ORDER:
        EventFactory(slug=precision, date_precision=precision, date=datetime.date(2018, 1, 1))

    stored = dict(Event.objects.values_list("date_precision", "date_width"))

    assert stored == {precision: dates.width_of(precision) for precision in dates.WIDTH_ORDER}


def test_overlaps_decides_as_in_range_selects(db):
    """The summary decides in Python which records at a range's edges it counts: the same as
    the filter's SQL, for every precision on every day around a range's edges."""
    first = datetime.date(2015, 2, 20)
    for offset in range(45):
        day = first + datetime.timedelta(days=offset)
        for precision in DatePrecision:
            EventFactory(
                slug=f"{precision}-{offset}",
                date=dates.expected_start(day, precision),
                date_precision=precision,
            )
    records = list(Event.objects.values_list("slug", "date", "date_precision"))
    ranges = [(D(2015, 3, 4), None), (None, D(2015, 3, 4)), (D(2015, 3, 1), D(2015, 3, 16))]
    ranges += [(D(2015, 2, 28), D(2015, 3, 2)), (D(2015, 3, 9), D(2015, 3, 9))]
    for start, end in ranges:
        selected = set(Event.objects.in_range(start, end).values_list("slug", flat=True))
        decided = {
            slug for slug, day, precision in records if dates.overlaps(day, precision, start, end)
        }
        assert decided == selected, (start, end)
