"""Named reads on the models: date ranges that respect precision, and text search."""

import datetime

from tests.factories import ActorFactory, EventFactory, MeasureFactory, StatementFactory
from timeline.dates import DatePrecision
from timeline.models import Event, Measure, Participation, Statement

AUG_20 = datetime.date(2015, 8, 20)


def slugs(queryset):
    return set(queryset.values_list("slug", flat=True))


def test_in_range_keeps_records_whose_period_overlaps_the_range(db):
    EventFactory(slug="year", date=datetime.date(2015, 1, 1), date_precision=DatePrecision.YEAR)
    EventFactory(slug="month", date=datetime.date(2015, 8, 1), date_precision=DatePrecision.MONTH)
    EventFactory(
        slug="early", date=datetime.date(2015, 8, 1), date_precision=DatePrecision.EARLY_MONTH
    )
    EventFactory(slug="week", date=datetime.date(2015, 8, 17), date_precision=DatePrecision.WEEK)
    EventFactory(slug="day-before", date=datetime.date(2015, 8, 19))
    EventFactory(slug="day", date=AUG_20)
    EventFactory(
        slug="next-year", date=datetime.date(2016, 1, 1), date_precision=DatePrecision.YEAR
    )

    assert slugs(Event.objects.in_range(AUG_20, AUG_20)) == {"year", "month", "week", "day"}


def test_in_range_with_only_an_end_keeps_records_starting_by_then(db):
    EventFactory(slug="before", date=datetime.date(2015, 8, 19))
    EventFactory(slug="after", date=datetime.date(2015, 8, 21))

    assert slugs(Event.objects.in_range(end=AUG_20)) == {"before"}


def test_in_range_without_bounds_keeps_everything(db):
    EventFactory.create_batch(3)

    assert Event.objects.in_range().count() == 3


def test_search_is_case_insensitive_over_the_main_text(db):
    EventFactory(slug="by-title", title="Eurotunnel fences", summary="")
    EventFactory(slug="by-summary", title="Other", summary="New FENCES at the terminal")
    EventFactory(slug="unrelated", title="Unrelated", summary="Nothing here")

    assert slugs(Event.objects.search("fences")) == {"by-title", "by-summary"}


def test_statement_search_matches_the_speakers_name(db):
    StatementFactory(slug="said", speaker__name="Bernard Cazeneuve", text="Words.")
    StatementFactory(slug="other", speaker__name="Someone Else", text="Other words.")

    assert slugs(Statement.objects.search("cazeneuve")) == {"said"}


def test_chronological_puts_wider_periods_first_on_the_same_day(db):
    EventFactory(slug="a-day", date=datetime.date(2015, 1, 1))
    EventFactory(slug="b-year", date=datetime.date(2015, 1, 1), date_precision=DatePrecision.YEAR)

    assert list(Event.objects.chronological().values_list("slug", flat=True)) == ["b-year", "a-day"]


def test_measures_concerning_an_actor_are_theirs_or_of_an_event_they_took_part_in(db):
    actor = ActorFactory()
    summit, other_event = EventFactory(), EventFactory()
    Participation.objects.create(event=summit, actor=actor, capacity="signatory")
    MeasureFactory(slug="theirs").responsible.add(actor)
    MeasureFactory(slug="agreed-at-the-summit").events.add(summit)
    both = MeasureFactory(slug="both")
    both.responsible.add(actor)
    both.events.add(summit)
    MeasureFactory(slug="elsewhere").events.add(other_event)

    concerning = Measure.objects.concerning(actor)

    assert slugs(concerning) == {"theirs", "agreed-at-the-summit", "both"}
    assert concerning.count() == 3
    assert slugs(Measure.objects.for_actor(actor)) == slugs(concerning)
    how = {
        m.slug: (m.actor_responsible, m.actor_at_event) for m in Measure.objects.with_concern(actor)
    }
    assert how == {
        "theirs": (True, False),
        "agreed-at-the-summit": (False, True),
        "both": (True, True),
        "elsewhere": (False, False),
    }
