"""The admin works in a real Chromium under the strict Content-Security-Policy: signing in, and a
change form whose JavaScript (inlines, autocomplete, prepopulated slugs) runs without a single
CSP violation."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from timeline.models import Event

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple 42"

# Playwright's sync API runs an event loop in this thread; Django must still let the test
# thread use the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("CI") != "true" and not CHROMIUM.exists(),
        reason=f"no Chromium at {CHROMIUM} (install Debian's chromium; in CI these tests run)",
    ),
]


@pytest.fixture(scope="module")
def chromium(browser):
    """pytest-playwright's session browser (Chromium as conftest launches it): a second
    sync_playwright() in the same process fails once the session's one is running, which
    depends only on the order pytest-django gives the tests."""
    return browser


@pytest.fixture
def admin_page(chromium, live_server, article, django_user_model):
    """A signed-in admin page that records every CSP violation the browser reports."""
    django_user_model.objects.create_superuser("editor", password=PASSWORD)
    context = chromium.new_context()
    page = context.new_page()
    page.violations = []
    page.on(
        "console",
        lambda message: (
            page.violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    yield page
    context.close()


def test_admin_sign_in_page_has_no_csp_violation(chromium, live_server):
    page = chromium.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(live_server.url + reverse("admin:login"))
    assert page.locator("#id_username").is_visible()
    assert not [text for text in violations if "Content Security Policy" in text]
    page.close()


def test_admin_sign_in_works_under_the_policy(admin_page):
    assert admin_page.locator("#site-name").is_visible()
    assert admin_page.violations == []


def test_admin_change_form_scripts_run_without_csp_violation(admin_page, live_server):
    event = Event.objects.filter(participations__isnull=False).first()
    admin_page.goto(live_server.url + reverse("admin:timeline_event_change", args=[event.pk]))
    rows_before = admin_page.locator(".dynamic-participations").count()
    # inlines.js adds a row: only possible if the admin's scripts are allowed to run
    admin_page.get_by_role("button", name="Add another Participation").click()
    assert admin_page.locator(".dynamic-participations").count() == rows_before + 1
    # the autocomplete widget (select2) opens and lists places fetched from the admin
    admin_page.locator("#id_place + .select2 .select2-selection").click()
    results = admin_page.locator("#select2-id_place-results")
    results.get_by_text("Channel Tunnel", exact=True).wait_for()
    assert admin_page.violations == []


def test_admin_add_form_prepopulates_the_slug_without_csp_violation(admin_page, live_server):
    admin_page.goto(live_server.url + reverse("admin:timeline_source_add"))
    admin_page.locator("#id_title").press_sequentially("Calais talks resume")
    assert admin_page.input_value("#id_slug") == "calais-talks-resume"
    assert admin_page.violations == []
