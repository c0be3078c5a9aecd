"""/timeline.json: the filtered timeline in TimelineJS3's JSON format, and the story pages that
run the vendored TimelineJS3 on it (static/vendor/timelinejs3/, its README says how to update).

Each entry is a slide (docs/data.md lists every field): its date with only the parts its
precision allows, the precision in words as the date shown, its kind as the group, its slug as
the unique id, its text with a link back to its page, and its first source as the media, with
the sources as the credit. Slides carry absolute URLs, since an embedding page is on another
host.

TimelineJS3 draws a few hundred slides well and ten thousand not at all: a timeline of more than
MOST_SLIDES entries gives its first MOST_SLIDES, and its title says how many the filters select.
"""

import re

from csp.decorators import csp_replace
from django.http import JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from timeline import dates
from timeline.dates import DatePrecision

from . import caching, filters
from .rows import event_heading
from .selection import timeline_entries

MOST_SLIDES = 1000

GROUPS = {
    "event": "Events",
    "measure": "Measures",
    "statement": "Statements",
    "status": "Status changes",
    "observation": "Figures",
}

# TimelineJS3 picks a media type by matching its url against each type in turn; a blockquote is
# matched by the word "blockquote", but these patterns come first and match anywhere in it, and
# would load a player from another host. A source title that would match goes in the text instead.
OTHER_MEDIA = re.compile(
    r"spotify|iframe|imgur\.com/|documentcloud\.org/|\.pdf|google.+?/maps/", re.I
)


def date_parts(day, precision):
    """TimelineJS3's date object: only the parts the precision allows, and the date in words.

    A week keeps its Monday's day, since a week does not lie within one month, and a deadline
    ("by 19 August 2015") keeps its day; early, mid and late in a month keep the month only, as
    "late July 2015" names no day.
    """
    parts = {"year": day.year}
    if precision != DatePrecision.YEAR:
        parts["month"] = day.month
    if precision in (DatePrecision.DAY, DatePrecision.WEEK, DatePrecision.BY):
        parts["day"] = day.day
    parts["display_date"] = dates.display(day, precision)
    return parts


def _long_date(day):
    return dates.display(day, DatePrecision.DAY)


def citation(link, articles):
    """A source as TimelineJS3 shows a credit: publisher and date, linked to the article."""
    article = articles.get(link.slug)
    text = f"{link.publisher}, {_long_date(link.published_on)}"
    if article and article.url:
        return format_html('<a href="{}">{}</a>', article.url, text)
    return escape(text)


def headline_and_text(kind, record):
    if kind in ("status", "observation"):
        return record.heading, format_html("<p>{}</p>", record.text)
    if kind == "statement":
        headline = record.who_with_role
        words = format_html("<p>{} ({})</p>", record.words, record.kind_label)
        return headline, words
    body = record.summary if kind == "event" else record.description
    details = []
    if kind == "event" and record.place:
        details.append(f"Place: {record.place.name}")
    if kind == "measure":
        details.append(f"Category: {record.category}; status: {record.status}")
    if record.actor_links:
        details.append("Actors: " + ", ".join(link.name for link in record.actor_links))
    paragraphs = [body, *details] if body else details
    text = format_html_join("", "<p>{}</p>", ((paragraph,) for paragraph in paragraphs))
    return (event_heading(record) if kind == "event" else record.title), text


def slide(entry, articles, absolute):
    """One TimelineJS3 slide of a timeline entry; ``absolute`` makes a path a full URL."""
    kind, record = entry
    headline, text = headline_and_text(kind, record)
    link = format_html('<p><a href="{}">The full record</a></p>', absolute(record.url))
    credits = format_html_join("; ", "{}", ((citation(s, articles),) for s in record.source_links))
    slide = {
        "start_date": date_parts(record.date, record.date_precision),
        "display_date": dates.display(record.date, record.date_precision),
        "text": {"headline": escape(headline), "text": text + link},
        "group": GROUPS[kind],
        "unique_id": record.slug,
        "url": absolute(record.url),
    }
    first = record.source_links[0] if record.source_links else None
    if first and not OTHER_MEDIA.search(first.title):
        slide["media"] = {
            "url": format_html("<blockquote>{}</blockquote>", first.title),
            "credit": credits,
        }
    elif credits:
        slide["text"]["text"] += format_html("<p>Sources: {}</p>", credits)
    return slide


def timeline_document(querysets, absolute):
    """The whole TimelineJS3 document of the filtered timeline (its first MOST_SLIDES entries)."""
    selection = timeline_entries(querysets, MOST_SLIDES)
    slides, seen = [], set()
    for entry in selection.entries:
        one = slide(entry, selection.articles, absolute)
        # Slugs are unique within a kind only; TimelineJS3 needs ids unique in the document.
        if one["unique_id"] in seen:
            one["unique_id"] = f"{entry.kind}-{one['unique_id']}"
        seen.add(one["unique_id"])
        slides.append(one)
    shown = f"{len(slides):,} entries"
    if selection.truncated:
        shown = f"the first {len(slides):,} of {selection.total:,} entries; narrow the filters"
    return {
        "title": {
            "text": {
                "headline": "Calais Timeline",
                "text": format_html(
                    "<p>The UK–France policy timeline around Calais and the Channel crossings, "
                    'drawn from news articles ({}). <a href="{}">The timeline</a>.</p>',
                    shown,
                    absolute(reverse("timeline:timeline")),
                ),
            }
        },
        "events": slides,
    }


@require_safe
def timeline_json(request):
    form = filters.TimelineFilterForm(request.GET)
    document = timeline_document(form.timeline_querysets(), request.build_absolute_uri)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


timeline_json = caching.cache_public_page(timeline_json)


class StoryView(TemplateView):
    """The timeline as a TimelineJS3 story, with the snippet that embeds it elsewhere."""

    template_name = "timeline/story.html"
    http_method_names = ["get", "head"]
    embed = False

    @classmethod
    def as_view(cls, **initkwargs):
        return caching.cache_public_page(super().as_view(**initkwargs))

    def get_context_data(self, **kwargs):
        query = self.request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        embed_url = self.request.build_absolute_uri(reverse("timeline:story-embed") + suffix)
        vendor = "vendor/timelinejs3/"
        return super().get_context_data(
            # TimelineJS3 reads these from the container's data- attributes (story.js): no
            # inline script, as the Content-Security-Policy allows none.
            data_url=reverse("timeline:timeline-json") + suffix,
            script_path=static(vendor + "js/timeline.js").rsplit("/", 1)[0] + "/",
            font_url=static("timeline/story-font.css"),
            timeline_css=static(vendor + "css/timeline.css"),
            timeline_js=static(vendor + "js/timeline.js"),
            story_css=static("timeline/story.css"),
            story_js=static("timeline/story.js"),
            embed=self.embed,
            timeline_url=reverse("timeline:timeline") + suffix,
            embed_url=embed_url,
            embed_snippet=(
                f'<iframe src="{embed_url}" width="100%" height="650" '
                'title="Calais Timeline" loading="lazy" style="border:0"></iframe>'
            ),
            **kwargs,
        )


# Other sites may frame the embed: no X-Frame-Options, and frame-ancestors * in its own policy.
# Every other page keeps 'none'. Outside the page cache, so a cached answer gets them too.
story_embed = xframe_options_exempt(
    csp_replace({"frame-ancestors": ["*"]})(
        StoryView.as_view(template_name="timeline/story_embed.html", embed=True)
    )
)
