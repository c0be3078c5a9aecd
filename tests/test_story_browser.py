"""In a real Chromium: the vendored TimelineJS3 reads /timeline.json under the site's CSP."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.evidence_records import make_evidence, timeline_page_entries

pytestmark = pytest.mark.browser


def querystring(query):
    return "?" + urlencode(query)


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


def test_timelinejs_shows_every_entry_of_the_timeline_as_a_slide(
    page, live_server, live_article, client
):
    seen = watch(page, live_server)

    slides = open_story(page, live_server.url + reverse("timeline:story"))

    assert slides == len(timeline_page_entries(client))
    assert page.locator(".tl-timemarker").count() == slides
    expect(page.locator(".tl-headline").first).to_have_text("Calais Timeline")
    assert seen == {"errors": [], "elsewhere": []}


@pytest.mark.parametrize(
    "query",
    [{"actor": "eurotunnel"}, {"start": "2015-07-01", "end": "2018-03-01"}, {"kind": "measure"}],
)
def test_a_filtered_story_shows_the_timeline_pages_entries(
    page, live_server, transactional_db, client, query
):
    """With status changes and figures: the evidence's dates hold both."""
    make_evidence()
    seen = watch(page, live_server)
    expected = timeline_page_entries(client, query)
    assert {"status", "observation"} & {kind for kind, _ in expected}

    slides = open_story(page, live_server.url + reverse("timeline:story") + querystring(query))

    assert slides == len(expected)
    ids = page.evaluate("() => window.calaisStory.config.events.map(e => e.unique_id)")
    assert [slug for _, slug in expected] == [
        uid.removeprefix(f"{kind}-") for (kind, _), uid in zip(expected, ids, strict=True)
    ]
    assert seen == {"errors": [], "elsewhere": []}


def test_the_embed_runs_timelinejs_too(page, live_server, live_article):
    seen = watch(page, live_server)

    slides = open_story(page, live_server.url + reverse("timeline:story-embed"))

    assert slides > 0
    assert page.locator("header.site-header").count() == 0
    assert seen == {"errors": [], "elsewhere": []}
