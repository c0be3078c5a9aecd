"""In a real Chromium: an indicator's chart and table on a desktop and on a phone, and the
evidence on a measure's and an event's pages. Screenshots of each go to SHOTS for a person to
look at."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.evidence_records import make_evidence
from tests.test_browser import serious_violations

pytestmark = pytest.mark.browser

SHOTS = Path(os.environ.get("EVIDENCE_SHOTS", "/tmp/shots-evidence"))
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {
    "indicator": reverse("timeline:indicator-detail", args=["tunnel-attempts-a-night"]),
    "measure": reverse("timeline:measure-detail", args=["sandhurst-treaty"]),
    "event": reverse("timeline:event-detail", args=["sandhurst-summit"]),
}


@pytest.fixture
def live_evidence(transactional_db):
    return make_evidence()


def open_at(page, live_server, name, width):
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    page.goto(live_server.url + PAGES[name])
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}-{WIDTHS[width][0]}.png", full_page=True)


def page_scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_an_indicator_page_shows_its_chart_and_table(page, live_server, live_evidence, width):
    open_at(page, live_server, "indicator", width)

    chart = page.locator("svg.chart-svg")
    expect(chart).to_be_visible()
    page.locator("figure.chart").screenshot(path=SHOTS / f"indicator-chart-{WIDTHS[width][0]}.png")
    expect(chart.locator("g.observation")).to_have_count(4)
    expect(page.locator(".observations-table tbody tr")).to_have_count(4)
    box = chart.bounding_box()
    # The chart fills its column, and is large enough to read on a phone.
    assert box["width"] > min(WIDTHS[width][0] * 0.45, 470)
    assert box["height"] > 150
    assert not page_scrolls_sideways(page)
    assert serious_violations(page) == []


def test_on_a_desktop_the_table_sits_beside_the_chart(page, live_server, live_evidence):
    open_at(page, live_server, "indicator", "desktop")

    chart = page.locator(".chart-panel").bounding_box()
    table = page.locator(".data-panel").bounding_box()
    assert table["x"] > chart["x"] + chart["width"] - 1
    assert abs(table["y"] - chart["y"]) < 5


def test_each_mark_names_its_value(page, live_server, live_evidence):
    open_at(page, live_server, "indicator", "desktop")

    titles = page.locator("g.observation > title").all_text_contents()
    assert titles[0] == "late July 2015: about 2,000 (“about 2,000”)"


@pytest.mark.parametrize("name", ["measure", "event"])
@pytest.mark.parametrize("width", WIDTHS)
def test_evidence_reads_on_measure_and_event_pages(page, live_server, live_evidence, name, width):
    open_at(page, live_server, name, width)

    expect(page.locator(".passages .passage").first).to_be_visible()
    assert not page_scrolls_sideways(page)
    assert serious_violations(page) == []
