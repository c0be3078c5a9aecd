"""In a real Chromium: reading the timeline, following links, filtering, sorting, exporting,
and axe-core's accessibility checks on every kind of page."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import EventFactory
from timeline.models import Event, Measure, Observation, Statement

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()

PAGES = {
    "timeline": reverse("timeline:timeline"),
    "events": reverse("timeline:event-list"),
    "measures": reverse("timeline:measure-list"),
    "statements": reverse("timeline:statement-list"),
    "actors": reverse("timeline:actor-list"),
    "sources": reverse("timeline:source-list"),
    "event": reverse("timeline:event-detail", args=["uk-france-calais-agreement"]),
    "measure": reverse(
        "timeline:measure-detail", args=["british-police-officers-deployed-to-calais"]
    ),
    "statement": reverse("timeline:statement-detail", args=["keith-vaz-domino-principle"]),
    "actor": reverse("timeline:actor-detail", args=["keith-vaz"]),
    "source": reverse("timeline:source-detail", args=["afp-2015-08-19-uk-police-head-to-france"]),
    "place": reverse("timeline:place-detail", args=["calais"]),
    "not-found": "/events/no-such-record/",
}


def serious_violations(page):
    """axe-core's serious and critical violations on the current page, described briefly."""
    # Evaluated through the DevTools protocol, so a Content-Security-Policy does not block it.
    page.evaluate(AXE_SOURCE)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_timeline_shows_the_articles_entries_in_order(page, live_server, live_article):
    page.goto(live_server.url + PAGES["timeline"])

    dates = page.locator(".entries .entry-meta time").evaluate_all(
        "times => times.map(t => t.getAttribute('datetime'))"
    )
    records = (Event, Measure, Statement, Observation)
    assert len(dates) == sum(model.objects.count() for model in records)
    assert dates[:3] == ["2015", "2015", "2015-07"]
    assert dates[-1] == "2015-08-20"
    expect(page.locator(".month-title")).to_have_text(
        ["2015 dated to the year only", "July 2015", "August 2015"]
    )


def test_a_histogram_of_many_years_scrolls_within_the_page(page, live_server, transactional_db):
    """Twenty years of bars are wider than the page: the histogram scrolls, the page does not."""
    for year in range(2005, 2026):
        EventFactory(date=datetime.date(year, 3, 2))

    page.goto(live_server.url + PAGES["timeline"])

    histogram = page.locator("nav.histogram")
    assert histogram.evaluate("nav => nav.scrollWidth > nav.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") == page.evaluate(
        "document.documentElement.clientWidth"
    )


def test_clicking_an_actor_opens_their_page_with_their_statements(page, live_server, live_article):
    page.goto(live_server.url + PAGES["timeline"])

    page.get_by_role("link", name="Keith Vaz").first.click()

    expect(page).to_have_url(live_server.url + PAGES["actor"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Keith Vaz")
    expect(page.locator(".entry-statement")).to_have_count(3)
    expect(page.get_by_text("dangers of the domino principle")).to_be_visible()


def test_a_filter_narrows_the_timeline_without_reloading(page, live_server, live_article):
    page.goto(live_server.url + PAGES["timeline"])
    page.evaluate("window.notReloaded = true")

    page.get_by_label("Actor").select_option(label="Theresa May")

    expect(page).to_have_url(live_server.url + "/?actor=theresa-may")
    # Her two events, and the five measures agreed at the one she signed.
    expect(page.locator(".entries > li")).to_have_count(7)
    assert page.evaluate("window.notReloaded") is True


def test_a_filter_works_without_javascript(browser, live_server, live_article):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + PAGES["timeline"])

    page.get_by_label("Search").fill("domino")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.locator(".entries > li")).to_have_count(1)
    assert "q=domino" in page.url
    context.close()


def test_a_table_sorts_and_exports(page, live_server, live_article):
    page.goto(live_server.url + PAGES["events"])

    page.get_by_role("link", name="Date", exact=True).click()
    expect(page).to_have_url(live_server.url + PAGES["events"] + "?sort=date")
    page.get_by_role("link", name="Date", exact=True).click()
    expect(page).to_have_url(live_server.url + PAGES["events"] + "?sort=-date")
    expect(page.locator("tbody tr").first).to_contain_text("May and Cazeneuve to sign")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    lines = Path(download_info.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("date,title,status,place,actors,sources")
    assert lines[1].startswith("2015-08-20,May and Cazeneuve to sign")
    assert len(lines) == 1 + Event.objects.count()


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violation(page, live_server, live_article, name):
    page.goto(live_server.url + PAGES[name])

    assert serious_violations(page) == []


@pytest.mark.parametrize("name", ["timeline", "events", "actor"])
def test_axe_finds_no_serious_or_critical_violation_on_a_phone(
    page, live_server, live_article, name
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + PAGES[name])

    assert serious_violations(page) == []


DESCRIBED_PAGES = {
    **PAGES,
    "timeline-with-errors": PAGES["timeline"] + "?start=2016-01-01&end=2015-01-01&actor=nobody",
    "statements-by-source": PAGES["statements"] + "?source=afp-2015-08-19-uk-police-head-to-france",
}


@pytest.mark.parametrize("name", DESCRIBED_PAGES)
def test_every_aria_describedby_resolves_and_nothing_fails_to_load(
    page, live_server, live_article, name
):
    """No reference to a missing description, no console error, no 404 (the favicon)."""
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and response.url != live_server.url + PAGES["not-found"]
            and problems.append(f"{response.status} {response.url}")
        ),
    )
    page.goto(live_server.url + DESCRIBED_PAGES[name])
    page.wait_for_load_state("networkidle")

    missing = page.evaluate(
        """() => Array.from(document.querySelectorAll("[aria-describedby]")).flatMap(element =>
            element.getAttribute("aria-describedby").split(/\\s+/)
                .filter(id => !document.getElementById(id)))"""
    )
    assert missing == []
    if name == "not-found":
        problems = [problem for problem in problems if "404" not in problem]
    assert problems == []


@pytest.mark.parametrize("name", ["timeline", "events"])
def test_on_a_phone_the_filters_fold_behind_a_filters_control(
    page, live_server, live_article, name
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + PAGES[name])

    expect(page.get_by_text("Filters", exact=True)).to_be_visible()
    expect(page.get_by_label("Search")).to_be_hidden()
    page.get_by_text("Filters", exact=True).click()
    expect(page.get_by_label("Search")).to_be_visible()


def test_on_a_phone_the_filters_are_open_while_one_is_on(page, live_server, live_article):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + PAGES["timeline"] + "?q=calais")

    expect(page.get_by_label("Search")).to_be_visible()
    expect(page.get_by_role("link", name="Clear")).to_be_visible()


def test_on_a_wide_screen_the_filters_show_with_from_and_to_on_one_line(
    page, live_server, live_article
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + PAGES["timeline"])

    expect(page.get_by_text("Filters", exact=True)).to_be_hidden()
    start, end = page.get_by_label("From", exact=True), page.get_by_label("To", exact=True)
    expect(start).to_be_visible()
    assert start.bounding_box()["y"] == end.bounding_box()["y"]


def test_clear_appears_once_the_live_filter_applies_one(page, live_server, live_article):
    page.goto(live_server.url + PAGES["timeline"])
    expect(page.get_by_role("link", name="Clear")).to_be_hidden()

    page.get_by_label("Actor").select_option(label="Theresa May")

    expect(page).to_have_url(live_server.url + "/?actor=theresa-may")
    expect(page.get_by_role("link", name="Clear")).to_be_visible()
    expect(page).to_have_title("Theresa May — Calais Timeline")


def test_arrowing_through_a_select_fetches_and_remembers_only_the_settled_choice(
    page, live_server, live_article
):
    page.goto(live_server.url + PAGES["timeline"])
    fetched = []
    page.on("request", lambda request: "?" in request.url and fetched.append(request.url))
    history = page.evaluate("history.length")

    page.get_by_label("Kind").focus()
    for _ in range(3):
        page.keyboard.press("ArrowDown")

    expect(page).to_have_url(live_server.url + "/?kind=statement")
    page.wait_for_timeout(800)
    assert fetched == [live_server.url + "/?kind=statement"]
    assert page.evaluate("history.length") == history + 1
