"""The admin as an editor's desk: finding the right actor, roles that fit, every mistake at once,
history an editor can read, reverting with the inlines, and the dashboard."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.conftest import FIRST_ARTICLE
from tests.factories import (
    ActorFactory,
    EventFactory,
    ParticipationFactory,
    RoleFactory,
    StatementFactory,
)
from timeline import importing
from timeline.batches import ImportBatch
from timeline.dates import DatePrecision
from timeline.models import Actor, Event, Role, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return User.objects.create_superuser("editor", "editor@example.com", "a-long-password")


@pytest.fixture
def staff_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def may_and_cazeneuve():
    may = ActorFactory(
        slug="theresa-may", name="Theresa May", aliases="May\nMrs May", description="A politician."
    )
    cazeneuve = ActorFactory(
        slug="bernard-cazeneuve",
        name="Bernard Cazeneuve",
        description="Theresa May's French counterpart.",
    )
    ActorFactory(slug="theresa-villiers", name="Villiers, Theresa", description="")
    ActorFactory(slug="mrs-mayhew", name="Mrs Mayhew", description="")
    return may, cazeneuve


def autocomplete(client, term, model="statement", field="speaker"):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "timeline", "model_name": model, "field_name": field},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


# Finding records -------------------------------------------------------------------------------


def test_typing_a_first_name_puts_the_actor_of_that_name_first(staff_client, may_and_cazeneuve):
    results = autocomplete(staff_client, "Theresa")

    assert results[0] == "Theresa May"
    assert results.index("Villiers, Theresa") < results.index("Bernard Cazeneuve")


def test_an_exact_name_comes_before_a_prefix(staff_client, may_and_cazeneuve):
    ActorFactory(slug="may-day", name="May Day Committee", description="")

    results = autocomplete(staff_client, "May")

    # No actor is named "May" exactly: a name beginning so, then a word of a name beginning
    # so, then the other names, then the rest.
    assert results[:3] == ["May Day Committee", "Mrs Mayhew", "Theresa May"]
    assert results[-1] == "Bernard Cazeneuve"


def test_an_alias_finds_its_actor_in_the_autocomplete(staff_client, may_and_cazeneuve):
    assert autocomplete(staff_client, "Mrs May") == ["Mrs Mayhew", "Theresa May"]


def test_an_alias_finds_its_actor_in_the_public_search(may_and_cazeneuve):
    assert "theresa-may" in Actor.objects.search("Mrs May").values_list("slug", flat=True)


def test_statements_by_a_speaker_are_found_by_the_speakers_alias(may_and_cazeneuve):
    may, _ = may_and_cazeneuve
    statement = StatementFactory(speaker=may, text="We will act.")

    assert statement in Statement.objects.search("Mrs May")


def test_the_alias_list_drops_blanks_and_repeats():
    actor = Actor(name="Theresa May", aliases="May\n\n  Mrs   May \nmay\n")
    assert actor.alias_list == ["May", "Mrs May"]


def test_an_article_naming_an_alias_as_a_slug_is_told_the_actors_slug(may_and_cazeneuve):
    record = {
        "model": "timeline.statement",
        "fields": {
            "slug": "a-statement",
            "text": "Words.",
            "kind": "reported",
            "speaker": ["mrs-may"],
            "date": "2015-08-19",
            "sources": [["s"]],
        },
    }
    # "mrs-mayhew" is the nearest slug by its letters; the alias says who is meant.
    source = {
        "model": "timeline.source",
        "fields": {"slug": "s", "title": "T", "publisher": "AFP", "published_on": "2015-08-19"},
    }
    content = json.dumps([source, record]).encode()
    with pytest.raises(importing.ImportFailed) as failure:
        importing.import_articles([importing.read_article("a.json", content)])

    assert "did you mean `theresa-may`?" in str(failure.value.problems)


# Choices that fit ------------------------------------------------------------------------------


@pytest.fixture
def may_roles(may_and_cazeneuve):
    may, cazeneuve = may_and_cazeneuve
    home = RoleFactory(
        slug="may-home",
        actor=may,
        title="Home Secretary",
        start=datetime.date(2010, 5, 12),
        end=datetime.date(2016, 7, 13),
    )
    prime = RoleFactory(
        slug="may-pm",
        actor=may,
        title="Prime Minister",
        start=datetime.date(2016, 7, 13),
        end=datetime.date(2019, 7, 24),
    )
    interior = RoleFactory(slug="cazeneuve-interior", actor=cazeneuve, title="Minister")
    return home, prime, interior


def test_the_fitting_roles_are_the_speakers_held_at_the_date(may_roles):
    home, prime, interior = may_roles

    in_2015 = Role.objects.fitting(home.actor, datetime.date(2015, 8, 19), DatePrecision.DAY)
    in_2016 = Role.objects.fitting(home.actor, datetime.date(2016, 1, 1), DatePrecision.YEAR)

    assert list(in_2015) == [home]
    assert set(in_2016) == {home, prime}


def test_the_role_endpoint_answers_the_speakers_roles_at_the_date(staff_client, may_roles):
    home, prime, _ = may_roles

    response = staff_client.get(
        reverse("admin:timeline_role_fitting"),
        {"actor": home.actor_id, "date": "2017-03-01", "precision": "day"},
    )

    assert [role["id"] for role in response.json()["roles"]] == [prime.pk]


def test_a_statements_form_offers_only_the_speakers_roles_at_its_date(staff_client, may_roles):
    home, prime, interior = may_roles
    statement = StatementFactory(speaker=home.actor, date=datetime.date(2015, 8, 19))

    page = staff_client.get(reverse("admin:timeline_statement_change", args=[statement.pk]))
    role_field = page.context["adminform"].form.fields["speaker_role"]

    assert list(role_field.queryset) == [home]
    assert 'data-role-url="' in page.content.decode()


def test_a_participations_role_box_offers_the_actors_roles_at_the_events_date(may_roles):
    from timeline.admin import ParticipationForm

    home, prime, _ = may_roles
    participation = ParticipationFactory(
        actor=home.actor, event=EventFactory(date=datetime.date(2018, 1, 1))
    )

    form = ParticipationForm(instance=participation)

    assert list(form.fields["role"].queryset) == [prime]


def statement_post(statement, **changes):
    data = {
        "text": statement.text,
        "kind": statement.kind,
        "speaker": statement.speaker_id,
        "speaker_role": statement.speaker_role_id or "",
        "date": statement.date.isoformat(),
        "date_precision": statement.date_precision,
        "slug": statement.slug,
        "sources": [s.pk for s in statement.sources.all()],
    }
    data.update(changes)
    return data


def test_saving_a_role_that_does_not_fit_the_date_is_refused_with_the_reason(
    staff_client, may_roles
):
    home, prime, _ = may_roles
    statement = StatementFactory(speaker=home.actor, date=datetime.date(2015, 8, 19))

    response = staff_client.post(
        reverse("admin:timeline_statement_change", args=[statement.pk]),
        statement_post(statement, speaker_role=prime.pk),
    )

    errors = response.context["adminform"].form.errors
    assert "was not held on 19 August 2015" in errors["speaker_role"][0]


def test_two_mistakes_are_shown_at_once_on_their_fields(staff_client, may_roles):
    home, _, interior = may_roles
    StatementFactory(slug="taken")
    statement = StatementFactory(speaker=home.actor, date=datetime.date(2015, 8, 19))

    response = staff_client.post(
        reverse("admin:timeline_statement_change", args=[statement.pk]),
        statement_post(
            statement,
            speaker_role=interior.pk,
            date_precision=DatePrecision.MONTH,
            slug="taken",
        ),
    )

    errors = response.context["adminform"].form.errors
    assert set(errors) == {"speaker_role", "date", "slug"}
    assert errors["speaker_role"] == ["The role must be one the speaker held."]
    assert errors["date"][0].startswith("With the precision “month” the date must be")
    assert errors["slug"] == ["Another statement has the slug “taken”; “taken-2” is free."]


def test_a_required_field_left_empty_is_called_missing_as_the_importer_says(staff_client):
    response = staff_client.post(
        reverse("admin:timeline_event_add"), {"title": "", "date": "", "slug": ""}
    )

    errors = response.context["adminform"].form.errors
    assert errors["title"] == ["missing: a new event must give it."]
    assert errors["date"] == ["missing: a new event must give it."]


def test_the_model_reports_its_rules_together(may_roles):
    home, _, interior = may_roles
    statement = StatementFactory.build(
        speaker=home.actor,
        speaker_role=interior,
        date=datetime.date(2015, 8, 19),
        date_precision=DatePrecision.YEAR,
    )

    assert set(statement.rule_errors()) == {"date", "speaker_role"}


def test_a_new_statements_slug_is_prefilled_from_its_words(staff_client):
    page = staff_client.get(reverse("admin:timeline_statement_add"))

    assert page.context["adminform"].prepopulated_fields[0]["field"].name == "slug"


# History ---------------------------------------------------------------------------------------


def test_an_import_writes_one_history_entry_per_record_with_its_batch(imported_article):
    batch = ImportBatch.objects.get()
    for event in Event.objects.all():
        (entry,) = event.history.all()
        assert entry.history_type == "+"
        assert entry.history_change_reason.startswith(
            f"Import batch {batch.pk} of {batch.article} by "
        )
        # The one entry holds the sources the import linked.
        assert {row.source_id for row in entry.sources.all()} == set(
            event.sources.values_list("pk", flat=True)
        )


def test_the_history_page_names_who_imported_never_none(staff_client, imported_article):
    event = Event.objects.first()

    page = staff_client.get(reverse("admin:timeline_event_history", args=[event.pk]))

    text = page.content.decode()
    assert "None" not in text.split('id="change-history"')[1]
    assert f"Import batch {ImportBatch.objects.get().pk}" in text


def test_an_admin_edit_records_who_and_why(staff_client, editor, may_and_cazeneuve):
    may, _ = may_and_cazeneuve
    staff_client.post(
        reverse("admin:timeline_actor_change", args=[may.pk]),
        {
            "name": "Theresa May",
            "slug": may.slug,
            "aliases": "May",
            "kind": "person",
            "country": "GB",
            "description": "Prime Minister.",
            "roles-TOTAL_FORMS": "0",
            "roles-INITIAL_FORMS": "0",
        },
    )

    entry = may.history.first()
    assert entry.history_user == editor
    assert entry.history_change_reason == "Changed in the admin by editor"


def test_the_revert_page_breadcrumb_names_the_model_not_its_history(staff_client, article):
    event = Event.objects.first()
    entry = event.history.first()

    page = staff_client.get(
        reverse("admin:timeline_event_simple_history", args=[event.pk, entry.pk])
    )

    text = page.content.decode()
    assert "Historical events" not in text
    assert "Revert to this version" in text
    assert "participations and observations" in text


def test_reverting_an_event_puts_back_its_participations(staff_client, may_and_cazeneuve):
    may, cazeneuve = may_and_cazeneuve
    event = EventFactory(date=datetime.date(2015, 8, 19))
    kept = ParticipationFactory(event=event, actor=may, capacity="announced")
    event.save()  # the version to revert to: after the participation was made
    version = event.history.first()
    kept.capacity = "visited"
    kept.save()
    ParticipationFactory(event=event, actor=cazeneuve, capacity="met")

    response = staff_client.post(
        reverse("admin:timeline_event_simple_history", args=[event.pk, version.pk]),
        {
            "title": event.title,
            "slug": event.slug,
            "date": event.date.isoformat(),
            "date_precision": event.date_precision,
            "place": event.place_id or "",
            "summary": event.summary,
            "status": event.status,
            "reviewed": "on",
            "sources": [s.pk for s in event.sources.all()],
        },
        follow=True,
    )

    assert list(event.participations.values_list("actor__slug", "capacity")) == [
        ("theresa-may", "announced")
    ]
    assert "Also put back as they were then: 2 participations" in response.content.decode()


# The desk --------------------------------------------------------------------------------------


def test_the_index_names_the_project_and_lists_the_timeline_before_security(staff_client):
    page = staff_client.get(reverse("admin:index"))
    text = page.content.decode()

    assert "Calais Timeline desk" in text
    apps = [app["app_label"] for app in page.context["main_apps"]]
    assert apps[0] == "timeline"
    assert [app["app_label"] for app in page.context["security_apps"]] == ["axes"]
    assert text.index("Security: sign-in tracking") > text.index('id="desk"')
    models = [m["object_name"] for m in page.context["main_apps"][0]["models"]]
    assert models[:3] == ["Event", "Measure", "Statement"]


def test_the_dashboard_lists_batches_and_open_conflicts_with_links(staff_client, imported_article):
    event = Event.objects.first()
    event.title = "Edited by hand"
    event.save()
    records = json.loads(FIRST_ARTICLE.read_text())
    for record in records:
        if record["model"] == "timeline.event" and record["fields"]["slug"] == event.slug:
            record["fields"]["title"] = "Changed in the file"
    content = json.dumps(records).encode()
    importing.import_articles([importing.read_article(FIRST_ARTICLE.name, content)])

    page = staff_client.get(reverse("admin:index"))
    desk = page.context["desk"]

    batches = ImportBatch.objects.newest_first()
    assert [line.url for line in desk["batches"]] == [b.get_absolute_url() for b in batches]
    assert [line.text for line in desk["conflicts"]] == [f'event "{event.slug}": title']
    assert desk["conflicts"][0].url == batches[0].get_absolute_url()
    assert reverse("admin:timeline_source_import") in page.content.decode()


def test_the_review_list_and_the_draft_link_appear_only_where_they_exist(staff_client):
    page = staff_client.get(reverse("admin:index"))
    desk = page.context["desk"]

    has_reviewed = any(f.name == "reviewed" for f in Event._meta.get_fields())
    assert desk["reviewing"] == has_reviewed
    assert ("Draft from text" in page.content.decode()) == (desk["draft_url"] is not None)


@pytest.mark.skipif(
    not any(f.name == "reviewed" for f in Event._meta.get_fields()),
    reason="records carry no review flag on this branch",
)
def test_the_review_list_links_the_records_waiting(staff_client):
    waiting = EventFactory(reviewed=False)
    EventFactory(reviewed=True)

    page = staff_client.get(reverse("admin:index"))

    lines = page.context["desk"]["review"]
    assert [line.url for line in lines] == [
        reverse("admin:timeline_event_change", args=[waiting.pk])
    ]
