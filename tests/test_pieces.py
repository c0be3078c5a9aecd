"""The smallest pieces of the public pages, written in Python (timeline.public.pieces): their
markup, their escaping, and the macros of the same names that call them."""

import datetime
from types import SimpleNamespace

import pytest
from django.template import engines

from timeline.public import pieces
from timeline.public.links import ActorLink, SourceLink

HOSTILE = "<script>alert(\"x\")</script> & 'y'"
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;y&#39;"


def test_a_date_is_a_time_element_machine_readable_at_its_precision():
    dated = SimpleNamespace(date_machine="2015-W34", date_display="week of 17 August 2015")

    assert pieces.record_date(dated) == '<time datetime="2015-W34">week of 17 August 2015</time>'


def test_a_day_is_a_time_element_in_words():
    html = pieces.day(datetime.date(2015, 8, 9))

    assert html == '<time datetime="2015-08-09">9 August 2015</time>'


@pytest.mark.parametrize(
    ("record", "shown"),
    [
        (SimpleNamespace(status="planned"), '<span class="tag tag-event-planned">planned</span>'),
        (SimpleNamespace(status="happened"), ""),
        (SimpleNamespace(status=""), ""),
        (SimpleNamespace(), ""),
    ],
)
def test_only_an_event_that_had_not_happened_shows_its_status(record, shown):
    assert pieces.event_status(record) == shown


@pytest.mark.parametrize(
    ("record", "marked"),
    [
        (SimpleNamespace(reviewed=False), True),
        (SimpleNamespace(reviewed=True), False),
        (SimpleNamespace(), False),
    ],
)
def test_only_a_record_an_editor_has_not_checked_is_marked_unreviewed(record, marked):
    assert ('class="tag tag-unreviewed"' in pieces.unreviewed(record)) is marked


def test_actor_links_escape_the_name_the_capacity_and_the_url():
    actors = [ActorLink(f"/actors/a/?{HOSTILE}", "a", HOSTILE, HOSTILE), ActorLink("/b/", "b", "B")]

    html = pieces.actor_links(actors, capacity=True)

    assert html == (
        f'<a href="/actors/a/?{ESCAPED}">{ESCAPED}</a> <span class="capacity">({ESCAPED})</span>'
        ', <a href="/b/">B</a>'
    )
    assert "capacity" not in pieces.actor_links(actors)


def test_actor_links_of_model_instances_link_to_their_pages():
    actor = SimpleNamespace(name="Home Office", get_absolute_url=lambda: "/actors/home-office/")

    assert pieces.actor_links([actor]) == '<a href="/actors/home-office/">Home Office</a>'


def test_citations_escape_the_publisher_and_an_empty_list_shows_a_dash():
    source = SourceLink("/sources/s/", "s", "T", HOSTILE, datetime.date(2015, 8, 19))

    html = pieces.cited(SimpleNamespace(source_links=[source, source]))

    citation = f'<cite><a href="/sources/s/">{ESCAPED}, 19 Aug 2015</a></cite>'
    assert html == f"{citation}; {citation}"
    assert pieces.cited(SimpleNamespace(source_links=[])) == "—"
    assert pieces.actor_links([]) == "—"


def test_the_macros_of_the_pieces_write_what_the_pieces_do():
    template = engines["jinja2"].from_string(
        '{% from "timeline/macros.html" import date, day, unreviewed, event_status, '
        "actor_links %}{{ date(r) }}|{{ day(d) }}|{{ unreviewed(r) }}|{{ event_status(r) }}|"
        "{{ actor_links(actors, capacity=true) }}"
    )
    record = SimpleNamespace(
        date_machine="2015-08", date_display="August 2015", reviewed=False, status="expected"
    )
    actors = [ActorLink("/a/", "a", HOSTILE, "chair")]
    day = datetime.date(2016, 2, 29)

    html = template.render({"r": record, "d": day, "actors": actors})

    assert html == "|".join(
        [
            pieces.record_date(record),
            pieces.day(day),
            pieces.unreviewed(record),
            pieces.event_status(record),
            pieces.actor_links(actors, capacity=True),
        ]
    )
