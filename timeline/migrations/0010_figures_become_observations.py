"""Figures become observations of indicators, and each measure's status a first status change.

A figure was a number hung on an event; its observation keeps the number, the event, the event's
date and sources, and counts the figure's quantity (with its unit) as an indicator, one per
distinct wording. A measure's one status becomes a status change dated as the measure.
"""

from django.db import migrations
from django.utils.text import slugify


def unique_slug(base, taken):
    base = (slugify(base) or "indicator")[:110]
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def figures_to_observations(apps, schema_editor):
    Figure = apps.get_model("timeline", "Figure")
    Indicator = apps.get_model("timeline", "Indicator")
    Observation = apps.get_model("timeline", "Observation")
    taken = set(Indicator.objects.values_list("slug", flat=True))
    indicators = {}
    for figure in Figure.objects.select_related("event").order_by("pk"):
        name = f"{figure.quantity} {figure.unit}".strip()
        if name not in indicators:
            indicators[name] = Indicator.objects.create(
                slug=unique_slug(name, taken), name=name[:200], unit=figure.unit
            )
        observation = Observation.objects.create(
            slug=figure.slug,
            indicator=indicators[name],
            value=figure.value,
            approximate=figure.approximate,
            date=figure.event.date,
            date_precision=figure.event.date_precision,
            event=figure.event,
        )
        observation.sources.set(figure.event.sources.all())


def statuses_to_status_changes(apps, schema_editor):
    Measure = apps.get_model("timeline", "Measure")
    MeasureStatus = apps.get_model("timeline", "MeasureStatus")
    MeasureStatus.objects.bulk_create(
        MeasureStatus(
            slug=f"{measure.slug[:100]}-{measure.status}",
            measure=measure,
            status=measure.status,
            date=measure.date,
            date_precision=measure.date_precision,
        )
        for measure in Measure.objects.exclude(status="").order_by("pk")
    )


def observations_to_figures(apps, schema_editor):
    Figure = apps.get_model("timeline", "Figure")
    Observation = apps.get_model("timeline", "Observation")
    for observation in Observation.objects.filter(event__isnull=False).select_related(
        "indicator"
    ):
        Figure.objects.create(
            slug=observation.slug,
            event=observation.event,
            quantity=observation.indicator.name[:200],
            value=int(observation.value if observation.value is not None else observation.low),
            unit=observation.indicator.unit,
            approximate=observation.approximate,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0009_evidence"),
    ]

    operations = [
        migrations.RunPython(figures_to_observations, observations_to_figures),
        migrations.RunPython(statuses_to_status_changes, migrations.RunPython.noop),
    ]
