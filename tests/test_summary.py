"""The month counts kept in the database (timeline.summary): the timeline's counts per month read
from them equal the counts from the records for every filter, and every kind of write keeps them
right."""

import datetime
import itertools
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIRST_ARTICLE
from tests.factories import (
    ActorFactory,
    EventFactory,
    MeasureFactory,
    MeasureStatusFactory,
    ObservationFactory,
    PlaceFactory,
    SourceFactory,
    StatementFactory,
)
from timeline import dates, importing, summary
from timeline.dates import DatePrecision
from timeline.models import (
    ENTRY_MODELS,
    Event,
    Measure,
    MeasureCategory,
    MonthCount,
    MonthCountsState,
)
from timeline.public.entries import Timeline
from timeline.public.filters import TimelineFilterForm
from timeline.signals import records_written

TIMELINE = reverse("timeline:timeline")
POLICING, FUNDING = MeasureCategory.POLICING, MeasureCategory.FUNDING

# Days next to month and year boundaries, where a period's start and its end fall either side
# of a range's first or last day.
EDGE_DAYS = [
    datetime.date(2014, 12, 29),
    datetime.date(2015, 2, 26),
    datetime.date(2015, 3, 4),
    datetime.date(2015, 3, 31),
    datetime.date(2015, 12, 31),
    datetime.date(2016, 2, 29),
]

ENTRY_KINDS = tuple(ENTRY_MODELS)

FILTERS = [
    {},
    {"kind": "event"},
    {"kind": "measure"},
    {"category": POLICING},
    {"kind": "statement", "category": FUNDING},
    {"start": "2015-03-04"},
    {"start": "2015-03-01"},
    {"end": "2015-03-04"},
    {"end": "2015-03-31"},
    {"start": "2015-02-28", "end": "2015-03-02"},
    {"start": "2015-03-04", "end": "2015-03-05"},
    {"start": "2014-12-31", "end": "2016-01-01"},
    {"start": "2015-01-01", "end": "2015-12-31"},
    {"start": "2015-03-04", "category": POLICING},
    {"start": "2015-01-02", "end": "2015-06-15", "kind": "event", "category": FUNDING},
    {"kind": "nonsense", "start": "not a date"},
]


def make_record(kind, day, precision, category=None):
    """An entry of ``kind`` over the period of ``precision`` holding ``day``; an event or a
    statement in ``category`` through a measure of it, a status change of a measure in it. A
    measure has a status change on its own date, which is not an entry."""
    date = dates.expected_start(day, precision)
    if kind == "measure":
        return MeasureFactory(date=date, date_precision=precision, category=category or POLICING)
    if kind == "status":
        measure = MeasureFactory(date=datetime.date(2010, 1, 1), category=category or POLICING)
        return MeasureStatusFactory(measure=measure, date=date, date_precision=precision)
    if kind == "observation":
        return ObservationFactory(event=None, date=date, date_precision=precision)
    factory = EventFactory if kind == "event" else StatementFactory
    record = factory(date=date, date_precision=precision)
    if category:
        measure = MeasureFactory(date=datetime.date(2010, 1, 1), category=category)
        record.measures.add(measure)
    return record


@pytest.fixture
def mixed_records(db):
    """Every kind at every precision on days next to month boundaries, some in categories."""
    categories = itertools.cycle([None, POLICING, FUNDING, None])
    for kind in ENTRY_KINDS:
        for day in EDGE_DAYS:
            for precision in DatePrecision.values:
                make_record(kind, day, precision, next(categories))
    # An event in two categories, and in one category through two measures.
    event = EventFactory(date=datetime.date(2015, 3, 2))
    event.measures.add(*(MeasureFactory(category=c) for c in (POLICING, FUNDING, FUNDING)))
    summary.refresh()


def both_ways(data):
    """(counts from the summary, counts from the records) of the timeline filtered by ``data``."""
    form = TimelineFilterForm(data)
    selection = form.summary_selection()
    assert selection is not None
    from_summary = Timeline(form.timeline_querysets(), summary=selection).counts()
    from_records = Timeline(form.timeline_querysets()).counts()
    return from_summary, from_records


def test_counts_from_the_summary_equal_counts_from_the_records(mixed_records):
    assert summary.stored_counts(summary.Selection(ENTRY_KINDS)) is not None
    for data in FILTERS:
        from_summary, from_records = both_ways(data)

        assert from_summary == from_records, data
        assert list(from_summary) == list(from_records), data  # both in chronological order


def test_ranges_with_edges_in_the_same_months_share_the_edge_rows_kept(
    mixed_records, django_assert_num_queries
):
    """The rows of a range's edge months are kept until the next write: another start day in
    the same month is counted without a query, and right."""
    for number, start in enumerate(["2015-03-04", "2015-03-01", "2015-03-31"]):
        for data in ({"start": start}, {"start": start, "category": POLICING}):
            form = TimelineFilterForm(data)
            kept = Timeline(
                form.timeline_querysets(),
                identity=form.identity(),
                summary=form.summary_selection(),
            )
            with django_assert_num_queries(2 if number == 0 else 0):
                counts = kept.counts()
            assert counts == Timeline(form.timeline_querysets()).counts(), data


@pytest.mark.parametrize("name", ["q", "actor", "source", "place"])
def test_a_search_an_actor_a_source_or_a_place_is_counted_from_the_records(db, name):
    ActorFactory(slug="someone")
    SourceFactory(slug="something")
    PlaceFactory(slug="somewhere")
    data = {"q": "police", "actor": "someone", "source": "something", "place": "somewhere"}

    assert TimelineFilterForm({name: data[name]}).summary_selection() is None


def test_a_places_timeline_counts_only_its_entries(db, client, settings):
    settings.CACHE_PUBLIC_PAGES = False
    calais = PlaceFactory(slug="calais")
    EventFactory(place=calais, date=datetime.date(2015, 8, 20))
    EventFactory.create_batch(3, date=datetime.date(2015, 8, 20))
    summary.refresh()

    response = client.get(TIMELINE, {"place": "calais"})

    assert response.context_data["page_obj"].paginator.count == 1
    bars = [bar for year in response.context_data["histogram"] for bar in year.bars if bar.count]
    assert [(bar.bucket, bar.count) for bar in bars] == [((2015, 8), 1)]


def test_a_stale_summary_is_not_read(db):
    """Until the refresh after a write's commit has run, the counts come from the records."""
    make_record("event", datetime.date(2015, 3, 10), DatePrecision.DAY)
    summary.refresh()
    make_record("event", datetime.date(2015, 3, 12), DatePrecision.DAY)

    assert summary.stored_counts(summary.Selection(("event",))) is None
    assert both_ways({"kind": "event"})[0] == {(2015, 3): 2}


def test_the_edge_windows_hold_a_week_before_the_start_month_and_the_end_month():
    start, end = datetime.date(2015, 3, 4), datetime.date(2015, 9, 1)
    assert summary.edge_windows(start, end) == [
        [datetime.date(2015, 2, 23), datetime.date(2015, 4, 1)],
        [datetime.date(2015, 9, 1), datetime.date(2015, 10, 1)],
    ]
    assert summary.edge_windows(start, datetime.date(2015, 4, 2)) == [
        [datetime.date(2015, 2, 23), datetime.date(2015, 5, 1)]
    ]
    assert summary.uncertain_months(summary.edge_windows(start, None)) == {
        summary.month_index(datetime.date(2015, 2, 1)),
        summary.month_index(start),
    }


bounded = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

records = st.lists(
    st.tuples(
        st.sampled_from(ENTRY_KINDS),
        st.dates(datetime.date(2014, 11, 1), datetime.date(2016, 2, 28)),
        st.sampled_from(DatePrecision.values),
        st.sampled_from([None, POLICING, FUNDING]),
    ),
    max_size=25,
)
days = st.one_of(st.none(), st.dates(datetime.date(2014, 10, 1), datetime.date(2016, 3, 31)))
filters = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["", "event", "measure", "statement"]),
        "category": st.sampled_from(["", POLICING, FUNDING]),
        "start": days,
        "end": days,
    }
)


@bounded
@given(records=records, data=filters)
def test_summary_counts_equal_record_counts_for_any_records_and_filter(db, records, data):
    data = {name: str(value) for name, value in data.items() if value}
    with transaction.atomic():
        for kind, day, precision, category in records:
            make_record(kind, day, precision, category)
        summary.refresh()
        from_summary, from_records = both_ways(data)
        assert from_summary == from_records
        transaction.set_rollback(True)


# Every kind of write keeps the summary right once it commits.


def stored(kind=None):
    """The summary's counts of ``kind`` (of every kind of entry when None), or None if stale."""
    by_kind = summary.stored_counts(summary.Selection((kind,) if kind else ENTRY_KINDS))
    return None if by_kind is None else summary.add_counts({}, *by_kind.values())


def test_a_commit_refreshes_the_summary(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(date=datetime.date(2016, 3, 5))

    assert stored("event") == {(2016, 3): 1}
    assert not MonthCountsState.objects.get().stale


def test_one_refresh_per_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for day in range(1, 6):
            EventFactory(date=datetime.date(2016, 3, day))

    assert len([c for c in callbacks if getattr(c, "func", None) is summary.refresh]) == 1


def test_an_admin_edit_delete_and_category_change_keep_the_summary_right(
    client, article, django_capture_on_commit_callbacks
):
    client.force_login(User.objects.create_superuser("editor", "e@example.com", "a-long-password"))
    event = Event.objects.get(slug="theresa-may-visits-calais")
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
    assert stored("event") == summary.count_months([Event.objects.all()])
    assert stored("event")[2016, 3] == 1

    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.get(slug="theresa-may-visits-calais").delete()
    assert (2016, 3) not in stored("event")

    measure = Measure.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        measure.category = FUNDING
        measure.save()
    form = TimelineFilterForm({"category": FUNDING})
    by_kind = summary.stored_counts(form.summary_selection())
    assert summary.add_counts({}, *by_kind.values()) == summary.count_months(
        form.timeline_querysets().values()
    )


def test_the_histogram_shows_an_import_and_a_delete(
    db, client, settings, django_capture_on_commit_callbacks
):
    settings.CACHE_PUBLIC_PAGES = False
    with django_capture_on_commit_callbacks(execute=True):
        report = importing.import_articles([importing.read_article_path(FIRST_ARTICLE)])
    assert report.changes_anything

    def histogram():
        response = client.get(TIMELINE)
        return {
            bar.bucket: bar.count
            for year in response.context_data["histogram"]
            for bar in year.bars
            if bar.count
        }

    def counted_from_the_records():
        # The timeline's every entry: the dated records, and the measures' status changes and
        # the indicators' observations that the article gives.
        form = TimelineFilterForm({})
        return summary.count_months(
            [*form.querysets().values(), *form.evidence_querysets().values()]
        )

    assert not MonthCountsState.objects.get().stale  # read from the summary
    before = histogram()
    assert before == counted_from_the_records()
    event = Event.objects.get(slug="theresa-may-visits-calais")
    month = (event.date.year, event.date.month)
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()
    after = histogram()
    assert after == counted_from_the_records()
    assert after[month] == before[month] - 1


def test_loading_a_fixture_fills_the_summary(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)

    assert stored() == summary.count_months(
        model.objects.entries() for model in ENTRY_MODELS.values()
    )
    assert stored("observation")  # the article's figures are counted with the records


def test_a_bulk_write_announced_by_records_written_refreshes_the_summary(db):

    events = EventFactory.build_batch(3, date=datetime.date(2017, 5, 2), place=None)
    Event.objects.bulk_create(events)
    records_written.send(sender=None)

    assert stored("event") == {(2017, 5): 3}


def test_migrate_fills_a_stale_summary(db):
    EventFactory(date=datetime.date(2017, 5, 2))
    MonthCount.objects.all().delete()
    MonthCountsState.objects.all().delete()

    call_command("migrate", verbosity=0)

    assert stored("event") == {(2017, 5): 1}


def counts_a_reader_gets():
    form = TimelineFilterForm({})
    return Timeline(form.timeline_querysets(), summary=form.summary_selection()).counts()


@pytest.fixture
def counts_when_pages_go_stale(monkeypatch):
    """What a reader's counts are at the moment the public pages are made stale: a page
    rendered under the new cache generation must not read counts that miss the write."""
    from timeline.public import caching

    seen = []
    invalidate = caching.invalidate_public_pages
    monkeypatch.setattr(
        caching,
        "invalidate_public_pages",
        lambda: seen.append(counts_a_reader_gets()) or invalidate(),
    )
    return seen


def test_pages_made_stale_after_a_save_never_read_old_counts(
    db, counts_when_pages_go_stale, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(date=datetime.date(2016, 3, 5))

    assert counts_when_pages_go_stale
    assert all(counts == {(2016, 3): 1} for counts in counts_when_pages_go_stale)


def test_pages_made_stale_after_a_bulk_write_never_read_old_counts(db, counts_when_pages_go_stale):

    events = EventFactory.build_batch(2, date=datetime.date(2017, 5, 2), place=None)
    Event.objects.bulk_create(events)
    records_written.send(sender=None)

    assert counts_when_pages_go_stale == [{(2017, 5): 2}]


def shown_total(response):
    """The "N records" a table page says it holds."""
    found = re.search(r'<p class="result-count">(\d+) records?</p>', response.content.decode())
    return int(found[1])


TABLE_RANGES = [
    {},
    {"start": "2015-03-04"},
    {"start": "2015-03-01"},
    {"end": "2015-03-31"},
    {"start": "2015-02-28", "end": "2015-03-02"},
    {"start": "2014-12-31", "end": "2016-01-01"},
    {"start": "2015-03-04", "end": "2015-03-01"},  # reversed: filters by neither date
]


@pytest.mark.parametrize("kind", ["event", "measure", "statement"])
def test_a_tables_total_for_a_date_range_is_its_number_of_records(mixed_records, client, kind):
    """The events, measures and statements tables take a date range's total from the month
    counts kept in the database: it must be the number of rows the range selects."""
    model = ENTRY_MODELS[kind]
    url = reverse(f"timeline:{kind}-list")
    for data in TABLE_RANGES:
        expected = model.objects.all()
        if data.get("start") and data.get("end", "9999") >= data["start"]:
            expected = expected.in_range(start=datetime.date.fromisoformat(data["start"]))
        if data.get("end") and data.get("start", "0000") <= data["end"]:
            expected = expected.in_range(end=datetime.date.fromisoformat(data["end"]))

        assert shown_total(client.get(url, data)) == expected.count(), data


def test_a_table_filtered_by_more_than_dates_is_counted_from_its_records(mixed_records, client):
    """A filter the month counts do not know (a search) is counted from the matching rows."""
    response = client.get(reverse("timeline:event-list"), {"q": "zzzz-no-such-words"})

    assert shown_total(response) == 0
