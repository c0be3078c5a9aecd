"""schema.org structured data (JSON-LD) of the detail pages, for search engines and fact-checkers.

Each function builds plain Python data from a record the page has already read (no query of its
own); ``script`` turns it into the contents of a ``<script type="application/ld+json">``, with
``<``, ``>`` and ``&`` escaped so that no text of a record can close the script element.

- an event is an ``Event``, its ``eventStatus`` saying when it is only planned, expected or
  cancelled;
- a verbatim statement is a ``Quotation``: its ``creator`` the speaker, with the role they held
  then (``jobTitle``, and the body of the role as ``worksFor``), ``isBasedOn`` the article;
- an indicator is a ``Dataset`` of its observations;
- every record names its sources as ``citation``.
"""

import json

from markupsafe import Markup

from timeline import dates

CONTEXT = "https://schema.org"
EVENT_STATUS = {
    "planned": "https://schema.org/EventScheduled",
    "expected": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
}
# What schema.org calls an actor of each kind.
ACTOR_TYPES = {"person": "Person"}


def script(data):
    """``data`` as JSON for a ``<script type="application/ld+json">`` element: markup-safe."""
    text = json.dumps(data, ensure_ascii=False, indent=None, default=str)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def when(dated):
    """The date as ISO 8601 at its precision: "2015-08-20", "2015-07", "2015"."""
    machine = dated.date_machine
    # A week is "2015-W34" in HTML; schema.org takes dates, so a week is its first day.
    return dated.date.isoformat() if "W" in machine else machine


def source_data(source, request=None):
    data = {
        "@type": "NewsArticle",
        "headline": source.title,
        "datePublished": source.published_on.isoformat(),
        "inLanguage": source.language,
        "mainEntityOfPage": absolute(request, source.get_absolute_url()),
    }
    if source.publisher:
        data["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.url:
        data["url"] = source.url
    if getattr(source, "archived_url", ""):
        data["archivedAt"] = source.archived_url
    return data


def actor_data(actor, role=None, request=None):
    data = {
        "@type": ACTOR_TYPES.get(actor.kind, "Organization"),
        "name": actor.name,
        "url": absolute(request, actor.get_absolute_url()),
    }
    if role is not None and data["@type"] == "Person":
        data["jobTitle"] = role.title
        if role.organisation_id:
            organisation = role.organisation
            data["worksFor"] = {
                "@type": "Organization",
                "name": organisation.name,
                "url": absolute(request, organisation.get_absolute_url()),
            }
    return data


def citations(sources, request=None):
    return [source_data(source, request) for source in sources]


def event_data(event, sources, request=None):
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": event.title,
        "startDate": when(event),
        "url": absolute(request, event.get_absolute_url()),
        "citation": citations(sources, request),
    }
    if event.summary:
        data["description"] = event.summary
    status = EVENT_STATUS.get(getattr(event, "status", ""))
    if status:
        data["eventStatus"] = status
    if event.place_id:
        data["location"] = {"@type": "Place", "name": event.place.name}
    return data


def statement_data(statement, sources, request=None):
    """A Quotation for a verbatim statement; reported speech is a CreativeWork about it."""
    verbatim = statement.kind == "quotation"
    data = {
        "@context": CONTEXT,
        "@type": "Quotation" if verbatim else "CreativeWork",
        "text": statement.text,
        "dateCreated": when(statement),
        "url": absolute(request, statement.get_absolute_url()),
        "citation": citations(sources, request),
    }
    creators = []
    if statement.speaker_id:
        speaker = actor_data(statement.speaker, statement.speaker_role, request)
        if statement.attributed_as:
            speaker["description"] = f"as printed: {statement.attributed_as}"
        creators.append(speaker)
    creators += [actor_data(actor, None, request) for actor in statement.joint_speaker_list]
    if not creators and statement.attributed_as:
        creators.append({"@type": "Person", "name": statement.attributed_as})
    if creators:
        data["creator"] = creators[0] if len(creators) == 1 else creators
    if sources:
        data["isBasedOn"] = source_data(sources[0], request)
    return data


def measure_data(measure, sources, request=None):
    return {
        "@context": CONTEXT,
        "@type": "CreativeWork",
        "name": measure.title,
        "description": measure.description or measure.title,
        "dateCreated": when(measure),
        "url": absolute(request, measure.get_absolute_url()),
        "citation": citations(sources, request),
    }


def indicator_data(indicator, observations, sources, request=None):
    data = {
        "@context": CONTEXT,
        "@type": "Dataset",
        "name": indicator.name,
        "description": indicator.description or indicator.name,
        "url": absolute(request, indicator.get_absolute_url()),
        "variableMeasured": {
            "@type": "PropertyValue",
            "name": indicator.name,
            **({"unitText": indicator.unit} if indicator.unit else {}),
            **({"unitCode": indicator.currency} if indicator.currency else {}),
        },
        "citation": citations(sources, request),
    }
    if observations:
        first = min(o.date for o in observations)
        last = max(dates.period_end(o.date, o.date_precision) for o in observations)
        data["temporalCoverage"] = f"{first.isoformat()}/{last.isoformat()}"
    return data
