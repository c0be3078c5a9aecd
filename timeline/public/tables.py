"""django-tables2 tables of the public lists; exports use the value_* methods (plain text).

A table class defines the columns: their headers, sorting, pagination and exports. Its page's rows
are written by one Jinja2 template loop over the records (``rows_template_name``, under
timeline/jinja2/), not cell by cell: django-tables2 compiles and renders a TemplateColumn's
template for every cell, which cost most of a table page's time (issue 6). Each row template
writes one cell per visible column, in the columns' order, labelled (data-label) with the
column's header; tests/test_tables.py checks that.
"""

import django_tables2 as tables

from timeline.models import Actor, Event, Measure, Source, Statement

from .links import attach_links


def names(items, attribute="name"):
    return "; ".join(getattr(item, attribute) for item in items)


class RecordTable(tables.Table):
    slug = tables.Column(verbose_name="Slug", visible=False)

    class Meta:
        template_name = "timeline/table.html"
        attrs = {"class": "records"}
        empty_text = "No records match."

    @property
    def caption(self):
        return self._meta.model._meta.verbose_name_plural.capitalize()

    @property
    def rows_template_name(self):
        return f"timeline/rows/{self._meta.model._meta.model_name}.html"

    @property
    def page_records(self):
        """The records of the page shown, with their actors and sources (timeline.links)."""
        records = list(self.paginated_rows.data)
        attach_links({self._meta.model._meta.model_name: records})
        return records


class DatedTable(RecordTable):
    """Dated records: the date as precise as the source, with its precision in exports."""

    date = tables.Column(verbose_name="Date", order_by=("date", "slug"), empty_values=())
    date_precision = tables.Column(verbose_name="Date precision", visible=False)
    date_display = tables.Column(
        verbose_name="Date as published", visible=False, orderable=False, empty_values=()
    )
    sources = tables.Column(verbose_name="Sources", orderable=False, empty_values=())

    class Meta(RecordTable.Meta):
        pass

    def value_date(self, record):
        return record.date.isoformat()

    def value_date_precision(self, record):
        return record.date_precision

    def value_date_display(self, record):
        return record.date_display

    def value_sources(self, record):
        return names(record.source_links, "title")


class EventTable(DatedTable):
    title = tables.Column(verbose_name="Event", linkify=True)
    place = tables.Column(verbose_name="Place", order_by=("place__name",))
    actors = tables.Column(verbose_name="Actors", orderable=False, empty_values=())

    class Meta(DatedTable.Meta):
        model = Event
        fields = ["date", "title", "place", "actors", "sources"]
        sequence = ["date", "title", "place", "actors", "sources", "..."]

    def value_actors(self, record):
        return names(record.actor_links)


class MeasureTable(DatedTable):
    title = tables.Column(verbose_name="Measure", linkify=True)
    responsible = tables.Column(verbose_name="Responsible", orderable=False, empty_values=())

    class Meta(DatedTable.Meta):
        model = Measure
        fields = ["date", "title", "category", "status", "responsible", "sources"]
        sequence = ["date", "title", "category", "status", "responsible", "sources", "..."]

    def value_responsible(self, record):
        return names(record.actor_links)


class StatementTable(DatedTable):
    speaker = tables.Column(verbose_name="Speaker", linkify=True, order_by=("speaker__name",))
    text = tables.Column(verbose_name="Words", empty_values=())
    kind = tables.Column(verbose_name="Kind")

    class Meta(DatedTable.Meta):
        model = Statement
        fields = ["date", "speaker", "text", "kind", "sources"]
        sequence = ["date", "speaker", "text", "kind", "sources", "..."]

    def value_text(self, record):
        return record.text


class ActorTable(RecordTable):
    name = tables.Column(verbose_name="Name", linkify=True)
    statement_count = tables.Column(verbose_name="Statements", attrs={"td": {"class": "num"}})
    event_count = tables.Column(verbose_name="Events", attrs={"td": {"class": "num"}})
    measure_count = tables.Column(verbose_name="Measures", attrs={"td": {"class": "num"}})

    class Meta(RecordTable.Meta):
        model = Actor
        fields = ["name", "kind", "country", "statement_count", "event_count", "measure_count"]

    def value_country(self, record):
        return record.country.code


class SourceTable(RecordTable):
    date = tables.DateColumn(
        verbose_name="Published",
        accessor="published_on",
        format="j F Y",
        order_by=("published_on", "title"),
    )
    title = tables.Column(verbose_name="Title", linkify=True)
    event_count = tables.Column(verbose_name="Events", attrs={"td": {"class": "num"}})
    measure_count = tables.Column(verbose_name="Measures", attrs={"td": {"class": "num"}})
    statement_count = tables.Column(verbose_name="Statements", attrs={"td": {"class": "num"}})
    url = tables.Column(verbose_name="Original", orderable=False, empty_values=())

    class Meta(RecordTable.Meta):
        model = Source
        fields = [
            "date",
            "title",
            "publisher",
            "language",
            "event_count",
            "measure_count",
            "statement_count",
            "url",
        ]

    def value_date(self, record):
        return record.published_on.isoformat()

    def value_url(self, record):
        return record.url
