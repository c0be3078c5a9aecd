"""Imports that remember what they wrote: batches, the three-way merge with the admin's edits,
`make run` importing only new or changed files, and records shared between articles."""

import copy
import hashlib
import json
import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from tests.conftest import FIRST_ARTICLE
from tests.evidence_records import make_evidence
from tests.test_importing import FIRST_SOURCE, call_command_as_in_a_terminal
from timeline import importing
from timeline.batches import ImportBatch, ImportedField
from timeline.exporting import export_article
from timeline.importing.writing import OWNED_MODELS
from timeline.models import (
    Actor,
    Event,
    Measure,
    MeasureLink,
    MeasureStatus,
    Observation,
    Source,
    Statement,
)

pytestmark = pytest.mark.django_db

VISIT = "theresa-may-visits-calais"
SECOND_SOURCE = "bbc-2015-08-20-may-cazeneuve-sign-deal"


def records():
    return json.loads(FIRST_ARTICLE.read_text())


def with_fields(records, slug, **fields):
    records = copy.deepcopy(records)
    for record in records:
        if record["fields"].get("slug") == slug:
            record["fields"].update(fields)
    return records


@pytest.fixture
def fixtures_dir(tmp_path):
    """A fixtures folder holding the first article, as `make run` finds it."""
    folder = tmp_path / "fixtures"
    folder.mkdir()
    shutil.copy(FIRST_ARTICLE, folder / FIRST_ARTICLE.name)
    return folder


def make_run_import(folder, *options):
    """What `make run` does before it starts the server; the exit status and the output."""
    from io import StringIO

    out = StringIO()
    paths = sorted(str(path) for path in folder.glob("*.json"))
    try:
        call_command("import_article", "--only-changed", *paths, *options, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def rewrite(folder, records):
    (folder / FIRST_ARTICLE.name).write_text(json.dumps(records, ensure_ascii=False))


def admin_edit(client, record, **fields):
    """Change fields of a record through the admin's change form, as an editor does."""
    from django.urls import reverse

    url = reverse(f"admin:timeline_{record._meta.model_name}_change", args=[record.pk])
    page = client.get(url)
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    data.update(fields)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    return record


@pytest.fixture
def editor(admin_client):
    return admin_client


# The scenario of a new user --------------------------------------------------------------------


def test_an_edit_in_the_admin_survives_make_run_and_its_file_changing_elsewhere(
    fixtures_dir, editor
):
    """An edit in the admin was undone by the next `make run`, which imported every fixture."""
    assert make_run_import(fixtures_dir)[0] == 0
    visit = admin_edit(
        editor,
        Event.objects.get(slug=VISIT),
        title="Theresa May makes first ministerial visit to Calais",
    )

    status, out = make_run_import(fixtures_dir)
    assert status == 0
    assert "unchanged since its import in batch" in out
    assert (
        Event.objects.get(pk=visit.pk).title
        == "Theresa May makes first ministerial visit to Calais"
    )

    rewrite(fixtures_dir, with_fields(records(), VISIT, summary="A new summary."))
    status, out = make_run_import(fixtures_dir)
    visit.refresh_from_db()
    assert status == 0
    assert (visit.title, visit.summary) == (
        "Theresa May makes first ministerial visit to Calais",
        "A new summary.",
    )

    both = with_fields(records(), VISIT, summary="A new summary.", title="May in Calais")
    rewrite(fixtures_dir, both)
    status, out = make_run_import(fixtures_dir)
    visit.refresh_from_db()
    assert status == 3
    assert visit.title == "Theresa May makes first ministerial visit to Calais"
    assert f"event {VISIT}, field “title” (the database's value kept)" in out
    assert 'last imported:       "Theresa May visits Calais"' in out
    assert 'now in the file:     "May in Calais"' in out
    assert 'now in the database: "Theresa May makes first ministerial visit to Calais"' in out


def test_a_conflict_exits_with_status_3_from_a_terminal(tmp_path, imported_article):
    Event.objects.filter(slug=VISIT).update(title="Edited")
    path = tmp_path / FIRST_ARTICLE.name
    path.write_text(json.dumps(with_fields(records(), VISIT, title="Changed in the file")))

    with pytest.raises(SystemExit) as exit_status:
        call_command_as_in_a_terminal("import_article", str(path))

    # (run_from_argv closes the database connections on its way out: nothing more to read)
    assert exit_status.value.code == 3


def test_take_file_writes_the_files_value_for_the_fields_named(fixtures_dir, editor):
    make_run_import(fixtures_dir)
    Event.objects.filter(slug=VISIT).update(title="Edited", summary="Edited too")
    changed = with_fields(records(), VISIT, title="From the file", summary="File summary")
    rewrite(fixtures_dir, changed)

    status, out = make_run_import(fixtures_dir, "--take-file", "event.title")

    visit = Event.objects.get(slug=VISIT)
    assert status == 3  # the summary's conflict is still kept
    assert (visit.title, visit.summary) == ("From the file", "Edited too")
    assert "field “title” (the file's value taken)" in out


def test_take_file_all_settles_every_conflict_for_the_file(fixtures_dir):
    make_run_import(fixtures_dir)
    Event.objects.filter(slug=VISIT).update(title="Edited", summary="Edited too")
    rewrite(fixtures_dir, with_fields(records(), VISIT, title="From the file", summary="S"))

    status, _ = make_run_import(fixtures_dir, "--take-file-all")

    visit = Event.objects.get(slug=VISIT)
    assert status == 0
    assert (visit.title, visit.summary) == ("From the file", "S")


def test_a_conflict_stays_listed_until_it_is_settled(imported_article):
    Event.objects.filter(slug=VISIT).update(title="Edited")
    changed = with_fields(records(), VISIT, title="From the file")

    first = run(changed)
    again = run(changed)

    assert [c.field for c in first.conflicts] == [c.field for c in again.conflicts] == ["title"]


def test_unknown_take_file_fields_are_refused(tmp_path):
    with pytest.raises(CommandError, match="no model has a field “titel”"):
        call_command("import_article", str(FIRST_ARTICLE), "--take-file", "titel")


def test_the_dry_run_shows_the_same_merge_and_records_no_batch(imported_article):
    Event.objects.filter(slug=VISIT).update(title="Edited")
    changed = with_fields(records(), VISIT, title="From the file", summary="New")
    batches = ImportBatch.objects.count()

    preview = run(changed, dry_run=True)
    report = run(changed)

    assert ImportBatch.objects.count() == batches + 1
    assert preview.fingerprint == report.fingerprint
    assert [(c.field, c.in_database) for c in preview.conflicts] == [("title", '"Edited"')]


def test_an_unchanged_field_of_the_file_leaves_the_database_alone(imported_article):
    """Unchanged in the file since the last import: nothing happens, whatever the database holds."""
    Actor.objects.filter(slug="theresa-may").update(description="Edited")

    report = run(records())

    assert not report.conflicts
    assert Actor.objects.get(slug="theresa-may").description == "Edited"


def test_a_record_loaded_outside_any_import_is_merged_as_edited(article):
    """A database loaded before imports kept batches: where it differs, its value is kept."""
    report = run(with_fields(records(), VISIT, title="From the file"))

    assert [c.field for c in report.conflicts] == ["title"]
    assert report.conflicts[0].last_imported is None
    assert Event.objects.get(slug=VISIT).title != "From the file"


def run(records, name=FIRST_ARTICLE.name, **options):
    content = json.dumps(records, ensure_ascii=False).encode()
    return importing.import_articles([importing.read_article(name, content)], **options)


# Batches ---------------------------------------------------------------------------------------


def test_every_import_records_a_batch_with_the_file_its_sources_and_what_it_wrote(fixtures_dir):
    path = fixtures_dir / FIRST_ARTICLE.name
    report = importing.import_articles([importing.read_article_path(path)])

    [batch] = report.batches
    assert (batch.file_name, batch.article) == (str(path), FIRST_ARTICLE.name)
    assert batch.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert batch.sources == [FIRST_SOURCE]
    assert batch.created_count == len(records())
    title = batch.fields.get(record_key=f'"{VISIT}"', field="title")
    assert (title.action, title.before) == ("created", "")
    assert title.after == '"Theresa May visits Calais"'


def test_a_batch_keeps_the_value_each_field_replaced(imported_article):
    report = run(with_fields(records(), VISIT, title="New title"))

    row = report.batches[0].fields.get(field="title")
    assert row.action == "updated"
    assert row.before == '"Theresa May visits Calais"'
    assert row.after == '"New title"'


def test_a_dry_run_records_no_batch():
    run(records(), dry_run=True)

    assert not ImportBatch.objects.exists()
    assert not ImportedField.objects.exists()


def test_import_history_lists_batches_newest_first(imported_article, capsys):
    run(with_fields(records(), VISIT, title="New title"), name="second.json")

    call_command("import_history")

    lines = capsys.readouterr().out.splitlines()
    assert "second.json" in lines[0] and "0 created, 1 updated" in lines[0]
    assert str(FIRST_ARTICLE) in lines[1]
    assert f"sources: {FIRST_SOURCE}" in lines[1]


def test_import_history_of_one_batch_lists_its_fields(imported_article, capsys):
    run(with_fields(records(), VISIT, title="New title"), name="second.json")

    call_command("import_history", "last")

    out = capsys.readouterr().out
    assert f'updated  event "{VISIT}" title: "Theresa May visits Calais" → "New title"' in out


def test_only_changed_skips_a_file_whose_bytes_were_imported(fixtures_dir):
    make_run_import(fixtures_dir)

    make_run_import(fixtures_dir)

    assert ImportBatch.objects.count() == 1


# Records shared between articles ---------------------------------------------------------------


def second_source():
    return {
        "model": "timeline.source",
        "fields": {
            "slug": SECOND_SOURCE,
            "title": "May and Cazeneuve sign Calais deal",
            "publisher": "BBC",
            "published_on": "2015-08-20",
        },
    }


def reusing_the_agreement(*sources):
    return [
        second_source(),
        {
            "model": "timeline.event",
            "fields": {
                "slug": "uk-france-calais-agreement",
                "title": "A title of the second article",
                "date": "2015-08-20",
                "sources": [[source] for source in sources],
            },
        },
    ]


def test_a_file_that_does_not_cite_a_records_article_may_not_change_it(imported_article):
    before = Event.objects.get(slug="uk-france-calais-agreement").title

    with pytest.raises(importing.ImportFailed) as failure:
        run(reusing_the_agreement(SECOND_SOURCE), name="second.json")

    [problem] = failure.value.problems
    assert (
        f"event `uk-france-calais-agreement` belongs to `{FIRST_ARTICLE.name}`; second.json does "
        f"not cite that source (`{FIRST_SOURCE}`): give the record a new slug, or add the source"
    ) in str(problem)
    assert Event.objects.get(slug="uk-france-calais-agreement").title == before


EVIDENCE = "reuters-2018-01-19-sandhurst"

# A record of each model that belongs to the article that created it, and a change to it.
OWNED_RECORDS = [
    (Event, "sandhurst-summit", {"title": "Another title"}),
    (Measure, "sandhurst-treaty", {"title": "Another title"}),
    (Statement, "may-treaty", {"text": "Other words."}),
    (Observation, "tunnel-attempts-exact", {"as_printed": "about 1,300"}),
    (MeasureStatus, "sandhurst-in-force", {"date": "2018-02-02"}),
    (MeasureLink, "sandhurst-supplements-le-touquet", {"kind": "amends"}),
]


@pytest.fixture
def evidence_article():
    """The evidence records (tests.evidence_records) as an import of their article created them,
    so that they belong to it; the article file's records."""
    with transaction.atomic():
        evidence = make_evidence()
        # An article file must give every dated record a source; the ORM let this one go without.
        evidence["le_touquet"].sources.add(evidence["source"])
        article = json.loads(export_article(Source.objects.get(slug=EVIDENCE)))
        transaction.set_rollback(True)
    run(article, name=f"{EVIDENCE}.json")
    return article


def changing(records, model, slug, fields):
    """A second article's file that changes one record of another article, citing only itself."""
    label = model._meta.label_lower
    [record] = [r for r in records if r["model"] == label and r["fields"]["slug"] == slug]
    record = copy.deepcopy(record)
    record["fields"].update(fields)
    if "sources" in record["fields"]:
        record["fields"]["sources"] = [[SECOND_SOURCE]]
    return [second_source(), record]


def test_every_model_that_belongs_to_an_article_is_checked():
    assert {model for model, *_ in OWNED_RECORDS} == set(OWNED_MODELS)


@pytest.mark.parametrize(
    ("model", "slug", "fields"),
    OWNED_RECORDS,
    ids=[model._meta.model_name for model, *_ in OWNED_RECORDS],
)
def test_each_owned_record_is_refused_to_another_article_unless_shared_updates_are_allowed(
    evidence_article, model, slug, fields
):
    """Not only events: every dated record and every part of a measure belongs to its article."""
    second = changing(evidence_article, model, slug, fields)

    with pytest.raises(importing.ImportFailed) as failure:
        run(second, name="second.json")
    refused = model.objects.get(slug=slug)
    report = run(second, name="second.json", allow_shared_updates=True)

    [problem] = failure.value.problems
    assert (
        f"{model._meta.verbose_name} `{slug}` belongs to `{EVIDENCE}.json`; second.json does not "
        f"cite that source (`{EVIDENCE}`, `unsigned-2015-08-19`): give the record a new slug, "
        "or add the source"
    ) in str(problem)
    [shared] = report.shared
    assert (shared.label, shared.shared_with) == (slug, f"{EVIDENCE}.json")
    accepted = model.objects.get(slug=slug)
    for name, value in fields.items():
        assert str(getattr(refused, name)) != value
        assert str(getattr(accepted, name)) == value


def test_allow_shared_updates_lets_it_and_lists_the_change_apart(imported_article):
    report = run(
        reusing_the_agreement(SECOND_SOURCE), name="second.json", allow_shared_updates=True
    )

    [shared] = report.shared
    assert (shared.label, shared.shared_with) == ("uk-france-calais-agreement", FIRST_ARTICLE.name)
    assert "Changes to records shared with other articles:" in report.lines()
    agreement = Event.objects.get(slug="uk-france-calais-agreement")
    assert agreement.title == "A title of the second article"


def test_a_file_citing_the_records_article_may_change_it(imported_article):
    report = run(reusing_the_agreement(SECOND_SOURCE, FIRST_SOURCE), name="second.json")

    assert not report.shared
    assert Event.objects.get(slug="uk-france-calais-agreement").title.startswith("A title")


def test_the_command_refuses_the_shared_record_and_its_flag_allows_it(imported_article, tmp_path):
    path = tmp_path / "second.json"
    path.write_text(json.dumps(reusing_the_agreement(SECOND_SOURCE)))

    with pytest.raises(CommandError, match="belongs to"):
        call_command("import_article", str(path))
    call_command("import_article", str(path), "--allow-shared-updates")

    assert Event.objects.get(slug="uk-france-calais-agreement").title.startswith("A title")


def describing_may(description, source):
    return [
        {**second_source(), "fields": {**second_source()["fields"], "slug": source}},
        {
            "model": "timeline.actor",
            "fields": {
                "slug": "theresa-may",
                "name": "Theresa May",
                "kind": "person",
                "description": description,
            },
        },
    ]


def test_an_actor_described_by_two_articles_no_longer_flips_between_them(imported_article):
    """Each import of either article used to overwrite the other's description, in turn."""
    first, second = records(), describing_may("The second article's words.", "second-source")

    shared = run(second, name="second.json")
    for _ in range(2):
        again_first = run(first)
        again_second = run(second, name="second.json")

    assert Actor.objects.get(slug="theresa-may").description == "The second article's words."
    [change] = shared.shared
    assert (change.label, change.shared_with) == ("theresa-may", FIRST_ARTICLE.name)
    assert not again_first.changes_anything and not again_second.changes_anything


def test_an_article_changing_what_another_wrote_since_is_a_conflict(imported_article):
    run(describing_may("The second article's words.", "second-source"), name="second.json")

    report = run(with_fields(records(), "theresa-may", description="The first, rewritten."))

    [conflict] = report.conflicts
    assert conflict.in_database == '"The second article\'s words."'
    assert Actor.objects.get(slug="theresa-may").description == "The second article's words."


def test_make_run_imports_only_changed_files_and_starts_the_server_after_a_conflict():
    makefile = (FIRST_ARTICLE.parent.parent / "Makefile").read_text()

    assert "import_article --only-changed fixtures/*.json || [ $$? -eq 3 ]" in makefile
