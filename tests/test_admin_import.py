"""The admin's "Import article" page: permissions, preview, confirmation, escaping."""

import json
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import FIRST_ARTICLE, first_article_counts
from tests.db_state import all_timeline_rows
from timeline import importing
from timeline.admin_import import PENDING_IMPORT
from timeline.models import Actor, Event, ImportBatch, Source

IMPORT_URL = reverse("admin:timeline_source_import")
CONFIRM_URL = reverse("admin:timeline_source_import_confirm")
CHANGELIST_URL = reverse("admin:timeline_source_changelist")


def upload(name, content):
    if isinstance(content, list):
        content = json.dumps(content, ensure_ascii=False)
    if isinstance(content, str):
        content = content.encode()
    return {"file": SimpleUploadedFile(name, content, content_type="application/json")}


def first_article_upload():
    return upload(FIRST_ARTICLE.name, FIRST_ARTICLE.read_bytes())


def actor_record(slug="new-actor", **fields):
    return {
        "model": "timeline.actor",
        "fields": {"slug": slug, "name": "New actor", "kind": "person", **fields},
    }


def token_in(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


@pytest.fixture
def importer(db, client):
    """A staff member allowed to add and change every timeline model, signed in."""
    user = User.objects.create_user("editor", password="not-used", is_staff=True)
    codenames = [permission.split(".")[1] for permission in importing.IMPORT_PERMISSIONS]
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="timeline", codename__in=codenames)
    )
    client.force_login(user)
    return client


@pytest.fixture
def staff_without_permission(db, client):
    user = User.objects.create_user("viewer", password="not-used", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="timeline", codename="add_source")
    )
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_admin_login(client, db):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", [IMPORT_URL, CONFIRM_URL])
def test_staff_without_every_add_and_change_permission_are_refused(staff_without_permission, url):
    assert staff_without_permission.get(url).status_code == 403
    assert staff_without_permission.post(url, first_article_upload()).status_code == 403
    assert not Source.objects.exists()


def test_the_sources_list_links_to_the_import_page_for_those_who_may_import(importer):
    response = importer.get(CHANGELIST_URL)

    assert f'href="{IMPORT_URL}"' in response.content.decode()


def test_the_sources_list_hides_the_import_link_from_those_who_may_not(client, db):
    user = User.objects.create_user("source-editor", password="not-used", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__endswith="_source"))
    client.force_login(user)

    response = client.get(CHANGELIST_URL)

    assert response.status_code == 200
    assert IMPORT_URL not in response.content.decode()


def test_the_upload_page_shows_the_form_and_writes_nothing(importer):
    before = all_timeline_rows()

    response = importer.get(IMPORT_URL)

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
    assert all_timeline_rows() == before


def test_uploading_shows_the_dry_run_report_and_writes_nothing(importer):
    response = importer.post(IMPORT_URL, first_article_upload())

    content = response.content.decode()
    assert response.status_code == 200
    records, events = first_article_counts()
    assert f"{records} created, 0 updated, 0 unchanged. Nothing was written." in content
    assert f"Events: {events} created, 0 updated, 0 unchanged" in content
    assert not Source.objects.exists()


def test_the_preview_shows_each_changed_field_old_and_new(importer, imported_article):
    records = [actor_record("keith-vaz", name="Keith Vaz MP")]

    content = importer.post(IMPORT_URL, upload("vaz.json", records)).content.decode()

    assert "updated" in content
    assert "<del>&quot;Keith Vaz&quot;</del>" in content
    assert "<ins>&quot;Keith Vaz MP&quot;</ins>" in content


def test_confirming_imports_what_was_previewed(importer):
    preview = importer.post(IMPORT_URL, first_article_upload())

    response = importer.post(CONFIRM_URL, {"token": token_in(preview)})

    assert response.status_code == 302
    assert response["Location"] == ImportBatch.objects.get().get_absolute_url()
    records = json.loads(FIRST_ARTICLE.read_text())
    assert Event.objects.count() == sum(r["model"] == "timeline.event" for r in records)
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == [
        f"Imported {FIRST_ARTICLE.name}: {len(records)} created, 0 updated, 0 unchanged."
    ]


def test_import_history_names_the_staff_member_who_confirmed(importer):
    preview = importer.post(IMPORT_URL, upload("a.json", [actor_record()]))

    importer.post(CONFIRM_URL, {"token": token_in(preview)})

    entry = Actor.objects.get(slug="new-actor").history.get()
    batch = ImportBatch.objects.get()
    assert entry.history_user.username == "editor"
    assert entry.history_change_reason == f"Import batch {batch.pk} of a.json by editor"


def test_a_confirmation_can_be_used_only_once(importer):
    preview = importer.post(IMPORT_URL, upload("a.json", [actor_record()]))
    importer.post(CONFIRM_URL, {"token": token_in(preview)})
    before = all_timeline_rows()

    response = importer.post(CONFIRM_URL, {"token": token_in(preview)}, follow=True)

    assert "No import is waiting for this confirmation" in response.content.decode()
    assert all_timeline_rows() == before


def test_confirming_an_earlier_preview_after_a_newer_upload_imports_nothing(importer):
    first = importer.post(IMPORT_URL, upload("a.json", [actor_record("first")]))
    importer.post(IMPORT_URL, upload("b.json", [actor_record("second")]))

    importer.post(CONFIRM_URL, {"token": token_in(first)})

    assert not Actor.objects.exists()


def test_the_session_keeps_the_uploaded_text_not_a_file_path(importer):
    importer.post(IMPORT_URL, upload("a.json", [actor_record()]))

    pending = importer.session[PENDING_IMPORT]

    assert json.loads(pending["content"]) == [actor_record()]


def test_a_database_change_after_the_preview_stops_the_import_and_shows_a_new_preview(
    importer, imported_article
):
    records = [actor_record("keith-vaz", name="Keith Vaz MP", description="Changed")]
    preview = importer.post(IMPORT_URL, upload("vaz.json", records))
    Actor.objects.filter(slug="keith-vaz").update(description="Edited meanwhile")

    response = importer.post(CONFIRM_URL, {"token": token_in(preview)})

    content = response.content.decode()
    assert "the database has changed since the preview" in content
    assert "&quot;Edited meanwhile&quot;" in content
    assert Actor.objects.get(slug="keith-vaz").name == "Keith Vaz"


def test_a_bad_file_shows_every_problem_and_writes_nothing(importer, article):
    before = all_timeline_rows()
    records = [actor_record(kind="alien"), actor_record("other", name="N" * 201)]

    response = importer.post(IMPORT_URL, upload("bad.json", records))

    content = response.content.decode()
    assert "2 problems found; nothing was imported." in content
    assert "bad.json, record 1 (timeline.actor &quot;new-actor&quot;), field “kind”" in content
    assert "bad.json, record 2 (timeline.actor &quot;other&quot;), field “name”" in content
    assert all_timeline_rows() == before
    assert PENDING_IMPORT not in importer.session


def test_an_unreadable_upload_is_named_and_writes_nothing(importer):
    response = importer.post(IMPORT_URL, upload("photo.json", b"\x89PNG\r\n\x1a\n\x00"))

    assert "photo.json: not UTF-8 text" in response.content.decode()
    assert not Source.objects.exists()


def test_an_upload_over_the_size_limit_is_refused(importer):
    content = b" " * (importing.MAX_FILE_SIZE + 1)

    response = importer.post(IMPORT_URL, upload("huge.json", content))

    assert "over the limit of 5,242,880" in response.content.decode()


def test_html_in_a_file_is_shown_escaped_in_the_preview_and_in_problems(importer):
    html = '<script>alert("x")</script>'
    good = importer.post(IMPORT_URL, upload("a.json", [actor_record(description=html)]))
    bad = importer.post(IMPORT_URL, upload("b.json", [actor_record(kind=html)]))

    for response in (good, bad):
        content = response.content.decode()
        assert "&lt;script&gt;alert(" in content
        assert "<script>alert" not in content


def test_html_in_a_file_is_imported_as_text(importer):
    html = '<b>bold</b> & <script>alert("x")</script>'
    preview = importer.post(IMPORT_URL, upload("a.json", [actor_record(description=html)]))

    importer.post(CONFIRM_URL, {"token": token_in(preview)})

    assert Actor.objects.get(slug="new-actor").description == html


def test_the_import_page_has_no_inline_script_or_style(importer, article):
    pages = [
        importer.get(IMPORT_URL),
        importer.post(IMPORT_URL, first_article_upload()),
        importer.post(IMPORT_URL, upload("bad.json", [actor_record(kind="alien")])),
    ]

    for page in pages:
        content = page.content.decode()
        assert "style=" not in content
        assert "<style" not in content
        assert not re.search(r"<script(?![^>]*\ssrc=)", content)


def test_getting_the_confirmation_url_imports_nothing(importer):
    importer.post(IMPORT_URL, upload("a.json", [actor_record()]))

    response = importer.get(CONFIRM_URL)

    assert response.status_code == 302
    assert not Actor.objects.exists()


def test_a_superuser_may_import(admin_client):
    preview = admin_client.post(IMPORT_URL, upload("a.json", [actor_record()]))

    admin_client.post(CONFIRM_URL, {"token": token_in(preview)})

    assert Actor.objects.filter(slug="new-actor").exists()


# The merge in the preview ----------------------------------------------------------------------

VISIT = "theresa-may-visits-calais"


def first_article_with(**fields):
    records = json.loads(FIRST_ARTICLE.read_text())
    for record in records:
        if record["fields"].get("slug") == VISIT:
            record["fields"].update(fields)
    return upload(FIRST_ARTICLE.name, records)


def test_the_preview_lists_a_conflict_with_its_three_values(importer, imported_article):
    Event.objects.filter(slug=VISIT).update(title="Edited in the admin")

    content = importer.post(IMPORT_URL, first_article_with(title="Changed in the file")).content
    content = content.decode()

    assert 'id="import-conflicts"' in content
    for value in ("Theresa May visits Calais", "Changed in the file", "Edited in the admin"):
        assert f"&quot;{value}&quot;" in content
    assert "the database's value is kept" in content


def test_the_editor_may_take_the_files_value_for_a_conflict(importer, imported_article):
    Event.objects.filter(slug=VISIT).update(title="Edited in the admin")
    preview = importer.post(IMPORT_URL, first_article_with(title="Changed in the file"))

    again = importer.post(
        IMPORT_URL, {"token": token_in(preview), "action": "take", "take": ["event.title"]}
    )
    assert "the file's value is written" in again.content.decode()
    importer.post(CONFIRM_URL, {"token": token_in(again)})

    assert Event.objects.get(slug=VISIT).title == "Changed in the file"
    batch = ImportBatch.objects.newest_first().first()
    assert (batch.user.username, batch.via) == ("editor", "admin")
    assert batch.fields.get(field="title").action == "taken"


def test_confirming_keeps_the_edit_and_says_so(importer, imported_article):
    Event.objects.filter(slug=VISIT).update(title="Edited in the admin")
    preview = importer.post(IMPORT_URL, first_article_with(title="Changed", summary="New"))

    response = importer.post(CONFIRM_URL, {"token": token_in(preview)}, follow=True)

    assert "the database&#x27;s value was kept" in response.content.decode()
    assert Event.objects.get(slug=VISIT).title == "Edited in the admin"
    assert Event.objects.get(slug=VISIT).summary == "New"


def test_the_preview_lists_changes_to_shared_records_apart(importer, imported_article):
    records = [
        {
            "model": "timeline.source",
            "fields": {"slug": "s2", "title": "T", "publisher": "P", "published_on": "2015-08-21"},
        },
        actor_record("theresa-may", name="Theresa May", description="Words of a second article"),
    ]

    content = importer.post(IMPORT_URL, upload("second.json", records)).content.decode()

    assert "Changes to records shared with other articles" in content
    assert FIRST_ARTICLE.name in content


def test_allowing_shared_updates_from_the_upload_form(importer, imported_article):
    records = [
        {
            "model": "timeline.source",
            "fields": {"slug": "s2", "title": "T", "publisher": "P", "published_on": "2015-08-21"},
        },
        {"model": "timeline.event", "fields": {"slug": VISIT, "sources": [["s2"]]}},
    ]

    refused = importer.post(IMPORT_URL, upload("second.json", records)).content.decode()
    allowed = importer.post(
        IMPORT_URL, {**upload("second.json", records), "allow_shared_updates": "on"}
    )

    assert "belongs to" in refused
    importer.post(CONFIRM_URL, {"token": token_in(allowed)})
    assert Event.objects.get(slug=VISIT).sources.filter(slug="s2").exists()


def test_importing_needs_the_add_and_change_permissions_of_the_evidence_models_too():
    for model in ["passage", "measurestatus", "measurelink", "indicator", "observation"]:
        assert f"timeline.add_{model}" in importing.IMPORT_PERMISSIONS
        assert f"timeline.change_{model}" in importing.IMPORT_PERMISSIONS
    assert not any("figure" in permission for permission in importing.IMPORT_PERMISSIONS)


UNCITED_EVENT = {
    "model": "timeline.event",
    "fields": {
        "slug": "uncited-event",
        "title": "An event citing no passage",
        "date": "2015-08-19",
        "date_precision": "by",
        "sources": [["afp-2015-08-19-uk-police-head-to-france"]],
    },
}


def test_the_preview_warns_of_a_record_citing_no_passage(importer, imported_article):
    content = importer.post(IMPORT_URL, upload("draft.json", [UNCITED_EVENT])).content.decode()
    assert 'id="import-warnings"' in content
    assert "cites no passage" in content
    assert 'name="token"' in content  # it may still be imported


def test_a_strict_preview_refuses_a_record_citing_no_passage(importer, imported_article):
    data = {**upload("draft.json", [UNCITED_EVENT]), "strict": "on"}
    content = importer.post(IMPORT_URL, data).content.decode()
    assert "cites no passage" in content
    assert 'name="token"' not in content
    assert not Event.objects.filter(slug="uncited-event").exists()
