"""Undoing an import batch: every record it created deleted, every field it wrote restored,
every link it added removed, as they were before the batch.

An undo never overwrites a later change without being told to: when a record the batch wrote
was changed since (an edit, a later batch), it stops and lists what it would overwrite, unless
``force``. A record the batch created that a record of someone else now refers to is never
deleted: that later batch (or edit) must be undone first. After an undo with nothing changed
since the batch, the timeline's records are exactly as they were before it; the history tables
and the batch itself record the undo.
"""

import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .. import signals
from ..aliases import SlugAlias
from ..batches import FieldAction, ImportBatch, ImportedField
from .problems import as_written
from .records import MODELS, _convert, natural_key_of
from .writing import written_keys


class UndoRefused(Exception):
    """The undo would overwrite later changes (``blockers``); nothing was changed."""

    def __init__(self, batch, blockers, forceable=True):
        self.batch = batch
        self.blockers = list(blockers)
        self.forceable = forceable
        super().__init__("\n".join(self.blockers))


@dataclass
class UndoReport:
    batch: ImportBatch
    deleted: list = field(default_factory=list)  # labels of the records deleted
    restored: list = field(default_factory=list)  # "record, field: now → before"
    unlinked: list = field(default_factory=list)
    overwritten: list = field(default_factory=list)  # later changes --force overwrote

    @property
    def headline(self):
        return (
            f"Undid batch {self.batch.pk} ({self.batch.file_name}): {len(self.deleted)} "
            f"record{'s' if len(self.deleted) != 1 else ''} deleted, {len(self.restored)} "
            f"field{'s' if len(self.restored) != 1 else ''} restored, {len(self.unlinked)} "
            f"link{'s' if len(self.unlinked) != 1 else ''} removed."
        )

    def lines(self):
        lines = [self.headline]
        lines.extend(f"  deleted {label}" for label in self.deleted)
        lines.extend(f"  restored {change}" for change in self.restored)
        lines.extend(f"  unlinked {link}" for link in self.unlinked)
        lines.extend(f"  overwrote a later change: {change}" for change in self.overwritten)
        return lines


def batch_by_reference(reference):
    """The batch a command line names: its number, or "last" for the newest not undone."""
    if reference == "last":
        batch = ImportBatch.objects.in_force().newest_first().first()
        if batch is None:
            raise ImportBatch.DoesNotExist("no import batch is left to undo")
        return batch
    try:
        return ImportBatch.objects.get(pk=int(reference))
    except (ValueError, ImportBatch.DoesNotExist):
        raise ImportBatch.DoesNotExist(
            f"no import batch {reference!r}: give its number (import_history lists them) or “last”"
        ) from None


class _Undo:
    def __init__(self, batch, force):
        self.batch = batch
        self.force = force
        self.forceable = True  # False once a blocker is one that --force cannot lift
        self.blockers = []
        self.report = UndoReport(batch)
        rows = list(batch.fields.written().select_related("content_type").order_by("pk"))
        self.created = defaultdict(list)  # (model, pk) -> rows of the records it created
        self.changed = []
        for row in rows:
            if row.action == FieldAction.CREATED:
                self.created[(row.model, row.object_id)].append(row)
            else:
                self.changed.append(row)
        self.instances = self._load(rows)
        self.wrote = {(row.model, row.object_id, row.field): row for row in rows}

    def _load(self, rows):
        pks = defaultdict(set)
        for row in rows:
            pks[row.model].add(row.object_id)
        return {
            (model, obj.pk): obj
            for model, ids in pks.items()
            for obj in model._base_manager.filter(pk__in=ids)
        }

    def _label(self, row):
        return f"{row.model._meta.verbose_name} {row.record_key}"

    def _now(self, instance, name):
        model_field = type(instance)._meta.get_field(name)
        if model_field.many_to_many:
            return written_keys(natural_key_of(obj) for obj in getattr(instance, name).all())
        if model_field.many_to_one:
            target = getattr(instance, name)
            return as_written(natural_key_of(target) if target is not None else None)
        return as_written(model_field.get_prep_value(model_field.value_from_object(instance)))

    def check(self):
        later = (
            ImportedField.objects.in_force()
            .written()
            .filter(batch__pk__gt=self.batch.pk)
            .values_list("content_type_id", "object_id", "field", "batch_id")
        )
        later = {(ct, pk, name): batch for ct, pk, name, batch in later}
        for row in [*self.changed, *(r for rows in self.created.values() for r in rows)]:
            instance = self.instances.get((row.model, row.object_id))
            if instance is None:
                continue  # deleted since: there is nothing to put back
            if row.model._meta.get_field(row.field).many_to_many:
                continue  # only the links the batch added are removed: nothing is overwritten
            now = self._now(instance, row.field)
            by = later.get((row.content_type_id, row.object_id, row.field))
            if now != row.after or by is not None:
                since = f"by batch {by}" if by is not None else "since"
                self.blockers.append(
                    f"{self._label(row)}, field “{row.field}”: the batch wrote {row.after}, "
                    f"changed {since} to {now}"
                )
        self._check_dependents()

    def _check_dependents(self):
        """Records the batch created that other records (not the batch's) now refer to."""
        ours = set(self.created)
        for model, pk in self.created:
            instance = self.instances.get((model, pk))
            if instance is None:
                continue
            for other in self._referring(instance):
                if (type(other), other.pk) in ours:
                    continue
                self.forceable = False
                self.blockers.append(
                    f"{model._meta.verbose_name} “{instance}” was created by this batch, and "
                    f"{type(other)._meta.verbose_name} “{other}” refers to it now: undo what "
                    "added that first"
                )

    def _referring(self, instance):
        """The timeline records that refer to ``instance`` (by a foreign key or a link) other
        than through a value this batch wrote, which the undo takes back anyway."""
        model = type(instance)
        key = natural_key_of(instance)
        for other_model in MODELS:
            for model_field in other_model._meta.get_fields():
                if not model_field.concrete or model_field.related_model is not model:
                    continue
                others = other_model._base_manager.filter(**{model_field.name: instance})
                for other in others:
                    wrote = self.wrote.get((other_model, other.pk, model_field.name))
                    if wrote is None:
                        yield other
                    elif model_field.many_to_many:
                        before = {tuple(k) for k in json.loads(wrote.before or "[]")}
                        if tuple(key) in before or tuple(key) not in {
                            tuple(k) for k in json.loads(wrote.after)
                        }:
                            yield other
                    elif wrote.after != as_written(key):
                        yield other

    def plan(self):
        """What the undo would do, in words, without doing it."""
        lines = [f"delete {self._label(rows[0])}" for rows in self.created.values()]
        for row in self.changed:
            if (row.model, row.object_id) in self.created:
                continue
            if row.model._meta.get_field(row.field).many_to_many:
                lines.append(f"remove the links {self._label(row)}, {row.field} gained")
            else:
                lines.append(f"restore {self._label(row)}, {row.field}: {row.before}")
        return lines

    def apply(self):
        reason = f"Undo of import batch {self.batch.pk}"
        by_record = defaultdict(list)
        for row in self.changed:
            by_record[(row.model, row.object_id)].append(row)
        for (model, pk), rows in by_record.items():
            instance = self.instances.get((model, pk))
            if instance is None or (model, pk) in self.created:
                continue
            fields_changed = False
            for row in rows:
                model_field = model._meta.get_field(row.field)
                if model_field.many_to_many:
                    self._unlink(instance, row)
                    continue
                now = self._now(instance, row.field)
                if now != row.after:
                    self.report.overwritten.append(f"{self._label(row)}, {row.field}: {now}")
                self._set(instance, model_field, row.before)
                self.report.restored.append(
                    f"{self._label(row)}, {row.field}: {now} → {row.before}"
                )
                fields_changed = True
            if fields_changed:
                instance._change_reason = reason
                instance.save()
        for model in reversed(MODELS):
            for (created_model, pk), rows in self.created.items():
                instance = self.instances.get((created_model, pk))
                if created_model is not model or instance is None:
                    continue
                instance._change_reason = reason
                instance.delete()
                self.report.deleted.append(self._label(rows[0]))

    def _unlink(self, instance, row):
        before = {tuple(key) for key in json.loads(row.before)}
        after = {tuple(key) for key in json.loads(row.after)}
        added = after - before
        if not added:
            return
        manager = getattr(instance, row.field)
        targets = [obj for obj in manager.all() if tuple(obj.natural_key()) in added]
        if targets:
            manager.remove(*targets)
            self.report.unlinked.extend(
                f"{self._label(row)}, {row.field}: {obj.natural_key()[0]}" for obj in targets
            )

    def _set(self, instance, model_field, written):
        value = json.loads(written)
        if model_field.many_to_one:
            target = None
            if value is not None:
                related = model_field.related_model
                slug = value[0]
                target = related._base_manager.filter(slug=slug).first()
                if target is None:
                    renamed = SlugAlias.objects.current_slugs(related, [slug]).get(slug)
                    target = related._base_manager.get(slug=renamed)
            setattr(instance, model_field.name, target)
            return
        setattr(instance, model_field.attname, _convert(model_field, value))


def undo_batch(batch, *, force=False, dry_run=False, user=None):
    """Undo ``batch`` in one transaction and return an :class:`UndoReport`.

    Raises UndoRefused, having changed nothing, when the batch was undone already, when a
    later change would be overwritten (unless ``force``) or when a record it created is needed
    by another. With ``dry_run``, checks and reports, then rolls back.
    """
    if batch.undone_at is not None:
        raise UndoRefused(batch, [f"batch {batch.pk} was undone already"], forceable=False)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        undo = _Undo(batch, force)
        undo.check()
        if undo.blockers and (not force or not undo.forceable):
            raise UndoRefused(batch, undo.blockers, forceable=undo.forceable)
        undo.apply()
        batch.undone_at = timezone.now()
        batch.undone_by = user.get_username() if user is not None else _shell_user()
        batch.save(update_fields=["undone_at", "undone_by"])
        if dry_run:
            transaction.set_rollback(True)
        else:
            transaction.on_commit(lambda: signals.records_written.send(sender=UndoReport))
    return undo.report


def undo_plan(batch):
    """(what undoing ``batch`` would do, what stops it, whether --force can lift that); reads
    only, for the admin's confirmation page."""
    if batch.undone_at is not None:
        return [], [f"batch {batch.pk} was undone already"], False
    undo = _Undo(batch, force=False)
    undo.check()
    return undo.plan(), undo.blockers, undo.forceable


def _shell_user():
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
