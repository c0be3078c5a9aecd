"""The timeline at /: order, grouping by month, the histogram, filters, search and paging."""

import datetime

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    EventFactory,
    MeasureStatusFactory,
    ObservationFactory,
    SourceFactory,
)
from timeline import dates
from timeline.dates import DatePrecision
from timeline.models import Event, Measure, MeasureStatus, Observation, Statement

TIMELINE = reverse("timeline:timeline")
YEAR, LATE_MONTH = DatePrecision.YEAR, DatePrecision.LATE_MONTH


def entry_slugs(response):
    return [
        entry.record.slug for group in response.context_data["groups"] for entry in group.entries
    ]


def article_entry_count():
    """The records, and the timeline's other entries: observations, and the status changes
    not dated as their measure is (those are on the measure's own entry)."""
    changes = MeasureStatus.objects.exclude(
        date=F("measure__date"), date_precision=F("measure__date_precision")
    )
    return (
        Event.objects.count()
        + Measure.objects.count()
        + Statement.objects.count()
        + changes.count()
        + Observation.objects.count()
    )


def group_labels(response):
    return [group.bucket.label for group in response.context_data["groups"]]


def test_timeline_lists_every_entry_of_the_article(client, article):
    response = client.get(TIMELINE)

    assert response.status_code == 200
    assert len(entry_slugs(response)) == article_entry_count()
    assert response.context_data["page_obj"].paginator.count == article_entry_count()


def test_timeline_is_in_chronological_order(client, article):
    response = client.get(TIMELINE)

    days = [
        entry.record.date for group in response.context_data["groups"] for entry in group.entries
    ]
    assert days == sorted(days)
    slugs = entry_slugs(response)
    assert slugs.index("tunnel-intrusion-attempts-peak") < slugs.index("keith-vaz-domino-principle")
    assert slugs.index("keith-vaz-domino-principle") < slugs.index("theresa-may-visits-calais")


def test_timeline_groups_by_month_with_year_only_records_in_their_year(client, article):
    response = client.get(TIMELINE)

    assert group_labels(response) == ["2015", "July 2015", "August 2015"]
    year_group = response.context_data["groups"][0]
    assert {entry.record.slug for entry in year_group.entries} == {
        "calais-migrant-crisis-escalates-2015",
        "calais-crisis-strains-uk-france-relations",
    }
    assert 'id="m2015-01"' not in response.content.decode()


def test_timeline_shows_dates_at_their_precision_in_time_elements(client, article):
    response = client.get(TIMELINE)

    assert '<time datetime="2015">2015</time>' in response.content.decode()
    assert '<time datetime="2015-07">late July 2015</time>' in response.content.decode()
    assert '<time datetime="2015-W34">week of 17 August 2015</time>' in response.content.decode()
    assert '<time datetime="2015-08-20">20 August 2015</time>' in response.content.decode()


def test_timeline_entries_link_actors_and_cite_their_source(client, article):
    response = client.get(TIMELINE)

    assert reverse("timeline:actor-detail", args=["theresa-may"]) in response.content.decode()
    source_url = reverse("timeline:source-detail", args=["afp-2015-08-19-uk-police-head-to-france"])
    assert response.content.decode().count(source_url) >= 20


def test_histogram_counts_entries_per_month_and_year(client, article):
    response = client.get(TIMELINE)

    (year,) = response.context_data["histogram"]
    counts = {bar.bucket.label: bar.count for bar in year.bars}
    assert counts["2015"] == 2
    # A measure, and the late-July observation.
    assert counts["July 2015"] == 1 + Observation.objects.filter(date__month=7).count()
    assert counts["August 2015"] == article_entry_count() - counts["2015"] - counts["July 2015"]
    assert counts["January 2015"] == 0
    assert len(year.bars) == 13


def test_histogram_bars_link_into_the_timeline(client, article):
    response = client.get(TIMELINE)

    assert 'href="?page=1#m2015-08"' in response.content.decode()
    assert 'id="m2015-08"' in response.content.decode()


def test_histogram_bar_links_to_the_page_holding_its_month(client, db):
    EventFactory.create_batch(55, date=datetime.date(2016, 1, 5))
    EventFactory.create_batch(5, date=datetime.date(2016, 2, 5))

    response = client.get(TIMELINE)

    bars = {bar.bucket.label: bar for bar in response.context_data["histogram"][0].bars}
    assert bars["January 2016"].page == 1
    assert bars["February 2016"].page == 2
    page_two = client.get(TIMELINE, {"page": 2})
    assert group_labels(page_two) == ["January 2016", "February 2016"]
    assert len(entry_slugs(page_two)) == 10


def test_every_page_holds_the_entries_a_full_sort_puts_there(client, db):
    """A page seeks to the month it starts in (Timeline.__getitem__). Page boundaries here fall
    inside January 2016, behind its year-only entries (dated 1 January), and at January 2017."""
    day, month, week, year = (
        DatePrecision.DAY,
        DatePrecision.MONTH,
        DatePrecision.WEEK,
        DatePrecision.YEAR,
    )
    dated = (
        [(datetime.date(2015, 3, 2 + n % 20), day) for n in range(12)]
        + [(datetime.date(2016, 1, 1), year)] * 8
        + [(datetime.date(2016, 1, 4 + n % 3), day) for n in range(40)]
        + [(datetime.date(2016, 2, 1), month)] * 10
        + [(datetime.date(2016, 2, 1 + n % 28), day) for n in range(20)]
        + [(datetime.date(2017, 1, 1), year)] * 6
        + [(datetime.date(2017, 1, 2 + n % 5), day) for n in range(24)]
        + [(datetime.date(2017, 5, 1 + 7 * (n % 4)), week) for n in range(20)]
    )
    for number, (date, precision) in enumerate(dated):
        EventFactory(slug=f"event-{(number * 37) % 140:03d}", date=date, date_precision=precision)
    every = list(Event.objects.chronological().values_list("slug", flat=True))

    pages = [entry_slugs(client.get(TIMELINE, {"page": page})) for page in (1, 2, 3)]

    assert len(every) == 140
    assert pages == [every[0:50], every[50:100], every[100:140]]


@pytest.mark.parametrize(
    "date_range",
    [
        {"start": "2016-01-06"},
        {"end": "2016-02-01"},
        {"start": "2015-12-30", "end": "2016-02-03"},
    ],
)
def test_a_date_ranges_pages_hold_the_entries_in_range_a_full_sort_puts_there(
    client, db, date_range
):
    """The timeline narrows its index to the range when it runs (dates.in_range_sql): every
    page holds what the ORM's in_range, fully sorted, puts there, at every precision."""
    precisions = list(DatePrecision)
    first = datetime.date(2015, 12, 1)
    for number in range(240):
        precision = precisions[number % len(precisions)]
        day = dates.expected_start(first + datetime.timedelta(days=number % 75), precision)
        EventFactory(slug=f"event-{(number * 37) % 240:03d}", date=day, date_precision=precision)
    start, end = date_range.get("start"), date_range.get("end")
    in_range = Event.objects.in_range(start and datetime.date.fromisoformat(start), end)
    every = list(in_range.chronological().values_list("slug", flat=True))

    pages = [entry_slugs(client.get(TIMELINE, {**date_range, "page": page})) for page in (1, 2, 3)]

    assert len(every) > 100
    assert pages == [every[0:50], every[50:100], every[100:150]]


def test_a_page_in_the_month_of_the_last_status_change_and_observation_still_shows_them(client, db):
    """A page leaves out of its index query the status changes or the observations when none
    is dated in or after the month it starts in; those of that very month stay on it."""
    january, march = datetime.date(2016, 1, 4), datetime.date(2016, 3, 1)
    EventFactory.create_batch(60, date=january)
    EventFactory.create_batch(45, date=march)
    MeasureStatusFactory(slug="late-change", date=datetime.date(2016, 3, 31))
    ObservationFactory(slug="late-count", date=datetime.date(2016, 3, 30), event__date=march)
    assert article_entry_count() == 109

    pages = [entry_slugs(client.get(TIMELINE, {"page": page})) for page in (1, 2, 3)]

    assert {"late-change", "late-count"} <= set(pages[2])
    assert sum(len(page) for page in pages) == 109
    assert len({slug for page in pages for slug in page}) == 109


def test_a_page_after_the_last_status_change_does_not_read_the_status_changes(client, db):
    MeasureStatusFactory(date=datetime.date(2015, 6, 1), measure__date=datetime.date(2015, 5, 1))
    EventFactory.create_batch(60, date=datetime.date(2016, 3, 1))
    client.get(TIMELINE)  # the counts per month, kept until the next write

    with CaptureQueriesContext(connection) as queries:
        response = client.get(TIMELINE, {"page": 2})

    assert len(entry_slugs(response)) == 12
    (index_query,) = [query["sql"] for query in queries if "entry_kind" in query["sql"]]
    assert "timeline_event" in index_query
    assert "timeline_measurestatus" not in index_query


def test_timeline_out_of_range_page_shows_the_last_page(client, article):
    response = client.get(TIMELINE, {"page": 99})

    assert response.status_code == 200
    assert response.context_data["page_obj"].number == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"actor": "theresa-may"},
            {
                "theresa-may-visits-calais",
                "uk-france-calais-agreement",
                # agreed at the second, which she signed
                "british-police-officers-deployed-to-calais",
                "calais-command-and-control-centre",
                "extra-french-policing-units",
                "additional-freight-searches",
                "calais-railhead-security",
            },
        ),
        (
            {"actor": "home-office"},
            {
                "home-office-announces-police-deployment",
                "british-police-officers-deployed-to-calais",
                "calais-command-and-control-centre",
                "home-office-british-police-to-be-deployed",
                "home-office-centre-will-find-and-disrupt",
            },
        ),
        (
            {"kind": "statement", "actor": "keith-vaz"},
            {
                "keith-vaz-domino-principle",
                "keith-vaz-agreements-across-north-coast",
                "keith-vaz-welcomes-agreement-warns-of-other-ports",
            },
        ),
        (
            {"category": "policing", "kind": "measure"},
            {
                "british-police-officers-deployed-to-calais",
                "extra-french-policing-units",
                "additional-freight-searches",
            },
        ),
        (
            {"category": "policing"},
            {
                "british-police-officers-deployed-to-calais",
                "extra-french-policing-units",
                "additional-freight-searches",
                "home-office-announces-police-deployment",
                "uk-france-calais-agreement",
                "home-office-british-police-to-be-deployed",
            },
        ),
        ({"q": "DOMINO"}, {"keith-vaz-domino-principle"}),
        ({"q": "railhead"}, {"calais-railhead-security", "uk-france-calais-agreement"}),
        (
            {"start": "2015-07-25", "end": "2015-08-16"},
            {
                "calais-migrant-crisis-escalates-2015",
                "calais-crisis-strains-uk-france-relations",
                "tunnel-intrusion-attempts-peak",
                # The observation of the end of July, on the timeline at its date.
                "tunnel-intrusion-attempts-end-of-july-2015",
            },
        ),
    ],
)
def test_timeline_filters_narrow_the_entries(client, article, params, expected):
    response = client.get(TIMELINE, params)

    assert set(entry_slugs(response)) == expected


def test_timeline_kind_filter_keeps_one_kind(client, article):
    response = client.get(TIMELINE, {"kind": "measure"})

    assert {entry.kind for group in response.context_data["groups"] for entry in group.entries} == {
        "measure"
    }
    assert len(entry_slugs(response)) == 6


def test_timeline_source_filter_keeps_the_source_records(client, article):
    response = client.get(TIMELINE, {"source": "afp-2015-08-19-uk-police-head-to-france"})

    assert len(entry_slugs(response)) == article_entry_count()


def test_timeline_source_filter_is_a_search_box_not_a_select(client, article):
    html = client.get(TIMELINE).content.decode()

    field = html[html.index('<div class="field field-source">') :]
    field = field[: field.index("</div>")]
    assert '<input type="search" name="source"' in field
    assert "<select" not in field and "<datalist" not in field


def test_timeline_source_filter_finds_sources_by_the_words_of_their_publisher(client, article):
    from_the_article = article_entry_count()
    other = SourceFactory(publisher="Reuters", title="Channel talks")
    EventFactory(slug="reported-by-reuters", sources=[other])

    by_publisher = client.get(TIMELINE, {"source": "afp"})
    by_title = client.get(TIMELINE, {"source": "police head France"})
    by_other = client.get(TIMELINE, {"source": "reuters"})

    assert len(entry_slugs(by_publisher)) == from_the_article
    assert len(entry_slugs(by_title)) == from_the_article
    assert entry_slugs(by_other) == ["reported-by-reuters"]
    assert 'value="afp"' in by_publisher.content.decode()


def test_timeline_source_filter_of_no_known_source_shows_nothing(client, article):
    response = client.get(TIMELINE, {"source": "no-such-source"})

    assert entry_slugs(response) == []


def test_timeline_place_filter_keeps_what_the_place_page_shows(client, article):
    place_page = client.get(reverse("timeline:place-detail", args=["channel-tunnel"]))
    groups = place_page.context_data["groups"]  # a Jinja2 page
    on_the_page = [e.record.slug for group in groups for e in group.entries]

    by_slug = client.get(TIMELINE, {"place": "channel-tunnel"})
    by_name = client.get(TIMELINE, {"place": "Tunnel"})

    assert entry_slugs(by_slug) == on_the_page
    assert entry_slugs(by_name) == on_the_page
    assert len(on_the_page) == 3


def test_timeline_date_range_counts_a_period_that_overlaps_it(client, article):
    response = client.get(TIMELINE, {"start": "2015-08-21", "end": "2015-08-23"})

    assert set(entry_slugs(response)) == {
        "calais-migrant-crisis-escalates-2015",
        "calais-crisis-strains-uk-france-relations",
        "tunnel-intrusion-attempts-fall",
        "illegal-activity-at-other-channel-ports",
        "eurotunnel-intrusion-attempts-down-to-150",
        "tunnel-intrusion-attempts-week-of-17-august-2015",
    }
    # Dated "by 19 August 2015", the day of publication: on or before it, never after.
    assert not {"keith-vaz-domino-principle", "north-coast-agreements"} & set(entry_slugs(response))


def test_timeline_shows_an_error_for_an_unknown_actor_and_ignores_it(client, article):
    response = client.get(TIMELINE, {"actor": "nobody", "kind": "event"})

    assert "Select a valid choice" in response.content.decode()
    assert len(entry_slugs(response)) == Event.objects.count()


def test_timeline_rejects_a_range_that_ends_before_it_starts(client, article):
    response = client.get(TIMELINE, {"start": "2015-08-20", "end": "2015-08-01"})

    html = response.content.decode()
    assert (
        '<p class="field-error" id="id_end_error">'
        "The end date must not be before the start date.</p>"
    ) in html
    assert len(entry_slugs(response)) == article_entry_count()


def test_timeline_filters_by_neither_date_of_a_reversed_range(client, article):
    """With an end before the start, the start alone used to filter (everything after it)."""
    reversed_range = {"kind": "event", "start": "2015-08-20", "end": "2015-08-01"}

    response = client.get(TIMELINE, reversed_range)

    assert len(entry_slugs(response)) == Event.objects.count()


def test_timeline_says_a_record_counts_when_its_period_overlaps_the_dates(client, article):
    """Why "Migrant crisis at Calais escalates", dated 2015, shows from 19 August 2015."""
    response = client.get(TIMELINE, {"start": "2015-08-19"})

    html = response.content.decode()
    assert "calais-migrant-crisis-escalates-2015" in entry_slugs(response)
    help_text = (
        '<p class="field-help" id="id_start_helptext">A record counts if its period overlaps the '
        "dates: one dated “2015” counts for any day of 2015.</p>"
    )
    assert help_text in html


def test_timeline_says_when_nothing_matches(client, article):
    response = client.get(TIMELINE, {"q": "no such words anywhere"})

    assert "No entries match these filters." in response.content.decode()
    assert response.context_data["histogram"] == []


def test_timeline_filter_form_keeps_its_values(client, article):
    response = client.get(TIMELINE, {"actor": "keith-vaz", "q": "ports"})

    html = response.content.decode()
    assert '<option value="keith-vaz" selected>' in html
    assert 'value="ports"' in html


def test_year_only_records_come_before_the_months_of_their_year(client, db):
    EventFactory(slug="in-january", date=datetime.date(2016, 1, 1))
    EventFactory(slug="sometime-2016", date=datetime.date(2016, 1, 1), date_precision=YEAR)
    EventFactory(slug="late-2015", date=datetime.date(2015, 12, 21), date_precision=LATE_MONTH)

    response = client.get(TIMELINE)

    assert entry_slugs(response) == ["late-2015", "sometime-2016", "in-january"]
    assert group_labels(response) == ["December 2015", "2016", "January 2016"]


def test_pagination_links_keep_the_filters_and_mark_the_current_page(client, db):
    EventFactory.create_batch(120, date=datetime.date(2016, 1, 5), title="Calais talks")

    html = client.get(TIMELINE, {"q": "calais", "page": 2}).content.decode()

    nav = html[html.index('<nav class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    assert '<a href="?q=calais&amp;page=1" rel="prev">' in nav
    assert '<a href="?q=calais&amp;page=2" aria-current="page">2</a>' in nav
    assert '<a href="?q=calais&amp;page=3">3</a>' in nav
    assert '<a href="?q=calais&amp;page=3" rel="next">' in nav


def test_a_single_page_has_no_pagination(client, article):
    assert '<nav class="pagination"' not in client.get(TIMELINE).content.decode()


def entry_html(html, record_url):
    """The <article> of the timeline entry that links to ``record_url``."""
    (article,) = [
        part.split("</article>")[0]
        for part in html.split('<article class="entry ')[1:]
        if f'href="{record_url}"' in part.split("</article>")[0]
    ]
    return article


def test_each_kind_of_entry_shows_its_record_and_relations(client, article):
    """Entries read their records as rows (timeline.records): labels, speaker, role, place."""
    html = client.get(TIMELINE).content.decode()

    statement = entry_html(
        html, reverse("timeline:statement-detail", args=["keith-vaz-domino-principle"])
    )
    assert '<span class="tag">verbatim quotation</span>' in statement
    assert f'<a href="{reverse("timeline:actor-detail", args=["keith-vaz"])}">Keith Vaz</a>' in (
        statement
    )
    assert '<span class="role">, Chair of the Home Affairs Committee</span>' in statement
    assert "We must be aware of the dangers of the domino principle." in statement

    measure = entry_html(
        html,
        reverse("timeline:measure-detail", args=["british-police-officers-deployed-to-calais"]),
    )
    assert '<span class="tag">policing</span>' in measure
    assert '<span class="tag tag-status">announced</span>' in measure
    assert reverse("timeline:actor-detail", args=["home-office"]) in measure

    event = entry_html(html, reverse("timeline:event-detail", args=["uk-france-calais-agreement"]))
    place = reverse("timeline:place-detail", args=["calais"])
    assert f'<span class="label">Place</span> <a href="{place}">Calais</a>' in event
    assert "(signatory)" in event
    assert "AFP, 19 Aug 2015" in event


def test_an_actors_measures_are_those_they_are_responsible_for_or_met_at_an_event(client, article):
    """/?kind=measure&actor=theresa-may listed nothing: she is responsible for no measure, but
    signed the agreement at which five were agreed."""
    response = client.get(TIMELINE, {"kind": "measure", "actor": "theresa-may"})

    assert len(entry_slugs(response)) == 5
    measure = entry_html(
        response.content.decode(),
        reverse("timeline:measure-detail", args=["calais-railhead-security"]),
    )
    assert '<span class="label">Their part</span> at an event they took part in' in measure


def test_each_measure_of_an_actor_says_how_it_concerns_them(client, article):
    html = client.get(TIMELINE, {"kind": "measure", "actor": "home-office"}).content.decode()

    measure = entry_html(
        html,
        reverse("timeline:measure-detail", args=["british-police-officers-deployed-to-calais"]),
    )
    assert '<span class="label">Their part</span> responsible; at an event they took part in' in (
        measure
    )


def test_measures_say_nothing_of_their_part_without_an_actor_filter(client, article):
    assert "Their part" not in client.get(TIMELINE, {"kind": "measure"}).content.decode()


def test_search_words_are_marked_in_the_results(client, article):
    html = client.get(TIMELINE, {"q": "domino"}).content.decode()

    statement = entry_html(
        html, reverse("timeline:statement-detail", args=["keith-vaz-domino-principle"])
    )
    assert "dangers of the <mark>domino</mark> principle" in statement


def test_search_words_are_marked_in_titles_and_summaries(client, article):
    measure_url = reverse(
        "timeline:measure-detail", args=["british-police-officers-deployed-to-calais"]
    )

    by_title = entry_html(
        client.get(TIMELINE, {"q": "deployed police"}).content.decode(), measure_url
    )
    by_summary = entry_html(client.get(TIMELINE, {"q": "gangs"}).content.decode(), measure_url)

    assert "British <mark>police</mark> officers <mark>deployed</mark> to Calais" in by_title
    assert "migrant-smuggling <mark>gangs</mark>" in by_summary


def test_marked_results_stay_escaped(client, db):
    EventFactory(title="<script>alert(1)</script> Calais", summary="Calais <b>bold</b>")

    html = client.get(TIMELINE, {"q": "calais"}).content.decode()

    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Calais</mark>" in html
    assert "<mark>Calais</mark> &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert(1)" not in html


def test_nothing_is_marked_without_a_search(client, article):
    assert "<mark>" not in client.get(TIMELINE).content.decode()
