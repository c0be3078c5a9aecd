"""Dates as a wire report words them, resolved against its publication date.

Own rules rather than dateparser: a report's dates are relative ("Thursday", "earlier this
week", "at the end of July") and what matters is the precision they carry, which a parser that
returns a single datetime throws away. Each rule returns the first day of the period with the
project's precision (timeline.dates), never a narrower date than the words give.

A bare weekday is the nearest such day to the publication, leaning on the tense: a past verb
looks back up to six days (one day ahead too, for a report filed the evening before, as wires
date their copy), a future one looks ahead.
"""

import datetime
import re
from dataclasses import dataclass

from timeline.dates import MONTH_NAMES, DatePrecision, expected_start

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = tuple(name.lower() for name in MONTH_NAMES)
_MONTH = "|".join(MONTH_NAMES)
_WEEKDAY = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "several": 3,
    "a few": 3,
}

PAST, FUTURE, PRESENT = "past", "future", "present"


@dataclass(frozen=True)
class When:
    """A resolved date: the first day of its period, the precision, and the words it came from."""

    date: datetime.date
    precision: str
    words: str
    start: int = 0
    end: int = 0

    def as_fields(self):
        return {"date": self.date.isoformat(), "date_precision": str(self.precision)}


def _period(day, precision):
    return expected_start(day, precision)


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_year(month, year, published, tense):
    """The year of a month named without one: the latest not after publication when the verb is
    past or present, the next one on or after it when it is future."""
    if year:
        return int(year)
    if tense == FUTURE:
        return published.year if month >= published.month else published.year + 1
    return published.year if month <= published.month else published.year - 1


def nearest_weekday(name, published, tense, modifier=""):
    target = WEEKDAYS.index(name.lower())
    offset = target - published.weekday()
    modifier = modifier.lower()
    if modifier == "last":
        offset = offset - 7 if offset >= 0 else offset
    elif modifier == "next":
        offset = offset + 7 if offset <= 0 else offset
    elif tense == FUTURE or modifier == "later":
        offset = offset % 7
    elif tense == PAST or modifier == "earlier":
        # Past, or a wire dated the evening before the day it names.
        offset = offset if -6 <= offset <= 1 else (offset - 7 if offset > 1 else offset + 7)
    else:
        offset = min((offset, offset - 7, offset + 7), key=abs)
    return published + datetime.timedelta(days=offset)


_PATTERNS = [
    # 19 August 2015, 19th August, August 19, 2015
    (
        "day_month",
        rf"\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b",
    ),
    (
        "month_day",
        rf"\b(?P<month>{_MONTH})\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d\d))?",
    ),
    # at the end of July, the beginning of next month, mid-July, late July 2015
    (
        "part_month",
        rf"\b(?:(?:at|by|towards?|until|since|from)\s+)?(?:the\s+)?"
        rf"(?P<part>end|start|beginning|middle|close)\s+of\s+"
        rf"(?:(?P<rel>this|last|next|the)\s+(?P<unit>month|year)|"
        rf"(?P<month>{_MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?)\b",
    ),
    # "in October last year", "March next year"
    (
        "month_rel_year",
        rf"\b(?P<month>{_MONTH})\s+(?:of\s+)?(?P<rel>last|next|this)\s+year\b",
    ),
    # the first five months of the year, the first half of last year: no narrower than the year
    (
        "part_year",
        r"\b(?:the\s+)?(?:first|second|last)\s+(?:\w+\s+)?(?:months?|half|quarter|weeks)\s+of\s+"
        r"(?:the|this|(?P<rel>last|next))\s+year\b",
    ),
    (
        "early_month",
        rf"\b(?P<part>early|mid|late)[\s-]+(?P<month>{_MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?\b",
    ),
    ("month_year", rf"\b(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b"),
    # "in July", "since March", "last July", "next March": a month on its own
    ("month", rf"\b(?P<prep>in|since|until|during|last|next|this|by|from)\s+(?P<month>{_MONTH})\b"),
    # earlier this week, last month, next year, this year
    (
        "relative",
        r"\b(?P<mod>earlier|later)?\s*(?:in\s+|on\s+)?(?:the\s+)?"
        r"(?P<rel>this|last|next|past|previous|coming)\s+(?P<unit>week|month|year)\b",
    ),
    ("earlier_in", r"\b(?P<mod>earlier|later)\s+in\s+the\s+(?P<unit>week|month|year)\b"),
    (
        "ago",
        r"\b(?P<count>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)"
        r"\s+(?P<unit>day|week|month|year)s?\s+ago\b",
    ),
    (
        "today",
        r"\b(?P<word>today|yesterday|tomorrow|tonight|this morning|this afternoon|"
        r"this evening|last night)\b",
    ),
    (
        "weekday",
        rf"\b(?:(?P<mod>last|next|this|later|earlier|on)\s+)?(?P<weekday>{_WEEKDAY})"
        r"(?:\s+(?:morning|afternoon|evening|night))?\b",
    ),
    ("year", r"\b(?P<prep>in|since|until|by|of|during|from|for)\s+(?P<year>(?:19|20)\d\d)\b"),
]
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _PATTERNS]
_CASE_SENSITIVE = {
    "day_month",
    "month_day",
    "month_year",
    "month",
    "month_rel_year",
    "early_month",
    "weekday",
}


def _resolve(kind, match, published, tense):
    groups = {key: (value or "") for key, value in match.groupdict().items()}
    month = MONTHS.index(groups["month"].lower()) + 1 if groups.get("month") else None
    if kind in ("day_month", "month_day"):
        year = _month_year(month, groups["year"], published, tense)
        try:
            return datetime.date(year, month, int(groups["day"])), DatePrecision.DAY
        except ValueError:
            return None
    if kind == "part_month":
        part = groups["part"].lower()
        precision = {
            "end": DatePrecision.LATE_MONTH,
            "close": DatePrecision.LATE_MONTH,
            "start": DatePrecision.EARLY_MONTH,
            "beginning": DatePrecision.EARLY_MONTH,
            "middle": DatePrecision.MID_MONTH,
        }[part]
        if groups["rel"]:
            step = {"this": 0, "the": 0, "last": -1, "next": 1}[groups["rel"].lower()]
            if groups["unit"].lower() == "year":
                year = published.year + step
                if precision == DatePrecision.LATE_MONTH:
                    return datetime.date(year, 12, 21), precision
                if precision == DatePrecision.EARLY_MONTH:
                    return datetime.date(year, 1, 1), precision
                return datetime.date(year, 6, 11), precision
            first = _add_months(published, step)
        else:
            first = datetime.date(_month_year(month, groups["year"], published, tense), month, 1)
        return _period(first, precision), precision
    if kind == "month_rel_year":
        year = published.year + {"last": -1, "next": 1, "this": 0}[groups["rel"].lower()]
        return datetime.date(year, month, 1), DatePrecision.MONTH
    if kind == "part_year":
        year = published.year + {"last": -1, "next": 1}.get(groups["rel"].lower(), 0)
        return datetime.date(year, 1, 1), DatePrecision.YEAR
    if kind == "early_month":
        precision = {
            "early": DatePrecision.EARLY_MONTH,
            "mid": DatePrecision.MID_MONTH,
            "late": DatePrecision.LATE_MONTH,
        }[groups["part"].lower()]
        first = datetime.date(_month_year(month, groups["year"], published, tense), month, 1)
        return _period(first, precision), precision
    if kind == "month_year":
        return datetime.date(int(groups["year"]), month, 1), DatePrecision.MONTH
    if kind == "month":
        prep = groups["prep"].lower()
        if prep == "last":
            year = published.year if month < published.month else published.year - 1
        elif prep == "next":
            year = published.year if month > published.month else published.year + 1
        else:
            year = _month_year(month, "", published, FUTURE if prep == "until" else tense)
        return datetime.date(year, month, 1), DatePrecision.MONTH
    if kind in ("relative", "earlier_in"):
        unit = groups["unit"].lower()
        rel = groups.get("rel", "this").lower() or "this"
        step = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[rel]
        if kind == "earlier_in":
            step = 0
        if rel == "past" and unit != "week":
            return None  # "the past year" is the last twelve months, not a calendar year
        if unit == "week":
            day = published + datetime.timedelta(weeks=step)
            return _period(day, DatePrecision.WEEK), DatePrecision.WEEK
        if unit == "month":
            return _add_months(published, step), DatePrecision.MONTH
        return datetime.date(published.year + step, 1, 1), DatePrecision.YEAR
    if kind == "ago":
        count = groups["count"].lower()
        count = int(count) if count.isdigit() else _NUMBER_WORDS.get(count, 1)
        unit = groups["unit"].lower()
        if unit == "day":
            return published - datetime.timedelta(days=count), DatePrecision.DAY
        if unit == "week":
            day = published - datetime.timedelta(weeks=count)
            return _period(day, DatePrecision.WEEK), DatePrecision.WEEK
        if unit == "month":
            return _add_months(published, -count), DatePrecision.MONTH
        return datetime.date(published.year - count, 1, 1), DatePrecision.YEAR
    if kind == "today":
        word = groups["word"].lower()
        shift = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        return published + datetime.timedelta(days=shift), DatePrecision.DAY
    if kind == "weekday":
        day = nearest_weekday(groups["weekday"], published, tense, groups.get("mod", ""))
        return day, DatePrecision.DAY
    if kind == "year":
        return datetime.date(int(groups["year"]), 1, 1), DatePrecision.YEAR
    return None


def find_dates(text, published, tense=PAST):
    """Every date expression of ``text``, resolved, in order, without overlaps.

    >>> [(w.date.isoformat(), w.precision) for w in find_dates(
    ...     "fallen to 150, down from 2,000 at the end of July", datetime.date(2015, 8, 19))]
    [('2015-07-21', 'late-month')]
    """
    found = []
    taken = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            if kind in _CASE_SENSITIVE and not _capitalised(match, kind):
                continue
            if kind == "month" and groups_month(match) == "May" and _may_is_a_name(text, match):
                continue
            resolved = _resolve(kind, match, published, tense_near(text, start, tense))
            if resolved is None:
                continue
            day, precision = resolved
            found.append(When(day, precision, match.group(0).strip(), start, end))
            taken.append((start, end))
    return sorted(found, key=lambda when: when.start)


def groups_month(match):
    return match.groupdict().get("month") or ""


def _capitalised(match, kind):
    """Months and weekdays are proper nouns: "may" and "march" in lower case are verbs."""
    for key in ("month", "weekday"):
        value = match.groupdict().get(key)
        if value and not value[0].isupper():
            return False
    return True


def _may_is_a_name(text, match):
    """ "by May and her counterpart": the Home Secretary, not the month."""
    after = text[match.end() : match.end() + 12]
    return not re.match(r"\s*(?:[0-3]?\d\b|(?:19|20)\d\d|,|\.|$)", after)


# Past tenses that do not end in -ed, for telling a happened event from a planned one.
IRREGULAR_PAST = (
    "began|became|brought|built|came|caught|fell|fled|found|gave|got|held|kept|knew|led|left|"
    "lost|made|met|paid|put|ran|rose|sent|set|saw|spoke|spent|stood|struck|took|told|went|won|"
    "wrote|drew|grew|threw|broke|chose|froze|sought|fought|thought|bought|taught|hit|cut|shut"
)
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|to be|is to|are to|due to|set to|expected to|plans? to|planned|"
    r"going to|later|next|coming|would)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:said|was|were|had|did|told|announced|agreed|signed|earlier|last|ago|yesterday|"
    r"\w+ed|" + IRREGULAR_PAST + r")\b",
    re.IGNORECASE,
)


def tense_of(text):
    """FUTURE, PAST or PRESENT from the verbs of a clause, the nearest marker first."""
    future = _FUTURE.search(text)
    past = _PAST.search(text)
    if future and (not past or future.start() <= past.start()):
        return FUTURE
    if past:
        return PAST
    return PRESENT


def tense_near(text, position, default=PAST):
    """The tense of the words just before ``position``: "visit ... later Thursday" is ahead,
    "said Thursday" behind."""
    before = text[max(0, position - 40) : position]
    words = re.findall(r"[\w']+", before)[-4:]
    window = " ".join(words)
    if _FUTURE.search(window):
        return FUTURE
    if _PAST.search(window):
        return PAST
    return default


def by_publication(published):
    """A record the text does not date: reported by the day of publication."""
    return When(published, "by", "")


def same_day(one, other):
    """Whether two resolved dates are the same period, whatever words gave them."""
    return (one.date, str(one.precision)) == (other.date, str(other.precision))
