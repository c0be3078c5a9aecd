"""The admin: the only place where the timeline is written, with every change kept in history."""

from django import forms
from django.contrib import admin
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from .admin_batches import ImportBatchAdmin  # noqa: F401 (registers the import batches)
from .admin_draft import draft_urls
from .admin_forms import (
    DESK_CSS,
    DESK_JS,
    HistoryReasonMixin,
    ImporterWordingMixin,
    RankedSearchMixin,
    RoleSelect,
    SlugCheckMixin,
    limit_roles,
    roles_json,
)
from .admin_import import ArticleImportConfirmView, ArticleImportView, can_import
from .admin_merge import ActorMergeAdmin, merge_view  # noqa: F401 (registers the merges)
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


class TimelineAdmin(
    RankedSearchMixin, HistoryReasonMixin, ImporterWordingMixin, SlugCheckMixin, SimpleHistoryAdmin
):
    prepopulated_fields = {"slug": ("title",)}
    rank_field = "title"
    save_on_top = True

    class Media:
        js = [DESK_JS]
        css = {"all": [DESK_CSS]}


def role_url_attrs(form, field_name):
    field = form.fields.get(field_name)
    if field is not None:
        # The admin wraps the select (with its add and change links); the select renders.
        widget = getattr(field.widget, "widget", field.widget)
        widget.attrs["data-role-url"] = reverse("admin:timeline_role_fitting")


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
    rank_field = "name"
    alias_field = "aliases"
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases", "slug", "description"]
    fields = ["name", "slug", "aliases", "kind", "country", "description"]
    inlines = [RoleInline]
    actions = ["merge_two"]

    def get_urls(self):
        return [
            path(
                "merge/<int:keep>/<int:duplicate>/",
                self.admin_site.admin_view(lambda request, **kw: merge_view(self, request, **kw)),
                name="timeline_actor_merge",
            ),
            *super().get_urls(),
        ]

    @admin.action(description="Merge the two selected actors…", permissions=["change"])
    def merge_two(self, request, queryset):
        from django.contrib import messages
        from django.shortcuts import redirect

        pks = sorted(queryset.values_list("pk", flat=True))
        if len(pks) != 2:
            self.message_user(request, "Select exactly two actors to merge.", messages.WARNING)
            return None
        return redirect("admin:timeline_actor_merge", keep=pks[0], duplicate=pks[1])


@admin.register(Role)
class RoleAdmin(TimelineAdmin):
    prepopulated_fields = {"slug": ("title",)}
    list_display = ["title", "actor", "organisation", "start", "end"]
    list_filter = ["title"]
    list_select_related = ["actor", "organisation"]
    search_fields = ["title", "slug", "actor__name"]
    autocomplete_fields = ["actor", "organisation", "passages"]
    date_hierarchy = "start"

    def get_urls(self):
        return [
            path(
                "fitting/",
                self.admin_site.admin_view(roles_json),
                name="timeline_role_fitting",
            ),
            *super().get_urls(),
        ]


@admin.register(Place)
class PlaceAdmin(TimelineAdmin):
    prepopulated_fields = {"slug": ("name",)}
    rank_field = "name"
    list_display = ["name", "country"]
    list_filter = ["country"]
    search_fields = ["name", "slug"]


def _event_date(participation):
    event = participation.event if participation.event_id else None
    return (event.date, event.date_precision) if event is not None else (None, None)


class ParticipationForm(forms.ModelForm):
    """A participation's role: one of the actor's, held at the event's date."""

    class Meta:
        model = Participation
        fields = ["event", "actor", "capacity", "role"]
        widgets = {"role": RoleSelect("actor", "role")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_roles(self, "role", "actor", _event_date)
        role_url_attrs(self, "role")


class ParticipationInline(admin.TabularInline):
    model = Participation
    form = ParticipationForm
    extra = 0
    autocomplete_fields = ["actor"]


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
class ParticipationAdmin(HistoryReasonMixin, SimpleHistoryAdmin):
    form = ParticipationForm
    list_display = ["event", "actor", "capacity", "role"]
    list_select_related = ["event", "actor", "role__actor"]
    search_fields = ["event__title", "actor__name", "capacity"]
    autocomplete_fields = ["event", "actor"]

    class Media:
        js = [DESK_JS]


@admin.register(Passage)
class PassageAdmin(TimelineAdmin):
    rank_field = "text"
    prepopulated_fields = {}
    list_display = ["__str__", "source", "paragraph"]
    list_filter = ["source"]
    list_select_related = ["source"]
    search_fields = ["text", "slug", "source__title"]
    autocomplete_fields = ["source"]


@admin.register(Indicator)
class IndicatorAdmin(TimelineAdmin):
    rank_field = "name"
    prepopulated_fields = {"slug": ("name",)}
    list_display = ["name", "unit", "currency"]
    list_filter = ["currency"]
    search_fields = ["name", "slug", "description"]


@admin.register(Observation)
class ObservationAdmin(TimelineAdmin):
    rank_field = "slug"
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


class StatementForm(forms.ModelForm):
    """A statement's speaker role: one of the speaker's, held at the statement's date."""

    class Meta:
        model = Statement
        fields = [
            "text",
            "kind",
            "speaker",
            "speaker_role",
            "date",
            "date_precision",
            "slug",
            "events",
            "measures",
            "sources",
        ]
        widgets = {"speaker_role": RoleSelect("speaker", "speaker_role")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_roles(self, "speaker_role", "speaker", lambda s: (s.date, s.date_precision))
        role_url_attrs(self, "speaker_role")


@admin.register(Statement)
class StatementAdmin(TimelineAdmin):
    form = StatementForm
    # The slug from the first words: what the statement says, not who said it.
    prepopulated_fields = {"slug": ("text",)}
    rank_field = "text"
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
    rank_field = "slug"
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
    rank_field = "slug"
    prepopulated_fields = {}
    list_display = ["measure", "kind", "target"]
    list_filter = ["kind"]
    list_select_related = ["measure", "target"]
    search_fields = ["slug", "measure__title", "target__title"]
    autocomplete_fields = ["measure", "target", "passages"]
