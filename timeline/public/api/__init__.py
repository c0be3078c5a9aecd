"""The read-only JSON API under /api/ (Django REST framework, drf-spectacular for its OpenAPI 3
schema; docs/data.md says why these and lists every field).

- serializers.py: what each model's records look like, relations by slug;
- views.py: one read-only viewset a model, filtered by the tables' FilterSets
  (timeline.public.filters), sorted by ``?sort=``, paged by cursor, cached like the pages;
- urls.py: the router that lists them, the schema and its documentation page.

A model added later needs a serializer, a viewset and one ``router.register`` line.
"""
