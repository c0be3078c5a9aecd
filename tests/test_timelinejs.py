"""/timeline.json in TimelineJS3's format, and the story pages that run TimelineJS3 on it."""

import datetime

import pytest
from django.urls import reverse

from tests.evidence_records import make_evidence, make_many_evidence, timeline_page_entries
from tests.factories import EventFactory, SourceFactory, StatementFactory
from timeline.dates import DatePrecision
from timeline.models import Statement
from timeline.public import timelinejs

# Dates that hold a status change and observations, and leave out a measure of 2003.
EVIDENCE_DATES = {"start": "2015-07-01", "end": "2018-03-01"}
KINDS = {group: kind for kind, group in timelinejs.GROUPS.items()}


WARNED = "Welcomed the agreement, but warned that the camps would return."


def timeline_json(client, query=""):
    response = client.get(reverse("timeline:timeline-json") + query)
    assert response["Content-Type"] == "application/json"
    return response.json()


def slides_by_id(document):
    return {slide["unique_id"]: slide for slide in document["events"]}


@pytest.mark.parametrize(
    ("precision", "day", "expected"),
    [
        (DatePrecision.DAY, datetime.date(2015, 8, 20), {"year": 2015, "month": 8, "day": 20}),
        (DatePrecision.WEEK, datetime.date(2015, 8, 17), {"year": 2015, "month": 8, "day": 17}),
        (DatePrecision.LATE_MONTH, datetime.date(2015, 7, 21), {"year": 2015, "month": 7}),
        (DatePrecision.MONTH, datetime.date(2015, 7, 1), {"year": 2015, "month": 7}),
        (DatePrecision.YEAR, datetime.date(2015, 1, 1), {"year": 2015}),
        (DatePrecision.BY, datetime.date(2015, 8, 19), {"year": 2015, "month": 8, "day": 19}),
    ],
)
def test_a_start_date_has_only_the_parts_its_precision_allows(precision, day, expected):
    parts = timelinejs.date_parts(day, precision)
    assert {k: v for k, v in parts.items() if k != "display_date"} == expected


def slide_entries(document):
    """(kind, slug) of each slide, in order."""
    entries = []
    for slide in document["events"]:
        kind = KINDS[slide["group"]]
        entries.append((kind, slide["unique_id"].removeprefix(f"{kind}-")))
    return entries


def test_every_entry_of_the_timeline_is_a_slide(client, article):
    assert slide_entries(timeline_json(client)) == timeline_page_entries(client)


def test_the_slides_are_the_timeline_pages_entries_with_its_status_changes_and_figures(client, db):
    make_evidence()
    query = "?start=2015-07-01&end=2018-03-01"
    entries = slide_entries(timeline_json(client, query))
    assert entries == timeline_page_entries(client, EVIDENCE_DATES)
    assert ("status", "sandhurst-in-force") in entries
    assert ("observation", "tunnel-attempts-late-july-2015") in entries
    assert ("measure", "le-touquet") not in entries


def test_a_status_change_and_a_figure_say_what_they_are_and_link_to_their_pages(client, db):
    make_evidence()
    document = timeline_json(client)
    slides = dict(zip(slide_entries(document), document["events"], strict=True))
    change = slides["status", "sandhurst-in-force"]
    assert change["text"]["headline"] == "Sandhurst treaty: in force"
    assert change["url"] == "http://testserver/measures/sandhurst-treaty/"
    figure = slides["observation", "tunnel-attempts-late-july-2015"]
    assert figure["start_date"] == {"year": 2015, "month": 7, "display_date": "late July 2015"}
    assert "about 2,000" in figure["text"]["headline"]
    assert figure["url"] == "http://testserver/indicators/tunnel-attempts-a-night/"


def test_a_deadline_keeps_its_day(client, db):
    make_evidence()
    slide = slides_by_id(timeline_json(client))["british-official"]
    assert slide["start_date"] == {
        "year": 2018,
        "month": 1,
        "day": 19,
        "display_date": "by 19 January 2018",
    }


def test_a_slide_says_its_precision_in_words_and_links_back_to_its_record(client, article):
    slide = slides_by_id(timeline_json(client))["tunnel-intrusion-attempts-peak"]
    assert slide["start_date"] == {"year": 2015, "month": 7, "display_date": "late July 2015"}
    assert slide["display_date"] == "late July 2015"
    url = "http://testserver" + reverse("timeline:event-detail", args=[slide["unique_id"]])
    assert slide["url"] == url
    assert f'href="{url}"' in slide["text"]["text"]


def test_a_year_only_record_has_no_month(client, article):
    slide = slides_by_id(timeline_json(client))["calais-migrant-crisis-escalates-2015"]
    assert slide["start_date"] == {"year": 2015, "display_date": "2015"}


def test_the_source_is_the_credit_linked_to_the_article(client, db):
    source = SourceFactory(publisher="AFP", published_on=datetime.date(2015, 8, 19))
    EventFactory(slug="with-source", sources=[source])
    slide = slides_by_id(timeline_json(client))["with-source"]
    assert slide["media"]["credit"] == f'<a href="{source.url}">AFP, 19 August 2015</a>'
    assert source.title in slide["media"]["url"]


def test_a_source_title_that_timelinejs_would_take_for_a_player_goes_in_the_text(client, db):
    source = SourceFactory(title="Ministers discuss Spotify and the Channel")
    EventFactory(slug="player-like", sources=[source])
    slide = slides_by_id(timeline_json(client))["player-like"]
    assert "media" not in slide
    assert "Sources: " in slide["text"]["text"]


def test_text_is_escaped(client, db):
    EventFactory(slug="markup", title="<script>alert(1)</script>", summary="a < b & c")
    slide = slides_by_id(timeline_json(client))["markup"]
    assert slide["text"]["headline"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert "<p>a &lt; b &amp; c</p>" in slide["text"]["text"]


def test_a_slide_quotes_a_quotation_and_not_reported_speech(client, db):
    StatementFactory(slug="quoted", kind="quotation", text="We need agreements.")
    StatementFactory(
        slug="warned",
        kind="reported",
        text=WARNED,
    )
    slides = slides_by_id(timeline_json(client))
    assert slides["quoted"]["text"]["text"].startswith(
        "<p>“We need agreements.” (verbatim quotation)</p>"
    )
    assert slides["warned"]["text"]["text"].startswith(f"<p>{WARNED} (reported speech)</p>")


def test_the_json_is_filtered_like_the_timeline(client, article):
    document = timeline_json(client, "?actor=keith-vaz&kind=statement")
    assert {slide["group"] for slide in document["events"]} == {"Statements"}
    assert len(document["events"]) == Statement.objects.filter(speaker__slug="keith-vaz").count()


def test_a_slug_shared_by_two_kinds_gets_a_unique_id_all_the_same(client, db):
    EventFactory(slug="same", date=datetime.date(2016, 1, 1))
    StatementFactory(slug="same", date=datetime.date(2016, 1, 2))
    ids = [slide["unique_id"] for slide in timeline_json(client)["events"]]
    assert ids == ["same", "statement-same"]


def test_a_long_timeline_gives_its_first_slides_and_says_how_many_there_are(
    client, make_records, monkeypatch
):
    make_records(30)
    monkeypatch.setattr(timelinejs, "MOST_SLIDES", 10)
    document = timeline_json(client)
    assert len(document["events"]) == 10
    assert "the first 10 of 30 entries" in document["title"]["text"]["text"]


def test_the_json_costs_the_same_queries_for_ten_or_three_hundred_records(
    client, make_records, django_assert_max_num_queries, settings
):
    settings.CACHE_PUBLIC_PAGES = False
    make_records(300)
    make_many_evidence(150)
    with django_assert_max_num_queries(12):
        document = timeline_json(client)
    assert {"Status changes", "Figures"} <= {slide["group"] for slide in document["events"]}


def test_the_story_page_points_timelinejs_at_the_json_and_local_files(client, article):
    response = client.get(reverse("timeline:story") + "?actor=keith-vaz")
    html = response.content.decode()
    assert 'data-timeline-url="/timeline.json?actor=keith-vaz"' in html
    assert 'data-font="/static/timeline/story-font.css"' in html
    assert 'data-script-path="/static/vendor/timelinejs3/js/"' in html
    assert "http://testserver/story/embed/?actor=keith-vaz" in html  # the snippet to paste
    assert "<script>" not in html


def test_only_the_embed_may_be_framed_by_other_sites(client, article):
    story = client.get(reverse("timeline:story"))
    embed = client.get(reverse("timeline:story-embed"))
    assert story["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in story["Content-Security-Policy"]
    assert not embed.has_header("X-Frame-Options")
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert "script-src 'self'" in embed["Content-Security-Policy"]
    again = client.get(reverse("timeline:story-embed"))  # from the page cache
    assert not again.has_header("X-Frame-Options")
    assert "frame-ancestors *" in again["Content-Security-Policy"]
