"""The read-only JSON API: its records, filters, sorts, cursor pages, cost and documentation."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse

from tests.evidence_records import make_evidence, make_many_evidence
from tests.factories import ActorFactory, EventFactory, RoleFactory
from timeline.models import (
    Event,
)
from timeline.public import filters
from timeline.public.api.urls import router

RESOURCES = {
    "sources": "source",
    "actors": "actor",
    "places": "place",
    "events": "event",
    "measures": "measure",
    "statements": "statement",
    "passages": "passage",
    "indicators": "indicator",
    "observations": "observation",
    "status-changes": "status-change",
    "measure-links": "measure-link",
}
DATED = ["events", "measures", "statements", "observations", "status-changes"]

# The models with no resource of their own, each for a reason: derived or internal data, and
# records the API nests in another's (a role in its actor, a participation in its event).
WITHOUT_A_RESOURCE = {
    "MonthCount",  # counts derived from the records
    "MonthCountsState",
    "ImportBatch",  # the editors' record of imports
    "ImportedField",
    "SlugAlias",  # old slugs, which redirect
    "ActorMerge",  # the editors' record of merges
    "Role",  # in /api/actors/
    "Participation",  # in /api/events/
}


@pytest.fixture
def evidence(db):
    return make_evidence()


def get(client, path, content_type="application/json", **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == content_type
    return response.json()


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_model_is_listed_and_each_record_has_its_own_url(client, evidence, resource):
    listing = get(client, reverse(f"api:{RESOURCES[resource]}-list"))
    assert listing["results"]
    first = listing["results"][0]
    detail = get(client, reverse(f"api:{RESOURCES[resource]}-detail", args=[first["slug"]]))
    assert detail == first
    assert first["page_url"].startswith("http://testserver/")


def test_the_root_lists_every_resource(client, db):
    root = get(client, reverse("api:api-root"))
    assert set(root) == set(RESOURCES)


def test_every_public_model_has_a_resource_but_those_said_not_to():
    """A model added later fails here until it has a resource, or a reason not to."""
    served = {viewset.model for _, viewset, _ in router.registry}
    models = [
        model
        for model in apps.get_app_config("timeline").get_models()
        if not hasattr(model, "instance_type")  # django-simple-history's copies
    ]
    missing = {m.__name__ for m in models if m not in served} - WITHOUT_A_RESOURCE
    assert not missing
    assert {m.__name__ for m in models} >= WITHOUT_A_RESOURCE  # the list is not stale


def test_a_statement_without_a_named_speaker_has_a_null_speaker_and_its_attribution(
    client, evidence
):
    statement = get(client, reverse("api:statement-detail", args=["british-official"]))
    assert statement["speaker"] is None
    assert statement["speaker_role"] is None
    assert statement["attributed_as"] == "a British official"
    joint = get(client, reverse("api:statement-detail", args=["two-governments-together"]))
    assert joint["joint_speakers"] == ["french-government"]


def test_the_schema_says_a_statement_may_have_no_speaker(client, db):
    schema = get(client, reverse("api:openapi"), "application/vnd.oai.openapi+json")
    speaker = schema["components"]["schemas"]["Statement"]["properties"]["speaker"]
    assert speaker["nullable"] is True


def test_an_indicator_gives_its_observations_and_an_observation_its_records(client, evidence):
    indicator = get(client, reverse("api:indicator-detail", args=["tunnel-attempts-a-night"]))
    assert [o["slug"] for o in indicator["observations"]] == [
        "tunnel-attempts-late-july-2015",
        "tunnel-attempts-exact",
        "tunnel-attempts-week-of-17-august-2015",
        "tunnel-attempts-range",
    ]
    ranged = get(client, reverse("api:observation-detail", args=["tunnel-attempts-range"]))
    assert (ranged["value"], ranged["low"], ranged["high"]) == (None, "300.00", "500.00")
    assert ranged["date_display"] == "by 19 August 2015"
    assert ranged["sources"] == ["unsigned-2015-08-19"]
    exact = get(client, reverse("api:observation-detail", args=["tunnel-attempts-exact"]))
    assert exact["event"] == "sandhurst-summit"
    assert exact["reported_by"] == "eurotunnel"


def test_status_changes_and_links_name_their_measures_and_passages(client, evidence):
    change = get(client, reverse("api:status-change-detail", args=["sandhurst-in-force"]))
    assert change["measure"] == "sandhurst-treaty"
    assert change["status"] == "in-force"
    assert change["passages"] == ["sandhurst-in-force"]
    assert change["page_url"] == "http://testserver/measures/sandhurst-treaty/"
    link = get(
        client, reverse("api:measure-link-detail", args=["sandhurst-supplements-le-touquet"])
    )
    assert (link["measure"], link["kind"], link["target"]) == (
        "sandhurst-treaty",
        "supplements",
        "le-touquet",
    )
    passage = get(client, reverse("api:passage-detail", args=["sandhurst-adds"]))
    assert (passage["source"], passage["paragraph"]) == ("reuters-2018-01-19-sandhurst", 2)


def test_the_new_lists_filter_by_the_records_they_belong_to(client, evidence):
    changes = get(client, reverse("api:status-change-list"), measure="sandhurst-treaty")
    assert [c["slug"] for c in changes["results"]] == ["sandhurst-signed", "sandhurst-in-force"]
    by_date = get(client, reverse("api:observation-list"), start="2015-08-10", end="2015-08-18")
    assert [o["slug"] for o in by_date["results"]] == ["tunnel-attempts-week-of-17-august-2015"]
    reported = get(client, reverse("api:observation-list"), actor="eurotunnel")["results"]
    assert "tunnel-attempts-range" not in {o["slug"] for o in reported} and reported
    passages = get(client, reverse("api:passage-list"), source="unsigned-2015-08-19")
    assert [p["slug"] for p in passages["results"]] == ["tunnel-attempts", "tunnel-fewer"]
    unknown = client.get(reverse("api:status-change-list"), {"measure": "no-such-measure"})
    assert unknown.status_code == 404


@pytest.mark.parametrize("resource", DATED)
def test_every_dated_list_refuses_an_end_before_its_start(client, db, resource):
    response = client.get(
        reverse(f"api:{RESOURCES[resource]}-list"), {"start": "2016-01-02", "end": "2016-01-01"}
    )
    assert response.status_code == 400
    assert response.json() == {"end": [filters.RANGE_ERROR]}


@pytest.mark.parametrize("resource", DATED)
def test_the_schema_documents_the_refused_date_range(client, db, resource):
    schema = get(client, reverse("api:openapi"), "application/vnd.oai.openapi+json")
    refused = schema["paths"][f"/api/{resource}/"]["get"]["responses"]["400"]
    assert "end date is before the start date" in refused["description"]


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


@pytest.mark.parametrize("resource", RESOURCES.values())
def test_a_page_of_a_hundred_costs_what_a_page_of_three_does(
    client, make_records, django_assert_max_num_queries, settings, resource
):
    settings.CACHE_PUBLIC_PAGES = False
    make_records(300)
    make_many_evidence(150)
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
