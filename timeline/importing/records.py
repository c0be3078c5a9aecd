"""Checking records without the database: shape, model, fields and value types."""

import datetime
import decimal
import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from ..models import (
    PASSAGE_MAX_LENGTH,
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
from .problems import Location, Problem
from .reading import kind_of

MODELS = [
    Source,
    Passage,
    Actor,
    Role,
    Place,
    Event,
    Participation,
    Measure,
    MeasureStatus,
    MeasureLink,
    Statement,
    Indicator,
    Observation,
]
"""Every importable model, each after the models it refers to."""

MODELS_BY_LABEL = {model._meta.label_lower: model for model in MODELS}

MAX_PROBLEMS = 100
"""At most this many problems are listed for one import: past it, the rest of the file is
most likely wrong in the same way."""

IMPORT_PERMISSIONS = tuple(
    f"{model._meta.app_label}.{action}_{model._meta.model_name}"
    for model in MODELS
    for action in ("add", "change")
)
"""An import may create or change a record of any model, so importing needs all of these."""

CITING_MODELS = (Event, Measure, Statement, Observation)
"""The records of an article that must each cite a passage: a warning without ``strict``, a
problem with it."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_RECORD_KEYS = {"model", "fields"}


def importable_fields(model):
    """The fields a record of this model may give, by name, in model order."""
    return {
        model_field.name: model_field
        for model_field in model._meta.get_fields()
        if model_field.concrete
        and not model_field.primary_key
        and model_field.serialize  # not a column the database computes (date_width)
        and not (
            model_field.many_to_many and not model_field.remote_field.through._meta.auto_created
        )
    }


def natural_key_fields(model):
    return ("event", "actor") if model is Participation else ("slug",)


def nearest(word, candidates):
    """The candidate closest to ``word`` (a likely typo of it), or None."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.6)
    return matches[0] if matches else None


@dataclass
class _RequestedRecord:
    """One record the input asks for, merged over every file that gives it."""

    model: type
    key: tuple
    values: dict = field(default_factory=dict)
    origins: dict = field(default_factory=dict)
    location: Location = None
    bad: set = field(default_factory=set)  # fields whose value the file gets wrong

    def origin(self, field_name):
        return self.origins.get(field_name, self.location)


class _Converter:
    """Turns raw records into typed values, natural keys and references, collecting problems."""

    def __init__(self):
        self.problems = []

    def record(self, raw, here):
        """(model, key, values, location, bad fields) for one raw record, noting its problems;
        None when the record cannot be told apart (no model or no natural key)."""
        if not isinstance(raw, dict):
            return self._note(
                here, f"a record must be an object with “model” and “fields”, not {kind_of(raw)}"
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
        key = self.natural_key_of(model, raw_fields, here)
        if key is None:
            return None
        here = Location(here.file, here.position, here.model, key)
        allowed = importable_fields(model)
        values, bad = {}, set()
        for name, raw_value in raw_fields.items():
            model_field = allowed.get(name) if isinstance(name, str) else None
            if model_field is None:
                self._unknown_field(model, name, allowed, here)
                continue
            try:
                values[name] = _convert(model_field, raw_value)
            except ValueError as error:
                self.problems.append(Problem(here, str(error), name))
                bad.add(name)
        if model is Passage and isinstance(values.get("text"), str):
            # Checked here, with the file's whitespace, so that no database is needed to say it.
            length = len(values["text"])
            if length > PASSAGE_MAX_LENGTH:
                self.problems.append(
                    Problem(
                        here,
                        f"a passage is at most {PASSAGE_MAX_LENGTH} characters, not {length}: "
                        "cite a shorter excerpt of the article, or two",
                        "text",
                    )
                )
                bad.add("text")
        return model, key, values, here, bad

    def natural_key_of(self, model, raw_fields, here):
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
            guess = nearest(str(name), allowed)
            message = f"unknown field for {model._meta.label_lower}; " + (
                f"did you mean `{guess}`? " if guess else ""
            )
            message += "its fields are: " + ", ".join(allowed)
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
        f'must be a natural key: a list holding one slug, like ["calais"], not {kind_of(value)}'
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
                f"not {kind_of(value)}"
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
        raise ValueError(f"must be true or false, not {kind_of(value)}")
    if isinstance(model_field, models.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float):
            raise ValueError(f"must be a whole number, not {value!r}")
        raise ValueError(f"must be a whole number, not {kind_of(value)}")
    if isinstance(model_field, models.DecimalField):
        return _decimal(model_field, value)
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
        raise ValueError(f"must be a date written YYYY-MM-DD, not {kind_of(value)}{shown}")
    if isinstance(model_field, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {kind_of(value)}")
        if not _is_clean_text(value):
            raise ValueError("contains a NUL character or invalid Unicode")
        return value
    raise ValueError("cannot be imported")  # pragma: no cover (every model field is handled)


def _decimal(model_field, value):
    """A number, or its text ("44.5"), as a Decimal with no more places than the field keeps."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"must be a number, not {kind_of(value)}")
    try:
        number = decimal.Decimal(str(value).strip())
    except decimal.InvalidOperation:
        raise ValueError(f"must be a number, not “{value}”") from None
    if not number.is_finite():
        raise ValueError(f"must be a number, not “{value}”")
    if number != number.quantize(decimal.Decimal(1).scaleb(-model_field.decimal_places)):
        raise ValueError(f"has more than {model_field.decimal_places} decimal places")
    return number


def _same(model, name, one, other):
    if model._meta.get_field(name).many_to_many:
        return set(one) == set(other)
    return one == other


def collect(article):
    """One file's records as entries per model, and the problems of their shape and values.

    Problems do not stop the reading: a record with a bad field is still checked against the
    database for everything else, so one run lists every problem of the file.
    """
    converter = _Converter()
    entries = {}
    first_in_file = {}
    for position, raw in enumerate(article.records, start=1):
        converted = converter.record(raw, Location(article.name, position))
        if converted is None:
            continue
        model, key, values, here, bad = converted
        identity = (model, key)
        if identity in first_in_file:
            earlier_here, earlier_values = first_in_file[identity]
            conflicts = [
                name
                for name, value in values.items()
                if name in earlier_values and not _same(model, name, earlier_values[name], value)
            ]
            if conflicts:
                converter.problems.extend(
                    Problem(
                        here,
                        f"the same record as record {earlier_here.position} with a different value",
                        name,
                    )
                    for name in conflicts
                )
                continue
            earlier_values.update(values)
        else:
            first_in_file[identity] = (here, dict(values))
        entry = entries.setdefault(identity, _RequestedRecord(model, key))
        for name, value in values.items():
            entry.values[name] = value
            entry.origins[name] = here
        entry.bad |= bad
        entry.location = entry.location or here
    by_model = defaultdict(list)
    for entry in entries.values():
        by_model[entry.model].append(entry)
    return by_model, converter.problems


def uncited(entries):
    """A warning for each event, measure, statement and observation of the file that cites no
    passage: what says it is in the article."""
    warnings = []
    for model in CITING_MODELS:
        for entry in entries.get(model, []):
            if not entry.values.get("passages"):
                warnings.append(
                    Problem(
                        entry.location,
                        "cites no passage: give the passages of the article it rests on",
                        "passages",
                    )
                )
    return warnings


def natural_key_of(instance):
    key = instance.natural_key()
    return list(key) if len(key) == 1 else [list(part) for part in key]
