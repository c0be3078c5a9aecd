"""While the database cannot be reached, readers of cached pages get them (stale if need be),
everything else answers 503 with Retry-After, and the log says so once (calais.outage).

Two ways to lose the database: on any backend, a connection whose every connect fails (the
same database, so the same cache keys); on PostgreSQL, a real outage, the site's connection
going through a TCP proxy that the test cuts (connections refused, the kept one dropped) and
restores.
"""

import logging
import socket
import threading
from contextlib import contextmanager, suppress

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import RequestFactory
from django.urls import reverse

from calais import outage
from timeline.models import Event
from timeline.public import caching

EVENTS = reverse("timeline:event-list")
MEASURES = reverse("timeline:measure-list")
HEALTHZ = reverse("healthz")


@pytest.fixture(autouse=True)
def fresh_worker(monkeypatch):
    """Each test is a worker that has not seen an outage yet."""
    monkeypatch.setattr(outage, "_unreachable_since", None)
    monkeypatch.setattr(outage, "_last_failure", None)


@pytest.fixture
def outage_log(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def outage_lines(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "calais.outage"]


def request_errors(caplog):
    return [r for r in caplog.records if r.name.startswith("django") and r.levelno >= 40]


@contextmanager
def default_database(settings_dict, connect=None):
    """The site's default connection replaced, for the block, by one to ``settings_dict``
    (``connect`` replacing its connect if given)."""
    settings_dict = connections.configure_settings({"default": settings_dict})["default"]
    original = connections["default"]
    replacement = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    if connect is not None:
        replacement.get_new_connection = connect
    connections["default"] = replacement
    try:
        yield replacement
    finally:
        with suppress(Exception):
            replacement.close()
        connections["default"] = original


@contextmanager
def unreachable_database():
    """The same database, but every connect fails as when the server is down."""
    error = connection.Database.OperationalError

    def refuse(params):
        raise error('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with default_database(dict(connection.settings_dict), connect=refuse):
        yield


@pytest.mark.django_db
def test_a_cached_page_is_served_stale_while_the_database_is_unreachable(client, article):
    fresh = client.get(EVENTS)
    caching.invalidate_public_pages()  # a write since: the copy is stale

    with unreachable_database():
        stale = client.get(EVENTS)

    assert stale.status_code == 200
    assert stale.content == fresh.content
    assert stale["X-Served-Stale"] == "1"
    assert stale["Warning"] == '110 - "Response is Stale"'


@pytest.mark.django_db
def test_stale_pages_are_served_at_once_for_a_while_after_a_failed_connect(
    client, article, monkeypatch
):
    """A host that does not answer makes each connect wait its timeout: readers of cached pages
    must not each wait for one."""
    client.get(EVENTS)
    client.get(MEASURES)
    caching.invalidate_public_pages()
    with unreachable_database():
        assert client.get(EVENTS)["X-Served-Stale"] == "1"  # tried, and failed
        tried = []
        render = caching.render
        monkeypatch.setattr(caching, "render", lambda *a, **k: tried.append(1) or render(*a, **k))

        assert client.get(MEASURES)["X-Served-Stale"] == "1"
        assert tried == []
        monkeypatch.setattr(outage, "_last_failure", outage._last_failure - outage.RETRY_INTERVAL)
        assert client.get(MEASURES)["X-Served-Stale"] == "1"
        assert tried == [1]


@pytest.mark.django_db
def test_a_fresh_cached_page_is_served_without_the_database(client, article):
    fresh = client.get(EVENTS)

    with unreachable_database():
        again = client.get(EVENTS)

    assert again.content == fresh.content
    assert "X-Served-Stale" not in again


@pytest.mark.django_db
def test_an_uncached_page_answers_503_with_retry_after(client, article):
    with unreachable_database():
        response = client.get(MEASURES)

    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER)
    page = response.content.decode()
    assert "cannot reach its database" in page
    assert 'href="/static/timeline/site.css"' in page


@pytest.mark.django_db
def test_a_signed_in_editor_gets_503_not_a_stale_page(client, article):
    client.get(EVENTS)
    caching.invalidate_public_pages()
    client.cookies["sessionid"] = "staff"

    with unreachable_database():
        response = client.get(EVENTS)

    assert response.status_code == 503


@pytest.mark.django_db
def test_the_outage_is_logged_once_and_its_end_once(client, article, outage_log):
    client.get(EVENTS)
    caching.invalidate_public_pages()

    with unreachable_database():
        for url in (EVENTS, MEASURES, EVENTS, MEASURES, reverse("timeline:actor-list")):
            client.get(url)
        assert outage_lines(outage_log) == [
            'The database is unreachable (connection to server at "127.0.0.1", port 5432 '
            "failed: Connection refused): serving cached pages, 503 for the rest."
        ]
    assert client.get(MEASURES).status_code == 200
    assert client.get(MEASURES).status_code == 200

    assert outage_lines(outage_log)[1:] == ["The database is reachable again."]
    assert request_errors(outage_log) == []


@pytest.mark.django_db
def test_another_worker_that_sees_the_outage_logs_nothing(client, article, outage_log):
    with unreachable_database():
        client.get(MEASURES)
        outage._unreachable_since = None  # a second worker, sharing the cache
        client.get(MEASURES)

    assert len(outage_lines(outage_log)) == 1


@pytest.mark.django_db
def test_health_check_answers_503_while_the_database_is_unreachable(client):
    with unreachable_database():
        assert client.get(HEALTHZ).status_code == 503
    assert client.get(HEALTHZ).status_code == 200


@pytest.mark.django_db
def test_a_bad_query_is_still_a_server_error(client, article, monkeypatch, outage_log):
    """An OperationalError on a connection that is open (SQLite's "near UNION": syntax error) is
    a bug: a 500 with its traceback, not an outage."""
    error = connection.Database.OperationalError

    def broken(*args, **kwargs):
        raise error('near "UNION": syntax error')

    monkeypatch.setattr(caching, "render", broken)
    client.raise_request_exception = False
    client.get(HEALTHZ)  # the connection is open

    assert client.get(EVENTS).status_code == 500
    assert outage_lines(outage_log) == []


# A real outage on PostgreSQL, through a proxy the test cuts.


class CuttableProxy:
    """A TCP proxy on 127.0.0.1 to ``target``; ``cut()`` closes its port and every connection
    through it, as a stopped server does; ``restore()`` listens on the same port again."""

    def __init__(self, target):
        self.target = target
        self.port = None
        self.listener = None
        self.sockets = set()
        self.lock = threading.Lock()

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port or 0))
        self.listener.listen()
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self):
        # shutdown() first: close() alone leaves a socket that a thread is accepting on listening.
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            sockets, self.sockets = self.sockets, set()
        for end in sockets:
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    restore = start


def serve(path):
    """One request through Django's real WSGI handler, with the request_started/finished signals
    that manage connections (the test client switches those off): status, headers, body."""
    environ = RequestFactory().get(path).environ
    started = []
    result = WSGIHandler()(environ, lambda status, headers: started.append((status, headers)))
    body = b"".join(result)
    result.close()
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), body


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a server outage needs PostgreSQL (run with DATABASE_URL=postgres://...)",
)
@pytest.mark.django_db(transaction=True)
def test_the_site_rides_out_a_postgresql_outage(live_article, outage_log):
    settings_dict = dict(connection.settings_dict)
    proxy = CuttableProxy(
        (settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432))
    )
    proxy.start()
    detail = Event.objects.first().get_absolute_url()
    connection.close()
    through_proxy = {**settings_dict, "HOST": "127.0.0.1", "PORT": str(proxy.port)}
    try:
        with default_database(through_proxy) as site_connection:
            assert serve(EVENTS)[0] == serve(HEALTHZ)[0] == 200
            kept_backend = site_connection.connection.info.backend_pid
            caching.invalidate_public_pages()  # a write since: the cached copy is stale
            assert serve(detail)[0] == 200  # cached again, current

            proxy.cut()
            stale = serve(EVENTS)
            fresh = serve(detail)
            uncached = serve(MEASURES)
            health = serve(HEALTHZ)
            again = serve(MEASURES)

            assert stale[0] == 200 and stale[1]["X-Served-Stale"] == "1"
            assert fresh[0] == 200 and "X-Served-Stale" not in fresh[1]
            assert uncached[0] == again[0] == 503
            assert uncached[1]["Retry-After"] == str(outage.RETRY_AFTER)
            assert health[0] == 503
            assert len(outage_lines(outage_log)) == 1
            assert request_errors(outage_log) == []

            proxy.restore()
            assert serve(MEASURES)[0] == serve(HEALTHZ)[0] == 200
            recovered = serve(EVENTS)
            assert recovered[0] == 200 and "X-Served-Stale" not in recovered[1]
            assert site_connection.connection.info.backend_pid != kept_backend
            assert outage_lines(outage_log)[1:] == ["The database is reachable again."]
    finally:
        proxy.cut()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="libpq's connect_timeout")
def test_a_connect_to_postgresql_gives_up_after_a_few_seconds(settings):
    """A host that does not answer (no refusal) must not hold a request, or /healthz, for ever."""
    assert 0 < int(settings.DATABASES["default"]["OPTIONS"]["connect_timeout"]) <= 10


@pytest.mark.django_db
def test_a_signed_in_editor_in_the_admin_gets_503(admin_client):
    with unreachable_database():
        response = admin_client.get(reverse("admin:timeline_event_changelist"))

    assert response.status_code == 503
    assert response["Retry-After"] == str(outage.RETRY_AFTER)
