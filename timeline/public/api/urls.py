"""/api/: the read-only API's resources, its OpenAPI 3 schema and its documentation page.

The documentation page is Swagger UI from drf-spectacular-sidecar's static files (nothing from
another host), in the variant that loads its start-up script from a URL of its own, as the
Content-Security-Policy allows no inline script.
"""

from django.http import JsonResponse
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .. import caching
from . import views


class APIRootView(DefaultRouter.APIRootView):
    """The list of the resources: GET and HEAD only, as every other view of the API."""

    http_method_names = ["get", "head"]


router = DefaultRouter()
router.APIRootView = APIRootView
router.include_format_suffixes = False
router.register("sources", views.SourceViewSet, basename="source")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("places", views.PlaceViewSet, basename="place")
router.register("events", views.EventViewSet, basename="event")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("passages", views.PassageViewSet, basename="passage")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("observations", views.ObservationViewSet, basename="observation")
router.register("status-changes", views.MeasureStatusViewSet, basename="status-change")
router.register("measure-links", views.MeasureLinkViewSet, basename="measure-link")


def not_found(request, **kwargs):
    """An API client asking for what is not there gets JSON, as from the views, not the HTML
    page: a slug with characters no slug has, a path under a resource that has none."""
    return JsonResponse({"detail": "Not found."}, status=404)


urlpatterns = [
    *router.urls,
    path(
        "openapi.json",
        caching.cache_public_page(SpectacularJSONAPIView.as_view()),
        name="openapi",
    ),
    path(
        "docs/",
        caching.cache_public_page(
            SpectacularSwaggerSplitView.as_view(
                url_name="api:openapi", template_name="api/swagger_ui.html"
            )
        ),
        name="docs",
    ),
    # Last: after every route, under a resource (so /api/events still gets its slash added).
    re_path(r"^[^/]+/[\s\S]+$", not_found),
]
