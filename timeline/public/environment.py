"""The Jinja2 environment of the public pages' hot loops.

The pages are Django templates. The loops that write a table's rows or the timeline's entries,
fifty records with their actors, sources and links each, are Jinja2 templates (under
timeline/jinja2/): Jinja2 compiles a template to Python, and these loops render in a fifth of
the time the Django template language took, most of a page's time at 100,000 events (issue 6).
A Django template includes one with ``{% load jinja2_include %}{% jinja2_include name k=v %}``.
"""

import functools
import re

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from timeline import search


def truncatewords(text, count):
    """Django's ``truncatewords`` (the first ``count`` words, then " …") without its lazy
    Truncator, which cost a timeline page more than wording its fifty dates (issue 6)."""
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


def page_link_prefix(query, name="page"):
    """A page link but its number: "?page=", or "?q=calais&page=" keeping the other filters.

    What ``{% querystring page=n %}`` writes, with the query string encoded once for the ten
    links of a pagination rather than copied and encoded for each (issue 6). The page number
    comes last.
    """
    others = query.copy()
    others.pop(name, None)
    rest = others.urlencode()
    return f"?{rest}&{name}=" if rest else f"?{name}="


def environment(**options):
    # Strict: a misspelt name fails the test that renders it instead of printing nothing.
    # Block tags leave no blank lines or indentation behind them: fifty entries a page.
    env = Environment(
        **{**options, "undefined": StrictUndefined, "trim_blocks": True, "lstrip_blocks": True}
    )
    env.filters.update(
        capfirst=defaultfilters.capfirst,
        date=defaultfilters.date,
        truncatewords=truncatewords,
        highlight=highlight,
    )
    env.globals.update(page_link_prefix=page_link_prefix, static=static, url=reverse)
    return env
