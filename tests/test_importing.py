"""import_article and timeline.importing: validation, merging, idempotence, dry run, bad input."""

import copy
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from tests.conftest import FIRST_ARTICLE, first_article_counts
from tests.db_state import all_timeline_rows, records_by_natural_key, rows_but_batches
from timeline import importing
from timeline.batches import ImportBatch
from timeline.models import (
    Actor,
    Event,
    Measure,
    Observation,
    Participation,
    Passage,
    Source,
    Statement,
)

FIRST_SOURCE = "afp-2015-08-19-uk-police-head-to-france"


def first_article_records():
    return json.loads(FIRST_ARTICLE.read_text())


def run_import(records, name="article.json", **options):
    content = json.dumps(records, ensure_ascii=False).encode()
    return importing.import_articles([importing.read_article(name, content)], **options)


def import_first_article(**options):
    return importing.import_articles([importing.read_article_path(FIRST_ARTICLE)], **options)


def second_article():
    """A later article that names the same actors and reports one of the same events."""
    return [
        {
            "model": "timeline.source",
            "fields": {
                "slug": "bbc-2015-08-20-may-cazeneuve-sign-deal",
                "title": "May and Cazeneuve sign Calais deal",
                "publisher": "BBC",
                "published_on": "2015-08-20",
                "url": "https://www.bbc.example/news/uk-34009417",
                "language": "en",
            },
        },
        {
            "model": "timeline.actor",
            "fields": {
                "slug": "theresa-may",
                "name": "Theresa May",
                "kind": "person",
                "country": "GB",
                "description": "British Conservative politician, Home Secretary from 2010 to 2016.",
            },
        },
        {
            "model": "timeline.event",
            "fields": {
                "slug": "uk-france-calais-agreement",
                "title": "May and Cazeneuve sign UK–France agreement on Calais",
                "date": "2015-08-20",
                "date_precision": "day",
                "place": ["calais"],
                "sources": [[FIRST_SOURCE], ["bbc-2015-08-20-may-cazeneuve-sign-deal"]],
            },
        },
        {
            "model": "timeline.measure",
            "fields": {
                "slug": "calais-railhead-security",
                "title": "Securing the Calais railhead",
                "category": "infrastructure-security",
                "date": "2015-08-20",
                "date_precision": "day",
                "responsible": [["eurotunnel"]],
                "events": [["uk-france-calais-agreement"]],
                "sources": [[FIRST_SOURCE], ["bbc-2015-08-20-may-cazeneuve-sign-deal"]],
            },
        },
        {
            "model": "timeline.measurestatus",
            "fields": {
                "slug": "calais-railhead-security-agreed",
                "measure": ["calais-railhead-security"],
                "status": "agreed",
                "date": "2015-08-20",
                "date_precision": "day",
            },
        },
    ]


def actor(slug="new-actor", **fields):
    return {
        "model": "timeline.actor",
        "fields": {"slug": slug, "name": "New actor", "kind": "person", **fields},
    }


def failure_of(records, name="article.json"):
    with pytest.raises(importing.ImportFailed) as failure:
        run_import(records, name)
    return failure.value


# Importing and merging -----------------------------------------------------------------------


@pytest.mark.django_db
def test_first_article_imports_every_record_and_reports_them_created():
    report = import_first_article()

    assert report.count("created") == len(first_article_records())
    assert report.count("updated") == report.count("unchanged") == 0
    in_file = [record["model"] for record in first_article_records()]
    assert Event.objects.count() == in_file.count("timeline.event")
    assert Participation.objects.count() == in_file.count("timeline.participation")


@pytest.mark.django_db
def test_import_gives_the_same_data_as_stock_loaddata():
    import_first_article()
    imported = records_by_natural_key()
    for model in reversed(importing.MODELS):
        model.objects.all().delete()

    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)

    assert records_by_natural_key() == imported


@pytest.mark.django_db
def test_reimporting_the_same_file_reports_everything_unchanged_and_writes_nothing():
    import_first_article()
    before = rows_but_batches()

    report = import_first_article()

    assert report.count("unchanged") == len(first_article_records())
    assert not report.changes_anything
    assert rows_but_batches() == before  # history tables included: no new history rows


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_reports_what_the_import_would_do(imported_article):
    records = second_article()
    before = all_timeline_rows()

    preview = run_import(records, dry_run=True)

    assert all_timeline_rows() == before
    assert preview.dry_run
    assert "Nothing was written" in preview.headline
    assert preview.fingerprint == run_import(records).fingerprint


@pytest.mark.django_db
def test_second_article_merges_with_the_first_without_duplicating_shared_records(imported_article):
    actors_before = Actor.objects.count()

    report = run_import(second_article())

    assert Actor.objects.count() == actors_before
    assert Source.objects.count() == 2
    assert [outcome.action for outcome in report.outcomes if outcome.model is Actor] == ["updated"]


@pytest.mark.django_db
def test_an_event_reported_by_two_articles_cites_both(imported_article):
    run_import(second_article())

    agreement = Event.objects.get(slug="uk-france-calais-agreement")
    assert set(agreement.sources.values_list("slug", flat=True)) == {
        FIRST_SOURCE,
        "bbc-2015-08-20-may-cazeneuve-sign-deal",
    }


@pytest.mark.django_db
def test_merging_adds_many_to_many_links_and_never_drops_another_articles(imported_article):
    measure = Measure.objects.get(slug="british-police-officers-deployed-to-calais")
    records = [
        {
            "model": "timeline.measure",
            "fields": {
                "slug": measure.slug,
                "responsible": [["uk-government"]],
                "sources": [[FIRST_SOURCE]],
            },
        }
    ]

    run_import(records)

    assert set(measure.responsible.values_list("slug", flat=True)) == {
        "home-office",
        "british-police",
        "uk-government",
    }


@pytest.mark.django_db
def test_update_reports_each_changed_field_with_old_and_new_values(imported_article):
    report = run_import(second_article())

    [agreement] = [o for o in report.outcomes if o.key == ("uk-france-calais-agreement",)]
    changes = {change.field: change for change in agreement.changes}
    assert agreement.action == "updated"
    assert changes["title"].old == '"May and Cazeneuve to sign UK–France agreement on Calais"'
    assert changes["title"].new == '"May and Cazeneuve sign UK–France agreement on Calais"'
    assert changes["sources"].new == (
        f'[["{FIRST_SOURCE}"], ["bbc-2015-08-20-may-cazeneuve-sign-deal"]]'
    )
    assert set(changes) == {"title", "sources"}  # date, place and precision did not change


@pytest.mark.django_db
def test_fields_a_file_leaves_out_keep_their_values_in_the_database(imported_article):
    run_import(
        [{"model": "timeline.actor", "fields": {"slug": "keith-vaz", "name": "Keith Vaz MP"}}]
    )

    keith_vaz = Actor.objects.get(slug="keith-vaz")
    assert keith_vaz.name == "Keith Vaz MP"
    assert keith_vaz.kind == "person"
    assert keith_vaz.description.startswith("British Labour MP")


@pytest.mark.django_db
def test_a_record_may_refer_to_one_that_is_only_in_the_database(imported_article):
    statement = {
        "model": "timeline.statement",
        "fields": {
            "slug": "may-we-will-not-let-up",
            "text": "We will not let up.",
            "kind": "quotation",
            "speaker": ["theresa-may"],
            "speaker_role": ["theresa-may-home-secretary"],
            "date": "2015-08-20",
            "sources": [[FIRST_SOURCE]],
        },
    }

    run_import([statement])

    assert Statement.objects.get(slug="may-we-will-not-let-up").speaker.slug == "theresa-may"


@pytest.mark.django_db
def test_created_and_updated_records_get_one_history_row_naming_the_file(imported_article):
    run_import([actor(), actor("keith-vaz", name="Keith Vaz MP")], name="late-article.json")

    created = Actor.objects.get(slug="new-actor").history.get()
    updated = Actor.objects.get(slug="keith-vaz").history.first()
    assert (created.history_type, updated.history_type) == ("+", "~")
    batch = ImportBatch.objects.get(article="late-article.json")
    assert updated.history_change_reason.startswith(
        f"Import batch {batch.pk} of late-article.json by "
    )


@pytest.mark.django_db
def test_yaml_article_imports_like_json():
    content = yaml.safe_dump(first_article_records(), allow_unicode=True).encode()

    importing.import_articles([importing.read_article("article.yaml", content)])
    from_yaml = records_by_natural_key()
    for model in reversed(importing.MODELS):
        model.objects.all().delete()
    import_first_article()

    assert records_by_natural_key() == from_yaml


@pytest.mark.django_db
def test_the_same_record_twice_with_the_same_values_is_imported_once():
    report = run_import([actor(), actor()])

    assert Actor.objects.filter(slug="new-actor").count() == 1
    assert report.count("created") == 1


@pytest.mark.django_db
def test_several_files_import_in_one_transaction_the_later_file_winning():
    files = [
        importing.read_article("a.json", json.dumps([actor(description="first")]).encode()),
        importing.read_article("b.json", json.dumps([actor(description="second")]).encode()),
    ]

    importing.import_articles(files)

    assert Actor.objects.get(slug="new-actor").description == "second"


@pytest.mark.django_db
def test_text_containing_html_is_stored_as_it_was_written():
    html = '<script>alert("x")</script> & <b>bold</b>'

    run_import([actor(description=html)])

    assert Actor.objects.get(slug="new-actor").description == html


@pytest.mark.django_db
def test_confirming_against_a_stale_preview_raises_and_writes_nothing(imported_article):
    preview = run_import(second_article(), dry_run=True)
    Actor.objects.filter(slug="theresa-may").update(name="Theresa Mary May")
    before = all_timeline_rows()

    with pytest.raises(importing.PreviewOutdated):
        run_import(second_article(), expected_fingerprint=preview.fingerprint)

    assert all_timeline_rows() == before


@pytest.mark.django_db
def test_a_successful_import_ends_in_import_committed_once_it_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    committed = []
    monkeypatch.setattr(importing.writing, "import_committed", committed.append)

    with django_capture_on_commit_callbacks(execute=True):
        run_import([actor()], dry_run=True)
    assert committed == []

    with django_capture_on_commit_callbacks(execute=True):
        report = run_import([actor()])
    assert committed == [report]


# Bad input -----------------------------------------------------------------------------------


def with_record(position, record):
    records = first_article_records()
    records.insert(position - 1, record)
    return records


def changed(slug, **fields):
    """The first article with one record's fields changed (None removes a field)."""
    records = copy.deepcopy(first_article_records())
    for record in records:
        if record["fields"].get("slug") == slug:
            for name, value in fields.items():
                if value is None:
                    del record["fields"][name]
                else:
                    record["fields"][name] = value
    return records


def position_of(records, slug):
    return next(i for i, r in enumerate(records, start=1) if r["fields"].get("slug") == slug)


RECORD_PROBLEMS = {
    "unknown model": (with_record(3, {"model": "timeline.country", "fields": {}}), 3, None, None),
    "unknown field": (
        changed("theresa-may", nickname="Maybot"),
        "theresa-may",
        "nickname",
        "unknown field",
    ),
    "missing required field": (
        with_record(2, {"model": "timeline.actor", "fields": {"slug": "x", "name": "X"}}),
        "x",
        "kind",
        "missing: a new actor must give it, one of: person, organisation",
    ),
    "invalid date": (
        changed("theresa-may-visits-calais", date="2015-02-30"),
        "theresa-may-visits-calais",
        "date",
        "not a real date",
    ),
    "date in another format": (
        changed("theresa-may-visits-calais", date="20/08/2015"),
        "theresa-may-visits-calais",
        "date",
        "YYYY-MM-DD",
    ),
    "invalid precision": (
        changed("theresa-may-visits-calais", date_precision="fortnight"),
        "theresa-may-visits-calais",
        "date_precision",
        "not a valid choice",
    ),
    "date not aligned with its precision": (
        changed("theresa-may-visits-calais", date_precision="month"),
        "theresa-may-visits-calais",
        "date",
        "first day of the period: 2015-08-01",
    ),
    "reference to nothing": (
        changed("theresa-may-visits-calais", place=["atlantis"]),
        "theresa-may-visits-calais",
        "place",
        'timeline.place "atlantis", which is neither in the file nor in the database',
    ),
    "many-to-many reference to nothing": (
        changed("theresa-may-visits-calais", sources=[["no-such-article"]]),
        "theresa-may-visits-calais",
        "sources",
        "neither in the file nor in the database",
    ),
    "value over its maximum length": (
        changed("theresa-may", name="M" * 201),
        "theresa-may",
        "name",
        "at most 200 characters",
    ),
    "value of the wrong type": (
        changed("afp-2015-08-19-p1-police-to-be-deployed", paragraph="second"),
        "afp-2015-08-19-p1-police-to-be-deployed",
        "paragraph",
        "must be a whole number",
    ),
    "reference not written as a natural key": (
        changed("theresa-may-visits-calais", place="calais"),
        "theresa-may-visits-calais",
        "place",
        'a list holding one slug, like ["calais"]',
    ),
    "invalid choice": (
        changed("theresa-may", kind="politician"),
        "theresa-may",
        "kind",
        "Allowed values: person, organisation",
    ),
    "role the actor did not hold": (
        changed("keith-vaz-domino-principle", speaker_role=["theresa-may-home-secretary"]),
        "keith-vaz-domino-principle",
        "speaker_role",
        "must be one the speaker held",
    ),
    "event without a source": (
        with_record(
            40,
            {
                "model": "timeline.event",
                "fields": {"slug": "unsourced", "title": "T", "date": "2015-08-20"},
            },
        ),
        "unsourced",
        "sources",
        "missing: give at least one source",
    ),
    "NUL character in text": (
        changed("theresa-may", description="Home\x00Secretary"),
        "theresa-may",
        "description",
        "NUL",
    ),
    "a database id instead of a natural key": (
        with_record(2, {"model": "timeline.actor", "pk": 7, "fields": {"slug": "x"}}),
        2,
        None,
        "natural key",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "records, record, field, message", RECORD_PROBLEMS.values(), ids=RECORD_PROBLEMS.keys()
)
def test_a_bad_record_is_named_by_file_position_key_and_field_and_nothing_is_written(
    article, records, record, field, message
):
    before = all_timeline_rows()

    failure = failure_of(records, name="bad-article.json")

    assert all_timeline_rows() == before
    [problem] = failure.problems
    text = str(problem)
    assert text.startswith("bad-article.json, record ")
    if isinstance(record, str):
        assert problem.location.position == position_of(records, record)
        assert f'"{record}"' in text
    else:
        assert problem.location.position == record
    assert problem.field == field
    if field:
        assert f"field “{field}”" in text
    if message:
        assert message in text


@pytest.mark.django_db
def test_the_same_natural_key_twice_with_different_values_names_both_records():
    records = [actor(description="one"), actor("other"), actor(description="two")]

    failure = failure_of(records)

    [problem] = failure.problems
    assert str(problem) == (
        'article.json, record 3 (timeline.actor "new-actor"), field “description”: '
        "the same record as record 1 with a different value"
    )


@pytest.mark.django_db
def test_a_participation_is_named_by_its_event_and_actor():
    records = [
        {
            "model": "timeline.participation",
            "fields": {"event": ["e"], "actor": ["a"], "capacity": "x", "colour": "red"},
        }
    ]

    problem = failure_of(records).problems[0]

    assert str(problem).startswith(
        'article.json, record 1 (timeline.participation ["e", "a"]), field “colour”: unknown field'
    )


FILE_PROBLEMS = {
    "malformed JSON": ("a.json", b'[{"model": "timeline.actor",, }]', "not valid JSON"),
    "truncated JSON": ("a.json", FIRST_ARTICLE.read_bytes()[:500], "not valid JSON"),
    "malformed YAML": ("a.yaml", b"- model: timeline.actor\n fields: [\n", "not valid YAML"),
    "truncated YAML": ("a.yaml", b'- model: timeline.actor\n  fields: {slug: "x', "not valid YAML"),
    "empty file": ("a.json", b"", "the file is empty"),
    "blank file": ("a.json", b"  \n\n", "the file is empty"),
    "YAML with only a comment": ("a.yaml", b"# nothing yet\n", "the file is empty"),
    "binary file": ("a.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8 text"),
    "NUL bytes": ("a.json", b'[{"model":\x00}]', "NUL bytes"),
    "Latin-1 text": ("a.json", '[{"name": "Cazeneuve à Calais"}]'.encode("latin-1"), "UTF-8"),
    "an object at the top": ("a.json", b'{"model": "timeline.actor"}', "must hold a list"),
    "a string at the top": ("a.json", b'"timeline"', "must hold a list"),
    "no records": ("a.json", b"[]", "holds no records"),
    "a key twice in one object": (
        "a.json",
        b'[{"model": "timeline.actor", "model": "timeline.place"}]',
        "appears twice",
    ),
    "an unsafe YAML tag": ("a.yaml", b"- !!python/object:os.system {}\n", "not valid YAML"),
    "an unknown extension": ("a.xml", b"<records/>", "must end in .json, .yaml or .yml"),
    "deep nesting": ("a.json", b"[" * 100_000, "nested too deeply"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name, content, message", FILE_PROBLEMS.values(), ids=FILE_PROBLEMS.keys())
def test_an_unreadable_file_is_named_and_nothing_is_written(article, name, content, message):
    before = all_timeline_rows()

    with pytest.raises(importing.ImportFailed) as failure:
        importing.import_articles([importing.read_article(name, content)])

    assert all_timeline_rows() == before
    [problem] = failure.value.problems
    assert str(problem).startswith(f"{name}: ")
    assert message in str(problem)


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed():
    content = b" " * importing.MAX_FILE_SIZE + b"[]"

    with pytest.raises(importing.ImportFailed) as failure:
        importing.read_article("huge.json", content)

    assert "over the limit of 5,242,880" in str(failure.value)


@pytest.mark.django_db
def test_every_problem_in_a_file_is_reported_at_once(imported_article):
    records = changed("theresa-may", kind="politician", name="")

    failure = failure_of(records)

    assert {problem.field for problem in failure.problems} == {"kind", "name"}


# The command ---------------------------------------------------------------------------------


def write(tmp_path, name, records):
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_command_prints_the_report_per_model(capsys):
    call_command("import_article", str(FIRST_ARTICLE))

    out = capsys.readouterr().out
    records, events = first_article_counts()
    assert f"{records} created, 0 updated, 0 unchanged" in out
    assert f"Events: {events} created, 0 updated, 0 unchanged" in out


@pytest.mark.django_db
def test_command_prints_updated_fields_old_and_new(imported_article, tmp_path, capsys):
    path = write(tmp_path, "second.json", second_article())

    call_command("import_article", path)

    out = capsys.readouterr().out
    assert "  updated uk-france-calais-agreement" in out
    assert (
        'title: "May and Cazeneuve to sign UK–France agreement on Calais" → '
        '"May and Cazeneuve sign UK–France agreement on Calais"' in out
    )


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(imported_article, tmp_path, capsys):
    path = write(tmp_path, "second.json", second_article())
    before = all_timeline_rows()

    call_command("import_article", path, "--dry-run")

    assert all_timeline_rows() == before
    assert "Nothing was written" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_fixture_failing_late_leaves_the_database_as_it_was_and_names_file_and_record(
    tmp_path,
):
    records = first_article_records() + [actor("late", kind="alien")]
    path = write(tmp_path, "article.json", records)

    with pytest.raises(CommandError) as error:
        call_command("import_article", path)

    assert f'{path}, record {len(records)} (timeline.actor "late"), field “kind”' in str(
        error.value
    )
    assert records_by_natural_key() == {}


@pytest.mark.django_db
def test_command_fails_with_a_clear_error_for_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"missing\.json: cannot be read"):
        call_command("import_article", str(tmp_path / "missing.json"))


@pytest.mark.django_db
def test_command_exits_with_status_1_on_error(tmp_path):
    path = write(tmp_path, "article.json", [actor(kind="alien")])

    with pytest.raises(SystemExit) as exit_status:
        call_command_as_in_a_terminal("import_article", path)

    assert exit_status.value.code == 1


def call_command_as_in_a_terminal(*argv):
    from django.core.management import ManagementUtility

    ManagementUtility(["manage.py", *argv]).execute()


@pytest.mark.django_db
def test_the_complete_example_in_the_format_documentation_imports():
    doc = (FIRST_ARTICLE.parent.parent / "docs" / "article-format.md").read_text()
    example = doc.split("## A complete example")[1].split("```json")[1].split("```")[0]

    report = importing.import_articles([importing.read_article("example.json", example.encode())])

    assert report.count("created") == len(json.loads(example))


# Every problem in one pass, in an editor's words ----------------------------------------------


def four_mistakes():
    """An unknown field, a wrong slug reference, a date not at the start of its period and a
    role not held: the first used to hide the three others until it was fixed."""
    records = changed("theresa-may", nickname="Maybot")
    records = [
        {**r, "fields": {**r["fields"], "speaker": ["keith-vazz"]}}
        if r["fields"].get("slug") == "keith-vaz-domino-principle"
        else r
        for r in records
    ]
    for record in records:
        fields = record["fields"]
        if fields.get("slug") == "tunnel-intrusion-attempts-peak":
            fields["date"] = "2015-07-25"
        if fields.get("slug") == "keith-vaz-welcomes-agreement-warns-of-other-ports":
            fields["speaker_role"] = ["keith-vaz-home-affairs-committee-chair"]
            fields["date"], fields["date_precision"] = "2017-01-01", "year"
    return records


@pytest.mark.django_db
def test_a_file_with_four_mistakes_reports_all_four_in_one_run():
    failure = failure_of(four_mistakes())

    texts = [str(problem) for problem in failure.problems]
    assert len(texts) == 4, texts
    assert any("field “nickname”: unknown field" in text for text in texts)
    assert any('refers to timeline.actor "keith-vazz"' in text for text in texts)
    assert any("first day of the period: 2015-07-21, not 2015-07-25" in text for text in texts)
    assert any("was not held at any time in 2017" in text for text in texts)


@pytest.mark.django_db
def test_a_slug_not_found_suggests_the_nearest(imported_article):
    records = [
        {
            "model": "timeline.statement",
            "fields": {
                "slug": "may-we-will-not-let-up",
                "text": "We will not let up.",
                "kind": "quotation",
                "speaker": ["theresa-mai"],
                "date": "2015-08-20",
                "sources": [[FIRST_SOURCE]],
            },
        }
    ]

    [problem] = failure_of(records).problems

    assert problem.message.endswith("did you mean `theresa-may`?")


@pytest.mark.django_db
def test_an_unknown_field_suggests_the_nearest_and_never_offers_date_width():
    [problem] = failure_of(changed("theresa-may-visits-calais", sumary="x")).problems[:1]

    assert "did you mean `summary`?" in problem.message
    assert "date_width" not in problem.message


@pytest.mark.django_db
def test_date_width_is_not_a_field_a_file_may_give():
    [problem] = failure_of(changed("theresa-may-visits-calais", date_width=7)).problems

    assert problem.field == "date_width"
    assert "unknown field" in problem.message


@pytest.mark.django_db
def test_a_fraction_is_refused_as_not_a_whole_number():
    [problem] = failure_of(
        changed("afp-2015-08-19-p1-police-to-be-deployed", paragraph=1.5)
    ).problems

    assert problem.message == "must be a whole number, not 1.5"


@pytest.mark.django_db
def test_problems_past_the_cap_are_counted_not_listed():
    records = [actor(f"actor-{n}", kind="alien") for n in range(importing.MAX_PROBLEMS + 5)]

    problems = failure_of(records).problems

    assert len(problems) == importing.MAX_PROBLEMS + 1
    assert "5 more problems are not listed" in problems[-1].message


# Roles and the dates of what was done in them -------------------------------------------------


def participation(role, date, precision="day"):
    return [
        {
            "model": "timeline.event",
            "fields": {
                "slug": "sandhurst-treaty-signed",
                "title": "Sandhurst treaty signed",
                "date": date,
                "date_precision": precision,
                "sources": [[FIRST_SOURCE]],
            },
        },
        {
            "model": "timeline.participation",
            "fields": {
                "event": ["sandhurst-treaty-signed"],
                "actor": ["theresa-may"],
                "capacity": "signatory",
                "role": [role],
            },
        },
    ]


@pytest.mark.django_db
def test_a_participations_role_must_be_held_at_the_events_date(imported_article):
    """Theresa May as Home Secretary at the signing of 18 January 2018 was accepted and shown."""
    [problem] = failure_of(participation("theresa-may-home-secretary", "2018-01-18")).problems

    assert problem.field == "role"
    assert problem.message == (
        "Theresa May, Home Secretary was not held on 18 January 2018, the event's date; "
        "held from 12 May 2010 to 13 July 2016."
    )
    run_import(participation("theresa-may-prime-minister", "2018-01-18"))


def statement(role, date, precision):
    return {
        "model": "timeline.statement",
        "fields": {
            "slug": "may-statement",
            "text": "Words.",
            "kind": "reported",
            "speaker": ["theresa-may"],
            "speaker_role": [role],
            "date": date,
            "date_precision": precision,
            "sources": [[FIRST_SOURCE]],
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "date, precision",
    [("2016-01-01", "year"), ("2016-07-11", "week"), ("2016-07-11", "mid-month")],
)
def test_a_coarse_date_fits_a_role_its_period_overlaps(imported_article, date, precision):
    """ "2016" and "week of 11 July 2016" were refused for a role held from 13 July 2016."""
    run_import([statement("theresa-may-prime-minister", date, precision)])

    assert Statement.objects.get(slug="may-statement").speaker_role.slug.endswith("minister")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "date, precision, when",
    [
        ("2015-01-01", "year", "at any time in 2015"),
        ("2016-07-04", "week", "at any time in the week of 4 July 2016"),
        ("2016-07-01", "early-month", "at any time in early July 2016"),
        ("2016-07-12", "day", "on 12 July 2016"),
    ],
)
def test_a_role_not_held_in_the_period_is_refused_in_english(
    imported_article, date, precision, when
):
    records = [statement("theresa-may-prime-minister", date, precision)]

    [problem] = failure_of(records).problems

    assert problem.message == (
        f"Theresa May, Prime Minister was not held {when}; held from 13 July 2016 to 24 July 2019."
    )


# Evidence: passages, strictness, status changes, observations ----------------------------------


def passage(slug="new-passage", text="British police officers will be deployed.", **fields):
    return {
        "model": "timeline.passage",
        "fields": {"slug": slug, "source": [FIRST_SOURCE], "paragraph": 1, "text": text, **fields},
    }


def new_event(slug="new-event", **fields):
    return {
        "model": "timeline.event",
        "fields": {
            "slug": slug,
            "title": "A new event",
            "date": "2015-08-19",
            "date_precision": "by",
            "sources": [[FIRST_SOURCE]],
            **fields,
        },
    }


@pytest.mark.django_db
def test_every_shipped_fixture_imports_with_strict():
    paths = sorted(FIRST_ARTICLE.parent.glob("*.json"))
    report = importing.import_articles(
        [importing.read_article_path(path) for path in paths], strict=True
    )
    assert report.warnings == []
    assert report.count("created") > 0


@pytest.mark.django_db
def test_a_passage_over_300_characters_is_refused_naming_file_record_and_field(article):
    problems = failure_of([passage(text="x" * 301)], name="long.json").problems
    assert [str(problem) for problem in problems] == [
        'long.json, record 1 (timeline.passage "new-passage"), field “text”: a passage is at '
        "most 300 characters, not 301: cite a shorter excerpt of the article, or two"
    ]
    assert not Passage.objects.filter(slug="new-passage").exists()


@pytest.mark.django_db
def test_a_passage_of_300_characters_is_accepted(article):
    run_import([passage(text="x" * 300)])


@pytest.mark.django_db
def test_a_record_citing_no_passage_is_a_warning_without_strict(article):
    report = run_import([new_event()], name="draft.json")
    assert Event.objects.filter(slug="new-event").exists()
    assert [str(warning) for warning in report.warnings] == [
        'draft.json, record 1 (timeline.event "new-event"), field “passages”: cites no passage: '
        "give the passages of the article it rests on"
    ]
    assert any(line.startswith("Warnings: 1") for line in report.lines())


@pytest.mark.django_db
def test_a_record_citing_no_passage_is_a_problem_with_strict(article):
    with pytest.raises(importing.ImportFailed) as failure:
        run_import([new_event(passages=[])], name="draft.json", strict=True)
    assert [problem.field for problem in failure.value.problems] == ["passages"]
    assert not Event.objects.filter(slug="new-event").exists()


@pytest.mark.django_db
def test_strict_accepts_a_record_citing_a_passage_of_the_file(article):
    records = [passage(), new_event(passages=[["new-passage"]])]
    report = run_import(records, strict=True)
    assert report.warnings == []
    assert list(Event.objects.get(slug="new-event").passages.values_list("slug", flat=True)) == [
        "new-passage"
    ]


def test_import_article_strict_exits_with_status_1_naming_the_uncited_record(tmp_path, db):
    path = tmp_path / "draft.json"
    records = first_article_records()
    slug = "home-office-british-police-to-be-deployed"
    next(r for r in records if r["fields"].get("slug") == slug)["fields"]["passages"] = []
    path.write_text(json.dumps(records))
    with pytest.raises(CommandError) as failed:
        call_command("import_article", "--strict", "--dry-run", str(path))
    assert failed.value.returncode == 1
    assert '(timeline.statement "home-office-british-police-to-be-deployed")' in str(failed.value)
    assert "cites no passage" in str(failed.value)


@pytest.mark.django_db
def test_passages_merge_as_a_union_across_articles(article):
    slug = "home-office-announces-police-deployment"
    before = set(Event.objects.get(slug=slug).passages.values_list("slug", flat=True))
    records = [passage(), new_event(slug, passages=[["new-passage"]])]
    del records[1]["fields"]["title"], records[1]["fields"]["date"]
    del records[1]["fields"]["date_precision"]
    run_import(records)
    after = set(Event.objects.get(slug=slug).passages.values_list("slug", flat=True))
    assert after == before | {"new-passage"}


@pytest.mark.django_db
def test_a_later_status_change_becomes_the_current_status_and_undoing_restores_it(article):
    slug = "calais-command-and-control-centre"
    change = {
        "model": "timeline.measurestatus",
        "fields": {
            "slug": f"{slug}-in-force",
            "measure": [slug],
            "status": "in-force",
            "date": "2015-09-01",
            "date_precision": "month",
        },
    }
    run_import([change])
    measure = Measure.objects.get(slug=slug)
    assert measure.status == "in-force"
    assert measure.status_on(measure.date) == "announced"

    call_command("undo_import", "last", verbosity=0)
    assert Measure.objects.get(slug=slug).status == "announced"


@pytest.mark.django_db
def test_a_file_cannot_give_a_measures_status(article):
    records = [r for r in first_article_records() if r["model"] == "timeline.measure"][:1]
    records[0]["fields"]["status"] = "agreed"
    problem = failure_of(records).problems[0]
    assert problem.field == "status"
    assert "unknown field for timeline.measure" in problem.message


@pytest.mark.django_db
def test_an_observation_takes_numbers_or_their_text_and_refuses_words(article):
    observation = {
        "model": "timeline.observation",
        "fields": {
            "slug": "new-observation",
            "indicator": ["people-camped-in-calais"],
            "low": "2500",
            "high": 3000.5,
            "as_printed": "between 2,500 and 3,000",
            "date": "2015-08-01",
            "date_precision": "month",
            "sources": [[FIRST_SOURCE]],
        },
    }
    run_import([observation])
    saved = Observation.objects.get(slug="new-observation")
    assert (str(saved.low), str(saved.high)) == ("2500.00", "3000.50")

    observation["fields"]["slug"] = "worded-observation"
    observation["fields"]["low"] = "several hundred"
    problem = failure_of([observation]).problems[0]
    assert (problem.field, problem.message) == ("low", "must be a number, not “several hundred”")


@pytest.mark.django_db
def test_an_observation_without_a_value_or_a_range_is_refused(article):
    observation = {
        "model": "timeline.observation",
        "fields": {
            "slug": "empty-observation",
            "indicator": ["people-camped-in-calais"],
            "low": 100,
            "date": "2015-08-01",
            "date_precision": "month",
            "sources": [[FIRST_SOURCE]],
        },
    }
    problems = failure_of([observation]).problems
    assert any("needs a value, or a low and a high" in p.message for p in problems)
