"""/calendar.ics: the filtered timeline (the same query string as ``/``) as an iCalendar file to
subscribe to, written with the ``icalendar`` library.

A record dated to the day is an all-day event on that day. A coarser one ("late July 2015", "week
of 17 August 2015", "2015") is an all-day event spanning its whole period, and says in its summary
and description that the date is approximate: a calendar cannot show "some day in late July".
Each event's UID is its kind and slug, so a calendar that subscribes updates an event in place when
the record changes. docs/data.md lists every property.
"""

import datetime

from django.http import HttpResponse
from django.views.decorators.http import require_safe
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from timeline import dates
from timeline.dates import DatePrecision

from . import caching, filters
from .rows import event_heading
from .selection import timeline_entries

# A calendar application reads every event of a subscription at once; past this many, the file
# holds the first ones and its description says how many the filters select.
MOST_EVENTS = 10_000


def summary_and_text(kind, record):
    if kind in ("status", "observation"):
        return record.heading, record.text
    if kind == "statement":
        summary = record.said(most_characters=80, with_role=True)
        return summary, f"{record.words} ({record.kind_label})"
    if kind == "event":
        return event_heading(record), record.summary
    return record.title, record.description


def calendar_event(entry, absolute, host):
    kind, record = entry
    summary, text = summary_and_text(kind, record)
    approximate = record.date_precision != DatePrecision.DAY
    wording = dates.display(record.date, record.date_precision)
    paragraphs = [text] if text else []
    if approximate:
        summary = f"{summary} (approximate date: {wording})"
        paragraphs.insert(0, f"Approximate date: the source says {wording}, not a day.")
    sources = [
        f"{link.publisher}, {dates.display(link.published_on, DatePrecision.DAY)}: {link.title}"
        for link in record.source_links
    ]
    if sources:
        paragraphs.append("Sources: " + "; ".join(sources))
    url = absolute(record.url)
    paragraphs.append(url)
    event = CalendarEvent()
    event.add("uid", f"{kind}-{record.slug}@{host}")
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", record.date)
    # iCalendar ends an all-day event on the day after its last.
    last = dates.period_end(record.date, record.date_precision)
    event.add("dtend", last + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", "\n\n".join(paragraphs))
    event.add("url", url)
    event.add("categories", [kind])
    event.add("transp", "TRANSPARENT")  # a record of the past, not a busy slot
    return event


def timeline_calendar(querysets, absolute, host):
    selection = timeline_entries(querysets, MOST_EVENTS)
    calendar = Calendar()
    calendar.add("prodid", "-//Calais Timeline//calendar.ics//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Calais Timeline")
    description = "The UK–France policy timeline around Calais, drawn from news articles."
    if selection.truncated:
        description += (
            f" The first {len(selection.entries):,} of {selection.total:,} entries these "
            "filters select."
        )
    calendar.add("x-wr-caldesc", description)
    for entry in selection.entries:
        calendar.add_component(calendar_event(entry, absolute, host))
    return calendar


@require_safe
def calendar_ics(request):
    form = filters.TimelineFilterForm(request.GET)
    calendar = timeline_calendar(
        form.timeline_querysets(), request.build_absolute_uri, request.get_host().split(":")[0]
    )
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


calendar_ics = caching.cache_public_page(calendar_ics)
