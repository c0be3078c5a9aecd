"""The small pieces of markup every timeline entry or table row repeats: a record's date, a
calendar day, an event's status, the unreviewed mark, actor links and citations.

They are Python functions returning Markup, not Jinja2 macros, because a macro call costs far
more than a function call and a page of fifty entries makes a few hundred of them
(docs/performance.md). They are the environment's filters of the same names (``date`` is
``record_date``, Django's ``date`` filter keeping its name): Jinja2 calls a filter directly, a
global function through ``Context.call``, which looks for a context to pass it on every call.
Each piece is still written once: the macros of ``timeline/macros.html`` (``date``, ``day``...)
apply these filters for the other templates, and the entry and table loops apply them directly,
``{{ record|record_date }}``. Every value is escaped with ``escape()``; only the literal markup
around it is trusted.
"""

from django.template import defaultfilters
from markupsafe import Markup, escape

NOTHING = Markup("")
# What a list of actors or sources shows when it is empty.
NONE = Markup("—")
UNREVIEWED = Markup(
    '<span class="tag tag-unreviewed" title="Drafted, not yet checked by an editor">'
    "unreviewed</span>"
)


def record_date(dated):
    """A record's date at its precision, machine-readable too:
    ``<time datetime="2015-W34">week of 17 August 2015</time>``. ``dated``: a model instance
    or a row, both with ``date_machine`` and ``date_display``."""
    # f-strings of escaped values, not Markup.format, which parses its template on every call.
    return Markup(
        f'<time datetime="{escape(dated.date_machine)}">{escape(dated.date_display)}</time>'
    )


def day(value):
    """A calendar day (a source's publication, a role's start):
    ``<time datetime="2015-08-19">19 August 2015</time>``."""
    shown = defaultfilters.date(value, "j F Y")
    return Markup(f'<time datetime="{escape(value.isoformat())}">{escape(shown)}</time>')


def event_status(event):
    """An event's status when it had not happened (planned, expected, cancelled); nothing for
    one that happened or a record without a status."""
    status = getattr(event, "status", "")
    if not status or status == "happened":
        return NOTHING
    status = escape(status)
    return Markup(f'<span class="tag tag-event-{status}">{status}</span>')


def unreviewed(record):
    """A mark for a record an editor has not yet checked (``reviewed`` false); nothing for a
    checked one or a record that is never reviewed."""
    return NOTHING if getattr(record, "reviewed", True) else UNREVIEWED


def actor_links(actors, capacity=False):
    """Actors, linked and separated by commas, each with its capacity if ``capacity`` ("—" if
    none): model instances, or rows of timeline.public.links with their ``url``."""
    links = []
    for actor in actors:
        url = actor.url if hasattr(actor, "url") else actor.get_absolute_url()
        link = f'<a href="{escape(url)}">{escape(actor.name)}</a>'
        if capacity and actor.capacity:
            link += f' <span class="capacity">({escape(actor.capacity)})</span>'
        links.append(link)
    return Markup(", ".join(links)) if links else NONE


def cited(record):
    """The sources a row cites, inline, each linking to its page: "AFP, 19 Aug 2015; ..." ("—"
    if none). ``record.source_links``: rows of timeline.public.links."""
    links = [
        f'<cite><a href="{escape(source.url)}">{escape(source.citation)}</a></cite>'
        for source in record.source_links
    ]
    return Markup("; ".join(links)) if links else NONE
