"""/api/: the read-only API's resources, its OpenAPI 3 schema and its documentation page.

The documentation page is Swagger UI from drf-spectacular-sidecar's static files (nothing from
another host), in the variant that loads its start-up script from a URL of its own, as the
Content-Security-Policy allows no inline script.
"""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .. import caching
from . import views

router = DefaultRouter()
router.include_format_suffixes = False
router.register("sources", views.SourceViewSet, basename="source")
router.register("actors", views.ActorViewSet, basename="actor")
router.register("places", views.PlaceViewSet, basename="place")
router.register("events", views.EventViewSet, basename="event")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("statements", views.StatementViewSet, basename="statement")

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
]
