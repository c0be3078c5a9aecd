"""The Jinja2 environment of the public pages: its filters and helpers."""

import pytest
from django.http import QueryDict
from django.template import defaultfilters

from timeline.public.environment import page_link_prefix, reported, truncatewords

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
