"""The read-only JSON API: its records, filters, sorts, cursor pages, cost and documentation."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, EventFactory, RoleFactory
from timeline.models import Event
from timeline.public import filters


def get(client, path, content_type="application/json", **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == content_type
    return response.json()


@pytest.mark.parametrize(
    "resource", ["sources", "actors", "places", "events", "measures", "statements"]
)
def test_every_model_is_listed_and_each_record_has_its_own_url(client, article, resource):
    listing = get(client, reverse(f"api:{resource[:-1]}-list"))
    assert listing["results"]
    first = listing["results"][0]
    detail = get(client, reverse(f"api:{resource[:-1]}-detail", args=[first["slug"]]))
    assert detail == first
    assert first["page_url"].startswith("http://testserver/")


def test_the_root_lists_every_resource(client, db):
    root = get(client, reverse("api:api-root"))
    assert set(root) == {"sources", "actors", "places", "events", "measures", "statements"}


def test_a_statement_gives_the_speakers_role_then_and_its_links_by_slug(client, article):
    statement = get(client, reverse("api:statement-detail", args=["keith-vaz-domino-principle"]))
    assert statement["speaker"] == "keith-vaz"
    assert statement["speaker_role"]["title"]
    assert statement["date"] == "2015-08-19"
    assert statement["date_precision"] == "by"
    assert statement["date_display"] == "by 19 August 2015"
    assert statement["sources"] == ["afp-2015-08-19-uk-police-head-to-france"]


def test_an_actor_lists_their_roles(client, db):
    minister = ActorFactory(slug="minister")
    RoleFactory(actor=minister, slug="home-secretary", title="Home Secretary")
    actor = get(client, reverse("api:actor-detail", args=["minister"]))
    assert [role["slug"] for role in actor["roles"]] == ["home-secretary"]


def test_lists_take_the_tables_filters(client, article):
    statements = get(client, reverse("api:statement-list"), actor="keith-vaz")["results"]
    assert statements and all(s["speaker"] == "keith-vaz" for s in statements)
    events = get(client, reverse("api:event-list"), start="2015-08-20")["results"]
    table = filters.EventFilter({"start": "2015-08-20"}, queryset=Event.objects.all()).qs
    assert {e["slug"] for e in events} == set(table.values_list("slug", flat=True))
    assert len(events) < Event.objects.count()


def test_an_invalid_filter_is_refused_with_its_name(client, db):
    response = client.get(reverse("api:event-list"), {"start": "not a date"})
    assert response.status_code == 400
    assert "start" in response.json()


def test_a_list_sorts_as_asked_and_refuses_an_unknown_sort(client, db):
    for title in ["Bravo", "Alpha", "Charlie"]:
        EventFactory(title=title)
    titles = [e["title"] for e in get(client, reverse("api:event-list"), sort="-title")["results"]]
    assert titles == ["Charlie", "Bravo", "Alpha"]
    assert client.get(reverse("api:event-list"), {"sort": "summary"}).status_code == 400


def test_cursor_pages_hold_every_record_once_in_order(client, db):
    for day in range(1, 8):
        EventFactory(date=datetime.date(2016, 1, day), slug=f"e{day}")
        EventFactory(date=datetime.date(2016, 1, day), slug=f"f{day}")  # same date
    seen, url = [], reverse("api:event-list") + "?page_size=3"
    while url:
        page = get(client, url)
        seen += [event["slug"] for event in page["results"]]
        url = page["next"]
    assert seen == [slug for day in range(1, 8) for slug in (f"e{day}", f"f{day}")]


def test_a_page_size_out_of_range_is_refused(client, db):
    assert client.get(reverse("api:event-list"), {"page_size": 101}).status_code == 400
    assert client.get(reverse("api:event-list"), {"page_size": "many"}).status_code == 400


@pytest.mark.parametrize("name", ["api:event-list", "api:api-root"])
def test_the_api_is_read_only(client, article, name):
    url = reverse(name)
    for method in (client.post, client.put, client.patch, client.delete, client.options):
        assert method(url).status_code == 405


@pytest.mark.parametrize("resource", ["source", "actor", "place", "event", "measure", "statement"])
def test_a_page_of_a_hundred_costs_what_a_page_of_three_does(
    client, make_records, django_assert_max_num_queries, settings, resource
):
    settings.CACHE_PUBLIC_PAGES = False
    make_records(300)
    with django_assert_max_num_queries(8):
        client.get(reverse(f"api:{resource}-list"), {"page_size": 3})
    with django_assert_max_num_queries(8):
        page = get(client, reverse(f"api:{resource}-list"), page_size=100)
    assert page["results"]


def test_responses_are_cached_until_the_next_write(
    client, transactional_db, django_assert_num_queries
):
    EventFactory(slug="first")
    url = reverse("api:event-list")
    get(client, url)
    with django_assert_num_queries(0):
        get(client, url)
    EventFactory(slug="second")  # committed: it invalidates the cache
    assert len(get(client, url)["results"]) == 2


def test_the_schema_is_openapi_3_and_documents_every_resource(client, db):
    schema = get(client, reverse("api:openapi"), "application/vnd.oai.openapi+json")
    assert schema["openapi"].startswith("3.")
    assert {"/api/events/", "/api/events/{slug}/", "/api/actors/"} <= set(schema["paths"])


def test_the_documentation_page_loads_swagger_ui_from_local_static_files(client, db):
    html = client.get(reverse("api:docs")).content.decode()
    assert '/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in html
    assert "<script>" not in html and "<style>" not in html
    assert "//" not in html.replace("http://www.w3.org", "")
