"""The production path: settings refused or accepted at start, `check --deploy`, the health check,
conditional GET, and `make serve` answering over a real socket as it would behind a TLS proxy."""

import gzip
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.utils import load_backend
from django.urls import reverse

from timeline.models import Event

PROJECT_DIR = Path(__file__).resolve().parent.parent


def production_environment(**overrides):
    """The environment of a production deployment: DEBUG off, a real key, a real host name, and
    none of the test run's own settings (browser tests allow async-unsafe ORM use, for one)."""
    test_run_only = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    environment = {key: value for key, value in os.environ.items() if key not in test_run_only}
    environment |= {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "timeline.example.org",
    }
    environment |= overrides
    return {key: value for key, value in environment.items() if value is not None}


def manage(*arguments, environment):
    return subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- settings at start -----------------------------------------------------------------------


def test_deploy_check_is_clean_with_production_settings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", environment=production_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", environment=production_environment(SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_production_refuses_the_development_secret_key():
    from django.conf import settings

    environment = production_environment(SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY)
    result = manage("check", environment=environment)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in result.stderr


def test_development_runs_without_a_secret_key():
    environment = production_environment(DEBUG="1", SECRET_KEY=None)
    assert manage("check", environment=environment).returncode == 0


def test_no_usable_secret_key_is_committed():
    """Any key written in a tracked file is a django-insecure one, which production refuses."""
    literal_key = re.compile(r"""SECRET_KEY\W{1,4}["']([^"'$\s]{20,})["']""")
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    committed_keys = {
        (path, key)
        for path in filter(None, tracked)
        if (PROJECT_DIR / path).is_file()
        for key in literal_key.findall((PROJECT_DIR / path).read_text(errors="replace"))
    }
    assert committed_keys, "the scan should at least find the development key"
    assert all(key.startswith("django-insecure-") for _, key in committed_keys), committed_keys


def test_database_connections_are_kept_and_health_checked():
    from django.conf import settings

    database = settings.DATABASES["default"]
    assert database["CONN_MAX_AGE"] > 0
    assert database["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")
@pytest.mark.django_db
def test_sqlite_connections_map_the_file_and_cache_64_mb_of_pages(tmp_path):
    from django.db.backends.sqlite3.base import DatabaseWrapper

    database = DatabaseWrapper({**connection.settings_dict, "NAME": str(tmp_path / "db.sqlite3")})
    try:
        with database.cursor() as cursor:
            cursor.execute("PRAGMA mmap_size")
            (mapped,) = cursor.fetchone()
            cursor.execute("PRAGMA cache_size")
            (cached,) = cursor.fetchone()
    finally:
        database.close()

    assert mapped == 256 * 1024 * 1024
    assert cached == -64000  # kibibytes


# --- /healthz --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_health_check_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-store" in response["Cache-Control"]


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_database():
    """Point the default connection at a database that cannot be reached, then restore it."""
    working = connections["default"]
    settings_dict = dict(working.settings_dict)
    if working.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-directory/calais.sqlite3"
    else:
        settings_dict |= {"HOST": "127.0.0.1", "PORT": closed_port()}
    backend = load_backend(settings_dict["ENGINE"])
    connections["default"] = backend.DatabaseWrapper(settings_dict, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = working


@pytest.mark.django_db
def test_health_check_answers_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"database unavailable\n"


# --- conditional GET -------------------------------------------------------------------------


def public_pages():
    event = Event.objects.first()
    return [reverse("timeline:timeline"), reverse("timeline:event-list"), event.get_absolute_url()]


@pytest.mark.django_db
def test_public_pages_answer_a_repeat_request_with_304(client, article):
    for url in public_pages():
        first = client.get(url)
        assert first.status_code == 200, url
        etag = first["ETag"]
        repeat = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert repeat.status_code == 304, url
        assert repeat.content == b""


@pytest.mark.django_db
def test_public_pages_answer_in_full_when_the_copy_is_stale(client, article):
    for url in public_pages():
        response = client.get(url, HTTP_IF_NONE_MATCH='"an-old-version"')
        assert response.status_code == 200, url
        assert response.content


# --- `make serve` over a real socket ---------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


fetcher = urllib.request.build_opener(NoRedirects)


def fetch(base_url, path, headers=None):
    """(status, headers, body) of a GET; HTTP errors and redirects are answers, not exceptions."""
    request = urllib.request.Request(base_url + path, headers=headers or {})
    try:
        with fetcher.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def over_https(headers=None):
    """What the TLS-terminating proxy in front of gunicorn adds to every request."""
    return {"X-Forwarded-Proto": "https", "Host": "timeline.example.org"} | (headers or {})


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make serve` on a free loopback port with a scratch SQLite database, stopped afterwards."""
    scratch = tmp_path_factory.mktemp("serve")
    port = free_port()
    environment = production_environment(
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        STATIC_ROOT=str(scratch / "static"),
        ALLOWED_HOSTS="timeline.example.org,127.0.0.1",
        WEB_CONCURRENCY="1",
        PORT=str(port),
        HOST="127.0.0.1",
    )
    log = open(scratch / "serve.log", "w+")  # noqa: SIM115 (closed at teardown)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "serve"],
        cwd=PROJECT_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                log.seek(0)
                pytest.fail(f"make serve exited with {server.returncode}:\n{log.read()}")
            try:
                if fetch(base_url, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"make serve did not answer within 120 s:\n{log.read()}")
            time.sleep(0.3)
        yield base_url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_make_serve_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        ["make", "--no-print-directory", "serve", f"PORT={free_port()}"],
        cwd=PROJECT_DIR,
        env=production_environment(SECRET_KEY=None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_served_health_check_answers_plain_http_for_load_balancers(served):
    status, _, body = fetch(served, "/healthz")
    assert (status, body) == (200, b"ok\n")


def test_served_page_over_plain_http_redirects_to_https(served):
    status, headers, _ = fetch(served, "/events/", {"Host": "timeline.example.org"})
    assert status == 301
    assert headers["Location"] == "https://timeline.example.org/events/"


def test_served_page_over_https_sends_hsts_and_csp(served):
    status, headers, _ = fetch(served, "/events/", over_https())
    assert status == 200
    hsts = headers["Strict-Transport-Security"]
    assert re.fullmatch(r"max-age=31536000; includeSubDomains; preload", hsts)
    assert "script-src 'self'" in headers["Content-Security-Policy"].split("; ")
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_served_admin_login_sets_only_secure_cookies(served):
    status, headers, _ = fetch(served, "/admin/login/", over_https())
    assert status == 200
    cookies = headers.get_all("Set-Cookie")
    assert cookies
    assert all("; Secure" in cookie for cookie in cookies)


def test_served_pages_link_static_files_by_hashed_name(served):
    _, _, body = fetch(served, "/admin/login/", over_https())
    stylesheet = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the admin's stylesheet is not linked by its hashed name"


def test_served_static_files_are_compressed_and_cached_for_ever(served):
    _, _, body = fetch(served, "/admin/login/", over_https())
    path = re.search(rb'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', body)[1].decode()
    status, headers, content = fetch(served, path, over_https({"Accept-Encoding": "gzip"}))
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert b"body" in gzip.decompress(content)
    assert "immutable" in headers["Cache-Control"]
