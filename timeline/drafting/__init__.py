"""Drafting an article's fixture from its text, for an editor to correct before it is imported.

Plain rules, deterministic and offline: ``text`` cuts the article into paragraphs, sentences
and quotations; ``when`` resolves dates against the publication date at their precision;
``actors`` finds and matches people, bodies and places; ``figures`` reads values, ranges and
approximations; ``draft`` reads the article with the rules of ``statements``, ``events``,
``observations`` and ``measures`` and writes records of the article format, every one unreviewed
and citing its passage; ``service`` runs it against the timeline's actors for the command and the
admin; ``compare`` measures a draft against a hand-made fixture.
"""

from .actors import KnownActor
from .draft import Draft, draft_article

__all__ = ["Draft", "KnownActor", "draft_article"]
