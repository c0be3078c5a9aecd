"""The public, read-only site: the timeline, a table and a page for each kind of record.

Every view answers GET and HEAD only, and reads through the models' named QuerySet methods so
each page costs a fixed number of queries however many records there are (at most 10). Every page
is cached whole until the next write (timeline.caching); table pages are fetched by a deferred
join (timeline.paging); full-table downloads are streamed (timeline.streaming).
"""

from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin

from timeline.models import DATED_MODELS, Actor, Event, Measure, Source, Statement

from . import caching, downloads, entries, filters, tables, timeline_download
from .paging import CappedPaginator, DeferredJoinData


class PublicViewMixin:
    """Read-only (anything but GET and HEAD is refused with 405) and cached until the next write."""

    http_method_names = ["get", "head"]

    @classmethod
    def as_view(cls, **initkwargs):
        return caching.cache_public_page(super().as_view(**initkwargs))

    def get_context_data(self, **kwargs):
        # The key of the fragments cached until the next write (filter form, histogram), read
        # from the cache only by a page that has one.
        fragment_key = SimpleLazyObject(lambda: caching.fragment_key(self.request))
        return super().get_context_data(fragment_key=fragment_key, **kwargs)


class TimelineMixin:
    """A page of merged, month-grouped entries with its histogram, for the given querysets."""

    per_page = 50

    def timeline_context(self, querysets, identity):
        """``identity``: what the querysets select, to cache their counts per month under."""
        timeline = entries.Timeline(querysets, per_page=self.per_page, identity=identity)
        page, groups = timeline.page(self.request.GET.get("page"))
        return {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "groups": groups,
            # Drawn only when its cached fragment is missing (partials/histogram.html).
            "histogram": SimpleLazyObject(timeline.histogram),
        }


class TimelineView(PublicViewMixin, TimelineMixin, TemplateView):
    template_name = "timeline/timeline.html"

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("_export")
        if export_format in timeline_download.FORMATS:
            return timeline_download.export(request, export_format)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = filters.TimelineFilterForm(self.request.GET)
        context = super().get_context_data(form=form, **kwargs)
        querysets = form.querysets()
        context.update(self.timeline_context(querysets, form.identity()))
        return context


class RecordTableView(PublicViewMixin, ExportMixin, SingleTableMixin, FilterView):
    """A sortable, filterable, paginated table of one model, exportable as CSV, JSON or XLSX."""

    template_name = "timeline/record_list.html"
    export_formats = ("csv", "json", "xlsx")
    table_pagination = {"per_page": 50, "paginator_class": CappedPaginator}
    intro = ""

    def get_queryset(self):
        return self.model.objects.with_relations()

    def get_table_data(self):
        return DeferredJoinData(super().get_table_data())

    def get_export_filename(self, export_format):
        return f"calais-{self.model._meta.verbose_name_plural}.{export_format}"

    def create_export(self, export_format):
        """Every filtered row, in the table's order: CSV and JSON streamed, XLSX capped."""
        table = self.get_table_class()(data=self.get_table_data(), **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        filename = self.get_export_filename(export_format)
        if export_format in downloads.STREAMED:
            return downloads.streamed_export(table, export_format, filename)
        count = table.data.data.count()
        if count > downloads.XLSX_MOST_ROWS:
            return downloads.too_many_rows_for_xlsx(count)
        return downloads.xlsx_export(table, filename)

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get(self.export_trigger_param) not in self.export_formats:
            # Skip ExportMixin: it would also accept formats we do not offer (latex, ods...).
            return super(ExportMixin, self).render_to_response(context, **kwargs)
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.model._meta.verbose_name_plural.capitalize(), intro=self.intro, **kwargs
        )


class EventListView(RecordTableView):
    model = Event
    table_class = tables.EventTable
    filterset_class = filters.EventFilter
    intro = "What happened or was reported, in the project's own words."


class MeasureListView(RecordTableView):
    model = Measure
    table_class = tables.MeasureTable
    filterset_class = filters.MeasureFilter
    intro = "Policy measures, dated when first proposed or announced."


class StatementListView(RecordTableView):
    model = Statement
    table_class = tables.StatementTable
    filterset_class = filters.StatementFilter
    intro = "Who said what: verbatim quotations and reported speech."


class ActorListView(RecordTableView):
    model = Actor
    table_class = tables.ActorTable
    filterset_class = filters.ActorFilter
    intro = "People, governments, organisations and groups in the timeline."

    def get_queryset(self):
        return Actor.objects.with_counts()


class SourceListView(RecordTableView):
    model = Source
    table_class = tables.SourceTable
    filterset_class = filters.SourceFilter
    intro = "The articles every entry is drawn from."

    def get_queryset(self):
        return Source.objects.with_counts()


class RecordDetailView(PublicViewMixin, DetailView):
    def get_queryset(self):
        return self.model.objects.with_details()


class EventDetailView(RecordDetailView):
    model = Event


class MeasureDetailView(RecordDetailView):
    model = Measure


class StatementDetailView(RecordDetailView):
    model = Statement


class RecordTimelineView(TimelineMixin, RecordDetailView):
    """A record's page with the paginated timeline of the entries that belong to it."""

    def entries_of(self, model, record):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        querysets = {
            kind: self.entries_of(model, self.object) for kind, model in DATED_MODELS.items()
        }
        identity = (self.model._meta.model_name, self.object.pk)
        context.update(self.timeline_context(querysets, identity=identity))
        return context


class ActorDetailView(RecordTimelineView):
    """An actor, their roles, and their events, measures and statements over time."""

    model = Actor

    def get_queryset(self):
        return Actor.objects.with_relations()

    def entries_of(self, model, actor):
        return model.objects.for_actor(actor)


class SourceDetailView(RecordTimelineView):
    """A source and every record that cites it, over time."""

    model = Source

    def get_queryset(self):
        return Source.objects.all()

    def entries_of(self, model, source):
        return model.objects.from_source(source)
