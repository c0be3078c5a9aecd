"""django-tables2 tables of the public lists: the one definition of each table.

A table class says which columns a table has, in which order, their headers, how each sorts and
what each exports (the value_* methods and the columns' value(), plain text). The page reads the
same columns (``RecordTable.page_rows``): each visible column, in order, gives its header, its
sort link, its cells' attributes and its cells, written by the column's ``html`` as django-tables2
columns render theirs, or by the table macro of timeline/macros.html for the cells it shares with
other pages (a date at its precision, actors, citations). Adding a column to a class adds it to
the page and to every download.

The cells are written in one pass over the page's records, not by django-tables2's per-cell
rendering (a BoundRow and a template a cell), which would cost most of a table page's time.
"""

import copy
from collections.abc import Callable
from operator import attrgetter
from typing import NamedTuple

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from markupsafe import Markup, escape

from timeline import dates
from timeline.models import Actor, Event, Indicator, Measure, Source, Statement

from .links import attach_links


def text_html(value, record, record_url):
    return "—" if value is None or value == "" else escape(value)


def names(items, attribute="name"):
    return "; ".join(getattr(item, attribute) for item in items)


class Column(tables.Column):
    """A column of a table page. Its cells are written by ``html`` (plain text here, "—" when
    empty; with markupsafe, Jinja2's own escaping, cheaper than Django's), or, when ``cell``
    names another kind, by the table macro of timeline/macros.html,
    from the record itself (its date, its actors and sources) when ``reads_value`` is False."""

    cell = "html"
    reads_value = True

    def html(self, value, record, record_url):
        return text_html(value, record, record_url)

    def __deepcopy__(self, memo):
        # django-tables2 deep-copies every column of a table for each table it makes; a column
        # is never changed after its class is defined but for its attributes, copied here.
        column = copy.copy(self)
        column.attrs = copy.deepcopy(self.attrs, memo)
        return column


class LinkColumn(Column):
    """The value, linking to its own page if it has one (a speaker), else to the record's."""

    def html(self, value, record, record_url):
        if value is None:
            return "—"
        url = value.get_absolute_url() if hasattr(value, "get_absolute_url") else record_url(record)
        return Markup(f'<a href="{escape(url)}">{escape(value)}</a>')


class PrecisionDateColumn(Column):
    """The record's date at its precision ("week of 17 August 2015"), exported as ISO."""

    cell = "date"
    reads_value = False

    def value(self, record, **kwargs):
        return record.date.isoformat()


class DayColumn(Column):
    """A calendar day ("19 August 2015"), exported as ISO."""

    cell = "day"

    def value(self, value, **kwargs):
        return value.isoformat()


class ActorsColumn(Column):
    """The record's actors (timeline.links), linked, with their capacity if they have one."""

    cell = "actors"
    reads_value = False

    def value(self, record, **kwargs):
        return names(record.actor_links)


class SourcesColumn(Column):
    """The sources the record cites (timeline.links), linked, exported by title."""

    cell = "citations"
    reads_value = False

    def value(self, record, **kwargs):
        return names(record.source_links, "title")


class WordsColumn(Column):
    """What a statement says, the first words on the page (in quotation marks only for a
    verbatim quotation) with a link to the whole statement; all of it in exports."""

    cell = "words"


class ExternalLinkColumn(Column):
    """A link to an address outside the site, exported as the address."""

    def html(self, value, record, record_url):
        if not value:
            return "—"
        return Markup(
            f'<a href="{escape(value)}" rel="noopener">'
            f'Read<span class="visually-hidden"> {escape(record)}</span></a>'
        )


class PageColumn(NamedTuple):
    """What the page needs of a visible column, read once a page rather than once a cell."""

    name: str
    header: str
    cell: str
    th_attrs: str  # HTML, each attribute after a space
    td_open: str  # HTML: the cells' opening tag, with their attributes and the header as label
    orderable: bool
    next_order: str
    aria_sort: str
    value: Callable


def value_getter(bound_column, model):
    """A function of a record giving the column's value as a cell shows it: a choice's label, a
    related field's value (None when the relation is empty)."""
    bits = bound_column.accessor.bits
    if model is not None and len(bits) == 1:
        try:
            field = model._meta.get_field(bits[0])
        except FieldDoesNotExist:
            field = None
        if field is not None and field.choices:
            display = attrgetter(f"get_{bits[0]}_display")
            return lambda record: display(record)()
    get = attrgetter(".".join(bits))

    def value(record):
        try:
            return get(record)
        except AttributeError:
            return None

    return value


def spaced(attrs):
    """HTML attributes to write straight after a tag's name: " class=\"num\"", or ""."""
    return format_html(" {}", attrs) if attrs else ""


def no_value(record):
    return None


def cell_writer(column, get, record_url):
    """A function of a record giving its cell's HTML (Column.html)."""
    # The columns django-tables2 makes for Meta.fields are its own, with no html(): plain text.
    html = getattr(column, "html", text_html)
    return lambda record: html(get(record), record, record_url)


def page_column(bound_column, model, record_url):
    column = bound_column.column
    cell = getattr(column, "cell", "html")
    if not getattr(column, "reads_value", True):
        value = no_value
    elif cell == "html":
        value = cell_writer(column, value_getter(bound_column, model), record_url)
    else:
        value = value_getter(bound_column, model)
    header = str(bound_column.header)
    ordered = bound_column.is_ordered
    descending = ordered and bound_column.order_by_alias.is_descending
    return PageColumn(
        name=bound_column.name,
        header=header,
        cell=cell,
        th_attrs=spaced(bound_column.attrs["th"].as_html()),
        td_open=Markup(
            f'<td{spaced(bound_column.attrs["td"].as_html())} data-label="{escape(header)}">'
        ),
        orderable=bound_column.orderable,
        next_order=bound_column.order_by_alias.next if bound_column.orderable else "",
        aria_sort=("descending" if descending else "ascending") if ordered else "",
        value=value,
    )


def hidden(verbose_name):
    """A column of the downloads only: the page's rows show what they need of it already."""
    return Column(verbose_name=verbose_name, visible=False, orderable=False, empty_values=())


class RecordTable(tables.Table):
    slug = Column(verbose_name="Slug", visible=False)
    page_url = hidden("Page")

    class Meta:
        attrs = {"class": "records"}
        empty_text = "No records match."

    @property
    def caption(self):
        return self._meta.model._meta.verbose_name_plural.capitalize()

    def record_url(self, record):
        return record.get_absolute_url()

    def value_page_url(self, record):
        url = record.get_absolute_url()
        return self.request.build_absolute_uri(url) if self.request else url

    def page_rows(self):
        """The visible columns (PageColumn) and the page's rows: (record, cells), the records
        with their actors and sources (timeline.links), a cell (cell, td_open, value) a column."""
        model = self._meta.model
        columns = [
            page_column(bound_column, model, self.record_url) for bound_column in self.columns
        ]
        records = list(self.paginated_rows.data)
        attach_links({model._meta.model_name: records})
        cells = [(column.cell, column.td_open, column.value) for column in columns]
        rows = [
            (record, [(cell, td_open, get(record)) for cell, td_open, get in cells])
            for record in records
        ]
        return columns, rows


class DatedTable(RecordTable):
    """Dated records: the date as precise as the source, with its precision in exports."""

    date = PrecisionDateColumn(verbose_name="Date", order_by=("date", "slug"), empty_values=())
    date_precision = Column(verbose_name="Date precision", visible=False)
    date_display = Column(
        verbose_name="Date as published", visible=False, orderable=False, empty_values=()
    )
    date_iso = hidden("Date (ISO 8601, at its precision)")
    sources = SourcesColumn(verbose_name="Sources", orderable=False, empty_values=())
    source_titles = hidden("Source titles")
    source_publishers = hidden("Source publishers")
    source_dates = hidden("Source dates")
    source_urls = hidden("Source URLs")

    class Meta(RecordTable.Meta):
        pass

    def record_url(self, record):
        return record.url  # given by timeline.links with the record's actors and sources

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
    title = LinkColumn(verbose_name="Event")
    status = Column(verbose_name="Status")
    place = LinkColumn(verbose_name="Place", order_by=("place__name",))
    reviewed = Column(verbose_name="Reviewed", visible=False)
    actors = ActorsColumn(verbose_name="Actors", orderable=False, empty_values=())
    summary = hidden("Summary")
    place_name = hidden("Place name")
    actor_names = hidden("Actor names")
    actor_capacities = hidden("Actor capacities")
    measures = hidden("Measures")
    statements = hidden("Statements")

    class Meta(DatedTable.Meta):
        model = Event
        fields = ["date", "title", "status", "place", "actors", "sources"]
        sequence = ["date", "title", "status", "place", "actors", "sources", "..."]

    def value_status(self, record):
        return record.status

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


class CostColumn(Column):
    """An amount with its currency ("£44,500,000"); exported as the number, with the currency
    in a column of its own."""

    cell = "cost"

    def __init__(self, **kwargs):
        super().__init__(attrs={"td": {"class": "num"}}, **kwargs)


class MeasureTable(DatedTable):
    title = LinkColumn(verbose_name="Measure")
    status = Column(verbose_name="Status now")
    place = LinkColumn(verbose_name="Place", order_by=("place__name",))
    cost = CostColumn(verbose_name="Cost", accessor="cost_amount", order_by=("cost_amount",))
    responsible = ActorsColumn(verbose_name="Responsible", orderable=False, empty_values=())
    description = hidden("Description")
    place_name = hidden("Place name")
    cost_currency = Column(verbose_name="Cost currency", visible=False)
    policy_area = Column(verbose_name="Policy area", visible=False)
    direction = Column(verbose_name="Direction", visible=False)
    target_group = Column(verbose_name="Target group", visible=False)
    reviewed = Column(verbose_name="Reviewed", visible=False)
    responsible_names = hidden("Responsible names")
    events = hidden("Events")
    statements = hidden("Statements")

    class Meta(DatedTable.Meta):
        model = Measure
        fields = ["date", "title", "category", "status", "place", "cost", "responsible", "sources"]
        sequence = [
            "date",
            "title",
            "category",
            "status",
            "place",
            "cost",
            "responsible",
            "sources",
            "...",
        ]

    def value_category(self, record):
        return record.category

    def value_status(self, record):
        return record.status

    def value_place(self, record):
        return record.place.slug if record.place else ""

    def value_place_name(self, record):
        return record.place.name if record.place else ""

    def value_cost(self, record):
        return record.cost_amount

    def value_cost_currency(self, record):
        return record.cost_currency

    def value_policy_area(self, record):
        return record.policy_area

    def value_direction(self, record):
        return record.direction

    def value_target_group(self, record):
        return record.target_group

    def value_responsible(self, record):
        return [link.slug for link in record.actor_links]

    def value_responsible_names(self, record):
        return [link.name for link in record.actor_links]

    def value_events(self, record):
        return self.linked(record, "events")

    def value_statements(self, record):
        return self.linked(record, "statements")


class StatementTable(DatedTable):
    speaker = LinkColumn(verbose_name="Speaker", order_by=("speaker__name",))
    speaker_role = Column(
        verbose_name="Role then", accessor="speaker_role__title", order_by=("speaker_role__title",)
    )
    text = WordsColumn(verbose_name="Words", empty_values=())
    kind = Column(verbose_name="Kind")
    speaker_name = hidden("Speaker name")
    attributed_as = hidden("Attributed as printed")
    joint_speakers = hidden("Joint speakers")
    reviewed = Column(verbose_name="Reviewed", visible=False)
    speaker_role_slug = hidden("Speaker's role (slug)")
    events = hidden("Events")
    measures = hidden("Measures")

    class Meta(DatedTable.Meta):
        model = Statement
        fields = ["date", "speaker", "speaker_role", "text", "kind", "sources"]
        sequence = ["date", "speaker", "speaker_role", "text", "kind", "sources", "..."]

    def value_text(self, record):
        return record.text

    def value_kind(self, record):
        return record.kind

    def value_speaker(self, record):
        return record.speaker.slug if record.speaker else ""

    def value_speaker_name(self, record):
        return record.speaker.name if record.speaker else record.attributed_as

    def value_attributed_as(self, record):
        return record.attributed_as

    def value_joint_speakers(self, record):
        return [link.slug for link in record.actor_links]

    def value_speaker_role(self, record):
        return record.speaker_role.title if record.speaker_role else ""

    def value_speaker_role_slug(self, record):
        return record.speaker_role.slug if record.speaker_role else ""

    def value_events(self, record):
        return self.linked(record, "events")

    def value_measures(self, record):
        return self.linked(record, "measures")


class CountColumn(Column):
    def __init__(self, **kwargs):
        super().__init__(attrs={"td": {"class": "num"}}, **kwargs)


class ActorTable(RecordTable):
    name = LinkColumn(verbose_name="Name")
    country = Column(verbose_name="Country", accessor="country__name", order_by=("country",))
    statement_count = CountColumn(verbose_name="Statements")
    event_count = CountColumn(verbose_name="Events")
    measure_count = CountColumn(verbose_name="Measures")
    description = hidden("Description")

    class Meta(RecordTable.Meta):
        model = Actor
        fields = ["name", "kind", "country", "statement_count", "event_count", "measure_count"]

    def value_kind(self, record):
        return record.kind

    def value_country(self, record):
        return record.country.code


class SourceTable(RecordTable):
    date = DayColumn(
        verbose_name="Published", accessor="published_on", order_by=("published_on", "title")
    )
    title = LinkColumn(verbose_name="Title")
    event_count = CountColumn(verbose_name="Events")
    measure_count = CountColumn(verbose_name="Measures")
    statement_count = CountColumn(verbose_name="Statements")
    url = ExternalLinkColumn(verbose_name="Original", orderable=False, empty_values=())

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


class OptionalDayColumn(Column):
    """A calendar day, or "—" when there is none; exported as the date itself (a date in XLSX,
    ISO in CSV and JSON, empty when there is none)."""

    def html(self, value, record, record_url):
        if value is None:
            return "—"
        return Markup(
            f'<time datetime="{value.isoformat()}">{escape(dates.day_display(value))}</time>'
        )


class IndicatorTable(RecordTable):
    """What the articles count or measure, with how many values each has and over what dates."""

    name = LinkColumn(verbose_name="Indicator")
    unit = Column(verbose_name="Unit")
    currency = Column(verbose_name="Currency")
    observation_count = CountColumn(verbose_name="Observations")
    first_date = OptionalDayColumn(verbose_name="From")
    last_date = OptionalDayColumn(verbose_name="To")
    description = hidden("Description")

    class Meta(RecordTable.Meta):
        model = Indicator
        fields = ["name", "unit", "currency", "observation_count", "first_date", "last_date"]
        empty_text = "No indicators yet."

    def value_first_date(self, record):
        return record.first_date

    def value_last_date(self, record):
        return record.last_date
