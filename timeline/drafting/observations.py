"""Observations: the article's figures, their indicators and the dates they hold for."""

import re

from django.utils.text import slugify

from . import figures as figure_rules
from . import text as text_rules
from . import when as date_rules

_CHANGE = re.compile(
    r"\b(?:fallen|fell|falling|risen|rose|rising|dropped|drop|increased|decreased|doubled|"
    r"halved|peaked|peak|high of|low of|reached|record|are camped|were camped|camped|living|"
    r"arrived|crossed|died|arrested|rescued|intercepted|detained|stopped|caught|returned|fled|"
    r"tried|attempted|sleeping|staying|stranded)\b"
)

# A verb in the present: what a figure counts holds on the day of publication.
_NOW = r"\b(?:are|is)\b(?!\s+(?:due|expected|set|to|planning)\b)"


class ObservationRules:
    """Figures as observations of indicators (a mixin of the drafter)."""

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


def _decimal(value):
    """A decimal as the article format writes it: text, so that nothing is rounded."""
    return None if value is None else str(value)
