"""The admin: the only place where the timeline is written, with every change kept in history."""

from django.contrib import admin
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .admin_batches import ImportBatchAdmin  # noqa: F401 (registers the import batches)
from .admin_import import ArticleImportConfirmView, ArticleImportView, can_import
from .models import Actor, Event, Figure, Measure, Participation, Place, Role, Source, Statement


class TimelineAdmin(SimpleHistoryAdmin):
    prepopulated_fields = {"slug": ("title",)}
    save_on_top = True


@admin.register(Source)
class SourceAdmin(TimelineAdmin):
    list_display = ["title", "publisher", "published_on", "language"]
    list_filter = ["publisher", "language"]
    search_fields = ["title", "publisher", "slug"]
    date_hierarchy = "published_on"

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
    fields = ["slug", "title", "organisation", "start", "end"]
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
    autocomplete_fields = ["actor", "organisation"]
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


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["slug", "quantity", "value", "unit", "approximate"]


@admin.register(Event)
class EventAdmin(TimelineAdmin):
    list_display = ["title", "date_shown", "place"]
    list_filter = ["date_precision", "place", "sources"]
    list_select_related = ["place"]
    search_fields = ["title", "summary", "slug"]
    fields = ["title", "slug", ("date", "date_precision"), "place", "summary", "sources"]
    autocomplete_fields = ["place", "sources"]
    date_hierarchy = "date"
    inlines = [ParticipationInline, FigureInline]

    @admin.display(description="date", ordering="date")
    def date_shown(self, event):
        return event.date_display


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["event", "actor", "capacity", "role"]
    list_select_related = ["event", "actor", "role__actor"]
    search_fields = ["event__title", "actor__name", "capacity"]
    autocomplete_fields = ["event", "actor", "role"]


@admin.register(Figure)
class FigureAdmin(TimelineAdmin):
    prepopulated_fields = {"slug": ("quantity",)}
    list_display = ["quantity", "value", "unit", "approximate", "event"]
    list_filter = ["approximate"]
    list_select_related = ["event"]
    search_fields = ["quantity", "slug", "event__title"]
    autocomplete_fields = ["event"]


@admin.register(Measure)
class MeasureAdmin(TimelineAdmin):
    list_display = ["title", "category", "status", "date_shown"]
    list_filter = ["category", "status", "sources"]
    search_fields = ["title", "description", "slug"]
    fields = [
        "title",
        "slug",
        ("date", "date_precision"),
        ("category", "status"),
        "description",
        "responsible",
        "events",
        "sources",
    ]
    autocomplete_fields = ["responsible", "events", "sources"]
    date_hierarchy = "date"

    @admin.display(description="date", ordering="date")
    def date_shown(self, measure):
        return measure.date_display


@admin.register(Statement)
class StatementAdmin(TimelineAdmin):
    prepopulated_fields = {}
    list_display = ["text_shown", "speaker", "kind", "date_shown"]
    list_filter = ["kind", "sources"]
    list_select_related = ["speaker"]
    search_fields = ["text", "slug", "speaker__name"]
    fields = [
        "text",
        "kind",
        ("speaker", "speaker_role"),
        ("date", "date_precision"),
        "slug",
        "events",
        "measures",
        "sources",
    ]
    autocomplete_fields = ["speaker", "speaker_role", "events", "measures", "sources"]
    date_hierarchy = "date"

    @admin.display(description="words")
    def text_shown(self, statement):
        return statement.text if len(statement.text) <= 100 else statement.text[:99] + "…"

    @admin.display(description="date", ordering="date")
    def date_shown(self, statement):
        return statement.date_display
