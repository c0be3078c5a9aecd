"""Events: occasions, plans and dated clauses, planned or happened from tense and date."""

import re

from django.utils.text import slugify

from . import actors as actor_rules
from . import text as text_rules
from . import when as date_rules
from .measures import _MEASURE_TRIGGERS
from .statements import _SPEECH, SPEECH_VERBS

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


class EventRules:
    """Events and the places they happen in (a mixin of the drafter)."""

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
            if found.start in used or (said and date_rules.same_day(found, said.when)):
                continue
            if any(
                date_rules.same_day(o["_when"], found) and o["event"]
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
