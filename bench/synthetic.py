"""Synthetic timelines for load tests and benchmarks: `manage.py seed_synthetic --events N`.

Records are built with the factory-boy factories (bench.factories) and written with
bulk_create, in plausible proportions: about one statement per event, one measure per ten events,
a few hundred actors, one source per twenty records, an observation (of one of three indicators)
for one event in five, a status change per measure, dates spread
over twenty years at mixed precisions (each stored as the first day of its period). The wording is
drawn from the Calais vocabulary rather than lorem ipsum, so text search has something real to find.

Deterministic for a seed: Faker and factory-boy are reseeded and every other choice comes from one
random.Random(seed), in a fixed order. Slugs start with ``synthetic-`` and never clash with an
article's; seeding twice into the same database is refused. bulk_create writes no history rows and
sends no signals, so the public page cache is invalidated explicitly once the seed commits.
"""

import datetime
import random
from dataclasses import dataclass, field

import factory.random
from django.db import transaction
from django.utils.text import slugify

from timeline import dates, measure_status, signals
from timeline.dates import DatePrecision
from timeline.models import (
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureStatus,
    Observation,
    Participation,
    Place,
    Role,
    Source,
    Statement,
)

from .factories import (
    ActorFactory,
    EventFactory,
    MeasureFactory,
    ObservationFactory,
    PlaceFactory,
    RoleFactory,
    SourceFactory,
    StatementFactory,
)

SLUG_PREFIX = "synthetic-"
FIRST_DAY = datetime.date(2005, 1, 1)
LAST_DAY = datetime.date(2024, 12, 31)
BATCH_SIZE = 2000

PRECISION_WEIGHTS = {
    DatePrecision.DAY: 60,
    DatePrecision.WEEK: 10,
    DatePrecision.EARLY_MONTH: 5,
    DatePrecision.MID_MONTH: 5,
    DatePrecision.LATE_MONTH: 5,
    DatePrecision.MONTH: 10,
    DatePrecision.YEAR: 5,
}

PLACES = [
    ("Calais", "FR"),
    ("Coquelles", "FR"),
    ("Dunkirk", "FR"),
    ("Grande-Synthe", "FR"),
    ("Boulogne-sur-Mer", "FR"),
    ("Ouistreham", "FR"),
    ("Cherbourg", "FR"),
    ("Sangatte", "FR"),
    ("Wimereux", "FR"),
    ("Paris", "FR"),
    ("Lille", "FR"),
    ("Dover", "GB"),
    ("Folkestone", "GB"),
    ("Ramsgate", "GB"),
    ("London", "GB"),
    ("Manston", "GB"),
    ("The Channel Tunnel", ""),
    ("The English Channel", ""),
]

ORGANISATIONS = [
    ("Home Office", "government-body", "GB"),
    ("French Interior Ministry", "government-body", "FR"),
    ("UK Border Force", "government-body", "GB"),
    ("Préfecture du Pas-de-Calais", "government-body", "FR"),
    ("Calais Town Council", "government-body", "FR"),
    ("Kent County Council", "government-body", "GB"),
    ("Home Affairs Committee", "government-body", "GB"),
    ("CRS riot police", "government-body", "FR"),
    ("Gendarmerie nationale", "government-body", "FR"),
    ("National Crime Agency", "government-body", "GB"),
    ("Eurotunnel", "company", "FR"),
    ("P&O Ferries", "company", "GB"),
    ("DFDS", "company", "DK"),
    ("Road Haulage Association", "organisation", "GB"),
    ("UNHCR", "organisation", ""),
    ("Médecins Sans Frontières", "organisation", ""),
    ("Care4Calais", "organisation", "GB"),
    ("L'Auberge des Migrants", "organisation", "FR"),
    ("Refugee Council", "organisation", "GB"),
    ("European Commission", "government-body", ""),
]

ROLE_TITLES = [
    "Home Secretary",
    "Immigration Minister",
    "Interior Minister",
    "Prime Minister",
    "Mayor of Calais",
    "Prefect of Pas-de-Calais",
    "Director General of Border Force",
    "Chair of the Home Affairs Committee",
    "Chief Executive of Eurotunnel",
    "Shadow Home Secretary",
]

SUBJECTS = [
    "fencing",
    "police deployment",
    "joint command centre",
    "freight searches",
    "patrol boats",
    "drone surveillance",
    "detection dogs",
    "night patrols",
    "border checks",
    "asylum processing",
    "camp clearance",
    "shelter provision",
    "returns agreement",
    "intelligence sharing",
    "funding package",
    "lorry park security",
]

EVENT_TITLES = [
    "{org} announces {subject} at {place}",
    "{org} deploys extra officers to {place}",
    "{count} migrants attempt to reach {place}",
    "{count} people cross the Channel in small boats",
    "{person} visits {place}",
    "{person} meets counterpart over {subject}",
    "UK and France agree new {subject}",
    "Camp near {place} cleared by police",
    "Channel Tunnel services disrupted near {place}",
    "{org} criticises conditions in {place}",
    "Ferry strike halts crossings at {place}",
    "{org} publishes report on {subject}",
]

EVENT_SENTENCES = [
    "{org} said the {subject} would be in place within weeks.",
    "Around {count} migrants were reported to be sleeping rough near {place}.",
    "{person} told reporters that cooperation with France had never been closer.",
    "Hauliers warned of delays of several hours on the approach to {place}.",
    "Police deployed tear gas after groups tried to board lorries near {place}.",
    "The agreement commits both governments to share the cost of {subject}.",
    "Charities said the {subject} would push people towards more dangerous routes.",
    "Officials confirmed that {count} attempts had been stopped overnight.",
    "The plans were first reported by the regional press in {place}.",
    "{org} declined to give details of the operation.",
]

STATEMENT_TEXTS = [
    "We are determined to stop the people smugglers who exploit desperate people at {place}.",
    "The {subject} is working: attempts are down and crossings are safer.",
    "This is a problem for Europe as a whole, not for {place} alone.",
    "We will not allow {place} to become a new Sangatte.",
    "The {subject} will be deployed within days, with officers on the ground in {place}.",
    "More fences will not solve a humanitarian crisis.",
    "Britain must take its share of responsibility for the people waiting in {place}.",
    "Our officers have intercepted {count} attempts this week alone.",
    "The situation at {place} is unacceptable and we are acting to end it.",
    "Cooperation between our two countries on {subject} has never been stronger.",
]

MEASURE_TITLES = [
    "{subject} at {place}",
    "Funding for {subject} in {place}",
    "Joint UK–France {subject}",
    "Extra {subject} on the approach to {place}",
    "{org} programme for {subject}",
]

REPORTED = [
    "events",
    "statements",
    "measures",
    "actors",
    "sources",
    "places",
    "roles",
    "observations",
    "measure status changes",
    "participations",
    "event sources",
    "measure events",
    "measure responsible",
    "measure sources",
    "statement measures",
    "statement sources",
]

CAPACITIES = ["announced", "visited", "signatory", "spoke", "criticised", "attended", "led"]
PUBLISHERS = ["AFP", "Reuters", "BBC", "Le Monde", "The Guardian", "La Voix du Nord", "Sky News"]


@dataclass
class SeedReport:
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    def lines(self):
        width = max(len(name) for name in self.counts)
        yield from (f"{name:<{width}}  {count:>9,}" for name, count in self.counts.items())


class SyntheticTimeline:
    """One seeding run. Call ``seed()``; the random choices are made in a fixed order."""

    def __init__(self, events, seed=0):
        if events < 1:
            raise ValueError(f"--events must be at least 1, not {events}.")
        self.event_count = events
        self.random = random.Random(seed)
        factory.random.reseed_random(seed)
        self.statement_count = events
        self.measure_count = max(1, events // 10)
        self.actor_count = min(300, max(len(ORGANISATIONS) + 5, events // 100))
        records = events + self.statement_count + self.measure_count
        self.source_count = max(1, -(-records // 20))
        self.report = SeedReport(counts=dict.fromkeys(REPORTED, 0))

    # Choices -------------------------------------------------------------------------------

    def pick_date(self):
        span = (LAST_DAY - FIRST_DAY).days
        day = FIRST_DAY + datetime.timedelta(days=self.random.randrange(span + 1))
        precision = self.random.choices(
            list(PRECISION_WEIGHTS), weights=list(PRECISION_WEIGHTS.values())
        )[0]
        return dates.expected_start(day, precision), precision

    def fill(self, template):
        return template.format(
            org=self.random.choice(self.organisation_names),
            person=self.random.choice(self.person_names),
            place=self.random.choice(PLACES)[0],
            subject=self.random.choice(SUBJECTS),
            count=self.random.randrange(20, 3000),
        )

    def sentence(self, template):
        text = self.fill(template)
        return text[0].upper() + text[1:]

    def some(self, items, low, high):
        return self.random.sample(items, min(len(items), self.random.randint(low, high)))

    # Seeding -------------------------------------------------------------------------------

    def seed(self):
        """Write the whole synthetic timeline in one transaction and return a SeedReport."""
        if Event.objects.filter(slug__startswith=SLUG_PREFIX).exists():
            raise ValueError(
                "This database already holds a synthetic timeline (slugs starting with "
                f"“{SLUG_PREFIX}”); seed an empty database instead."
            )
        with transaction.atomic():
            self.seed_places()
            self.seed_actors()
            self.seed_sources()
            self.seed_events()
            self.seed_measures()
            self.seed_statements()
            # bulk_create sends no post_save: the measures' current status is refreshed here.
            measure_status.refresh()
        transaction.on_commit(lambda: signals.records_written.send(sender=SyntheticTimeline))
        return self.report

    def count(self, name, number):
        self.report.counts[name] = self.report.counts.get(name, 0) + number

    def seed_places(self):
        places = [
            PlaceFactory.build(slug=f"{SLUG_PREFIX}{slugify(name)}", name=name, country=country)
            for name, country in PLACES
        ]
        self.places = Place.objects.bulk_create(places)
        self.count("places", len(places))

    def seed_actors(self):
        actors = [
            ActorFactory.build(
                slug=f"{SLUG_PREFIX}{slugify(name)}",
                name=name,
                kind=kind,
                country=country,
                description=f"{name}, as named in coverage of Calais and the Channel.",
            )
            for name, kind, country in ORGANISATIONS
        ]
        people = ActorFactory.build_batch(self.actor_count - len(actors))
        for number, person in enumerate(people):
            person.slug = f"{SLUG_PREFIX}{slugify(person.name)}-{number}"
            person.country = self.random.choice(["GB", "FR"])
        actors += people
        Actor.objects.bulk_create(actors)
        self.organisation_names = [actor.name for actor in actors[: len(ORGANISATIONS)]]
        self.person_names = [actor.name for actor in people]
        self.actors = actors
        self.actor_ids = [actor.pk for actor in actors]

        roles = []
        organisation_ids = self.actor_ids[: len(ORGANISATIONS)]
        for number, person in enumerate(people[: len(people) // 3]):
            start, _ = self.pick_date()
            end = start + datetime.timedelta(days=self.random.randrange(200, 3000))
            roles.append(
                RoleFactory.build(
                    slug=f"{SLUG_PREFIX}role-{number}",
                    actor=person,
                    title=self.random.choice(ROLE_TITLES),
                    organisation_id=self.random.choice(organisation_ids),
                    start=start,
                    end=end if end <= LAST_DAY else None,
                )
            )
        Role.objects.bulk_create(roles)
        self.roles_by_actor = {}
        for role in roles:
            self.roles_by_actor.setdefault(role.actor_id, []).append(role)
        self.count("actors", len(actors))
        self.count("roles", len(roles))

    def role_held(self, actor_id, day):
        for role in self.roles_by_actor.get(actor_id, ()):
            if role.held_on(day):
                return role
        return None

    def seed_sources(self):
        self.source_ids = []
        for first in range(0, self.source_count, BATCH_SIZE):
            sources = []
            for number in range(first, min(first + BATCH_SIZE, self.source_count)):
                published_on, _ = self.pick_date()
                publisher = self.random.choice(PUBLISHERS)
                title = self.sentence(self.random.choice(EVENT_TITLES))
                slug = f"{SLUG_PREFIX}{slugify(publisher)}-{published_on:%Y-%m-%d}-{number}"
                sources.append(
                    SourceFactory.build(
                        slug=slug,
                        title=title,
                        publisher=publisher,
                        published_on=published_on,
                        url=f"https://news.example/{slug}",
                        language="fr" if publisher in {"Le Monde", "La Voix du Nord"} else "en",
                    )
                )
            self.source_ids += [source.pk for source in Source.objects.bulk_create(sources)]
        self.count("sources", self.source_count)

    def cited_sources(self, through, owner_field, owner_ids):
        rows = [
            through(**{owner_field: owner_id, "source_id": source_id})
            for owner_id in owner_ids
            for source_id in self.some(self.source_ids, 1, 2)
        ]
        through.objects.bulk_create(rows)
        return len(rows)

    def seed_events(self):
        self.events = []  # (id, date, precision): what measures and statements refer to
        self.indicators = {
            name: Indicator.objects.create(
                slug=f"{SLUG_PREFIX}{slugify(name)}", name=name, unit=unit
            )
            for name, unit in [
                ("migrants camped nearby", "people"),
                ("crossing attempts", "attempts"),
                ("officers deployed", "officers"),
            ]
        }
        for first in range(0, self.event_count, BATCH_SIZE):
            batch = []
            for number in range(first, min(first + BATCH_SIZE, self.event_count)):
                day, precision = self.pick_date()
                title = self.sentence(self.random.choice(EVENT_TITLES))
                summary = " ".join(
                    self.sentence(template) for template in self.some(EVENT_SENTENCES, 2, 4)
                )
                batch.append(
                    EventFactory.build(
                        slug=f"{SLUG_PREFIX}{slugify(title)[:90]}-{number}",
                        title=title,
                        summary=summary,
                        date=day,
                        date_precision=precision,
                        place=self.random.choice(self.places),
                    )
                )
            Event.objects.bulk_create(batch)
            self.events += [(event.pk, event.date, event.date_precision) for event in batch]
            self.seed_event_relations(batch)
        self.count("events", self.event_count)

    def seed_event_relations(self, events):
        participations, observations = [], []
        for event in events:
            for actor_id in self.some(self.actor_ids, 1, 3):
                participations.append(
                    Participation(
                        event_id=event.pk,
                        actor_id=actor_id,
                        capacity=self.random.choice(CAPACITIES),
                        role=self.role_held(actor_id, event.date),
                    )
                )
            if self.random.random() < 0.2:
                indicator = self.indicators[
                    self.random.choice(
                        ["migrants camped nearby", "crossing attempts", "officers deployed"]
                    )
                ]
                value = self.random.randrange(10, 5000)
                # The unit figures were given: still drawn, so that a seed makes what it made.
                self.random.choice(["", "a night", "a week"])
                observations.append(
                    ObservationFactory.build(
                        slug=f"{event.slug[:105]}-observation",
                        indicator=indicator,
                        event=event,
                        value=value,
                        approximate=self.random.random() < 0.5,
                        date=event.date,
                        date_precision=event.date_precision,
                    )
                )
        Participation.objects.bulk_create(participations)
        Observation.objects.bulk_create(observations)
        cited = self.cited_sources(Event.sources.through, "event_id", [e.pk for e in events])
        # An observation cites a source of its event.
        event_sources = dict(
            Event.sources.through.objects.filter(
                event_id__in=[observation.event_id for observation in observations]
            ).values_list("event_id", "source_id")
        )
        Observation.sources.through.objects.bulk_create(
            Observation.sources.through(
                observation_id=observation.pk, source_id=event_sources[observation.event_id]
            )
            for observation in observations
            if observation.event_id in event_sources
        )
        self.count("participations", len(participations))
        self.count("observations", len(observations))
        self.count("event sources", cited)

    def seed_measures(self):
        measures, links = [], []
        for number in range(self.measure_count):
            event_id, day, precision = self.random.choice(self.events)
            title = self.sentence(self.random.choice(MEASURE_TITLES))
            measures.append(
                MeasureFactory.build(
                    slug=f"{SLUG_PREFIX}{slugify(title)[:90]}-{number}",
                    title=title,
                    description=" ".join(
                        self.sentence(template) for template in self.some(EVENT_SENTENCES, 1, 3)
                    ),
                    category=self.random.choice(Measure.Category.values),
                    status=self.random.choice(Measure.Status.values),
                    date=day,
                    date_precision=precision,
                )
            )
            links.append([event_id] + [self.random.choice(self.events)[0]] * (number % 3 == 0))
        Measure.objects.bulk_create(measures, batch_size=BATCH_SIZE)
        self.measure_ids = [measure.pk for measure in measures]
        MeasureStatus.objects.bulk_create(
            (
                MeasureStatus(
                    slug=f"{measure.slug[:100]}-{measure.status}",
                    measure=measure,
                    status=measure.status,
                    date=measure.date,
                    date_precision=measure.date_precision,
                )
                for measure in measures
            ),
            batch_size=BATCH_SIZE,
        )
        self.count("measure status changes", len(measures))
        Through = Measure.events.through
        event_rows = [
            Through(measure_id=measure.pk, event_id=event_id)
            for measure, event_ids in zip(measures, links, strict=True)
            for event_id in set(event_ids)
        ]
        Through.objects.bulk_create(event_rows, batch_size=BATCH_SIZE)
        Responsible = Measure.responsible.through
        responsible_rows = [
            Responsible(measure_id=measure.pk, actor_id=actor_id)
            for measure in measures
            for actor_id in self.some(self.actor_ids[: len(ORGANISATIONS)], 1, 2)
        ]
        Responsible.objects.bulk_create(responsible_rows, batch_size=BATCH_SIZE)
        cited = self.cited_sources(Measure.sources.through, "measure_id", self.measure_ids)
        self.count("measures", len(measures))
        self.count("measure events", len(event_rows))
        self.count("measure responsible", len(responsible_rows))
        self.count("measure sources", cited)

    def seed_statements(self):
        for first in range(0, self.statement_count, BATCH_SIZE):
            statements, event_links, measure_links = [], [], []
            for number in range(first, min(first + BATCH_SIZE, self.statement_count)):
                event_id, day, precision = self.random.choice(self.events)
                speaker = self.random.choice(self.actors)
                statements.append(
                    StatementFactory.build(
                        slug=f"{SLUG_PREFIX}statement-{number}",
                        text=self.sentence(self.random.choice(STATEMENT_TEXTS)),
                        kind=self.random.choice(Statement.Kind.values),
                        speaker=speaker,
                        speaker_role=self.role_held(speaker.pk, day),
                        date=day,
                        date_precision=precision,
                    )
                )
                event_links.append(event_id)
                measure_links.append(
                    self.random.choice(self.measure_ids) if self.random.random() < 0.1 else None
                )
            Statement.objects.bulk_create(statements)
            Statement.events.through.objects.bulk_create(
                Statement.events.through(statement_id=statement.pk, event_id=event_id)
                for statement, event_id in zip(statements, event_links, strict=True)
            )
            measure_rows = [
                Statement.measures.through(statement_id=statement.pk, measure_id=measure_id)
                for statement, measure_id in zip(statements, measure_links, strict=True)
                if measure_id is not None
            ]
            Statement.measures.through.objects.bulk_create(measure_rows)
            cited = self.cited_sources(
                Statement.sources.through, "statement_id", [s.pk for s in statements]
            )
            self.count("statements", len(statements))
            self.count("statement measures", len(measure_rows))
            self.count("statement sources", cited)


def seed(events, seed=0):
    """Fill the database with a synthetic timeline of ``events`` events; return a SeedReport."""
    return SyntheticTimeline(events, seed).seed()
