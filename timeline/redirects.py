"""The old URL of a renamed record answers 301 with its new URL (the slug kept in timeline.aliases).

A middleware rather than code in the public views: the data side owns slugs and their aliases,
and the read-only public app stays unaware of renames. It acts only on a 404 of a record's page.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from .aliases import SlugAlias
from .models import Actor, Event, Measure, Source, Statement

RECORD_PAGES = {
    "timeline:event-detail": Event,
    "timeline:measure-detail": Measure,
    "timeline:statement-detail": Statement,
    "timeline:actor-detail": Actor,
    "timeline:source-detail": Source,
}


class OldSlugRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return response
        model = RECORD_PAGES.get(match.view_name)
        slug = match.kwargs.get("slug")
        if model is None or not slug:
            return response
        current = SlugAlias.objects.current_slugs(model, [slug]).get(slug)
        if current is None:
            return response
        url = model(slug=current).get_absolute_url()
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
