from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Calais timeline"

    def ready(self):
        from . import aliases, search, summary
        from .models import Actor, Event, Figure, Measure, Place, Role, Source, Statement

        search.connect_index_maintenance()
        aliases.connect([Source, Actor, Role, Place, Event, Figure, Measure, Statement])
        # Before the public site connects its cache invalidation (timeline.summary says why).
        summary.connect_refresh_signals()
