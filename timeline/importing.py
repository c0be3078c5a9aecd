"""Import article fixtures safely: the one implementation behind `import_article` and the admin.

An article file is the JSON (or YAML) that `loaddata` reads, with natural keys (slugs) and no
ids: a list of records ``{"model": "timeline.event", "fields": {...}}``. Importing it

1. reads each file (size limit, UTF-8, JSON or YAML, a list of records),
2. checks every record's shape, model, fields and value types without touching the database,
3. then, in one transaction and in dependency order, matches every record by natural key,
   resolves every reference against the file and the database, validates the result with the
   model's own ``full_clean`` and saves only what changes,
4. and reports, per model, what was created, what was updated (field by field, old -> new)
   and what was unchanged.

Any problem anywhere rolls the whole transaction back and raises :class:`ImportFailed`, whose
problems each name the file, the record (position and natural key) and the field. A dry run
does the same work and rolls back at the end, so its report is exactly what an import would do.

Merging rules (documented in docs/article-format.md): a record that exists already is updated
only in the fields the file gives; many-to-many links are added, never removed (an event
reported by two articles cites both); an import never deletes anything.
"""

import datetime
import hashlib
import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import DatabaseError, models, transaction

from . import caching
from .models import Actor, Event, Figure, Measure, Participation, Place, Role, Source, Statement

logger = logging.getLogger(__name__)

MAX_FILE_SIZE = 5 * 1024 * 1024
"""The largest article file accepted, in bytes (5 MB: far more than any one article needs)."""

FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}

MODELS = [Source, Actor, Role, Place, Event, Participation, Figure, Measure, Statement]
"""Every importable model, each after the models it refers to."""

MODELS_BY_LABEL = {model._meta.label_lower: model for model in MODELS}

IMPORT_PERMISSIONS = tuple(
    f"{model._meta.app_label}.{action}_{model._meta.model_name}"
    for model in MODELS
    for action in ("add", "change")
)
"""An import may create or change a record of any model, so importing needs all of these."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RECORD_KEYS = {"model", "fields"}


# Problems -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where something is in the input: a file, and within it a record and its natural key."""

    file: str
    position: int | None = None
    model: str | None = None
    key: tuple | None = None

    def __str__(self):
        if self.position is None:
            return self.file
        if self.model is None:
            return f"{self.file}, record {self.position}"
        if self.key is None:
            return f"{self.file}, record {self.position} ({self.model})"
        return f"{self.file}, record {self.position} ({self.model} {_shown_key(self.key)})"


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str
    field: str | None = None

    def __str__(self):
        where = f"{self.location}, field “{self.field}”" if self.field else str(self.location)
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """The input cannot be imported; nothing was written. ``problems`` says what and where."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class PreviewOutdated(ImportFailed):
    """The database changed between a dry run and its confirmation; nothing was written."""


def _fail(location, message, field=None):
    raise ImportFailed([Problem(location, message, field)])


# Reading files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleFile:
    """One parsed article file: its name (for messages) and its list of records."""

    name: str
    records: list


class _DuplicateKey(ValueError):
    pass


def _mapping_without_duplicates(pairs):
    mapping = {}
    for key, value in pairs:
        if key in mapping:
            raise _DuplicateKey(f"the key “{key}” appears twice in one object")
        mapping[key] = value
    return mapping


class _StrictSafeLoader(yaml.SafeLoader):
    """yaml.safe_load, except that a key given twice in one mapping is an error."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:
                continue  # unhashable key: construct_mapping below reports it
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key “{key}” appears twice", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


def file_format(name):
    """ "json" or "yaml", from the file name's extension."""
    extension = Path(name).suffix.lower()
    if extension not in FORMATS:
        _fail(Location(name), "an article file's name must end in .json, .yaml or .yml")
    return FORMATS[extension]


def read_article(name, content):
    """Parse one article file's bytes into an :class:`ArticleFile`, or raise ImportFailed."""
    here = Location(name)
    if len(content) > MAX_FILE_SIZE:
        _fail(here, f"the file is {len(content):,} bytes, over the limit of {MAX_FILE_SIZE:,}")
    fmt = file_format(name)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        _fail(
            here,
            f"not UTF-8 text (byte 0x{content[error.start]:02x} at offset {error.start}); "
            "is it a binary file?",
        )
    if "\x00" in text:
        _fail(here, "contains NUL bytes; is it a binary file?")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        _fail(here, "the file is empty")
    data = _parse_json(text, here) if fmt == "json" else _parse_yaml(text, here)
    if data is None:
        _fail(here, "the file is empty")
    if not isinstance(data, list):
        _fail(
            here,
            f"the file must hold a list of records ([{{...}}, ...]), not {_kind_of(data)}",
        )
    if not data:
        _fail(here, "the file holds no records")
    return ArticleFile(name, data)


def read_article_path(path):
    """Read and parse an article file from disk, checking its size before reading it."""
    path = Path(path)
    here = Location(str(path))
    try:
        size = path.stat().st_size
        if not path.is_file():
            _fail(here, "not a file")
        if size > MAX_FILE_SIZE:
            _fail(here, f"the file is {size:,} bytes, over the limit of {MAX_FILE_SIZE:,}")
        content = path.read_bytes()
    except OSError as error:
        _fail(here, f"cannot be read: {error.strerror or error}")
    return read_article(str(path), content)


def _parse_json(text, here):
    try:
        return json.loads(text, object_pairs_hook=_mapping_without_duplicates)
    except json.JSONDecodeError as error:
        _fail(here, f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})")
    except _DuplicateKey as error:
        _fail(here, f"not a valid article file: {error}")
    except RecursionError:
        _fail(here, "not a valid article file: nested too deeply")
    except ValueError as error:  # for example an integer with thousands of digits
        _fail(here, f"not valid JSON: {error}")


def _parse_yaml(text, here):
    try:
        return yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        _fail(here, f"not valid YAML: {error.problem or error.context}{where}")
    except yaml.YAMLError as error:
        _fail(here, f"not valid YAML: {error}")
    except RecursionError:
        _fail(here, "not a valid article file: nested too deeply")
    except (ValueError, TypeError, OverflowError) as error:
        _fail(here, f"not valid YAML: {error}")


def _kind_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, datetime.date):
        return "a date"
    return type(value).__name__


# Checking records (no database) -------------------------------------------------------------


def importable_fields(model):
    """The fields a record of this model may give, by name, in model order."""
    return {
        model_field.name: model_field
        for model_field in model._meta.get_fields()
        if model_field.concrete
        and not model_field.primary_key
        and not (
            model_field.many_to_many and not model_field.remote_field.through._meta.auto_created
        )
    }


def natural_key_fields(model):
    return ("event", "actor") if model is Participation else ("slug",)


@dataclass
class _Entry:
    """One record the input asks for, merged over every file that gives it."""

    model: type
    key: tuple
    values: dict = field(default_factory=dict)
    origins: dict = field(default_factory=dict)
    location: Location = None

    def origin(self, field_name):
        return self.origins.get(field_name, self.location)


class _Converter:
    """Turns raw records into typed values, natural keys and references, collecting problems."""

    def __init__(self):
        self.problems = []

    def record(self, raw, here):
        """(model, key, values) for one raw record, or None after noting its problems."""
        if not isinstance(raw, dict):
            return self._note(
                here, f"a record must be an object with “model” and “fields”, not {_kind_of(raw)}"
            )
        if "pk" in raw:
            return self._note(
                here,
                "a record must not give a “pk”: article files match records by natural key "
                "(slug), because database ids differ from one database to the next",
            )
        unknown = [str(key) for key in raw if key not in _RECORD_KEYS]
        if unknown:
            return self._note(
                here, f"unknown key “{unknown[0]}” (a record has only “model” and “fields”)"
            )
        label = raw.get("model")
        if not isinstance(label, str):
            return self._note(here, "a record must name its “model”, e.g. “timeline.event”")
        model = MODELS_BY_LABEL.get(label.lower())
        if model is None:
            return self._note(
                here,
                f"unknown model “{label}”; an article file may hold: {', '.join(MODELS_BY_LABEL)}",
            )
        here = Location(here.file, here.position, model._meta.label_lower)
        raw_fields = raw.get("fields")
        if not isinstance(raw_fields, dict):
            return self._note(here, "a record must have “fields”: an object of field values")
        key = self._natural_key(model, raw_fields, here)
        if key is None:
            return None
        here = Location(here.file, here.position, here.model, key)
        allowed = importable_fields(model)
        values = {}
        ok = True
        for name, raw_value in raw_fields.items():
            model_field = allowed.get(name) if isinstance(name, str) else None
            if model_field is None:
                self._unknown_field(model, name, allowed, here)
                ok = False
                continue
            try:
                values[name] = _convert(model_field, raw_value)
            except ValueError as error:
                self.problems.append(Problem(here, str(error), name))
                ok = False
        return (model, key, values, here) if ok else None

    def _natural_key(self, model, raw_fields, here):
        key = []
        for name in natural_key_fields(model):
            if name not in raw_fields:
                self._note(here, "this field is required: it is the record's natural key", name)
                return None
            value = raw_fields[name]
            if name == "slug":
                if not isinstance(value, str) or not value:
                    self._note(here, "the slug must be non-empty text", name)
                    return None
                key.append(value)
            else:
                try:
                    key.append(_natural_key_value(value)[0])
                except ValueError as error:
                    self._note(here, str(error), name)
                    return None
        return tuple(key)

    def _unknown_field(self, model, name, allowed, here):
        if name == "actors" and model is Event:
            message = "an event's actors are given as timeline.participation records"
        elif name in ("id", "pk"):
            message = "records are matched by natural key; database ids cannot be given"
        else:
            message = f"unknown field for {model._meta.label_lower}; its fields are: " + ", ".join(
                allowed
            )
        self.problems.append(Problem(here, message, str(name)))

    def _note(self, here, message, field_name=None):
        self.problems.append(Problem(here, message, field_name))
        return None


def _natural_key_value(value):
    if (
        isinstance(value, list)
        and len(value) == 1
        and isinstance(value[0], str)
        and value[0]
        and _is_clean_text(value[0])
    ):
        return (value[0],)
    raise ValueError(
        f'must be a natural key: a list holding one slug, like ["calais"], not {_kind_of(value)}'
        + (f" {json.dumps(value, ensure_ascii=False)}" if _is_small(value) else "")
    )


def _is_small(value):
    try:
        return len(json.dumps(value, ensure_ascii=False)) <= 60
    except (TypeError, ValueError, RecursionError):
        return False


def _is_clean_text(text):
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _convert(model_field, value):
    """The Python value a raw field value stands for; ValueError says what is wrong."""
    if model_field.many_to_many:
        if not isinstance(value, list):
            raise ValueError(
                'must be a list of natural keys, like [["calais"], ["dover"]], '
                f"not {_kind_of(value)}"
            )
        keys = []
        for item in value:
            key = _natural_key_value(item)
            if key not in keys:
                keys.append(key)
        return tuple(keys)
    if value is None:
        if model_field.null:
            return None
        raise ValueError("cannot be null" + (" (give an empty text)" if model_field.blank else ""))
    if model_field.many_to_one:
        return _natural_key_value(value)
    if isinstance(model_field, models.BooleanField):
        if isinstance(value, bool):
            return value
        raise ValueError(f"must be true or false, not {_kind_of(value)}")
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError(f"must be a whole number, not {_kind_of(value)}")
    if isinstance(model_field, models.DateField):
        if isinstance(value, datetime.datetime):
            raise ValueError("must be a date (YYYY-MM-DD) without a time")
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"“{value}” is not a real date") from None
        shown = f" “{value}”" if isinstance(value, str) and len(value) <= 40 else ""
        raise ValueError(f"must be a date written YYYY-MM-DD, not {_kind_of(value)}{shown}")
    if isinstance(model_field, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {_kind_of(value)}")
        if not _is_clean_text(value):
            raise ValueError("contains a NUL character or invalid Unicode")
        return value
    raise ValueError("cannot be imported")  # pragma: no cover (every model field is handled)


def _same(model, name, one, other):
    if model._meta.get_field(name).many_to_many:
        return set(one) == set(other)
    return one == other


def _collect(files):
    """Merge every file's records into entries, per model; raise ImportFailed on any problem."""
    converter = _Converter()
    entries = {}
    for article in files:
        first_in_file = {}
        for position, raw in enumerate(article.records, start=1):
            converted = converter.record(raw, Location(article.name, position))
            if converted is None:
                continue
            model, key, values, here = converted
            identity = (model, key)
            if identity in first_in_file:
                earlier_here, earlier_values = first_in_file[identity]
                conflicts = [
                    name
                    for name, value in values.items()
                    if name in earlier_values
                    and not _same(model, name, earlier_values[name], value)
                ]
                if conflicts:
                    converter.problems.extend(
                        Problem(
                            here,
                            f"the same record as record {earlier_here.position} "
                            "with a different value",
                            name,
                        )
                        for name in conflicts
                    )
                    continue
                earlier_values.update(values)
            else:
                first_in_file[identity] = (here, dict(values))
            entry = entries.setdefault(identity, _Entry(model, key))
            for name, value in values.items():
                if entry.values.get(name) and entry.model._meta.get_field(name).many_to_many:
                    value = entry.values[name] + tuple(
                        v for v in value if v not in entry.values[name]
                    )
                entry.values[name] = value
                entry.origins[name] = here
            entry.location = here
    if converter.problems:
        raise ImportFailed(converter.problems)
    by_model = defaultdict(list)
    for entry in entries.values():
        by_model[entry.model].append(entry)
    return by_model


# The report ---------------------------------------------------------------------------------

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class FieldChange:
    """One field of one record: its value before (None when the record is new) and after."""

    field: str
    old: str | None
    new: str

    def __str__(self):
        if self.old is None:
            return f"{self.field}: {self.new}"
        return f"{self.field}: {self.old} → {self.new}"


@dataclass(frozen=True)
class Outcome:
    """What the import does to one record. For a created record, ``changes`` lists its values."""

    model: type
    key: tuple
    action: str
    changes: tuple
    location: Location

    @property
    def label(self):
        return " / ".join(self.key)


@dataclass
class ModelReport:
    model: type
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    @property
    def name(self):
        return str(self.model._meta.verbose_name_plural).capitalize()

    @property
    def summary(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged"
        )


@dataclass
class Report:
    """Everything an import did (or, in a dry run, would do), per model in dependency order."""

    files: list
    dry_run: bool
    outcomes: list

    @property
    def models(self):
        reports = {}
        for outcome in self.outcomes:
            report = reports.setdefault(outcome.model, ModelReport(outcome.model))
            getattr(report, outcome.action).append(outcome)
        return [reports[model] for model in MODELS if model in reports]

    def count(self, action):
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def changes_anything(self):
        return any(outcome.action != UNCHANGED for outcome in self.outcomes)

    @property
    def headline(self):
        counts = (
            f"{self.count(CREATED)} created, {self.count(UPDATED)} updated, "
            f"{self.count(UNCHANGED)} unchanged"
        )
        files = ", ".join(self.files)
        if self.dry_run:
            return f"Dry run of {files}: {counts}. Nothing was written."
        return f"Imported {files}: {counts}."

    def lines(self, verbosity=1):
        """The report as text lines: what the command prints."""
        lines = [self.headline]
        for model_report in self.models:
            lines.append(f"{model_report.name}: {model_report.summary}")
            for outcome in model_report.created:
                lines.append(f"  created {outcome.label}")
                if verbosity >= 2:
                    lines.extend(f"      {change}" for change in outcome.changes)
            for outcome in model_report.updated:
                lines.append(f"  updated {outcome.label}")
                lines.extend(f"      {change}" for change in outcome.changes)
            if verbosity >= 2:
                lines.extend(f"  unchanged {outcome.label}" for outcome in model_report.unchanged)
        return lines

    @property
    def fingerprint(self):
        """A digest of what the import does, to check a confirmation against its preview."""
        content = [
            [o.model._meta.label_lower, list(o.key), o.action, [str(c) for c in o.changes]]
            for o in self.outcomes
        ]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def _shown(value):
    """A value as an article file would write it: "text", 12, true, null, ["slug"]."""
    if isinstance(value, datetime.date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def _shown_key(key):
    return _shown(key[0]) if len(key) == 1 else _shown(list(key))


# Writing ------------------------------------------------------------------------------------


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
                    f"refers to {model._meta.label_lower} {_shown_key(key)}, which is neither "
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
                    old = _shown([_natural_key(obj) for obj in current])
                    new = _shown([_natural_key(obj) for obj in current + missing])
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
                        old = _shown(_natural_key(old_target) if old_target else None)
                    changes.append(
                        FieldChange(name, old, _shown(_natural_key(target) if target else None))
                    )
                setattr(instance, name, target)
                continue
            old_value = model_field.value_from_object(instance) if existing is not None else None
            if existing is None or model_field.get_prep_value(
                old_value
            ) != model_field.get_prep_value(value):
                old = (
                    _shown(model_field.get_prep_value(old_value)) if existing is not None else None
                )
                changes.append(FieldChange(name, old, _shown(value)))
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


def _natural_key(instance):
    key = instance.natural_key()
    return list(key) if len(key) == 1 else [list(part) for part in key]


def import_articles(files, *, dry_run=False, expected_fingerprint=None):
    """Import parsed article files in one transaction and return the :class:`Report`.

    With ``dry_run`` everything is done and checked, then rolled back. With
    ``expected_fingerprint`` (a dry run's ``Report.fingerprint``) the import is rolled back
    and PreviewOutdated raised unless it does exactly what that dry run reported.
    Raises ImportFailed, having written nothing, on any problem.
    """
    files = list(files)
    entries = _collect(files)
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

    Anything that must follow every write by an import goes here: the public pages cached before
    it are made stale (timeline.caching).
    """
    caching.invalidate_public_pages()
    logger.info("%s", report.headline)
