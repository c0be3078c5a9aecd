"""seed_synthetic: deterministic, in proportion, and every record valid."""

import re

import pytest
from django.core.management import CommandError, call_command

from bench import synthetic
from timeline import dates
from timeline.models import (
    Actor,
    Event,
    Measure,
    Observation,
    Participation,
    Place,
    Role,
    Source,
    Statement,
)
from timeline.public import caching


def snapshot():
    return {
        "events": list(Event.objects.values_list("slug", "date", "date_precision", "title")),
        "statements": list(Statement.objects.values_list("slug", "speaker__slug", "text")),
        "measures": list(Measure.objects.values_list("slug", "status", "date")),
        "observations": list(
            Observation.objects.values_list("slug", "indicator__slug", "value", "event__slug")
        ),
        "participations": list(
            Participation.objects.values_list("event__slug", "actor__slug", "capacity")
        ),
        "event sources": list(
            Event.sources.through.objects.values_list("event__slug", "source__slug")
        ),
    }


def empty_timeline():
    for model in (Statement, Measure, Event, Source, Role, Actor, Place):
        model.objects.all().delete()


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_timeline():
    synthetic.seed(60, seed=7)
    first = snapshot()
    empty_timeline()
    synthetic.seed(60, seed=7)
    assert snapshot() == first


@pytest.mark.django_db
def test_another_seed_gives_another_timeline():
    synthetic.seed(60, seed=1)
    first = snapshot()
    empty_timeline()
    synthetic.seed(60, seed=2)
    assert snapshot()["events"] != first["events"]


@pytest.mark.django_db
def test_proportions_follow_the_issue():
    report = synthetic.seed(400, seed=3)
    assert Event.objects.count() == report.counts["events"] == 400
    assert Statement.objects.count() == 400
    assert Measure.objects.count() == 40
    assert Source.objects.count() == -(-(400 + 400 + 40) // 20)
    assert 20 <= Actor.objects.count() <= 300


@pytest.mark.django_db
def test_every_dated_record_starts_its_period_and_precisions_are_mixed():
    synthetic.seed(300, seed=4)
    events = list(Event.objects.all())
    for record in events + list(Statement.objects.all()) + list(Measure.objects.all()):
        assert record.date == dates.expected_start(record.date, record.date_precision)
    assert len({event.date_precision for event in events}) >= 5
    years = {event.date.year for event in events}
    assert min(years) <= 2007 and max(years) >= 2022


@pytest.mark.django_db
def test_a_sample_of_seeded_records_passes_full_clean():
    synthetic.seed(100, seed=5)
    for model in (Event, Statement, Measure, Actor, Source, Participation):
        for record in model.objects.all()[:15]:
            record.full_clean()


@pytest.mark.django_db
def test_relations_are_filled_in():
    synthetic.seed(100, seed=6)
    assert not Event.objects.filter(sources=None).exists()
    assert not Event.objects.filter(participations=None).exists()
    assert not Statement.objects.filter(sources=None).exists()
    assert not Statement.objects.filter(events=None).exists()
    assert not Measure.objects.filter(events=None).exists()
    assert not Measure.objects.filter(sources=None).exists()


@pytest.mark.django_db
def test_the_command_prints_what_it_made(capsys):
    call_command("seed_synthetic", "--events", "30", "--seed", "1")
    out = capsys.readouterr().out
    assert re.search(r"^\s*events\s+30$", out, re.MULTILINE)
    assert re.search(r"^\s*statements\s+30$", out, re.MULTILINE)


@pytest.mark.django_db
def test_seeding_twice_is_refused_and_changes_nothing():
    call_command("seed_synthetic", "--events", "20")
    with pytest.raises(CommandError, match="already holds a synthetic timeline"):
        call_command("seed_synthetic", "--events", "20")
    assert Event.objects.count() == 20


@pytest.mark.django_db
def test_seeding_invalidates_cached_public_pages(django_capture_on_commit_callbacks):
    before = caching.current_generation()
    with django_capture_on_commit_callbacks(execute=True):
        synthetic.seed(10, seed=1)
    assert caching.current_generation() != before
