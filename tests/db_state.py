"""Snapshots of the database for before/after comparisons in the import and export tests."""

from django.apps import apps
from django.core import serializers

from timeline.importing import MODELS


def all_timeline_rows():
    """Every row of every table of the timeline app, history and link tables included."""
    return {
        model._meta.db_table: list(model._base_manager.order_by("pk").values())
        for model in apps.get_app_config("timeline").get_models(include_auto_created=True)
    }


BATCH_TABLES = ("timeline_importbatch", "timeline_importedfield")


def rows_but_batches():
    """Every timeline row but the import batches' own, which every real import adds to."""
    return {table: rows for table, rows in all_timeline_rows().items() if table not in BATCH_TABLES}


def dump(exclude_history=True):
    """The timeline as `dumpdata` writes it (natural keys), history and batch tables aside."""
    import io

    from django.core.management import call_command

    excluded = [
        model._meta.label
        for model in apps.get_app_config("timeline").get_models()
        if model._meta.db_table in BATCH_TABLES
        or (exclude_history and model._meta.model_name.startswith("historical"))
    ]
    out = io.StringIO()
    call_command(
        "dumpdata",
        "timeline",
        *(f"--exclude={label}" for label in excluded),
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return out.getvalue()


def records_by_natural_key(models=MODELS):
    """Every timeline record as a fixture would write it, keyed by model and natural key.

    Independent of database ids, so two databases holding the same data compare equal.
    Many-to-many lists are sorted: their order carries no meaning.
    """
    records = {}
    for model in models:
        objects = list(model._default_manager.all())
        serialized = serializers.serialize(
            "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
        )
        for obj, record in zip(objects, serialized, strict=True):
            records[(record["model"], obj.natural_key())] = {
                name: sorted(value) if isinstance(value, list) else value
                for name, value in record["fields"].items()
            }
    return records


def delete_every_record():
    """Empty the timeline, as on a fresh database (models that others protect go last)."""
    for model in reversed(MODELS):
        model._default_manager.all().delete()
