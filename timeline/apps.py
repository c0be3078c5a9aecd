from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Calais timeline"

    def ready(self):
        from . import search, summary

        search.connect_index_maintenance()
        # Before the public site connects its cache invalidation (timeline.summary says why).
        summary.connect_refresh_signals()
