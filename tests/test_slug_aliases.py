"""Slugs that move: the old slug stays an alias, for URLs and for article files."""

import json

import pytest
from django.urls import resolve, reverse

from tests.evidence_records import make_evidence
from tests.test_merging import FIRST_ARTICLE, admin_edit, records, run
from timeline.aliases import SlugAlias, keeps_aliases
from timeline.models import Actor, Event, Participation
from timeline.public import urls as public_urls

pytestmark = pytest.mark.django_db

VISIT = "theresa-may-visits-calais"
RENAMED = "theresa-may-first-visit-to-calais"


def rename(model, slug, new):
    record = model.objects.get(slug=slug)
    record.slug = new
    record.save()
    return record


def test_renaming_a_slug_in_the_shell_keeps_the_old_one_as_an_alias(imported_article):
    event = rename(Event, VISIT, RENAMED)

    alias = SlugAlias.objects.for_model(Event).get(old_slug=VISIT)
    assert alias.object_id == event.pk


def test_renaming_a_slug_in_the_admin_keeps_the_old_one(admin_client, imported_article):
    admin_edit(admin_client, Event.objects.get(slug=VISIT), slug=RENAMED)

    assert SlugAlias.objects.current_slugs(Event, [VISIT]) == {VISIT: RENAMED}


def test_the_old_url_answers_301_with_the_new_one(client, imported_article):
    rename(Event, VISIT, RENAMED)

    response = client.get(reverse("timeline:event-detail", kwargs={"slug": VISIT}))

    assert response.status_code == 301
    assert response["Location"] == reverse("timeline:event-detail", kwargs={"slug": RENAMED})
    assert client.get(response["Location"]).status_code == 200


def test_an_actors_old_url_redirects_too_and_an_unknown_slug_is_still_404(client, imported_article):
    rename(Actor, "theresa-may", "theresa-mary-may")

    old = client.get(reverse("timeline:actor-detail", kwargs={"slug": "theresa-may"}))
    unknown = client.get(reverse("timeline:actor-detail", kwargs={"slug": "nobody"}))

    assert old.status_code == 301
    assert old["Location"].endswith("/theresa-mary-may/")
    assert unknown.status_code == 404


# Read from the URLconf, so a record page added later is covered without being listed.
RECORD_PAGES = [
    pattern.name for pattern in public_urls.urlpatterns if "slug" in pattern.pattern.converters
]


@pytest.mark.parametrize("url_name", RECORD_PAGES)
def test_every_record_pages_old_url_answers_301_with_the_new_one(client, url_name):
    """Every public page of one record, not only some: a place, a passage or an indicator keeps
    its old slug as well, and its old URL must not give 404 after a rename."""
    make_evidence()
    view_name = f"timeline:{url_name}"
    model = resolve(reverse(view_name, kwargs={"slug": "any"})).func.view_class.model
    old = model.objects.first().slug
    rename(model, old, f"{old}-renamed")

    response = client.get(reverse(view_name, kwargs={"slug": old}))

    assert keeps_aliases(model)
    assert response.status_code == 301
    assert response["Location"] == reverse(view_name, kwargs={"slug": f"{old}-renamed"})
    assert client.get(response["Location"]).status_code == 200


def test_a_file_naming_the_old_slug_resolves_to_the_renamed_record(imported_article):
    rename(Event, VISIT, RENAMED)
    events = Event.objects.count()

    report = run(records())

    assert Event.objects.count() == events
    assert not Event.objects.filter(slug=VISIT).exists()
    assert Event.objects.filter(slug=RENAMED).exists()
    assert f"Renamed: event “{VISIT}” was renamed “{RENAMED}”" in "\n".join(report.lines())
    assert not report.changes_anything


def test_a_reference_by_the_old_slug_resolves_too(imported_article):
    rename(Actor, "theresa-may", "theresa-mary-may")
    statement = {
        "model": "timeline.statement",
        "fields": {
            "slug": "may-we-will-not-let-up",
            "text": "We will not let up.",
            "kind": "quotation",
            "speaker": ["theresa-may"],
            "date": "2015-08-20",
            "sources": [["afp-2015-08-19-uk-police-head-to-france"]],
        },
    }

    run([statement], name="late.json")

    participation = Participation.objects.get(event__slug=VISIT, actor__slug="theresa-mary-may")
    assert participation.actor.statements.get().slug == "may-we-will-not-let-up"


def test_a_record_created_with_an_aliases_slug_takes_it_back(imported_article):
    rename(Actor, "keith-vaz", "keith-vaz-mp")
    Actor.objects.create(slug="keith-vaz", name="Another Keith Vaz", kind="person")

    assert not SlugAlias.objects.for_model(Actor).filter(old_slug="keith-vaz").exists()


def test_renaming_back_forgets_the_alias_of_the_slug_it_takes(imported_article):
    rename(Event, VISIT, RENAMED)
    rename(Event, RENAMED, VISIT)

    assert SlugAlias.objects.current_slugs(Event, [VISIT, RENAMED]) == {RENAMED: VISIT}
    assert json.loads(FIRST_ARTICLE.read_text())
