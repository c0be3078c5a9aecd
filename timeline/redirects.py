"""The old URL of a renamed record answers 301 with its new URL (the slug kept in timeline.aliases).

A middleware rather than code in the public views: the data side owns slugs and their aliases,
and the read-only public app stays unaware of renames. It acts only on a 404 of a record's page.
Which pages those are is read from the URL itself (a detail view by slug of a model that keeps
aliases), so a record page added later redirects without being listed here.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve, reverse
from django.views.generic.detail import SingleObjectMixin

from .aliases import SlugAlias, keeps_aliases


def record_model(match):
    """The model whose record ``match`` (a resolved URL) shows by its slug, or None."""
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, SingleObjectMixin):
        return None
    if not match.kwargs.get("slug") or not keeps_aliases(view_class.model):
        return None
    return view_class.model


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
        model = record_model(match)
        if model is None:
            return response
        slug = match.kwargs["slug"]
        current = SlugAlias.objects.current_slugs(model, [slug]).get(slug)
        if current is None:
            return response
        url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "slug": current})
        query = request.META.get("QUERY_STRING")
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
