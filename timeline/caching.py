"""Whole-page caching of the public site, and the one place where it is invalidated.

Every cached page is keyed by its path and query string *and* the current cache generation, a
random token kept in the cache. Any write to the timeline replaces the token
(``invalidate_public_pages``), so every page cached before it becomes unreachable at once and
expires in its own time; nothing has to enumerate which pages a change touches.

Writes reach ``invalidate_public_pages`` through:
- the post_save / post_delete / m2m_changed receivers below, for every model of this app (admin
  edits, history reverts, loaddata), connected in TimelineConfig.ready();
- an explicit call after work that bypasses signals: bulk imports and ``seed_synthetic`` (call it
  once the import's transaction has committed);
- post_migrate, so a deploy (``make serve`` migrates first) never serves pages rendered by the
  previous code.

Views opt in with ``cache_public_page`` (a decorator; ``method_decorator(cache_public_page,
name="dispatch")`` on a class-based view). Cached pages carry a strong ETag of their body and
answer ``If-None-Match`` with 304. Only anonymous GET/HEAD requests with a 200 answer are cached:
a request carrying a session cookie (staff) always gets a freshly rendered page.
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.cache import get_conditional_response

APP_LABEL = "timeline"
GENERATION_KEY = "timeline:page-generation"
PAGE_KEY_PREFIX = "timeline:page"
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


def page_cache_key(request, generation):
    path = request.get_full_path()
    digest = hashlib.sha256(path.encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{generation}:{digest}"


def is_cacheable_request(request):
    return request.method in {"GET", "HEAD"} and settings.SESSION_COOKIE_NAME not in request.COOKIES


def is_cacheable_response(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Set-Cookie")
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


def _invalidate_on_write(sender, action="post_write", **kwargs):
    if sender._meta.app_label == APP_LABEL and action.startswith("post_"):
        invalidate_public_pages()


def _invalidate_after_migrate(sender, **kwargs):
    invalidate_public_pages()


def connect_invalidation_signals():
    """Connect the receivers that keep the page cache honest (from TimelineConfig.ready)."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_invalidate_on_write, dispatch_uid=f"timeline-cache-{signal!r}")
    post_migrate.connect(_invalidate_after_migrate, dispatch_uid="timeline-cache-migrate")
