"""One read-only viewset a model: GET and HEAD only, anonymous, JSON only, cached like the pages.

Each list is filtered by the table's FilterSet (the same query parameters as /events/ and the
other tables), sorted by ``?sort=`` (a name of ``sorts``, ``-`` first for descending, as the
tables' ``?sort=-date``) and paged by cursor: a page costs the same however deep it is, and a
record added meanwhile neither repeats nor skips a row. Each serializer's relations are read
with the list's prefetches, so a page costs a fixed number of queries whatever its size.
"""

import re

import django_filters
from django import forms
from django.db.models import F, Prefetch, Value
from django.db.models.functions import Coalesce
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from timeline.models import (
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureLink,
    MeasureStatus,
    Observation,
    Participation,
    Passage,
    Place,
    Role,
    Source,
    Statement,
)

from .. import caching, filters
from . import serializers

MOST_A_PAGE = 100
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # what a SlugField holds


class SortedCursorPagination(CursorPagination):
    """Cursor pages in the order ``?sort=`` names (the viewset's ``sorts``), ``page_size`` at most
    MOST_A_PAGE. A value out of range is refused (400), not quietly replaced."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MOST_A_PAGE

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError({"page_size": f"A whole number from 1 to {self.max_page_size}."})
        return int(value)

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: the cursor in the previous page's "
                "next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": f"Records a page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def get_ordering(self, request, queryset, view):
        sort = request.query_params.get("sort") or view.default_sort
        fields = view.sorts.get(sort.removeprefix("-"))
        if fields is None:
            raise ValidationError({"sort": f"One of: {', '.join(view.sort_choices())}."})
        if sort.startswith("-"):
            return tuple(f"-{field}" for field in fields)
        return tuple(fields)


def sort_parameter(viewset):
    return OpenApiParameter(
        "sort",
        OpenApiTypes.STR,
        enum=viewset.sort_choices(),
        description=f"The order of the list (default {viewset.default_sort}); "
        "a leading - for descending.",
    )


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """A model's list and its records by slug."""

    http_method_names = ["get", "head"]
    lookup_field = "slug"
    lookup_value_regex = SLUG.pattern
    filter_backends = [DjangoFilterBackend]
    pagination_class = SortedCursorPagination
    # Sort name -> the fields ordered by; the first is the cursor's position (not null), the
    # last unique, so every record has one place in the order.
    sorts = {}
    default_sort = ""
    # Filters naming a record by slug: one that names none is not found (404), as a record's
    # own URL would be, rather than a request the schema calls wrong.
    linked_filters = {}

    @classmethod
    def sort_choices(cls):
        return [name for sort in cls.sorts for name in (sort, f"-{sort}")]

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return caching.cache_public_page(super().as_view(actions, **initkwargs))

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.sorts:
            extend_schema_view(list=extend_schema(parameters=[sort_parameter(cls)]))(cls)

    def get_queryset(self):
        return self.model.objects.all()

    def filter_queryset(self, queryset):
        for name, model in self.linked_filters.items():
            slug = self.request.query_params.get(name)
            if slug and not SLUG.fullmatch(slug):
                # Refused before the database sees it: PostgreSQL refuses a NUL character.
                raise ValidationError({name: "Not a slug: letters, digits, - and _ only."})
            if slug and not model.objects.filter(slug=slug).exists():
                raise NotFound(f"No {model._meta.verbose_name} has the slug {slug!r}.")
        # After the FilterSet, whose filters (for_actor(), search()) take a plain queryset.
        return self.with_relations(super().filter_queryset(queryset))

    def with_relations(self, queryset):
        return queryset


def sources():
    return Prefetch("sources", queryset=Source.objects.only("pk", "slug"))


def by_slug(name, model):
    return Prefetch(name, queryset=model.objects.only("pk", "slug"))


class SlugFilters:
    """The tables' ``actor`` and ``source`` filters, which take a slug, documented as text: they
    filter through a method, whose value's type drf-spectacular cannot tell."""

    @extend_schema_field(OpenApiTypes.STR)
    def filter_actor(self, queryset, name, value):
        return super().filter_actor(queryset, name, value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_source(self, queryset, name, value):
        return super().filter_source(queryset, name, value)


class EventFilter(SlugFilters, filters.EventFilter):
    pass


class MeasureFilter(SlugFilters, filters.MeasureFilter):
    pass


class StatementFilter(SlugFilters, filters.StatementFilter):
    pass


class SourceFilter(filters.SourceFilter):
    """The Sources table's filters, publisher and language matched as typed: the table offers
    the values there are in a <select>; the API takes any and finds what matches."""

    publisher = django_filters.CharFilter(help_text="The publisher, exactly: “AFP”.")
    language = django_filters.CharFilter(help_text="The IETF language tag: “en”, “fr”.")


class SourceViewSet(PublicViewSet):
    """The articles every entry is drawn from."""

    model = Source
    serializer_class = serializers.SourceSerializer
    filterset_class = SourceFilter
    sorts = {
        "published": ("published_on", "title", "pk"),
        "title": ("title", "pk"),
        "publisher": ("publisher", "published_on", "pk"),
    }
    default_sort = "published"


class ActorViewSet(PublicViewSet):
    """People, governments, organisations and groups, with the roles they held."""

    model = Actor
    serializer_class = serializers.ActorSerializer
    filterset_class = filters.ActorFilter
    sorts = {
        "name": ("name", "pk"),
        "kind": ("kind", "name", "pk"),
        "country": ("country", "name", "pk"),
        "event_count": ("event_count", "name", "pk"),
        "measure_count": ("measure_count", "name", "pk"),
        "statement_count": ("statement_count", "name", "pk"),
    }
    default_sort = "name"

    def get_queryset(self):
        return Actor.objects.with_counts()

    def with_relations(self, queryset):
        roles = Role.objects.select_related("organisation").order_by("start", "slug")
        return queryset.prefetch_related(Prefetch("roles", queryset=roles))


class PlaceViewSet(PublicViewSet):
    """Where events happened."""

    model = Place
    serializer_class = serializers.PlaceSerializer
    filterset_fields = ["country"]
    sorts = {"name": ("name", "pk")}
    default_sort = "name"


class EventViewSet(PublicViewSet):
    """What happened or was reported, in the project's own words."""

    model = Event
    serializer_class = serializers.EventSerializer
    filterset_class = EventFilter
    sorts = {
        "date": ("date", "slug"),
        "title": ("title", "pk"),
        "place": ("place_name", "date", "slug"),
    }
    default_sort = "date"
    linked_filters = {"actor": Actor, "source": Source, "place": Place}

    def get_queryset(self):
        # The place's name as a column of its own: a cursor reads its position from the record.
        return Event.objects.annotate(place_name=Coalesce(F("place__name"), Value("")))

    def with_relations(self, queryset):
        participations = Participation.objects.select_related("actor", "role").order_by(
            "actor__name"
        )
        return queryset.select_related("place").prefetch_related(
            Prefetch("participations", queryset=participations),
            Prefetch(
                "observations",
                queryset=Observation.objects.select_related("indicator", "reported_by").order_by(
                    "slug"
                ),
            ),
            by_slug("measures", Measure),
            by_slug("statements", Statement),
            sources(),
        )


class MeasureViewSet(PublicViewSet):
    """Policy measures, dated when first proposed or announced."""

    model = Measure
    serializer_class = serializers.MeasureSerializer
    filterset_class = MeasureFilter
    sorts = {
        "date": ("date", "slug"),
        "title": ("title", "pk"),
        "category": ("category", "date", "slug"),
        "status": ("status", "date", "slug"),
    }
    default_sort = "date"
    linked_filters = {"actor": Actor, "source": Source, "place": Place}

    def with_relations(self, queryset):
        return queryset.prefetch_related(
            by_slug("responsible", Actor),
            by_slug("events", Event),
            by_slug("statements", Statement),
            sources(),
        )


class StatementViewSet(PublicViewSet):
    """Who said what: verbatim quotations and reported speech, with the speaker's role then."""

    model = Statement
    serializer_class = serializers.StatementSerializer
    filterset_class = StatementFilter
    sorts = {
        "date": ("date", "slug"),
        "speaker": ("speaker_name", "date", "slug"),
        "kind": ("kind", "date", "slug"),
    }
    default_sort = "date"
    linked_filters = {"actor": Actor, "source": Source}

    def get_queryset(self):
        return Statement.objects.annotate(speaker_name=F("speaker__name"))

    def with_relations(self, queryset):
        return queryset.select_related(
            "speaker", "speaker_role", "speaker_role__organisation"
        ).prefetch_related(
            by_slug("joint_speakers", Actor),
            by_slug("events", Event),
            by_slug("measures", Measure),
            sources(),
        )


def slug_filter(field_name, help_text):
    return django_filters.CharFilter(field_name=f"{field_name}__slug", help_text=help_text)


class DateRangeForm(filters.DateRangeFormMixin, forms.Form):
    pass


class DateRangeFilter(django_filters.FilterSet):
    """``start`` and ``end`` as the tables take them: a record counts if its period overlaps
    them, and an end before the start is refused (400), as on the events, measures and
    statements."""

    start = django_filters.DateFilter(method="filter_start", help_text=filters.START_HELP)
    end = django_filters.DateFilter(method="filter_end", help_text=filters.END_HELP)

    class Meta:
        form = DateRangeForm

    def filter_start(self, queryset, name, value):
        return queryset.in_range(start=value)

    def filter_end(self, queryset, name, value):
        return queryset.in_range(end=value)


class PassageFilter(django_filters.FilterSet):
    source = slug_filter("source", "The source, by slug.")

    class Meta:
        model = Passage
        fields = ["source"]


class PassageViewSet(PublicViewSet):
    """Short excerpts of the sources, in their own words, which records cite as evidence."""

    model = Passage
    serializer_class = serializers.PassageSerializer
    filterset_class = PassageFilter
    sorts = {
        "source": ("source_slug", "paragraph", "slug"),
        "slug": ("slug",),
    }
    default_sort = "source"
    linked_filters = {"source": Source}

    def get_queryset(self):
        return Passage.objects.annotate(source_slug=F("source__slug"))

    def with_relations(self, queryset):
        return queryset.select_related("source")


def observations_prefetch():
    return Prefetch(
        "observations",
        queryset=Observation.objects.select_related("indicator", "reported_by").order_by(
            "date", "date_width", "slug"
        ),
    )


class IndicatorViewSet(PublicViewSet):
    """What the articles count or measure, each with its observations over time."""

    model = Indicator
    serializer_class = serializers.IndicatorSerializer
    filterset_fields = ["currency"]
    sorts = {"name": ("name", "pk")}
    default_sort = "name"

    def with_relations(self, queryset):
        return queryset.prefetch_related(observations_prefetch())


class ObservationFilter(DateRangeFilter):
    indicator = slug_filter("indicator", "The indicator, by slug.")
    actor = slug_filter("reported_by", "Who gave the figure, by slug.")
    event = slug_filter("event", "The event it was reported with, by slug.")
    measure = slug_filter("measure", "The measure it was reported with, by slug.")
    source = django_filters.CharFilter(
        method="filter_source", help_text="A source it is drawn from, by slug."
    )

    class Meta(DateRangeFilter.Meta):
        model = Observation
        fields = ["indicator", "actor", "event", "measure", "source", "start", "end"]

    def filter_source(self, queryset, name, value):
        return queryset.from_source(Source.objects.filter(slug=value))


class ObservationViewSet(PublicViewSet):
    """Reported values of the indicators, each at the date it holds for."""

    model = Observation
    serializer_class = serializers.ObservationRecordSerializer
    filterset_class = ObservationFilter
    sorts = {
        "date": ("date", "slug"),
        "indicator": ("indicator_name", "date", "slug"),
    }
    default_sort = "date"
    linked_filters = {
        "indicator": Indicator,
        "actor": Actor,
        "event": Event,
        "measure": Measure,
        "source": Source,
    }

    def get_queryset(self):
        return Observation.objects.annotate(indicator_name=F("indicator__name"))

    def with_relations(self, queryset):
        return queryset.select_related(
            "indicator", "reported_by", "event", "measure"
        ).prefetch_related(sources(), by_slug("passages", Passage))


class MeasureStatusFilter(DateRangeFilter):
    measure = slug_filter("measure", "The measure, by slug.")
    status = django_filters.ChoiceFilter(choices=MeasureStatus.Status.choices)

    class Meta(DateRangeFilter.Meta):
        model = MeasureStatus
        fields = ["measure", "status", "start", "end"]


class MeasureStatusViewSet(PublicViewSet):
    """The dated changes of each measure's status: announced, in force, abandoned."""

    model = MeasureStatus
    serializer_class = serializers.MeasureStatusSerializer
    filterset_class = MeasureStatusFilter
    sorts = {
        "date": ("date", "slug"),
        "measure": ("measure_slug", "date", "slug"),
        "status": ("status", "date", "slug"),
    }
    default_sort = "date"
    linked_filters = {"measure": Measure}

    def get_queryset(self):
        return MeasureStatus.objects.annotate(measure_slug=F("measure__slug"))

    def with_relations(self, queryset):
        return queryset.select_related("measure").prefetch_related(by_slug("passages", Passage))


class MeasureLinkFilter(django_filters.FilterSet):
    measure = slug_filter("measure", "The measure that links, by slug.")
    target = slug_filter("target", "The other measure, by slug.")
    kind = django_filters.ChoiceFilter(choices=MeasureLink.Kind.choices)

    class Meta:
        model = MeasureLink
        fields = ["measure", "target", "kind"]


class MeasureLinkViewSet(PublicViewSet):
    """How measures bear on one another: one amends, supplements, supersedes or implements
    another."""

    model = MeasureLink
    serializer_class = serializers.MeasureLinkSerializer
    filterset_class = MeasureLinkFilter
    sorts = {
        "measure": ("measure_slug", "kind", "slug"),
        "kind": ("kind", "slug"),
    }
    default_sort = "measure"
    linked_filters = {"measure": Measure, "target": Measure}

    def get_queryset(self):
        return MeasureLink.objects.annotate(measure_slug=F("measure__slug"))

    def with_relations(self, queryset):
        return queryset.select_related("measure", "target").prefetch_related(
            by_slug("passages", Passage)
        )
