"""Property-based tests of the importer: generated valid and broken article files.

No input may crash the importer (only ImportFailed may come out of it), a failed import leaves
every timeline table exactly as it was, and a successful one changes nothing when repeated.
Every example runs on top of the first article, inside its own rolled-back transaction.
"""

import datetime
import json

import pytest
import yaml
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.db_state import all_timeline_rows, rows_but_batches
from timeline import dates, importing
from timeline.dates import DatePrecision
from timeline.models import Actor, ActorKind, Event

FIRST_SOURCE = "afp-2015-08-19-uk-police-head-to-france"

bounded = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=30)
# Slugs shared with the first article make many examples merge with records already there.
actor_slugs = st.sampled_from(["theresa-may", "keith-vaz", "home-office", "gen-actor-a", "gen-b"])
place_slugs = st.sampled_from(["calais", "channel-tunnel", "gen-place"])
event_slugs = st.sampled_from(["theresa-may-visits-calais", "gen-event-a", "gen-event-b"])
source_slugs = st.sampled_from([FIRST_SOURCE, "gen-source"])


@st.composite
def dated(draw):
    precision = draw(st.sampled_from(DatePrecision.values))
    day = draw(st.dates(datetime.date(1990, 1, 1), datetime.date(2030, 12, 31)))
    return {"date": dates.expected_start(day, precision).isoformat(), "date_precision": precision}


@st.composite
def articles(draw):
    """A valid article: a source, actors, places, events citing it, participations."""
    source = draw(source_slugs)
    records = [
        {
            "model": "timeline.source",
            "fields": {
                "slug": source,
                "title": draw(text),
                "publisher": draw(text),
                "published_on": draw(st.dates()).isoformat(),
                "url": draw(st.sampled_from(["", "https://news.example/article"])),
            },
        }
    ]
    actors = draw(st.lists(actor_slugs, max_size=3, unique=True))
    for slug in actors:
        fields = {"slug": slug, "name": draw(text), "kind": draw(st.sampled_from(ActorKind.values))}
        fields["country"] = draw(st.sampled_from(["", "GB", "FR"]))
        records.append({"model": "timeline.actor", "fields": fields})
    places = draw(st.lists(place_slugs, max_size=2, unique=True))
    for slug in places:
        records.append({"model": "timeline.place", "fields": {"slug": slug, "name": draw(text)}})
    events = draw(st.lists(event_slugs, min_size=1, max_size=2, unique=True))
    for slug in events:
        fields = {"slug": slug, "title": draw(text), "sources": [[source]], **draw(dated())}
        fields["place"] = draw(st.sampled_from([None, *([p] for p in places)]))
        records.append({"model": "timeline.event", "fields": fields})
    pairs = draw(st.lists(st.tuples(st.sampled_from(events), actor_slugs), max_size=3, unique=True))
    for event, actor in pairs:
        if actor in actors:
            records.append(
                {
                    "model": "timeline.participation",
                    "fields": {"event": [event], "actor": [actor], "capacity": draw(text)},
                }
            )
    return records


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=6,
)


@st.composite
def broken_records(draw):
    """A valid article with one thing wrong (or, by chance, still right)."""
    records = draw(articles())
    record = draw(st.sampled_from(records))
    names = sorted(record["fields"])
    mutation = draw(st.sampled_from(["drop", "set", "unknown", "model", "record", "shape"]))
    if mutation == "drop":
        del record["fields"][draw(st.sampled_from(names))]
    elif mutation == "set":
        record["fields"][draw(st.sampled_from(names))] = draw(json_values)
    elif mutation == "unknown":
        record["fields"][draw(text)] = draw(json_values)
    elif mutation == "model":
        record["model"] = draw(st.sampled_from(["timeline.historicalactor", "auth.user"]) | text)
    elif mutation == "record":
        records[records.index(record)] = draw(json_values)
    else:
        return draw(json_values)
    return records


@st.composite
def broken_files(draw):
    """(file name, bytes): broken records, or a valid file's bytes cut, altered or replaced."""
    fmt = draw(st.sampled_from(["json", "yaml"]))
    records = draw(broken_records() | articles())
    if fmt == "json":
        content = json.dumps(records, ensure_ascii=False).encode()
    else:
        content = yaml.safe_dump(records, allow_unicode=True).encode()
    damage = draw(st.sampled_from(["none", "cut", "byte", "random"]))
    if damage == "cut":
        content = content[: draw(st.integers(0, len(content)))]
    elif damage == "byte":
        at = draw(st.integers(0, len(content) - 1))
        content = content[:at] + bytes([draw(st.integers(0, 255))]) + content[at + 1 :]
    elif damage == "random":
        content = draw(st.binary(max_size=200))
    return f"generated.{fmt}", content


def import_bytes(name, content):
    return importing.import_articles([importing.read_article(name, content)])


@pytest.mark.django_db
@bounded
@given(file=broken_files())
def test_no_input_crashes_the_importer_or_leaves_a_partial_write(article, file):
    name, content = file
    with transaction.atomic():
        before = all_timeline_rows()
        try:
            import_bytes(name, content)
        except importing.ImportFailed as failure:
            assert all_timeline_rows() == before
            assert failure.problems
            assert all(str(problem).startswith(name) for problem in failure.problems)
        else:
            after = rows_but_batches()
            import_bytes(name, content)
            assert rows_but_batches() == after
        transaction.set_rollback(True)


@pytest.mark.django_db
@bounded
@given(records=articles())
def test_every_valid_article_imports_and_importing_it_again_changes_nothing(article, records):
    content = json.dumps(records, ensure_ascii=False).encode()
    with transaction.atomic():
        first = import_bytes("generated.json", content)
        after_first = rows_but_batches()

        again = import_bytes("generated.json", content)

        assert first.count("created") + first.count("updated") + first.count("unchanged") == len(
            records
        )
        assert not again.changes_anything
        assert rows_but_batches() == after_first
        transaction.set_rollback(True)


@pytest.mark.django_db
@bounded
@given(records=articles())
def test_a_dry_run_of_any_valid_article_writes_nothing_and_matches_the_import(article, records):
    content = json.dumps(records, ensure_ascii=False).encode()
    with transaction.atomic():
        before = all_timeline_rows()
        article_file = importing.read_article("generated.json", content)

        preview = importing.import_articles([article_file], dry_run=True)
        assert all_timeline_rows() == before

        report = importing.import_articles([article_file])
        assert report.fingerprint == preview.fingerprint
        transaction.set_rollback(True)


# The merge: no edit is lost without a conflict reported ----------------------------------------

MERGED_FIELDS = [
    ("actor", "name"),
    ("actor", "description"),
    ("event", "title"),
    ("event", "summary"),
]
# Edits and files draw from different words: an edit that gives a field the very value the
# file's last import brought cannot be told from no edit at all.
file_words = st.sampled_from(["file-a", "file-b", "file-c"])
edit_words = st.sampled_from(["edit-1", "edit-2"])


@st.composite
def merge_steps(draw):
    """A sequence of imports of two article files and of edits in between."""
    steps = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["import", "import", "other", "edit"]))
        if kind == "edit":
            steps.append(("edit", draw(st.sampled_from(MERGED_FIELDS)), draw(edit_words)))
        else:
            values = {field: draw(st.none() | file_words) for field in MERGED_FIELDS}
            steps.append((kind, values, draw(st.booleans())))
    return steps


def merge_article(values, article):
    """prop.json gives an actor and an event; other.json (another article) the same actor."""
    source = f"{article}-source"
    actor = {"slug": "prop-actor", "name": "Name", "kind": "person"}
    actor.update({f: v for (m, f), v in values.items() if m == "actor" and v is not None})
    records = [
        {
            "model": "timeline.source",
            "fields": {
                "slug": source,
                "title": "T",
                "publisher": "P",
                "published_on": "2020-01-01",
            },
        },
        {"model": "timeline.actor", "fields": actor},
    ]
    if article == "prop":
        event = {
            "slug": "prop-event",
            "title": "Title",
            "date": "2020-01-01",
            "sources": [[source]],
        }
        event.update({f: v for (m, f), v in values.items() if m == "event" and v is not None})
        records.append({"model": "timeline.event", "fields": event})
    return records


def current(model_name, field):
    model = {"actor": Actor, "event": Event}[model_name]
    record = model.objects.filter(slug=f"prop-{model_name}").first()
    return getattr(record, field) if record is not None else None


@pytest.mark.django_db
@bounded
@given(steps=merge_steps())
def test_no_edit_is_lost_without_a_conflict_reported(imported_article, steps):
    with transaction.atomic():
        edits = {}  # (model, field) -> the value an edit left, while no import has replaced it
        for kind, *step in steps:
            if kind == "edit":
                (model_name, field), value = step
                model = {"actor": Actor, "event": Event}[model_name]
                record = model.objects.filter(slug=f"prop-{model_name}").first()
                if record is None:
                    continue
                setattr(record, field, value)
                record.save()
                edits[(model_name, field)] = value
                continue
            values, take_all = step
            article = "prop" if kind == "import" else "other"
            content = json.dumps(merge_article(values, article)).encode()
            report = importing.import_articles(
                [importing.read_article(f"{article}.json", content)], take_file_all=take_all
            )
            for (model_name, field), value in list(edits.items()):
                if current(model_name, field) == value:
                    continue
                assert any(
                    conflict.model._meta.model_name == model_name
                    and conflict.field == field
                    and conflict.taken
                    and conflict.in_database == json.dumps(value)
                    for conflict in report.conflicts
                ), (model_name, field, value, report.lines())
                del edits[(model_name, field)]
        transaction.set_rollback(True)
