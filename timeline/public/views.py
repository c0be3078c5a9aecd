"""The public, read-only site: the timeline, a table and a page for each kind of record.

Every view answers GET and HEAD only, and reads through the models' named QuerySet methods so
each page costs a fixed number of queries however many records there are (at most 10). Every page
is cached whole until the next write (caching); table pages are fetched by a deferred join
(paging); full-table downloads are streamed (downloads). Pages are Jinja2 templates (environment).
"""

from urllib.parse import urlencode

from django.contrib.staticfiles.storage import staticfiles_storage
from django.db.models import Prefetch, Q
from django.http import QueryDict
from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView, RedirectView, TemplateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.export import ExportMixin
from markupsafe import Markup

from timeline.models import (
    DATED_MODELS,
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureLink,
    MeasureLinkKind,
    MeasureStatus,
    Observation,
    Passage,
    Place,
    Source,
    Statement,
)

from . import (
    caching,
    charts,
    downloads,
    entries,
    evidence,
    filters,
    structured,
    tables,
    timeline_download,
)
from .environment import macros
from .filters import DATE_RANGE
from .paging import CappedPaginator, DeferredJoinData

# Stands for the From and To fields in the filter forms' kept markup (filter_context).
DATES = "\x00dates"


def link_query(values):
    """A QueryDict of (name, value) pairs: what the page's links keep of its query string."""
    query = QueryDict(mutable=True)
    for name, value in values:
        query[name] = value
    return query


def query(values, page=None):
    """ "?a=1&b=2" of (name, value) pairs and a page number beyond the first, or ""."""
    pairs = [*values, *([("page", page)] if page and page > 1 else [])]
    return f"?{urlencode(pairs)}" if pairs else ""


class PublicViewMixin:
    """Read-only (anything but GET and HEAD is refused with 405), cached until the next write, and
    rendered by Jinja2."""

    http_method_names = ["get", "head"]
    template_engine = "jinja2"

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return caching.cache_public_page(view, known_parameters=cls.known_parameters())

    @classmethod
    def known_parameters(cls):
        """The query parameters the view reads: its filter's fields, the page number, and for a
        table its sort order, page size and download format. A URL with any other is redirected
        to one without (caching.cache_public_page)."""
        names = set()
        if filterset_class := getattr(cls, "filterset_class", None):
            names.update(filterset_class.base_filters)
        if filter_form_class := getattr(cls, "filter_form_class", None):
            names.update(filter_form_class.base_fields)
        if issubclass(cls, TimelineMixin):
            names.add("page")
        if issubclass(cls, SingleTableMixin):
            options = cls.table_class._meta
            names.update({options.page_field, options.order_by_field, options.per_page_field})
        if export_parameter := getattr(cls, "export_trigger_param", None):
            names.add(export_parameter)
        return names

    def filter_context(self, form, title="", sort=""):
        """What a page needs of its filter ``form`` (and a table's accepted ``sort``):

        - ``form_fields``: the fields' markup, cached until the next write under the page, the
          form's values and the sort, never the raw query string: a parameter that is no filter
          (?utm_source=x) neither draws them again nor adds a cache entry. The date range is
          left out of the key and drawn for each request, into the kept markup: a new range
          (the first view of a shared link) draws two fields, not the <select>s of every actor;
        - ``filtered``, ``filters_open``: whether a filter is on, or one is wrong;
        - ``filter_values``, ``link_query``: the valid filters (and the sort), all that the page's
          links keep of its address;
        - ``title``: ``title`` with the filters in words; ``canonical``: the page's address.
        """
        values, as_submitted = filters.field_values(form)
        valid = filters.valid_values(form, values)

        if not as_submitted:
            # A value spelt otherwise ("08/19/2015"): shown as typed, not kept.
            fields = macros().form_fields(form)
        else:
            dated = any(name in DATE_RANGE for name, _ in values)
            kept_values = [pair for pair in values if pair[0] not in DATE_RANGE]
            identity = (self.request.path, kept_values, sort, dated, list(form.non_field_errors()))
            fields = caching.cached_until_write(
                "filter-fields",
                identity,
                lambda: macros().form_fields(form, dates=DATES if dated else None),
            )
            if dated:
                fields = Markup(fields.replace(DATES, macros().date_range(form)))
        kept = [*valid, *([("sort", sort)] if sort else [])]
        named = ", ".join(filters.describe(form, values))
        return {
            "form": form,
            "form_fields": fields,
            "filtered": bool(values),
            "filters_open": bool(values) or bool(form.errors),
            "filter_values": valid,
            "link_query": link_query(kept),
            "title": f"{title}: {named}" if title and named else title or named,
            "canonical": self.request.path + query(kept, self.page_number()),
        }

    def page_number(self):
        try:
            return int(self.request.GET.get("page", 1))
        except ValueError:
            return 1


class TimelineMixin:
    """A page of merged, month-grouped entries with its histogram, for the given querysets."""

    per_page = 50

    def timeline_context(
        self, querysets, identity, filter_values=(), actor=None, summary=None, date_range=()
    ):
        """``identity``: what the querysets select, to cache their counts per month under;
        ``filter_values``: the valid filters, which the histogram's links keep; ``actor``: whose
        timeline it is, if it is one actor's (each measure says how it concerns them);
        ``summary``: what the querysets select in the terms of the month counts, when they can
        count it; ``date_range``: the range the timeline narrows the querysets to."""
        timeline = entries.Timeline(
            querysets,
            per_page=self.per_page,
            identity=identity,
            summary=summary,
            date_range=date_range,
        )
        page, groups = timeline.page(self.request.GET.get("page"), actor=actor)
        link = query(filter_values)
        link = f"{link}&page=" if link else "?page="
        return {
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "groups": groups,
            "histogram": SimpleLazyObject(timeline.histogram),
            "histogram_html": timeline.render_histogram(link),
        }


class TimelineView(PublicViewMixin, TimelineMixin, TemplateView):
    template_name = "timeline/timeline.html"
    filter_form_class = filters.TimelineFilterForm

    # The timeline downloads as the tables do (?_export=csv), through timeline_download.
    export_trigger_param = "_export"

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get(self.export_trigger_param)
        if export_format in timeline_download.FORMATS:
            return timeline_download.export(request, export_format)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = self.filter_form_class(self.request.GET)
        context = super().get_context_data(**kwargs)
        context.update(self.filter_context(form))
        context["title"] = context["title"] or "Timeline"
        description = "What happened around Calais, what was decided and who said what"
        context["description"] = (
            f"{description}: {context['title']}." if context["filtered"] else f"{description}."
        )
        context.update(
            self.timeline_context(
                form.timeline_querysets(ranged=False),
                form.identity(ranged=False),
                context["filter_values"],
                actor=form.cleaned_data.get("actor"),
                summary=form.summary_selection(),
                date_range=form.date_range(),
            )
        )
        context["search_terms"] = form.cleaned_data.get("q") or ""
        return context


class RecordTableView(PublicViewMixin, ExportMixin, SingleTableMixin, FilterView):
    """A sortable, filterable, paginated table of one model, exportable as CSV, JSON or XLSX."""

    template_name = "timeline/record_list.html"
    export_formats = ("csv", "json", "xlsx")
    table_pagination = {"per_page": 50, "paginator_class": CappedPaginator}
    # An invalid filter is shown with its error and not used, as on the timeline, rather than
    # emptying the table.
    strict = False
    intro = ""

    def get_queryset(self):
        return self.model.objects.with_relations()

    def get_table_data(self):
        selection = getattr(self.filterset, "summary_selection", None)
        return DeferredJoinData(super().get_table_data(), selection() if selection else None)

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
        context = super().get_context_data(**kwargs)
        heading = self.model._meta.verbose_name_plural.capitalize()
        # The sort the table accepted (an unknown column is ignored), kept when filtering.
        sort = ",".join(context["table"].order_by or ())
        context.update(self.filter_context(self.filterset.form, heading, sort))
        context.update(heading=heading, intro=self.intro, sort=sort)
        return context


class EventListView(RecordTableView):
    model = Event
    table_class = tables.EventTable
    filterset_class = filters.EventFilter
    intro = "What happened or was reported, in the project's own words."


class MeasureListView(RecordTableView):
    model = Measure
    table_class = tables.MeasureTable
    filterset_class = filters.MeasureFilter
    intro = (
        "Policy measures, dated when first proposed or announced. Give a date under "
        "“Status on” to see what was true that day: what was in force on 1 January 2016."
    )

    def get_queryset(self):
        return super().get_queryset().select_related("place")


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


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for whatever the page links: the site's SVG icon."""

    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return staticfiles_storage.url("timeline/favicon.svg")


class RecordDetailView(PublicViewMixin, DetailView):
    def get_queryset(self):
        return self.model.objects.with_details()


class EventDetailView(RecordDetailView):
    """An event, the passages it rests on, and the figures reported with it."""

    model = Event

    def get_queryset(self):
        return super().get_queryset().prefetch_related("observations__reported_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        observations = list(event.observations.all())
        sources = list(event.sources.all())
        evidence.attach_passages([event], observations)
        context.update(
            observations=observations,
            sources=sources,
            structured_data=structured.script(structured.event_data(event, sources, self.request)),
        )
        return context


# How a measure's page words a link from another measure to it: "supplemented by Sandhurst".
PASSIVE_LINK_KINDS = {
    MeasureLinkKind.AMENDS: "Amended by",
    MeasureLinkKind.SUPPLEMENTS: "Supplemented by",
    MeasureLinkKind.SUPERSEDES: "Superseded by",
    MeasureLinkKind.IMPLEMENTS: "Implemented by",
}


class MeasureDetailView(RecordDetailView):
    """A measure, its status over time with the passages of each change, the measures it links
    to and those linking to it, and its figures."""

    model = Measure

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("place")
            .prefetch_related(
                Prefetch("status_changes", queryset=MeasureStatus.objects.chronological()),
                Prefetch(
                    "observations",
                    queryset=Observation.objects.select_related(
                        "indicator", "reported_by"
                    ).chronological(),
                ),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        measure = self.object
        changes = list(measure.status_changes.all())
        observations = list(measure.observations.all())
        # Both directions in one query: what it does to others, and what others do to it.
        links = list(
            MeasureLink.objects.filter(Q(measure=measure) | Q(target=measure))
            .select_related("measure", "target")
            .order_by("kind", "slug")
        )
        sources = list(measure.sources.all())
        evidence.attach_passages([measure], changes, links, observations)
        cost = ""
        if measure.cost_amount is not None:
            cost = charts.amount(measure.cost_amount, measure.cost_currency)
        context.update(
            status_changes=changes,
            links_out=[link for link in links if link.measure_id == measure.pk],
            links_in=[link for link in links if link.target_id == measure.pk],
            passive=PASSIVE_LINK_KINDS,
            observations=observations,
            sources=sources,
            cost=cost,
            structured_data=structured.script(
                structured.measure_data(measure, sources, self.request)
            ),
        )
        return context


class StatementDetailView(RecordDetailView):
    """A statement, attributed as printed, with the passages it rests on."""

    model = Statement

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("speaker_role__organisation")
            .prefetch_related(Prefetch("joint_speakers", queryset=Actor.objects.order_by("name")))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = self.object
        statement.joint_speaker_list = list(statement.joint_speakers.all())
        sources = list(statement.sources.all())
        evidence.attach_passages([statement])
        context.update(
            joint_speakers=statement.joint_speaker_list,
            sources=sources,
            structured_data=structured.script(
                structured.statement_data(statement, sources, self.request)
            ),
        )
        return context


class PassageDetailView(RecordDetailView):
    """A passage of a source, and every record resting on it."""

    model = Passage

    def get_queryset(self):
        return Passage.objects.select_related("source")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["resting_on"] = [
            (kind, heading, list(records))
            for kind, heading, records in evidence.resting_on(self.object)
        ]
        return context


class IndicatorListView(RecordTableView):
    """Every indicator, with how many observations it has and over what dates."""

    model = Indicator
    table_class = tables.IndicatorTable
    filterset_class = filters.IndicatorFilter
    intro = (
        "What the articles count or measure, each with its reported values over time, from "
        "every article that reports them."
    )

    def get_queryset(self):
        return Indicator.objects.with_observation_dates()


class IndicatorDetailView(RecordDetailView):
    """An indicator's observations over time: a chart (SVG drawn here, no script), the same
    numbers in a table, and the passages each rests on."""

    model = Indicator

    def get_queryset(self):
        return Indicator.objects.prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.select_related("reported_by", "event", "measure")
                .prefetch_related("sources")
                .chronological(),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = self.object
        observations = list(indicator.observations.all())
        for observation in observations:
            observation.value_text = charts.value_words(observation, indicator.currency)
        evidence.attach_passages(observations)
        sources = list({s.pk: s for o in observations for s in o.sources.all()}.values())
        chart = charts.chart(observations, indicator.currency)
        context.update(
            observations=observations,
            chart=chart,
            chart_summary=charts.summary(indicator, observations),
            sources=sources,
            structured_data=structured.script(
                structured.indicator_data(indicator, observations, sources, self.request)
            ),
        )
        return context


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
        context["canonical"] = self.request.path + query([], self.page_number())
        context["link_query"] = QueryDict()
        return context


class ActorDetailView(RecordTimelineView):
    """An actor, their roles, and their events, measures and statements over time."""

    model = Actor

    def get_queryset(self):
        return Actor.objects.with_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evidence.attach_passages(self.object.roles.all())
        return context

    def entries_of(self, model, actor):
        return model.objects.for_actor(actor)

    def timeline_context(self, querysets, identity, filter_values=(), actor=None):
        return super().timeline_context(querysets, identity, filter_values, actor=self.object)


class SourceDetailView(RecordTimelineView):
    """A source and every record that cites it, over time."""

    model = Source

    def get_queryset(self):
        return Source.objects.all()

    def entries_of(self, model, source):
        return model.objects.from_source(source)


class PlaceDetailView(RecordTimelineView):
    """A place and its entries over time: the events there, and the measures and statements
    about those events (what was decided or said of what happened there)."""

    model = Place

    def get_queryset(self):
        return Place.objects.all()

    def entries_of(self, model, place):
        return model.objects.at_place(place)
