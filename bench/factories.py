"""factory-boy factories: each makes a valid record by default, with unique slugs.

Used by the tests and by `manage.py seed_synthetic` (bench.synthetic).
factory-boy is a development dependency: nothing served imports this module.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

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


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Faker("sentence", nb_words=8)
    publisher = factory.Faker("random_element", elements=["AFP", "Reuters", "BBC", "Le Monde"])
    published_on = factory.Faker(
        "date_between", start_date=datetime.date(2014, 1, 1), end_date=datetime.date(2020, 12, 31)
    )
    url = factory.LazyAttribute(lambda source: f"https://news.example/{source.slug}")
    language = "en"


class ActorFactory(DjangoModelFactory):
    class Meta:
        model = Actor

    slug = factory.Sequence(lambda n: f"actor-{n}")
    name = factory.Faker("name")
    kind = Actor.Kind.PERSON
    country = "GB"
    description = factory.Faker("sentence")


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    slug = factory.Sequence(lambda n: f"role-{n}")
    actor = factory.SubFactory(ActorFactory)
    title = factory.Faker("job")
    start = datetime.date(2010, 1, 1)
    end = None


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = Place

    slug = factory.Sequence(lambda n: f"place-{n}")
    name = factory.Faker("city")
    country = "FR"


class DatedFactory(DjangoModelFactory):
    """Dated records: a day between 2015 and 2020 at day precision unless told otherwise."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    date = factory.Faker(
        "date_between", start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2020, 12, 31)
    )
    date_precision = DatePrecision.DAY

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if not create:
            return
        self.sources.set(extracted if extracted is not None else [SourceFactory()])


class EventFactory(DatedFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Faker("sentence", nb_words=6)
    summary = factory.Faker("paragraph")
    place = factory.SubFactory(PlaceFactory)


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    capacity = "announced"


class PassageFactory(DjangoModelFactory):
    class Meta:
        model = Passage

    slug = factory.Sequence(lambda n: f"passage-{n}")
    source = factory.SubFactory(SourceFactory)
    paragraph = factory.Sequence(lambda n: n % 20 + 1)
    text = factory.Faker("text", max_nb_chars=200)


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"indicator-{n}")
    name = "People camped in Calais"
    unit = "people"


class ObservationFactory(DatedFactory):
    class Meta:
        model = Observation

    slug = factory.Sequence(lambda n: f"observation-{n}")
    indicator = factory.SubFactory(IndicatorFactory)
    value = factory.Faker("random_int", min=10, max=5000)
    approximate = True
    event = factory.SubFactory(EventFactory)
    date = factory.LazyAttribute(lambda obs: obs.event.date)
    date_precision = factory.LazyAttribute(lambda obs: obs.event.date_precision)


class MeasureFactory(DatedFactory):
    class Meta:
        model = Measure

    slug = factory.Sequence(lambda n: f"measure-{n}")
    title = factory.Faker("sentence", nb_words=5)
    description = factory.Faker("paragraph")
    category = Measure.Category.POLICING
    # The current status, as a status change of the measure's date says (made after saving).
    status = Measure.Status.ANNOUNCED

    @factory.post_generation
    def status_history(self, create, extracted, **kwargs):
        if not create or not self.status:
            return
        MeasureStatus.objects.create(
            slug=f"{self.slug}-{self.status}",
            measure=self,
            status=self.status,
            date=self.date,
            date_precision=self.date_precision,
        )


class MeasureStatusFactory(DatedFactory):
    class Meta:
        model = MeasureStatus

    slug = factory.Sequence(lambda n: f"status-change-{n}")
    measure = factory.SubFactory(MeasureFactory, status="")
    status = Measure.Status.AGREED

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        pass  # a status change is cited through its measure and its passages


class MeasureLinkFactory(DjangoModelFactory):
    class Meta:
        model = MeasureLink

    slug = factory.Sequence(lambda n: f"measure-link-{n}")
    measure = factory.SubFactory(MeasureFactory)
    kind = MeasureLink.Kind.SUPPLEMENTS
    target = factory.SubFactory(MeasureFactory)


class StatementFactory(DatedFactory):
    class Meta:
        model = Statement

    slug = factory.Sequence(lambda n: f"statement-{n}")
    text = factory.Faker("paragraph")
    kind = Statement.Kind.QUOTATION
    speaker = factory.SubFactory(ActorFactory)
    speaker_role = None
