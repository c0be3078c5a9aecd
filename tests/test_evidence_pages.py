"""The public side of the evidence: passages beneath claims, measures' status histories and
links, indicators with their charts, attribution as printed, honest timing, and the schema.org
data of the detail pages."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.evidence_records import make_evidence
from timeline.models import MeasureStatus, Observation, Passage, Role, Statement
from timeline.public import structured
from timeline.signals import records_written


@pytest.fixture
def evidence(db, settings):
    settings.CACHE_PUBLIC_PAGES = False
    records = make_evidence()
    # As after an import's commit: the month counts are refreshed.
    records_written.send(sender=make_evidence)
    return records


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html):
    """The page's words, without tags and with spaces collapsed; a block ends with a space."""
    spaced = re.sub(r"</?(?:p|div|dt|dd|li|td|th|h[1-6])\b[^>]*>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", spaced))


def json_ld(html):
    (data,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(data)


def event_url(slug):
    return reverse("timeline:event-detail", args=[slug])


def measure_url(slug):
    return reverse("timeline:measure-detail", args=[slug])


def statement_url(slug):
    return reverse("timeline:statement-detail", args=[slug])


INDICATOR_URL = reverse("timeline:indicator-detail", args=["tunnel-attempts-a-night"])


# Passages


def test_an_event_page_shows_its_passage_with_source_date_paragraph_and_link(client, evidence):
    html = html_of(client, event_url("sandhurst-summit"))

    assert "Britain and France signed a new treaty on Thursday." in html
    words = text_of(html)
    assert (
        "UK and France sign Sandhurst treaty on Calais border, Reuters, 19 January 2018, "
        "paragraph 1" in words
    )
    assert reverse("timeline:passage-detail", args=["sandhurst-signed"]) in html


def test_a_passage_page_lists_every_record_resting_on_it(client, evidence):
    html = html_of(client, reverse("timeline:passage-detail", args=["sandhurst-signed"]))

    assert "Paragraph 1 of “UK and France sign Sandhurst treaty on Calais border”" in text_of(html)
    for url in (
        event_url("sandhurst-summit"),
        measure_url("sandhurst-treaty"),
        statement_url("may-treaty"),
    ):
        assert url in html
    # The measure's status change "signed" rests on it too.
    assert "Changes of a measure" in html
    assert statement_url("downing-street-good-deal") not in html


def test_a_role_shows_its_passages_and_its_dates_at_their_precision(client, evidence):
    role = Role.objects.get(slug="theresa-may-prime-minister")
    role.start, role.start_precision = datetime.date(2016, 1, 1), "year"
    role.save()
    role.passages.add(evidence["signed"])

    html = html_of(client, reverse("timeline:actor-detail", args=["theresa-may"]))

    assert 'from <time datetime="2016">2016</time>' in html
    assert "Britain and France signed a new treaty on Thursday." in html


def test_a_claim_without_a_passage_says_so(client, evidence):
    html = html_of(client, event_url("rudd-collomb-meeting"))

    assert "No passage cited." in html


# Measures: status over time, links


def test_a_measure_page_shows_its_status_history_with_dates_and_passages(client, evidence):
    html = html_of(client, measure_url("sandhurst-treaty"))
    words = text_of(html)

    assert "18 January 2018: signed" in words
    assert "1 February 2018: in force" in words
    assert words.index("18 January 2018: signed") < words.index("1 February 2018: in force")
    assert "It came into force on 1 February." in html
    assert "Status now in force since 1 February 2018" in words


def test_measure_links_show_on_both_measures_pages(client, evidence):
    sandhurst = text_of(html_of(client, measure_url("sandhurst-treaty")))
    le_touquet = html_of(client, measure_url("le-touquet"))

    assert "Supplements Le Touquet accord" in sandhurst
    assert "Supplemented by Sandhurst treaty" in text_of(le_touquet)
    assert measure_url("sandhurst-treaty") in le_touquet
    # The link's own passage, beneath it on both pages.
    assert "The treaty adds to the 2003 Le Touquet accord." in le_touquet


def test_a_measure_page_shows_its_place_cost_and_coding(client, evidence):
    words = text_of(html_of(client, measure_url("sandhurst-treaty")))

    assert "Place Calais" in words
    assert "Cost £44,500,000" in words
    assert "Policy area border control" in words
    assert "Direction more restrictive" in words
    assert "Target group irregular migrants" in words


def test_the_timeline_shows_a_measures_status_as_of_its_date(client, evidence):
    """Sandhurst is in force now; on 18 January 2018, its entry's date, it was signed."""
    html = html_of(client, reverse("timeline:timeline"))
    link = html.index('href="/measures/sandhurst-treaty/"')
    entry = html[html.rindex("<article", 0, link) : html.index("</article>", link)]

    assert ">signed</span>" in entry
    assert "in force" not in entry


def entry_of(html, href):
    link = html.index(f'href="{href}"')
    return html[html.rindex("<article", 0, link) : html.index("</article>", link)]


def test_a_status_change_is_a_timeline_entry_of_its_own_linked_to_its_measure(client, evidence):
    html = html_of(client, reverse("timeline:timeline"))
    entries = re.findall(r'<article class="entry entry-status">.*?</article>', html, re.S)

    # Sandhurst's signing is on its own entry, which is dated that day; coming into force is
    # an entry of its own.
    assert len(entries) == 1
    (entry,) = entries
    assert '<time datetime="2018-02-01">1 February 2018</time>' in entry
    assert '<a href="/measures/sandhurst-treaty/">Sandhurst treaty</a>: in force' in entry


def test_the_timeline_shows_observations_at_their_dates(client, evidence):
    html = html_of(client, reverse("timeline:timeline"))
    entries = re.findall(r'<article class="entry entry-observation">.*?</article>', html, re.S)

    assert len(entries) == 4
    assert '<time datetime="2015-07">late July 2015</time>' in entries[0]
    assert "about 2,000" in entries[0] and "Eurotunnel" in entries[0]
    assert INDICATOR_URL in entries[0]
    july = html.index('id="m2015-07"')
    assert july < html.index("about 2,000") < html.index('id="m2015-08"')


def test_a_timeline_of_events_alone_has_no_status_changes_or_figures(client, evidence):
    html = html_of(client, reverse("timeline:timeline") + "?kind=event")

    assert "entry-status" not in html and "entry-observation" not in html


def test_a_timeline_of_an_actor_has_the_figures_they_reported(client, evidence):
    html = html_of(client, reverse("timeline:timeline") + "?actor=eurotunnel")

    assert html.count('class="entry entry-observation"') == 3


@pytest.mark.parametrize(
    "day, listed",
    [("2018-01-20", False), ("2018-03-01", True), ("2017-12-31", False)],
)
def test_the_measures_table_finds_what_was_in_force_on_a_day(client, evidence, day, listed):
    html = html_of(client, reverse("timeline:measure-list") + f"?status=in-force&on={day}")

    assert (measure_url("sandhurst-treaty") in html) is listed
    assert measure_url("le-touquet") not in html


def test_the_measures_table_finds_what_was_signed_on_a_day_though_in_force_now(client, evidence):
    html = html_of(client, reverse("timeline:measure-list") + "?status=signed&on=2018-01-20")

    assert measure_url("sandhurst-treaty") in html
    assert measure_url("le-touquet") in html


def test_the_measures_table_filters_by_coding_and_shows_place_and_cost(client, evidence):
    html = html_of(client, reverse("timeline:measure-list") + "?policy_area=border-control")

    assert measure_url("sandhurst-treaty") in html
    assert measure_url("le-touquet") not in html
    assert "£44,500,000" in html
    assert reverse("timeline:place-detail", args=["calais"]) in html
    none = html_of(client, reverse("timeline:measure-list") + "?direction=less-restrictive")
    assert measure_url("sandhurst-treaty") not in none


# Attribution as printed, honest timing, review, sources


def test_a_statement_shows_the_attribution_as_printed_with_the_actor_linked(client, evidence):
    html = html_of(client, statement_url("downing-street-good-deal"))

    assert (
        'a Downing Street spokesperson (<a href="/actors/uk-government/">UK Government</a>)' in html
    )


def test_a_joint_statement_lists_every_speaker(client, evidence):
    html = html_of(client, statement_url("two-governments-together"))

    assert (
        '<a href="/actors/uk-government/">UK Government</a> and '
        '<a href="/actors/french-government/">French Government</a>'
    ) in html


def test_a_statement_without_a_speaker_shows_its_attribution(client, evidence):
    html = html_of(client, statement_url("british-official"))

    assert "<h1>a British official</h1>" in html
    assert "unreviewed" in html


def test_the_timeline_attributes_statements_as_printed(client, evidence):
    html = html_of(client, reverse("timeline:timeline"))

    assert "a Downing Street spokesperson (<a" in html
    assert "a British official" in html
    assert '<a href="/actors/french-government/">French Government</a>' in html


def test_a_by_date_reads_by_that_day(client, evidence):
    html = html_of(client, statement_url("downing-street-good-deal"))

    assert '<time datetime="2018-01-19">by 19 January 2018</time>' in html


def test_a_planned_event_reads_as_planned_everywhere(client, evidence):
    page = html_of(client, event_url("rudd-collomb-meeting"))
    timeline = html_of(client, reverse("timeline:timeline"))
    table = html_of(client, reverse("timeline:event-list"))
    feed = client.get(reverse("timeline:feed")).content.decode()

    assert "Planned: it had not happened when it was reported." in page
    assert "<title>Planned: Rudd and Collomb to meet" in page
    entry = timeline[timeline.index("/events/rudd-collomb-meeting/") - 700 :]
    assert 'class="tag tag-event-planned">planned</span>' in entry[:1200]
    assert ">planned</td>" in table
    assert "Planned: Rudd and Collomb to meet" in feed


def test_unreviewed_records_are_marked(client, evidence):
    page = html_of(client, event_url("rudd-collomb-meeting"))
    reviewed = html_of(client, event_url("sandhurst-summit"))

    assert 'class="tag tag-unreviewed"' in page
    assert 'class="tag tag-unreviewed"' not in reviewed


def test_a_source_without_a_publisher_reads_publisher_unknown(client, evidence):
    html = html_of(client, INDICATOR_URL)

    assert "Migrants at the tunnel</a></cite>, publisher unknown" in html


def test_a_sources_archived_copy_and_retrieval_date_are_shown(client, evidence):
    html = html_of(client, event_url("sandhurst-summit"))

    assert 'href="https://web.archive.org/web/2018/https://example.org/sandhurst"' in html
    assert '(retrieved <time datetime="2018-01-20">20 January 2018</time>)' in html


# Indicators


def test_an_indicator_page_charts_one_mark_an_observation(client, evidence):
    html = html_of(client, INDICATOR_URL)
    svg = html[html.index('<svg class="chart-svg"') : html.index("</svg>")]

    assert svg.count('<g class="observation') == Observation.objects.count() == 4
    assert svg.count('class="observation approximate') == 3
    assert 'role="img"' in svg and 'aria-labelledby="chart-title chart-desc"' in svg
    assert (
        '<title id="chart-title">Attempts to enter the Channel Tunnel a night over time</title>'
        in svg
    )
    desc = svg[svg.index("<desc") : svg.index("</desc>")]
    assert (
        "late July 2015: about 2,000 attempts a night (“about 2,000”), reported by Eurotunnel"
        in desc
    )
    assert "by 19 August 2015" in desc


def test_an_indicator_page_has_the_values_in_a_table_beside_the_chart(client, evidence):
    html = html_of(client, INDICATOR_URL)
    table = html[html.index('<table class="records compact observations-table">') :]
    table = table[: table.index("</table>")]

    assert table.count("<tr>") == 1  # the header
    assert table.count('<tr id="observation-') == 4  # each observation, by the id links name
    assert "as printed: “several hundred”" in table
    assert "about 300–500" in table
    assert '<time datetime="2015-07">late July 2015</time>' in table


def test_an_indicator_page_shows_each_values_passages(client, evidence):
    html = html_of(client, INDICATOR_URL)

    assert "About 2,000 attempts a night at the end of July." in html
    assert reverse("timeline:passage-detail", args=["tunnel-attempts"]) in html


def test_the_indicators_list_links_each_indicator(client, evidence):
    html = html_of(client, reverse("timeline:indicator-list"))

    assert INDICATOR_URL in html
    assert '<td class="num" data-label="Observations">4</td>' in html


def test_an_event_page_shows_its_observations_with_their_indicator(client, evidence):
    html = html_of(client, event_url("sandhurst-summit"))

    assert "Figures reported" in html
    assert INDICATOR_URL in html
    assert "1,200" in html


# schema.org JSON-LD


def test_a_verbatim_statement_is_a_quotation_by_its_speaker_in_the_role_held_then(client, evidence):
    data = json_ld(html_of(client, statement_url("may-treaty")))

    assert data["@type"] == "Quotation"
    assert data["creator"]["@type"] == "Person"
    assert data["creator"]["name"] == "Theresa May"
    assert data["creator"]["jobTitle"] == "Prime Minister"
    assert data["creator"]["worksFor"]["name"] == "UK Government"
    assert data["isBasedOn"]["headline"] == "UK and France sign Sandhurst treaty on Calais border"
    assert data["citation"][0]["publisher"]["name"] == "Reuters"


def test_a_joint_statement_names_every_creator(client, evidence):
    data = json_ld(html_of(client, statement_url("two-governments-together")))

    assert [creator["name"] for creator in data["creator"]] == [
        "UK Government",
        "French Government",
    ]


def test_an_event_is_an_event_with_its_status(client, evidence):
    planned = json_ld(html_of(client, event_url("rudd-collomb-meeting")))
    happened = json_ld(html_of(client, event_url("sandhurst-summit")))

    assert planned["@type"] == "Event"
    assert planned["eventStatus"] == "https://schema.org/EventScheduled"
    assert planned["startDate"] == "2018-02"
    assert "eventStatus" not in happened
    assert happened["location"]["name"] == "Calais"
    assert happened["citation"][0]["url"] == "https://example.org/sandhurst"


def test_a_cancelled_event_is_event_cancelled(client, evidence):
    evidence["meeting"].status = "cancelled"
    evidence["meeting"].save()

    data = json_ld(html_of(client, event_url("rudd-collomb-meeting")))

    assert data["eventStatus"] == "https://schema.org/EventCancelled"


def test_an_indicator_is_a_dataset(client, evidence):
    data = json_ld(html_of(client, INDICATOR_URL))

    assert data["@type"] == "Dataset"
    assert data["variableMeasured"]["unitText"] == "attempts a night"
    assert data["temporalCoverage"] == "2015-07-21/2015-08-23"


def test_structured_data_cannot_close_its_script_element(client, evidence):
    statement = evidence["quotation"]
    statement.text = "</script><script>alert(1)</script> & more"
    statement.save()

    html = html_of(client, statement_url("downing-street-good-deal"))

    assert "<script>alert(1)" not in html
    assert json_ld(html)["text"] == "</script><script>alert(1)</script> & more"


def test_script_escapes_markup_characters():
    assert str(structured.script({"a": "<b>&"})) == '{"a": "\\u003cb\\u003e\\u0026"}'


# Query counts: the new pages, and the detail pages with evidence, stay constant


def more_evidence(records, n):
    """``n`` more passages, status changes and observations on the records' pages."""
    source, sandhurst = records["source"], records["sandhurst"]
    for number in range(n):
        passage = Passage.objects.create(
            slug=f"extra-{number}", source=source, paragraph=10 + number, text=f"Extra {number}."
        )
        change = MeasureStatus.objects.create(
            slug=f"extra-change-{number}",
            measure=sandhurst,
            status="in-force",
            date=datetime.date(2019, 1, 1) + datetime.timedelta(days=number),
        )
        change.passages.add(passage)
        observation = Observation.objects.create(
            slug=f"extra-observation-{number}",
            indicator=records["indicator"],
            value=Decimal(number),
            date=datetime.date(2016, 1, 1) + datetime.timedelta(days=number),
            reported_by=records["quotation"].speaker,
            event=records["summit"],
            measure=sandhurst,
        )
        observation.sources.add(source)
        observation.passages.add(passage, records["signed"])
        for record in (records["summit"], sandhurst, records["quotation"]):
            record.passages.add(passage)
        Statement.objects.get(slug="may-treaty").passages.add(passage)
        Role.objects.get(slug="theresa-may-prime-minister").passages.add(passage)


NEW_PAGES = {
    "passage-detail": (reverse("timeline:passage-detail", args=["sandhurst-signed"]), 8),
    "indicator-detail": (INDICATOR_URL, 5),
    "indicator-list": (reverse("timeline:indicator-list"), 2),
    "event-detail": (event_url("sandhurst-summit"), 9),
    "measure-detail": (measure_url("sandhurst-treaty"), 10),
    "statement-detail": (statement_url("downing-street-good-deal"), 7),
    "timeline": (reverse("timeline:timeline"), 10),
    "actor-detail": (reverse("timeline:actor-detail", args=["theresa-may"]), 10),
    "measure-list-status-on": (
        reverse("timeline:measure-list") + "?status=signed&on=2018-01-20",
        8,
    ),
}


def queries_for(client, url):
    records_written.send(sender=make_evidence)
    # What a committed write would do: nothing computed before it is reused.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", NEW_PAGES)
def test_evidence_pages_cost_the_same_queries_however_much_evidence(client, evidence, page):
    url, most = NEW_PAGES[page]
    before = queries_for(client, url)

    more_evidence(evidence, 12)
    after = queries_for(client, url)

    assert after == before
    assert after <= most
