"""What the desk's index lists (timeline.admin_desk): reads only, each with the page it links to."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from .admin_import import can_import
from .batches import FieldAction, ImportBatch, ImportedField

LATEST = 8


@dataclass
class Line:
    text: str
    url: str | None
    detail: str = ""


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def latest_batches():
    return [
        Line(str(batch), batch.get_absolute_url(), batch.counts_display)
        for batch in ImportBatch.objects.newest_first()[:LATEST]
    ]


def open_conflicts():
    """Conflicts of batches in force: fields where an import left an edit in place."""
    rows = (
        ImportedField.objects.in_force()
        .filter(action=FieldAction.CONFLICT)
        .select_related("batch", "content_type")
        .order_by("-batch_id", "pk")[:LATEST]
    )
    return [
        Line(
            f"{row.content_type.model} {row.record_key}: {row.field}",
            row.batch.get_absolute_url(),
            f"batch {row.batch_id}",
        )
        for row in rows
    ]


def reviewable_models():
    """The timeline's models that carry a ``reviewed`` flag (records made as drafts)."""
    from .admin_desk import REVIEWED_MODELS

    found = []
    for name in REVIEWED_MODELS:
        try:
            model = apps.get_model("timeline", name)
        except LookupError:
            continue
        if any(f.name == "reviewed" for f in model._meta.get_fields()):
            found.append(model)
    return found


def waiting_for_review():
    lines = []
    for model in reviewable_models():
        opts = model._meta
        for record in model.objects.filter(reviewed=False).order_by("-pk")[:LATEST]:
            url = _url(f"admin:{opts.app_label}_{opts.model_name}_change", record.pk)
            lines.append(Line(str(record), url, opts.verbose_name))
    return lines


def dashboard(request):
    return {
        "batches": latest_batches(),
        "batches_url": _url("admin:timeline_importbatch_changelist"),
        "conflicts": open_conflicts(),
        "review": waiting_for_review(),
        "reviewing": bool(reviewable_models()),
        "import_url": _url("admin:timeline_source_import") if can_import(request.user) else None,
        "draft_url": _url("admin:timeline_source_draft"),
    }
