"""The timeline: events, measures and statements merged in date order and grouped by month.

A record dated only to a year belongs to that year, not to January: it gets a group (and a bar
in the histogram) of its own, placed before the year's months, as its stored date (1 January)
and its precision (the widest) sort it.

Paging works on a light UNION of (kind, id, date, date width, slug) rows, so a page costs the
same number of queries whether the database holds ten records or a hundred thousand: the
histogram's counts (from the month counts kept in the database, timeline.summary, or for a
search, an actor or a source one grouped UNION; they also give the paginator its total), the page's
index rows, each kind's records as rows (timeline.records), and the actors and the sources of
every record on the page (timeline.links). The counts and the compiled index query are kept
until the next write (timeline.caching). A page finds where it starts from the counts per month
and reads the index from that month on (``Timeline.__getitem__``): the most recent entries, at
the end of a long timeline, cost no more than the oldest.
"""

import datetime
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import CharField, Value
from markupsafe import Markup, escape

from timeline import dates, summary
from timeline.dates import DatePrecision
from timeline.models import DATED_MODELS

from . import caching
from .rows import entry_rows
from .selection import entry_records

HISTOGRAM_LEVELS = 8
# Stands for the query string in the histogram's markup, which is drawn once for every query
# that selects the same entries (unknown parameters, other pages) and linked for each.
LINK = "\x00"


class Bucket(NamedTuple):
    """A month of a year, or (month None) a whole year for records dated only to the year.

    A named tuple, not a dataclass: the counts per bucket are cached, and a few hundred frozen
    dataclasses are slow to unpickle on every timeline page.
    """

    year: int
    month: int | None

    @classmethod
    def of(cls, day, precision):
        return cls(day.year, None if precision == DatePrecision.YEAR else day.month)

    @property
    def sort_key(self):
        return (self.year, self.month or 0)

    @property
    def first_day(self):
        return datetime.date(self.year, self.month or 1, 1)

    @property
    def anchor(self):
        return f"y{self.year}" if self.month is None else f"m{self.year}-{self.month:02d}"

    @property
    def tick(self):
        """A one- or two-letter mark under the bucket's bar: "J" for January, "yr" for the year."""
        return "yr" if self.month is None else "JFMAMJJASOND"[self.month - 1]

    @property
    def label(self):
        """ "July 2015", as dates.display words a month (looked up here: a histogram labels a few
        hundred bars), or "2015"."""
        if self.month is None:
            return str(self.year)
        return f"{dates.MONTH_NAMES[self.month - 1]} {self.year}"


@dataclass
class Entry:
    kind: str
    record: object

    @property
    def bucket(self):
        return Bucket.of(self.record.date, self.record.date_precision)


@dataclass
class Group:
    bucket: Bucket
    entries: list = field(default_factory=list)


@dataclass
class Bar:
    bucket: Bucket
    count: int
    level: int = 0
    page: int = 1

    @property
    def label(self):
        return bar_label(self.bucket, self.count)


def bar_label(bucket, count):
    """What a bar says to a screen reader and on hover: "July 2015: 12 entries"."""
    entries = "1 entry" if count == 1 else f"{count} entries"
    if bucket.month is None:
        return f"{bucket.year}, dated to the year only: {entries}"
    return f"{bucket.label}: {entries}"


@dataclass
class HistogramYear:
    year: int
    bars: list


def bars_with_entries(counts, per_page):
    """(bucket, count, level, page) of each bucket of ``counts`` (Timeline.counts()): its height,
    1 to HISTOGRAM_LEVELS against the fullest, and the page its first entry is on."""
    highest = max(counts.values(), default=0)
    seen = 0
    for bucket, count in counts.items():
        yield bucket, count, math.ceil(count * HISTOGRAM_LEVELS / highest), seen // per_page + 1
        seen += count


def histogram_markup(counts, per_page):
    """The histogram of ``counts`` (Timeline.counts()), with ``LINK`` standing for the start of
    each bar's link: the query string of the page it is drawn on (``linked``).

    A list of years, each a grid of one link a month that has entries, placed by its month's
    class (m1-m12, m0 for the records dated only to the year) and as tall as its level's class
    (l1-l8); empty months are the grid's background (site.css), not elements. A bar links to
    the page where its month starts. Written here rather than by a template: twenty years have
    some 250 bars, and the first view of every new filter draws them. Its text is numbers and
    month names, nothing to escape.
    """
    if not counts:
        return ""
    marks = {}
    for bucket, count, level, page in bars_with_entries(counts, per_page):
        label = bar_label(bucket, count)
        marks.setdefault(bucket.year, []).append(
            f'<a class="m{bucket.month or 0} l{level}" href="{LINK}{page}#{bucket.anchor}" '
            f'title="{label}" aria-label="{label}"></a>'
        )
    years = [
        f'<li class="hg-year{" hg-with-year" if Bucket(year, None) in counts else ""}">'
        f'<div class="hg-bars">\n{"".join(marks.get(year, ()))}</div>'
        f'<span class="hg-label" aria-hidden="true">{year}</span></li>\n'
        for year in range(min(marks), max(marks) + 1)
    ]
    return (
        '<nav class="histogram" aria-label="Entries per month"><ol class="hg">\n'
        f"{''.join(years)}</ol></nav>\n"
    )


def linked(markup, link):
    """Markup from ``histogram_markup`` with its bars linking to pages that start with ``link``
    ("?kind=event&page=": the page's filters, as ``page_link_prefix`` writes them)."""
    return Markup(markup.replace(LINK, escape(link)))


def render_histogram(counts, link, per_page=50):
    """The histogram of ``counts``, its bars' links starting with ``link``."""
    return linked(histogram_markup(counts, per_page), link)


def group_by_month(entries):
    groups = []
    for entry in entries:
        if not groups or groups[-1].bucket != entry.bucket:
            groups.append(Group(entry.bucket))
        groups[-1].entries.append(entry)
    return groups


class CountedPaginator(Paginator):
    """A paginator told its total, which the histogram's counts already hold."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class Timeline:
    """One page of the merged timeline of the given querysets (kind -> filtered queryset).

    ``identity`` describes what the querysets select (e.g. the filter's cleaned values): the
    counts per month are cached under it until the next write (timeline.caching). Without one
    they are computed on every request.

    ``summary``, a ``timeline.summary.Selection``, says what the querysets select in the terms of
    the month counts kept in the database (kinds, a category, a date range): the counts are then
    read from there. Without one (a search, an actor, a source) they are counted from the
    matching records.

    ``date_range``, (start, end) with either None, narrows the querysets to the entries that
    overlap it. The index query is compiled without it, under an identity that leaves it out
    too, and the range is added to it when it runs: the first view of a new range compiles
    nothing.
    """

    def __init__(self, querysets, per_page=50, identity=None, summary=None, date_range=()):
        self.unranged = querysets
        self.per_page = per_page
        self.identity = identity
        self.summary = summary
        self.date_range = tuple(date_range) if any(date_range) else ()

    @cached_property
    def querysets(self):
        """The querysets narrowed to the date range: for counting from the records."""
        return {
            kind: queryset.in_range(*self.date_range) for kind, queryset in self.unranged.items()
        }

    def index_query(self):
        """The (kind, pk, date, date_width, slug) rows of each kind, unordered, as the SQL and
        parameters the ORM compiles them to, one (sql, params) a kind: kept under the identity
        until the next write, as the counts are. Compiling this UNION of filtered querysets cost
        a timeline page more than running it, and it depends on nothing but what the identity
        says."""
        return self._kept_until_write("timeline-index", self._compile_index, ranged=False)

    def _kept_until_write(self, name, compute, ranged=True):
        """``compute()``, cached under ``name`` and the identity (with the date range if
        ``ranged``) until the next write; computed every time without an identity."""
        if self.identity is None:
            return compute()
        identity = (sorted(self.unranged), self.identity, self.date_range if ranged else ())
        return caching.cached_until_write(name, identity, compute)

    def _compile_index(self):
        return [
            (
                kind,
                *queryset.order_by()
                .annotate(entry_kind=Value(kind, output_field=CharField()))
                .values_list("entry_kind", "pk", "date", "date_width", "slug")
                .query.sql_with_params(),
            )
            for kind, queryset in self.unranged.items()
        ]

    def __getitem__(self, rows):
        """Index rows ``start:stop``, (kind, pk, date, date_width, slug) in timeline order, read
        from the month the first one is in.

        The counts per month say how many entries come before each month. A page deep in the
        timeline seeks to its first month by date, a range of the (date, date_width, slug)
        indexes, and skips only that month's entries before it: page 4,000 costs about what
        page 1 does, where an OFFSET over the UNION read 200,000 rows to skip them.

        On PostgreSQL each kind gives at most the rows the page could need (those it skips and
        its own), in its index's order, before the kinds are merged and sorted: PostgreSQL
        merges indexes in order under a UNION only while its parts have no WHERE clause of
        their own, and with a filter it read and sorted every matching row of every kind to
        find a page. SQLite merges the kinds' index scans itself, row by row, which limiting
        each part first would turn into a sort of each.
        """
        start, stop = rows.start or 0, rows.stop
        counts = self.counts()
        seen, since = 0, None
        for bucket, count in counts.items():  # the bucket the page's first entry is in
            seen += count
            if seen > start:
                since = bucket.first_day
                break
        if since is None:
            return []
        # The entries dated before it: a year's own bucket (1 January) goes with its January.
        before = sum(count for bucket, count in counts.items() if bucket.first_day < since)
        skipped, wanted = start - before, stop - start
        latest_evidence = self.latest_evidence()
        quote = connection.ops.quote_name
        day = connection.ops.adapt_datefield_value(since)
        # SQLite merges the parts' index scans in order under the outer ORDER BY and LIMIT, and
        # reads only the rows the page needs; PostgreSQL needs each part limited first.
        limit_each_part = connection.vendor != "sqlite"
        in_range, range_params = dates.in_range_sql(
            *(self.date_range or (None, None)),
            quote("date"),
            quote("date_width"),
            connection.ops.adapt_datefield_value,
        )
        where = f"WHERE {quote('date')} >= %s" + (f" AND {in_range}" if in_range else "")
        parts, params = [], []
        for number, (kind, sql, part_params) in enumerate(self.index_query()):
            latest = latest_evidence.get(kind, since)  # the records' own parts are always read
            if latest is None or latest < since:
                continue
            if limit_each_part:
                sql = (
                    f"SELECT * FROM (SELECT * FROM ({sql}) {quote('part')} "
                    f"{where} ORDER BY 3, 4, 5 LIMIT %s) {quote(f'kind{number}')}"
                )
                part_params = [*part_params, day, *range_params, skipped + wanted]
            parts.append(sql)
            params += part_params
        query = (
            f"SELECT * FROM ({' UNION ALL '.join(parts)}) {quote('entries')} "
            f"{'' if limit_each_part else where} ORDER BY 3, 4, 1, 5 LIMIT %s OFFSET %s"
        )
        if not limit_each_part:
            params += [day, *range_params]
        with connection.cursor() as cursor:
            cursor.execute(query, [*params, wanted, skipped])
            return cursor.fetchall()

    def page(self, number, actor=None):
        """The requested page (the last one if out of range) and its entries grouped by month.
        With ``actor`` (an actor's timeline), each measure says how it concerns them."""
        total = sum(self.counts().values())
        page = CountedPaginator(self, self.per_page, total).get_page(number)
        keys = [(kind, pk) for kind, pk, *_ in page.object_list]
        records = entry_records(keys, lambda model, pks: entry_rows(model, pks, actor))
        entries = [Entry(kind, records[kind][pk]) for kind, pk, *_ in page.object_list]
        return page, group_by_month(entries)

    def counts(self):
        """Number of entries in each bucket, in chronological order (one query, kept)."""
        return self._counted()[0]

    def latest_evidence(self):
        """{kind: the first day of the latest bucket holding its entries, or None} of the status
        changes and observations. A page skips a part with nothing on or after its first day:
        under a filter of measures (an actor, a source), reading it would check every one of
        their rows from that day on to find none."""
        return self._counted()[1]

    def _counted(self):
        if not hasattr(self, "_counts"):
            self._counts = self._kept_until_write("timeline-counts-by-kind", self._count_buckets)
        return self._counts

    def _count_buckets(self):
        if self.summary is not None:
            # Kept like the counts: only with an identity.
            keep = summary.no_keeping if self.identity is None else caching.cached_until_write
            by_kind = summary.month_counts_by_kind(
                self.summary, lambda: summary.count_months_by_kind(self.querysets), keep=keep
            )
        else:
            by_kind = summary.count_months_by_kind(self.querysets)
        counts = summary.add_counts({}, *by_kind.values())
        buckets = (Bucket(*where) for where, count in counts.items() if count)
        ordered = {bucket: counts[bucket] for bucket in sorted(buckets, key=Bucket.sort_key.fget)}
        latest = {
            kind: max(
                (Bucket(*where).first_day for where, n in by_kind[kind].items() if n), default=None
            )
            for kind in self.unranged
            if kind not in DATED_MODELS
        }
        return ordered, latest

    def render_histogram(self, link):
        """The histogram's markup, its bars' links starting with ``link``. Drawn once for what
        the identity selects and kept until the next write, as the counts are; each page fills in
        its own filters."""
        markup = self._kept_until_write(
            "timeline-histogram", lambda: histogram_markup(self.counts(), self.per_page)
        )
        return linked(markup, link)

    def histogram(self):
        """Every month of every year with entries, each bar knowing its height and its page."""
        counts = self.counts()
        if not counts:
            return []
        with_entries = {
            bucket: Bar(bucket, count, level, page)
            for bucket, count, level, page in bars_with_entries(counts, self.per_page)
        }
        histogram = []
        for year in range(min(b.year for b in counts), max(b.year for b in counts) + 1):
            buckets = [Bucket(year, None)] if Bucket(year, None) in counts else []
            buckets += [Bucket(year, month) for month in range(1, 13)]
            bars = [with_entries.get(bucket) or Bar(bucket, 0) for bucket in buckets]
            histogram.append(HistogramYear(year, bars))
        return histogram
