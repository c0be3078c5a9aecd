"""What is derived from a measure's status changes, kept in columns and written here:

- a measure's current status, the status of its latest change (``Measure.status``). The tables,
  filters, sorts and downloads read the current status of many measures at once, so it is a
  column rather than a subquery a row;
- whether a status change has an entry of its own on the timeline (``MeasureStatus.has_entry``):
  not when it is dated as its measure is, whose entry shows it. The timeline reads the changes
  that have one from an index, where telling them apart would join every change to its measure.

Both are written:

- after every save or delete of a status change (the admin, the importer, undo, history reverts,
  loaddata), for that change's measure, in the same transaction (post_save, post_delete);
- after every save of a measure, which writes whatever status the instance held (a history
  revert rebuilds one without it);
- by whoever writes status changes or measures in bulk, which sends no model signals (the
  synthetic seed), calling ``refresh()`` before it commits.

What was true on a given day is never stored: ``Measure.status_on(day)`` and
``MeasureQuerySet.with_status_on(day)`` read it from the status changes.
"""

from django.db import models
from django.db.models.signals import post_delete, post_save


def latest_status(day=None):
    """A subquery of measures: the status of each one's latest change (by ``day`` if given), or
    NULL without one."""
    from .models import MeasureStatus

    changes = MeasureStatus.objects.filter(measure=models.OuterRef("pk"))
    if day is not None:
        changes = changes.as_of(day)
    return models.Subquery(changes.latest_first().values("status")[:1])


def refresh(measures=None, using="default"):
    """Rewrite the current status of ``measures`` (pks, or every measure when None), and which of
    their status changes have an entry of their own."""
    from .models import Measure, MeasureStatus

    queryset = Measure.objects.using(using)
    changes = MeasureStatus.objects.using(using)
    if measures is not None:
        measures = list(measures)
        queryset = queryset.filter(pk__in=measures)
        changes = changes.filter(measure__in=measures)
    queryset.update(status=models.functions.Coalesce(latest_status(), models.Value("")))
    on_measure_date = models.Exists(
        Measure.objects.filter(
            pk=models.OuterRef("measure"),
            date=models.OuterRef("date"),
            date_precision=models.OuterRef("date_precision"),
        )
    )
    # Only the changes whose flag is wrong are written: a save rewrites no other row.
    changes.filter(on_measure_date, has_entry=True).update(has_entry=False)
    changes.filter(~on_measure_date, has_entry=False).update(has_entry=True)


def _refresh_for_change(sender, instance, using, **kwargs):
    if instance.measure_id:
        refresh([instance.measure_id], using=using)


def _refresh_for_measure(sender, instance, using, **kwargs):
    # The instance keeps the status it was saved with; refresh_from_db() reads the column.
    refresh([instance.pk], using=using)


def connect():
    from .models import Measure, MeasureStatus

    for signal in (post_save, post_delete):
        signal.connect(
            _refresh_for_change, sender=MeasureStatus, dispatch_uid=f"measure-status-{signal!r}"
        )
    post_save.connect(_refresh_for_measure, sender=Measure, dispatch_uid="measure-status-own")
