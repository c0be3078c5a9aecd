"""/feed/, read back by feedparser as a feed reader reads it."""

import datetime

import feedparser
from django.urls import reverse

from tests.evidence_records import make_evidence, make_many_evidence, timeline_page_entries
from tests.factories import (
    ActorFactory,
    EventFactory,
    MeasureFactory,
    ParticipationFactory,
    StatementFactory,
)
from timeline.models import Actor, Event, Measure, MeasureStatus, Observation, Statement

WARNED = "Welcomed the agreement, but warned that the camps would return."


def read_feed(client, query=""):
    response = client.get(reverse("timeline:feed") + query)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def test_a_new_record_is_an_entry_linking_to_its_page(client, db):
    EventFactory(slug="new-event", title="UK–France agreement signed")
    feed = read_feed(client)
    [entry] = feed.entries
    assert entry.title == "Added event: UK–France agreement signed"
    assert entry.link == "http://testserver" + reverse("timeline:event-detail", args=["new-event"])


def test_a_changed_record_comes_first_marked_changed_with_its_dates(client, db):
    event = EventFactory(slug="changed", title="First title")
    EventFactory(slug="later", title="Another")
    added = event.history.earliest("history_date").history_date
    event.history.update(history_date=added - datetime.timedelta(days=2))
    event.title = "Second title"
    event.save()
    feed = read_feed(client)
    assert [entry.title for entry in feed.entries] == [
        "Changed event: Second title",
        "Added event: Another",
    ]
    first = feed.entries[0]
    assert first.published_parsed < first.updated_parsed
    assert first.id == first.link


def test_the_feed_has_records_of_every_kind(client, db):
    EventFactory(title="An event")
    MeasureFactory(title="A measure")
    StatementFactory(speaker__name="Keith Vaz", text="Words.")
    titles = {entry.title for entry in read_feed(client).entries}
    assert titles == {
        "Added event: An event",
        "Added measure: A measure",
        "Added statement: Keith Vaz: “Words.”",
    }


def feed_entries(feed):
    """(kind, slug) of each entry: a record's from its link, a status change's or an
    observation's from its id ("<its page>#<kind>-<slug>")."""
    entries = set()
    for entry in feed.entries:
        kind = entry.tags[0].term
        if "#" in entry.id:
            entries.add((kind, entry.id.split("#", 1)[1].removeprefix(f"{kind}-")))
        else:
            entries.add((kind, entry.link.rsplit("/", 2)[-2]))
    return entries


def test_a_filtered_feed_has_the_timeline_pages_entries_with_status_changes_and_figures(client, db):
    make_evidence()
    query = {"start": "2015-07-01", "end": "2018-03-01"}
    feed = read_feed(client, "?start=2015-07-01&end=2018-03-01")
    entries = feed_entries(feed)
    assert entries == set(timeline_page_entries(client, query))
    assert ("status", "sandhurst-in-force") in entries
    assert ("observation", "tunnel-attempts-late-july-2015") in entries
    titles = {entry.title for entry in feed.entries}
    assert "Added status change: Sandhurst treaty: in force" in titles
    assert len({entry.id for entry in feed.entries}) == len(feed.entries)


def test_a_status_change_or_figure_links_to_its_place_on_its_measures_or_indicators_page(
    client, db
):
    make_evidence()
    feed = read_feed(client, "?start=2015-07-01&end=2018-03-01")
    evidence = [entry for entry in feed.entries if "#" in entry.id]
    assert {entry.id.rsplit("#")[1] for entry in evidence} >= {
        "status-sandhurst-in-force",
        "observation-tunnel-attempts-late-july-2015",
    }
    for entry in evidence:
        page, fragment = entry.id.split("#")
        assert entry.link == page
        assert f'id="{fragment}"' in client.get(page).content.decode()


def test_a_feed_entry_of_reported_speech_is_not_in_quotation_marks(client, db):
    StatementFactory(
        speaker__name="Keith Vaz",
        kind="reported",
        text=WARNED,
    )
    (entry,) = read_feed(client).entries
    assert entry.title == (
        "Added statement: Keith Vaz welcomed the agreement, but warned that the camps would return."
    )
    assert "“" not in entry.summary


def test_a_feed_of_one_actor_has_only_their_records(client, db):
    may = ActorFactory(slug="theresa-may", name="Theresa May")
    visit = EventFactory(title="May visits Calais")
    ParticipationFactory(event=visit, actor=may)
    EventFactory(title="Someone else's event")
    StatementFactory(speaker=may, text="We will act.")
    feed = read_feed(client, "?actor=theresa-may")
    assert {entry.title for entry in feed.entries} == {
        "Added event: May visits Calais",
        "Added statement: Theresa May: “We will act.”",
    }
    assert feed.feed.title == "Calais Timeline: new and changed records (actor: Theresa May)"


def test_the_feed_holds_the_fifty_records_saved_last(client, db):
    for day in range(1, 61):
        EventFactory(date=datetime.date(2016, 1, 1) + datetime.timedelta(days=day))
    assert len(read_feed(client).entries) == 50


def test_a_searched_feed_has_the_matching_records(client, db):
    EventFactory(title="Agreement on the Channel", summary="")
    EventFactory(title="Something else", summary="")
    titles = [entry.title for entry in read_feed(client, "?q=agreement").entries]
    assert titles == ["Added event: Agreement on the Channel"]


def test_the_feed_costs_the_same_queries_for_ten_or_three_hundred_records(
    client, make_records, django_assert_max_num_queries, settings
):
    settings.CACHE_PUBLIC_PAGES = False
    make_records(300)
    make_many_evidence(150)
    for model in (Event, Measure, Statement, MeasureStatus, Observation):
        model.history.bulk_history_create(list(model.objects.all()))
    with django_assert_max_num_queries(10):
        assert len(read_feed(client).entries) == 50


def test_a_tables_subscribe_links_give_the_feed_and_calendar_of_its_kind(client, article):
    """The events table offers the timeline's calendar and feed of events, with its filters."""
    html = client.get(reverse("timeline:event-list"), {"actor": "theresa-may"}).content.decode()

    feed = f"{reverse('timeline:feed')}?actor=theresa-may&amp;kind=event"
    calendar = f"{reverse('timeline:calendar')}?actor=theresa-may&amp;kind=event"
    assert f'<a href="{feed}" type="application/atom+xml">feed</a>' in html
    assert f'<a href="{calendar}">calendar</a>' in html
    events = feedparser.parse(client.get(feed.replace("&amp;", "&")).content)
    assert not events.bozo
    assert {entry.link.rsplit("/", 2)[-2] for entry in events.entries} == set(
        Event.objects.for_actor(Actor.objects.get(slug="theresa-may")).values_list(
            "slug", flat=True
        )
    )
