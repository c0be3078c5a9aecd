from django.contrib import admin
from django.urls import include, path

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include(("timeline.public.api.urls", "api"))),
    path("", include("timeline.public.urls")),
]
