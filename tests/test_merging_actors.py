"""Merging two actors that are one: every link moves, nothing is dropped, the duplicate's slug
answers for the kept actor, and the merge can be undone."""

import datetime
import json

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    EventFactory,
    MeasureFactory,
    ParticipationFactory,
    RoleFactory,
    StatementFactory,
)
from timeline import importing
from timeline.aliases import SlugAlias
from timeline.merges import ActorMerge
from timeline.merging_actors import MergeRefused, merge_actors, plan_merge, undo_merge
from timeline.models import Actor, Measure, Participation, Role, Statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """Theresa May, and the same person as a second article named her, with one of everything."""
    keep = ActorFactory(slug="theresa-may", name="Theresa May", aliases="")
    dup = ActorFactory(slug="mrs-may", name="Mrs May", aliases="May")
    body = ActorFactory(slug="body", name="A body")
    shared_event = EventFactory(date=datetime.date(2015, 8, 19))
    ParticipationFactory(event=shared_event, actor=keep, capacity="announced")
    ParticipationFactory(event=shared_event, actor=dup, capacity="visited")
    own_event = EventFactory(date=datetime.date(2015, 9, 1))
    ParticipationFactory(event=own_event, actor=dup, capacity="met")
    measure = MeasureFactory()
    measure.responsible.add(dup)
    both = MeasureFactory()
    both.responsible.add(dup, keep)
    statement = StatementFactory(speaker=dup)
    RoleFactory(
        slug="keep-home", actor=keep, title="Home Secretary", start=datetime.date(2010, 5, 12)
    )
    role = RoleFactory(
        slug="dup-home", actor=dup, title="Home Secretary", start=datetime.date(2015, 1, 1)
    )
    member = RoleFactory(slug="member", actor=body, organisation=dup, title="Member")
    return {
        "keep": keep,
        "dup": dup,
        "shared_event": shared_event,
        "own_event": own_event,
        "measure": measure,
        "both": both,
        "statement": statement,
        "role": role,
        "member": member,
    }


def test_merging_moves_every_relation_to_the_kept_actor(pair):
    keep = pair["keep"]

    merge_actors(keep, pair["dup"], run_by="tester")

    assert not Actor.objects.filter(slug="mrs-may").exists()
    assert Participation.objects.get(event=pair["own_event"]).actor == keep
    assert list(Measure.objects.get(pk=pair["measure"].pk).responsible.all()) == [keep]
    assert list(Measure.objects.get(pk=pair["both"].pk).responsible.all()) == [keep]
    assert Statement.objects.get(pk=pair["statement"].pk).speaker == keep
    assert Role.objects.get(pk=pair["role"].pk).actor == keep
    assert Role.objects.get(pk=pair["member"].pk).organisation == keep


def test_a_shared_participation_is_combined_and_listed_not_dropped(pair):
    plan = plan_merge(pair["keep"], pair["dup"])

    merge = merge_actors(pair["keep"], pair["dup"])

    (participation,) = Participation.objects.filter(event=pair["shared_event"])
    assert participation.capacity == "announced; visited"
    assert any("Both took part" in line for line in plan.conflicts)
    assert any("Both held “Home Secretary”" in line for line in merge.conflicts)
    # The similar role is kept, for the editor to review.
    assert Role.objects.filter(actor=pair["keep"], title="Home Secretary").count() == 2


def test_the_duplicates_slug_becomes_an_alias_that_redirects(client, pair):
    merge_actors(pair["keep"], pair["dup"])

    alias = SlugAlias.objects.for_model(Actor).get(old_slug="mrs-may")
    assert alias.object_id == pair["keep"].pk
    response = client.get(reverse("timeline:actor-detail", kwargs={"slug": "mrs-may"}))
    assert response.status_code == 301
    assert response["Location"].endswith(pair["keep"].get_absolute_url())


def test_an_article_naming_the_duplicate_resolves_to_the_kept_actor(pair):
    merge_actors(pair["keep"], pair["dup"])
    records = [
        {
            "model": "timeline.source",
            "fields": {"slug": "s", "title": "T", "publisher": "AFP", "published_on": "2015-08-19"},
        },
        {
            "model": "timeline.statement",
            "fields": {
                "slug": "later",
                "text": "Words.",
                "kind": "reported",
                "speaker": ["mrs-may"],
                "date": "2015-08-19",
                "sources": [["s"]],
            },
        },
    ]
    content = json.dumps(records).encode()

    importing.import_articles([importing.read_article("later.json", content)])

    assert Statement.objects.get(slug="later").speaker == pair["keep"]


def test_the_duplicates_names_become_the_kept_actors_other_names(pair):
    merge_actors(pair["keep"], pair["dup"])

    assert Actor.objects.get(pk=pair["keep"].pk).alias_list == ["Mrs May", "May"]


def test_the_merge_is_in_the_history_with_its_reason(pair):
    merge = merge_actors(pair["keep"], pair["dup"], run_by="tester")

    entry = Statement.objects.get(pk=pair["statement"].pk).history.first()
    assert entry.history_change_reason == f"Merge {merge.pk}: mrs-may into theresa-may, by tester"
    (deleted,) = Actor.history.filter(slug="mrs-may", history_type="-")
    assert deleted.history_change_reason == entry.history_change_reason


def test_undoing_a_merge_puts_everything_back(pair):
    dup_pk = pair["dup"].pk
    merge = merge_actors(pair["keep"], pair["dup"])

    not_restored = undo_merge(ActorMerge.objects.get(pk=merge.pk), run_by="tester")

    assert not_restored == []
    dup = Actor.objects.get(slug="mrs-may")
    assert (dup.pk, dup.name, dup.aliases) == (dup_pk, "Mrs May", "May")
    assert Participation.objects.get(event=pair["own_event"]).actor == dup
    shared = dict(
        Participation.objects.filter(event=pair["shared_event"]).values_list(
            "actor__slug", "capacity"
        )
    )
    assert shared == {"theresa-may": "announced", "mrs-may": "visited"}
    assert list(Measure.objects.get(pk=pair["measure"].pk).responsible.all()) == [dup]
    assert set(Measure.objects.get(pk=pair["both"].pk).responsible.all()) == {dup, pair["keep"]}
    assert Statement.objects.get(pk=pair["statement"].pk).speaker == dup
    assert Role.objects.get(pk=pair["role"].pk).actor == dup
    assert Role.objects.get(pk=pair["member"].pk).organisation == dup
    assert Actor.objects.get(pk=pair["keep"].pk).aliases == ""
    assert not SlugAlias.objects.for_model(Actor).filter(old_slug="mrs-may").exists()
    assert ActorMerge.objects.get(pk=merge.pk).undone_at is not None


def test_a_merge_is_undone_once(pair):
    merge = merge_actors(pair["keep"], pair["dup"])
    undo_merge(merge)

    with pytest.raises(MergeRefused):
        undo_merge(ActorMerge.objects.get(pk=merge.pk))


def test_an_actor_is_not_merged_into_itself(pair):
    with pytest.raises(MergeRefused):
        merge_actors(pair["keep"], pair["keep"])


def test_the_command_merges_and_undoes(pair, capsys):
    call_command("merge_actors", "theresa-may", "mrs-may")
    merge = ActorMerge.objects.get()
    assert f"merge_actors --undo {merge.pk}" in capsys.readouterr().out
    assert not Actor.objects.filter(slug="mrs-may").exists()

    call_command("merge_actors", "--undo", str(merge.pk))

    assert Actor.objects.filter(slug="mrs-may").exists()


def test_the_commands_dry_run_changes_nothing(pair, capsys):
    call_command("merge_actors", "theresa-may", "mrs-may", "--dry-run")

    assert "statement (speaker)" in capsys.readouterr().out
    assert Actor.objects.filter(slug="mrs-may").exists()
    assert not ActorMerge.objects.exists()


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser("editor", "e@example.com", "a-password-1"))
    return client


def test_the_admin_action_confirms_with_everything_that_moves(staff_client, pair):
    keep, dup = pair["keep"], pair["dup"]

    response = staff_client.post(
        reverse("admin:timeline_actor_changelist"),
        {"action": "merge_two", "_selected_action": [keep.pk, dup.pk]},
        follow=True,
    )

    text = response.content.decode()
    assert "Merge Mrs May into Theresa May?" in text
    assert "statement (speaker)" in text
    assert "Both took part in" in text
    assert Actor.objects.filter(pk=dup.pk).exists()


def test_the_admin_merges_on_confirmation_and_its_page_undoes(staff_client, pair):
    keep, dup = pair["keep"], pair["dup"]
    url = reverse("admin:timeline_actor_merge", args=[keep.pk, dup.pk])

    page = staff_client.post(url, follow=True)
    merge = ActorMerge.objects.get()

    assert "Undo this merge" in page.content.decode()
    assert not Actor.objects.filter(pk=dup.pk).exists()
    staff_client.post(reverse("admin:timeline_actormerge_undo", args=[merge.pk]))
    assert Actor.objects.filter(slug="mrs-may").exists()
