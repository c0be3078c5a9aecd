"""The admin: the only place where the timeline is written, with every change kept in history."""

from django.contrib import admin
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .admin_batches import ImportBatchAdmin  # noqa: F401 (registers the import batches)
from .admin_draft import draft_urls
from .admin_import import ArticleImportConfirmView, ArticleImportView, can_import
from .models import (
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


class TimelineAdmin(SimpleHistoryAdmin):
    prepopulated_fields = {"slug": ("title",)}
    save_on_top = True


class PassageInline(admin.TabularInline):
    model = Passage
    extra = 0
    fields = ["slug", "paragraph", "text"]


@admin.register(Source)
class SourceAdmin(TimelineAdmin):
    list_display = ["title", "publisher", "published_on", "language"]
    list_filter = ["publisher", "language"]
    search_fields = ["title", "publisher", "slug"]
    date_hierarchy = "published_on"
    inlines = [PassageInline]

    def get_urls(self):
        def view(view_class):
            return self.admin_site.admin_view(view_class.as_view(model_admin=self))

        return [
            path("import/", view(ArticleImportView), name="timeline_source_import"),
            path(
                "import/confirm/",
                view(ArticleImportConfirmView),
                name="timeline_source_import_confirm",
            ),
            *draft_urls(self),
            *super().get_urls(),
        ]

    def import_url(self):
        return reverse("admin:timeline_source_import", current_app=self.admin_site.name)

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_import": can_import(request.user), **(extra_context or {})}
        return super().changelist_view(request, extra_context)


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "actor"
    extra = 0
    fields = [
        "slug",
        "title",
        "organisation",
        "start",
        "start_precision",
        "end",
        "end_precision",
    ]
    autocomplete_fields = ["organisation"]


@admin.register(Actor)
class ActorAdmin(TimelineAdmin):
    prepopulated_fields = {"slug": ("name",)}
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "description"]
    inlines = [RoleInline]


@admin.register(Role)
class RoleAdmin(TimelineAdmin):
    prepopulated_fields = {}
    list_display = ["title", "actor", "organisation", "start", "end"]
    list_filter = ["title"]
    list_select_related = ["actor", "organisation"]
    search_fields = ["title", "slug", "actor__name"]
    autocomplete_fields = ["actor", "organisation", "passages"]
    date_hierarchy = "start"


@admin.register(Place)
class PlaceAdmin(TimelineAdmin):
    prepopulated_fields = {"slug": ("name",)}
    list_display = ["name", "country"]
    list_filter = ["country"]
    search_fields = ["name", "slug"]


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["actor", "role"]


class ObservationInline(admin.TabularInline):
    model = Observation
    extra = 0
    fields = [
        "slug",
        "indicator",
        "value",
        "low",
        "high",
        "approximate",
        "as_printed",
        "date",
        "date_precision",
        "reported_by",
        "sources",
        "passages",
    ]
    autocomplete_fields = ["indicator", "reported_by", "sources", "passages"]


class EventObservationInline(ObservationInline):
    fk_name = "event"
    exclude = ["measure"]


class MeasureObservationInline(ObservationInline):
    fk_name = "measure"
    exclude = ["event"]


@admin.register(Event)
class EventAdmin(TimelineAdmin):
    list_display = ["title", "date_shown", "status", "place", "reviewed"]
    list_filter = ["status", "reviewed", "date_precision", "place", "sources"]
    list_select_related = ["place"]
    search_fields = ["title", "summary", "slug"]
    fields = [
        "title",
        "slug",
        ("date", "date_precision"),
        ("status", "reviewed"),
        "place",
        "summary",
        "sources",
        "passages",
    ]
    autocomplete_fields = ["place", "sources", "passages"]
    date_hierarchy = "date"
    inlines = [ParticipationInline, EventObservationInline]

    @admin.display(description="date", ordering="date")
    def date_shown(self, event):
        return event.date_display


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["event", "actor", "capacity", "role"]
    list_select_related = ["event", "actor", "role__actor"]
    search_fields = ["event__title", "actor__name", "capacity"]
    autocomplete_fields = ["event", "actor", "role"]


@admin.register(Passage)
class PassageAdmin(TimelineAdmin):
    prepopulated_fields = {}
    list_display = ["__str__", "source", "paragraph"]
    list_filter = ["source"]
    list_select_related = ["source"]
    search_fields = ["text", "slug", "source__title"]
    autocomplete_fields = ["source"]


@admin.register(Indicator)
class IndicatorAdmin(TimelineAdmin):
    prepopulated_fields = {"slug": ("name",)}
    list_display = ["name", "unit", "currency"]
    list_filter = ["currency"]
    search_fields = ["name", "slug", "description"]


@admin.register(Observation)
class ObservationAdmin(TimelineAdmin):
    prepopulated_fields = {}
    list_display = ["__str__", "indicator", "date_shown", "reported_by", "reviewed"]
    list_filter = ["indicator", "approximate", "reviewed", "date_precision"]
    list_select_related = ["indicator", "reported_by"]
    search_fields = ["slug", "as_printed", "indicator__name"]
    autocomplete_fields = ["indicator", "reported_by", "event", "measure", "sources", "passages"]
    date_hierarchy = "date"

    @admin.display(description="date", ordering="date")
    def date_shown(self, observation):
        return observation.date_display


class MeasureStatusInline(admin.TabularInline):
    model = MeasureStatus
    extra = 0
    fields = ["slug", "status", "date", "date_precision", "passages"]
    autocomplete_fields = ["passages"]


class MeasureLinkInline(admin.TabularInline):
    model = MeasureLink
    fk_name = "measure"
    extra = 0
    fields = ["slug", "kind", "target", "passages"]
    autocomplete_fields = ["target", "passages"]
    verbose_name = "link to another measure"
    verbose_name_plural = "links to other measures"


@admin.register(Measure)
class MeasureAdmin(TimelineAdmin):
    list_display = ["title", "category", "status", "date_shown", "reviewed"]
    list_filter = [
        "category",
        "status",
        "policy_area",
        "direction",
        "target_group",
        "reviewed",
        "sources",
    ]
    search_fields = ["title", "description", "slug"]
    fields = [
        "title",
        "slug",
        ("date", "date_precision"),
        ("category", "status", "reviewed"),
        ("policy_area", "direction", "target_group"),
        "place",
        ("cost_amount", "cost_currency"),
        "description",
        "responsible",
        "events",
        "sources",
        "passages",
    ]
    readonly_fields = ["status"]
    autocomplete_fields = ["place", "responsible", "events", "sources", "passages"]
    date_hierarchy = "date"
    inlines = [MeasureStatusInline, MeasureLinkInline, MeasureObservationInline]

    @admin.display(description="date", ordering="date")
    def date_shown(self, measure):
        return measure.date_display


@admin.register(Statement)
class StatementAdmin(TimelineAdmin):
    prepopulated_fields = {}
    list_display = ["text_shown", "speaker", "kind", "date_shown"]
    list_filter = ["kind", "reviewed", "sources"]
    list_select_related = ["speaker"]
    search_fields = ["text", "slug", "speaker__name", "attributed_as"]
    fields = [
        "text",
        ("kind", "reviewed"),
        ("speaker", "speaker_role"),
        "attributed_as",
        "joint_speakers",
        ("date", "date_precision"),
        "slug",
        "events",
        "measures",
        "sources",
        "passages",
    ]
    autocomplete_fields = [
        "speaker",
        "speaker_role",
        "joint_speakers",
        "events",
        "measures",
        "sources",
        "passages",
    ]
    date_hierarchy = "date"

    @admin.display(description="words")
    def text_shown(self, statement):
        return statement.text if len(statement.text) <= 100 else statement.text[:99] + "…"

    @admin.display(description="date", ordering="date")
    def date_shown(self, statement):
        return statement.date_display


@admin.register(MeasureStatus)
class MeasureStatusAdmin(TimelineAdmin):
    prepopulated_fields = {}
    list_display = ["measure", "status", "date_shown"]
    list_filter = ["status", "date_precision"]
    list_select_related = ["measure"]
    search_fields = ["slug", "measure__title"]
    autocomplete_fields = ["measure", "passages"]
    date_hierarchy = "date"

    @admin.display(description="date", ordering="date")
    def date_shown(self, change):
        return change.date_display


@admin.register(MeasureLink)
class MeasureLinkAdmin(TimelineAdmin):
    prepopulated_fields = {}
    list_display = ["measure", "kind", "target"]
    list_filter = ["kind"]
    list_select_related = ["measure", "target"]
    search_fields = ["slug", "measure__title", "target__title"]
    autocomplete_fields = ["measure", "target", "passages"]
