"""From an article's text to a draft fixture in the article format, every record unreviewed.

The rules read the article paragraph by paragraph and sentence by sentence:

- quotations (``text.find_quotes``) become verbatim statements when they are more than a few
  words (shorter ones are terms the writer quotes: "Command and Control Centre"), with the
  speaker from the attribution beside them; a paragraph that is one quotation and names no
  one continues the previous speaker's words, and "he said" is the last person who spoke;
- reported speech ("X said [when] that ...", "..., X said [when]", "according to X") becomes a
  reported statement dated by the words after the verb ("said Thursday"), or by the
  publication date when there are none;
- figures become observations of an indicator named by the words around them, dated by their
  own date words, else by the statement that reports them, else the publication;
- events come from figures that rise or fall, from nouns of occasions with a date ("May's visit
  to Calais later Thursday"), from clauses with a date of their own ("since the crisis
  escalated earlier this year"), from announcements, and from what is "due to" happen; one dated
  after publication, or worded in the future, is planned;
- measures come from sentences that announce, agree, deploy or fund, and from the items a deal
  "includes".
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from . import actors as actor_rules
from . import text as text_rules
from . import when as date_rules
from .actors import Actor, Matcher, Role
from .events import EventRules
from .measures import MeasureRules
from .observations import ObservationRules
from .statements import StatementRules


@dataclass
class Draft:
    """The records of a draft fixture and what the rules found, for the report."""

    records: list
    source_slug: str
    actors: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def of(self, model):
        return [r["fields"] for r in self.records if r["model"] == f"timeline.{model}"]


class _Drafter(StatementRules, EventRules, ObservationRules, MeasureRules):
    def __init__(self, text, published, publisher, title, url, known_actors, known_places):
        self.published = published
        self.publisher = publisher
        self.url = url
        self.matcher = Matcher(known_actors, published)
        self.known_places = {name.lower(): slug for slug, name in known_places}
        self.headline, self.paragraphs = text_rules.paragraphs(text)
        self.title = (
            title or self.headline or (self.paragraphs[0].text[:120] if self.paragraphs else "")
        )
        self.source_slug = slugify(
            f"{publisher or 'source'} {published.isoformat()} {' '.join(self.title.split()[:5])}"
        )[:80].strip("-")
        self.actors = {}  # slug -> Actor
        self.roles = {}  # actor slug -> Role
        self.places = {}  # slug -> (name, country, is_new)
        self.passages = {}  # (paragraph, start) -> record fields
        self.events, self.statements, self.measures = [], [], []
        self.observations, self.indicators, self.statuses = [], {}, []
        self.slugs = set()
        self.last_person = None
        self.last_quote = None  # Said of the last quotation, for one that continues
        self.lead_day = None
        self.notes = []
        self.seen = 0
        self.last_quote_paragraph = None
        self.last_seen = {}

    # --- slugs and passages -------------------------------------------------------------

    def unique(self, base):
        base = slugify(base)[:100].strip("-") or "record"
        slug, n = base, 2
        while slug in self.slugs:
            slug, n = f"{base}-{n}", n + 1
        self.slugs.add(slug)
        return slug

    def passage(self, paragraph, span):
        """The passage citing sentence ``span`` of a paragraph: at most 300 characters."""
        start, end = span
        text = paragraph.text[start:end].strip()
        if len(text) > 300:
            cut = text[:300]
            text = cut[: cut.rfind(" ")].rstrip(" ,;") if " " in cut else cut
        key = (paragraph.number, start)
        if key not in self.passages:
            slug = self.unique(
                f"{self.source_slug[:60]}-p{paragraph.number}-{len(self.passages) + 1}"
            )
            self.passages[key] = {
                "slug": slug,
                "source": [self.source_slug],
                "paragraph": paragraph.number,
                "text": text,
            }
        return [self.passages[key]["slug"]]

    # --- actors ------------------------------------------------------------------------

    def actor(self, name, kind, country="", paragraph=None, mention=""):
        actor = self._actor(name, kind, country, paragraph, mention)
        self.seen += 1
        self.last_seen[actor.slug] = self.seen
        return actor

    def _actor(self, name, kind, country="", paragraph=None, mention=""):
        """The actor of that name: a known one if the matcher finds it, else a proposed one."""
        name = name.strip()
        for actor in self.actors.values():
            if actor.name.lower() == name.lower() or (
                kind == "person" and actor.kind == "person" and actor.surname == name
            ):
                if paragraph:
                    actor.paragraphs.add(paragraph.number)
                return actor
        known, score, via = self.matcher.best(name, kind)
        if known:
            actor = Actor(
                known.slug,
                known.name,
                known.kind or kind,
                known.country,
                match=known,
                score=score,
                via=via,
            )
        else:
            slug = actor_rules.actor_slug(name)
            actor = Actor(slug, name, kind, country, score=score)
        actor.mentions.append(mention or name)
        if paragraph:
            actor.paragraphs.add(paragraph.number)
        self.actors.setdefault(actor.slug, actor)
        return self.actors[actor.slug]

    def role(self, actor, title, paragraph):
        if actor.slug in self.roles or not title:
            return self.roles.get(actor.slug)
        title = actor_rules.title_case(title) if title[:1].islower() else title
        body = actor_rules.role_body(title)
        organisation = None
        if body:
            organisation = self.actor(
                body[0],
                "government-body"
                if "Government" in body[0] or "Office" in body[0] or "Ministry" in body[0]
                else "organisation",
                body[1],
                paragraph,
            ).slug
        existing = self.matcher.role_slug(actor.slug, title) if actor.match else ""
        role = Role(
            existing or f"{actor.slug}-{slugify(title)}"[:120],
            actor.slug,
            title,
            organisation,
            {paragraph.number},
            match=existing,
        )
        self.roles[actor.slug] = role
        return role

    def find_actors(self, paragraph):
        text = paragraph.text
        for start, _end, name, kind, country in actor_rules.gazetteer_mentions(text):
            self.actor(name, kind, country, paragraph, text[start:_end])
        for _start, _end, name in actor_rules.organisation_mentions(text):
            if not any(
                name.lower() in a.name.lower() or a.name.lower() in name.lower()
                for a in self.actors.values()
            ) and not self._inside_quote(paragraph, _start):
                self.actor(name, "organisation", "", paragraph)
        for start, _end, name, _kind in actor_rules.named_bodies(text):
            if not self._inside_quote(paragraph, start):
                self.actor(name, "organisation", "", paragraph)
        if re.search(
            r"\b(?:the two|both) governments\b|\bLondon and Paris\b|\bParis and London\b",
            text,
            re.IGNORECASE,
        ):
            self.actor("UK Government", "government-body", "GB", paragraph)
            self.actor("French Government", "government-body", "FR", paragraph)
        for start, _end, name, title in actor_rules.titled_people(text):
            if self._inside_quote(paragraph, start):
                continue
            before = text[max(0, start - 40) : start]
            person = self.actor(name, "person", "", paragraph)
            if title.lower().endswith("counterpart"):
                nationality = re.search(r"(French|British|Belgian|Dutch)\s+counterpart$", title)
                country = (
                    actor_rules.NATIONALITY.get(nationality.group(1), "") if nationality else ""
                )
                person.country = person.country or country
                other = self.last_person_with_role()
                if other:
                    mapped = actor_rules.counterpart(self.roles[other.slug].title, country)
                    if mapped:
                        self.role(person, mapped[0], paragraph)
                continue
            nationality = re.search(
                r"\b(French|British|Belgian|Dutch)\b", title + " " + before[-12:]
            )
            if nationality and not person.country:
                person.country = actor_rules.NATIONALITY[nationality.group(1)]
            self.role(person, title, paragraph)
            body = self.roles.get(person.slug)
            if body and body.organisation and not person.country:
                person.country = self.actors[body.organisation].country
            self.last_person = person

    def last_person_with_role(self):
        people = [a for a in self.actors.values() if a.kind == "person" and a.slug in self.roles]
        return people[-1] if people else None

    def _inside_quote(self, paragraph, position):
        return any(q.start < position < q.end and q.spoken for q in paragraph.quotes)

    def run(self):
        self.last_quote_open = False
        for paragraph in self.paragraphs:
            self.mark_spoken(paragraph)
            self.find_actors(paragraph)
            if self.lead_day is None:
                for found in date_rules.find_dates(paragraph.text, self.published):
                    if found.precision == "day":
                        self.lead_day = found
                        break
            for span in paragraph.sentences():
                self.read_sentence(paragraph, span)
            if not any(not q.closed for q in paragraph.quotes):
                self.last_quote_open = False
        return self.records()

    def read_sentence(self, paragraph, span):
        sentence = paragraph.text[span[0] : span[1]]
        said = None
        long_quotes = [q for q in paragraph.quotes if q.spoken and span[0] <= q.start < span[1]]
        for quote in long_quotes:
            self.quotation(paragraph, quote, span)
            said = self.last_quote
        if long_quotes:
            # a sentence that says more than its quotation holds a reported statement too
            found = self.reported(paragraph, span, with_quotes=True)
            if found:
                quoted = sum(len(q.text.split()) for q in long_quotes)
                content = re.sub(r"^\w+(?:\s+\w+){0,3}?\s+that\s+", "", found[1])
                if len(content.split()) - quoted >= 8 and found[0].speaker == said.speaker:
                    self.statements.append(
                        self.statement(found[1], "reported", found[0], paragraph, span)
                    )
        else:
            found = self.reported(paragraph, span)
            if found:
                said, words = found
                statement = self.statement(words, "reported", said, paragraph, span)
                self.statements.append(statement)
        outside = self._outside_quotes(paragraph, span)
        sentence_dates = date_rules.find_dates(
            outside, self.published, date_rules.tense_of(outside)
        )
        self.read_figures(paragraph, span, sentence, said, sentence_dates)
        self.read_events(paragraph, span, outside, said, sentence_dates)
        self.read_measures(paragraph, span, sentence, said)

    def _outside_quotes(self, paragraph, span):
        """The sentence with long quotations blanked (same length, so offsets hold)."""
        text = list(paragraph.text[span[0] : span[1]])
        for quote in paragraph.quotes:
            if quote.spoken:
                for i in range(max(quote.start, span[0]), min(quote.end, span[1])):
                    text[i - span[0]] = " "
        return "".join(text)

    # --- the records ---------------------------------------------------------------------

    def records(self):
        self.link()
        records = [
            {
                "model": "timeline.source",
                "fields": {
                    "slug": self.source_slug,
                    "title": self.title[:300],
                    "publisher": self.publisher[:200],
                    "published_on": self.published.isoformat(),
                    "url": self.url,
                    "language": "en",
                },
            }
        ]
        records += [_record("passage", fields) for fields in self.passages.values()]
        for actor in self.actors.values():
            self.notes.append(
                f"actor “{actor.name}”: "
                + (
                    f"matched `{actor.slug}` by {actor.via}, score {actor.score}"
                    if actor.match
                    else f"new `{actor.slug}` (closest known actor: {actor.score})"
                    if actor.score
                    else f"new `{actor.slug}` (no actor of the timeline comes close)"
                )
            )
            if actor.match:
                continue
            records.append(
                _record(
                    "actor",
                    {
                        "slug": actor.slug,
                        "name": actor.name,
                        "kind": actor.kind,
                        "country": actor.country,
                        "description": "",
                    },
                )
            )
        for role in self.roles.values():
            if role.match:
                continue
            records.append(
                _record(
                    "role",
                    {
                        "slug": role.slug,
                        "actor": [role.actor],
                        "title": role.title[:200],
                        "organisation": [role.organisation] if role.organisation else None,
                        "start": None,
                        "end": None,
                    },
                )
            )
        for slug, (name, country, new) in self.places.items():
            if new:
                records.append(
                    _record(
                        "place", {"slug": slug, "name": name, "country": country, "description": ""}
                    )
                )
        for event in self.events:
            records.append(_record("event", _public(event)))
        participations = set()
        for event in self.events:
            for actor in event["_actors"]:
                if actor and (event["slug"], actor) not in participations:
                    participations.add((event["slug"], actor))
                    role = self.roles.get(actor)
                    records.append(
                        _record(
                            "participation",
                            {
                                "event": [event["slug"]],
                                "actor": [actor],
                                "capacity": "participant",
                                "role": [role.slug] if role else None,
                            },
                        )
                    )
        records += [_record("indicator", fields) for fields in self.indicators.values()]
        records += [_record("measure", _public(m)) for m in self.measures]
        records += [_record("measurestatus", s) for s in self.statuses]
        records += [_record("observation", _public(o)) for o in self.observations]
        records += [_record("statement", _public(s)) for s in self.statements]
        return Draft(records, self.source_slug, list(self.actors.values()), self.notes)

    def link(self):
        """Statements and observations to the events and measures of their paragraph."""
        for statement in self.statements:
            number = statement["_paragraph"]
            statement["events"] = [
                [e["slug"]] for e in self.events if e["passages"] == statement["passages"]
            ]
            statement["measures"] = [
                [m["slug"]] for m in self.measures if m["_paragraph"] == number
            ]
        for observation in self.observations:
            if observation["measure"] is None and observation["_figure"].currency:
                for measure in self.measures:
                    if measure["_paragraph"] == observation["_paragraph"]:
                        observation["measure"] = [measure["slug"]]
                        break


def _public(fields):
    return {key: value for key, value in fields.items() if not key.startswith("_")}


def _record(model, fields):
    return {"model": f"timeline.{model}", "fields": fields}


def draft_article(
    text, published, publisher="", title="", url="", known_actors=(), known_places=()
):
    """Draft the fixture of an article: a :class:`Draft` whose ``records`` are the file.

    ``known_actors`` (``actors.KnownActor``) and ``known_places`` ((slug, name) pairs) are what
    the timeline holds already: matched records are referred to by slug, not written again.
    """
    return _Drafter(text, published, publisher, title, url, known_actors, known_places).run()
