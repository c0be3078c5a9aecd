"""What makes the admin's forms fit the editor: search ranked by name, role choices that fit the
speaker and the date, slugs checked with a free one suggested, and history that says who and why.
Mixins and form helpers used by timeline.admin."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower
from django.http import JsonResponse

from . import history
from .dates import DatePrecision
from .models import Role

# The desk's own script: role choices that follow the speaker and the date.
DESK_JS = "timeline/admin/desk.js"
DESK_CSS = "timeline/admin/desk.css"


class RankedSearchMixin:
    """Search results (and so the autocomplete's) best first: the name exactly, then names that
    begin with the term, then names with a word that does, then other names (aliases), then
    matches in any other field. Typing "Theresa" gives Theresa May before an actor whose
    description names her."""

    rank_field = "name"
    alias_field = None

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = " ".join(search_term.split())
        if not term:
            return queryset, may_have_duplicates
        name = self.rank_field
        ranks = [
            When(**{f"{name}__iexact": term}, then=Value(0)),
            When(**{f"{name}__istartswith": term}, then=Value(1)),
            When(**{f"{name}__icontains": f" {term}"}, then=Value(2)),
        ]
        if self.alias_field:
            ranks.append(When(**{f"{self.alias_field}__icontains": term}, then=Value(3)))
        ranked = queryset.annotate(
            search_rank=Case(*ranks, default=Value(9), output_field=IntegerField())
        )
        return ranked.order_by("search_rank", Lower(name), "pk"), may_have_duplicates


class HistoryReasonMixin:
    """Admin edits are saved with who made them and a reason an editor can read."""

    object_history_list_template = "admin/timeline/history/object_history_list.html"
    object_history_form_template = "admin/timeline/history/object_history_form.html"

    def save_model(self, request, obj, form, change):
        verb = "Changed" if change else "Added"
        if getattr(request, "_reverting_to", None) is not None:
            verb = f"Reverted to the version of {request._reverting_to:%Y-%m-%d %H:%M}"
        history.set_author(
            obj, f"{verb} in the admin by {request.user.get_username()}", request.user
        )
        super().save_model(request, obj, form, change)

    def set_history_delta_changes(self, request, page_obj, *args, **kwargs):
        super().set_history_delta_changes(request, page_obj, *args, **kwargs)
        for record in page_obj:
            record.author_name = history.author_of(record)
            record.reason_text = history.reason_of(record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting a record also puts back the records of its inlines as they were then."""
        entry = self.model.history.filter(pk=version_id).first()
        inlines = [inline.model._meta.verbose_name_plural for inline in self.inlines]
        extra_context = {
            "inline_names": inlines,
            "original_opts": self.model._meta,
            **(extra_context or {}),
        }
        if request.method != "POST" or entry is None:
            return super().history_form_view(request, object_id, version_id, extra_context)
        request._reverting_to = entry.history_date
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if response.status_code != 302:
                return response
            restored, missed = revert_inlines(self, entry, request.user)
        if restored:
            messages.info(request, "Also put back as they were then: " + "; ".join(restored) + ".")
        for line in missed:
            messages.warning(request, f"Not put back: {line}.")
        return response


def _fk_to(inline, parent_model):
    if getattr(inline, "fk_name", None):
        return inline.fk_name
    for model_field in inline.model._meta.fields:
        if model_field.is_relation and model_field.related_model is parent_model:
            return model_field.name
    return None


def _version_end(model_admin, entry):
    """The moment a version stands for, for its inlines: its own time, or, when the same write
    (an import, a merge: the same reason) went on to write the inlines, the last of those."""
    when = entry.history_date
    if not entry.history_change_reason:
        return when
    later = type(entry).objects.filter(id=entry.id, history_date__gt=when)
    next_date = later.order_by("history_date").values_list("history_date", flat=True).first()
    for inline in model_admin.inlines:
        fk = _fk_to(inline, model_admin.model)
        if fk is None or not hasattr(inline.model, "history"):
            continue
        same_write = inline.model.history.filter(
            **{f"{fk}_id": entry.id},
            history_change_reason=entry.history_change_reason,
            history_date__gte=when,
        )
        if next_date is not None:
            same_write = same_write.filter(history_date__lt=next_date)
        last = same_write.order_by("-history_date").values_list("history_date", flat=True).first()
        if last is not None and last > when:
            when = last
    return when


def revert_inlines(model_admin, entry, user):
    """Make the inline records of ``entry``'s record what they were at ``entry``'s date: delete
    those made since, bring back those deleted since, restore the fields of the others.
    Returns (what was restored, what could not be), both in words."""
    parent = model_admin.model
    when = _version_end(model_admin, entry)
    reason = (
        f"Reverted with its {parent._meta.verbose_name} to the version of {when:%Y-%m-%d %H:%M}"
    )
    restored, missed = [], []
    for inline in model_admin.inlines:
        model = inline.model
        fk = _fk_to(inline, parent)
        if fk is None or not hasattr(model, "history"):
            continue
        then = {obj.pk: obj for obj in model.history.as_of(when).filter(**{f"{fk}_id": entry.id})}
        now = {obj.pk: obj for obj in model.objects.filter(**{f"{fk}_id": entry.id})}
        count = 0
        for pk, obj in now.items():
            if pk not in then:
                if not model.history.filter(id=pk, history_type="+").exists():
                    # No record of when it was made (loaded from a fixture or a backup):
                    # whether it existed then is unknown, so it stays.
                    missed.append(
                        f"{model._meta.verbose_name} “{obj}”, which has no history to say "
                        "whether it existed then (left as it is)"
                    )
                    continue
                history.set_author(obj, reason, user)
                try:
                    with transaction.atomic():
                        obj.delete()
                    count += 1
                except models.ProtectedError:
                    missed.append(f"{model._meta.verbose_name} “{obj}”, still used elsewhere")
        for pk, obj in then.items():
            current = now.get(pk)
            if current is not None and all(
                getattr(current, f.attname) == getattr(obj, f.attname)
                for f in model._meta.concrete_fields
                if not f.generated
            ):
                continue
            history.set_author(obj, reason, user)
            obj._state.adding = current is None
            try:
                with transaction.atomic():
                    obj.save()
                count += 1
            except Exception as error:  # a related record deleted since, a slug taken since
                missed.append(f"{model._meta.verbose_name} “{obj}” ({error})")
        if count:
            restored.append(f"{count} {model._meta.verbose_name_plural}")
    return restored, missed


class ImporterWordingMixin:
    """A required field left empty is called missing, in the importer's words, so that an editor
    reads the same message in the admin as in an import's report."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        name = self.model._meta.verbose_name
        message = (
            f"missing: a {name} must give it." if obj else f"missing: a new {name} must give it."
        )
        for field in form.base_fields.values():
            if field.required:
                field.error_messages = {**field.error_messages, "required": message}
        return form


class SlugCheckMixin:
    """A slug taken by another record is refused on its field, with a free one suggested."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "slug" in form.base_fields:
            form.clean_slug = _clean_slug
        return form


def free_slug(model, slug, exclude_pk=None):
    """``slug`` with the smallest number appended that no record of ``model`` has."""
    taken = model._base_manager.exclude(pk=exclude_pk)
    for number in range(2, 1000):
        suffix = f"-{number}"
        candidate = slug[: 120 - len(suffix)] + suffix
        if not taken.filter(slug=candidate).exists():
            return candidate
    return ""


def _clean_slug(form):
    slug = form.cleaned_data.get("slug")
    model = form._meta.model
    if slug and model._base_manager.exclude(pk=form.instance.pk).filter(slug=slug).exists():
        suggestion = free_slug(model, slug, form.instance.pk)
        raise ValidationError(
            f"Another {model._meta.verbose_name} has the slug “{slug}”; “{suggestion}” is free.",
            code="unique",
        )
    return slug


# Roles that fit ---------------------------------------------------------------------------------


class RoleSelect(forms.Select):
    """A role select the desk's script refills when the actor or the date changes."""

    def __init__(self, actor_field, role_field, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The script finds the actor's box by its name: this box's with the actor's field
        # name in place of its own (a participation inline's names carry a prefix). The date
        # is the page's: the statement's own, or the event's for its participations.
        self.attrs.update({"data-role-actor": actor_field, "data-role-for": role_field})


def limit_roles(form, role_field, actor_field, date_source):
    """Offer in ``role_field`` only the roles of the form's actor held at the record's date.

    A bound form keeps every role as valid choices, so that a role that no longer fits is
    refused by the model's own rule, in its words, rather than as "not one of the choices"."""
    field = form.fields.get(role_field)
    if field is None:
        return
    if form.is_bound:
        field.queryset = Role.objects.select_related("actor")
        return
    instance = form.instance
    actor_id = getattr(instance, f"{actor_field}_id", None) or form.initial.get(actor_field)
    if not actor_id:
        field.queryset = Role.objects.none()
        return
    date, precision = date_source(instance)
    field.queryset = Role.objects.fitting(actor_id, date, precision or DatePrecision.DAY)


def roles_json(request):
    """The roles of ``actor`` held at ``date`` (to ``precision``): what the role select offers."""
    actor = request.GET.get("actor", "")
    if not actor.isdigit():
        return JsonResponse({"roles": []})
    date = None
    raw_date = request.GET.get("date", "")
    if raw_date:
        try:
            date = forms.DateField().clean(raw_date)
        except ValidationError:
            date = None
    precision = request.GET.get("precision") or DatePrecision.DAY
    roles = Role.objects.fitting(int(actor), date, precision)
    return JsonResponse(
        {"roles": [{"id": role.pk, "text": str(role), "term": role.term_display} for role in roles]}
    )
