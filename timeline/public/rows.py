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
    concern: tuple = ()  # on an actor's timeline: how the measure concerns them (CONCERN_LABELS)


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


# How a measure on an actor's timeline concerns them (MeasureQuerySet.concerning).
CONCERN_LABELS = {
    "responsible": "responsible",
    "at_event": "at an event they took part in",
}


def _measures(queryset, actor=None):
    fields = (*COMMON, "title", "description", "category", "status")
    if actor is None:
        rows = queryset.values_list(*fields)
    else:
        concern = queryset.with_concern(actor)
        rows = concern.values_list(*fields, "actor_responsible", "actor_at_event")
    for pk, slug, day, precision, title, description, category, status, *concern in rows:
        responsible, at_event = concern or (False, False)
        yield MeasureRow(
            pk,
            slug,
            day,
            precision,
            title=title,
            description=description,
            category=CATEGORY_LABELS.get(category, category),
            status=STATUS_LABELS.get(status, status),
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
    for pk, slug, day, precision, text, kind, speaker_slug, speaker_name, role, as_printed in rows:
        # Without a speaker, the attribution as printed, linked to nothing.
        url = actor_url(speaker_slug) if speaker_slug else ""
        yield StatementRow(
            pk,
            slug,
            day,
            precision,
            text=text,
            kind=kind,
            kind_label=STATEMENT_KIND_LABELS.get(kind, kind),
            speaker=SpeakerLink(url, speaker_name or as_printed, role or ""),
        )


READERS = {"event": _events, "measure": _measures, "statement": _statements}


def entry_rows(model, pks, actor=None):
    """{pk: record} of the ``model`` records with these primary keys, one query. With ``actor``
    (an actor's timeline), each measure says how it concerns them."""
    queryset = model.objects.order_by().filter(pk__in=pks)
    read = READERS[model._meta.model_name]
    records = read(queryset, actor) if model is Measure else read(queryset)
    return {record.pk: record for record in records}
