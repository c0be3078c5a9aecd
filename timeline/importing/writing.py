"""Applying checked records in one transaction, in dependency order, and ending an import."""

import logging
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from .. import signals
from ..models import Participation
from .problems import (
    ImportFailed,
    Location,
    PreviewOutdated,
    Problem,
    as_written,
    key_as_written,
)
from .records import MODELS, collect, importable_fields, natural_key_of
from .report import CREATED, UNCHANGED, UPDATED, FieldChange, Outcome, Report

logger = logging.getLogger("timeline.importing")


_UNRESOLVED = object()


class _Importer:
    """Applies merged entries in dependency order inside the caller's transaction."""

    CHUNK = 500

    def __init__(self, entries):
        self.entries = entries
        self.index = defaultdict(dict)  # model -> natural key -> instance
        self.broken = set()  # (model, key) of input records that have problems
        self.problems = []
        self.outcomes = []

    def run(self):
        for model in MODELS:
            self._load_existing(model)
            for entry in self.entries.get(model, []):
                self._apply(entry)
        if self.problems:
            raise ImportFailed(self.problems)
        return self.outcomes

    def _wanted_keys(self, model):
        keys = {entry.key for entry in self.entries.get(model, [])}
        for entries in self.entries.values():
            for entry in entries:
                for name, value in entry.values.items():
                    model_field = entry.model._meta.get_field(name)
                    if model_field.related_model is not model or value is None:
                        continue
                    keys.update(value if model_field.many_to_many else [value])
        return keys

    def _load_existing(self, model):
        keys = sorted(self._wanted_keys(model))
        m2m = [f.name for f in importable_fields(model).values() if f.many_to_many]
        for start in range(0, len(keys), self.CHUNK):
            chunk = keys[start : start + self.CHUNK]
            if model is Participation:
                queryset = model.objects.filter(
                    event__slug__in={event for event, _ in chunk},
                    actor__slug__in={actor for _, actor in chunk},
                ).select_related("event", "actor")
                found = {(p.event.slug, p.actor.slug): p for p in queryset}
            else:
                queryset = model.objects.filter(slug__in=[slug for (slug,) in chunk])
                found = {(obj.slug,): obj for obj in queryset.prefetch_related(*m2m)}
            self.index[model].update((key, found[key]) for key in chunk if key in found)

    def _resolve(self, model, key, entry, field_name):
        target = self.index[model].get(key)
        if target is not None:
            return target
        if (model, key) not in self.broken:  # a broken record's problems are reported already
            self.problems.append(
                Problem(
                    entry.origin(field_name),
                    f"refers to {model._meta.label_lower} {key_as_written(key)}, which is neither "
                    "in the file nor in the database",
                    field_name,
                )
            )
        return _UNRESOLVED

    def _apply(self, entry):
        model, opts = entry.model, entry.model._meta
        existing = self.index[model].get(entry.key)
        instance = existing if existing is not None else model()
        changes, additions, unresolved = [], {}, set()
        for name, value in entry.values.items():
            model_field = opts.get_field(name)
            if model_field.many_to_many:
                targets = [self._resolve(model_field.related_model, k, entry, name) for k in value]
                if _UNRESOLVED in targets:
                    unresolved.add(name)
                    continue
                current = list(getattr(instance, name).all()) if existing is not None else []
                current_pks = {obj.pk for obj in current}
                missing = [target for target in targets if target.pk not in current_pks]
                if missing:
                    additions[name] = missing
                    old = as_written([natural_key_of(obj) for obj in current])
                    new = as_written([natural_key_of(obj) for obj in current + missing])
                    changes.append(FieldChange(name, old if existing is not None else None, new))
                continue
            if model_field.many_to_one:
                target = None
                if value is not None:
                    target = self._resolve(model_field.related_model, value, entry, name)
                    if target is _UNRESOLVED:
                        unresolved.add(name)
                        continue
                new_id = target.pk if target is not None else None
                if existing is None or getattr(instance, model_field.attname) != new_id:
                    old = None
                    if existing is not None:
                        old_target = getattr(instance, name)
                        old = as_written(natural_key_of(old_target) if old_target else None)
                    changes.append(
                        FieldChange(
                            name, old, as_written(natural_key_of(target) if target else None)
                        )
                    )
                setattr(instance, name, target)
                continue
            old_value = model_field.value_from_object(instance) if existing is not None else None
            if existing is None or model_field.get_prep_value(
                old_value
            ) != model_field.get_prep_value(value):
                old = (
                    as_written(model_field.get_prep_value(old_value))
                    if existing is not None
                    else None
                )
                changes.append(FieldChange(name, old, as_written(value)))
            setattr(instance, model_field.attname, value)
        if not self._is_valid(entry, instance, existing, additions, unresolved) or unresolved:
            self.broken.add((model, entry.key))
            return
        if existing is None or changes:
            instance._change_reason = f"Imported from {entry.location.file}"
            try:
                with transaction.atomic():
                    instance.save()
                    for name, targets in additions.items():
                        getattr(instance, name).add(*targets)
            except (DatabaseError, ValueError, OverflowError) as error:
                self.problems.append(
                    Problem(entry.location, f"the database refused the record: {error}")
                )
                self.broken.add((model, entry.key))
                return
        self.index[model][entry.key] = instance
        action = CREATED if existing is None else (UPDATED if changes else UNCHANGED)
        self.outcomes.append(Outcome(model, entry.key, action, tuple(changes), entry.location))

    def _is_valid(self, entry, instance, existing, additions, unresolved):
        """Whether the record passes the model's own validation; notes its problems if not."""
        errors = {}
        try:
            instance.full_clean(exclude=unresolved)
        except ValidationError as error:
            errors = {
                name: [_message(entry.model, name, each) for each in error_list]
                for name, error_list in error.error_dict.items()
            }
        for model_field in importable_fields(entry.model).values():
            if model_field.name in unresolved:
                continue
            if model_field.many_to_many and not model_field.blank:
                has_some = additions.get(model_field.name) or (
                    existing is not None and getattr(instance, model_field.name).exists()
                )
                if not has_some:
                    errors.setdefault(model_field.name, []).append(
                        "This field is required: give at least one."
                    )
        for name, messages in errors.items():
            field_name = None if name == "__all__" else name
            for message in messages:
                self.problems.append(Problem(entry.origin(field_name), message, field_name))
        return not errors


def _message(model, field_name, error):
    """A validation error's message, listing the allowed values when the value is not one."""
    message = " ".join(error.messages)
    if error.code == "invalid_choice" and field_name != "__all__":
        choices = model._meta.get_field(field_name).choices or []
        allowed = [str(value) for value, _ in choices if value]
        if len(allowed) <= 12:
            message += " Allowed values: " + ", ".join(allowed) + "."
    return message


def import_articles(files, *, dry_run=False, expected_fingerprint=None):
    """Import parsed article files in one transaction and return the :class:`Report`.

    With ``dry_run`` everything is done and checked, then rolled back. With
    ``expected_fingerprint`` (a dry run's ``Report.fingerprint``) the import is rolled back
    and PreviewOutdated raised unless it does exactly what that dry run reported.
    Raises ImportFailed, having written nothing, on any problem.
    """
    files = list(files)
    entries = collect(files)
    with transaction.atomic():
        outcomes = _Importer(entries).run()
        report = Report([article.name for article in files], dry_run, outcomes)
        if expected_fingerprint is not None and report.fingerprint != expected_fingerprint:
            raise PreviewOutdated(
                [
                    Problem(
                        Location(", ".join(report.files)),
                        "the database has changed since the preview; nothing was imported. "
                        "Review the new preview and confirm again.",
                    )
                ]
            )
        if dry_run:
            transaction.set_rollback(True)
        elif report.changes_anything:
            transaction.on_commit(lambda: import_committed(report))
    return report


def import_committed(report):
    """The one place a successful import that changed data ends, once its transaction commits.

    Anything that must follow every write by an import goes here: listeners of
    ``signals.records_written`` (the public site's caches) are told.
    """
    signals.records_written.send(sender=report.__class__)
    logger.info("%s", report.headline)
