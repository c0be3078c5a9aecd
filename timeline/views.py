"""The public, read-only site: the timeline, a table and a page for each kind of record.

Every view answers GET and HEAD only, and reads through the models' named QuerySet methods so
each page costs a fixed number of queries however many records there are.
"""

from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from . import entries, filters, tables
from .models import Actor, Event, Measure, Source, Statement


class PublicViewMixin:
    """Read-only: anything but GET and HEAD is refused with 405."""

    http_method_names = ["get", "head"]


class TimelineView(PublicViewMixin, TemplateView):
    template_name = "timeline/timeline.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        form = filters.TimelineFilterForm(self.request.GET)
        timeline = entries.Timeline(form.querysets(), per_page=self.per_page)
        page, groups = timeline.page(self.request.GET.get("page"))
        return super().get_context_data(
            form=form,
            page_obj=page,
            page_range=page.paginator.get_elided_page_range(page.number),
            groups=groups,
            histogram=timeline.histogram(),
            **kwargs,
        )


class RecordTableView(PublicViewMixin, ExportMixin, SingleTableMixin, FilterView):
    """A sortable, filterable, paginated table of one model, exportable as CSV, JSON or XLSX."""

    template_name = "timeline/record_list.html"
    export_formats = ("csv", "json", "xlsx")
    table_pagination = {"per_page": 25}
    intro = ""

    def get_queryset(self):
        return self.model.objects.with_relations()

    def get_export_filename(self, export_format):
        return f"calais-{self.model._meta.verbose_name_plural}.{export_format}"

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


class ActorDetailView(RecordDetailView):
    model = Actor

    def get_queryset(self):
        return Actor.objects.with_relations()

    def get_context_data(self, **kwargs):
        actor = self.object
        merged = entries.merge(
            Event.objects.with_relations().for_actor(actor),
            Measure.objects.with_relations().for_actor(actor),
            Statement.objects.with_relations().for_actor(actor),
        )
        return super().get_context_data(groups=entries.group_by_month(merged), **kwargs)


class SourceDetailView(RecordDetailView):
    model = Source

    def get_queryset(self):
        return Source.objects.all()

    def get_context_data(self, **kwargs):
        source = self.object
        merged = entries.merge(
            Event.objects.with_relations().from_source(source),
            Measure.objects.with_relations().from_source(source),
            Statement.objects.with_relations().from_source(source),
        )
        return super().get_context_data(groups=entries.group_by_month(merged), **kwargs)
