"""The data model: natural keys, dates with precision, and the rules models enforce."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DataError, IntegrityError, transaction

from timeline.dates import DatePrecision
from timeline.models import (
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureLink,
    MeasureStatus,
    Observation,
    Participation,
    Passage,
    Place,
    Role,
    Source,
    Statement,
)

from .conftest import FIRST_ARTICLE
from .factories import (
    ActorFactory,
    EventFactory,
    IndicatorFactory,
    MeasureFactory,
    MeasureLinkFactory,
    MeasureStatusFactory,
    ObservationFactory,
    ParticipationFactory,
    PassageFactory,
    PlaceFactory,
    RoleFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date

SLUGGED = [
    (Source, SourceFactory),
    (Actor, ActorFactory),
    (Role, RoleFactory),
    (Place, PlaceFactory),
    (Event, EventFactory),
    (Measure, MeasureFactory),
    (Statement, StatementFactory),
    (Passage, PassageFactory),
    (MeasureStatus, MeasureStatusFactory),
    (MeasureLink, MeasureLinkFactory),
    (Indicator, IndicatorFactory),
    (Observation, ObservationFactory),
]


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_natural_key_round_trips(model, factory):
    record = factory()
    assert model.objects.get_by_natural_key(*record.natural_key()) == record


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_factories_make_valid_records(model, factory):
    factory().full_clean()


def test_participation_natural_key_is_event_and_actor():
    participation = ParticipationFactory()
    assert participation.natural_key() == (participation.event.slug, participation.actor.slug)
    assert Participation.objects.get_by_natural_key(*participation.natural_key()) == participation


@pytest.mark.parametrize(
    ("factory", "name"),
    [
        (SourceFactory, "timeline:source-detail"),
        (ActorFactory, "timeline:actor-detail"),
        (EventFactory, "timeline:event-detail"),
        (MeasureFactory, "timeline:measure-detail"),
        (StatementFactory, "timeline:statement-detail"),
    ],
)
def test_absolute_url_is_the_detail_page_by_slug(factory, name):
    record = factory()
    assert record.get_absolute_url().rstrip("/").endswith(f"/{record.slug}")


@pytest.mark.parametrize(("model", "factory"), SLUGGED)
def test_slug_is_unique(model, factory):
    record = factory()
    with pytest.raises(ValidationError) as raised:
        factory.build(slug=record.slug).validate_unique()
    assert "slug" in raised.value.message_dict


def test_dated_records_sort_by_date():
    late = EventFactory(date=D(2015, 8, 20))
    year = EventFactory(date=D(2015, 1, 1), date_precision=DatePrecision.YEAR)
    july = EventFactory(date=D(2015, 7, 21), date_precision=DatePrecision.LATE_MONTH)
    assert list(Event.objects.all()) == [year, july, late]


def test_date_display_and_machine_value_follow_the_precision():
    event = EventFactory(date=D(2015, 7, 21), date_precision=DatePrecision.LATE_MONTH)
    assert event.date_display == "late July 2015"
    assert event.date_machine == "2015-07"


def test_a_date_not_at_the_start_of_its_period_is_refused_with_the_right_date():
    event = EventFactory.build(date=D(2015, 8, 19), date_precision=DatePrecision.WEEK)
    with pytest.raises(ValidationError) as raised:
        event.clean()
    assert "2015-08-17" in raised.value.message_dict["date"][0]


def test_the_database_refuses_an_unknown_precision():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(date_precision="fortnight")


def test_the_database_refuses_an_unknown_measure_status():
    change = MeasureStatusFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureStatus.objects.filter(pk=change.pk).update(status="rumoured")
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=change.measure_id).update(status="rumoured")


def test_the_database_refuses_a_role_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(start=D(2016, 1, 1), end=D(2015, 1, 1))


def test_an_actor_takes_part_in_an_event_once():
    participation = ParticipationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(event=participation.event, actor=participation.actor)


def test_a_statement_speaker_role_must_be_the_speakers_own():
    someone_elses_role = RoleFactory()
    statement = StatementFactory(speaker_role=None)
    statement.speaker_role = someone_elses_role
    with pytest.raises(ValidationError) as raised:
        statement.clean()
    assert "speaker_role" in raised.value.message_dict


def test_a_statement_speaker_role_must_be_held_when_speaking():
    """Theresa May spoke as Home Secretary in 2015, not as Prime Minister (from 2016)."""
    may = ActorFactory(name="Theresa May")
    prime_minister = RoleFactory(actor=may, title="Prime Minister", start=D(2016, 7, 13))
    statement = StatementFactory.build(
        speaker=may, speaker_role=prime_minister, date=D(2015, 8, 20)
    )
    with pytest.raises(ValidationError) as raised:
        statement.clean()
    assert "was not held on 20 August 2015" in raised.value.message_dict["speaker_role"][0]


def test_a_participation_role_must_be_the_actors_own():
    participation = ParticipationFactory.build(role=RoleFactory())
    participation.event = EventFactory()
    participation.actor = ActorFactory()
    with pytest.raises(ValidationError) as raised:
        participation.clean()
    assert "role" in raised.value.message_dict


def test_an_observation_reads_as_a_sentence():
    indicator = IndicatorFactory.build(
        name="Attempts to enter the Channel Tunnel a night", unit="attempts a night"
    )
    observation = ObservationFactory.build(
        indicator=indicator,
        value=150,
        approximate=True,
        event=None,
        date=D(2015, 8, 17),
        date_precision=DatePrecision.WEEK,
    )
    assert str(observation) == (
        "Attempts to enter the Channel Tunnel a night: about 150 attempts a night "
        "(week of 17 August 2015)"
    )
    observation.as_printed = "around 150"
    assert str(observation).startswith("Attempts to enter the Channel Tunnel a night: around 150 ")


def test_every_dated_record_links_to_its_sources():
    source = SourceFactory()
    event = EventFactory(sources=[source])
    assert list(source.events.all()) == [event]


def test_a_participation_role_must_be_held_at_the_events_date():
    """Theresa May was Prime Minister, not Home Secretary, at a signing in January 2018."""
    may = ActorFactory(name="Theresa May")
    home_secretary = RoleFactory(
        actor=may, title="Home Secretary", start=D(2010, 5, 12), end=D(2016, 7, 13)
    )
    participation = ParticipationFactory.build(actor=may, role=home_secretary)
    participation.event = EventFactory(date=D(2018, 1, 18))
    with pytest.raises(ValidationError) as raised:
        participation.clean()
    assert raised.value.message_dict["role"] == [
        "Theresa May, Home Secretary was not held on 18 January 2018, the event's date; "
        "held from 12 May 2010 to 13 July 2016."
    ]


# Evidence: passages, status histories, links, observations, attribution -------------------------


def test_the_database_refuses_a_passage_over_300_characters():
    passage = PassageFactory()
    # SQLite by the check constraint, PostgreSQL by the column's length already.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        Passage.objects.filter(pk=passage.pk).update(text="x" * 301)


def test_a_passage_over_300_characters_fails_validation_with_a_way_out():
    passage = PassageFactory.build(text="x" * 301, source=SourceFactory())
    with pytest.raises(ValidationError) as raised:
        passage.full_clean()
    assert raised.value.message_dict["text"] == [
        "A passage is at most 300 characters, not 301: cite a shorter excerpt, or two."
    ]


def test_the_database_refuses_a_paragraph_before_the_first():
    passage = PassageFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Passage.objects.filter(pk=passage.pk).update(paragraph=0)


def test_a_measures_current_status_is_its_latest_status_change():
    measure = MeasureFactory(status="", date=D(2015, 8, 20))
    assert Measure.objects.get(pk=measure.pk).status == ""
    MeasureStatusFactory(measure=measure, status="announced", date=D(2015, 8, 20))
    in_force = MeasureStatusFactory(
        measure=measure, status="in-force", date=D(2016, 1, 1), date_precision="month"
    )
    assert Measure.objects.get(pk=measure.pk).status == "in-force"
    in_force.delete()
    assert Measure.objects.get(pk=measure.pk).status == "announced"


def entries_of(measure):
    return set(measure.status_changes.entries().values_list("status", flat=True))


def test_a_status_change_dated_as_its_measure_is_no_entry_of_its_own():
    """The measure's entry shows the status it was announced with; a later change, or one
    known only "by" that day, is an entry of its own. Moving either date keeps that true."""
    measure = MeasureFactory(status="", date=D(2015, 8, 20))
    announced = MeasureStatusFactory(measure=measure, status="announced", date=D(2015, 8, 20))
    MeasureStatusFactory(measure=measure, status="signed", date=D(2015, 8, 20), date_precision="by")
    in_force = MeasureStatusFactory(measure=measure, status="in-force", date=D(2016, 1, 4))
    assert entries_of(measure) == {"signed", "in-force"}

    measure.date = D(2015, 8, 19)
    measure.save()
    assert entries_of(measure) == {"announced", "signed", "in-force"}

    in_force.date = D(2015, 8, 19)
    in_force.save()
    assert entries_of(measure) == {"announced", "signed"}

    announced.date_precision = "month"
    announced.save()
    assert entries_of(measure) == {"announced", "signed"}


def test_loaded_status_changes_know_whether_they_have_an_entry(db):
    """loaddata saves raw, without the model's save(): the flag is set all the same."""
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)

    changes = MeasureStatus.objects.select_related("measure")
    assert changes.exists()
    for change in changes:
        dated_as_measure = (change.date, change.date_precision) == (
            change.measure.date,
            change.measure.date_precision,
        )
        assert change.has_entry is not dated_as_measure, change.slug


def test_status_as_of_a_date_is_what_was_true_that_day():
    """On 20 August 2015 the command centre was announced, not yet in force."""
    measure = MeasureFactory(status="", date=D(2015, 8, 20))
    MeasureStatusFactory(measure=measure, status="announced", date=D(2015, 8, 20))
    MeasureStatusFactory(measure=measure, status="in-force", date=D(2015, 11, 2))
    assert measure.status_on(D(2015, 8, 19)) == ""
    assert measure.status_on(D(2015, 8, 20)) == "announced"
    assert measure.status_on(D(2015, 11, 1)) == "announced"
    assert measure.status_on(D(2016, 1, 1)) == "in-force"
    on_new_year = Measure.objects.with_status_on(D(2016, 1, 1)).get(pk=measure.pk)
    assert on_new_year.status_then == "in-force"
    assert list(Measure.objects.in_status_on("announced", D(2015, 9, 1))) == [measure]
    assert not Measure.objects.in_status_on("in-force", D(2015, 9, 1)).exists()


def test_of_two_changes_on_one_day_the_one_known_only_by_that_day_is_the_later():
    measure = MeasureFactory(status="", date=D(2015, 8, 20))
    MeasureStatusFactory(measure=measure, status="signed", date=D(2015, 8, 20), slug="b")
    MeasureStatusFactory(
        measure=measure, status="in-force", date=D(2015, 8, 20), date_precision="by", slug="a"
    )
    assert Measure.objects.get(pk=measure.pk).status == "in-force"


def test_measure_links_are_seen_from_both_measures():
    """The Sandhurst treaty supplements the Le Touquet accord, and Le Touquet shows it."""
    le_touquet = MeasureFactory(title="Le Touquet accord")
    sandhurst = MeasureFactory(title="Sandhurst treaty")
    link = MeasureLinkFactory(measure=sandhurst, kind="supplements", target=le_touquet)
    assert list(sandhurst.links.all()) == [link]
    assert list(le_touquet.linked_from.all()) == [link]
    assert str(link) == "Sandhurst treaty supplements Le Touquet accord"


def test_a_measure_cannot_link_to_itself():
    measure = MeasureFactory()
    link = MeasureLinkFactory.build(measure=measure, target=measure)
    with pytest.raises(ValidationError):
        link.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        link.save()


def test_a_measure_links_to_another_once_for_each_kind():
    link = MeasureLinkFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureLinkFactory(measure=link.measure, kind=link.kind, target=link.target)


def test_the_database_refuses_a_statement_with_neither_speaker_nor_attribution():
    with pytest.raises(IntegrityError), transaction.atomic():
        StatementFactory(speaker=None, attributed_as="")


def test_a_statement_without_a_speaker_reads_as_its_attribution_as_printed():
    statement = StatementFactory(
        speaker=None, attributed_as="a Downing Street spokesperson", text="We will act."
    )
    statement.full_clean()
    assert str(statement) == "a Downing Street spokesperson: We will act."
    statement.attributed_as = ""
    with pytest.raises(ValidationError) as raised:
        statement.full_clean()
    assert "Without a speaker, say who as printed" in str(raised.value)


def test_a_joint_statement_is_seen_from_every_speaker():
    uk, france = ActorFactory(), ActorFactory()
    statement = StatementFactory(speaker=uk, attributed_as="the two governments")
    statement.joint_speakers.set([france])
    assert list(france.joint_statements.all()) == [statement]


def test_the_database_refuses_an_observation_without_a_value_or_a_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(value=None, low=100, high=None)


def test_the_database_refuses_a_range_that_ends_below_its_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationFactory(value=None, low=200, high=100)


def test_an_observation_range_reads_as_a_range():
    observation = ObservationFactory(value=None, low=100, high=200, approximate=False)
    assert observation.amount_display == "100–200"


def test_observations_of_one_indicator_line_up_across_articles():
    indicator = IndicatorFactory()
    first = ObservationFactory(indicator=indicator, date=D(2015, 7, 21), sources=[SourceFactory()])
    later = ObservationFactory(indicator=indicator, date=D(2016, 10, 1), sources=[SourceFactory()])
    assert list(indicator.observations.chronological()) == [first, later]


def test_the_database_refuses_a_currency_without_a_cost():
    measure = MeasureFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(cost_currency="GBP")


def test_a_cost_currency_is_an_iso_code():
    measure = MeasureFactory(cost_amount="44.5", cost_currency="gbp")
    with pytest.raises(ValidationError) as raised:
        measure.full_clean()
    assert "cost_currency" in raised.value.message_dict


def test_the_database_refuses_an_unknown_event_status_and_policy_coding():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(status="rumoured")
    measure = MeasureFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=measure.pk).update(direction="sideways")


def test_a_record_dated_by_a_day_comes_after_that_days_records():
    by = EventFactory(date=D(2015, 8, 19), date_precision="by", slug="a-by")
    day = EventFactory(date=D(2015, 8, 19), slug="z-day")
    week = EventFactory(date=D(2015, 8, 17), date_precision="week", slug="m-week")
    assert list(Event.objects.chronological()) == [week, day, by]
    assert by.date_display == "by 19 August 2015"
    assert list(Event.objects.in_range(D(2015, 8, 19), D(2015, 8, 19)).chronological()) == [
        week,
        day,
        by,
    ]
    assert not Event.objects.filter(pk=by.pk).in_range(D(2015, 8, 20)).exists()


def test_a_role_that_ended_in_a_year_may_have_been_held_on_any_day_of_it():
    role = RoleFactory(start=D(2010, 1, 1), end=D(2016, 1, 1), end_precision="year")
    assert role.held_on(D(2016, 10, 5))
    assert not role.held_on(D(2017, 1, 1))
    assert role.term_display == "held from 1 January 2010 to 2016"


def test_a_role_date_must_start_its_period():
    role = RoleFactory.build(start=D(2016, 7, 13), start_precision="month")
    with pytest.raises(ValidationError) as raised:
        role.clean()
    assert "2016-07-01" in raised.value.message_dict["start"][0]


def test_a_source_may_have_no_publisher():
    source = SourceFactory(publisher="")
    source.full_clean()
    assert str(source).startswith("publisher unknown, ")


def test_reverting_a_measure_from_its_history_keeps_its_current_status():
    measure = MeasureFactory(status="", title="Before")
    MeasureStatusFactory(measure=measure, status="agreed", date=measure.date)
    measure.refresh_from_db()
    measure.title = "After"
    measure.save()
    measure.history.filter(title="Before").latest().instance.save()
    measure.refresh_from_db()
    assert (measure.title, measure.status) == ("Before", "agreed")
