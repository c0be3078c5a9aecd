"""Table pages that cost the same deep in the table as on its first page.

A plain ``LIMIT 50 OFFSET 94950`` over the wide, joined rows of a table makes the database build
and throw away 94,950 of them. ``DeferredJoinData`` pages in two steps instead (a "deferred join"):

1. the page's primary keys, from the sort columns alone: a narrow scan of an index on them
   (migration 0003: (date, slug), (title, id)...), which skips rows cheaply;
2. those 50 records, with their joins, by primary key.

A page nearer the end than the start is read from the end: its keys are the rows skipped from
the end in the reverse order (``OFFSET total - stop``), so page 1,900 of 2,000 skips 5,000 index
entries, not 94,950, and the middle page is the deepest any page goes.

Both steps are one SQL statement (``WHERE id IN (SELECT id ... ORDER BY ... LIMIT 50 OFFSET
94950)``), so a page costs no more queries than a plain slice. A text search on SQLite joins its
FTS5 table with raw SQL (QuerySet.extra), which Django cannot re-alias inside a subquery: there
the page's keys are read first, in a query of their own.

The sort is made total first: a unique tie-breaker (the primary key, in the direction of the
last sort key) ends every ordering that has none, so two records with the same date (or title,
or place) fall on the same page every time, and page N holds exactly the rows a full sort would
put there.

A page deep in a table sorted by columns of its own (the date, the title: not a related record's
name, not a search's rank) seeks instead of skipping: every ``CHECKPOINT_ROWS``-th row's sort
key is read once (in a query of its own, kept until the next write), and the page's keys are
those from the checkpoint before it on, ``WHERE (date, slug) >= (checkpoint)``, skipping fewer
than ``CHECKPOINT_ROWS`` index entries. SQLite skips index entries fast enough that its middle
page costs about what the first does; PostgreSQL visits every entry an OFFSET skips, even in an
index-only scan, so its deep pages cost a multiple of the first (docs/performance.md).

The total the paginator needs (a ``COUNT(*)`` of every matching row: on PostgreSQL it reads
every entry of an index, however deep the page) is kept until the next write, under the SQL
that selects the rows: every page of a table and every sort of it share one count.
"""

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import OrderBy, Q
from django_tables2.data import TableQuerysetData

from timeline import summary

from . import caching

# Users may ask for ?per_page=N (django-tables2 reads it); a page never holds more than this.
MOST_ROWS_A_PAGE = 100
UNIQUE_FIELDS = {"pk", "id", "slug"}
# A page whose first row is this many rows or more from where it is read seeks to a checkpoint.
CHECKPOINT_ROWS = 1000


def total_ordering(queryset):
    """The queryset's ordering, ended by a unique tie-breaker if it has none."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    names = {item.lstrip("-") for item in ordering if isinstance(item, str)}
    if names & UNIQUE_FIELDS:
        return ordering
    last = ordering[-1] if ordering else "pk"
    descending = last.descending if isinstance(last, OrderBy) else str(last).startswith("-")
    return [*ordering, "-pk" if descending else "pk"]


def seekable_ordering(queryset, ordering):
    """``ordering`` as (field name, descending) pairs if every item is a non-null column of the
    model's own table, so that a row's key can be compared with a checkpoint's; else None."""
    if queryset.query.extra_tables:
        return None
    meta, pairs = queryset.model._meta, []
    for item in ordering:
        if not isinstance(item, str) or "__" in item or item.lstrip("-") == "?":
            return None
        name = item.lstrip("-")
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if not field.concrete or field.null or field.is_relation:
            return None
        pairs.append((field.attname, item.startswith("-")))
    return pairs


def at_or_after(pairs, key):
    """The rows at ``key`` or after it in the ordering ``pairs``: (a, b) >= (x, y) written out,
    with the first column's range alone first, so that the index seeks to it."""
    (first, descending), *_ = pairs
    after, equal = Q(), Q()
    for (name, descending_here), value in zip(pairs, key, strict=True):
        beyond = Q(**{f"{name}__{'lt' if descending_here else 'gt'}": value})
        after |= equal & beyond
        equal &= Q(**{name: value})
    return Q(**{f"{first}__{'lte' if descending else 'gte'}": key[0]}) & (after | equal)


def page_keys(ordered, pairs, skipped, wanted):
    """The pks of ``ordered`` (sorted by ``pairs``) ``skipped:skipped + wanted``, sought from the
    last checkpoint at or before the first of them (module docstring)."""
    checkpoint = skipped // CHECKPOINT_ROWS * CHECKPOINT_ROWS
    keys = ordered.values_list(*(name for name, _ in pairs))
    if not checkpoint:
        return ordered.values("pk")[skipped : skipped + wanted]

    def read_key():
        found = list(keys[checkpoint : checkpoint + 1])
        return found[0] if found else ()

    identity = (keys.query.sql_with_params(), checkpoint)
    key = caching.cached_until_write("table-checkpoint", identity, read_key)
    if not key:  # past the end: nothing to show
        return ordered.values("pk").none()
    rest = skipped - checkpoint
    return ordered.filter(at_or_after(pairs, key)).values("pk")[rest : rest + wanted]


class DeferredJoinData(TableQuerysetData):
    """A table's queryset whose page slices are fetched by a deferred join (module docstring).

    ``selection`` (a timeline.summary.Selection), when the queryset selects what it describes:
    the total is then the sum of the month counts kept in the database, with a date range's edge
    months counted from the records, rather than a count of every matching row.
    """

    def __init__(self, data, selection=None):
        super().__init__(data)
        self.selection = selection

    def __len__(self):
        if getattr(self, "_length", None) is None and hasattr(self.table, "paginator"):
            rows = self.data.order_by().values("pk")
            identity = rows.query.sql_with_params()
            self._length = caching.cached_until_write("table-count", identity, self._count)
        return super().__len__()

    def _count(self):
        if self.selection is None:
            return self.data.order_by().count()
        (kind,) = self.selection.kinds
        counts = summary.month_counts(
            self.selection,
            lambda: summary.count_months_by_kind({kind: self.data.order_by()}),
            keep=caching.cached_until_write,
        )
        return sum(counts.values())

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        ordering = total_ordering(self.data)
        ordered = self.data.order_by(*ordering)
        start, stop = key.start or 0, key.stop
        total = len(self)  # the paginator has counted already: no query
        from_end = stop is not None and total - stop < start
        pairs = seekable_ordering(self.data, ordering)
        if pairs is not None and stop is not None:
            if from_end:
                pairs = [(name, not descending) for name, descending in pairs]
                skipped, wanted = max(total - stop, 0), min(stop, total) - start
            else:
                skipped, wanted = start, stop - start
            directed = self.data.order_by(*(f"-{n}" if d else n for n, d in pairs))
            page_pks = page_keys(directed, pairs, skipped, max(wanted, 0))
        elif from_end:
            # Nearer the end than the start: skip rows from the end, in the reverse order.
            page_pks = ordered.reverse().values("pk")[max(total - stop, 0) : total - start]
        else:
            page_pks = ordered.values("pk")[key]
        if ordered.query.extra_tables:
            page_pks = list(page_pks.values_list("pk", flat=True))
            if from_end:
                page_pks.reverse()
            records = ordered.filter(pk__in=page_pks).in_bulk()
            return [records[pk] for pk in page_pks]
        return ordered.filter(pk__in=page_pks)


class CappedPaginator(Paginator):
    """A paginator that holds at most MOST_ROWS_A_PAGE rows a page, whatever the URL asks."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        per_page = max(1, min(int(per_page), MOST_ROWS_A_PAGE))
        super().__init__(object_list, per_page, *args, **kwargs)
