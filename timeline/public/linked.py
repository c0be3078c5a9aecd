"""What a download gives of each record beyond what a page shows (timeline.public.links): the
slugs of the events, measures and statements it is linked to, and where each of its sources can
be read. One query a relation for a chunk of records, whatever its size.

``attach_linked(kind, records)`` gives each record ``linked`` ({"measures": [slugs], ...}, the
relations its kind has) and ``source_urls`` (the article URL of each of its ``source_links``, in
their order: call it after attach_links).
"""

from timeline.models import Measure, Source, Statement

# kind -> {name: (through model, this record's field on it, the other record's field)}
RELATIONS = {
    "event": {
        "measures": (Measure.events.through, "event", "measure"),
        "statements": (Statement.events.through, "event", "statement"),
    },
    "measure": {
        "events": (Measure.events.through, "measure", "event"),
        "statements": (Statement.measures.through, "measure", "statement"),
    },
    "statement": {
        "events": (Statement.events.through, "statement", "event"),
        "measures": (Statement.measures.through, "statement", "measure"),
    },
}


def attach_linked(kind, records):
    records = list(records)
    by_pk = {record.pk: record for record in records}
    for record in records:
        record.linked = {name: [] for name in RELATIONS.get(kind, {})}
    for name, (through, own, other) in RELATIONS.get(kind, {}).items():
        rows = (
            through.objects.filter(**{f"{own}__in": list(by_pk)})
            .order_by(f"{other}__date", f"{other}__slug")
            .values_list(own, f"{other}__slug")
        )
        for pk, slug in rows:
            by_pk[pk].linked[name].append(slug)
    slugs = {link.slug for record in records for link in getattr(record, "source_links", ())}
    urls = dict(Source.objects.filter(slug__in=slugs).values_list("slug", "url")) if slugs else {}
    for record in records:
        record.source_urls = [
            urls.get(link.slug, "") for link in getattr(record, "source_links", ())
        ]
