"""Statements: quotations with their speakers, reported speech, attribution as printed."""

import re
from dataclasses import dataclass

from django.utils.text import slugify

from . import actors as actor_rules
from . import text as text_rules
from . import when as date_rules

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


@dataclass
class Said:
    """Who said something, as printed, and when."""

    speaker: str | None
    attributed_as: str
    joint: list
    when: date_rules.When


class StatementRules:
    """Quotations and reported speech, and who said them (a mixin of the drafter)."""

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
                said = Said(
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
                said = Said(
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
        said = Said(speaker, attributed, joint, self.dated(speaker, self.when_after_verb(tail)))
        words = words.strip()
        words = words[:1].upper() + words[1:] + "."
        return said, words

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
