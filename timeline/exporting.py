"""Export one article's records as an article fixture that imports back to the same data.

The fixture holds the article's source and its passages, every event, measure, statement and
observation citing it, and every record those refer to, followed transitively: places, actors and
every role each actor held, the participations and observations of the events, the status
changes, links and observations of the measures, the indicators observed, the events and measures
linked from measures and statements, and every source and passage cited by an exported record (so
the file is complete on its own).
A record that nothing in the article refers to (an actor named by the article but linked to no
event, measure or statement) cannot be told apart from another article's and is not exported.
Records use natural keys and no ids, in dependency order, so both `import_article` and stock
`loaddata` can load the file.
"""

import decimal

from django.core.serializers import json as json_serializer
from django.core.serializers import pyyaml as yaml_serializer

from .importing import MODELS, importable_fields
from .models import Actor, Event, Measure, Observation, Participation, Role, Source

EXPORT_FORMATS = ("json", "yaml")


def article_records(source):
    """Every record the article needs, in dependency order and, within a model, by natural key."""
    found = {model: {} for model in MODELS}
    pending = [source]
    pending += [
        obj
        for related in ("passages", "events", "measures", "statements", "observations")
        for obj in getattr(source, related).all()
    ]
    while pending:
        obj = pending.pop()
        if obj.pk in found[type(obj)]:
            continue
        found[type(obj)][obj.pk] = obj
        pending.extend(_referred_to(obj))
    return [
        obj
        for model in MODELS
        for obj in sorted(found[model].values(), key=lambda each: each.natural_key())
    ]


def _referred_to(obj):
    """The records ``obj`` refers to, and the ones it owns: an event's participations and
    observations, a measure's status changes, links and observations, an actor's roles."""
    referred = []
    for field in importable_fields(type(obj)).values():
        if field.many_to_many:
            referred.extend(getattr(obj, field.name).all())
        elif field.many_to_one:
            target = getattr(obj, field.name)
            if target is not None:
                referred.append(target)
    if isinstance(obj, Event):
        referred.extend(Participation.objects.filter(event=obj).select_related("event", "actor"))
        referred.extend(Observation.objects.filter(event=obj))
    if isinstance(obj, Measure):
        referred.extend(obj.status_changes.all())
        referred.extend(obj.links.all())
        referred.extend(Observation.objects.filter(measure=obj))
    if isinstance(obj, Actor):
        referred.extend(Role.objects.filter(actor=obj))
    return referred


def _number(value):
    """A decimal as the number an editor writes: 2000, 44.5. Django writes decimals as text."""
    if not isinstance(value, decimal.Decimal):
        return value
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if decimal.Decimal(repr(as_float)) == value else str(value)


class _Numbers:
    def _value_from_field(self, obj, field):
        return _number(super()._value_from_field(obj, field))


class JSONSerializer(_Numbers, json_serializer.Serializer):
    pass


class YAMLSerializer(_Numbers, yaml_serializer.Serializer):
    pass


SERIALIZERS = {"json": JSONSerializer, "yaml": YAMLSerializer}


def export_article(source, fmt="json"):
    """The article fixture of ``source`` as text, in JSON or YAML."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    options = {"indent": 2} if fmt == "json" else {"allow_unicode": True}
    text = SERIALIZERS[fmt]().serialize(
        article_records(source),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
        **options,
    )
    return text if text.endswith("\n") else text + "\n"


def source_by_slug(slug):
    return Source.objects.get_by_natural_key(slug)
