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
from . import figures as figure_rules
from . import text as text_rules
from . import when as date_rules
from .actors import Actor, Matcher, Role

SPEECH_VERBS = (
    r"said|says|say|told(?: \w+)?|warned|added|stated|announced|insisted|argued|claimed|confirmed|"
    r"explained|noted|stressed|urged|declared|admitted|acknowledged|promised|pledged|vowed|"
    r"denied|wrote|welcomed|ruled|found|reported|revealed|predicted|cautioned|complained|"
    r"estimated|countered|replied|responded"
)
_SPEECH = re.compile(rf"\b(?:{SPEECH_VERBS})\b")
# Fewer words than this between quotation marks are a term the writer quotes, unless a speaker's
# words (see _Drafter.mark_spoken).
TERM_WORDS = 5
_PRONOUNS = {"he", "she", "they", "it", "we"}
_DUE = re.compile(
    r"\b(?P<what>(?:a|an|the)\s+[\w\s-]{2,60}?)\s+(?:due|set|expected|scheduled)\s+to\s+be\s+"
    r"(?P<verb>signed|held|agreed|announced|opened|published|debated|heard|unveiled)"
    r"(?P<rest>[^.;]*)"
)
# "Ashdown is due to meet his French counterpart ... on Monday"
_DUE_TO = re.compile(
    r"(?P<who>(?:[A-Z][\w'’-]*|[Tt]he)(?:\s+[\w'’-]+){0,5}?)\s+(?:is|are)\s+(?:due|set|expected|"
    r"scheduled|planning|to)\s+(?:to\s+)?(?P<verb>meet|visit|sign|hold|travel|announce|open|"
    r"publish|present|unveil|discuss)\b(?P<rest>[^.;]*)"
)
_OCCASION = re.compile(
    r"(?P<who>(?:[A-Z][\w'’-]+\s+){0,4}[A-Z][\w-]+['’]s\s+)?"
    r"(?P<noun>visit|trip|meeting|talks|summit|hearing|ruling|trial|vote|signing|appeal|"
    r"conference|inquiry|debate)\s+(?P<prep>to|in|at|with|on)\s+"
    r"(?P<obj>(?:the\s+)?[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)"
)
_OCCASION_VERBS = {
    "visit": "visits",
    "trip": "travels to",
    "meeting": "meets",
    "talks": "holds talks",
    "summit": "summit",
    "hearing": "hearing",
    "ruling": "ruling",
    "trial": "trial",
    "vote": "vote",
    "signing": "signing",
    "appeal": "appeal",
    "conference": "conference",
    "inquiry": "inquiry",
    "debate": "debate",
}
_CHANGE = re.compile(
    r"\b(?:fallen|fell|falling|risen|rose|rising|dropped|drop|increased|decreased|doubled|"
    r"halved|peaked|peak|high of|low of|reached|record|are camped|were camped|camped|living|"
    r"arrived|crossed|died|arrested|rescued|intercepted|detained|stopped|caught|returned|fled|"
    r"tried|attempted|sleeping|staying|stranded)\b"
)
# A verb in the present: what a figure counts holds on the day of publication.
_NOW = r"\b(?:are|is)\b(?!\s+(?:due|expected|set|to|planning)\b)"
_MEASURE_TRIGGERS = [
    (re.compile(r"\b(?:will|would|to)\s+be\s+(?:deployed|sent|posted|stationed)\b"), "deploy"),
    (re.compile(r"\b(?:deploy|deploying|deployed|send|sending)\b"), "deploy"),
    (
        re.compile(
            r"\b(?:announced|unveiled|launched|introduced|set up|sets up|create|"
            r"created|establish|established)\b"
        ),
        "announce",
    ),
    (
        re.compile(
            r"\b(?:fund|funds|funding|finance|finances|financed|pay for|paid for|"
            r"committed|pledged|invest|investing|invested)\b"
        ),
        "fund",
    ),
    (re.compile(r"\b(?:agreed|signed|approved|adopted|struck)\b"), "agree"),
    (
        re.compile(
            r"\b(?:need|needs|call(?:ed|s)? for|urged?|should|must|propos\w+)\b"
            r"[^.]*\b(?:agreements?|law|laws|measures?|plan|scheme|centre|funding|deal)\b"
        ),
        "propose",
    ),
]
_INCLUDES = re.compile(
    r"\b(?:deal|agreement|plan|package|measures|treaty|accord|declaration|scheme)\s+"
    r"(?:also\s+)?(?:includes?|included|will include|provides? for|comprises?)\s+(?P<items>[^.]+)"
)
_CATEGORIES = [
    ("funding", r"£|€|\$|\bfund|\bmillion\b|\bpay\b|\bpaid\b|\bbudget\b|\bcost"),
    (
        "legal",
        r"\bcourt\b|\blaw\b|\blegal\b|\bruling\b|\bjudge\b|\bbill\b|\blegislation\b|"
        r"\bappeal\b|\btreaty\b",
    ),
    ("intelligence", r"\bintelligence\b|\bcommand\b|\bcontrol centre\b|\binformation\b"),
    (
        "infrastructure-security",
        r"\bfenc\w*|\bcamera|\blighting\b|\binfrared\b|\bwall\b|"
        r"\bsecur\w+|\bdetection\b|\bbarrier",
    ),
    (
        "humanitarian",
        r"\bshelter|\baccommodation\b|\baid\b|\bhumanitarian\b|\bcamp\b|"
        r"\bfood\b|\bmedical\b|\bchildren\b|\bminors\b|\bwelfare\b",
    ),
    (
        "policing",
        r"\bpolic\w+|\bofficers\b|\bsearch\w*|\bpatrol|\barrest|\bgendarm\w+|"
        r"\bborder force\b|\bchecks\b",
    ),
    ("diplomatic", r"\bagreements?\b|\bcountries\b|\bdiplomat\w*|\bsummit\b|\bcooperation\b"),
]
_STATUS = {
    "deploy": "announced",
    "announce": "announced",
    "fund": "announced",
    "agree": "agreed",
    "propose": "proposed",
}


@dataclass
class Draft:
    """The records of a draft fixture and what the rules found, for the report."""

    records: list
    source_slug: str
    actors: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def of(self, model):
        return [r["fields"] for r in self.records if r["model"] == f"timeline.{model}"]


@dataclass
class _Said:
    speaker: str | None
    attributed_as: str
    joint: list
    when: date_rules.When


class _Drafter:
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
        self.last_quote = None  # _Said of the last quotation, for one that continues
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

    def resolve(self, phrase, paragraph):
        """(speaker slug or None, attributed_as, joint speakers) for an attribution's words.

        In order: a pronoun is the last person who spoke; the gazetteer's bodies; a titled name
        ("Security Minister Tom Wakefield"); a name or surname the article gave already; a new
        name; "the ministry" is the body of that kind named last; an anonymous source ("a
        British official") is linked to the body or government it names, with the words kept.
        """
        phrase = re.sub(
            r",\s*(?:who|which|the|a|an|speaking|quoted|cited|asked|writing)\b[^,]*,?", "", phrase
        ).strip(" ,")
        phrase = re.sub(r"^(?:and|but|while|as)\s+", "", phrase)
        lowered = phrase.lower()
        anonymous = actor_rules.is_anonymous(phrase)
        if lowered in _PRONOUNS:
            if lowered in ("he", "she") and self.last_person:
                return self.last_person.slug, "", []
            if self.last_quote:
                return self.last_quote.speaker, self.last_quote.attributed_as, []
            return None, phrase, []
        names, taken = [], []
        if re.search(
            r"\b(?:the two|both) governments\b|\bLondon and Paris\b|\bParis and London\b", phrase
        ):
            for name, country in (("UK Government", "GB"), ("French Government", "FR")):
                names.append((0, self.actor(name, "government-body", country, paragraph)))
            taken.append((0, len(phrase)))
        for start, end, name, kind, country in actor_rules.gazetteer_mentions(phrase):
            if kind == "group":
                continue
            names.append((start, self.actor(name, kind, country, paragraph, phrase[start:end])))
            taken.append((start, end))
        for start, end, name, _kind in actor_rules.named_bodies(phrase):
            if not any(a <= start < b for a, b in taken):
                names.append((start, self.actor(name, "organisation", "", paragraph)))
                taken.append((start, end))
        for start, end, name, title in actor_rules.titled_people(phrase):
            if not any(a <= start < b for a, b in taken):
                person = self.actor(name, "person", "", paragraph)
                self.role(person, title, paragraph)
                names.append((start, person))
                taken.append((0, end))
        for match in re.finditer(rf"{actor_rules._PERSON}|\b{actor_rules._NAME}\b", phrase):
            if any(match.start() < b and a < match.end() for a, b in taken):
                continue
            word = actor_rules.person_name(match.group(0))
            if word in actor_rules._NOT_NAMES or word in actor_rules.PLACES:
                continue
            known = [
                a
                for a in self.actors.values()
                if a.name == word or (a.kind == "person" and a.surname == word)
            ]
            if known:
                names.append((match.start(), known[0]))
            elif len(word.split()) >= 2 and not anonymous:
                names.append((match.start(), self.actor(word, "person", "", paragraph)))
            elif len(word.split()) == 1 and phrase.strip() == match.group(0):
                names.append((match.start(), self.actor(word, "organisation", "", paragraph)))
        if not names:
            named = self.named_before(lowered)
            if named:
                return named.slug, phrase if anonymous else "", []
            nationality = re.search(r"\b(British|French|UK)\b", phrase)
            if anonymous and nationality:
                government = (
                    "French Government" if nationality.group(1) == "French" else ("UK Government")
                )
                country = "FR" if nationality.group(1) == "French" else "GB"
                actor = self.actor(government, "government-body", country, paragraph)
                return actor.slug, phrase, []
            title = re.sub(r"^(?:the|a|an)\s+", "", lowered)
            known, _score, _via = self.matcher.by_role(title) if title else (None, 0, "")
            if known:
                return self.actor(known.name, known.kind, known.country, paragraph).slug, phrase, []
            return None, phrase, []
        names.sort(key=lambda item: item[0])
        unique = list(dict.fromkeys(actor.slug for _s, actor in names))
        speaker = unique[0]
        attributed = phrase if anonymous else ""
        joint = unique[1:] if re.search(r"\band\b|\btwo governments\b", phrase) else []
        if self.actors[speaker].kind == "person":
            self.last_person = self.actors[speaker]
        return speaker, attributed, joint

    def named_before(self, phrase):
        """ "the ministry", "the court", "the company": the last body of that kind named."""
        match = re.match(
            r"^the\s+(ministry|department|government|court|council|company|"
            r"charity|agency|prefecture|committee|operator|town)$",
            phrase.strip(),
        )
        if not match:
            return None
        noun = match.group(1)
        heads = {
            "ministry": ("Ministry", "Office", "Department"),
            "department": ("Ministry", "Office", "Department"),
            "government": ("Government",),
            "court": ("court", "Court", "tribunal"),
            "council": ("council", "Council"),
            "town": ("town", "council"),
            "prefecture": ("prefecture", "Prefecture"),
            "committee": ("Committee",),
        }.get(noun, ())
        by_last_mention = sorted(self.actors.values(), key=lambda a: -self.last_seen.get(a.slug, 0))
        for actor in by_last_mention:
            if actor.kind == "person" or actor.kind == "group":
                continue
            if (
                any(head in actor.name for head in heads)
                or (noun in ("company", "operator") and actor.kind == "company")
                or (noun in ("charity", "agency") and actor.kind == "organisation")
            ):
                return actor
        return None

    # --- sentences -------------------------------------------------------------------

    def when_after_verb(self, tail):
        """The date words right after a speech verb: "said Thursday", "told AFP on Monday"."""
        tail = re.sub(
            r"^\s*(?:in a statement|in an interview|on television|reporters|"
            r"journalists|AFP|Reuters|the BBC|parliament|MPs)\b",
            "",
            tail,
        )
        found = date_rules.find_dates(tail[:50], self.published, date_rules.PAST)
        # "said Thursday", "told local radio on Tuesday": a few words at most, no new clause
        if (
            found
            and found[0].start <= 24
            and not re.search(r"[,;]|\bthat\b", tail[: found[0].start])
        ):
            return found[0]
        return date_rules.by_publication(self.published)

    def dated(self, speaker, when):
        """A statement the text does not date, by a speaker it dated before: a wire names the
        day once ("the Home Office said Thursday") and then "the Home Office said"."""
        if when.precision != "by" or not speaker:
            return when
        for statement in self.statements:
            if statement["speaker"] == [speaker] and statement["date_precision"] != "by":
                return date_rules.When(
                    date_rules.datetime.date.fromisoformat(statement["date"]),
                    statement["date_precision"],
                    "",
                )
        return when

    def quotation(self, paragraph, quote, sentence_span):
        text = paragraph.text
        start, end = sentence_span
        after = text[quote.end : end]
        before = text[start : quote.start]
        said = None
        patterns_after = [
            rf"^\s*[,.!?]?\s*(?P<who>[^,.;\"“”]{{1,80}}?)\s+(?P<verb>{SPEECH_VERBS})\b(?P<tail>.*)$",
            rf"^\s*[,.!?]?\s*(?P<verb>{SPEECH_VERBS})\s+(?P<who>[^,.;]{{1,80}})(?P<tail>.*)$",
            r"^\s*[,.]?\s*according to\s+(?P<who>[^,.;]{1,80})(?P<tail>.*)$",
        ]
        for pattern in patterns_after:
            match = re.match(pattern, after, re.DOTALL)
            if match and not re.search(r"\b(?:that|which)\b", match.group("who")):
                who = match.group("who")
                speaker, attributed, joint = self.resolve(who, paragraph)
                said = _Said(
                    speaker,
                    attributed,
                    joint,
                    self.dated(speaker, self.when_after_verb(match.group("tail"))),
                )
                break
        if said is None:
            match = re.search(
                rf"(?P<who>(?:[^,.;\"“”]|,\s+(?:who|the|a|an|speaking|quoted)\b[^,\"“]*,)"
                rf"{{1,160}}?)\s+(?P<verb>{SPEECH_VERBS})(?P<tail>[^\"“]*?)"
                r"(?:\bthat\b)?\s*[:,]?\s*$",
                before,
            )
            if match:
                speaker, attributed, joint = self.resolve(match.group("who"), paragraph)
                said = _Said(
                    speaker,
                    attributed,
                    joint,
                    self.dated(speaker, self.when_after_verb(match.group("tail"))),
                )
        if (
            said is None
            and self.last_quote
            and not before.strip(' "“')
            and (
                paragraph.text.lstrip().startswith(('"', "“"))
                or self.last_quote_open
                or self.last_quote_paragraph == paragraph.number
            )
        ):
            said = self.last_quote  # a quotation that continues the previous speaker's
        if said is None or (said.speaker is None and not said.attributed_as):
            self.notes.append(f"paragraph {paragraph.number}: a quotation with no speaker found")
            return
        self.last_quote = said
        self.last_quote_open = not quote.closed
        self.last_quote_paragraph = paragraph.number
        speaker = said.speaker
        words = re.sub(r"[,;:]$", ".", text_rules.normalise(quote.text))
        self.statements.append(self.statement(words, "quotation", said, paragraph, sentence_span))
        if speaker and self.actors[speaker].kind == "person":
            self.last_person = self.actors[speaker]

    def statement(self, words, kind, said, paragraph, span):
        speaker = said.speaker
        role = self.roles.get(speaker) if speaker else None
        who = speaker or slugify(said.attributed_as)[:30] or "unnamed"
        base = f"{who} {' '.join(words.split()[:6])}"
        return {
            "slug": self.unique(base),
            "text": words,
            "kind": kind,
            "speaker": [speaker] if speaker else None,
            "speaker_role": [role.slug] if role else None,
            "attributed_as": said.attributed_as[:200],
            "joint_speakers": [[slug] for slug in said.joint],
            **said.when.as_fields(),
            "events": [],
            "measures": [],
            "sources": [[self.source_slug]],
            "passages": [self.passage(paragraph, span)],
            "reviewed": False,
            "_paragraph": paragraph.number,
            "_span": span,
        }

    def reported(self, paragraph, span, with_quotes=False):
        """Reported speech in a sentence without a quotation of its own (or, ``with_quotes``,
        around one): a _Said and the words."""
        sentence = paragraph.text[span[0] : span[1]].strip()
        for quote in paragraph.quotes:
            if quote.spoken and span[0] <= quote.start < span[1] and not with_quotes:
                return None
        bare = sentence.rstrip(".!? ")
        match = re.match(
            rf"^(?P<clause>.{{20,}}?),\s+(?P<who>[^,]{{2,80}}?)\s+(?P<verb>{SPEECH_VERBS})\b"
            r"(?P<tail>[^,]*)(?:,\s+(?:in|as|after|before|ahead|adding|with)\b.*)?$",
            bare,
        )
        if match and match.group("who").strip() in ("and", "but", "and also"):
            # "The court gave ... to comply, and said a fine would be imposed"
            who = self.subject_of(match.group("clause"))
            if not who:
                return None
            verb, tail = match.group("verb"), ""
            words = match.group("tail")
        elif match and not re.search(r"\b(?:that|which|when|if)\b", match.group("who")):
            words = match.group("clause")
            verb = match.group("verb")
            who, tail = match.group("who"), match.group("tail")
        else:
            match = re.match(
                r"^(?P<clause>.{20,}?),\s+according to\s+(?P<who>[^,]{2,80})(?P<tail>.*)$", bare
            ) or re.match(r"^According to\s+(?P<who>[^,]{2,80}),\s+(?P<clause>.+)$", bare)
            if match:
                words, verb, who = match.group("clause"), "said", match.group("who")
                tail = match.groupdict().get("tail") or ""
            else:
                match = re.match(
                    rf"^(?P<who>(?:[^,]|,\s+(?:who|the|a|an|speaking|[A-Z])[^,]*,){{2,160}}?)\s+"
                    rf"(?P<verb>{SPEECH_VERBS})\b(?P<tail>\s+(?:[A-Z]\w+day|on \w+day|earlier "
                    r"this \w+|last \w+|yesterday|today|this week|in a statement|in an "
                    r"interview)?)?(?:,)?\s+(?:that\s+)?(?P<clause>.{12,})$",
                    bare,
                )
                if not match:
                    return None
                who, verb = match.group("who"), match.group("verb")
                tail = match.group("tail") or ""
                words = match.group("clause")
                if verb.split()[0] not in ("said", "says", "say", "told", "added", "stated"):
                    words = f"{verb} {words}"
        if len(who.split()) > 14 and "," not in who:
            return None
        speaker, attributed, joint = self.resolve(who, paragraph)
        if speaker is None and not attributed:
            return None
        said = _Said(speaker, attributed, joint, self.dated(speaker, self.when_after_verb(tail)))
        words = words.strip()
        words = words[:1].upper() + words[1:] + "."
        return said, words

    # --- the article ---------------------------------------------------------------------

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

    def subject_of(self, clause):
        """The words before a clause's first verb: its subject, roughly."""
        verb = re.search(
            rf"\s(?:\w+ed|{date_rules.IRREGULAR_PAST}|has|have|had|is|are|was|were|will|would)\b",
            clause,
        )
        return clause[: verb.start()].strip() if verb and verb.start() < 80 else ""

    def mark_spoken(self, paragraph):
        """Which quotations are a speaker's words: five words or more, or three or more in lower
        case beside a verb of speech ("saying the two countries had "never worked more
        closely""). "Command and Control Centre" and "illegal activity" are terms."""
        for quote in paragraph.quotes:
            words = quote.text.split()
            title_case = all(w[:1].isupper() or w in ("and", "of", "for", "the") for w in words)
            around = paragraph.text[max(0, quote.start - 120) : quote.end + 60]
            quote.spoken = len(words) >= TERM_WORDS or (
                len(words) >= 3
                and not title_case
                and bool(re.search(rf"\b(?:{SPEECH_VERBS}|saying)\b", around))
            )

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

    def place_in(self, text):
        for name in sorted(actor_rules.PLACES, key=len, reverse=True):
            if re.search(rf"\b{re.escape(name)}\b(?!-like)", text):
                return self.place(name, actor_rules.PLACES[name])
        for name, slug in self.known_places.items():
            if re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
                self.places.setdefault(slug, (name, "", False))
                return slug
        return None

    def place(self, name, country):
        slug = self.known_places.get(name.lower()) or slugify(name)
        self.places.setdefault(slug, (name, country, slug not in self.known_places.values()))
        return slug

    def status_of(self, text, when):
        if when.precision != "by" and when.date > self.published:
            return "planned"
        if date_rules.tense_of(text) == date_rules.FUTURE:
            return "planned"
        return "happened"

    def event(self, title, summary, when, paragraph, span, status, place=None, actors=()):
        title = text_rules.normalise(title).strip(" ,.;")
        title = title[:1].upper() + title[1:]
        record = {
            "slug": self.unique(" ".join(title.split()[:8])),
            "title": title[:300],
            "summary": summary,
            **when.as_fields(),
            "status": status,
            "place": [place] if place else None,
            "sources": [[self.source_slug]],
            "passages": [self.passage(paragraph, span)],
            "reviewed": False,
            "_actors": list(actors),
        }
        self.events.append(record)
        return record

    def read_figures(self, paragraph, span, sentence, said, sentence_dates):
        previous = None
        number_of = re.search(
            r"\bnumber of (?P<what>[^,.;]+?)\s+(?:had|has|have|was|is|were|"
            r"fell|rose|had fallen|has fallen|dropped)\b",
            sentence,
        )
        for figure in figure_rules.find_figures(sentence):
            if self._inside_quote(paragraph, span[0] + figure.start):
                continue
            # the figure's own clause, up to the next comma: "2,000 at the end of July"
            clause = re.split(
                r"[,;]|\s+(?:and|but|since|after|when|which|who|while)\s+", sentence[figure.end :]
            )[0]
            own = date_rules.find_dates(clause, self.published, date_rules.tense_of(clause))
            now = re.search(_NOW, clause) or re.match(
                rf"^[^;.]{{0,100}}?{_NOW}", sentence[figure.end :]
            )
            if not now and said is not None and said.when.precision == "by":
                now = re.search(_NOW, sentence)
            if own:
                when = own[0]
            elif said is not None and (said.when.precision != "by" or not now):
                when = said.when
            elif now:
                # "3,000 people are camped": true on the day of publication
                when = date_rules.When(self.published, "day", "")
            else:
                when = date_rules.by_publication(self.published)
            if figure.currency:
                name, unit = "funding committed", ""
                what = re.search(
                    r"\b(?:for|to fund|to pay for|on)\s+(?P<what>[^,.;]{4,60})",
                    sentence[figure.end :],
                )
                if what:
                    name = f"funding for {what.group('what').strip()}"
            elif number_of:
                name, unit = number_of.group("what").strip(), figure.unit
            elif figure.noun:
                verb = re.match(
                    r"^[^.;]{0,80}?\b(?:are|were|have been|had been|is|was)\s+"
                    r"(?P<vp>[a-z]+(?:\s+(?:in|at|on|to|from)\s+[A-Z]\w+)?)",
                    sentence[figure.end :],
                )
                name = figure.noun + (f" {verb.group('vp')}" if verb else "")
                unit = figure.unit or (
                    "people" if figure.noun in ("people", "migrants", "refugees") else figure.noun
                )
            elif subject := re.search(
                r"(?:^|\bthat\s+|,\s+)(?:the\s+)?(?P<what>[a-z][\w\s-]{2,60}?)\s+(?:had\s+|has\s+|"
                r"have\s+)?(?:fallen|fell|risen|rose|dropped|reached|stood|increased|decreased|"
                r"climbed)(?:\s+(?:to|at|by))?(?:\s+\w+)?\s*$",
                sentence[: figure.start],
            ):
                name, unit = subject.group("what"), figure.unit
            elif previous:
                name, unit = previous
            else:
                continue
            previous = (name, unit or figure.unit)
            indicator = self.indicator(name, unit or figure.unit, figure.currency)
            reporter = said.speaker if said else None
            record = {
                "slug": self.unique(f"{indicator} {figure.as_printed} {when.date.isoformat()}"),
                "indicator": [indicator],
                "value": _decimal(figure.value),
                "low": _decimal(figure.low),
                "high": _decimal(figure.high),
                "approximate": figure.approximate,
                "as_printed": figure.as_printed[:200],
                **when.as_fields(),
                "reported_by": [reporter] if reporter else None,
                "event": None,
                "measure": None,
                "passages": [self.passage(paragraph, span)],
                "sources": [[self.source_slug]],
                "reviewed": False,
                "_sentence": sentence,
                "_when": when,
                "_figure": figure,
                "_paragraph": paragraph.number,
            }
            self.observations.append(record)
            if not figure.currency and _CHANGE.search(sentence):
                # the figure's clause when it says what happened, else what was counted
                told = re.split(
                    r",\s*(?:according|against|down from|up from|including|compared|from a)\b|;",
                    sentence[figure.start :],
                )[0].rstrip(". ")
                for found in date_rules.find_dates(told, self.published):
                    told = told.replace(found.words, "")
                if len(told.split()) < 6:
                    told = f"{name[:1].upper() + name[1:]}: {figure.as_printed}" + (
                        f" {figure.unit}" if figure.unit else ""
                    )
                event = self.event(
                    told,
                    "",
                    when,
                    paragraph,
                    span,
                    "happened",
                    self.place_in(sentence),
                    [reporter] if reporter else [],
                )
                record["event"] = [event["slug"]]

    def indicator(self, name, unit, currency):
        name = text_rules.normalise(name)[:200]
        slug = slugify(name if unit.lower() in name.lower() else f"{name} {unit}")[:100].strip("-")
        if slug not in self.indicators:
            self.indicators[slug] = {
                "slug": slug,
                "name": name[:1].upper() + name[1:],
                "unit": unit[:50],
                "currency": currency,
                "description": "",
            }
            self.slugs.add(slug)
        return slug

    def read_events(self, paragraph, span, outside, said, sentence_dates):
        sentence = paragraph.text[span[0] : span[1]]
        used = set()
        for match in _OCCASION.finditer(outside):
            dates = [
                d
                for d in sentence_dates
                if d.start >= match.end() - 1 and d.start - match.end() < 30
            ]
            if not dates:
                continue
            who = actor_rules.person_name(match.group("who") or "").strip()
            actor = None
            if who:
                actor = self.actor(
                    who.split()[-1] if len(who.split()) > 2 else who, "person", "", paragraph
                )
                who = actor.name
            verb = _OCCASION_VERBS[match.group("noun")]
            obj = match.group("obj")
            title = (
                f"{who} {verb} {obj}"
                if who
                else f"{match.group('noun')} {match.group('prep')} {obj}"
            )
            when = dates[0]
            used.add(when.start)
            self.event(
                title,
                "",
                when,
                paragraph,
                span,
                self.status_of(outside[match.start() :], when),
                self.place_in(obj) or self.place_in(sentence),
                [actor.slug] if actor else [],
            )
        for match in _DUE.finditer(outside):
            what = re.split(r"\b(?:a|an|the)\s+", match.group("what"))[-1].strip()
            rest = re.split(r"\s+to\s+(?!be\b)\w+|,", match.group("rest"))[0]
            dates = [d for d in date_rules.find_dates(rest, self.published, date_rules.FUTURE)]
            when = (
                dates[0]
                if dates
                else (
                    self.lead_day
                    if self.lead_day and self.lead_day.date >= self.published
                    else date_rules.by_publication(self.published)
                )
            )
            people = [
                a.slug
                for a in self.actors.values()
                if a.kind == "person" and re.search(rf"\b{re.escape(a.surname)}\b", rest)
            ]
            title = f"{what[:1].upper() + what[1:]} to be {match.group('verb')}{rest}"
            self.event(title, "", when, paragraph, span, "planned", self.place_in(rest), people)
        for match in _DUE_TO.finditer(outside):
            if any(
                match.start() <= d.start < match.end() for d in sentence_dates if d.start in used
            ):
                continue
            dates = date_rules.find_dates(match.group("rest"), self.published, date_rules.FUTURE)
            when = dates[0] if dates else date_rules.by_publication(self.published)
            if dates:
                used.update(
                    d.start for d in sentence_dates if match.start() <= d.start < match.end()
                )
            who = match.group("who").strip()
            rest = match.group("rest")
            for found in dates:
                rest = rest.replace(found.words, "")
            rest = re.split(r",\s*(?![A-Z][a-z]+ [A-Z])|\s+to\s+(?:discuss|agree|talk)\b", rest)[0]
            people = [
                a.slug
                for a in self.actors.values()
                if a.kind == "person"
                and re.search(rf"\b{re.escape(a.surname)}\b", who + " " + match.group("rest"))
            ]
            title = f"{who} to {match.group('verb')}{rest}"
            self.event(title, "", when, paragraph, span, "planned", self.place_in(rest), people)
        for found in sentence_dates:
            if found.start in used or (said and _same_day(found, said.when)):
                continue
            if any(
                _same_day(o["_when"], found) and o["event"]
                for o in self.observations
                if o["_sentence"] == sentence
            ):
                continue
            clause = self.clause_around(outside, found)
            if not clause:
                continue
            self.event(
                clause,
                "",
                found,
                paragraph,
                span,
                self.status_of(clause, found),
                self.place_in(clause),
            )
        if not said and not sentence_dates:
            self.present_perfect(paragraph, span, outside)
        if (
            said
            and said.speaker
            and not any(e["passages"] == [self.passage(paragraph, span)] for e in self.events)
        ):
            measure_like = any(
                p.search(sentence)
                for p, kind in _MEASURE_TRIGGERS
                if kind in ("deploy", "announce", "fund")
            )
            speaker = self.actors[said.speaker]
            announced = any(
                e["title"].startswith(f"{speaker.name} announces")
                and e["date"] == said.when.date.isoformat()
                for e in self.events
            )
            if (
                measure_like
                and speaker.kind != "person"
                and said.when.precision != "by"
                and not announced
            ):
                gist = self.statements[-1]["text"] if self.statements else sentence
                gist = re.split(r"\s+to\s+(?:combat|fight|tackle|counter|stop|help)\b", gist)[0]
                self.event(
                    f"{speaker.name} announces: {gist.rstrip('.')}",
                    "",
                    said.when,
                    paragraph,
                    span,
                    "happened",
                    self.place_in(sentence),
                    [said.speaker],
                )

    def clause_around(self, text, found):
        """The clause a date belongs to, without the date: "French authorities began clearing
        part of it" of "... since French authorities began clearing part of it last month"."""
        head = text[: found.start]
        speech = list(re.finditer(rf"\b(?:{SPEECH_VERBS})\b(?:\s+\w+day)?\s*(?:that\b)?", head))
        if speech:
            head = head[speech[-1].end() :]
        boundary = max(
            head.rfind(m)
            for m in (" since ", " after ", " when ", " as ", ", ", " that ", " before ", " until ")
        )
        clause = head[boundary:].strip(" ,") if boundary >= 0 else head.strip()
        if re.match(r"^(?:which|who)\b", clause):
            # "Aid groups, which brought the case in June": the groups brought it
            antecedent = head[:boundary].strip(" ,")
            antecedent = re.split(r",\s*", antecedent)[-1]
            clause = f"{antecedent} {clause.split(' ', 1)[1] if ' ' in clause else ''}"
        clause = re.sub(r"^(?:since|after|when|as|that|before|until)\s+", "", clause)
        tail = re.split(r"[,;]|\s+(?:saying|but|while|and said)\b", text[found.end :])[0]
        verb = rf"\b\w+(?:ed|en)\b|\b(?:was|were|will|would|is|are|{date_rules.IRREGULAR_PAST})\b"
        if len(clause.split()) < 3 or not re.search(verb, clause):
            if re.search(verb, tail) and len((clause + tail).split()) >= 4:
                clause = f"{clause} {tail.strip()}"
            else:
                return ""
        if _SPEECH.search(clause):
            return ""
        return clause.strip()

    def present_perfect(self, paragraph, span, outside):
        """ "The issue has strained ties": an undated development up to the time of writing.

        It is dated as the earlier event its sentence points back to ("the crisis" of "the
        migrant crisis escalated earlier this year"), the way a reader anchors it; with none,
        by the publication date.
        """
        main = re.sub(
            r"^\s*(?:While|Although|Though|As|Since|Because|Despite)\b[^,]*,\s*", "", outside
        )
        match = re.search(
            r"(?P<clause>(?:[A-Za-z-]+\s+){1,4}(?:has|have)\s+(?:already\s+|now\s+)?"
            r"(?:been\s+)?[a-z]+(?:ed|en|wn|ght|ung|ade)\b[^.;]*)",
            main,
        )
        if not match or _SPEECH.search(match.group("clause")):
            return
        when = date_rules.by_publication(self.published)
        for noun in re.findall(r"\bthe\s+([a-z]+)", outside):
            for event in self.events:
                if len(noun) > 3 and re.search(rf"\b{noun}\b", event["title"], re.IGNORECASE):
                    when = date_rules.When(
                        date_rules.datetime.date.fromisoformat(event["date"]),
                        event["date_precision"],
                        "",
                    )
                    break
            if when.precision != "by":
                break
        clause = re.split(r"\s+(?:while|but|although)\s+", match.group("clause"))[0]
        self.event(clause, "", when, paragraph, span, "happened", self.place_in(clause))

    def read_measures(self, paragraph, span, sentence, said):
        includes = _INCLUDES.search(sentence)
        when = (
            said.when
            if said
            else (self.lead_day if self.lead_day else date_rules.by_publication(self.published))
        )
        if includes:
            items = re.split(
                r",\s*(?:and\s+)?(?=(?:extra|additional|more|new|further|increased|better|"
                r"improved|joint|a|an|the|\w+ing)\b)|\s+and\s+(?=(?:extra|additional|more|new|"
                r"further|increased|better|improved|joint|a|an|the)\b)",
                includes.group("items"),
            )
            for item in items:
                item = item.strip()
                if len(item.split()) >= 2:
                    self.measure(item, "announced", when, paragraph, span)
            return
        for pattern, kind in _MEASURE_TRIGGERS:
            match = pattern.search(sentence)
            if not match:
                continue
            if kind == "propose" and not (said or re.search(r"\bwe\b", sentence, re.I)):
                continue
            title = self.measure_title(sentence, match, kind, paragraph)
            if title:
                self.measure(title, _STATUS[kind], when, paragraph, span)
            return
        for quote in paragraph.quotes:
            if (
                span[0] <= quote.start < span[1]
                and 2 <= quote.words <= 6
                and all(
                    w[:1].isupper() or w in ("and", "of", "for", "the") for w in quote.text.split()
                )
            ):
                self.measure(quote.text, "announced", when, paragraph, span)

    def measure_title(self, sentence, match, kind, paragraph):
        outside = sentence
        if kind == "deploy":
            subject = outside[: match.start()].strip()
            subject = re.sub(r"^(?:The|the)\s+", "", subject)
            rest = re.match(
                r"\s*(?:to|in|at)\s+(?P<where>[^,.;]+?)(?:\s+to\s+\w+|,|\.|$)",
                outside[match.end() :],
            )
            if 1 <= len(subject.split()) <= 6:
                return f"{subject} deployed" + (f" to {rest.group('where')}" if rest else "")
        if kind in ("announce", "fund", "agree"):
            obj = re.match(
                r"\s*(?:to\s+)?(?P<obj>(?:a|an|the|new|£|€)[^,.;]{4,90})", outside[match.end() :]
            )
            if obj:
                return re.sub(r"^(?:a|an|the)\s+", "", obj.group("obj")).strip()
        if kind == "propose":
            obj = re.search(
                r"\b(?:need|needs|call(?:ed|s)? for|urged?|propos\w+)\s+"
                r"(?P<obj>[^,.;]{4,90}?)(?:\s+to\s+|[,.;]|$)",
                outside,
            )
            if obj:
                return obj.group("obj").strip()
        return ""

    def measure(self, title, status, when, paragraph, span):
        title = text_rules.normalise(title).strip(" ,.;")
        title = title[:1].upper() + title[1:]
        if any(m["title"].lower() == title.lower() for m in self.measures):
            return
        category = "diplomatic"
        for name, pattern in _CATEGORIES:
            if re.search(pattern, title, re.IGNORECASE):
                category = name
                break
        slug = self.unique(" ".join(title.split()[:8]))
        passages = [self.passage(paragraph, span)]
        if when.precision == "by" and when.date != self.published:
            when = date_rules.by_publication(self.published)
        self.measures.append(
            {
                "slug": slug,
                "title": title[:300],
                "description": "",
                "category": category,
                **when.as_fields(),
                "responsible": [],
                "events": [],
                "sources": [[self.source_slug]],
                "passages": passages,
                "reviewed": False,
                "_paragraph": paragraph.number,
            }
        )
        self.statuses.append(
            {
                "slug": self.unique(f"{slug}-{status}"),
                "measure": [slug],
                "status": status,
                **when.as_fields(),
                "passages": passages,
            }
        )

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


def _same_day(one, other):
    return (one.date, str(one.precision)) == (other.date, str(other.precision))


def _decimal(value):
    if value is None:
        return None
    return str(value)


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
