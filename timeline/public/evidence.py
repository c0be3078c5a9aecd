"""The passages a page's claims rest on, read in one query for every claim of the page.

A record's page shows the passages beneath each of its claims: the record itself, and on a
measure's page each status change and each link to another measure. Prefetching them claim by
claim would cost a query a relation; ``attach_passages`` reads the passages of records of any
models (each with a ``passages`` many-to-many field) in one UNION, with their sources, and gives
every record ``cited_passages``: a list of ``PassageRow`` in the order of the article (source,
then paragraph).

``records_resting_on(passage)`` is the other direction: every record citing one passage, for the
passage's own page.
"""

import datetime
from typing import NamedTuple

from django.db.models import CharField, Value

from timeline.models import url_maker


class PassageRow(NamedTuple):
    slug: str
    url: str
    paragraph: int
    text: str
    source_url: str
    source_title: str
    source_publisher: str
    source_published_on: datetime.date

    @property
    def publisher_display(self):
        return self.source_publisher or "publisher unknown"


def _date(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def through_of(model):
    """The table linking ``model`` to its passages, and the name of its own column there."""
    field = model._meta.get_field("passages")
    return field.remote_field.through, field.m2m_field_name()


def attach_passages(*record_lists):
    """Give every record of every list its ``cited_passages`` (module docstring); one query."""
    by_key, parts = {}, []
    for records in record_lists:
        records = list(records)
        if not records:
            continue
        model = type(records[0])
        label = model._meta.label_lower
        for record in records:
            record.cited_passages = []
            by_key[label, record.pk] = record
        through, own = through_of(model)
        parts.append(
            through.objects.filter(**{f"{own}__in": [record.pk for record in records]})
            .order_by()
            .annotate(record_model=Value(label, output_field=CharField()))
            .values_list(
                "record_model",
                own,
                "passage__slug",
                "passage__paragraph",
                "passage__text",
                "passage__source__slug",
                "passage__source__title",
                "passage__source__publisher",
                "passage__source__published_on",
            )
        )
    if not parts:
        return
    first, *rest = parts
    rows = first.union(*rest, all=True) if rest else first
    passage_url = url_maker("timeline:passage-detail")
    source_url = url_maker("timeline:source-detail")
    found = []
    for label, pk, slug, paragraph, text, source_slug, title, publisher, published in rows:
        row = PassageRow(
            slug,
            passage_url(slug),
            paragraph,
            text,
            source_url(source_slug),
            title,
            publisher,
            _date(published),
        )
        found.append((label, pk, row))
    found.sort(key=lambda item: (item[2].source_published_on, item[2].source_title, item[2][2]))
    for label, pk, row in found:
        by_key[label, pk].cited_passages.append(row)


def resting_on(passage):
    """(kind, heading, records) of every kind of record citing ``passage``, in the order its
    page lists them: one query a kind."""
    chronological = ("date", "date_width", "slug")
    return [
        ("event", "Events", passage.events.order_by(*chronological)),
        ("measure", "Measures", passage.measures.order_by(*chronological)),
        (
            "status",
            "Changes of a measure's status",
            passage.status_changes.select_related("measure").order_by(*chronological),
        ),
        (
            "link",
            "Links between measures",
            passage.measure_links.select_related("measure", "target").order_by("slug"),
        ),
        (
            "statement",
            "Statements",
            passage.statements.select_related("speaker").order_by(*chronological),
        ),
        (
            "observation",
            "Figures",
            passage.observations.select_related("indicator").order_by(*chronological),
        ),
        ("role", "Roles", passage.roles.select_related("actor").order_by("start", "slug")),
    ]
