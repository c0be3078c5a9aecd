"""What a timeline entry shows of its record, read as rows rather than model instances.

A timeline page shows fifty records of up to three kinds. Model instances with their place,
speaker and role (``select_related()``) cost much more to build than ``values_list()`` rows of
the fields an entry shows (docs/performance.md). The rows become small objects that the entries
macro reads much as it would read the models (``title``, ``summary``, ``date_display``,
``place.name``, ``speaker.url``...), with their choices' labels spelt out. timeline.public.links
then gives each its ``url``, ``actor_links`` and ``source_links``.

A record's own page, the tables and the downloads still read model instances.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import BooleanField, CharField, DecimalField, F, OuterRef, Subquery, Value

from timeline.dates import DisplayedDate
from timeline.models import (
    Measure,
    MeasureStatus,
    Observation,
    Statement,
    StatementKind,
    place_url,
    url_maker,
)

from . import charts


class PlaceLink(NamedTuple):
    url: str
    name: str


class SpeakerLink(NamedTuple):
    url: str
    name: str
    role: str  # the title of the role they spoke in, or ""


@dataclass(slots=True)
class EntryRow(DisplayedDate):
    pk: int
    slug: str
    date: datetime.date
    date_precision: str
    reviewed: bool = True
    url: str = ""
    actor_links: list = field(default_factory=list)
    source_links: list = field(default_factory=list)


@dataclass(slots=True)
class EventRow(EntryRow):
    title: str = ""
    summary: str = ""
    place: PlaceLink | None = None
    status: str = "happened"  # EventStatus's value: happened, planned, expected, cancelled


@dataclass(slots=True)
class MeasureRow(EntryRow):
    title: str = ""
    description: str = ""
    category: str = ""  # the category's label, as get_category_display() gives it
    status: str = ""  # the label of its status as of its own date, "" if none was known then
    concern: tuple = ()  # on an actor's timeline: how the measure concerns them (CONCERN_LABELS)


@dataclass(slots=True)
class StatementRow(EntryRow):
    text: str = ""
    kind: str = ""  # StatementKind's value: quotation or reported
    kind_label: str = ""
    speaker: SpeakerLink | None = None
    attributed_as: str = ""  # the attribution as printed: "a Downing Street spokesperson"

    @property
    def who(self):
        """Who said it, as printed: "a Downing Street spokesperson (UK Government)"."""
        return attribution_text(self.speaker.name if self.speaker else "", self.attributed_as)

    @property
    def who_with_role(self):
        role = self.speaker.role if self.speaker else ""
        return f"{self.who}, {role}" if role else self.who

    @property
    def quoted(self):
        return self.kind == StatementKind.QUOTATION

    def said(self, most_characters=None, with_role=False):
        """Who said what, in plain text: "Keith Vaz: “We need …”" for a quotation, reported
        speech as reported ("Keith Vaz welcomed the agreement"), never in quotation marks."""
        who = self.who_with_role if with_role else self.who
        text = self.text
        if most_characters and len(text) > most_characters:
            text = text[: most_characters - 1] + "…"
        return f"{who}: “{text}”" if self.quoted else reported(who, text)

    @property
    def words(self):
        """The text alone: in quotation marks only if it is a verbatim quotation."""
        return f"“{self.text}”" if self.quoted else self.text


# Reported speech often opens on the verb it reports ("Welcomed the agreement, but warned..."):
# after the speaker's name it reads as a sentence once that verb loses its capital.
REPORTING_VERBS = {"said", "told", "spoke", "wrote", "gave", "made", "took", "sought", "thought"}


def reported(speaker, text):
    """Reported speech after its speaker, never in quotation marks: "Keith Vaz welcomed the
    agreement, but warned ..."; a text that is a sentence of its own follows a colon."""
    text = text.strip()
    first = text.split(maxsplit=1)[0] if text else ""
    word = first.lower().strip(",;:")
    if word.endswith("ed") or word in REPORTING_VERBS:
        return f"{speaker} {text[0].lower()}{text[1:]}"
    return f"{speaker}: {text}"


# Attributions as printed that say no more than the speaker's name does.
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}


def adds_to_name(speaker_name, attributed_as):
    """Whether the attribution as printed tells the reader something the linked actor's name
    does not: "a Downing Street spokesperson" for the UK Government does, "he" does not, nor
    "Keith Vaz, who chairs ..." beside Keith Vaz (the statement's page shows it in full)."""
    words = attributed_as.strip().lower()
    if not words or words in PRONOUNS:
        return False
    return not speaker_name or speaker_name.lower() not in words


def attribution_text(speaker_name, attributed_as):
    """A statement's attribution in plain text: the words as printed with the actor they name
    in brackets, the actor alone, or the words alone when the source names no one."""
    if speaker_name and adds_to_name(speaker_name, attributed_as):
        return f"{attributed_as} ({speaker_name})"
    return speaker_name or attributed_as


def who(statement):
    """``attribution_text`` of a statement, a model instance or a row."""
    return attribution_text(
        statement.speaker.name if statement.speaker else "", statement.attributed_as
    )


def event_heading(record):
    """An event's title, saying so when it had not happened: "Planned: Rudd and Collomb meet"."""
    if record.status and record.status != "happened":
        return f"{record.status.capitalize()}: {record.title}"
    return record.title


@dataclass(slots=True)
class StatusRow(EntryRow):
    """A change of a measure's status, an entry of its own linked to the measure."""

    status: str = ""  # the status's label
    measure_title: str = ""
    status_value: str = ""  # MeasureStatusChoices's value: "in-force"
    measure_slug: str = ""

    @property
    def heading(self):
        return f"{self.measure_title}: {self.status}"

    @property
    def text(self):
        return f"The measure’s status: {self.status}."


@dataclass(slots=True)
class ObservationRow(EntryRow):
    """A reported value of an indicator at the date it holds for, linked to the indicator."""

    indicator_name: str = ""
    unit: str = ""
    value_text: str = ""  # "about 2,000", "300–500"
    as_printed: str = ""
    reported_by: PlaceLink | None = None  # a link (url, name) to the actor who gave it
    indicator_slug: str = ""
    reported_by_slug: str = ""
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    approximate: bool = False

    @property
    def heading(self):
        """As the timeline page heads it: "Attempts to enter the tunnel a night: about 2,000"."""
        unit = f" {self.unit}" if self.unit and self.unit not in self.indicator_name else ""
        name = self.indicator_name[:1].upper() + self.indicator_name[1:]
        return f"{name}: {self.as_printed or self.value_text}{unit}"

    @property
    def text(self):
        unit = f" {self.unit}" if self.unit else ""
        reported = f", reported by {self.reported_by.name}" if self.reported_by else ""
        return f"{self.value_text}{unit}{reported}."


COMMON = ("pk", "slug", "date", "date_precision", "reviewed")
CATEGORY_LABELS = dict(Measure.Category.choices)
STATUS_LABELS = dict(Measure.Status.choices)
STATEMENT_KIND_LABELS = dict(Statement.Kind.choices)


def _events(queryset):
    rows = queryset.values_list(*COMMON, "title", "summary", "place__slug", "place__name", "status")
    for pk, slug, day, precision, reviewed, title, summary, place_slug, place_name, status in rows:
        place = PlaceLink(place_url(place_slug), place_name) if place_slug else None
        yield EventRow(
            pk,
            slug,
            day,
            precision,
            reviewed,
            title=title,
            summary=summary,
            place=place,
            status=status,
        )


def status_then():
    """A measure's status as of its own date: its latest status change dated by then. The
    timeline shows what was true on the entry's date, not what became true later."""
    changes = MeasureStatus.objects.filter(
        measure=OuterRef("pk"), date__lte=OuterRef("date")
    ).order_by("-date", "-date_width", "-slug")
    return Subquery(changes.values("status")[:1])


# How a measure on an actor's timeline concerns them (MeasureQuerySet.concerning).
CONCERN_LABELS = {
    "responsible": "responsible",
    "at_event": "at an event they took part in",
}


def _measures(queryset, actor=None):
    queryset = queryset.annotate(status_then=status_then())
    fields = (*COMMON, "title", "description", "category", "status_then")
    if actor is None:
        rows = queryset.values_list(*fields)
    else:
        concern = queryset.with_concern(actor)
        rows = concern.values_list(*fields, "actor_responsible", "actor_at_event")
    for pk, slug, day, precision, reviewed, title, description, category, status, *concern in rows:
        responsible, at_event = concern or (False, False)
        yield MeasureRow(
            pk,
            slug,
            day,
            precision,
            reviewed,
            title=title,
            description=description,
            category=CATEGORY_LABELS.get(category, category),
            status=STATUS_LABELS.get(status, status or ""),
            concern=(
                *([CONCERN_LABELS["responsible"]] if responsible else []),
                *([CONCERN_LABELS["at_event"]] if at_event else []),
            ),
        )


def _statements(queryset):
    actor_url = url_maker("timeline:actor-detail")
    rows = queryset.values_list(
        *COMMON,
        "text",
        "kind",
        "speaker__slug",
        "speaker__name",
        "speaker_role__title",
        "attributed_as",
    )
    for pk, slug, day, precision, reviewed, text, kind, speaker_slug, name, role, printed in rows:
        speaker = SpeakerLink(actor_url(speaker_slug), name, role or "") if speaker_slug else None
        yield StatementRow(
            pk,
            slug,
            day,
            precision,
            reviewed,
            text=text,
            kind=kind,
            kind_label=STATEMENT_KIND_LABELS.get(kind, kind),
            speaker=speaker,
            attributed_as=printed,
        )


class _Amount(NamedTuple):
    value: object
    low: object
    high: object
    approximate: bool


def _decimal(value):
    """A decimal column as read back from a UNION (SQLite may give a float or a string)."""
    return None if value is None else Decimal(str(value))


def evidence_rows(status_pks=(), observation_pks=()):
    """{"status": {pk: StatusRow}, "observation": {pk: ObservationRow}}: the timeline's status
    changes and observations of a page, read in one query (a UNION of the two, the columns
    one has and the other has not left empty)."""
    empty_text = Value("", output_field=CharField())
    empty_number = Value(None, output_field=DecimalField(max_digits=20, decimal_places=2))
    empty_slug = Value(None, output_field=CharField())
    changes = (
        MeasureStatus.objects.filter(pk__in=list(status_pks))
        .order_by()
        .annotate(
            entry_kind=Value("status", output_field=CharField()),
            is_reviewed=Value(True, output_field=BooleanField()),
            words=F("status"),
            title=F("measure__title"),
            target=F("measure__slug"),
            amount=empty_number,
            lowest=empty_number,
            highest=empty_number,
            about=Value(False, output_field=BooleanField()),
            unit=empty_text,
            currency=empty_text,
            reporter=empty_slug,
            reporter_name=empty_slug,
        )
    )
    observations = (
        Observation.objects.filter(pk__in=list(observation_pks))
        .order_by()
        .annotate(
            entry_kind=Value("observation", output_field=CharField()),
            is_reviewed=F("reviewed"),
            words=F("as_printed"),
            title=F("indicator__name"),
            target=F("indicator__slug"),
            amount=F("value"),
            lowest=F("low"),
            highest=F("high"),
            about=F("approximate"),
            unit=F("indicator__unit"),
            currency=F("indicator__currency"),
            reporter=F("reported_by__slug"),
            reporter_name=F("reported_by__name"),
        )
    )
    columns = (
        "entry_kind",
        "pk",
        "slug",
        "date",
        "date_precision",
        "is_reviewed",
        "words",
        "title",
        "target",
        "amount",
        "lowest",
        "highest",
        "about",
        "unit",
        "currency",
        "reporter",
        "reporter_name",
    )
    parts = []
    if status_pks:
        parts.append(changes.values_list(*columns))
    if observation_pks:
        parts.append(observations.values_list(*columns))
    found = {"status": {}, "observation": {}}
    if not parts:
        return found
    first, *rest = parts
    measure_url = url_maker("timeline:measure-detail")
    indicator_url = url_maker("timeline:indicator-detail")
    actor_url = url_maker("timeline:actor-detail")
    for row in first.union(*rest, all=True) if rest else first:
        kind, pk, slug, day, precision, reviewed, words, title, target, *rest_of_row = row
        value, low, high, approximate, unit, currency, reporter, reporter_name = rest_of_row
        day = datetime.date.fromisoformat(day) if isinstance(day, str) else day
        if kind == "status":
            found[kind][pk] = StatusRow(
                pk,
                slug,
                day,
                precision,
                url=measure_url(target),
                status=STATUS_LABELS.get(words, words),
                measure_title=title,
                status_value=words,
                measure_slug=target,
            )
            continue
        amount = _Amount(_decimal(value), _decimal(low), _decimal(high), bool(approximate))
        found[kind][pk] = ObservationRow(
            pk,
            slug,
            day,
            precision,
            bool(reviewed),
            url=indicator_url(target),
            indicator_name=title,
            unit=unit,
            value_text=charts.value_words(amount, currency),
            as_printed=words,
            reported_by=PlaceLink(actor_url(reporter), reporter_name) if reporter else None,
            indicator_slug=target,
            reported_by_slug=reporter or "",
            value=amount.value,
            low=amount.low,
            high=amount.high,
            approximate=amount.approximate,
        )
    return found


READERS = {"event": _events, "measure": _measures, "statement": _statements}


def entry_rows(model, pks, actor=None):
    """{pk: record} of the ``model`` records with these primary keys, one query. With ``actor``
    (an actor's timeline), each measure says how it concerns them."""
    queryset = model.objects.order_by().filter(pk__in=pks)
    read = READERS[model._meta.model_name]
    records = read(queryset, actor) if model is Measure else read(queryset)
    return {record.pk: record for record in records}
