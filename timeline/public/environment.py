"""The Jinja2 environment of the public pages (settings.TEMPLATES, engine "jinja2").

Every public page is a Jinja2 template extending ``base.html``, with its repeated pieces (a date,
a citation, actor links, the pagination, a table) as macros in ``timeline/macros.html``; the
smallest of them are Python functions (``pieces``, as filters), because lists use them hundreds of
times a page. Jinja2 compiles a template to Python once, so pages of fifty entries or rows, each
with its links, render much faster than in the Django template language.
"""

import functools
import re

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import QueryDict
from django.template import defaultfilters
from django.urls import reverse
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from timeline import dates, search

from . import charts, pieces, rows


def truncatewords(text, count):
    """Django's ``truncatewords`` (the first ``count`` words, then " …") without its lazy
    Truncator, which a timeline page would call fifty times."""
    words = str(text).split()
    if len(words) <= count:
        return " ".join(words)
    return " ".join(words[:count]) + " …"


# Words a search ignores or reads as an operator, which marking everywhere would only clutter.
UNMARKED_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "in", "is", "of", "on", "or", "the", "to", "with"]
)
# Endings a search's stemming finds beside the word ("deploy" finds "deployed"): a match is the
# word without its own ending, then any one of these.
WORD_ENDINGS = ("ing", "ed", "es", "s", "e")
MARKED_ENDINGS = "(?:e|es|s|ed|d|ing|er|ers|ment|ments)?"


@functools.lru_cache(maxsize=256)
def search_pattern(terms):
    """A regular expression matching the words of the search ``terms`` in a text, in any case and
    with the common English endings; None when no word is worth marking."""
    alternatives = set()
    for term in search.words(" ".join(t for t in terms.split() if not t.startswith("-"))):
        word = term.lower()
        if word in UNMARKED_WORDS:
            continue
        for ending in WORD_ENDINGS:
            if word.endswith(ending) and len(word) - len(ending) >= 3:
                word = word[: -len(ending)]
                break
        alternatives.add(re.escape(word) + MARKED_ENDINGS)
    if not alternatives:
        return None
    # Longest first, so that one word's match is not cut short by another's.
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(ordered) + r")\b", re.IGNORECASE)


def highlight(text, terms):
    """``text``, escaped, with each word of the search ``terms`` in it in a <mark>."""
    pattern = search_pattern(terms) if terms else None
    if pattern is None:
        return escape(text)
    text = str(text)
    marked, last = [], 0
    for match in pattern.finditer(text):
        marked += [escape(text[last : match.start()]), Markup("<mark>%s</mark>") % match[0]]
        last = match.end()
    marked.append(escape(text[last:]))
    return Markup("").join(marked)


def url(name, *args, **kwargs):
    """``{{ url("timeline:event-detail", slug) }}``: reverse() of a named URL."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def querystring(query, **changes):
    """``query`` (a QueryDict) with ``changes`` applied (None drops a name), as "?a=1&b=2", or
    "" when nothing is left: what Django's ``{% querystring %}`` writes."""
    changed = query.copy() if isinstance(query, QueryDict) else QueryDict(mutable=True)
    for name, value in changes.items():
        changed.pop(name, None)
        if value is not None:
            changed[name] = value
    encoded = changed.urlencode()
    return f"?{encoded}" if encoded else ""


def page_link_prefix(query, name="page"):
    """A page link but its number: "?page=", or "?q=calais&page=" keeping the other parameters.

    Encoded once for the ten links of a pagination rather than once a link; the page number
    comes last.
    """
    rest = querystring(query, **{name: None})
    return f"{rest}&{name}=" if rest else f"?{name}="


def environment(**options):
    # Strict: a misspelt name fails the test that renders it instead of printing nothing.
    # Block tags leave no blank lines or indentation behind them: fifty entries a page.
    env = Environment(
        **{**options, "undefined": StrictUndefined, "trim_blocks": True, "lstrip_blocks": True}
    )
    env.filters.update(
        capfirst=defaultfilters.capfirst,
        date=defaultfilters.date,
        pluralize=defaultfilters.pluralize,
        truncatewords=truncatewords,
        highlight=highlight,
        amount=charts.amount,
        record_date=pieces.record_date,
        day=pieces.day,
        event_status=pieces.event_status,
        unreviewed=pieces.unreviewed,
        actor_links=pieces.actor_links,
        cited=pieces.cited,
    )
    env.globals.update(
        url=url,
        static=staticfiles_storage.url,
        querystring=querystring,
        reported=rows.reported,
        page_link_prefix=page_link_prefix,
        who=rows.who,
        adds_to_name=rows.adds_to_name,
        display_date=dates.display,
        machine_date=dates.machine_readable,
    )
    return env


def macros():
    """The macros file as a module, for the fragments views render and cache themselves."""
    from django.template import engines

    return engines["jinja2"].env.get_template("timeline/macros.html").module
