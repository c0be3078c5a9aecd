"""The Jinja2 environment of the public pages' hot loops.

The pages are Django templates. The loops that write a table's rows or the timeline's entries,
fifty records with their actors, sources and links each, are Jinja2 templates (under
timeline/jinja2/): Jinja2 compiles a template to Python, and these loops render in a fifth of
the time the Django template language took, most of a page's time at 100,000 events (issue 6).
A Django template includes one with ``{% load jinja2_include %}{% jinja2_include name k=v %}``.
"""

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import Environment, StrictUndefined


def truncatewords(text, count):
    """Django's ``truncatewords`` (the first ``count`` words, then " …") without its lazy
    Truncator, which cost a timeline page more than wording its fifty dates (issue 6)."""
    words = str(text).split()
    if len(words) <= count:
        return " ".join(words)
    return " ".join(words[:count]) + " …"


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
    )
    env.globals.update(page_link_prefix=page_link_prefix, static=static, url=reverse)
    return env
