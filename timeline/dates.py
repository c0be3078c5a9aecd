"""Dates as precise as the source allows, and no more.

A dated record stores the first day of the period it falls in (``date``) and how wide that
period is (``precision``). "Late July 2015" is stored as 21 July 2015 with the precision
``late-month``; "earlier this week" in an article of Wednesday 19 August 2015 is stored as
Monday 17 August 2015 with the precision ``week``. Sorting by the stored date puts a period
before the days inside it, and the display never claims more than the source said.
"""

import datetime

from django.db import models
from django.db.models import Value
from django.db.models.functions import StrIndex


class DatePrecision(models.TextChoices):
    DAY = "day", "exact day"
    WEEK = "week", "week"
    EARLY_MONTH = "early-month", "early in a month"
    MID_MONTH = "mid-month", "middle of a month"
    LATE_MONTH = "late-month", "late in a month"
    MONTH = "month", "month"
    YEAR = "year", "year"
    # Reported without a date of its own, on or before this day (normally the publication date).
    BY = "by", "by a day"


# Looked up rather than formatted with strftime's %B, which is slower and follows the locale:
# a timeline page words a date for each of its entries.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_PART_OF_MONTH_FIRST_DAY = {
    DatePrecision.EARLY_MONTH: 1,
    DatePrecision.MID_MONTH: 11,
    DatePrecision.LATE_MONTH: 21,
}


def period_start(day, precision):
    """The first day of the period of the given precision that contains ``day``.

    "By a day" is that day: it is a bound, not a period, and a filter takes it as the day.
    """
    if precision in (DatePrecision.DAY, DatePrecision.BY):
        return day
    if precision == DatePrecision.WEEK:
        return day - datetime.timedelta(days=day.weekday())
    if precision in _PART_OF_MONTH_FIRST_DAY:
        if day.day >= 21:
            first = 21
        elif day.day >= 11:
            first = 11
        else:
            first = 1
        return day.replace(day=first)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    raise ValueError(f"unknown date precision {precision!r}")


def period_end(start, precision):
    """The last day of the period of the given precision that starts on (or contains) ``start``.

    >>> period_end(datetime.date(2016, 1, 1), DatePrecision.YEAR)
    datetime.date(2016, 12, 31)
    >>> period_end(datetime.date(2016, 7, 21), DatePrecision.LATE_MONTH)
    datetime.date(2016, 7, 31)
    """
    start = period_start(start, precision)
    if precision in (DatePrecision.DAY, DatePrecision.BY):
        return start
    if precision == DatePrecision.WEEK:
        return start + datetime.timedelta(days=6)
    if precision in (DatePrecision.EARLY_MONTH, DatePrecision.MID_MONTH):
        return start + datetime.timedelta(days=9)
    if precision == DatePrecision.YEAR:
        return start.replace(month=12, day=31)
    # the rest of the month: a late part of it, or the whole month
    next_month = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return next_month - datetime.timedelta(days=1)


def day_display(day):
    """A day in words: '13 July 2016'."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def is_period_start(day, precision):
    """Whether ``day`` is where a period of this precision starts (for early/mid/late, its part)."""
    if precision in _PART_OF_MONTH_FIRST_DAY:
        return day.day == _PART_OF_MONTH_FIRST_DAY[precision]
    return period_start(day, precision) == day


def expected_start(day, precision):
    """The date that should be stored for ``day`` at this precision."""
    if precision in _PART_OF_MONTH_FIRST_DAY:
        return day.replace(day=_PART_OF_MONTH_FIRST_DAY[precision])
    return period_start(day, precision)


def display(day, precision):
    """Human wording that claims no more than the precision: 'late July 2015'."""
    month_year = f"{MONTH_NAMES[day.month - 1]} {day.year}"
    if precision == DatePrecision.DAY:
        return f"{day.day} {month_year}"
    if precision == DatePrecision.WEEK:
        return f"week of {day.day} {month_year}"
    if precision == DatePrecision.EARLY_MONTH:
        return f"early {month_year}"
    if precision == DatePrecision.MID_MONTH:
        return f"mid-{month_year}"
    if precision == DatePrecision.LATE_MONTH:
        return f"late {month_year}"
    if precision == DatePrecision.MONTH:
        return month_year
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.BY:
        return f"by {day.day} {month_year}"
    raise ValueError(f"unknown date precision {precision!r}")


def machine_readable(day, precision):
    """The value for an HTML ``<time datetime>``: as precise as the date and no more."""
    if precision in (DatePrecision.DAY, DatePrecision.BY):
        return day.isoformat()
    if precision == DatePrecision.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if precision == DatePrecision.YEAR:
        return f"{day.year:04d}"
    return f"{day.year:04d}-{day.month:02d}"


class DisplayedDate:
    """``date_display`` and ``date_machine`` of anything with a ``date`` and a
    ``date_precision``: a dated model, or a timeline entry's row (timeline.records)."""

    __slots__ = ()

    @property
    def date_display(self):
        return display(self.date, self.date_precision)

    @property
    def date_machine(self):
        return machine_readable(self.date, self.date_precision)


# Wider periods first, so "2015" comes before "August 2015" and "20 August 2015" that start with it.
# "By a day" comes last: what is known only to have happened by then follows that day's entries.
WIDTH_ORDER = [
    DatePrecision.YEAR,
    DatePrecision.MONTH,
    DatePrecision.EARLY_MONTH,
    DatePrecision.MID_MONTH,
    DatePrecision.LATE_MONTH,
    DatePrecision.WEEK,
    DatePrecision.DAY,
    DatePrecision.BY,
]


def width_rank(field="date_precision"):
    """A database expression ordering precisions from the widest to the narrowest.

    It is where the precision's name first occurs in "year month early-month ... day"
    (WIDTH_ORDER), one string function (instr, strpos) on both databases. "month" occurs inside
    "early-month" too, but after its own place; tests/test_dates.py checks every precision ranks
    in order. The database computes it once per write, into the ``date_width`` column.
    """
    return StrIndex(Value(" ".join(WIDTH_ORDER)), field)


def width_of(precision):
    """The ``date_width`` the database stores for ``precision`` (``width_rank``)."""
    return " ".join(WIDTH_ORDER).index(precision) + 1


WIDTHS = {precision: width_of(precision) for precision in DatePrecision}
PRECISION_OF_WIDTH = {width: precision for precision, width in WIDTHS.items()}


def overlaps(day, precision, start=None, end=None):
    """Whether a record dated ``day`` at ``precision`` overlaps ``start``–``end`` (either may be
    None), as ``in_range`` selects it: its period ends on or after ``start``
    (``ends_on_or_after``) and starts on or before ``end``."""
    return (start is None or day >= period_start(start, precision)) and (end is None or day <= end)


def start_branches(day):
    """[(first day, widths)] for ``day``: a record's period ends on or after ``day`` exactly when
    it starts no earlier than the first day of the branch holding its width.

    Periods of one precision tile the calendar, so a record overlaps ``day`` or later exactly
    when its period starts no earlier than the period of the same precision containing ``day``.
    Precisions whose periods containing ``day`` start on the same day share a branch.
    """
    widths_by_start = {}
    for precision in DatePrecision:
        widths_by_start.setdefault(period_start(day, precision), []).append(WIDTHS[precision])
    return list(widths_by_start.items())


def ends_on_or_after(day, field="date", width_field="date_width"):
    """A Q() for records whose period ends on or after ``day``: "2015" counts from 1 August 2015.

    The earliest branch's first day (``start_branches``) comes first, alone, so that an index on
    the date seeks to it rather than reading every earlier record to test its precision. The
    precision is told by its width, which the timeline's indexes hold beside the date (SQLite's
    cannot include the precision itself).
    """
    branches = start_branches(day)
    condition = models.Q()
    for start, widths in branches:
        condition |= models.Q(**{f"{width_field}__in": widths, f"{field}__gte": start})
    return models.Q(**{f"{field}__gte": min(start for start, _ in branches)}) & condition


def in_range_sql(start, end, date_column, width_column, adapt):
    """``in_range(start, end)`` as SQL and its parameters, on the columns ``date_column`` and
    ``width_column`` (quoted names) of any table: for the timeline's index, a UNION of every
    kind's rows that the ORM cannot filter. ``adapt`` turns a date into a parameter
    (connection.ops.adapt_datefield_value). "" and no parameters without a range."""
    conditions, params = [], []
    if start:
        branches = start_branches(start)
        conditions.append(f"{date_column} >= %s")
        params.append(adapt(min(first for first, _ in branches)))
        either = []
        for first, widths in branches:
            listed = ", ".join(["%s"] * len(widths))
            either.append(f"({width_column} IN ({listed}) AND {date_column} >= %s)")
            params += [*widths, adapt(first)]
        conditions.append(f"({' OR '.join(either)})")
    if end:
        conditions.append(f"{date_column} <= %s")
        params.append(adapt(end))
    return " AND ".join(conditions), params
