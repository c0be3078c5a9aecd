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
    IndicatorFactory,
    MeasureFactory,
    MeasureLinkFactory,
    MeasureStatusFactory,
    ObservationFactory,
    ParticipationFactory,
    PassageFactory,
    PlaceFactory,
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
    """An article whose every record is reached from its events, measures and statements, with
    every field of the evidence format given a value other than its default."""
    source = SourceFactory(
        slug="linked-source",
        publisher="",
        archived_url="https://archive.example/linked-source",
        retrieved_on=datetime.date(2018, 1, 20),
    )
    passage = PassageFactory(slug="linked-passage", source=source, paragraph=3)
    other_passage = PassageFactory(slug="linked-passage-2", source=source, paragraph=4)
    minister = ActorFactory(slug="minister")
    ministry = ActorFactory(slug="ministry", kind="government-body")
    role = RoleFactory(
        slug="minister-role",
        actor=minister,
        organisation=ministry,
        start=datetime.date(2015, 1, 1),
        start_precision="year",
        end=datetime.date(2019, 7, 1),
        end_precision="month",
    )
    role.passages.set([passage])
    event = EventFactory(
        slug="linked-event",
        sources=[source],
        date=datetime.date(2016, 3, 3),
        status="planned",
        reviewed=False,
    )
    event.passages.set([passage, other_passage])
    ParticipationFactory(event=event, actor=minister, role=role, capacity="announced")
    place = PlaceFactory(slug="linked-place")
    measure = MeasureFactory(
        slug="linked-measure",
        sources=[source],
        status="",
        place=place,
        cost_amount="44.50",
        cost_currency="GBP",
        policy_area="border-control",
        direction="more-restrictive",
        target_group="irregular-migrants",
        date=datetime.date(2016, 3, 3),
    )
    measure.passages.set([passage])
    measure.responsible.set([ministry])
    measure.events.set([event])
    signed = MeasureStatusFactory(
        slug="linked-measure-signed",
        measure=measure,
        status="signed",
        date=datetime.date(2016, 3, 3),
    )
    signed.passages.set([passage])
    MeasureStatusFactory(
        slug="linked-measure-in-force",
        measure=measure,
        status="in-force",
        date=datetime.date(2016, 3, 31),
        date_precision="by",
    )
    earlier = MeasureFactory(slug="linked-earlier-measure", sources=[source])
    link = MeasureLinkFactory(
        slug="linked-measure-supplements", measure=measure, kind="supplements", target=earlier
    )
    link.passages.set([other_passage])
    statement = StatementFactory(
        slug="linked-statement",
        speaker=minister,
        speaker_role=role,
        attributed_as="the minister",
        sources=[source],
        date=datetime.date(2016, 3, 3),
    )
    statement.events.set([event])
    statement.measures.set([measure])
    statement.joint_speakers.set([ministry])
    statement.passages.set([passage])
    unnamed = StatementFactory(
        slug="linked-unnamed-statement",
        speaker=None,
        attributed_as="a Downing Street spokesperson",
        sources=[source],
        date=datetime.date(2016, 3, 3),
        date_precision="by",
        reviewed=False,
    )
    unnamed.passages.set([other_passage])
    funding = IndicatorFactory(
        slug="linked-funding", name="Funding committed", unit="", currency="GBP"
    )
    observation = ObservationFactory(
        slug="linked-observation",
        indicator=funding,
        event=None,
        measure=measure,
        value=None,
        low="100",
        high="200.25",
        approximate=True,
        as_printed="between £100m and £200m",
        reported_by=ministry,
        date=datetime.date(2016, 3, 1),
        date_precision="month",
        sources=[source],
        reviewed=False,
    )
    observation.passages.set([passage])
    ObservationFactory(slug="linked-event-observation", event=event, sources=[source])
    return source


def test_export_of_a_fully_linked_article_imports_back_to_exactly_the_same_database(
    linked_article,
):
    before = records_by_natural_key()
    text = export("linked-source")
    delete_every_record()

    import_text(text)

    assert records_by_natural_key() == before


def test_export_import_into_an_empty_database_export_again_gives_the_same_text(linked_article):
    """Every field of the evidence format survives the round trip, the new ones included."""
    text = export("linked-source")
    for words in [
        '"status": "planned"',
        '"reviewed": false',
        '"date_precision": "by"',
        '"attributed_as": "a Downing Street spokesperson"',
        '"speaker": null',
        '"model": "timeline.measurestatus"',
        '"model": "timeline.measurelink"',
        '"model": "timeline.passage"',
        '"model": "timeline.indicator"',
        '"high": 200.25',
        '"cost_amount": 44.5',
        '"cost_currency": "GBP"',
        '"start_precision": "year"',
        '"archived_url": "https://archive.example/linked-source"',
        '"retrieved_on": "2018-01-20"',
        '"publisher": ""',
    ]:
        assert words in text, words
    measures = [r for r in json.loads(text) if r["model"] == "timeline.measure"]
    assert measures and not any("status" in r["fields"] for r in measures)  # its status changes say
    delete_every_record()

    import_text(text)

    assert export("linked-source") == text


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
