"""The admin is where the timeline is written: every model editable by staff, every edit kept."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from timeline.models import (
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureStatus,
    Observation,
    Participation,
    Passage,
    Place,
    Role,
    Source,
    Statement,
)

pytestmark = pytest.mark.django_db

MODELS = [
    Source,
    Passage,
    Actor,
    Role,
    Place,
    Event,
    Participation,
    Indicator,
    Observation,
    Measure,
    MeasureStatus,
    Statement,
]


def admin_url(model, action, *args):
    return reverse(f"admin:timeline_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def staff_client(client):
    user = User.objects.create_superuser("editor", "editor@example.com", "a-long-password")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_lists_the_articles_records_for_staff(staff_client, article, model):
    response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert str(model.objects.first()) in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_search_works(staff_client, article, model):
    response = staff_client.get(admin_url(model, "changelist"), {"q": "calais"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_add_page_renders_for_staff(staff_client, model):
    response = staff_client.get(admin_url(model, "add"))
    assert response.status_code == 200
    assert b"<form" in response.content


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_page_renders_for_staff(staff_client, article, model):
    record = model.objects.first()
    response = staff_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert response.context_data["original"] == record


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_anonymous_users_are_sent_to_the_login_page(client, model):
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_history_records_who_changed_what(staff_client, article):
    event = Event.objects.get(slug="theresa-may-visits-calais")
    data = {
        "slug": event.slug,
        "title": "Theresa May visits Calais for the signing",
        "summary": event.summary,
        "date": "2015-08-20",
        "date_precision": "day",
        "place": event.place_id,
        "sources": [s.pk for s in event.sources.all()],
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "status": event.status,
        "reviewed": "on",
        "observations-TOTAL_FORMS": "0",
        "observations-INITIAL_FORMS": "0",
    }
    response = staff_client.post(admin_url(Event, "change", event.pk), data)
    assert response.status_code == 302, response.context_data["adminform"].errors
    latest = event.history.latest()
    assert latest.title == "Theresa May visits Calais for the signing"
    assert latest.history_user.username == "editor"
    history_page = staff_client.get(admin_url(Event, "history", event.pk))
    assert "Theresa May visits Calais for the signing" in history_page.content.decode()


def test_an_edit_can_be_reverted_from_history(staff_client, article):
    event = Event.objects.get(slug="theresa-may-visits-calais")
    original_title = event.title
    event.title = "A mistaken title"
    event.save()
    original = event.history.filter(title=original_title).latest()
    original.instance.save()
    event.refresh_from_db()
    assert event.title == original_title


def test_the_admin_refuses_a_date_that_claims_more_precision_than_it_has(staff_client, article):
    event = Event.objects.get(slug="theresa-may-visits-calais")
    response = staff_client.post(
        admin_url(Event, "change", event.pk),
        {
            "slug": event.slug,
            "title": event.title,
            "date": "2015-08-20",
            "date_precision": "month",
            "sources": [s.pk for s in event.sources.all()],
            "participations-TOTAL_FORMS": "0",
            "participations-INITIAL_FORMS": "0",
            "status": event.status,
            "reviewed": "on",
            "observations-TOTAL_FORMS": "0",
            "observations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "2015-08-01" in str(response.context_data["adminform"].errors["date"])
