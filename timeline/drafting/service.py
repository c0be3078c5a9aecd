"""The drafting service: an article's text to a draft file, against what the timeline holds.

The command and the admin page both call :func:`draft_file`; the rules themselves never touch
the database, so they are tested on their own sentences.
"""

import json

from django.contrib.contenttypes.models import ContentType

from timeline.aliases import SlugAlias
from timeline.models import Actor, Place

from .actors import KnownActor
from .draft import draft_article


def known_actors():
    """Every actor of the timeline, with its old slugs and its roles, for the matcher."""
    aliases = {}
    content_type = ContentType.objects.get_for_model(Actor)
    for object_id, old in SlugAlias.objects.filter(content_type=content_type).values_list(
        "object_id", "old_slug"
    ):
        aliases.setdefault(object_id, []).append(old)
    actors = []
    for actor in Actor.objects.prefetch_related("roles").order_by("slug"):
        roles = tuple((r.slug, r.title, r.start, r.end) for r in actor.roles.all())
        actors.append(
            KnownActor(
                actor.slug,
                actor.name,
                actor.kind,
                str(actor.country or ""),
                tuple(aliases.get(actor.pk, ())),
                roles,
            )
        )
    return actors


def known_places():
    return list(Place.objects.order_by("slug").values_list("slug", "name"))


def draft_file(text, published, publisher="", title="", url=""):
    """(Draft, the draft's JSON text) for an article, matched against the timeline's actors."""
    draft = draft_article(
        text,
        published,
        publisher=publisher,
        title=title,
        url=url,
        known_actors=known_actors(),
        known_places=known_places(),
    )
    return draft, dumps(draft.records)


def dumps(records):
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
