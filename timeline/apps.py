from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Calais timeline"

    def ready(self):
        from . import aliases, measure_status, search, summary
        from .models import (
            Actor,
            Event,
            Indicator,
            Measure,
            MeasureLink,
            MeasureStatus,
            Observation,
            Passage,
            Place,
            Role,
            Source,
            Statement,
        )

        search.connect_index_maintenance()
        aliases.connect(
            [
                Source,
                Passage,
                Actor,
                Role,
                Place,
                Event,
                Indicator,
                Observation,
                Measure,
                MeasureStatus,
                MeasureLink,
                Statement,
            ]
        )
        measure_status.connect()
        # Before the public site connects its cache invalidation (timeline.summary says why).
        summary.connect_refresh_signals()
