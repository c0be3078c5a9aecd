"""/feed/: an Atom feed of the newest records and the latest changes to records, read from their
history (django-simple-history keeps a row for every save), with the timeline's filters in its
query string (``/feed/?actor=theresa-may``) for a feed of one actor, kind, category or source.

An entry is a record (an event, measure or statement, or a status change or an observation, as
the timeline shows them beside the records), not a save: saving a record and then its
sources are two history rows, and an import makes several. Its ``published`` date is its first
save, its ``updated`` date its latest, so a feed reader shows a changed record again in place.
It is "Added" while its latest save is within ADDED_WITHIN of its first, "Changed" after. A record
deleted since has no page, and no entry. The entries are the MOST_ENTRIES records saved last, as
they are now, in two queries a kind. docs/data.md lists every element.
"""

import datetime
import heapq
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import Max, Min
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_safe

from timeline import dates
from timeline.models import DATED_MODELS

from . import caching, filters
from .rows import event_heading
from .selection import ENTRY_MODELS, entry_records

MOST_ENTRIES = 50
ADDED_WITHIN = datetime.timedelta(minutes=10)

# How an entry's title names its kind: "Added status change: …".
KIND_NAMES = {"status": "status change", "observation": "figure"}


def record_heading(kind, record):
    if kind in ("status", "observation"):
        return record.heading
    if kind == "statement":
        return record.said(most_characters=80)
    return event_heading(record) if kind == "event" else record.title


def record_text(kind, record):
    if kind in ("status", "observation"):
        return record.text
    if kind == "statement":
        return record.words
    return record.summary if kind == "event" else record.description


@dataclass
class FeedEntry:
    kind: str
    record: object  # a row of timeline.public.rows, with its url
    added: datetime.datetime
    updated: datetime.datetime
    guid: str = ""

    @property
    def action(self):
        return "Changed" if self.updated - self.added > ADDED_WITHIN else "Added"


def recently_saved(querysets, most=MOST_ENTRIES):
    """The ``most`` records the querysets select that were saved last, newest first."""
    latest = []
    for kind, queryset in querysets.items():
        model = ENTRY_MODELS[kind]
        selected = queryset.order_by().values("pk")
        if queryset.query.extra_tables:
            # A text search on SQLite joins its FTS5 table through extra(), which Django cannot
            # nest in a subquery: read the keys first.
            selected = list(queryset.values_list("pk", flat=True))
        saves = (
            model.history.filter(id__in=selected)
            .values("id")
            .annotate(added=Min("history_date"), updated=Max("history_date"))
            .order_by("-updated", "-id")[:most]
        )
        latest.append([(row["updated"], row["id"], kind, row["added"]) for row in saves])
    merged = list(heapq.merge(*latest, key=lambda item: (item[0], item[1]), reverse=True))[:most]
    records = entry_records([(kind, pk) for _, pk, kind, _ in merged])
    return [
        FeedEntry(kind, records[kind][pk], added, updated)
        for updated, pk, kind, added in merged
        if pk in records.get(kind, {})
    ]


@dataclass
class FeedQuery:
    """What a feed is of: the timeline's filters, and where it is asked from."""

    form: filters.TimelineFilterForm
    request: object

    @property
    def query(self):
        query = self.request.GET.urlencode()
        return f"?{query}" if query else ""

    def narrowed_by(self):
        """The valid filters in words: " (actor: Theresa May; kind: measure)"."""
        form = self.form
        form.is_valid()
        parts = []
        for name, value in form.cleaned_data.items():
            if value in (None, ""):
                continue
            if name == "actor":  # cleaned to a primary key; the option's label is the name
                value = next(name for _, name, pk in form.fields["actor"].options() if pk == value)
            parts.append(f"{form.fields[name].label.lower()}: {value}")
        return f" ({'; '.join(parts)})" if parts else ""


class TimelineFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Calais Timeline"

    def get_object(self, request):
        return FeedQuery(filters.TimelineFilterForm(request.GET), request)

    def title(self, feed):
        return "Calais Timeline: new and changed records" + feed.narrowed_by()

    def subtitle(self, feed):
        return (
            "The newest events, measures, statements, status changes and figures of the "
            "UK–France policy timeline around Calais, and the latest changes to them."
        )

    def link(self, feed):
        return reverse("timeline:timeline") + feed.query

    def feed_url(self, feed):
        return reverse("timeline:feed") + feed.query

    def feed_guid(self, feed):
        return feed.request.build_absolute_uri(self.feed_url(feed))

    def items(self, feed):
        entries = recently_saved(feed.form.timeline_querysets())
        for entry in entries:
            guid = feed.request.build_absolute_uri(entry.record.url)
            if entry.kind not in DATED_MODELS:
                # Its page is its measure's or indicator's, whose entry has that id already.
                guid += f"#{entry.kind}-{entry.record.slug}"
            entry.guid = guid
        return entries

    def item_title(self, entry):
        heading = record_heading(entry.kind, entry.record)
        return f"{entry.action} {KIND_NAMES.get(entry.kind, entry.kind)}: {heading}"

    def item_description(self, entry):
        record = entry.record
        when = dates.display(record.date, record.date_precision)
        text = record_text(entry.kind, record)
        return f"{when}. {text}" if text else f"{when}."

    def item_link(self, entry):
        return entry.record.url

    def item_guid(self, entry):
        return entry.guid

    item_guid_is_permalink = True

    def item_pubdate(self, entry):
        return entry.added

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return [entry.kind]


timeline_feed = caching.cache_public_page(require_safe(TimelineFeed()))
