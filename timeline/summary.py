"""The timeline's counts per month, kept in the database and refreshed after every write.

The timeline shows how many entries each month holds (its histogram, and where each page starts).
Counting them from the records reads every record the filter selects; ``MonthCount`` holds the
same numbers ready, for each kind of entry (the records, status changes, figures) and each
measure category, so the counts for all entries, a kind, a category, a date range or a mix of
these are read from a few hundred rows (``month_counts``). A filter the summary cannot answer (a
text search, an actor, a source, a place) is counted from its records (``count_months``), at a
cost in proportion to what it matches.

A date range takes its whole months from the summary. The months at its edges are counted from
the records, with the real filter, on a window of those months alone: a period that starts
before the range's first day may still overlap it (a week that starts on 28 February overlaps
1 March), and a month holding the range's last day is only partly in it. Records dated only to
a year overlap the range exactly when their year does, which the summary says.

How the summary stays right:
- a save, a delete or a change of links that decides a record's category (post_save, post_delete,
  m2m_changed of the entries' models and of the measure links) marks it stale inside the writing
  transaction, and schedules one ``refresh`` for when that transaction commits;
- ``timeline.signals.records_written``, sent after a bulk write has committed (an import, a
  synthetic seed), refreshes it at once;
- after every ``migrate``, a summary that is stale (or was never filled: migration 0005 creates
  it empty) is refreshed, so the first migrate counts the records already there.
While it is stale (between a commit and its refresh, or in a transaction that has not committed),
readers count from the records instead: the summary is never trusted for data it has not seen.
``QuerySet.update()`` and ``bulk_create()`` send no model signals: code that writes dated records
that way sends ``records_written`` once it has committed, as the importer and the seed do.

A write's stale mark commits with the write itself, so a page rendered after the public site's
cache is invalidated (whichever post-commit callback runs first) reads right counts. A bulk write
has no mark: the receivers are connected from TimelineConfig.ready, before the public site
connects its own (its app comes later in INSTALLED_APPS), so ``records_written`` refreshes the
summary before the cached pages are made stale.
"""

import datetime
import functools
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import CharField, Count, F, IntegerField, Q, Value
from django.db.models.functions import Cast, Substr
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .dates import PRECISION_OF_WIDTH, DatePrecision, overlaps, width_of
from .models import ENTRY_MODELS, Measure, MonthCount, MonthCountsState, Statement
from .signals import records_written

ALL_CATEGORIES = ""
# How far before a month a period can start and still reach into it: a week's six other days.
WEEK_SPILL = datetime.timedelta(days=6)
STATE_PK = 1
YEAR_WIDTH = width_of(DatePrecision.YEAR)

# Whose writes change the counts: the entries (their dates; a measure's also decides which of its
# status changes are entries), and the links that put an event or a statement in a measure's
# category.
COUNTED_MODELS = (*ENTRY_MODELS.values(), Measure.events.through, Statement.measures.through)


class Selection(NamedTuple):
    """What a timeline filter selects, in the terms the summary can answer: the kinds of record,
    a measure category ("" for any) and a date range (either end may be None)."""

    kinds: tuple
    category: str = ALL_CATEGORIES
    start: datetime.date | None = None
    end: datetime.date | None = None


def month_key(field="date"):
    """A date's "YYYY-MM" text: native string functions on both databases, where
    ExtractYear/ExtractMonth call back into Python for every row on SQLite."""
    return Substr(Cast(field, output_field=CharField()), 1, 7)


def bucket(key, width):
    """(year, month) of a "YYYY-MM" key; (year, None) for a record dated only to its year (its
    ``date_width``, which the timeline's indexes hold beside the date, tells)."""
    year, month = int(key[:4]), int(key[5:7])
    return year, None if width == YEAR_WIDTH else month


def add_rows(counts, rows):
    for key, width, count in rows:
        where = bucket(key, width)
        counts[where] = counts.get(where, 0) + count
    return counts


def add_counts(counts, *more):
    """``counts`` ({bucket: count}) with each of ``more`` added to it, bucket by bucket."""
    for by_bucket in more:
        for where, count in by_bucket.items():
            counts[where] = counts.get(where, 0) + count
    return counts


def count_months(querysets):
    """{(year, month or None): number of records} of the querysets, counted from the records:
    one grouped UNION, which reads every record they select."""
    return add_counts({}, *count_months_by_kind(dict(enumerate(querysets))).values())


def count_months_by_kind(querysets):
    """{kind: {(year, month or None): number of records}} of ``querysets`` (kind -> queryset),
    in the one grouped UNION that ``count_months`` is."""
    grouped = {kind: by_period(queryset, month_key()) for kind, queryset in querysets.items()}
    return {kind: add_rows({}, rows) for kind, rows in union_by_kind(grouped).items()}


def by_period(queryset, period):
    """The (period, width, count) values of ``queryset``'s records grouped by ``period`` (an
    expression of their date) and their date width."""
    return (
        queryset.order_by()
        .annotate(period=period, width=F("date_width"))
        .values("period", "width")
        .annotate(count=Count("pk"))
    )


def union_by_kind(grouped):
    """{kind: [(period, width, count)]} of ``grouped`` (kind -> (period, width, count) values,
    as ``by_period`` and ``category_rows`` give them), read in one UNION ALL."""
    kinds = list(grouped)
    parts = [
        rows.annotate(part=Value(number, output_field=IntegerField())).values_list(
            "part", "period", "width", "count"
        )
        for number, rows in enumerate(grouped.values())
    ]
    found = {kind: [] for kind in kinds}
    if not parts:
        return found
    first, *rest = parts
    for number, period, width, count in first.union(*rest, all=True) if rest else first:
        found[kinds[number]].append((period, width, count))
    return found


# Computing the summary --------------------------------------------------------------------


def category_rows(kind, using, period=month_key, days=None, category=None):
    """The (in_category, period, width, count) values of the entries of ``kind`` in each
    measure category (in ``category`` alone if given), as the timeline's filter selects them: a
    measure by its own category, a status change by its measure's, an event or a statement by
    the measures it is linked to (each record once per category); None for a figure, which has
    none. ``period(field)`` is what a date is grouped by (its month's key, or the date itself);
    ``days(prefix)``, a Q() of the dates to count (``prefix`` leads to the record's fields)."""
    if kind in ("measure", "status"):
        in_category = "category" if kind == "measure" else "measure__category"
        rows = ENTRY_MODELS[kind].objects.using(using).entries().order_by()
        if days:
            rows = rows.filter(days(""))
        if category:
            rows = rows.filter(**{in_category: category})
        return (
            rows.annotate(period=period("date"), width=F("date_width"), in_category=F(in_category))
            .values("in_category", "period", "width")
            .annotate(count=Count("pk"))
        )
    if kind == "observation":
        return None
    through, record = {
        "event": (Measure.events.through, "event"),
        "statement": (Statement.measures.through, "statement"),
    }[kind]
    rows = through.objects.using(using).order_by()
    if days:
        rows = rows.filter(days(f"{record}__"))
    if category:
        rows = rows.filter(measure__category=category)
    return (
        rows.annotate(
            in_category=F("measure__category"),
            period=period(f"{record}__date"),
            width=F(f"{record}__date_width"),
        )
        .values("in_category", "period", "width")
        .annotate(count=Count(record, distinct=True))
    )


def compute(using=DEFAULT_DB_ALIAS):
    """{(kind, category, year, month): count} of every entry as it is now."""
    counts = {}
    for kind, model in ENTRY_MODELS.items():
        everything = model.objects.using(using).entries()
        for (year, month), count in count_months([everything]).items():
            counts[kind, ALL_CATEGORIES, year, month] = count
        by_category = {}
        rows = category_rows(kind, using)
        if rows is None:
            continue
        for category, key, width, count in rows.values_list(
            "in_category", "period", "width", "count"
        ):
            add_rows(by_category.setdefault(category, {}), [(key, width, count)])
        for category, buckets in by_category.items():
            for (year, month), count in buckets.items():
                counts[kind, category, year, month] = count
    return counts


def refresh(using=DEFAULT_DB_ALIAS):
    """Bring the month counts up to date with the records, and mark them fresh.

    Only the rows that changed are written: an edit moves a record from one month to another,
    two rows. The state row is locked first, so two refreshes (two workers) run one after the
    other, and a write waits for a running refresh before it marks the counts stale.
    """
    using = using or DEFAULT_DB_ALIAS
    with transaction.atomic(using=using):
        state = MonthCountsState.objects.using(using).select_for_update().filter(pk=STATE_PK)
        if not state.exists():
            MonthCountsState.objects.using(using).create(pk=STATE_PK)
        wanted = compute(using)
        stored = MonthCount.objects.using(using)
        changed, gone = [], []
        for row in stored.all():
            key = (row.kind, row.category, row.year, row.month)
            count = wanted.pop(key, None)
            if count is None:
                gone.append(row.pk)
            elif count != row.count:
                row.count = count
                changed.append(row)
        stored.filter(pk__in=gone).delete()
        stored.bulk_update(changed, ["count"], batch_size=500)
        stored.bulk_create(
            [
                MonthCount(kind=kind, category=category, year=year, month=month, count=count)
                for (kind, category, year, month), count in wanted.items()
            ],
            batch_size=500,
        )
        state.update(stale=False)


# Reading it -------------------------------------------------------------------------------


def stored_counts(selection, using=DEFAULT_DB_ALIAS):
    """{kind: {(year, month or None): count}} of the selection's kinds and category, from the
    summary, or None while it is stale.

    One query: the summary's rows, and a marker row when the state says they are fresh. They do
    not depend on the selection's dates, so a caller may keep them for every date range
    (``month_counts_by_kind``'s ``read_stored``).
    """
    stored = (
        MonthCount.objects.using(using)
        .filter(kind__in=selection.kinds, category=selection.category)
        .order_by()
        .values_list("kind", "year", "month", "count")
    )
    fresh = (
        MonthCountsState.objects.using(using)
        .filter(pk=STATE_PK, stale=False)
        .order_by()
        .annotate(
            k=Value(None, output_field=CharField()),
            y=Value(0),
            m=Value(None, output_field=IntegerField()),
            n=Value(0),
        )
        .values_list("k", "y", "m", "n")
    )
    counts, is_fresh = {kind: {} for kind in selection.kinds}, False
    for kind, year, month, count in stored.union(fresh, all=True):
        if kind is None:
            is_fresh = True
        else:
            counts[kind][year, month] = count
    return counts if is_fresh else None


def month_number(year, month):
    """A month as one number, counting from January of year 0: months in order are consecutive."""
    return year * 12 + month - 1


def month_index(day):
    return month_number(day.year, day.month)


def first_day(index):
    return datetime.date(index // 12, index % 12 + 1, 1)


def edge_windows(start, end):
    """The days a range's edges make uncertain, as [first, after) windows of whole months but the
    first: the days of the month before ``start``'s on which a week may start and still reach
    ``start``'s month (a week is the only period that runs into the next month; a month, a part
    of one and a day end with theirs), then ``start``'s month; and ``end``'s month."""
    windows = []
    if start:
        month = month_index(start)
        windows.append([first_day(month) - WEEK_SPILL, first_day(month + 1)])
    if end:
        month = month_index(end)
        window = [first_day(month), first_day(month + 1)]
        if windows and window[0] <= windows[0][1]:
            windows[0][1] = max(windows[0][1], window[1])
        else:
            windows.append(window)
    return windows


def uncertain_months(windows):
    """The months (as ``month_index``) the edge windows hold days of."""
    months = set()
    for first, after in windows:
        last = after - datetime.timedelta(days=1)
        months.update(range(month_index(first), month_index(last) + 1))
    return months


def window_rows(selection, windows, using=DEFAULT_DB_ALIAS):
    """[(kind, date, date width, count)] of the entries of the selection's kinds and category
    dated in ``windows`` (``edge_windows``; records dated only to their year left out): the
    summary at the resolution of days, read from the records, in one UNION. They depend on the
    months a range's edges fall in, not on its days, so a caller may keep them for every range
    whose edges fall in the same months."""

    def days(prefix):
        in_windows = Q()
        for first, after in windows:
            in_windows |= Q(**{f"{prefix}date__gte": first, f"{prefix}date__lt": after})
        return in_windows & ~Q(**{f"{prefix}date_width": YEAR_WIDTH})

    grouped = {}
    for kind in selection.kinds:
        if selection.category:
            rows = category_rows(kind, using, F, days, selection.category)
        else:
            entries = ENTRY_MODELS[kind].objects.using(using).entries().filter(days(""))
            rows = by_period(entries, F("date"))
        if rows is not None:
            grouped[kind] = rows
    return [
        (kind, day, width, count)
        for kind, rows in union_by_kind(grouped).items()
        for day, width, count in rows
    ]


def no_keeping(name, identity, compute):
    return compute()


def month_counts(selection, count_records, using=DEFAULT_DB_ALIAS, keep=no_keeping):
    """{(year, month or None): count} of what ``selection`` describes, all kinds together
    (``month_counts_by_kind``)."""
    by_kind = month_counts_by_kind(selection, count_records, using, keep)
    return add_counts({}, *by_kind.values())


def month_counts_by_kind(selection, count_records, using=DEFAULT_DB_ALIAS, keep=no_keeping):
    """{kind: {(year, month or None): count}} of the kinds of ``selection``, of what it
    describes: from the summary, with a range's edge days counted from the records
    (``window_rows``). While the summary is stale, ``count_records()`` counts all of it from
    the records (``count_months_by_kind`` of querysets that select the same).

    ``keep(name, identity, compute)`` may keep what is read for other ranges until the next
    write (timeline.public.caching.cached_until_write): the summary's counts of the kinds and
    category, which do not depend on the range, and the rows of each pair of edge months.
    """
    stored = keep(
        "summary-counts",
        (selection.kinds, selection.category),
        functools.partial(stored_counts, selection, using),
    )
    if stored is None:
        return count_records()
    start, end = selection.start, selection.end
    if start is None and end is None:
        return stored
    windows = edge_windows(start, end)
    uncertain = uncertain_months(windows)
    # A kind with nothing in the edges' months (of all its entries) has nothing to count there.
    edge_kinds = tuple(
        kind
        for kind in selection.kinds
        if any(
            month is not None and month_number(year, month) in uncertain
            for year, month in stored[kind]
        )
    )
    edges = {kind: {} for kind in stored}
    if edge_kinds:
        edge_selection = selection._replace(kinds=edge_kinds, start=None, end=None)
        rows = keep(
            "summary-window-rows",
            (edge_kinds, selection.category, windows),
            functools.partial(window_rows, edge_selection, windows, using),
        )
        for kind, day, width, count in rows:
            if overlaps(day, PRECISION_OF_WIDTH[width], start, end):
                where = (day.year, day.month)
                edges[kind][where] = edges[kind].get(where, 0) + count
    lowest = month_index(start) if start else None
    highest = month_index(end) if end else None

    def inside(year, month):
        if month is None:
            return (start is None or year >= start.year) and (end is None or year <= end.year)
        index = month_number(year, month)
        return (
            index not in uncertain
            and (lowest is None or index > lowest)
            and (highest is None or index < highest)
        )

    return {
        kind: {
            **{where: count for where, count in stored[kind].items() if inside(*where)},
            **edges[kind],
        }
        for kind in stored
    }


# Keeping it right -------------------------------------------------------------------------


def refresh_after_commit(using=None):
    """Mark the counts stale in the current transaction on ``using`` and refresh them once it
    commits (at once outside one): one refresh per transaction, however many records it writes.

    Marked on every write, not only the first: a refresh inside the same transaction (a bulk
    write announced before the end of an enclosing one) must not leave later writes unseen.
    """
    using = using or DEFAULT_DB_ALIAS
    MonthCountsState.objects.using(using).filter(pk=STATE_PK, stale=False).update(stale=True)
    connection = transaction.get_connection(using)
    # Already scheduled at this savepoint or an enclosing one (a rollback that dropped it would
    # undo this write too): run_on_commit holds (savepoint ids, callback, robust).
    savepoints = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        getattr(callback, "func", None) is refresh and ids <= savepoints
        for ids, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(functools.partial(refresh, using), using=using)


def _refresh_on_write(sender, action="post_write", using=None, **kwargs):
    if sender in COUNTED_MODELS and action.startswith("post_"):
        refresh_after_commit(using)


def _refresh_after_bulk_write(sender, using=None, **kwargs):
    refresh(using)


def _refresh_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if sender.name != "timeline":
        return
    if MonthCount._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back to before the summary existed
    state = MonthCountsState.objects.using(using).filter(pk=STATE_PK).first()
    if state is None or state.stale:
        refresh(using)


def connect_refresh_signals():
    """Connect the receivers that keep the month counts right (from TimelineConfig.ready)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_refresh_on_write, dispatch_uid=f"timeline-month-counts-{signal!r}")
    records_written.connect(_refresh_after_bulk_write, dispatch_uid="timeline-month-counts-bulk")
    post_migrate.connect(_refresh_after_migrate, dispatch_uid="timeline-month-counts-migrate")
