"""Figures as printed: values, ranges, approximations, units and currencies.

"Some 3,000 people" is an approximate 3,000 people; "between 500 and 700" a range; "£44.5m" a
value in pounds; "several hundred" a range with no exact value (100 to 999, approximate), since
the words give no more. Years, days of the month and small counts written out ("one British
commander") are not figures.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

_APPROX = (
    r"some|about|around|roughly|nearly|almost|approximately|an estimated|estimated|more than|"
    r"over|up to|at least|fewer than|less than|close to|as many as|upwards of|just under|"
    r"just over|a high of|a peak of|a low of|a record"
)
_EXACT_WORDS = {"a high of", "a peak of", "a low of", "a record"}
_CURRENCY = {"£": "GBP", "€": "EUR", "$": "USD"}
_CURRENCY_WORDS = {"pounds": "GBP", "euros": "EUR", "dollars": "USD"}
_MULTIPLIER = {
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "bn": 10**9,
    "billion": 10**9,
    "k": 10**3,
    "thousand": 10**3,
}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:\s*(?:m|mn|bn|k)\b|\s+(?:million|billion|thousand)\b)"
FIGURE = re.compile(
    rf"(?:(?P<approx>{_APPROX})\s+)?"
    rf"(?:between\s+(?P<cur_low>[£€$])?(?P<low>{_NUM})(?P<mult_low>{_MULT})?\s+and\s+"
    rf"(?P<cur_high>[£€$])?(?P<high>{_NUM})(?P<mult_high>{_MULT})?"
    rf"|(?P<cur>[£€$])?(?P<num>{_NUM})(?P<mult>{_MULT})?"
    rf"(?:\s*(?:-|–|to)\s*[£€$]?(?P<num_high>{_NUM})(?P<mult_high2>{_MULT})?)?)"
    rf"(?P<pct>\s*(?:%|per cent|percent))?",
    re.IGNORECASE,
)
VAGUE = re.compile(
    r"\b(?P<words>(?:several|a few|many|some) (?P<scale>hundred|thousand)s?|"
    r"(?P<plural>hundreds|thousands|dozens|tens of thousands) of)\b",
    re.IGNORECASE,
)
_VAGUE_RANGES = {
    "hundred": (100, 999),
    "thousand": (1000, 9999),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "dozens": (24, 99),
    "tens of thousands": (20000, 99999),
}
_UNIT = re.compile(
    r"^\s*(?:(?:people|migrants|officers|attempts|lorries|vehicles|refugees|children|"
    r"\w+)\s+)?(?P<unit>a night|a day|a week|a month|a year|per night|per day|per week|"
    r"per month|per year|each night|each day|every night|every day)\b",
    re.IGNORECASE,
)
# What is counted: the first lower-case word after the number that is not a modifier
# ("120 extra Border Force officers" counts officers).
_MODIFIER_WORDS = (
    "more extra additional new further young unaccompanied other foreign british french police "
    "border force a night day week month year per each every of"
)
_MODIFIERS = frozenset(_MODIFIER_WORDS.split(" "))
_NOT_COUNTED = re.compile(
    r"^(?:st|nd|rd|th|[ap]\.?m\b|o'clock|years? old|year-old|per cent)", re.IGNORECASE
)
_MONTHS = re.compile(
    r"^\s*(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\b"
)


@dataclass
class Figure:
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    approximate: bool
    as_printed: str
    unit: str
    currency: str
    noun: str
    start: int
    end: int


def _number(text, multiplier=""):
    value = Decimal(text.replace(",", ""))
    factor = _MULTIPLIER.get(multiplier.strip().lower(), 1)
    value = value * factor
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def find_figures(sentence):
    """Every figure of a sentence, in order."""
    figures = []
    taken = []
    for match in VAGUE.finditer(sentence):
        key = (match.group("plural") or match.group("scale")).lower()
        low, high = _VAGUE_RANGES[key]
        after = sentence[match.end() :]
        figures.append(
            Figure(
                None,
                Decimal(low),
                Decimal(high),
                True,
                match.group(0),
                _unit(after),
                "",
                _noun(after),
                match.start(),
                match.end(),
            )
        )
        taken.append(match.span())
    for match in FIGURE.finditer(sentence):
        if any(a <= match.start() < b for a, b in taken):
            continue
        if not (match.group("num") or match.group("low")):
            continue
        after = sentence[match.end() :]
        before = sentence[: match.start()]
        raw = match.group("num") or ""
        currency = _CURRENCY.get(
            match.group("cur") or match.group("cur_low") or match.group("cur_high") or "", ""
        )
        if not currency:
            word = re.match(r"^\s*(pounds|euros|dollars)\b", after)
            currency = _CURRENCY_WORDS.get(word.group(1).lower(), "") if word else ""
        if raw and not currency and not match.group("pct"):
            if _is_year(raw, after, before) or _NOT_COUNTED.match(after) or _MONTHS.match(after):
                continue
            if re.search(
                r"(?:January|February|March|April|May|June|July|August|September|"
                r"October|November|December)\s*$",
                before,
            ):
                continue
            if re.search(r"[A-Za-z]$", before):  # part of a word or a code
                continue
        approx_words = (match.group("approx") or "").lower()
        approximate = bool(approx_words) and approx_words not in _EXACT_WORDS
        if match.group("low"):
            value = None
            low = _number(
                match.group("low"), match.group("mult_low") or match.group("mult_high") or ""
            )
            high = _number(match.group("high"), match.group("mult_high") or "")
        elif match.group("num_high"):
            value = None
            mult = match.group("mult_high2") or match.group("mult") or ""
            low = _number(raw, match.group("mult") or mult)
            high = _number(match.group("num_high"), mult)
        else:
            value = _number(raw, match.group("mult") or "")
            low = high = None
        unit = "%" if match.group("pct") else _unit(after)
        printed = match.group(0).strip()
        if approx_words in _EXACT_WORDS:
            printed = printed[len(approx_words) :].strip()
        figures.append(
            Figure(
                value,
                low,
                high,
                approximate,
                printed,
                unit,
                currency,
                "" if currency else _noun(after),
                match.start(),
                match.end(),
            )
        )
        taken.append(match.span())
    return sorted(figures, key=lambda figure: figure.start)


def _is_year(raw, after, before):
    if not re.fullmatch(r"(?:19|20)\d\d", raw):
        return False
    # "2,000 migrants" has its comma; "2000 migrants" is read as a count only before a noun
    return not re.match(r"^\s+(?:people|migrants|officers|refugees|attempts)\b", after)


def _unit(after):
    match = _UNIT.match(after)
    return match.group("unit").lower() if match else ""


def _noun(after):
    words = re.findall(r"[A-Za-z][\w-]*|[,.;:()]", after)[:6]
    for word in words:
        if word in ",.;:()":
            return ""
        if word[0].islower() and word.lower() not in _MODIFIERS:
            if word in ("a", "an", "the", "at", "in", "on", "to", "and", "from", "by", "for"):
                return ""
            return word
    return ""
