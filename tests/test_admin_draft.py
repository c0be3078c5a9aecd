"""The admin's "Draft article" page: paste, preview as an import, correct, download, import."""

import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from timeline import importing
from timeline.admin_import import PENDING_IMPORT
from timeline.models import Event, Source, Statement

DRAFT_URL = reverse("admin:timeline_source_draft")
DOWNLOAD_URL = reverse("admin:timeline_source_draft_download")
CONFIRM_URL = reverse("admin:timeline_source_import_confirm")
CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/shots-draft")

ARTICLE = """Minister visits Calais

Immigration Minister Robert Ashdown visited the camp in Calais on Thursday.

"We will not solve it with fences alone," Ashdown told reporters.

"Britain has a part to play."

French officials say between 3,500 and 4,000 people are living in the camp.
"""


def article_form(**fields):
    return {"text": ARTICLE, "published": "2016-03-04", "publisher": "Channel Wire", **fields}


@pytest.fixture
def editor(db, client):
    user = User.objects.create_user("editor", password="not-used", is_staff=True)
    codenames = [permission.split(".")[1] for permission in importing.IMPORT_PERMISSIONS]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="timeline", codename__in=codenames)
    )
    client.force_login(user)
    return client


def test_the_page_needs_the_import_permissions(db, client):
    user = User.objects.create_user("viewer", password="not-used", is_staff=True)
    client.force_login(user)
    assert client.get(DRAFT_URL).status_code == 403


def test_the_draft_is_previewed_as_the_import_page_previews_a_file(editor):
    response = editor.post(DRAFT_URL, article_form())
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="import-report"' in page
    assert "Robert Ashdown" in page and "We will not solve it with fences alone." in page
    assert f'action="{CONFIRM_URL}"' in page
    assert "matched" in page or "new `robert-ashdown`" in page
    assert not Source.objects.exists(), "a preview writes nothing"


def test_confirming_imports_the_draft_unreviewed(editor):
    page = editor.post(DRAFT_URL, article_form()).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    response = editor.post(CONFIRM_URL, {"token": token})
    assert response.status_code == 302
    assert Source.objects.get().publisher == "Channel Wire"
    assert Statement.objects.filter(kind="quotation").count() == 2
    assert Event.objects.exists()
    assert not Statement.objects.filter(reviewed=True).exists()
    assert not Event.objects.filter(reviewed=True).exists()


def test_the_draft_can_be_downloaded(editor):
    editor.post(DRAFT_URL, article_form())
    response = editor.get(DOWNLOAD_URL)
    assert response["Content-Disposition"].startswith('attachment; filename="channel-wire-2016')
    records = json.loads(response.content)
    assert records[0]["model"] == "timeline.source"


def test_a_corrected_draft_is_previewed_again(editor):
    editor.post(DRAFT_URL, article_form())
    pending = editor.session[PENDING_IMPORT]
    records = json.loads(pending["content"])
    records[0]["fields"]["title"] = "Corrected headline"
    response = editor.post(DRAFT_URL, {"content": json.dumps(records), "name": pending["name"]})
    assert "Corrected headline" in response.content.decode()
    assert "Corrected headline" in editor.session[PENDING_IMPORT]["content"]


def test_a_broken_correction_lists_its_problems_and_keeps_the_text(editor):
    response = editor.post(DRAFT_URL, {"content": "[{]", "name": "draft.json"})
    page = response.content.decode()
    assert 'id="import-problems"' in page
    assert "[{]" in page


def test_a_missing_publication_date_is_asked_for(editor):
    response = editor.post(DRAFT_URL, article_form(published=""))
    assert "This field is required." in response.content.decode()


browser = pytest.mark.skipif(
    os.environ.get("CI") != "true" and not CHROMIUM.exists(),
    reason=f"no Chromium at {CHROMIUM} (install Debian's chromium; in CI these tests run)",
)
PASSWORD = "correct horse battery staple 42"


@pytest.fixture(scope="module")
def chromium(browser):
    return browser


@browser
@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_an_editor_drafts_previews_and_imports_in_a_browser(
    chromium, live_server, django_user_model, width
):
    django_user_model.objects.create_superuser("editor", password=PASSWORD)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))

    page.goto(live_server.url + reverse("admin:timeline_source_changelist"))
    page.click("text=Draft article from text")
    page.fill("#id_text", ARTICLE)
    page.fill("#id_published", "2016-03-04")
    page.fill("#id_publisher", "Channel Wire")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"form-{width}.png"), full_page=True)
    page.click("input[value='Draft the article']")
    page.wait_for_selector("#import-report")
    assert page.locator("#draft-notes li").count() >= 2
    assert page.locator("#draft-download a").is_visible()
    page.screenshot(path=str(SHOTS / f"preview-{width}.png"), full_page=True)
    # the page fits the screen: nothing wider than the viewport but the scrolling tables
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1

    page.click("input[value^='Import ']")
    page.wait_for_url(re.compile(r".*/importbatch/\d+/change/.*"))
    assert Statement.objects.filter(kind="quotation", reviewed=False).count() == 2
    assert not Statement.objects.filter(reviewed=True).exists()
    assert violations == []
    context.close()
