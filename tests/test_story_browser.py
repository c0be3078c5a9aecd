"""In a real Chromium: the vendored TimelineJS3 reads /timeline.json under the site's CSP."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from timeline.models import Event, Measure, Statement
from timeline.public import filters

pytestmark = pytest.mark.browser


def watch(page, live_server):
    """Console errors, uncaught exceptions and requests to another host, as they happen."""
    seen = {"errors": [], "elsewhere": []}
    page.on(
        "console",
        lambda message: message.type == "error" and seen["errors"].append(message.text),
    )
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "request",
        lambda request: (
            request.url.startswith(live_server.url) or seen["elsewhere"].append(request.url)
        ),
    )
    return seen


def open_story(page, url):
    page.goto(url)
    page.wait_for_function("() => window.calaisStory && window.calaisStory.config")
    expect(page.locator(".tl-timemarker").first).to_be_attached()
    return page.evaluate("() => window.calaisStory.config.events.length")


def test_timelinejs_shows_every_entry_of_the_timeline_as_a_slide(page, live_server, live_article):
    seen = watch(page, live_server)

    slides = open_story(page, live_server.url + reverse("timeline:story"))

    assert slides == Event.objects.count() + Measure.objects.count() + Statement.objects.count()
    assert page.locator(".tl-timemarker").count() == slides
    expect(page.locator(".tl-headline").first).to_have_text("Calais Timeline")
    assert seen == {"errors": [], "elsewhere": []}


def test_a_filtered_story_shows_the_filtered_entries(page, live_server, live_article):
    seen = watch(page, live_server)
    query = {"actor": "keith-vaz"}
    expected = sum(q.count() for q in filters.TimelineFilterForm(query).querysets().values())

    slides = open_story(page, live_server.url + reverse("timeline:story") + "?actor=keith-vaz")

    assert slides == expected
    assert seen == {"errors": [], "elsewhere": []}


def test_the_embed_runs_timelinejs_too(page, live_server, live_article):
    seen = watch(page, live_server)

    slides = open_story(page, live_server.url + reverse("timeline:story-embed"))

    assert slides > 0
    assert page.locator("header.site-header").count() == 0
    assert seen == {"errors": [], "elsewhere": []}
