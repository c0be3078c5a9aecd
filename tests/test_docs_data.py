"""docs/data.md lists every field of every output: a field added to a table, to the timeline's
download or to an API serializer fails here until it is documented."""

import re
from pathlib import Path

import pytest

from timeline.public import downloads, tables, timeline_download, timelinejs
from timeline.public.api.urls import router
from timeline.public.selection import ENTRY_MODELS

DATA_MD = (Path(__file__).resolve().parent.parent / "docs" / "data.md").read_text()


def section(heading):
    """The text under ``heading`` up to the next heading of its level or above."""
    level = len(heading) - len(heading.lstrip("#"))
    start = DATA_MD.index(heading + " ") if heading + " " in DATA_MD else DATA_MD.index(heading)
    rest = DATA_MD[start + len(heading) :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def named(text):
    """The names written as code: `date_precision`."""
    return set(re.findall(r"`([a-z_][a-z0-9_-]*)`", text))


TABLES = {
    tables.EventTable: "### Events",
    tables.MeasureTable: "### Measures",
    tables.StatementTable: "### Statements",
    tables.ActorTable: "### Actors",
    tables.SourceTable: "### Sources",
    tables.IndicatorTable: "### Indicators",
}


def test_every_public_table_has_its_section():
    assert set(TABLES) == {
        table
        for table in vars(tables).values()
        if isinstance(table, type)
        and issubclass(table, tables.RecordTable)
        and table._meta.model is not None
    }


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__)
def test_every_field_of_a_tables_download_is_documented(table):
    fields = {column.name for column in downloads.export_columns(table([]))}
    assert fields - named(section(TABLES[table])) == set()


def test_every_field_of_the_timeline_download_is_documented():
    assert set(timeline_download.FIELDS) - named(section("### The timeline")) == set()


def serializer_fields(serializer):
    """The names of a serializer's fields and of its nested serializers' fields."""
    names = set()
    for name, field in serializer.get_fields().items():
        names.add(name)
        nested = getattr(field, "child", field)
        if hasattr(nested, "get_fields"):
            names |= serializer_fields(nested)
    return names


def api_resource(prefix):
    """The bullet of the API's fields for one resource: "- status-changes: `slug`, ..."."""
    fields = section("## API")
    start = fields.index(f"\n- {prefix}: ")
    end = re.search(r"\n(- |\n)", fields[start + 1 :])
    return fields[start : start + 1 + end.start()]


@pytest.mark.parametrize("prefix", [prefix for prefix, _, _ in router.registry])
def test_every_field_of_an_api_resource_is_documented(prefix):
    viewset = next(viewset for name, viewset, _ in router.registry if name == prefix)
    fields = serializer_fields(viewset.serializer_class())
    assert fields - named(api_resource(prefix)) == set()
    assert f"`/api/{prefix}/`" in section("## API")


def test_every_kind_of_timeline_entry_is_documented_in_each_output():
    assert set(ENTRY_MODELS) <= named(section("### The timeline"))
    assert all(f"`{group}`" in section("## TimelineJS3") for group in timelinejs.GROUPS.values())
    assert set(ENTRY_MODELS) <= named(section("## Calendar"))
    assert set(ENTRY_MODELS) <= named(section("## Feed"))
