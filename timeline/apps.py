from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Calais timeline"

    def ready(self):
        from . import caching, search

        caching.connect_invalidation_signals()
        search.connect_index_maintenance()
