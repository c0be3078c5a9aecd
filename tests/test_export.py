"""export_article: one article's records as a fixture that imports back to the same data."""

import datetime
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from tests.conftest import FIRST_ARTICLE
from tests.db_state import delete_every_record, records_by_natural_key
from tests.factories import (
    ActorFactory,
    EventFactory,
    FigureFactory,
    MeasureFactory,
    ParticipationFactory,
    RoleFactory,
    SourceFactory,
    StatementFactory,
)
from timeline import exporting, importing
from timeline.models import Source

FIRST_SOURCE = "afp-2015-08-19-uk-police-head-to-france"


def export(slug=FIRST_SOURCE, fmt="json"):
    return exporting.export_article(Source.objects.get(slug=slug), fmt)


def import_text(text, name="export.json"):
    return importing.import_articles([importing.read_article(name, text.encode())])


def key_of(record):
    fields = record["fields"]
    if record["model"] == "timeline.participation":
        return (record["model"], fields["event"][0], fields["actor"][0])
    return (record["model"], fields["slug"])


def comparable(record):
    return {
        name: sorted(value) if isinstance(value, list) else value
        for name, value in record["fields"].items()
    }


@pytest.fixture
def linked_article(db):
    """An article whose every record is reached from its events, measures and statements."""
    source = SourceFactory(slug="linked-source")
    minister = ActorFactory(slug="minister")
    ministry = ActorFactory(slug="ministry", kind="government-body")
    role = RoleFactory(slug="minister-role", actor=minister, organisation=ministry)
    event = EventFactory(slug="linked-event", sources=[source], date=datetime.date(2016, 3, 3))
    ParticipationFactory(event=event, actor=minister, role=role, capacity="announced")
    FigureFactory(slug="linked-figure", event=event)
    measure = MeasureFactory(slug="linked-measure", sources=[source])
    measure.responsible.set([ministry])
    measure.events.set([event])
    statement = StatementFactory(
        slug="linked-statement",
        speaker=minister,
        speaker_role=role,
        sources=[source],
        date=datetime.date(2016, 3, 3),
    )
    statement.events.set([event])
    statement.measures.set([measure])
    return source


def test_export_of_a_fully_linked_article_imports_back_to_exactly_the_same_database(
    linked_article,
):
    before = records_by_natural_key()
    text = export("linked-source")
    delete_every_record()

    import_text(text)

    assert records_by_natural_key() == before


def test_export_imports_back_into_a_fresh_database_to_the_same_records(article):
    text = export()
    exported_keys = {key_of(record) for record in json.loads(text)}
    before = records_by_natural_key()
    delete_every_record()

    import_text(text)

    after = records_by_natural_key()
    assert len(after) == len(exported_keys)
    assert after == {key: fields for key, fields in before.items() if key in after}


def test_every_exported_record_is_as_the_articles_fixture_gives_it(article):
    fixture = {
        key_of(record): comparable(record) for record in json.loads(FIRST_ARTICLE.read_text())
    }

    exported = {key_of(record): comparable(record) for record in json.loads(export())}

    assert exported == {key: fixture[key] for key in exported}


def test_export_holds_the_source_and_every_event_measure_and_statement_citing_it(article):
    source = Source.objects.get(slug=FIRST_SOURCE)

    keys = {key_of(record) for record in json.loads(export())}

    assert ("timeline.source", FIRST_SOURCE) in keys
    for related in ("events", "measures", "statements"):
        for obj in getattr(source, related).all():
            assert (obj._meta.label_lower, obj.slug) in keys


def test_export_includes_the_other_sources_cited_by_its_records(article):
    other = SourceFactory(slug="bbc-follow-up")
    Source.objects.get(slug=FIRST_SOURCE).events.first().sources.add(other)

    keys = {key_of(record) for record in json.loads(export())}

    assert ("timeline.source", "bbc-follow-up") in keys


def test_export_uses_natural_keys_and_no_database_ids(article):
    records = json.loads(export())

    assert all(set(record) == {"model", "fields"} for record in records)


def test_export_lists_records_after_the_records_they_refer_to(article):
    models = [record["model"] for record in json.loads(export())]

    order = [model._meta.label_lower for model in importing.MODELS]
    assert models == sorted(models, key=order.index)


def test_stock_loaddata_loads_an_export(linked_article, tmp_path):
    before = records_by_natural_key()
    path = tmp_path / "export.json"
    path.write_text(export("linked-source"), encoding="utf-8")
    delete_every_record()

    call_command("loaddata", str(path), verbosity=0)

    assert records_by_natural_key() == before


def test_yaml_export_imports_back_to_the_same_database(linked_article):
    before = records_by_natural_key()
    text = export("linked-source", "yaml")
    assert isinstance(yaml.safe_load(text), list)
    delete_every_record()

    import_text(text, name="export.yaml")

    assert records_by_natural_key() == before


def test_exporting_twice_gives_the_same_text(article):
    assert export() == export()


def test_export_command_writes_the_fixture_to_a_file(article, tmp_path):
    path = tmp_path / "article.json"

    call_command("export_article", FIRST_SOURCE, output=str(path))

    assert path.read_text(encoding="utf-8") == export()


def test_export_command_writes_to_standard_output(article, capsys):
    call_command("export_article", FIRST_SOURCE)

    assert capsys.readouterr().out == export()


def test_export_command_names_an_unknown_source(db):
    with pytest.raises(CommandError, match="No source has the slug “no-such-article”"):
        call_command("export_article", "no-such-article")
