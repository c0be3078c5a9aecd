"""A small article's worth of evidence for the public pages' tests: passages, a measure with a
status history and a link to another, an indicator with observations, a planned event and
statements attributed as printed; many of them at once, for the query counts; and the entries
the timeline page shows, which every output carrying the timeline must hold too."""

import datetime
from decimal import Decimal

from django.urls import reverse

from timeline.models import (
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureLink,
    MeasureStatus,
    Observation,
    Passage,
    Place,
    Role,
    Source,
    Statement,
)


def make_evidence():
    """Create the records; return them by name."""
    source = Source.objects.create(
        slug="reuters-2018-01-19-sandhurst",
        title="UK and France sign Sandhurst treaty on Calais border",
        publisher="Reuters",
        published_on=datetime.date(2018, 1, 19),
        url="https://example.org/sandhurst",
        archived_url="https://web.archive.org/web/2018/https://example.org/sandhurst",
        retrieved_on=datetime.date(2018, 1, 20),
    )
    anonymous = Source.objects.create(
        slug="unsigned-2015-08-19",
        title="Migrants at the tunnel",
        publisher="",
        published_on=datetime.date(2015, 8, 19),
    )
    calais = Place.objects.create(slug="calais", name="Calais", country="FR")
    uk = Actor.objects.create(slug="uk-government", name="UK Government", kind="government-body")
    france = Actor.objects.create(
        slug="french-government", name="French Government", kind="government-body"
    )
    eurotunnel = Actor.objects.create(slug="eurotunnel", name="Eurotunnel", kind="company")
    may = Actor.objects.create(slug="theresa-may", name="Theresa May", kind="person")
    prime_minister = Role.objects.create(
        slug="theresa-may-prime-minister",
        actor=may,
        title="Prime Minister",
        organisation=uk,
        start=datetime.date(2016, 7, 13),
        end=datetime.date(2019, 7, 24),
    )

    def passage(slug, paragraph, text, of=source):
        return Passage.objects.create(slug=slug, source=of, paragraph=paragraph, text=text)

    signed = passage("sandhurst-signed", 1, "Britain and France signed a new treaty on Thursday.")
    adds = passage("sandhurst-adds", 2, "The treaty adds to the 2003 Le Touquet accord.")
    force = passage("sandhurst-in-force", 5, "It came into force on 1 February.")
    spokesperson = passage(
        "sandhurst-spokesperson", 3, "“This is a good deal,” a Downing Street spokesperson said."
    )
    joint = passage("sandhurst-joint", 4, "The two governments said they would work together.")
    attempts = passage(
        "tunnel-attempts", 2, "About 2,000 attempts a night at the end of July.", of=anonymous
    )
    fewer = passage("tunnel-fewer", 3, "Around 150 a night earlier this week.", of=anonymous)

    le_touquet = Measure.objects.create(
        slug="le-touquet",
        title="Le Touquet accord",
        category="legal",
        date=datetime.date(2003, 2, 4),
    )
    MeasureStatus.objects.create(
        slug="le-touquet-signed", measure=le_touquet, status="signed", date=le_touquet.date
    )
    sandhurst = Measure.objects.create(
        slug="sandhurst-treaty",
        title="Sandhurst treaty",
        category="legal",
        date=datetime.date(2018, 1, 18),
        place=calais,
        cost_amount=Decimal("44500000"),
        cost_currency="GBP",
        policy_area="border-control",
        direction="more-restrictive",
        target_group="irregular-migrants",
    )
    sandhurst.passages.add(signed)
    sandhurst.sources.add(source)
    sandhurst.responsible.add(uk, france)
    agreed = MeasureStatus.objects.create(
        slug="sandhurst-signed", measure=sandhurst, status="signed", date=sandhurst.date
    )
    agreed.passages.add(signed)
    in_force = MeasureStatus.objects.create(
        slug="sandhurst-in-force",
        measure=sandhurst,
        status="in-force",
        date=datetime.date(2018, 2, 1),
    )
    in_force.passages.add(force)
    link = MeasureLink.objects.create(
        slug="sandhurst-supplements-le-touquet",
        measure=sandhurst,
        kind="supplements",
        target=le_touquet,
    )
    link.passages.add(adds)

    summit = Event.objects.create(
        slug="sandhurst-summit",
        title="UK–France summit at Sandhurst",
        summary="May and Macron meet at the military academy.",
        date=datetime.date(2018, 1, 18),
        place=calais,
    )
    summit.sources.add(source)
    summit.passages.add(signed)
    meeting = Event.objects.create(
        slug="rudd-collomb-meeting",
        title="Rudd and Collomb to meet",
        date=datetime.date(2018, 2, 1),
        date_precision="month",
        status="planned",
        reviewed=False,
    )
    meeting.sources.add(source)

    quotation = Statement.objects.create(
        slug="downing-street-good-deal",
        text="This is a good deal.",
        kind="quotation",
        speaker=uk,
        attributed_as="a Downing Street spokesperson",
        date=datetime.date(2018, 1, 19),
        date_precision="by",
    )
    quotation.sources.add(source)
    quotation.passages.add(spokesperson)
    quotation.events.add(summit)
    by_may = Statement.objects.create(
        slug="may-treaty",
        text="We will go further.",
        kind="quotation",
        speaker=may,
        speaker_role=prime_minister,
        date=datetime.date(2018, 1, 18),
    )
    by_may.sources.add(source)
    by_may.passages.add(signed)
    together = Statement.objects.create(
        slug="two-governments-together",
        text="said they would work together",
        kind="reported",
        speaker=uk,
        date=datetime.date(2018, 1, 18),
    )
    together.joint_speakers.add(france)
    together.sources.add(source)
    together.passages.add(joint)
    unnamed = Statement.objects.create(
        slug="british-official",
        text="said the treaty was overdue",
        kind="reported",
        attributed_as="a British official",
        date=datetime.date(2018, 1, 19),
        date_precision="by",
        reviewed=False,
    )
    unnamed.sources.add(source)

    indicator = Indicator.objects.create(
        slug="tunnel-attempts-a-night",
        name="attempts to enter the Channel Tunnel a night",
        unit="attempts a night",
    )
    late_july = Observation.objects.create(
        slug="tunnel-attempts-late-july-2015",
        indicator=indicator,
        value=Decimal("2000"),
        approximate=True,
        as_printed="about 2,000",
        date=datetime.date(2015, 7, 21),
        date_precision="late-month",
        reported_by=eurotunnel,
    )
    late_july.sources.add(anonymous)
    late_july.passages.add(attempts)
    week = Observation.objects.create(
        slug="tunnel-attempts-week-of-17-august-2015",
        indicator=indicator,
        value=Decimal("150"),
        approximate=True,
        as_printed="around 150",
        date=datetime.date(2015, 8, 17),
        date_precision="week",
        reported_by=eurotunnel,
    )
    week.sources.add(anonymous)
    week.passages.add(fewer)
    ranged = Observation.objects.create(
        slug="tunnel-attempts-range",
        indicator=indicator,
        low=Decimal("300"),
        high=Decimal("500"),
        as_printed="several hundred",
        approximate=True,
        date=datetime.date(2015, 8, 19),
        date_precision="by",
    )
    ranged.sources.add(anonymous)
    exact = Observation.objects.create(
        slug="tunnel-attempts-exact",
        indicator=indicator,
        value=Decimal("1200"),
        date=datetime.date(2015, 8, 4),
        event=summit,
        reported_by=eurotunnel,
    )
    exact.sources.add(anonymous)
    return {
        "source": source,
        "anonymous": anonymous,
        "sandhurst": sandhurst,
        "le_touquet": le_touquet,
        "summit": summit,
        "meeting": meeting,
        "quotation": quotation,
        "by_may": by_may,
        "together": together,
        "unnamed": unnamed,
        "indicator": indicator,
        "signed": signed,
    }


def make_many_evidence(n):
    """About ``n`` of each evidence record: passages, observations of two indicators, status
    changes and links of measures, each citing two passages, bulk-created."""
    make_evidence()
    source = Source.objects.get(slug="reuters-2018-01-19-sandhurst")
    passages = Passage.objects.bulk_create(
        Passage(slug=f"bulk-passage-{i}", source=source, paragraph=i + 10, text="Words.")
        for i in range(n)
    )
    indicators = list(Indicator.objects.all()) + [
        Indicator.objects.create(slug="people-camped", name="People camped", unit="people")
    ]
    day = datetime.date(2016, 1, 1)
    observations = Observation.objects.bulk_create(
        Observation(slug=f"bulk-obs-{i}", indicator=indicators[i % 2], value=i, date=day)
        for i in range(n)
    )
    measures = list(Measure.objects.all())
    changes = MeasureStatus.objects.bulk_create(
        MeasureStatus(slug=f"bulk-status-{i}", measure=measures[i % 2], status="agreed", date=day)
        for i in range(n)
    )
    targets = Measure.objects.bulk_create(
        Measure(slug=f"bulk-measure-{i}", title="A measure", category="legal", date=day)
        for i in range(n)
    )
    links = MeasureLink.objects.bulk_create(
        MeasureLink(slug=f"bulk-link-{i}", measure=measures[0], kind="amends", target=target)
        for i, target in enumerate(targets)
    )
    for model, records, own in [
        (Observation, observations, "observation"),
        (MeasureStatus, changes, "measurestatus"),
        (MeasureLink, links, "measurelink"),
    ]:
        through = model.passages.through
        through.objects.bulk_create(
            through(**{own: record, "passage": passage})
            for record in records
            for passage in passages[:2]
        )
    Observation.sources.through.objects.bulk_create(
        Observation.sources.through(observation=o, source=source) for o in observations
    )


def timeline_page_entries(client, query=None):
    """(kind, slug) of every entry the timeline page shows for ``query``, page after page."""
    entries, number = [], 1
    while True:
        response = client.get(reverse("timeline:timeline"), {**(query or {}), "page": number})
        context = response.context_data
        entries += [(e.kind, e.record.slug) for group in context["groups"] for e in group.entries]
        if not context["page_obj"].has_next():
            return entries
        number += 1
