"""A measure's current status: the status of its latest status change, kept in ``Measure.status``.

The tables, filters, sorts and downloads read the current status of many measures at once, so it
is a column rather than a subquery a row. It is derived data, written in one place, here:

- after every save or delete of a status change (the admin, the importer, undo, history reverts,
  loaddata), for that change's measure, in the same transaction (post_save, post_delete);
- by whoever writes status changes in bulk, which sends no model signals (the synthetic seed),
  calling ``refresh()`` before it commits.

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
    """Rewrite the current status of ``measures`` (pks, or every measure when None)."""
    from .models import Measure

    queryset = Measure.objects.using(using)
    if measures is not None:
        queryset = queryset.filter(pk__in=list(measures))
    queryset.update(status=models.functions.Coalesce(latest_status(), models.Value("")))


def _refresh_for_change(sender, instance, using, **kwargs):
    if instance.measure_id:
        refresh([instance.measure_id], using=using)


def connect():
    from .models import MeasureStatus

    for signal in (post_save, post_delete):
        signal.connect(
            _refresh_for_change, sender=MeasureStatus, dispatch_uid=f"measure-status-{signal!r}"
        )
