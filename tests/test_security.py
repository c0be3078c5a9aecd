"""Security of the running site: headers and CSP on every kind of page, a read-only public site,
brute-force lockout on the admin login, staff permissions and the history of who changed what."""

import logging

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from timeline.models import Event, MeasureLink, Source
from timeline.public.api.urls import router

from .factories import (
    ActorFactory,
    EventFactory,
    MeasureFactory,
    MeasureLinkFactory,
    ParticipationFactory,
    SourceFactory,
    StatementFactory,
)

STRONG_PASSWORD = "correct horse battery staple 42"


def page_urls():
    """One public page of each kind plus the admin login, with the article loaded."""
    event = Event.objects.first()
    return [
        reverse("timeline:timeline"),
        reverse("timeline:event-list"),
        event.get_absolute_url(),
        reverse("admin:login"),
    ]


def parse_policy(header):
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


# --- headers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_kind_of_page_sends_a_strict_content_security_policy(client, article):
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        policy = parse_policy(response["Content-Security-Policy"])
        assert policy == {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "object-src": ["'none'"],
            "base-uri": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
        }, url


@pytest.mark.django_db
def test_every_kind_of_page_sends_the_security_headers(client, article):
    for url in page_urls():
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


# --- a read-only public site -----------------------------------------------------------------


def public_url_patterns(resolver=None, prefix="", namespace=""):
    """(route name, pattern) for every URL outside the admin, following includes."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner_namespace = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_url_patterns(entry, prefix + str(entry.pattern), inner_namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            # Unnamed: the API's JSON answer to any path under it that nothing else matches.
            yield f"{namespace}{entry.name}", entry


PUBLIC_ROUTES = sorted(name for name, _ in public_url_patterns())


def url_for_route(name, pattern):
    """Reverse a public route, filling a `slug` with a real record's (route "<model>-detail")."""
    # A path() names its parameters by converters; the API router's regexes by groups.
    parameters = set(pattern.pattern.converters) or set(pattern.pattern.regex.groupindex)
    if not parameters:
        return reverse(name)
    assert parameters == {"slug"}, (
        f"{name} takes {sorted(parameters)}: teach url_for_route how to fill them in"
    )
    basename = name.rpartition(":")[2].removesuffix("-detail")
    # An API resource may be named otherwise than its model (status-changes: MeasureStatus).
    models = {basename: viewset.model for _, viewset, basename in router.registry}
    model = models.get(basename) or apps.get_model("timeline", basename)
    record = model.objects.first()
    if record is None and model is MeasureLink:
        record = MeasureLinkFactory()  # the article links no measures
    assert record is not None, f"the article fixture has no {basename} for {name}"
    return reverse(name, kwargs={"slug": record.slug})


def test_the_walk_finds_the_public_pages_and_the_health_check():
    assert "timeline:timeline" in PUBLIC_ROUTES
    assert "timeline:event-detail" in PUBLIC_ROUTES
    assert "healthz" in PUBLIC_ROUTES
    assert not any(name.startswith("admin:") for name in PUBLIC_ROUTES)


@pytest.mark.django_db
@pytest.mark.parametrize("route", PUBLIC_ROUTES)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_url_refuses_writes(client, article, route, method):
    pattern = dict(public_url_patterns())[route]
    url = url_for_route(route, pattern)
    # A page, or /favicon.ico's redirect to the icon.
    assert client.get(url).status_code in {200, 302}, f"GET {url} should work before {method}"
    response = getattr(client, method)(url)
    assert response.status_code == 405, f"{method.upper()} {url} answered {response.status_code}"
    assert "POST" not in response["Allow"]


# --- brute force on the admin login ----------------------------------------------------------


def attempt_login(client, password):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": password, "next": reverse("admin:index")},
    )


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", password=STRONG_PASSWORD, is_staff=True, is_superuser=True
    )


@pytest.mark.django_db
def test_four_failed_logins_still_let_the_right_password_in(client, editor):
    for _ in range(4):
        assert attempt_login(client, "wrong").status_code == 200
    response = attempt_login(client, STRONG_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_five_failed_logins_lock_the_client_out_even_with_the_right_password(client, editor):
    for _ in range(5):
        attempt_login(client, "wrong")
    response = attempt_login(client, STRONG_PASSWORD)
    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out


@pytest.mark.django_db
def test_lockout_is_logged_with_the_username_and_address(client, editor, caplog):
    caplog.set_level(logging.WARNING, logger="axes")
    for _ in range(5):
        attempt_login(client, "wrong")
    lockouts = [r.getMessage() for r in caplog.records if "Locking out" in r.getMessage()]
    assert len(lockouts) == 1
    assert "editor" in lockouts[0]
    assert "127.0.0.1" in lockouts[0]


@pytest.mark.django_db
def test_lockout_of_one_address_leaves_other_addresses_free(client, editor):
    for _ in range(5):
        attempt_login(client, "wrong")
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": STRONG_PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_follows_the_address_the_proxy_saw(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        client.post(
            reverse("admin:login"),
            {"username": "editor", "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            # The attacker varies a forged first entry; the proxy appends the real address.
            HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.9",
        )
    refused = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": STRONG_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.9",
    )
    other_client = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": STRONG_PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert refused.status_code == 429
    assert other_client.status_code == 302


# --- staff permissions and history -----------------------------------------------------------


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("viewer", password=STRONG_PASSWORD, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_source"))
    return user


def source_form_data(source, **changes):
    data = {
        "slug": source.slug,
        "title": source.title,
        "publisher": source.publisher,
        "published_on": source.published_on.isoformat(),
        "url": source.url,
        "language": source.language,
        # The source's passages inline, left empty.
        "passages-TOTAL_FORMS": "0",
        "passages-INITIAL_FORMS": "0",
    }
    return data | changes


@pytest.mark.django_db
def test_staff_with_view_permission_only_can_read_a_record(client, viewer):
    source = SourceFactory()
    client.force_login(viewer)
    response = client.get(reverse("admin:timeline_source_change", args=[source.pk]))
    assert response.status_code == 200
    assert source.title in response.content.decode()
    assert 'name="title"' not in response.content.decode()  # shown read-only, not as a field


@pytest.mark.django_db
def test_staff_with_view_permission_only_cannot_edit_a_record(client, viewer):
    source = SourceFactory()
    client.force_login(viewer)
    response = client.post(
        reverse("admin:timeline_source_change", args=[source.pk]),
        source_form_data(source, title="Vandalised"),
    )
    assert response.status_code == 403
    source.refresh_from_db()
    assert source.title != "Vandalised"


@pytest.mark.django_db
def test_staff_with_view_permission_only_cannot_add_or_delete(client, viewer):
    source = SourceFactory()
    client.force_login(viewer)
    assert client.get(reverse("admin:timeline_source_add")).status_code == 403
    delete_url = reverse("admin:timeline_source_delete", args=[source.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Source.objects.filter(pk=source.pk).exists()


@pytest.mark.django_db
def test_history_shows_who_changed_what(client, editor):
    source = SourceFactory(title="Before")
    client.force_login(editor)
    response = client.post(
        reverse("admin:timeline_source_change", args=[source.pk]),
        source_form_data(source, title="After"),
    )
    assert response.status_code == 302
    latest = source.history.latest()
    assert latest.history_user == editor
    assert latest.title == "After"
    page = client.get(reverse("admin:timeline_source_history", args=[source.pk]))
    assert page.status_code == 200
    assert "editor" in page.content.decode()
    assert "After" in page.content.decode()


# Text from the records is escaped wherever a page writes it, by the Django templates and by the
# Jinja2 loops of rows and entries alike.

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def hostile_records(db):
    actor = ActorFactory(slug="hostile-actor", name=f"{HOSTILE} actor")
    source = SourceFactory(slug="hostile-source", title=HOSTILE, publisher=HOSTILE)
    event = EventFactory(title=f"{HOSTILE} event", summary=HOSTILE)
    ParticipationFactory(event=event, actor=actor, capacity=HOSTILE)
    measure = MeasureFactory(title=f"{HOSTILE} measure", description=HOSTILE)
    measure.responsible.add(actor)
    statement = StatementFactory(speaker=actor, text=HOSTILE)
    for record in (event, measure, statement):
        record.sources.add(source)


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/events/",
        "/measures/",
        "/statements/",
        "/actors/",
        "/sources/",
        "/actors/hostile-actor/",
        "/sources/hostile-source/",
    ],
)
def test_text_from_records_is_escaped_on_every_public_list(client, hostile_records, path):
    content = client.get(path).content.decode()

    assert "<script>" not in content
    assert "&lt;script&gt;alert(" in content
