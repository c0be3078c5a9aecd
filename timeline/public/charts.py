"""The geometry of an indicator's chart: its observations over time, as plain numbers.

The page draws the chart as server-rendered SVG (jinja2/timeline/partials/chart.html), readable
without JavaScript; this module only says where everything goes, so that the rules are tested
here without parsing markup:

- one mark an observation;
- a value held for a period wider than a day ("late July 2015", "week of 17 August 2015") spans
  that period as a horizontal bar: the chart claims no more precision than the source;
- a range (low–high) is drawn as a range, a vertical bar from low to high (a rectangle when it
  also holds for a period);
- an approximate value ("about 150", "several hundred") is drawn hollow, an exact one filled;
- a value reported "by" a day (on or before it) is marked at that day with a leader pointing
  back in time.

Observations are read through their attributes (``date``, ``date_precision``, ``value``,
``low``, ``high``, ``approximate``), so model instances and test doubles serve alike.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from timeline import dates

WIDTH = 640
HEIGHT = 300
MARGIN_LEFT = 72
MARGIN_RIGHT = 36
MARGIN_TOP = 24
MARGIN_BOTTOM = 40
# A point's radius, and the thickness of a bar that spans a period or a range.
POINT_RADIUS = 5
BAR_THICKNESS = 8
# How far back the leader of a "by" date reaches, in pixels.
BY_LEADER = 28
# A chart of a single day still shows a little time either side of it.
LEAST_DAYS = 14
MOST_TICKS = 7
BY = "by"

CURRENCY_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def period(day, precision):
    """The first and last day an observation holds for; a "by" date is the day it names."""
    if precision == BY or precision not in dates.DatePrecision.values:
        return day, day
    return dates.period_start(day, precision), dates.period_end(day, precision)


def number(value):
    """A decimal in words: 2000 -> "2,000", 44.50 -> "44.5"."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def amount(value, currency=""):
    """A number with its currency: "£44.5", "12 CHF", or the number alone."""
    if not currency:
        return number(value)
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number(value)}" if symbol else f"{number(value)} {currency}"


def is_range(observation):
    return observation.low is not None and observation.high is not None


def value_words(observation, currency=""):
    """What an observation says, as a number or a range: "about 2,000", "2,000–3,000"."""
    about = "about " if observation.approximate else ""
    words = []
    if observation.value is not None:
        words.append(amount(observation.value, currency))
    if is_range(observation):
        low, high = amount(observation.low, currency), amount(observation.high, currency)
        words.append(f"{low}–{high}" if not words else f"(range {low}–{high})")
    return about + " ".join(words)


def summary(indicator, observations):
    """The chart in words, for its <desc>: each observation's date and value, in order."""
    observations = list(observations)
    unit = f" {indicator.unit}" if getattr(indicator, "unit", "") else ""
    if not observations:
        return f"No observations of {indicator.name} yet."
    currency = getattr(indicator, "currency", "")
    parts = []
    for observation in observations:
        part = f"{observation.date_display}: {value_words(observation, currency)}{unit}"
        printed = getattr(observation, "as_printed", "")
        if printed:
            part += f" (“{printed}”)"
        reporter = getattr(observation, "reported_by", None)
        if reporter is not None:
            part += f", reported by {reporter.name}"
        parts.append(part)
    count = len(observations)
    noun = "observation" if count == 1 else "observations"
    return f"{indicator.name}, {count} {noun} over time. " + "; ".join(parts) + "."


def nice_step(span, most_ticks=6):
    """A round step (1, 2 or 5 times a power of ten) giving at most ``most_ticks`` ticks."""
    if span <= 0:
        return 1
    rough = span / most_ticks
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if multiple * power >= rough:
            return multiple * power
    return 10 * power


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Mark:
    """One observation's mark. ``shape`` is "point" (a circle at cx, cy) or "bar" (a
    rectangle x, y, width, height): a period, a range, or both."""

    observation: object
    shape: str
    hollow: bool
    cx: float = 0.0
    cy: float = 0.0
    x: float = 0.0
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    is_range: bool = False
    is_period: bool = False
    by: bool = False
    # A "by" date's leader: a line from (lead_x1, cy) back to the mark.
    lead_x1: float = 0.0
    label: str = ""


@dataclass
class Chart:
    marks: list
    x_ticks: list
    y_ticks: list
    width: int = WIDTH
    height: int = HEIGHT
    left: int = MARGIN_LEFT
    right: int = WIDTH - MARGIN_RIGHT
    top: int = MARGIN_TOP
    bottom: int = HEIGHT - MARGIN_BOTTOM
    legend: dict = field(default_factory=dict)

    @property
    def plot_width(self):
        return self.right - self.left

    @property
    def plot_height(self):
        return self.bottom - self.top


def _highest(observations):
    values = []
    for observation in observations:
        for value in (observation.value, observation.high, observation.low):
            if value is not None:
                values.append(float(value))
    return max(values, default=0.0)


def _x_ticks(first, last, to_x):
    """Ticks on round dates between ``first`` and ``last``: Mondays for a few months at most,
    month starts for a few years, years beyond."""
    days = (last - first).days
    ticks = []
    if days <= 120:
        step = 7 * max(1, math.ceil(days / 7 / MOST_TICKS))
        day = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
        while day <= last:
            ticks.append(Tick(to_x(day), f"{day.day} {dates.MONTH_NAMES[day.month - 1][:3]}"))
            day += datetime.timedelta(days=step)
        return ticks
    if days <= 365 * 4:
        months = max(1, math.ceil(days / 30.4 / MOST_TICKS))
        year, month = first.year, first.month + 1
        while True:
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
            day = datetime.date(year, month, 1)
            if day > last:
                return ticks
            label = dates.MONTH_NAMES[month - 1][:3]
            ticks.append(Tick(to_x(day), f"{label} {year}" if month == 1 or not ticks else label))
            month += months
    years = max(1, math.ceil(days / 365.25 / MOST_TICKS))
    for year in range(first.year + 1, last.year + 1, years):
        ticks.append(Tick(to_x(datetime.date(year, 1, 1)), str(year)))
    return ticks


def chart(observations, currency=""):
    """The chart of ``observations`` (in any order): a Chart, or None when there are none."""
    observations = list(observations)
    if not observations:
        return None
    spans = [period(o.date, o.date_precision) for o in observations]
    first = min(start for start, _ in spans)
    # A period's last day is drawn to its end, the start of the next day.
    last = max(end for _, end in spans) + datetime.timedelta(days=1)
    padding = max(datetime.timedelta(days=2), (last - first) / 12)
    if (last - first) + 2 * padding < datetime.timedelta(days=LEAST_DAYS):
        padding = (datetime.timedelta(days=LEAST_DAYS) - (last - first)) / 2
    first, last = first - padding, last + padding
    total = (last - first).total_seconds() or 1.0

    result = Chart(marks=[], x_ticks=[], y_ticks=[])

    def to_x(day):
        return result.left + (day - first).total_seconds() / total * result.plot_width

    step = nice_step(_highest(observations) or 1)
    top_value = step * math.ceil((_highest(observations) or 1) / step)
    if top_value <= _highest(observations):
        top_value += step

    def to_y(value):
        return result.bottom - float(value) / top_value * result.plot_height

    tick_value = 0
    while tick_value <= top_value + step / 1000:
        result.y_ticks.append(Tick(to_y(tick_value), number(Decimal(str(round(tick_value, 6))))))
        tick_value += step
    result.x_ticks = _x_ticks(first, last, to_x)

    for observation, (start, end) in zip(observations, spans, strict=True):
        by = observation.date_precision == BY
        is_period = end > start
        ranged = is_range(observation)
        x1, x2 = to_x(start), to_x(end + datetime.timedelta(days=1))
        if by or not is_period:
            x1 = x2 = to_x(start) if by else (x1 + x2) / 2
        if ranged:
            y1, y2 = to_y(observation.high), to_y(observation.low)
        else:
            y1 = y2 = to_y(observation.value)
        mark = Mark(
            observation,
            shape="bar" if (is_period or ranged) else "point",
            hollow=bool(observation.approximate),
            cx=(x1 + x2) / 2,
            cy=(y1 + y2) / 2,
            is_range=ranged,
            is_period=is_period and not by,
            by=by,
            label=value_words(observation, currency),
        )
        if mark.shape == "bar":
            width = max(x2 - x1, BAR_THICKNESS)
            height = max(y2 - y1, BAR_THICKNESS)
            mark.x, mark.width = mark.cx - width / 2, width
            mark.y, mark.height = mark.cy - height / 2, height
        if by:
            mark.lead_x1 = max(result.left, mark.cx - BY_LEADER)
        result.marks.append(mark)
    result.legend = {
        "exact": any(not m.hollow for m in result.marks),
        "approximate": any(m.hollow for m in result.marks),
        "period": any(m.is_period for m in result.marks),
        "range": any(m.is_range for m in result.marks),
        "by": any(m.by for m in result.marks),
    }
    return result
