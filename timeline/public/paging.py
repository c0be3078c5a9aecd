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

The total the paginator needs (a ``COUNT(*)`` of every matching row: on PostgreSQL it reads
every entry of an index, however deep the page) is kept until the next write, under the SQL
that selects the rows: every page of a table and every sort of it share one count.
"""

from django.core.paginator import Paginator
from django.db.models import OrderBy
from django_tables2.data import TableQuerysetData

from . import caching

# Users may ask for ?per_page=N (django-tables2 reads it); a page never holds more than this.
MOST_ROWS_A_PAGE = 100
UNIQUE_FIELDS = {"pk", "id", "slug"}


def total_ordering(queryset):
    """The queryset's ordering, ended by a unique tie-breaker if it has none."""
    ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
    names = {item.lstrip("-") for item in ordering if isinstance(item, str)}
    if names & UNIQUE_FIELDS:
        return ordering
    last = ordering[-1] if ordering else "pk"
    descending = last.descending if isinstance(last, OrderBy) else str(last).startswith("-")
    return [*ordering, "-pk" if descending else "pk"]


class DeferredJoinData(TableQuerysetData):
    """A table's queryset whose page slices are fetched by a deferred join (module docstring)."""

    def __len__(self):
        if getattr(self, "_length", None) is None and hasattr(self.table, "paginator"):
            rows = self.data.order_by().values("pk")
            identity = rows.query.sql_with_params()
            self._length = caching.cached_until_write("table-count", identity, rows.count)
        return super().__len__()

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return super().__getitem__(key)
        ordered = self.data.order_by(*total_ordering(self.data))
        start, stop = key.start or 0, key.stop
        total = len(self)  # the paginator has counted already: no query
        from_end = stop is not None and total - stop < start
        if from_end:
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
