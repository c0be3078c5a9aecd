"""Backup and restore as docs/operations.md describes them: every record comes back identical,
history and the admin's log included, from a database that has lived (edits, deletions)."""

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command

from timeline.models import Event, Source

from .factories import ObservationFactory, SourceFactory

ACCOUNT_MODELS = [User, Group, LogEntry]
TIMELINE_MODELS = list(apps.get_app_config("timeline").get_models())


def snapshot():
    """Every record of every timeline model (with history) and every account, serialized."""
    records = []
    for model in TIMELINE_MODELS:
        records += serializers.serialize("python", model._base_manager.order_by("pk"))
    for model in ACCOUNT_MODELS:
        records += serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
    return records


def back_up(directory):
    """The two dumpdata commands of docs/operations.md."""
    accounts = directory / "calais-accounts.yaml.gz"
    timeline = directory / "calais-timeline.yaml.gz"
    call_command(
        "dumpdata",
        "auth.user",
        "auth.group",
        "admin.logentry",
        natural_foreign=True,
        format="yaml",
        output=str(accounts),
        verbosity=0,
    )
    call_command("dumpdata", "timeline", format="yaml", output=str(timeline), verbosity=0)
    return accounts, timeline


def empty_the_database():
    """An empty database as `migrate` leaves it, content types and permissions recreated."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()


def restore(backup, settings):
    """The restore of docs/operations.md: SIMPLE_HISTORY_ENABLED=0 manage.py loaddata FILES."""
    settings.SIMPLE_HISTORY_ENABLED = False
    call_command("loaddata", *map(str, backup), verbosity=0)
    settings.SIMPLE_HISTORY_ENABLED = True


@pytest.fixture
def lived_in_database(article, django_user_model):
    """The article plus what months of editing leave behind: a user's edits in the history and
    the admin's log, deleted records (gaps in ids, history of records that are gone), a group."""
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="change_event"))
    editor.groups.add(editors)

    SourceFactory().delete()
    ObservationFactory().event.delete()
    source = SourceFactory(title="Before")
    source.title = "After"
    source._history_user = editor
    source.save()
    LogEntry.objects.log_actions(
        editor.pk, [source], CHANGE, change_message=[{"changed": {"fields": ["title"]}}]
    )
    return source


@pytest.fixture
def fresh_content_types():
    """flush recreates content types with new ids: keep the cache from serving stale ones."""
    ContentType.objects.clear_cache()
    yield
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_restore_into_an_empty_database_brings_every_record_back(
    lived_in_database, tmp_path, fresh_content_types, settings
):
    before = snapshot()
    backup = back_up(tmp_path)

    empty_the_database()
    assert not Event.objects.exists()
    assert not User.objects.exists()

    restore(backup, settings)

    assert snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_restored_history_still_shows_who_changed_what(
    lived_in_database, tmp_path, fresh_content_types, settings
):
    backup = back_up(tmp_path)
    empty_the_database()
    restore(backup, settings)

    source = Source.objects.get(slug=lived_in_database.slug)
    latest = source.history.latest()
    assert (latest.title, latest.history_user.username) == ("After", "editor")
    assert LogEntry.objects.get().get_edited_object() == source
    assert User.objects.get(username="editor").has_perm("timeline.change_event")
