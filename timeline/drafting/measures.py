"""Measures: what a deal includes and what is deployed, announced, funded or agreed."""

import re

from . import text as text_rules
from . import when as date_rules

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


class MeasureRules:
    """Candidate measures and their first status change (a mixin of the drafter)."""

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
