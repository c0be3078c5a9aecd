"""The Jinja2 environment of the public pages: its filters and helpers."""

import pytest
from django.http import QueryDict
from django.template import defaultfilters, engines

from timeline.public.environment import highlight, page_link_prefix, truncatewords
from timeline.public.rows import reported

SUMMARY = (
    "Police deployed tear gas after groups tried to board lorries near the tunnel entrance at "
    "Coquelles, the prefecture said on Wednesday."
)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        (SUMMARY, 45),
        (SUMMARY, 5),
        (SUMMARY, 19),
        (SUMMARY, 20),
        ("  spaced\tout \n words  ", 2),
        ("  spaced\tout \n words  ", 3),
        ("", 45),
        ("One", 1),
    ],
)
def test_truncatewords_cuts_a_text_as_django_does(text, count):
    assert truncatewords(text, count) == defaultfilters.truncatewords(text, count)


def test_truncatewords_marks_the_cut():
    assert truncatewords(SUMMARY, 5) == "Police deployed tear gas after …"


@pytest.mark.parametrize(
    ("query", "prefix"),
    [
        ("", "?page="),
        ("page=4", "?page="),
        ("q=calais&page=4&actor=theresa-may", "?q=calais&actor=theresa-may&page="),
        ("q=Sangatte+%26+Calais", "?q=Sangatte+%26+Calais&page="),
    ],
)
def test_page_links_keep_every_parameter_but_the_page(query, prefix):
    assert page_link_prefix(QueryDict(query)) == prefix


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Welcomed the agreement, but warned.", "Keith Vaz welcomed the agreement, but warned."),
        ("Said the camp would close.", "Keith Vaz said the camp would close."),
        ("British police are to be deployed.", "Keith Vaz: British police are to be deployed."),
    ],
)
def test_reported_speech_follows_its_speaker_without_quotation_marks(text, shown):
    assert reported("Keith Vaz", text) == shown


def test_highlight_marks_every_word_of_the_search_in_any_case():
    marked = highlight("Police at the port; the POLICE chief left.", "police")

    assert marked == "<mark>Police</mark> at the port; the <mark>POLICE</mark> chief left."


def test_highlight_marks_the_endings_a_search_finds_beside_the_word():
    marked = highlight("British police deployed; deployments and policing.", "deploy police")

    assert marked == (
        "British <mark>police</mark> <mark>deployed</mark>; <mark>deployments</mark> and "
        "<mark>policing</mark>."
    )


def test_highlight_marks_whole_words_only():
    assert highlight("Transport to the port, then a portion.", "port") == (
        "Transport to the <mark>port</mark>, then a portion."
    )


def test_highlight_escapes_the_text_and_the_marked_words():
    marked = highlight('<script>alert("x")</script> & the script', "script")

    assert marked == (
        "&lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; &amp; the "
        "<mark>script</mark>"
    )


def test_highlight_never_marks_inside_an_escaped_character():
    assert highlight("Fish & chips", "amp") == "Fish &amp; chips"


def test_highlight_leaves_out_excluded_words_operators_and_stop_words():
    marked = highlight("The agreement or the talks", "the agreement or -talks")

    assert marked == "The <mark>agreement</mark> or the talks"


def test_highlight_without_a_search_only_escapes():
    assert highlight("<b>Calais</b>", "") == "&lt;b&gt;Calais&lt;/b&gt;"


def test_the_jinja2_filter_marks_and_escapes_in_a_template():
    template = engines["jinja2"].from_string("{{ text|highlight(terms) }}")

    html = template.render({"text": "<script>police</script>", "terms": "Police"})

    assert html == "&lt;script&gt;<mark>police</mark>&lt;/script&gt;"
