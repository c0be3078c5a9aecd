"""The admin's "Import batches": each batch's file, sources, counts and field rows, linking to the
records, and its undo button with a confirmation page. Read-only but for the undo, which is a
thin front-end to timeline.importing.undoing."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from .admin_import import can_import
from .batches import ImportBatch, ImportedField
from .importing.undoing import UndoRefused, undo_batch, undo_plan


class ImportedFieldInline(admin.TabularInline):
    model = ImportedField
    extra = 0
    can_delete = False
    fields = ["record_link", "field", "action", "before", "after", "in_file", "last_imported"]
    readonly_fields = fields
    verbose_name_plural = "Records and fields"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="record")
    def record_link(self, row):
        kind = row.content_type.model
        try:
            url = reverse(f"admin:timeline_{kind}_change", args=[row.object_id])
        except NoReverseMatch:
            return f"{kind} {row.record_key}"
        if not row.content_type.model_class()._base_manager.filter(pk=row.object_id).exists():
            return f"{kind} {row.record_key} (deleted)"
        return format_html('<a href="{}">{} {}</a>', url, kind, row.record_key)


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "started_at", "file_name", "sources_shown", "run_by", "via", "counts"]
    list_display_links = ["pk", "started_at"]
    list_filter = ["via", "article"]
    search_fields = ["file_name", "sha256", "run_by"]
    date_hierarchy = "started_at"
    fields = [
        "file_name",
        "article",
        "sha256",
        "sources_shown",
        ("run_by", "via"),
        "started_at",
        "counts",
        ("undone_at", "undone_by"),
    ]
    readonly_fields = fields[:4] + [
        "run_by",
        "via",
        "started_at",
        "counts",
        "undone_at",
        "undone_by",
    ]
    inlines = [ImportedFieldInline]
    change_form_template = "admin/timeline/importbatch/change_form.html"

    def has_view_permission(self, request, obj=None):
        # Whoever may import may see what imports did.
        return can_import(request.user) or super().has_view_permission(request, obj)

    def has_module_permission(self, request):
        return can_import(request.user) or super().has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="sources")
    def sources_shown(self, batch):
        return ", ".join(batch.sources)

    @admin.display(description="records")
    def counts(self, batch):
        text = batch.counts_display
        return f"{text} (undone)" if batch.undone_at else text

    def get_urls(self):
        return [
            path(
                "<int:pk>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="timeline_importbatch_undo",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {"can_undo": can_import(request.user), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def undo_view(self, request, pk):
        """GET: what the undo would do, or what stops it. POST: undo (with force if asked)."""
        if not can_import(request.user):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=pk)
        force = request.POST.get("force") == "on"
        if request.method == "POST":
            try:
                report = undo_batch(batch, force=force, user=request.user)
            except UndoRefused as refused:
                return self.render_undo(request, batch, refused=refused)
            messages.success(request, report.headline)
            return redirect(reverse("admin:timeline_importbatch_change", args=[batch.pk]))
        plan, blockers, forceable = undo_plan(batch)
        if blockers:
            return self.render_undo(request, batch, refused=UndoRefused(batch, blockers, forceable))
        return self.render_undo(request, batch, plan=plan)

    def render_undo(self, request, batch, **context):
        return TemplateResponse(
            request,
            "admin/timeline/importbatch/undo.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": f"Undo batch {batch.pk}?",
                "batch": batch,
                **context,
            },
        )
