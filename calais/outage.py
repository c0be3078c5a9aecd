"""The site while its database cannot be reached (a PostgreSQL restart, a failover).

Readers of a page in the public page cache get it, stale if a write has happened since
(timeline.public.caching). Every other request answers 503 Service Unavailable with Retry-After
and a short page, never a 500 with a traceback: ``DatabaseOutageMiddleware``.

An error is an outage only if it left no open connection: a failed connect, or a connection the
server dropped. An OperationalError on a connection that is still open (an SQL syntax error, a
statement timeout) is a bug, and goes on to Django's 500 and its traceback.

The log says so once, not once a request: one WARNING when the outage is first seen and one
WARNING when the database answers again, across the gunicorn workers of one cache (a flag added
to the cache by the first worker to see it, deleted by the first to see the database back).
Each worker reconnects by itself: Django's CONN_HEALTH_CHECKS replaces a connection that died,
and a failed connect is tried again on the next request.
"""

import logging
import time

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html

logger = logging.getLogger("calais.outage")

RETRY_AFTER = 30
# The flag expires, so an outage whose end no worker saw (they were all restarted) cannot hide the
# next one from the log.
FLAG_TIMEOUT = 60 * 60
FLAG_KEY_PREFIX = "calais:database-unreachable"

PAGE = """<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Back shortly · Calais Timeline</title>
  <link rel="stylesheet" href="{stylesheet}">
</head>
<body>
  <main id="main" class="wrap">
    <h1>Back shortly</h1>
    <p>The timeline cannot reach its database just now. Please try again in a minute.</p>
    <p><a href="{home}">Calais Timeline</a></p>
  </main>
</body>
</html>
"""

# A stale page is served at once for this long after this worker last failed to reach the
# database, rather than each of its readers waiting for a connect that fails (up to
# DATABASE_CONNECT_TIMEOUT on a host that does not answer).
RETRY_INTERVAL = 5

# Whether this worker has seen the database unreachable and not yet seen it back; when it last
# failed to reach it.
_unreachable_since = None
_last_failure = None


def database_unreachable(error, using=DEFAULT_DB_ALIAS):
    """Whether ``error`` means that the database cannot be reached; if so, note the outage."""
    if not isinstance(error, OperationalError | InterfaceError) or connected(using):
        return False
    note_outage(error)
    return True


def connected(using=DEFAULT_DB_ALIAS):
    """Whether the connection ``using`` is open and not known to be broken. Asks nothing of the
    server: psycopg marks a connection the server dropped as closed."""
    raw = connections[using].connection
    if raw is None:
        return False
    return not getattr(raw, "closed", False) and not getattr(raw, "broken", False)


def flag_key():
    """The flag's key, for this database only (two sites may share one cache)."""
    # Imported here: the page cache imports this module.
    from timeline.public.caching import database_token

    return f"{FLAG_KEY_PREFIX}:{database_token()}"


def recently_failed():
    """Whether this worker failed to reach the database less than RETRY_INTERVAL ago."""
    return _last_failure is not None and time.monotonic() - _last_failure < RETRY_INTERVAL


def note_outage(error):
    global _unreachable_since, _last_failure
    _last_failure = time.monotonic()
    if _unreachable_since is not None:
        return
    _unreachable_since = _last_failure
    if _cache_call(cache.add, flag_key(), time.time(), FLAG_TIMEOUT):
        reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        logger.warning(
            "The database is unreachable (%s): serving cached pages, 503 for the rest.", reason
        )


def note_recovery(using=DEFAULT_DB_ALIAS):
    """After a request, in a worker that saw the outage: if the request left an open connection,
    it reached the database, which is back."""
    global _unreachable_since, _last_failure
    if _unreachable_since is None or not connected(using):
        return
    _unreachable_since = _last_failure = None
    if _cache_call(cache.delete, flag_key()):
        logger.warning("The database is reachable again.")


def _cache_call(method, *args):
    """A cache call that, when the cache itself fails, answers True: each worker then logs once
    for itself rather than not at all."""
    try:
        return method(*args)
    except Exception:
        return True


def unavailable_response():
    """503 with Retry-After and a short page in the site's style."""
    response = HttpResponse(
        format_html(
            PAGE, stylesheet=static("timeline/site.css"), home=reverse("timeline:timeline")
        ),
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return logged_already(response)


def logged_already(response):
    """Keep Django's request logger from adding an ERROR line a request for ``response``: the
    outage is logged once (note_outage)."""
    # The attribute django.utils.log.log_response sets on a response it has logged.
    response._has_been_logged = True
    return response


class DatabaseOutageMiddleware:
    """503 instead of 500 for a request that failed because the database cannot be reached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500:
            note_recovery()
        return response

    def process_exception(self, request, exception):
        if database_unreachable(exception):
            return unavailable_response()
        return None
