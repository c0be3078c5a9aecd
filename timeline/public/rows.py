"""What a timeline entry shows of its record, read as rows rather than model instances.

A timeline page shows fifty records of up to three kinds. Read as model instances with their
place, speaker and role (``select_related()`` and ``in_bulk()``), they took a fifth of a
timeline page's work at 100,000 events (issue 6); read as ``values_list()`` rows of the fields
an entry shows, less than half of that. The rows become small objects that the entries template
reads much as it read the models (``title``, ``summary``, ``date_display``, ``place.name``,
``speaker.url``...), with their choices' labels spelt out. timeline.links then gives each its
``url``, ``actor_links`` and ``source_links``.

A record's own page, the tables and the downloads still read model instances.
"""

import datetime
from dataclasses import dataclass, field
from typing import NamedTuple

from timeline.dates import DisplayedDate
from timeline.models import Measure, Statement, place_url, url_maker


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
    url: str = ""
    actor_links: list = field(default_factory=list)
    source_links: list = field(default_factory=list)


@dataclass(slots=True)
class EventRow(EntryRow):
    title: str = ""
    summary: str = ""
    place: PlaceLink | None = None


@dataclass(slots=True)
class MeasureRow(EntryRow):
    title: str = ""
    description: str = ""
    category: str = ""  # the category's label, as get_category_display() gives it
    status: str = ""


@dataclass(slots=True)
class StatementRow(EntryRow):
    text: str = ""
    kind: str = ""  # StatementKind's value: quotation or reported
    kind_label: str = ""
    speaker: SpeakerLink | None = None


COMMON = ("pk", "slug", "date", "date_precision")
CATEGORY_LABELS = dict(Measure.Category.choices)
STATUS_LABELS = dict(Measure.Status.choices)
STATEMENT_KIND_LABELS = dict(Statement.Kind.choices)


def _events(queryset):
    for pk, slug, day, precision, title, summary, place_slug, place_name in queryset.values_list(
        *COMMON, "title", "summary", "place__slug", "place__name"
    ):
        place = PlaceLink(place_url(place_slug), place_name) if place_slug else None
        yield EventRow(pk, slug, day, precision, title=title, summary=summary, place=place)


def _measures(queryset):
    rows = queryset.values_list(*COMMON, "title", "description", "category", "status")
    for pk, slug, day, precision, title, description, category, status in rows:
        yield MeasureRow(
            pk,
            slug,
            day,
            precision,
            title=title,
            description=description,
            category=CATEGORY_LABELS.get(category, category),
            status=STATUS_LABELS.get(status, status),
        )


def _statements(queryset):
    actor_url = url_maker("timeline:actor-detail")
    rows = queryset.values_list(
        *COMMON, "text", "kind", "speaker__slug", "speaker__name", "speaker_role__title"
    )
    for pk, slug, day, precision, text, kind, speaker_slug, speaker_name, role in rows:
        yield StatementRow(
            pk,
            slug,
            day,
            precision,
            text=text,
            kind=kind,
            kind_label=STATEMENT_KIND_LABELS.get(kind, kind),
            speaker=SpeakerLink(actor_url(speaker_slug), speaker_name, role or ""),
        )


READERS = {"event": _events, "measure": _measures, "statement": _statements}


def entry_rows(model, pks):
    """{pk: record} of the ``model`` records with these primary keys, one query."""
    queryset = model.objects.order_by().filter(pk__in=pks)
    return {record.pk: record for record in READERS[model._meta.model_name](queryset)}
