"""Whole-page caching of the public site, and the one place where it is invalidated.

Every cached page is keyed by its path and query string *and* the current cache generation, a
random token kept in the cache. Any write to the timeline replaces the token
(``invalidate_public_pages``), so every page cached before it becomes unreachable at once and
expires in its own time; nothing has to enumerate which pages a change touches.

Writes reach ``invalidate_public_pages`` once their transaction has committed, never before:
a page rendered between the write and its commit reads the old data, and must not be cached
under the new generation. They get there through:
- the post_save / post_delete / m2m_changed receivers below, for every model of this app (admin
  edits, history reverts, loaddata), connected in PublicConfig.ready(): each schedules one
  ``invalidate_after_commit`` per transaction;
- ``timeline.signals.records_written``, which the data side sends after committed work that
  bypasses those signals (an import, a synthetic seed);
- post_migrate, so a deploy (``make serve`` migrates first) never serves pages rendered by the
  previous code.

The same generation keys cached *data* that costs too much to compute on every request and
changes only on a write (``cached_until_write``): the timeline's counts per month, which every
timeline page needs whether or not whole pages are cached (CACHE_PUBLIC_PAGES governs pages only),
and fragments the views draw themselves: the histogram drawn from those counts, and the filter
forms' fields, whose <select> of a few hundred actors is most of a form's cost.

Views opt in with ``cache_public_page`` (timeline.views.PublicViewMixin wraps every public view
in it). Cached pages carry a strong ETag of their body and answer ``If-None-Match`` with 304;
ConditionalGetMiddleware then finds the ETag set and adds none of its own. Only anonymous
GET/HEAD requests with a 200 answer are cached: a request carrying a session cookie (staff)
always gets a freshly rendered page, and downloads (exports) are never cached. The setting
CACHE_PUBLIC_PAGES = False turns the cache off (the benchmark measures both ways).
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.cache import get_conditional_response

from timeline.signals import records_written

APP_LABEL = "timeline"
GENERATION_KEY = "timeline:page-generation"
PAGE_KEY_PREFIX = "timeline:page"
DATA_KEY_PREFIX = "timeline:data"
PAGE_TIMEOUT = 60 * 60 * 24


def current_generation():
    """The token that every cached page key includes; created when the cache has none."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY, generation)
    return generation


def invalidate_public_pages():
    """Make every cached public page stale. Call after any write to the timeline."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate_after_commit(using=None):
    """Invalidate once the current transaction on ``using`` commits (at once outside one).

    Scheduled at most once per transaction: an import that saves a thousand records bumps the
    generation once. A rolled-back transaction drops the callback, and rightly so.
    """
    connection = transaction.get_connection(using)
    # Skip if one is already scheduled at this savepoint or an enclosing one (a rollback that
    # dropped it would undo this write too); run_on_commit holds (savepoint ids, callback, robust).
    savepoints = set(connection.savepoint_ids)
    if connection.in_atomic_block and any(
        callback is invalidate_public_pages and ids <= savepoints
        for ids, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(invalidate_public_pages, using=using)


def page_cache_key(request, generation):
    path = request.get_full_path()
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{generation}:{digest}"


def cached_until_write(name, identity, compute):
    """``compute()``, cached under ``name`` and ``identity`` (a repr-able description of what it
    depends on, e.g. a filter's cleaned values) until the next write to the timeline."""
    # The generation is read before computing: a write committed meanwhile leaves the value
    # under the old generation, never to be read again.
    digest = hashlib.sha256(repr(identity).encode()).hexdigest()
    key = f"{DATA_KEY_PREFIX}:{current_generation()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, PAGE_TIMEOUT)
    return value


def is_cacheable_request(request):
    return (
        getattr(settings, "CACHE_PUBLIC_PAGES", True)
        and request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Set-Cookie")
        and not response.has_header("Content-Disposition")
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def etag_for(content):
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def cache_public_page(view):
    """Serve the view's page from the cache when the timeline has not changed since it was
    rendered; answer conditional requests for it with 304 Not Modified."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not is_cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_cache_key(request, current_generation())
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if not is_cacheable_response(response):
                return response
            response["ETag"] = etag_for(response.content)
            cache.set(key, response, PAGE_TIMEOUT)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return cached_view


def _invalidate_on_write(sender, action="post_write", using=None, **kwargs):
    if sender._meta.app_label == APP_LABEL and action.startswith("post_"):
        invalidate_after_commit(using)


def _invalidate_after_migrate(sender, **kwargs):
    invalidate_public_pages()


def _invalidate_after_bulk_write(sender, **kwargs):
    invalidate_public_pages()


def connect_invalidation_signals():
    """Connect the receivers that keep the page cache honest (from PublicConfig.ready)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_invalidate_on_write, dispatch_uid=f"timeline-cache-{signal!r}")
    records_written.connect(_invalidate_after_bulk_write, dispatch_uid="timeline-cache-bulk")
    post_migrate.connect(_invalidate_after_migrate, dispatch_uid="timeline-cache-migrate")
