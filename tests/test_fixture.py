"""The first article's fixture: stock loaddata loads it, twice changes nothing, facts intact."""

import datetime
import json

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import call_command

from timeline.dates import DatePrecision
from timeline.models import Actor, Event, Figure, Measure, Place, Role, Source, Statement

from .conftest import FIRST_ARTICLE, FIXTURES_DIR

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
    for model in [Source, Actor, Role, Place, Event, Figure, Measure, Statement]:
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
    peak = Figure.objects.get(value=2000).event
    assert peak.date_display == "late July 2015"
    eurotunnel = Statement.objects.get(speaker__name="Eurotunnel")
    assert eurotunnel.date_display == "week of 17 August 2015"
    escalation = Event.objects.get(slug="calais-migrant-crisis-escalates-2015")
    assert escalation.date_display == "2015"


def test_the_articles_figures_are_recorded(article):
    figures = {(f.value, f.approximate) for f in Figure.objects.all()}
    assert figures == {(3000, True), (150, True), (2000, False)}


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
