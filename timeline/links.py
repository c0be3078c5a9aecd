"""The actors and sources a list shows inside each row or timeline entry, read as plain rows.

A page of fifty events shows a hundred actors and eighty sources or so. Read as model instances
through prefetch_related they cost more than the rest of the page (issue 6); read as rows, with
what a link shows and nothing else, they cost a fifth of that.

``attach_links(records)`` gives records of any kind (events, measures and statements mixed, as
in the timeline) two lists, in two queries whatever their number and kinds:

- ``record.actor_links``: an event's participants with their capacity, by name; a measure's
  responsible actors, by name; nothing for a statement (its speaker is a relation of its own);
- ``record.source_links``: the sources it cites, oldest first.

Pages and downloads read lists through it; a record's own page (``with_details()``) still reads
its relations as model instances, which it shows in full.
"""

import datetime
from typing import NamedTuple

from django.db.models import CharField, F, Value

from .models import DATED_MODELS, Measure, Participation, Source, site_url


class ActorLink(NamedTuple):
    slug: str
    name: str
    capacity: str = ""

    @property
    def url(self):
        return site_url("timeline:actor-detail", self.slug)


class SourceLink(NamedTuple):
    slug: str
    title: str
    publisher: str
    published_on: datetime.date

    @property
    def url(self):
        return site_url("timeline:source-detail", self.slug)

    @property
    def citation(self):
        """How an entry cites it: "AFP, 19 Aug 2015"."""
        return f"{self.publisher}, {self.published_on.day} {self.published_on:%b %Y}"


def _kind(kind):
    return Value(kind, output_field=CharField())


def _actor_rows(by_kind):
    """(kind, record pk, slug, name, capacity) of the actors of these events and measures."""
    parts = []
    if "event" in by_kind:
        participations = Participation.objects.filter(event__in=list(by_kind["event"]))
        parts.append(
            participations.annotate(kind=_kind("event"), record=F("event"), note=F("capacity"))
        )
    if "measure" in by_kind:
        responsible = Measure.responsible.through.objects.filter(
            measure__in=list(by_kind["measure"])
        )
        parts.append(
            responsible.annotate(kind=_kind("measure"), record=F("measure"), note=Value(""))
        )
    parts = [
        part.annotate(actor_slug=F("actor__slug"), actor_name=F("actor__name"))
        .values_list("kind", "record", "actor_slug", "actor_name", "note")
        .order_by()
        for part in parts
    ]
    if not parts:
        return []
    first, *rest = parts
    return first.union(*rest, all=True).order_by("actor_name", "actor_slug")


def _source_rows(by_kind):
    """(kind, record pk, slug, title, publisher, published_on) of the sources these cite."""
    parts = []
    for kind, by_pk in by_kind.items():
        related = DATED_MODELS[kind].sources.field.related_query_name()
        parts.append(
            Source.objects.filter(**{f"{related}__in": list(by_pk)})
            .annotate(kind=_kind(kind), record=F(related))
            .values_list("kind", "record", "slug", "title", "publisher", "published_on")
            .order_by()
        )
    first, *rest = parts
    return first.union(*rest, all=True).order_by("published_on", "title", "slug")


def attach_links(records):
    """Give each record its ``actor_links`` and ``source_links`` (module docstring)."""
    by_kind = {}
    for record in records:
        record.actor_links, record.source_links = [], []
        by_kind.setdefault(record._meta.model_name, {})[record.pk] = record
    if not by_kind:
        return
    for kind, pk, slug, name, capacity in _actor_rows(by_kind):
        by_kind[kind][pk].actor_links.append(ActorLink(slug, name, capacity))
    for kind, pk, *source in _source_rows(by_kind):
        by_kind[kind][pk].source_links.append(SourceLink(*source))
