"""/calendar.ics, read back by the icalendar library as a calendar application reads it."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from tests.evidence_records import make_evidence, make_many_evidence, timeline_page_entries
from tests.factories import EventFactory, StatementFactory
from timeline import dates
from timeline.dates import DatePrecision
from timeline.models import Measure

WARNED = "Welcomed the agreement, but warned that the camps would return."


def calendar_events(client, query=""):
    response = client.get(reverse("timeline:calendar") + query)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def calendar_entries(events):
    """(kind, slug) of each event, from its UID ("<kind>-<slug>@<host>"), in the file's order."""
    entries = []
    for uid, event in events.items():
        kind = str(event["categories"].cats[0])
        entries.append((kind, uid.removeprefix(f"{kind}-").rsplit("@", 1)[0]))
    return entries


def test_the_calendar_has_one_event_per_entry_of_the_timeline(client, article):
    events = calendar_events(client)
    assert calendar_entries(events) == timeline_page_entries(client)
    assert "event-uk-france-calais-agreement@testserver" in events


def test_the_calendar_holds_the_timeline_pages_status_changes_and_figures(client, db):
    make_evidence()
    query = {"start": "2015-07-01", "end": "2018-03-01"}
    events = calendar_events(client, "?start=2015-07-01&end=2018-03-01")
    entries = calendar_entries(events)
    assert entries == timeline_page_entries(client, query)
    assert ("status", "sandhurst-in-force") in entries
    change = events["status-sandhurst-in-force@testserver"]
    assert change.decoded("dtstart") == datetime.date(2018, 2, 1)
    assert str(change["summary"]) == "Sandhurst treaty: in force"
    assert str(change["url"]) == "http://testserver/measures/sandhurst-treaty/"
    figure = events["observation-tunnel-attempts-late-july-2015@testserver"]
    assert figure.decoded("dtstart") == datetime.date(2015, 7, 21)
    assert figure.decoded("dtend") == datetime.date(2015, 8, 1)
    assert "about 2,000" in str(figure["summary"])


def test_a_deadline_is_an_all_day_event_on_its_day(client, db):
    make_evidence()
    event = calendar_events(client)["statement-british-official@testserver"]
    assert event.decoded("dtstart") == datetime.date(2018, 1, 19)
    assert event.decoded("dtend") == datetime.date(2018, 1, 20)


def test_a_day_precise_record_is_an_all_day_event_on_its_day(client, db):
    EventFactory(slug="on-the-day", title="Agreement signed", date=datetime.date(2015, 8, 20))
    event = calendar_events(client)["event-on-the-day@testserver"]
    assert event.decoded("dtstart") == datetime.date(2015, 8, 20)
    assert event.decoded("dtend") == datetime.date(2015, 8, 21)
    assert str(event["summary"]) == "Agreement signed"
    assert str(event["url"]) == "http://testserver" + reverse(
        "timeline:event-detail", args=["on-the-day"]
    )


@pytest.mark.parametrize(
    ("precision", "day", "end"),
    [
        (DatePrecision.WEEK, datetime.date(2015, 8, 17), datetime.date(2015, 8, 24)),
        (DatePrecision.EARLY_MONTH, datetime.date(2015, 7, 1), datetime.date(2015, 7, 11)),
        (DatePrecision.MID_MONTH, datetime.date(2015, 7, 11), datetime.date(2015, 7, 21)),
        (DatePrecision.LATE_MONTH, datetime.date(2015, 7, 21), datetime.date(2015, 8, 1)),
        (DatePrecision.MONTH, datetime.date(2015, 12, 1), datetime.date(2016, 1, 1)),
        (DatePrecision.YEAR, datetime.date(2015, 1, 1), datetime.date(2016, 1, 1)),
    ],
)
def test_a_coarser_record_spans_its_period_and_says_it_is_approximate(
    client, db, precision, day, end
):
    EventFactory(slug="coarse", title="Crossings rise", date=day, date_precision=precision)
    event = calendar_events(client)["event-coarse@testserver"]
    wording = dates.display(day, precision)
    assert event.decoded("dtstart") == day
    assert event.decoded("dtend") == end
    assert str(event["summary"]) == f"Crossings rise (approximate date: {wording})"
    assert f"Approximate date: the source says {wording}" in str(event["description"])


def test_a_statement_is_summarised_by_its_speaker_and_words(client, db):
    StatementFactory(slug="said", speaker__name="Keith Vaz", text="UK–France talks must go on.")
    event = calendar_events(client)["statement-said@testserver"]
    assert str(event["summary"]) == "Keith Vaz: “UK–France talks must go on.”"


def test_reported_speech_is_not_put_in_quotation_marks(client, db):
    StatementFactory(
        slug="warned",
        speaker__name="Keith Vaz",
        kind="reported",
        text=WARNED,
    )
    event = calendar_events(client)["statement-warned@testserver"]
    assert (
        str(event["summary"])
        == "Keith Vaz welcomed the agreement, but warned that the camps would return."
    )
    assert "“" not in str(event["description"])
    assert f"{WARNED} (reported speech)" in str(event["description"])


def test_the_calendar_is_filtered_like_the_timeline(client, article):
    events = calendar_events(client, "?kind=measure")
    assert calendar_entries(events) == timeline_page_entries(client, {"kind": "measure"})
    assert len(events) >= Measure.objects.count()


def test_the_uid_of_a_record_stays_the_same_when_it_changes(client, db):
    event = EventFactory(slug="kept", title="Before")
    first = set(calendar_events(client))
    event.title = "After"
    event.save()
    assert set(calendar_events(client)) == first


def test_the_calendar_costs_the_same_queries_for_ten_or_three_hundred_records(
    client, make_records, django_assert_max_num_queries, settings
):
    settings.CACHE_PUBLIC_PAGES = False
    make_records(300)
    make_many_evidence(150)
    with django_assert_max_num_queries(12):
        events = calendar_events(client)
    assert {"status", "observation"} <= {kind for kind, _ in calendar_entries(events)}
