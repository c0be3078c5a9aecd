"""The data model: natural keys, dates with precision, and the rules models enforce."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

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
