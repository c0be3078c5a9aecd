"""The public page cache (timeline.caching): any write invalidates it once it commits, repeat
views are cheap.

Tests of when the generation changes commit for real (transaction=True); elsewhere writes run in
the test's transaction, which never commits, and django_capture_on_commit_callbacks(execute=True)
runs the on-commit callbacks where a commit would be.
"""

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory

from timeline import caching
from timeline.factories import ActorFactory, EventFactory, SourceFactory
from timeline.models import Event

requests = RequestFactory()


class CountingView:
    """A view that says how many times it has rendered."""

    def __init__(self, status=200):
        self.renders = 0
        self.status = status

    def __call__(self, request):
        self.renders += 1
        return HttpResponse(f"render {self.renders}", status=self.status)


@pytest.fixture
def view():
    counting = CountingView()
    return counting, caching.cache_public_page(counting)


@pytest.mark.django_db(transaction=True)
def test_saving_a_record_changes_the_generation():
    before = caching.current_generation()
    EventFactory()
    assert caching.current_generation() != before


@pytest.mark.django_db(transaction=True)
def test_deleting_a_record_changes_the_generation():
    event = EventFactory()
    before = caching.current_generation()
    event.delete()
    assert caching.current_generation() != before


@pytest.mark.django_db(transaction=True)
def test_changing_a_many_to_many_relation_changes_the_generation():
    event = EventFactory()
    source = SourceFactory()
    before = caching.current_generation()
    event.sources.add(source)
    assert caching.current_generation() != before


@pytest.mark.django_db(transaction=True)
def test_the_generation_changes_only_when_the_write_commits():
    before = caching.current_generation()
    with transaction.atomic():
        EventFactory()
        # A page rendered now reads the old data: it must be cached under the old generation.
        assert caching.current_generation() == before
    assert caching.current_generation() != before


@pytest.mark.django_db
def test_a_transaction_of_many_writes_invalidates_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        EventFactory.create_batch(5)
    assert callbacks.count(caching.invalidate_public_pages) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_leaves_the_cache_alone():
    before = caching.current_generation()
    with transaction.atomic():
        EventFactory()
        transaction.set_rollback(True)
    assert caching.current_generation() == before


@pytest.mark.django_db(transaction=True)
def test_a_write_after_a_rolled_back_savepoint_still_invalidates():
    before = caching.current_generation()
    with transaction.atomic():
        with transaction.atomic():
            EventFactory()
            transaction.set_rollback(True)
        EventFactory()
        assert caching.current_generation() == before
    assert caching.current_generation() != before


@pytest.mark.django_db
def test_a_queryset_update_needs_the_explicit_call():
    event = EventFactory()
    before = caching.current_generation()
    Event.objects.filter(pk=event.pk).update(title="Changed in bulk")
    assert caching.current_generation() == before
    caching.invalidate_public_pages()
    assert caching.current_generation() != before


def test_the_generation_is_stable_without_writes():
    assert caching.current_generation() == caching.current_generation()


def test_a_repeat_view_is_served_from_the_cache(view):
    counting, cached = view
    first = cached(requests.get("/events/?page=2"))
    second = cached(requests.get("/events/?page=2"))
    assert counting.renders == 1
    assert second.content == first.content == b"render 1"


def test_another_query_string_is_another_page(view):
    counting, cached = view
    cached(requests.get("/events/?page=2"))
    cached(requests.get("/events/?page=3"))
    assert counting.renders == 2


@pytest.mark.django_db
def test_a_write_makes_the_next_view_render_again(view, django_capture_on_commit_callbacks):
    counting, cached = view
    cached(requests.get("/events/"))
    with django_capture_on_commit_callbacks(execute=True):
        ActorFactory()
    assert cached(requests.get("/events/")).content == b"render 2"


def test_a_matching_etag_gets_304_without_rendering(view):
    counting, cached = view
    etag = cached(requests.get("/events/"))["ETag"]
    response = cached(requests.get("/events/", HTTP_IF_NONE_MATCH=etag))
    assert response.status_code == 304
    assert counting.renders == 1


def test_a_stale_etag_gets_the_page(view):
    counting, cached = view
    cached(requests.get("/events/"))
    response = cached(requests.get("/events/", HTTP_IF_NONE_MATCH='"stale"'))
    assert response.status_code == 200


def test_a_signed_in_request_is_rendered_fresh(view):
    counting, cached = view
    cached(requests.get("/events/"))
    request = requests.get("/events/")
    request.COOKIES["sessionid"] = "staff"
    assert cached(request).content == b"render 2"


def test_a_post_is_never_cached(view):
    counting, cached = view
    cached(requests.post("/events/"))
    cached(requests.post("/events/"))
    assert counting.renders == 2


def test_an_error_page_is_not_cached():
    counting = CountingView(status=404)
    cached = caching.cache_public_page(counting)
    cached(requests.get("/events/missing/"))
    cached(requests.get("/events/missing/"))
    assert counting.renders == 2
