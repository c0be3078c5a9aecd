"""The editor's desk tried in a real Chromium: picking a speaker by typing, a role that fits,
two mistakes shown at once, merging two actors, reverting an event; axe-core on the change forms;
screenshots of the index and a change form, wide and narrow, to /tmp/shots-desk/."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.conftest import FIRST_ARTICLE
from tests.test_browser import serious_violations
from timeline import importing
from timeline.merges import ActorMerge
from timeline.models import Actor, Event, Role, Statement

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery staple 42"
SHOTS = Path("/tmp/shots-desk")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        os.environ.get("CI") != "true" and not CHROMIUM.exists(),
        reason=f"no Chromium at {CHROMIUM} (install Debian's chromium; in CI these tests run)",
    ),
]


@pytest.fixture
def imported(transactional_db):
    """The first article as an import writes it, with its history (loaddata writes none)."""
    importing.import_articles([importing.read_article_path(FIRST_ARTICLE)])


@pytest.fixture
def desk(browser, live_server, imported, django_user_model):
    django_user_model.objects.create_superuser("editor", password=PASSWORD)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + reverse("admin:index"))
    page.url_of = lambda name, *args: live_server.url + reverse(name, args=args)
    yield page
    context.close()


def pick_speaker(page, typed):
    page.locator("#id_speaker + .select2 .select2-selection").click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.press_sequentially(typed)
    page.locator(".select2-results__option--highlighted", has_text=typed).wait_for()
    search.press("Enter")


def test_typing_a_name_and_enter_picks_that_speaker_and_offers_their_roles(desk):
    desk.goto(desk.url_of("admin:timeline_statement_add"))
    desk.fill("#id_date", "2015-08-19")

    pick_speaker(desk, "Theresa")

    # The speaker may be left empty (an attribution as printed), so the box has a clear button.
    expect(desk.locator("#select2-id_speaker-container")).to_have_attribute("title", "Theresa May")
    roles = desk.locator("#id_speaker_role option")
    expect(roles).to_have_text(["---------", "Theresa May, Home Secretary"])
    desk.select_option("#id_speaker_role", label="Theresa May, Home Secretary")


def test_changing_the_date_refills_the_roles(desk):
    desk.goto(desk.url_of("admin:timeline_statement_add"))
    desk.fill("#id_date", "2015-08-19")
    pick_speaker(desk, "Theresa")
    expect(desk.locator("#id_speaker_role option")).to_have_count(2)

    desk.fill("#id_date", "2017-01-02")
    desk.locator("#id_date").dispatch_event("change")

    expect(desk.locator("#id_speaker_role option")).to_have_text(
        ["---------", "Theresa May, Prime Minister"]
    )


def test_saving_with_two_mistakes_shows_both_on_their_fields(desk):
    taken = Statement.objects.first().slug
    desk.goto(desk.url_of("admin:timeline_statement_add"))
    desk.fill("#id_text", "We will not let up.")
    desk.select_option("#id_kind", "quotation")
    desk.fill("#id_date", "2015-08-19")
    desk.select_option("#id_date_precision", "month")
    pick_speaker(desk, "Theresa")
    desk.fill("#id_slug", taken)
    desk.locator("#id_sources + .select2 .select2-selection").click()
    desk.locator(".select2-results__option").first.click()

    desk.locator("input[name=_save]").last.click()

    expect(desk.locator(".errornote")).to_be_visible()
    expect(desk.locator(".field-date .errorlist")).to_contain_text("first day of the period")
    expect(desk.locator(".field-slug .errorlist")).to_contain_text(f"“{taken}-2” is free")


def test_merging_two_actors_from_the_list(desk):
    keep = Actor.objects.get(slug="theresa-may")
    dup = Actor.objects.create(slug="mrs-may", name="Mrs May", kind="person")
    role = Role.objects.create(slug="mrs-may-mp", actor=dup, title="Member of Parliament")
    desk.goto(desk.url_of("admin:timeline_actor_changelist"))

    desk.check(f"input[name=_selected_action][value='{keep.pk}']")
    desk.check(f"input[name=_selected_action][value='{dup.pk}']")
    desk.select_option("select[name=action]", "merge_two")
    desk.locator("button[name=index]").first.click()
    expect(desk.locator("#merge-moves")).to_contain_text("role (actor): Member of Parliament")
    desk.get_by_role("button", name="Merge them").click()

    expect(desk.locator(".messagelist")).to_contain_text("was merged into Theresa May")
    assert ActorMerge.objects.count() == 1
    role.refresh_from_db()
    assert role.actor == keep
    desk.get_by_role("button", name="Undo this merge").click()
    expect(desk.locator(".messagelist")).to_contain_text("undone")
    assert Actor.objects.filter(slug="mrs-may").exists()


def test_reverting_an_event_says_what_it_puts_back(desk):
    event = Event.objects.filter(participations__isnull=False).first()
    version = event.history.first()
    before = event.participations.count()
    event.participations.first().delete()
    desk.goto(desk.url_of("admin:timeline_event_simple_history", event.pk, version.pk))

    expect(desk.locator("#revert-scope")).to_contain_text("participations and observations")
    expect(desk.locator(".breadcrumbs")).not_to_contain_text("Historical")
    desk.locator("input[name=_save]").last.click()

    expect(desk.locator(".messagelist")).to_contain_text("Also put back as they were then")
    assert event.participations.count() == before


@pytest.mark.parametrize(
    "where",
    ["statement-add", "statement-change", "event-change", "actor-change"],
)
def test_the_change_forms_have_no_serious_accessibility_violation(desk, where):
    kind, action = where.split("-")
    model = {"statement": Statement, "event": Event, "actor": Actor}[kind]
    args = [] if action == "add" else [model.objects.first().pk]
    desk.goto(desk.url_of(f"admin:timeline_{kind}_{action}", *args))
    # The desk's script names the autocomplete boxes once the admin has drawn them.
    desk.locator(".select2-selection[aria-label]").first.wait_for()

    assert serious_violations(desk) == []


def test_screenshots_of_the_desk(desk):
    SHOTS.mkdir(parents=True, exist_ok=True)
    statement = Statement.objects.exclude(speaker_role=None).first()
    for width in (1280, 390):
        desk.set_viewport_size({"width": width, "height": 900})
        desk.goto(desk.url_of("admin:index"))
        desk.screenshot(path=str(SHOTS / f"index-{width}.png"), full_page=True)
        desk.goto(desk.url_of("admin:timeline_statement_change", statement.pk))
        desk.screenshot(path=str(SHOTS / f"statement-{width}.png"), full_page=True)
    assert (SHOTS / "index-390.png").exists()
