"""Text search (timeline.search): stemmed and ranked on PostgreSQL, FTS5 on SQLite."""

import copy

import pytest
from django.core.management import call_command
from django.db import connection

from bench.factories import (
    ActorFactory,
    EventFactory,
    MeasureFactory,
    SourceFactory,
    StatementFactory,
)
from timeline import search
from timeline.models import Actor, Event, Measure, Source, Statement

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search: run with DATABASE_URL=postgres://… (CI does)",
)


def titles(queryset):
    return [event.title for event in queryset]


@pytest.mark.django_db
def test_a_word_finds_its_other_forms():
    EventFactory(title="British police officers deployed to Calais", summary="")
    EventFactory(title="Ferry strike halts crossings", summary="")
    assert titles(search.search(Event.objects.all(), "deploy")) == [
        "British police officers deployed to Calais"
    ]


@pytest.mark.django_db
def test_every_word_of_the_query_must_match():
    EventFactory(title="Fencing at Coquelles", summary="")
    EventFactory(title="Fencing at Calais", summary="")
    assert titles(search.search(Event.objects.all(), "fencing calais")) == ["Fencing at Calais"]


@pytest.mark.django_db
def test_a_title_match_ranks_above_a_summary_match():
    EventFactory(title="Ferry strike", summary="Police deployed to the port.", slug="a-summary")
    EventFactory(title="Police deployed to Calais", summary="Crossings halted.", slug="b-title")
    found = search.search(Event.objects.all(), "deployed")
    assert titles(found) == ["Police deployed to Calais", "Ferry strike"]
    assert found[0].search_rank > found[1].search_rank


@pytest.mark.django_db
def test_a_blank_query_keeps_every_record():
    EventFactory.create_batch(3)
    assert search.search(Event.objects.all(), "  ").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("query", ['"unbalanced', "AND OR NOT", "calais*", "(", "-"])
def test_query_syntax_is_never_an_error(query):
    EventFactory(title="Calais and Dover", summary="")
    list(search.search(Event.objects.all(), query))


@pytest.mark.django_db
def test_every_searchable_model_is_searched_on_its_own_text():
    ActorFactory(name="Bernard Cazeneuve", description="French Interior Minister")
    SourceFactory(title="UK police to head to Calais", publisher="Agence France-Presse")
    MeasureFactory(title="Calais command and control centre", description="")
    StatementFactory(text="We are determined to stop the smugglers.")
    assert search.search(Actor.objects.all(), "cazeneuve").count() == 1
    # Both words: the factories' other sources have random English words, and PostgreSQL's
    # English stemming finds "agence" in "agency".
    assert search.search(Source.objects.all(), "agence france").count() == 1
    assert search.search(Measure.objects.all(), "command centre").count() == 1
    assert search.search(Statement.objects.all(), "smuggler").count() == 1


@pytest.mark.django_db
def test_an_edited_record_is_found_by_its_new_words_only():
    event = EventFactory(title="Ferry strike halts crossings", summary="")
    event.title = "Eurotunnel intrusions fall"
    event.save()
    assert search.search(Event.objects.all(), "ferry").count() == 0
    assert search.search(Event.objects.all(), "intrusion").count() == 1


@pytest.mark.django_db
def test_a_deleted_record_is_no_longer_found():
    EventFactory(title="Ferry strike halts crossings", summary="").delete()
    assert search.search(Event.objects.all(), "ferry").count() == 0


@pytest.mark.django_db
def test_search_combines_with_other_filters():
    EventFactory(title="Fencing at Calais", summary="", date_precision="year", date="2016-01-01")
    EventFactory(title="Fencing at Dover", summary="")
    found = search.search(Event.objects.filter(date_precision="year"), "fencing")
    assert titles(found) == ["Fencing at Calais"]


def rebuild_event_table(max_length):
    """Alter Event.title as a later migration would: on SQLite, Django rebuilds the table."""
    old_field = Event._meta.get_field("title")
    new_field = copy.copy(old_field)
    new_field.max_length = max_length
    with connection.schema_editor() as editor:
        editor.alter_field(Event, old_field, new_field)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist on SQLite only")
def test_search_keeps_working_after_a_migration_rebuilds_the_table():
    EventFactory(title="Written before the rebuild", summary="")
    rebuild_event_table(max_length=301)
    try:
        call_command("migrate", verbosity=0)
        event = EventFactory(title="Written after the rebuild", summary="")
        event.title = "Written after the rebuild, then edited"
        event.save()
        assert search.search(Event.objects.all(), "written").count() == 2
        assert search.search(Event.objects.all(), "edited").count() == 1
    finally:
        rebuild_event_table(max_length=300)
        call_command("migrate", verbosity=0)


@pytest.mark.django_db
def test_the_fallback_without_fts5_still_finds_every_word():
    EventFactory(title="Fencing at Calais", summary="")
    EventFactory(title="Fencing at Dover", summary="")
    found = search._substring_search(Event.objects.all(), "event", "fencing CALAIS")
    assert titles(found) == ["Fencing at Calais"]


@needs_postgresql
@pytest.mark.django_db
def test_postgresql_ignores_stop_words_and_reads_web_search_syntax():
    EventFactory(title="UK police head to Calais", summary="")
    EventFactory(title="UK police head to Dover", summary="")
    assert titles(search.search(Event.objects.all(), "the police -dover")) == [
        "UK police head to Calais"
    ]


@needs_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("model", [Event, Measure, Statement, Actor, Source])
def test_postgresql_search_uses_the_gin_index(model):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = search.search(model.objects.all(), "calais").explain()
    assert f"timeline_{model._meta.model_name}_fts" in plan


@needs_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("q", ["calais", "theresa may"])
def test_postgresql_statement_search_uses_the_gin_index_beside_its_speakers(q):
    """A statement matches by its words or by its speaker's name: the OR must still let
    PostgreSQL use the full-text index, not read every statement."""
    StatementFactory(speaker=ActorFactory(name="Theresa May"), text="Calais is secure.")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")

    plan = Statement.objects.search(q).explain()

    assert "timeline_statement_fts" in plan
    assert [statement.text for statement in Statement.objects.search(q)] == ["Calais is secure."]
