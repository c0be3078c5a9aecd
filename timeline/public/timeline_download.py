"""The timeline's downloads (``/?_export=csv|json|xlsx`` with the timeline's filters): every
entry of every kind in the timeline's order, one row each, as the timeline page shows them
(events, measures, statements, and the status changes and observations beside them), with the
fields of every kind (those of another kind left empty). Written by timeline.public.downloads's
writers, so they read as the tables' downloads do: field names as keys and headers, lists for
many-valued fields, dates as dates. CSV and JSON are streamed, the records read in chunks; XLSX
is capped as the tables' are. docs/data.md lists every field.
"""

from django.http import StreamingHttpResponse

from timeline.models import DATED_MODELS

from . import downloads, filters
from .linked import attach_linked
from .selection import entry_records, timeline_keys

FORMATS = ("csv", "json", "xlsx")

FIELDS = [
    "kind",
    "slug",
    "page_url",
    "date",
    "date_precision",
    "date_display",
    "date_iso",
    "title",
    "text",
    "place",
    "place_name",
    "actors",
    "actor_names",
    "speaker",
    "speaker_name",
    "speaker_role",
    "attributed_as",
    "category",
    "status",
    "statement_kind",
    "reviewed",
    "measure",
    "indicator",
    "value",
    "low",
    "high",
    "approximate",
    "as_printed",
    "unit",
    "reported_by",
    "events",
    "measures",
    "statements",
    "sources",
    "source_titles",
    "source_publishers",
    "source_dates",
    "source_urls",
]


def evidence_values(kind, record):
    """The fields of a status change or an observation (timeline.public.rows)."""
    if kind == "status":
        return {
            "title": record.measure_title,
            "text": record.text,
            "status": record.status_value,
            "measure": record.measure_slug,
        }
    return {
        "title": record.indicator_name,
        "text": record.text,
        "indicator": record.indicator_slug,
        "value": record.value,
        "low": record.low,
        "high": record.high,
        "approximate": record.approximate,
        "as_printed": record.as_printed,
        "unit": record.unit,
        "reported_by": record.reported_by_slug,
    }


def values(kind, record, absolute):
    """The row of one entry, as {field: value}."""
    links = record.source_links
    row = {
        "kind": kind,
        "slug": record.slug,
        "page_url": absolute(record.url),
        "date": record.date,
        "date_precision": record.date_precision,
        "date_display": record.date_display,
        "date_iso": record.date_machine,
        "sources": [link.slug for link in links],
        "source_titles": [link.title for link in links],
        "source_publishers": [link.publisher for link in links],
        "source_dates": [link.published_on for link in links],
        "source_urls": getattr(record, "source_urls", []),
        "actors": [link.slug for link in record.actor_links],
        "actor_names": [link.name for link in record.actor_links],
        "reviewed": record.reviewed,
        **{name: slugs for name, slugs in getattr(record, "linked", {}).items()},
    }
    if kind in ("status", "observation"):
        row.update(evidence_values(kind, record))
    elif kind == "event":
        row.update(
            title=record.title,
            text=record.summary,
            place=record.place.slug if record.place else "",
            place_name=record.place.name if record.place else "",
            status=record.status,
        )
    elif kind == "measure":
        row.update(
            title=record.title,
            text=record.description,
            category=record.category,
            status=record.status,
        )
    else:
        role = record.speaker_role
        row.update(
            title="",
            text=record.text,
            speaker=record.speaker.slug if record.speaker else "",
            speaker_name=record.speaker.name if record.speaker else record.attributed_as,
            speaker_role=role.title if role else "",
            attributed_as=record.attributed_as,
            statement_kind=record.kind,
        )
    return row


def rows(querysets, absolute, limit=None):
    keys, _ = timeline_keys(querysets, limit)
    for start in range(0, len(keys), downloads.CHUNK_SIZE):
        chunk = keys[start : start + downloads.CHUNK_SIZE]
        # The records as model instances (their place, speaker and role are read whole).
        records = entry_records(
            chunk, lambda model, pks: model.objects.with_relations().in_bulk(pks)
        )
        for kind, by_pk in records.items():
            if kind in DATED_MODELS:  # the evidence has no linked records, and no sources shown
                attach_linked(kind, by_pk.values())
        for kind, pk in chunk:
            row = values(kind, records[kind][pk], absolute)
            yield [downloads.export_value(row.get(name, "")) for name in FIELDS]


def export(request, export_format):
    querysets = filters.TimelineFilterForm(request.GET).timeline_querysets()
    absolute = request.build_absolute_uri
    filename = f"calais-timeline.{export_format}"
    if export_format == "xlsx":
        count = sum(queryset.count() for queryset in querysets.values())
        if count > downloads.XLSX_MOST_ROWS:
            return downloads.too_many_rows_for_xlsx(count)
        return downloads.xlsx_response(FIELDS, rows(querysets, absolute), "Timeline", filename)
    write = downloads.write_csv if export_format == "csv" else downloads.write_json
    content_type = downloads.STREAMED[export_format][0]
    response = StreamingHttpResponse(
        write(FIELDS, rows(querysets, absolute)), content_type=content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
