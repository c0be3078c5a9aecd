"""Undoing an import batch, from the command line and from the admin."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.conftest import FIRST_ARTICLE
from tests.db_state import dump
from tests.test_importing import FIRST_SOURCE
from timeline import importing, signals
from timeline.batches import ImportBatch
from timeline.importing.undoing import UndoRefused, undo_batch
from timeline.models import Actor, Event, Measure, MeasureStatus, Participation

pytestmark = pytest.mark.django_db

SECOND = "bbc-2015-08-20-may-cazeneuve-sign-deal"


def second_article():
    """Creates records, changes a shared actor and adds links to the first article's records."""
    return [
        {
            "model": "timeline.source",
            "fields": {
                "slug": SECOND,
                "title": "May and Cazeneuve sign Calais deal",
                "publisher": "BBC",
                "published_on": "2015-08-20",
            },
        },
        {
            "model": "timeline.actor",
            "fields": {
                "slug": "theresa-may",
                "name": "Theresa May",
                "kind": "person",
                "description": "Changed by the second article.",
            },
        },
        {
            "model": "timeline.actor",
            "fields": {"slug": "new-actor", "name": "New actor", "kind": "group"},
        },
        {
            "model": "timeline.event",
            "fields": {
                "slug": "second-article-event",
                "title": "An event of the second article",
                "date": "2015-08-20",
                "sources": [[SECOND]],
            },
        },
        {
            "model": "timeline.participation",
            "fields": {
                "event": ["second-article-event"],
                "actor": ["new-actor"],
                "capacity": "took part",
            },
        },
        {
            "model": "timeline.measure",
            "fields": {
                "slug": "british-police-officers-deployed-to-calais",
                "responsible": [["new-actor"]],
                "events": [["second-article-event"]],
                "sources": [[FIRST_SOURCE], [SECOND]],
            },
        },
        {
            "model": "timeline.measurestatus",
            "fields": {
                "slug": "british-police-officers-deployed-to-calais-in-force",
                "measure": ["british-police-officers-deployed-to-calais"],
                "status": "in-force",
                "date": "2015-09-01",
                "date_precision": "day",
            },
        },
    ]


def run(records, name="second.json", **options):
    content = json.dumps(records, ensure_ascii=False).encode()
    return importing.import_articles([importing.read_article(name, content)], **options)


def test_undoing_a_batch_gives_back_the_dump_of_before_it_byte_for_byte(imported_article):
    before = dump()
    [batch] = run(second_article()).batches
    assert dump() != before

    report = undo_batch(batch)

    assert dump() == before
    # the source, the actor, the event, the participation, the status change
    assert len(report.deleted) == 5
    batch.refresh_from_db()
    assert batch.undone_at is not None


def test_undo_import_last_from_the_command_line(imported_article, capsys):
    before = dump()
    [batch] = run(second_article()).batches

    call_command("undo_import", "last")

    assert dump() == before
    assert f"Undid batch {batch.pk} (second.json)" in capsys.readouterr().out


def test_undo_refuses_over_a_later_edit_and_lists_it(imported_article):
    [batch] = run(second_article()).batches
    Actor.objects.filter(slug="theresa-may").update(description="Edited after the import")

    with pytest.raises(UndoRefused) as refused:
        undo_batch(batch)

    [blocker] = refused.value.blockers
    assert 'actor "theresa-may", field “description”' in blocker
    assert '"Edited after the import"' in blocker
    assert Actor.objects.get(slug="theresa-may").description == "Edited after the import"
    assert Event.objects.filter(slug="second-article-event").exists()


def test_undo_refusal_exits_with_status_4_and_force_overwrites(imported_article):
    slug = "british-police-officers-deployed-to-calais"
    status_before = Measure.objects.get(slug=slug).status
    run(second_article())
    assert Measure.objects.get(slug=slug).status == "in-force"
    change = MeasureStatus.objects.get(slug=f"{slug}-in-force")
    change.status = "abandoned"
    change.save()
    assert Measure.objects.get(slug=slug).status == "abandoned"

    with pytest.raises(CommandError) as refused:
        call_command("undo_import", "last")
    assert refused.value.returncode == 4
    assert "Give --force to overwrite them." in str(refused.value)

    call_command("undo_import", "last", "--force")
    assert Measure.objects.get(slug=slug).status == status_before


def test_undo_refuses_over_a_later_batch(imported_article):
    [batch] = run(second_article()).batches
    later = second_article()
    later[1]["fields"]["description"] = "Changed again by a later version"
    [later_batch] = run(later).batches

    with pytest.raises(UndoRefused, match=f"by batch {later_batch.pk}"):
        undo_batch(batch)


def test_a_record_another_record_now_needs_is_never_deleted(imported_article):
    [batch] = run(second_article()).batches
    Participation.objects.create(
        event=Event.objects.get(slug="theresa-may-visits-calais"),
        actor=Actor.objects.get(slug="new-actor"),
        capacity="added in the admin",
    )

    with pytest.raises(UndoRefused) as refused:
        undo_batch(batch, force=True)

    assert not refused.value.forceable
    assert "refers to it now" in refused.value.blockers[0]


def test_a_batch_is_undone_once(imported_article):
    [batch] = run(second_article()).batches
    undo_batch(batch)

    with pytest.raises(UndoRefused, match="undone already"):
        undo_batch(ImportBatch.objects.get(pk=batch.pk))


def test_a_dry_run_of_the_undo_changes_nothing(imported_article):
    run(second_article())
    after = dump()

    call_command("undo_import", "last", "--dry-run")

    assert dump() == after
    assert ImportBatch.objects.in_force().count() == 2


def test_an_undone_import_of_a_file_is_its_last_no_more(imported_article):
    """After the undo, importing the file again is a first import, and creates it all again."""
    [batch] = run(second_article()).batches
    undo_batch(batch)

    report = run(second_article())

    assert report.count("created") == 5


def test_undo_tells_the_public_site_once(imported_article, django_capture_on_commit_callbacks):
    [batch] = run(second_article()).batches
    told = []
    signals.records_written.connect(lambda **kwargs: told.append(1), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            undo_batch(batch)
    finally:
        signals.records_written.disconnect(dispatch_uid="t")

    assert told == [1]


# In the admin ----------------------------------------------------------------------------------


def test_the_batch_list_and_page_link_to_the_records(admin_client, imported_article):
    listing = admin_client.get(reverse("admin:timeline_importbatch_changelist"))
    batch = ImportBatch.objects.get()
    page = admin_client.get(batch.get_absolute_url())

    assert FIRST_ARTICLE.name in listing.content.decode()
    visit = Event.objects.get(slug="theresa-may-visits-calais")
    url = reverse("admin:timeline_event_change", args=[visit.pk])
    assert f'href="{url}"' in page.content.decode()
    assert reverse("admin:timeline_importbatch_undo", args=[batch.pk]) in page.content.decode()


def test_the_undo_button_asks_first_then_undoes(admin_client, imported_article):
    before = dump()
    [batch] = run(second_article()).batches
    url = reverse("admin:timeline_importbatch_undo", args=[batch.pk])

    confirmation = admin_client.get(url)
    assert "Yes, undo this import" in confirmation.content.decode()
    assert "delete actor &quot;new-actor&quot;" in confirmation.content.decode()
    assert Actor.objects.filter(slug="new-actor").exists()

    response = admin_client.post(url)
    assert response.status_code == 302
    assert dump() == before


def test_the_undo_page_lists_what_it_would_overwrite(admin_client, imported_article):
    [batch] = run(second_article()).batches
    Actor.objects.filter(slug="theresa-may").update(description="Edited after the import")
    url = reverse("admin:timeline_importbatch_undo", args=[batch.pk])

    page = admin_client.get(url).content.decode()
    refused = admin_client.post(url).content.decode()

    for content in (page, refused):
        assert "Edited after the import" in content
        assert "Undo all the same, overwriting these changes" in content
    assert Actor.objects.filter(slug="new-actor").exists()
    admin_client.post(url, {"force": "on"})
    assert not Actor.objects.filter(slug="new-actor").exists()
