from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The read-only public site. It reads the data app (timeline) and keeps its caches right by
    listening to the data's writes; the data app knows nothing of it."""

    name = "timeline.public"
    label = "public"
    verbose_name = "Calais timeline, public site"

    def ready(self):
        from . import caching

        caching.connect_invalidation_signals()
