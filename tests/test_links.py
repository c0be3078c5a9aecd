"""The actors and sources a list shows inside each row or entry (timeline.links)."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import SourceFactory
from timeline.models import Actor, Event, Measure, Source, Statement
from timeline.public.links import ActorLink, attach_links


def test_records_of_every_kind_get_their_actors_and_sources_in_two_queries(article):
    event = Event.objects.get(slug="uk-france-calais-agreement")
    measure = Measure.objects.get(slug="calais-command-and-control-centre")
    statement = Statement.objects.filter(kind="quotation").first()
    records = [event, measure, statement]

    with CaptureQueriesContext(connection) as queries:
        attach_links({"event": [event], "measure": [measure], "statement": [statement]})

    assert len(queries) == 2
    participations = event.participations.order_by("actor__name", "actor__slug")
    assert event.actor_links == [
        ActorLink(p.actor.get_absolute_url(), p.actor.slug, p.actor.name, p.capacity)
        for p in participations
    ]
    assert [link.name for link in measure.actor_links] == sorted(
        measure.responsible.values_list("name", flat=True)
    )
    assert statement.actor_links == []
    for record in records:
        assert [link.slug for link in record.source_links] == list(
            record.sources.order_by("published_on", "title").values_list("slug", flat=True)
        )


def test_links_know_their_pages_and_how_a_source_is_cited(article):
    event = Event.objects.get(slug="uk-france-calais-agreement")

    attach_links({"event": [event]})

    actor = event.actor_links[0]
    assert actor.url == f"/actors/{actor.slug}/"
    (source,) = event.source_links
    assert source.url == f"/sources/{source.slug}/"
    assert source.citation == "AFP, 19 Aug 2015"


def test_sources_are_listed_oldest_first(article):
    event = Event.objects.get(slug="uk-france-calais-agreement")
    later = SourceFactory(slug="later", published_on=datetime.date(2015, 9, 1))
    earlier = SourceFactory(slug="earlier", published_on=datetime.date(2015, 7, 1))
    event.sources.add(later, earlier)

    attach_links({"event": [event]})

    slugs = [link.slug for link in event.source_links]
    assert slugs[0] == "earlier" and slugs[-1] == "later" and len(slugs) == 3


def test_nothing_to_link_costs_no_query(db):
    with CaptureQueriesContext(connection) as queries:
        attach_links({})

    assert len(queries) == 0


def test_actors_and_sources_are_left_alone_at_no_cost(article):
    records = [*Actor.objects.all()[:3], *Source.objects.all()]

    with CaptureQueriesContext(connection) as queries:
        attach_links({"actor": records[:3], "source": records[3:]})

    assert len(queries) == 0
    assert not any(hasattr(record, "source_links") for record in records)
