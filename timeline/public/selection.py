"""The filtered timeline read whole, for the outputs that carry it at once rather than a page at
a time: /timeline.json (TimelineJS3), /calendar.ics, /feed/ and the timeline's downloads.

The entries are the timeline page's: events, measures and statements, and beside them the status
changes and observations the same filters select (``TimelineFilterForm.timeline_querysets()``).
They come in the timeline page's order (date, the widest period first, kind, slug), read as the
timeline page reads them (timeline.public.rows and timeline.public.links), with each source's
article URL and language added. It costs a fixed number of queries however many entries there
are: one a kind for the order, one a kind for the records (one for both kinds of evidence), two
for their actors and sources, one for the sources' articles, and one count a kind only when
``limit`` cut the list short.
"""

from dataclasses import dataclass, field
from typing import NamedTuple

from timeline.models import DATED_MODELS, MeasureStatus, Observation, Source

from .links import attach_links
from .rows import entry_rows, evidence_rows

TIMELINE_ORDER = ("date", "date_width", "slug")

# Every kind of timeline entry: the dated records, and the evidence dated in its own right.
EVIDENCE_MODELS = {"status": MeasureStatus, "observation": Observation}
ENTRY_MODELS = {**DATED_MODELS, **EVIDENCE_MODELS}


class Entry(NamedTuple):
    kind: str  # "event", "measure", "statement", "status" or "observation"
    record: object  # a row of timeline.public.rows, with url, actor_links and source_links


class Article(NamedTuple):
    """What a source's link in the timeline lacks: where the article is, and its language."""

    url: str
    language: str


@dataclass
class Selection:
    entries: list
    total: int
    articles: dict = field(default_factory=dict)  # source slug -> Article

    @property
    def truncated(self):
        return len(self.entries) < self.total


def timeline_keys(querysets, limit=None):
    """(kind, pk) of the first ``limit`` entries (all with None) of the querysets (kind ->
    filtered queryset) in the timeline's order, and whether ``limit`` cut any kind short."""
    keys, cut_short = [], False
    for kind, queryset in querysets.items():
        rows = queryset.order_by(*TIMELINE_ORDER).values_list(*TIMELINE_ORDER, "pk")
        rows = list(rows if limit is None else rows[:limit])
        cut_short |= limit is not None and len(rows) == limit
        keys.extend((day, width, kind, slug, pk) for day, width, slug, pk in rows)
    keys.sort()
    return [(kind, pk) for *_, kind, _slug, pk in keys[:limit]], cut_short


def entry_records(keys, read=None):
    """{kind: {pk: record}} of the (kind, pk) ``keys``, with their url, actors and sources
    (timeline.public.links). The records of the dated kinds are read by ``read(model, pks)``,
    the timeline's rows by default; status changes and observations are always rows
    (timeline.public.rows.evidence_rows), one query for both."""
    read = read or entry_rows
    by_kind = {}
    for kind, pk in keys:
        by_kind.setdefault(kind, []).append(pk)
    records = {
        kind: read(DATED_MODELS[kind], pks) for kind, pks in by_kind.items() if kind in DATED_MODELS
    }
    if by_kind.keys() & EVIDENCE_MODELS.keys():
        evidence = evidence_rows(by_kind.get("status", ()), by_kind.get("observation", ()))
        records.update({kind: rows for kind, rows in evidence.items() if kind in by_kind})
    attach_links({kind: rows.values() for kind, rows in records.items()})
    return records


def timeline_entries(querysets, limit):
    """The first ``limit`` entries of the querysets (kind -> filtered queryset), in order."""
    keys, cut_short = timeline_keys(querysets, limit)
    records = entry_records(keys)
    entries = [Entry(kind, records[kind][pk]) for kind, pk in keys]
    total = sum(q.count() for q in querysets.values()) if cut_short else len(entries)
    slugs = {link.slug for entry in entries for link in entry.record.source_links}
    articles = {
        slug: Article(url, language)
        for slug, url, language in Source.objects.filter(slug__in=slugs).values_list(
            "slug", "url", "language"
        )
    }
    return Selection(entries, total, articles)
