"""`manage.py draft_article`: drafts that import as they are; the targets on the seed article."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import FIRST_ARTICLE
from timeline import importing
from timeline.drafting import compare

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = ROOT.parent / "shared" / "articles" / "2015-08-19-afp-uk-police-to-calais.txt"
ARTICLES = Path(__file__).resolve().parent / "articles"
# The seed article's text is not the project's to publish: it lives beside the clone, in shared/.
needs_seed = pytest.mark.skipif(not SEED_TEXT.exists(), reason=f"no seed article at {SEED_TEXT}")

TEST_ARTICLES = sorted(ARTICLES.glob("201[6-9]-*.txt"))


def published_on(path):
    return path.name[:10]


def draft(path, tmp_path, *extra, publisher="Channel Wire"):
    output = tmp_path / f"{path.stem}.json"
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "draft_article",
        str(path),
        "--published",
        published_on(path),
        "--publisher",
        publisher,
        "--output",
        str(output),
        *extra,
        stdout=stdout,
        stderr=stderr,
    )
    return output, stdout.getvalue(), stderr.getvalue()


def scores_of(draft_path, fixture_path):
    records = json.loads(draft_path.read_text())
    fixture = json.loads(fixture_path.read_text())
    return {s.category: s for s in compare.compare(records, fixture)}


@needs_seed
@pytest.mark.django_db
def test_the_seed_article_reaches_its_targets_against_its_fixture(tmp_path):
    output, _out, _err = draft(SEED_TEXT, tmp_path, publisher="AFP")
    scores = scores_of(output, FIRST_ARTICLE)
    assert scores["actors"].recall >= 0.8
    assert scores["quotations"].recall >= 0.8
    assert scores["dated events"].recall >= 0.8
    assert scores["observations"].recall >= 0.6


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", [pytest.param(SEED_TEXT, marks=needs_seed), *TEST_ARTICLES], ids=lambda p: p.stem
)
def test_a_draft_imports_as_it_is_with_strict_checks(path, tmp_path):
    output, _out, _err = draft(path, tmp_path)
    stdout = io.StringIO()
    call_command("import_article", str(output), "--dry-run", "--strict", stdout=stdout)
    assert "problem" not in stdout.getvalue().lower()


@pytest.mark.django_db
@pytest.mark.parametrize("path", TEST_ARTICLES, ids=lambda p: p.stem)
def test_the_hand_made_fixtures_of_the_test_articles_import_strictly(path):
    call_command(
        "import_article",
        str(path.with_suffix(".json")),
        "--dry-run",
        "--strict",
        stdout=io.StringIO(),
    )


@needs_seed
@pytest.mark.django_db
def test_imported_draft_records_are_unreviewed(tmp_path):
    from timeline.models import Event, Measure, Observation, Statement

    output, _out, _err = draft(SEED_TEXT, tmp_path, publisher="AFP")
    importing.import_articles([importing.read_article_path(output)])
    for model in (Event, Measure, Statement, Observation):
        assert model.objects.exists()
        assert not model.objects.filter(reviewed=True).exists()


@needs_seed
@pytest.mark.django_db
def test_actors_already_in_the_timeline_are_matched_not_proposed(tmp_path, imported_article):
    output, _out, stderr = draft(SEED_TEXT, tmp_path, publisher="AFP")
    records = json.loads(output.read_text())
    new_actors = {r["fields"]["slug"] for r in records if r["model"] == "timeline.actor"}
    assert "theresa-may" not in new_actors and "home-office" not in new_actors
    assert "actor “Theresa May”: matched `theresa-may` by" in stderr
    speakers = {
        r["fields"]["speaker"][0]
        for r in records
        if r["model"] == "timeline.statement" and r["fields"]["speaker"]
    }
    assert {"home-office", "keith-vaz", "eurotunnel"} <= speakers
    # the same article again merges into the records the timeline has
    call_command("import_article", str(output), "--dry-run", "--strict", stdout=io.StringIO())


@needs_seed
@pytest.mark.django_db
def test_compare_prints_each_category_with_recall_and_precision(tmp_path):
    _output, stdout, _err = draft(SEED_TEXT, tmp_path, "--compare", str(FIRST_ARTICLE))
    lines = stdout.splitlines()
    assert lines[0].split() == [
        "category",
        "fixture",
        "draft",
        "found",
        "extra",
        "recall",
        "precision",
    ]
    categories = [line[:22].strip() for line in lines[1:6]]
    assert categories == [
        "actors",
        "quotations",
        "reported statements",
        "dated events",
        "observations",
    ]


@needs_seed
@pytest.mark.django_db
def test_without_output_the_draft_goes_to_standard_output():
    stdout = io.StringIO()
    call_command(
        "draft_article",
        str(SEED_TEXT),
        "--published",
        "2015-08-19",
        "--publisher",
        "AFP",
        "--title",
        "UK police head to France",
        "--url",
        "https://example.org/a",
        stdout=stdout,
        stderr=io.StringIO(),
    )
    records = json.loads(stdout.getvalue())
    source = records[0]["fields"]
    assert (source["title"], source["url"], source["publisher"]) == (
        "UK police head to France",
        "https://example.org/a",
        "AFP",
    )


@needs_seed
def test_a_publication_date_that_is_not_a_date_is_refused():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("draft_article", str(SEED_TEXT), "--published", "19/08/2015")
