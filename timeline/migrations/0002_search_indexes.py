"""Text search indexes (see timeline.search): GIN indexes over weighted English tsvectors on
PostgreSQL; FTS5 tables kept in sync by triggers on SQLite. Nothing on other databases.

The field lists are frozen here; timeline.search.SEARCH_FIELDS must describe the same documents
(a PostgreSQL test checks that searches use these indexes)."""

import functools
import operator

from django.db import migrations

SEARCH_FIELDS = {
    "event": (("title", "A"), ("summary", "B")),
    "measure": (("title", "A"), ("description", "B")),
    "statement": (("text", "A"),),
    "actor": (("name", "A"), ("description", "B")),
    "source": (("title", "A"), ("publisher", "B")),
}


def gin_index(model_name):
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vectors = [
        SearchVector(field, weight=weight, config="english")
        for field, weight in SEARCH_FIELDS[model_name]
    ]
    return GinIndex(functools.reduce(operator.add, vectors), name=f"timeline_{model_name}_fts")


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for model_name in SEARCH_FIELDS:
            schema_editor.add_index(apps.get_model("timeline", model_name), gin_index(model_name))
    elif connection.vendor == "sqlite":
        from timeline.search import ensure_sqlite_search_indexes

        tables = {name: apps.get_model("timeline", name)._meta.db_table for name in SEARCH_FIELDS}
        ensure_sqlite_search_indexes(connection, tables)


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        for model_name in SEARCH_FIELDS:
            schema_editor.remove_index(
                apps.get_model("timeline", model_name), gin_index(model_name)
            )
    elif connection.vendor == "sqlite":
        from timeline.search import drop_sqlite_search_indexes

        drop_sqlite_search_indexes(connection, SEARCH_FIELDS)


class Migration(migrations.Migration):
    dependencies = [("timeline", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
