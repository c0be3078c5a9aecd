from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Calais timeline"

    def ready(self):
        from . import caching

        caching.connect_invalidation_signals()
