"""Downloads of every row of a table: CSV and JSON streamed, XLSX built in memory and capped.

CSV and JSON are written row by row as the response is sent, from ``QuerySet.iterator()`` in
chunks (each with its own two queries for its actors and sources, timeline.links), so a download
of 100,000 events holds one chunk of records in memory at a time, not the whole table
(bench/export_memory.py measures it). The values are the table's own export values (its
``value_*`` methods), as django-tables2's ``as_values()`` gives them, in the same columns.

XLSX cannot be streamed: tablib builds the whole workbook in memory, from the same rows. It
stays available for selections of up to XLSX_MOST_ROWS rows; a larger one is refused with a
message saying so, and pointing to CSV.
"""

import csv
import json

import tablib
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django_tables2.rows import BoundRow

from .linked import attach_linked
from .links import attach_links
from .paging import total_ordering

CHUNK_SIZE = 2000
XLSX_MOST_ROWS = 20_000


def export_columns(table):
    return [column for column in table.columns.iterall() if not column.column.exclude_from_export]


def header(columns):
    """The columns' names, which are the records' field names: stable, and documented in
    docs/data.md, where the headers on the page are words that may change."""
    return [column.name for column in columns]


def export_value(value):
    """A list (the sources, the actors...) stays a list, for JSON; the rest is plain text, or a
    date or number as it is, so that XLSX writes dates as dates."""
    if isinstance(value, (list, tuple)):
        return [force_str(item, strings_only=True) for item in value]
    return force_str(value, strings_only=True)


def flat(row):
    """A row for CSV and XLSX, whose cells hold one value: a list's items joined by "; "."""
    return ["; ".join(map(str, value)) if isinstance(value, list) else value for value in row]


def chunks(queryset):
    """The queryset's records in lists of CHUNK_SIZE."""
    chunk = []
    for record in queryset.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(record)
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def rows(table, columns):
    """The table's rows as lists of export values, read in chunks, in the table's order."""
    queryset = table.data.data
    queryset = queryset.order_by(*total_ordering(queryset))
    for chunk in chunks(queryset):
        kind = queryset.model._meta.model_name
        attach_links({kind: chunk})
        attach_linked(kind, chunk)
        for record in chunk:
            row = BoundRow(record, table=table)
            yield [export_value(row.get_cell_value(column.name)) for column in columns]


class _Line:
    """A file-like object whose write() hands back the line csv.writer formatted."""

    def write(self, value):
        return value


def csv_lines(table):
    columns = export_columns(table)
    yield from write_csv(header(columns), rows(table, columns))


def write_csv(names, rows):
    """CSV lines, the first with a UTF-8 byte-order mark: without it Excel reads the file as
    the system's legacy code page and garbles "UK–France"; pandas and csv (utf-8-sig) skip it."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(names)
    for row in rows:
        yield writer.writerow(flat(row))


def json_chunks(table):
    """A JSON array of one object per row, keyed by field name."""
    columns = export_columns(table)
    yield from write_json(header(columns), rows(table, columns))


def write_json(names, rows):
    yield "["
    separator = ""
    for row in rows:
        record = dict(zip(names, row, strict=True))
        yield separator + json.dumps(record, default=str, ensure_ascii=False)
        separator = ",\n"
    yield "]\n"


STREAMED = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "json": ("application/json", json_chunks),
}


def streamed_export(table, export_format, filename):
    content_type, chunks = STREAMED[export_format]
    response = StreamingHttpResponse(chunks(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def too_many_rows_for_xlsx(count):
    return HttpResponse(
        f"An XLSX download holds at most {XLSX_MOST_ROWS:,} rows and these filters select "
        f"{count:,}. Narrow the filters, or download CSV, which has no limit.",
        status=400,
        content_type="text/plain; charset=utf-8",
    )


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_export(table, filename):
    """The table as one XLSX workbook, built in memory: callers check its size first."""
    columns = export_columns(table)
    return xlsx_response(header(columns), rows(table, columns), table.caption, filename)


def xlsx_response(names, rows, title, filename):
    """One sheet named ``title`` ("Events"); dates stay dates, which Excel shows as such."""
    dataset = tablib.Dataset(*(flat(row) for row in rows), headers=names, title=title)
    response = HttpResponse(dataset.export("xlsx"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
