"""Whole-page caching of the public site, and the one place where it is invalidated.

Every key names the database its value was read from (``database_token``: the vendor, host, port
and name, and for SQLite the resolved path of the file, hashed), so switching DATABASE_URL, two
sites sharing one Redis, or a backup restored into a new database never serve another database's
pages, counts or compiled SQL (SQL compiled for PostgreSQL is not SQLite's).

Within one database, what is cached is valid until the next write: the *generation*, a random
token kept in the cache, names the data's state. Any write to the timeline replaces the token
(``invalidate_public_pages``), so everything cached before it becomes stale at once; nothing has to
enumerate which pages a change touches.

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

Cached *data* that costs too much to compute on every request and changes only on a write is
keyed by the generation (``cached_until_write``): the timeline's counts per month, which every
timeline page needs whether or not whole pages are cached (CACHE_PUBLIC_PAGES governs pages only),
and fragments the views draw themselves: the histogram drawn from those counts, and the filter
forms' fields, whose <select> of a few hundred actors is most of a form's cost.

Whole pages are stored differently: under their URL alone, holding the generation they were
rendered at with the response. A page whose generation is the current one is served; otherwise
it is rendered again, and if that fails because the database cannot be reached (calais.outage),
the old copy is served with ``X-Served-Stale: 1`` and ``Warning: 110`` (at once, without trying,
for a few seconds after such a failure): readers keep the site through a database restart or
failover. Anything else then answers 503 (calais.outage).

Views opt in with ``cache_public_page`` (timeline.views.PublicViewMixin wraps every public view
in it, with the query parameters the view reads). A request whose query string carries any other
parameter, or an empty one, is redirected to the canonical URL: the known, non-empty parameters
in their order (``?q=&kind=&actor=theresa-may`` becomes ``?actor=theresa-may``, as the filter
forms submit it without JavaScript). A redirect rather than ignoring them in the key: a link
shared with ``utm_source`` or ``fbclid`` keeps working, each view has one cache entry whatever is
appended to it, and a page never writes foreign parameters into its own links (the histogram's
and the pager's links repeat the query string). The page key is then the path and the sorted
known parameters.

Cached pages carry a strong ETag of their body and answer ``If-None-Match`` with 304;
ConditionalGetMiddleware then finds the ETag set and adds none of its own. Only anonymous
GET/HEAD requests with a 200 answer are cached: a request carrying a session cookie (staff)
always gets a freshly rendered page, and downloads (exports) are never cached. The setting
CACHE_PUBLIC_PAGES = False turns the cache off (the benchmark measures both ways).
"""

import hashlib
import uuid
from functools import lru_cache, wraps
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponsePermanentRedirect
from django.utils.cache import get_conditional_response, patch_cache_control

from calais import outage
from timeline.signals import records_written

APP_LABEL = "timeline"
GENERATION_KEY_PREFIX = "timeline:page-generation"
PAGE_KEY_PREFIX = "timeline:page"
DATA_KEY_PREFIX = "timeline:data"
# Pages stay readable after the generation changes, to be served while the database is away;
# they are replaced on their next view, and expire at last after a week.
PAGE_TIMEOUT = 60 * 60 * 24 * 7
DATA_TIMEOUT = 60 * 60 * 24
# How long a browser or proxy may remember that a URL with foreign parameters goes elsewhere.
REDIRECT_MAX_AGE = 60 * 60


def database_token(using=DEFAULT_DB_ALIAS):
    """A short name of the database ``using`` reads from, part of every cache key."""
    connection = connections[using]
    settings_dict = connection.settings_dict
    return _database_token(
        connection.vendor,
        str(settings_dict.get("HOST") or ""),
        str(settings_dict.get("PORT") or ""),
        str(settings_dict.get("NAME") or ""),
    )


@lru_cache(maxsize=16)
def _database_token(vendor, host, port, name):
    if vendor == "sqlite" and name and ":memory:" not in name and "mode=memory" not in name:
        # The same file however the setting spells it (relative, through a symbolic link).
        name = str(Path(name).expanduser().resolve())
    identity = repr((vendor, host, port, name)).encode()
    return hashlib.sha256(identity).hexdigest()[:16]


def generation_key():
    return f"{GENERATION_KEY_PREFIX}:{database_token()}"


def current_generation():
    """The token that says which state of the data a cached value was read from; created when
    the cache has none."""
    key = generation_key()
    generation = cache.get(key)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(key, generation, timeout=None):
            generation = cache.get(key, generation)
    return generation


def invalidate_public_pages():
    """Make every cached public page stale. Call after any write to the timeline."""
    cache.set(generation_key(), uuid.uuid4().hex, timeout=None)


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


def query_pairs(request):
    """The query string as (name, value) pairs in their order, empty values included."""
    return parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)


def canonical_pairs(request, known_parameters):
    """The pairs of the known parameters that have a value, in their order."""
    pairs = query_pairs(request)
    return [(name, value) for name, value in pairs if name in known_parameters and value]


def canonical_redirect(request, known_parameters):
    """A redirect to the canonical URL when the query string has unknown or empty parameters."""
    pairs = query_pairs(request)
    canonical = canonical_pairs(request, known_parameters)
    if pairs == canonical:
        return None
    query = urlencode(canonical)
    response = HttpResponsePermanentRedirect(f"{request.path}?{query}" if query else request.path)
    patch_cache_control(response, max_age=REDIRECT_MAX_AGE)
    return response


def page_cache_key(request, known_parameters=None):
    """The path and the sorted known parameters (every parameter if the view names none)."""
    if known_parameters is None:
        pairs = query_pairs(request)
    else:
        pairs = canonical_pairs(request, known_parameters)
    pairs.sort(key=lambda pair: pair[0])
    digest = hashlib.sha256(f"{request.path}?{urlencode(pairs)}".encode()).hexdigest()
    return f"{PAGE_KEY_PREFIX}:{database_token()}:{digest}"


def cached_until_write(name, identity, compute):
    """``compute()``, cached under ``name`` and ``identity`` (a repr-able description of what it
    depends on, e.g. a filter's cleaned values) until the next write to the timeline."""
    # The generation is read before computing: a write committed meanwhile leaves the value
    # under the old generation, never to be read again.
    digest = hashlib.sha256(repr(identity).encode()).hexdigest()
    key = f"{DATA_KEY_PREFIX}:{database_token()}:{current_generation()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, DATA_TIMEOUT)
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


def serve_stale(request, response):
    """A cached page rendered before the latest write, saying so (RFC 9111's Warning 110)."""
    response["X-Served-Stale"] = "1"
    response["Warning"] = '110 - "Response is Stale"'
    return get_conditional_response(request, etag=response["ETag"], response=response)


def cache_public_page(view, known_parameters=None):
    """Serve the view's page from the cache when the timeline has not changed since it was
    rendered, or when it has but the database cannot be reached; answer conditional requests
    for it with 304 Not Modified. With ``known_parameters`` (the query parameters the view
    reads), redirect a URL with any other, or an empty one, to the canonical URL."""
    if known_parameters is not None:
        known_parameters = frozenset(known_parameters)

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if known_parameters is not None and request.method in {"GET", "HEAD"}:
            redirect = canonical_redirect(request, known_parameters)
            if redirect is not None:
                return redirect
        if not is_cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_cache_key(request, known_parameters)
        generation = current_generation()
        cached = cache.get(key)
        if cached is not None and cached[0] == generation:
            response = cached[1]
        elif cached is not None and outage.recently_failed():
            return serve_stale(request, cached[1])
        else:
            try:
                response = render(view, request, *args, **kwargs)
            except Exception as error:
                if cached is None or not outage.database_unreachable(error):
                    raise
                return serve_stale(request, cached[1])
            if not is_cacheable_response(response):
                return response
            response["ETag"] = etag_for(response.content)
            cache.set(key, (generation, response), PAGE_TIMEOUT)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return cached_view


def render(view, request, *args, **kwargs):
    """The view's response, its template rendered (so that a database error raises here)."""
    response = view(request, *args, **kwargs)
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    return response


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
