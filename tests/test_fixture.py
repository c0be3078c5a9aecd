"""The first article's fixture: stock loaddata loads it, twice changes nothing, facts intact."""

import datetime
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from timeline.dates import DatePrecision
from timeline.models import (
    PASSAGE_MAX_LENGTH,
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureStatus,
    Observation,
    Passage,
    Place,
    Role,
    Source,
    Statement,
)

from .conftest import FIRST_ARTICLE, FIXTURES_DIR

# The article as printed is not kept in the repository (the fixture holds excerpts only): the
# checks against its words run where a copy is at hand, ARTICLE_TEXT or the default below.
ARTICLE_TEXT = Path(
    os.environ.get("ARTICLE_TEXT", "/work/shared/articles/2015-08-19-afp-uk-police-to-calais.txt")
)
# The length of its twelve paragraphs joined by spaces, headline, dateline and copyright aside.
ARTICLE_LENGTH = 2217


def article_paragraphs():
    """The article's paragraphs as printed, counting from the first after the dateline."""
    if not ARTICLE_TEXT.exists():
        pytest.skip(f"no copy of the article at {ARTICLE_TEXT}")
    lines = [line.strip() for line in ARTICLE_TEXT.read_text().splitlines() if line.strip()]
    return lines[2 : lines.index("© 2015 AFP")]


pytestmark = pytest.mark.django_db

D = datetime.date


def timeline_rows():
    """Every row of every timeline table, serialized, so two states can be compared exactly."""
    models = apps.get_app_config("timeline").get_models()
    return {
        model._meta.label: serializers.serialize("json", model.objects.order_by("pk"))
        for model in models
    }


def test_every_fixture_uses_natural_keys_and_no_primary_keys():
    for path in FIXTURES_DIR.glob("*.json"):
        for record in json.loads(path.read_text()):
            assert "pk" not in record, f"{path.name}: {record['model']} has a pk"


def test_the_article_loads_into_an_empty_database(article):
    assert Source.objects.count() == 1
    assert Event.objects.count() > 0
    assert Statement.objects.count() > 0


def test_loading_the_article_twice_changes_no_row(article):
    before = timeline_rows()
    call_command("loaddata", str(FIRST_ARTICLE), verbosity=0)
    assert timeline_rows() == before


def test_every_record_passes_the_models_own_validation(article):
    for model in [
        Source,
        Passage,
        Actor,
        Role,
        Place,
        Event,
        Indicator,
        Observation,
        Measure,
        MeasureStatus,
        Statement,
    ]:
        for record in model.objects.all():
            record.full_clean()


def test_every_event_measure_and_statement_cites_the_article(article):
    source = Source.objects.get()
    for model in [Event, Measure, Statement]:
        for record in model.objects.all():
            assert list(record.sources.all()) == [source], record


def test_the_source_is_the_afp_report_of_19_august_2015(article):
    source = Source.objects.get()
    assert source.publisher == "AFP"
    assert source.published_on == D(2015, 8, 19)


def test_the_article_names_its_actors_with_their_roles(article):
    names = set(Actor.objects.values_list("name", flat=True))
    assert {"Theresa May", "Bernard Cazeneuve", "Keith Vaz", "Home Office", "Eurotunnel"} <= names
    assert Role.objects.filter(actor__name="Theresa May", title="Home Secretary").exists()
    assert Role.objects.filter(
        actor__name="Bernard Cazeneuve", title="Minister of the Interior"
    ).exists()
    assert Role.objects.filter(actor__name="Keith Vaz", title__contains="Home Affairs").exists()


def test_the_domino_principle_quotation_is_verbatim_and_attributed_to_keith_vaz(article):
    statement = Statement.objects.get(text__contains="domino principle")
    assert statement.text == (
        "We must be aware of the dangers of the domino principle. "
        "Closing off one route will only mean the problem moves to another port."
    )
    assert statement.kind == Statement.Kind.QUOTATION
    assert statement.speaker.name == "Keith Vaz"
    assert statement.speaker_role.title == "Chair of the Home Affairs Committee"


def test_thursday_in_the_wednesday_article_is_20_august_2015(article):
    visit = Event.objects.get(slug="theresa-may-visits-calais")
    assert (visit.date, visit.date_precision) == (D(2015, 8, 20), DatePrecision.DAY)
    deal = Event.objects.get(slug="uk-france-calais-agreement")
    assert deal.date == D(2015, 8, 20)
    assert set(deal.actors.values_list("name", flat=True)) >= {"Theresa May", "Bernard Cazeneuve"}


def test_relative_dates_keep_their_precision(article):
    peak = Observation.objects.get(value=2000)
    assert peak.date_display == "late July 2015"
    assert peak.event.date_display == "late July 2015"
    eurotunnel = Statement.objects.get(speaker__name="Eurotunnel")
    assert eurotunnel.date_display == "week of 17 August 2015"
    escalation = Event.objects.get(slug="calais-migrant-crisis-escalates-2015")
    assert escalation.date_display == "2015"


def test_the_articles_figures_are_observations_with_their_words_dates_and_reporters(article):
    observations = {
        (o.indicator.slug, int(o.value), o.approximate, o.as_printed, o.date_display)
        + (o.reported_by.name if o.reported_by else None,)
        for o in Observation.objects.select_related("indicator", "reported_by")
    }
    tunnel = "channel-tunnel-intrusion-attempts-a-night"
    assert observations == {
        (tunnel, 2000, False, "a high of 2,000", "late July 2015", "Eurotunnel"),
        (tunnel, 150, True, "around 150 a night", "week of 17 August 2015", "Eurotunnel"),
        ("people-camped-in-calais", 3000, True, "Some 3,000", "19 August 2015", None),
    }


CITING = [Event, Measure, MeasureStatus, Statement, Observation]


@pytest.mark.parametrize("model", CITING, ids=lambda model: model.__name__)
def test_every_record_cites_a_passage_of_its_own_article(article, model):
    source = Source.objects.get()
    for record in model.objects.prefetch_related("passages"):
        passages = list(record.passages.all())
        assert passages, f"{model.__name__} {record.slug} cites no passage"
        assert {passage.source for passage in passages} == {source}, record.slug


def test_every_passage_is_a_short_excerpt(article):
    assert Passage.objects.count() > 0
    for passage in Passage.objects.all():
        assert 0 < len(passage.text) <= PASSAGE_MAX_LENGTH, passage.slug


def test_every_passage_is_in_the_paragraph_it_names_exactly_as_printed(article):
    paragraphs = article_paragraphs()
    assert len(" ".join(paragraphs)) == ARTICLE_LENGTH
    for passage in Passage.objects.all():
        assert " ".join(passage.text.split()) in paragraphs[passage.paragraph - 1], passage.slug


def test_the_passages_together_are_under_three_quarters_of_the_article(article):
    excerpts = sum(len(text) for text in Passage.objects.values_list("text", flat=True))
    assert excerpts < 0.75 * ARTICLE_LENGTH


def test_the_deal_is_planned_and_the_measures_have_a_status_history(article):
    assert Event.objects.get(slug="uk-france-calais-agreement").status == Event.Status.PLANNED
    centre = Measure.objects.get(slug="calais-command-and-control-centre")
    assert [(c.status, c.date) for c in centre.status_changes.all()] == [
        ("announced", D(2015, 8, 20))
    ]
    assert centre.status == "announced"
    assert centre.status_on(D(2015, 8, 19)) == ""


def test_what_the_article_reports_without_a_date_is_dated_by_its_publication(article):
    """Keith Vaz's words carry no date in the article: by 19 August 2015, not a whole week."""
    vaz = Statement.objects.filter(speaker__slug="keith-vaz")
    assert {(s.date, s.date_precision) for s in vaz} == {(D(2015, 8, 19), DatePrecision.BY)}
    assert vaz.first().date_display == "by 19 August 2015"


def test_attributions_are_kept_as_printed(article):
    statement = Statement.objects.get(slug="keith-vaz-welcomes-agreement-warns-of-other-ports")
    assert statement.attributed_as == (
        "Keith Vaz, who chairs a parliamentary body scrutinising the work of May's ministry"
    )
    assert statement.speaker.slug == "keith-vaz"


def test_every_measure_in_the_deal_is_recorded(article):
    text = " ".join(f"{m.title} {m.description}" for m in Measure.objects.all()).lower()
    for words in [
        "British police",
        "command and control centre",
        "French police units",
        "freight",
        "Fencing",
        "security cameras",
        "floodlighting",
        "infrared",
    ]:
        assert words.lower() in text, words


def test_every_quotation_is_attributed(article):
    quotations = Statement.objects.filter(kind=Statement.Kind.QUOTATION)
    assert quotations.count() == 3
    assert {q.speaker.name for q in quotations} == {"Keith Vaz", "Home Office"}


def test_the_places_are_recorded(article):
    assert {"Calais", "Channel Tunnel"} <= set(Place.objects.values_list("name", flat=True))
