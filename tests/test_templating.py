"""The Jinja2 environment of the pages' hot loops writes what Django's filters would."""

import pytest
from django.template import defaultfilters

from timeline.templating import truncatewords

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
