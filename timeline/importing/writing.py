"""Applying checked records in one transaction, in dependency order, as a three-way merge, and
recording each file's import as a batch.

Each field a file gives is compared with what that file's last import brought (its batch rows,
timeline.batches) and with what the database holds now:

- unchanged in the file since: nothing happens, whatever the database holds (an edit stays);
- changed in the file, and the database still holds what was imported: the new value is written;
- changed in both: a conflict. The database's value is kept, unless the editor chose to take
  the file's (``take_file``), and the report lists the three values.

A field the file gives for the first time is written when the database holds what some import
wrote (or the record is new), and is a conflict when it holds anything else, since that can
only be an edit. Many-to-many links the file added since its last import are added; none is
ever removed.
"""

import getpass
import json
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from .. import signals
from ..aliases import SlugAlias
from ..batches import FieldAction, ImportBatch, ImportedField
from ..models import (
    Actor,
    Event,
    Measure,
    MeasureLink,
    MeasureStatus,
    Observation,
    Participation,
    Source,
    Statement,
)
from .problems import (
    ImportFailed,
    Location,
    PreviewOutdated,
    Problem,
    as_written,
    key_as_written,
)
from .records import (
    MAX_PROBLEMS,
    MODELS,
    collect,
    importable_fields,
    natural_key_fields,
    natural_key_of,
    nearest,
    uncited,
)
from .report import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Conflict,
    FieldChange,
    Outcome,
    Renamed,
    Report,
    Skipped,
)

logger = logging.getLogger("timeline.importing")

# Records that belong to the article that created them: another article's file may change them
# only if it cites that article (or with allow_shared_updates). Actors, roles, places and
# participations are shared on purpose, and so are passages and indicators (a passage is part of
# its source, which any article may cite; an indicator is a series any article adds to).
OWNED_MODELS = (Event, Measure, Statement, Observation, MeasureStatus, MeasureLink)

_UNRESOLVED = object()


@dataclass(frozen=True)
class ImportOptions:
    """How to import: the choices a command line or the admin's form gives."""

    dry_run: bool = False
    take_file: frozenset = frozenset()  # field names, or "model.field", whose file value wins
    take_file_all: bool = False
    allow_shared_updates: bool = False
    only_changed: bool = False
    strict: bool = False  # a record that cites no passage is a problem, not a warning
    user: object = None
    via: str = ImportBatch.Via.COMMAND

    def takes(self, model, name):
        return (
            self.take_file_all
            or name in self.take_file
            or f"{model._meta.model_name}.{name}" in self.take_file
        )


@dataclass(frozen=True)
class _Owner:
    article: str
    sources: tuple


def written_keys(keys):
    """A list of natural keys as the batch rows store it: sorted, so that order carries no
    meaning."""
    return as_written(sorted(list(key) for key in keys))


def content_type_of(model):
    return ContentType.objects.get_for_model(model)


class _Importer:
    """Merges one file's entries in dependency order inside the caller's transaction."""

    CHUNK = 500

    def __init__(self, article, entries, options):
        self.article = article
        self.entries = entries
        self.options = options
        self.index = defaultdict(dict)  # model -> natural key in the file -> instance
        self.owners = defaultdict(dict)  # model -> pk -> _Owner (another article's import)
        self.broken = set()  # (model, key) of input records that have problems
        self.problems = []
        self.outcomes = []
        self.conflicts = []
        self.renamed = {}
        self.rows = []  # (instance, ImportedField without its batch and record)
        self.slugs_in_database = {}
        self.natural_keys = {}  # (model, pk) -> natural key, for foreign keys' values
        self.last_imported = self._last_imported()

    def _last_imported(self):
        """{(content type id, record id, field): the file's value at its last import}."""
        rows = (
            ImportedField.objects.in_force()
            .filter(batch__article=self.article.article)
            .exclude(action=FieldAction.CONFLICT)
            .exclude(in_file="")
            .order_by("batch_id", "pk")
            .values_list("content_type_id", "object_id", "field", "in_file")
        )
        return {(ct, pk, name): value for ct, pk, name, value in rows}

    def run(self, problems=()):
        self.problems.extend(problems)
        for model in MODELS:
            self._load_existing(model)
            for entry in self.entries.get(model, []):
                self._apply(entry)
        if self.problems:
            raise ImportFailed(self.problems)
        return self.outcomes

    # Finding records -----------------------------------------------------------------------

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

    def _current_slugs(self, model, slugs):
        """Each slug as it is now: itself, or the slug of the record it was renamed to."""
        found = set(model._base_manager.filter(slug__in=slugs).values_list("slug", flat=True))
        renamed = SlugAlias.objects.current_slugs(model, set(slugs) - found)
        for old, new in renamed.items():
            self.renamed.setdefault((model, old), Renamed(model, old, new))
        return {slug: renamed.get(slug, slug) for slug in slugs}

    def _load_existing(self, model):
        keys = sorted(self._wanted_keys(model))
        m2m = [f.name for f in importable_fields(model).values() if f.many_to_many]
        for start in range(0, len(keys), self.CHUNK):
            chunk = keys[start : start + self.CHUNK]
            if model is Participation:
                events = self._current_slugs(Event, {event for event, _ in chunk})
                actors = self._current_slugs(Actor, {actor for _, actor in chunk})
                queryset = model.objects.filter(
                    event__slug__in=set(events.values()), actor__slug__in=set(actors.values())
                ).select_related("event", "actor")
                by_key = {(p.event.slug, p.actor.slug): p for p in queryset}
                found = {
                    key: by_key[(events[key[0]], actors[key[1]])]
                    for key in chunk
                    if (events[key[0]], actors[key[1]]) in by_key
                }
            else:
                current = self._current_slugs(model, [slug for (slug,) in chunk])
                queryset = model.objects.filter(slug__in=set(current.values()))
                by_slug = {obj.slug: obj for obj in queryset.prefetch_related(*m2m)}
                found = {
                    key: by_slug[current[key[0]]] for key in chunk if current[key[0]] in by_slug
                }
            self.index[model].update(found)
            self._load_owners(model, [obj.pk for obj in found.values()])

    def _load_owners(self, model, pks):
        """Which existing records another article's import created, and that article's sources."""
        if not pks:
            return
        created = (
            ImportedField.objects.in_force()
            .filter(content_type=content_type_of(model), object_id__in=pks)
            .filter(action=FieldAction.CREATED)
            .exclude(batch__article=self.article.article)
            .values_list("object_id", "batch__article", "batch__sources")
            .distinct()
        )
        for pk, article, sources in created:
            self.owners[model][pk] = _Owner(article, tuple(sources))

    def _resolve(self, model, key, entry, field_name):
        target = self.index[model].get(key)
        if target is not None:
            return target
        if (model, key) not in self.broken:  # a broken record's problems are reported already
            message = (
                f"refers to {model._meta.label_lower} {key_as_written(key)}, which is neither "
                "in the file nor in the database"
            )
            guess = self._nearest_slug(model, key)
            if guess:
                message += f"; did you mean `{guess}`?"
            self.problems.append(Problem(entry.origin(field_name), message, field_name))
        return _UNRESOLVED

    def _nearest_slug(self, model, key):
        if model is Participation:
            return None
        if model not in self.slugs_in_database:
            self.slugs_in_database[model] = list(model._base_manager.values_list("slug", flat=True))
        in_file = [entry.key[0] for entry in self.entries.get(model, [])]
        return nearest(key[0], self.slugs_in_database[model] + in_file)

    # Values as the batch rows write them ---------------------------------------------------

    def _key_of(self, model, pk):
        if (model, pk) not in self.natural_keys:
            obj = model._base_manager.get(pk=pk)
            self.natural_keys[(model, pk)] = natural_key_of(obj)
        return self.natural_keys[(model, pk)]

    def _db_value(self, instance, model_field, m2m_targets=None):
        """The field's value in the database (or about to be), written as a file would."""
        if model_field.many_to_many:
            targets = (
                m2m_targets
                if m2m_targets is not None
                else list(getattr(instance, model_field.name).all())
            )
            return written_keys(natural_key_of(target) for target in targets)
        if model_field.many_to_one:
            pk = getattr(instance, model_field.attname)
            if pk is None:
                return as_written(None)
            return as_written(self._key_of(model_field.related_model, pk))
        return as_written(model_field.get_prep_value(model_field.value_from_object(instance)))

    def _last_written(self, instance, name):
        """What the latest import that wrote this field of this record wrote, if any did."""
        return (
            ImportedField.objects.in_force()
            .written()
            .of_record(instance)
            .filter(field=name)
            .order_by("-batch_id", "-pk")
            .values_list("after", flat=True)
            .first()
        )

    # Merging one record --------------------------------------------------------------------

    def _apply(self, entry):
        model, opts = entry.model, entry.model._meta
        existing = self.index[model].get(entry.key)
        instance = existing if existing is not None else model()
        ct = content_type_of(model)
        key_fields = natural_key_fields(model)
        changes, additions, unresolved, rows, conflicts = [], {}, set(), [], []
        kept = {}  # attribute -> the database's value, for conflicts that keep it
        for name, value in entry.values.items():
            if name in entry.bad:
                continue
            model_field = opts.get_field(name)
            if model_field.many_to_many:
                targets = [self._resolve(model_field.related_model, k, entry, name) for k in value]
                if _UNRESOLVED in targets:
                    unresolved.add(name)
                    continue
                in_file = written_keys(natural_key_of(target) for target in targets)
            elif model_field.many_to_one:
                target = None
                if value is not None:
                    target = self._resolve(model_field.related_model, value, entry, name)
                    if target is _UNRESOLVED:
                        unresolved.add(name)
                        continue
                in_file = as_written(natural_key_of(target) if target is not None else None)
            else:
                in_file = as_written(model_field.get_prep_value(value))

            if existing is None:
                if model_field.many_to_many:
                    additions[name] = targets
                elif model_field.many_to_one:
                    setattr(instance, name, target)
                else:
                    setattr(instance, model_field.attname, value)
                if name not in key_fields:
                    rows.append((name, FieldAction.CREATED, in_file, "", in_file, ""))
                changes.append(FieldChange(name, None, in_file))
                continue
            if name in key_fields:
                continue  # the record was found by it (or by its old slug)

            last = self.last_imported.get((ct.pk, instance.pk, name))
            if model_field.many_to_many:
                current = list(getattr(instance, name).all())
                current_pks = {obj.pk for obj in current}
                before_in_file = {tuple(k) for k in json.loads(last)} if last else set()
                missing = [
                    t
                    for t in targets
                    if t.pk not in current_pks and tuple(natural_key_of(t)) not in before_in_file
                ]
                if missing:
                    additions[name] = missing
                    old = self._db_value(instance, model_field, current)
                    new = self._db_value(instance, model_field, current + missing)
                    changes.append(FieldChange(name, old, new))
                    rows.append((name, FieldAction.UPDATED, in_file, old, new, ""))
                elif in_file != last:
                    now = self._db_value(instance, model_field, current)
                    rows.append((name, FieldAction.AGREED, in_file, now, now, ""))
                continue

            if in_file == last:
                continue  # unchanged in the file since its last import: whatever the database holds
            now = self._db_value(instance, model_field)
            if now == in_file:
                rows.append((name, FieldAction.AGREED, in_file, now, now, ""))
                continue
            imported = last if last is not None else self._last_written(instance, name)
            take = now == imported
            action = FieldAction.UPDATED
            if not take:
                take = self.options.takes(model, name)
                action = FieldAction.TAKEN
                conflicts.append(
                    Conflict(model, entry.key, name, last, in_file, now, take, entry.origin(name))
                )
            if not take:
                rows.append((name, FieldAction.CONFLICT, in_file, now, now, last or ""))
                # Checked all the same, so that the file's mistakes show; then put back.
                kept[model_field.attname] = getattr(instance, model_field.attname)
            if model_field.many_to_one:
                setattr(instance, name, target)
            else:
                setattr(instance, model_field.attname, value)
            if not take:
                continue
            changes.append(FieldChange(name, now, in_file))
            rows.append((name, action, in_file, now, in_file, last or ""))

        owner = self.owners[model].get(instance.pk) if existing is not None else None
        if owner is not None and model in OWNED_MODELS and self._cites(entry, owner):
            owner = None  # the file reports it too: its own as much as the other article's
        if owner is not None and changes and self._refused(entry, model, owner):
            self.broken.add((model, entry.key))
            return
        if not self._is_valid(entry, instance, existing, additions, unresolved) or unresolved:
            self.broken.add((model, entry.key))
            return
        if entry.bad:
            self.broken.add((model, entry.key))
            return
        for attname, value in kept.items():
            setattr(instance, attname, value)
        if existing is None or changes:
            # The file's name without its folder: history keeps at most 100 characters.
            instance._change_reason = f"Imported from {self.article.article}"[:100]
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
        if existing is None:
            rows.extend(self._defaults_of_new(instance, entry, key_fields))
        self.index[model][entry.key] = instance
        self.rows.extend((instance, entry.key, row) for row in rows)
        self.conflicts.extend(conflicts)
        action = CREATED if existing is None else (UPDATED if changes else UNCHANGED)
        shared_with = owner.article if owner is not None else None
        self.outcomes.append(
            Outcome(model, entry.key, action, tuple(changes), entry.location, shared_with)
        )

    def _defaults_of_new(self, instance, entry, key_fields):
        """Rows for the fields a new record took by default: an import wrote them too."""
        for model_field in importable_fields(type(instance)).values():
            name = model_field.name
            if name in entry.values or name in key_fields:
                continue
            value = self._db_value(instance, model_field)
            yield (name, FieldAction.CREATED, "", "", value, "")

    def _cites(self, entry, owner):
        """Whether the file's record cites a source of the article that created it."""
        if entry.model in (MeasureStatus, MeasureLink):  # cited with its measure
            measure_key = entry.values.get("measure")
            measures = [m for m in self.entries.get(Measure, []) if m.key == measure_key]
            cited = measures[0].values.get("sources", ()) if measures else ()
        else:
            cited = entry.values.get("sources", ())
        return bool({key[0] for key in cited} & set(owner.sources))

    def _refused(self, entry, model, owner):
        """Whether this file may not change a dated record of another article (noted if so)."""
        if model not in OWNED_MODELS or self.options.allow_shared_updates:
            return False
        sources = ", ".join(f"`{slug}`" for slug in owner.sources) or "its sources"
        self.problems.append(
            Problem(
                entry.location,
                f"{model._meta.verbose_name} `{entry.key[0]}` belongs to `{owner.article}`; "
                f"{self.article.article} does not cite that source ({sources}): give the record "
                "a new slug, or add the source (or import with --allow-shared-updates)",
            )
        )
        return True

    def _is_valid(self, entry, instance, existing, additions, unresolved):
        """Whether the record passes the model's own validation; notes its problems if not."""
        errors = {}
        excluded = unresolved | entry.bad
        try:
            instance.full_clean(exclude=excluded)
        except ValidationError as error:
            errors = {
                name: [_message(entry, existing, name, each) for each in error_list]
                for name, error_list in error.error_dict.items()
            }
        for model_field in importable_fields(entry.model).values():
            if model_field.name in excluded:
                continue
            if model_field.many_to_many and not model_field.blank:
                has_some = additions.get(model_field.name) or (
                    existing is not None and getattr(instance, model_field.name).exists()
                )
                if not has_some:
                    related = model_field.related_model._meta.verbose_name
                    errors.setdefault(model_field.name, []).append(
                        f"missing: give at least one {related}."
                    )
        for name, messages in errors.items():
            field_name = None if name == "__all__" else name
            for message in messages:
                self.problems.append(Problem(entry.origin(field_name), message, field_name))
        return not errors

    # The batch -------------------------------------------------------------------------------

    def record_batch(self, report_counts):
        """Keep this import as a batch: the file, its sources, and every row of the merge."""
        user = self.options.user
        if user is not None and user.is_authenticated:
            run_by = user.get_username()
        else:
            user = None
            try:
                run_by = getpass.getuser()
            except (KeyError, OSError):
                run_by = ""
        sources = sorted(entry.key[0] for entry in self.entries.get(Source, []))
        batch = ImportBatch.objects.create(
            file_name=self.article.name,
            article=self.article.article,
            sha256=self.article.sha256,
            sources=sources,
            user=user,
            run_by=run_by,
            via=self.options.via,
            **report_counts,
        )
        ImportedField.objects.bulk_create(
            ImportedField(
                batch=batch,
                content_type=content_type_of(type(instance)),
                object_id=instance.pk,
                record_key=key_as_written(key),
                field=name,
                action=action,
                in_file=in_file,
                before=before,
                after=after,
                last_imported=last,
            )
            for instance, key, (name, action, in_file, before, after, last) in self.rows
        )
        return batch


def _message(entry, existing, field_name, error):
    """A validation error's message in an editor's words: a missing field is called missing,
    and the allowed values are listed when the value must be one of them."""
    model = entry.model
    message = " ".join(error.messages)
    model_field = None if field_name == "__all__" else model._meta.get_field(field_name)
    choices = (
        [str(value) for value, _ in (model_field.choices or []) if value] if model_field else []
    )
    if error.code in ("blank", "null") and existing is None and field_name not in entry.values:
        message = f"missing: a new {model._meta.verbose_name} must give it."
        if choices:
            message = message[:-1] + ", one of: " + ", ".join(choices) + "."
    elif error.code in ("invalid_choice", "blank") and choices and len(choices) <= 12:
        message += " Allowed values: " + ", ".join(choices) + "."
    return message


def _counts(outcomes, conflicts):
    return {
        "created_count": sum(o.action == CREATED for o in outcomes),
        "updated_count": sum(o.action == UPDATED for o in outcomes),
        "unchanged_count": sum(o.action == UNCHANGED for o in outcomes),
        "conflict_count": sum(not c.taken for c in conflicts),
    }


def _capped(problems):
    if len(problems) <= MAX_PROBLEMS:
        return problems
    shown = problems[:MAX_PROBLEMS]
    last = shown[-1].location
    shown.append(
        Problem(
            Location(last.file),
            f"{len(problems) - MAX_PROBLEMS} more problems are not listed (at most "
            f"{MAX_PROBLEMS} are); correct these and import again to see the rest",
        )
    )
    return shown


def _last_batch_of_the_same_bytes(article):
    return (
        ImportBatch.objects.of_article(article.article)
        .newest_first()
        .values_list("pk", "sha256")
        .first()
    )


def import_articles(files, *, expected_fingerprint=None, **options):
    """Import parsed article files in one transaction and return the :class:`Report`.

    Each file is merged as if imported on its own, in order, and recorded as a batch; all of
    them are written or none is. ``options`` are those of :class:`ImportOptions`: with
    ``dry_run`` everything is done and checked, then rolled back (and no batch kept). With
    ``expected_fingerprint`` (a dry run's ``Report.fingerprint``) the import is rolled back
    and PreviewOutdated raised unless it does exactly what that dry run reported.
    Raises ImportFailed, having written nothing, on any problem.
    """
    options = ImportOptions(**{**options, "take_file": frozenset(options.get("take_file", ()))})
    files = list(files)
    read = [(article, *collect(article)) for article in files]
    with transaction.atomic():
        report = Report([article.name for article in files], options.dry_run)
        failed = []
        for article, entries, shape_problems in read:
            if options.only_changed:
                last = _last_batch_of_the_same_bytes(article)
                if last is not None and last[1] == article.sha256:
                    report.skipped.append(Skipped(article.name, last[0]))
                    continue
            if failed:  # after a file that fails, the next are read but not merged
                failed.extend(shape_problems)
                continue
            warnings = uncited(entries)
            if options.strict:
                shape_problems = [*shape_problems, *warnings]
            else:
                report.warnings.extend(warnings)
            importer = _Importer(article, entries, options)
            try:
                importer.run(shape_problems)
            except ImportFailed as failure:
                failed.extend(failure.problems)
                continue
            report.outcomes.extend(importer.outcomes)
            report.conflicts.extend(importer.conflicts)
            report.renamed.extend(importer.renamed.values())
            if not options.dry_run:
                counts = _counts(importer.outcomes, importer.conflicts)
                report.batches.append(importer.record_batch(counts))
        if failed:
            raise ImportFailed(_capped(failed))
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
        if options.dry_run:
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
