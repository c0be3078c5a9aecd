"""The admin's actor merge: a confirmation page listing everything that moves, the merge, and its
undo from the merge's own page. A thin front-end to timeline.merging_actors."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .merges import ActorMerge
from .merging_actors import MergeRefused, merge_actors, plan_merge, undo_merge
from .models import Actor


def merge_view(model_admin, request, keep, duplicate):
    """GET: what merging ``duplicate`` into ``keep`` moves. POST: merge."""
    if not (
        model_admin.has_change_permission(request) and model_admin.has_delete_permission(request)
    ):
        raise PermissionDenied
    kept = get_object_or_404(Actor, pk=keep)
    dup = get_object_or_404(Actor, pk=duplicate)
    try:
        plan = plan_merge(kept, dup)
    except MergeRefused as refused:
        messages.error(request, str(refused))
        return redirect("admin:timeline_actor_changelist")
    if request.method == "POST":
        merge = merge_actors(kept, dup, user=request.user)
        messages.success(
            request,
            f"{dup.name} ({dup.slug}) was merged into {kept.name}: merge {merge.pk}, which its "
            "page can undo.",
        )
        return redirect("admin:timeline_actormerge_change", merge.pk)
    opts = Actor._meta
    return TemplateResponse(
        request,
        "admin/timeline/actor/merge.html",
        {
            **model_admin.admin_site.each_context(request),
            "opts": opts,
            "title": f"Merge {dup.name} into {kept.name}?",
            "plan": plan,
            "swap_url": reverse("admin:timeline_actor_merge", args=[dup.pk, kept.pk]),
        },
    )


@admin.register(ActorMerge)
class ActorMergeAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "merged_at",
        "duplicate_name",
        "duplicate_slug",
        "kept_slug",
        "merged_by",
        "undone_at",
    ]
    list_display_links = ["pk", "merged_at"]
    search_fields = ["duplicate_slug", "duplicate_name", "kept_slug"]
    fields = [
        "kept",
        "kept_slug",
        ("duplicate_name", "duplicate_slug"),
        ("merged_at", "merged_by"),
        ("undone_at", "undone_by"),
        "moved_shown",
        "conflicts_shown",
    ]
    readonly_fields = [
        "kept",
        "kept_slug",
        "duplicate_name",
        "duplicate_slug",
        "merged_at",
        "merged_by",
        "undone_at",
        "undone_by",
        "moved_shown",
        "conflicts_shown",
    ]
    change_form_template = "admin/timeline/actormerge/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="what moved")
    def moved_shown(self, merge):
        return "; ".join(f"{m['model']} ({m['field']}): {m['label']}" for m in merge.moved) or "—"

    @admin.display(description="listed for review")
    def conflicts_shown(self, merge):
        return " ".join(merge.conflicts) or "—"

    def get_urls(self):
        return [
            path(
                "<int:pk>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="timeline_actormerge_undo",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {"can_undo": self._can_undo(request), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context)

    def _can_undo(self, request):
        return request.user.has_perm("timeline.change_actor") and request.user.has_perm(
            "timeline.add_actor"
        )

    def undo_view(self, request, pk):
        if request.method != "POST" or not self._can_undo(request):
            raise PermissionDenied
        merge = get_object_or_404(ActorMerge, pk=pk)
        try:
            not_restored = undo_merge(merge, user=request.user)
        except MergeRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Merge {merge.pk} undone: {merge.duplicate_name} is back.")
            for line in not_restored:
                messages.warning(request, f"Not put back: {line}.")
        return redirect("admin:timeline_actormerge_change", merge.pk)
