"""The geometry of an indicator's chart (timeline.public.charts), without any markup."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from timeline.public import charts


def observation(day, precision="day", value=None, low=None, high=None, approximate=False):
    return SimpleNamespace(
        date=day,
        date_precision=precision,
        value=None if value is None else Decimal(value),
        low=None if low is None else Decimal(low),
        high=None if high is None else Decimal(high),
        approximate=approximate,
    )


LATE_JULY = observation(datetime.date(2015, 7, 21), "late-month", value=2000, approximate=True)
WEEK_OF_17_AUGUST = observation(datetime.date(2015, 8, 17), "week", value=150, approximate=True)


def test_there_is_one_mark_an_observation():
    chart = charts.chart(
        [LATE_JULY, WEEK_OF_17_AUGUST, observation(datetime.date(2015, 8, 20), value=90)]
    )

    assert [mark.observation for mark in chart.marks] == [
        LATE_JULY,
        WEEK_OF_17_AUGUST,
        chart.marks[2].observation,
    ]


def test_no_observations_make_no_chart():
    assert charts.chart([]) is None


def test_a_value_for_a_period_spans_the_period_as_a_horizontal_bar():
    """ "Late July 2015" is 21 to 31 July: the bar covers those eleven days, no fewer."""
    chart = charts.chart([LATE_JULY, WEEK_OF_17_AUGUST])
    late_july, week = chart.marks

    assert late_july.shape == "bar" and late_july.is_period
    assert late_july.height == charts.BAR_THICKNESS
    # Eleven days for late July, seven for the week: widths in that proportion.
    assert abs(late_july.width / week.width - 11 / 7) < 0.01
    assert late_july.x + late_july.width < week.x


def test_a_single_day_is_a_point():
    (mark,) = charts.chart([observation(datetime.date(2015, 8, 20), value=90)]).marks

    assert mark.shape == "point"
    assert not mark.is_period and not mark.is_range


def test_a_range_is_drawn_from_low_to_high():
    chart = charts.chart([observation(datetime.date(2015, 8, 20), low=200, high=800)])
    (mark,) = chart.marks
    zero = chart.bottom

    assert mark.shape == "bar" and mark.is_range
    scale = (zero - chart.top) / float(chart.y_ticks[-1].label.replace(",", ""))
    assert abs((zero - mark.y) - 800 * scale) < 0.01
    assert abs((zero - mark.y - mark.height) - 200 * scale) < 0.01


def test_approximate_values_are_hollow_and_exact_ones_filled():
    chart = charts.chart([LATE_JULY, observation(datetime.date(2015, 8, 20), value=90)])

    assert [mark.hollow for mark in chart.marks] == [True, False]
    assert chart.legend["approximate"] and chart.legend["exact"]


def test_a_by_date_is_marked_at_its_day_with_a_leader_back_in_time():
    (mark,) = charts.chart([observation(datetime.date(2018, 1, 19), "by", value=40)]).marks

    assert mark.by and not mark.is_period
    assert mark.lead_x1 < mark.cx


def test_the_value_axis_starts_at_zero_and_reaches_above_the_highest_value():
    chart = charts.chart([LATE_JULY, WEEK_OF_17_AUGUST])

    assert chart.y_ticks[0].label == "0"
    assert float(chart.y_ticks[-1].label.replace(",", "")) >= 2000
    assert all(chart.top <= mark.cy <= chart.bottom for mark in chart.marks)


def test_the_time_axis_labels_round_dates_inside_the_plot():
    chart = charts.chart([LATE_JULY, WEEK_OF_17_AUGUST])

    assert chart.x_ticks
    assert all(chart.left <= tick.position <= chart.right for tick in chart.x_ticks)
    assert "17 Aug" in [tick.label for tick in chart.x_ticks]


def test_years_of_observations_are_labelled_by_month_or_year():
    chart = charts.chart(
        [
            observation(datetime.date(2015, 1, 1), "year", value=1),
            observation(datetime.date(2020, 6, 1), value=2),
        ]
    )

    assert "2018" in [tick.label for tick in chart.x_ticks]


def test_values_are_worded_with_their_currency_and_approximation():
    assert (
        charts.value_words(observation(datetime.date(2015, 1, 1), value="44.5"), "GBP") == "£44.5"
    )
    assert charts.value_words(LATE_JULY) == "about 2,000"
    assert (
        charts.value_words(observation(datetime.date(2015, 1, 1), low=200, high=800)) == "200–800"
    )
