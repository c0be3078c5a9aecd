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


def hidden(verbose_name):
    """A column of the downloads only: the page's rows show what they need of it already."""
    return tables.Column(verbose_name=verbose_name, visible=False, orderable=False, empty_values=())


class RecordTable(tables.Table):
    slug = tables.Column(verbose_name="Slug", visible=False)
    page_url = hidden("Page")

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

    def value_page_url(self, record):
        url = record.get_absolute_url()
        return self.request.build_absolute_uri(url) if self.request else url

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
    date_iso = hidden("Date (ISO 8601, at its precision)")
    sources = tables.Column(verbose_name="Sources", orderable=False, empty_values=())
    source_titles = hidden("Source titles")
    source_publishers = hidden("Source publishers")
    source_dates = hidden("Source dates")
    source_urls = hidden("Source URLs")

    class Meta(RecordTable.Meta):
        pass

    # Downloads: many-valued fields are lists (JSON arrays; "; "-joined in CSV and XLSX), the
    # sources' lists in the same order; linked records by slug (timeline.public.linked).

    def value_date(self, record):
        return record.date

    def value_date_iso(self, record):
        return record.date_machine

    def value_sources(self, record):
        return [link.slug for link in record.source_links]

    def value_source_titles(self, record):
        return [link.title for link in record.source_links]

    def value_source_publishers(self, record):
        return [link.publisher for link in record.source_links]

    def value_source_dates(self, record):
        return [link.published_on for link in record.source_links]

    def value_source_urls(self, record):
        return getattr(record, "source_urls", [])

    def linked(self, record, name):
        return getattr(record, "linked", {}).get(name, [])

    def value_date_precision(self, record):
        return record.date_precision

    def value_date_display(self, record):
        return record.date_display


class EventTable(DatedTable):
    title = tables.Column(verbose_name="Event", linkify=True)
    place = tables.Column(verbose_name="Place", order_by=("place__name",))
    actors = tables.Column(verbose_name="Actors", orderable=False, empty_values=())
    summary = hidden("Summary")
    place_name = hidden("Place name")
    actor_names = hidden("Actor names")
    actor_capacities = hidden("Actor capacities")
    measures = hidden("Measures")
    statements = hidden("Statements")

    class Meta(DatedTable.Meta):
        model = Event
        fields = ["date", "title", "place", "actors", "sources"]
        sequence = ["date", "title", "place", "actors", "sources", "..."]

    def value_place(self, record):
        return record.place.slug if record.place else ""

    def value_place_name(self, record):
        return record.place.name if record.place else ""

    def value_actors(self, record):
        return [link.slug for link in record.actor_links]

    def value_actor_names(self, record):
        return [link.name for link in record.actor_links]

    def value_actor_capacities(self, record):
        return [link.capacity for link in record.actor_links]

    def value_measures(self, record):
        return self.linked(record, "measures")

    def value_statements(self, record):
        return self.linked(record, "statements")


class MeasureTable(DatedTable):
    title = tables.Column(verbose_name="Measure", linkify=True)
    responsible = tables.Column(verbose_name="Responsible", orderable=False, empty_values=())
    description = hidden("Description")
    responsible_names = hidden("Responsible names")
    events = hidden("Events")
    statements = hidden("Statements")

    class Meta(DatedTable.Meta):
        model = Measure
        fields = ["date", "title", "category", "status", "responsible", "sources"]
        sequence = ["date", "title", "category", "status", "responsible", "sources", "..."]

    def value_category(self, record):
        return record.category

    def value_status(self, record):
        return record.status

    def value_responsible(self, record):
        return [link.slug for link in record.actor_links]

    def value_responsible_names(self, record):
        return [link.name for link in record.actor_links]

    def value_events(self, record):
        return self.linked(record, "events")

    def value_statements(self, record):
        return self.linked(record, "statements")


class StatementTable(DatedTable):
    speaker = tables.Column(verbose_name="Speaker", linkify=True, order_by=("speaker__name",))
    text = tables.Column(verbose_name="Words", empty_values=())
    kind = tables.Column(verbose_name="Kind")
    speaker_name = hidden("Speaker name")
    speaker_role = hidden("Speaker's role then")
    speaker_role_slug = hidden("Speaker's role (slug)")
    events = hidden("Events")
    measures = hidden("Measures")

    class Meta(DatedTable.Meta):
        model = Statement
        fields = ["date", "speaker", "text", "kind", "sources"]
        sequence = ["date", "speaker", "text", "kind", "sources", "..."]

    def value_text(self, record):
        return record.text

    def value_kind(self, record):
        return record.kind

    def value_speaker(self, record):
        return record.speaker.slug

    def value_speaker_name(self, record):
        return record.speaker.name

    def value_speaker_role(self, record):
        return record.speaker_role.title if record.speaker_role else ""

    def value_speaker_role_slug(self, record):
        return record.speaker_role.slug if record.speaker_role else ""

    def value_events(self, record):
        return self.linked(record, "events")

    def value_measures(self, record):
        return self.linked(record, "measures")


class ActorTable(RecordTable):
    name = tables.Column(verbose_name="Name", linkify=True)
    statement_count = tables.Column(verbose_name="Statements", attrs={"td": {"class": "num"}})
    event_count = tables.Column(verbose_name="Events", attrs={"td": {"class": "num"}})
    measure_count = tables.Column(verbose_name="Measures", attrs={"td": {"class": "num"}})
    description = hidden("Description")

    class Meta(RecordTable.Meta):
        model = Actor
        fields = ["name", "kind", "country", "statement_count", "event_count", "measure_count"]

    def value_kind(self, record):
        return record.kind

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
        return record.published_on

    def value_url(self, record):
        return record.url
