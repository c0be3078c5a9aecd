"""In a real Chromium: the API's documentation page runs Swagger UI from local files, under the
site's Content-Security-Policy, and lists every resource."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.test_story_browser import watch

pytestmark = pytest.mark.browser


def test_the_api_documentation_shows_every_resource_from_local_files(page, live_server, db):
    seen = watch(page, live_server)

    page.goto(live_server.url + reverse("api:docs"))

    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/events/", "/api/statements/{slug}/"} <= {p.replace("\u200b", "") for p in paths}
    assert seen == {"errors": [], "elsewhere": []}
