"""How close a draft comes to a hand-made fixture of the same article, category by category.

For each category the fixture's records are paired one to one with the draft's, and a pair
counts as found only when it is right on what matters:

- actors: the same slug, or names that match (rapidfuzz token sort ratio of at least 85);
- quotations: the same words (ratio of at least 90, quotation marks, case and the final
  punctuation aside) and the right speaker;
- reported statements: the right speaker and the same gist (token set ratio of at least 55,
  since a reported statement is the writer's paraphrase);
- dated events: the same event (they cite overlapping passages, or their titles and summaries
  match with a token set ratio of at least 60), with the same date and precision;
- observations: the same value (or range) with the same date and precision.

Recall is found / the fixture's records, precision found / the draft's; "extra" is what the
draft proposed that was not found.
"""

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

ACTOR_NAME_SCORE = 85
QUOTATION_SCORE = 90
REPORTED_SCORE = 55
EVENT_SCORE = 60


@dataclass
class Score:
    category: str
    expected: int
    proposed: int
    found: int
    missed: list = field(default_factory=list)
    extra: list = field(default_factory=list)

    @property
    def recall(self):
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self):
        return self.found / self.proposed if self.proposed else (1.0 if not self.expected else 0.0)

    @property
    def extra_count(self):
        return self.proposed - self.found


def _of(records, model):
    return [r["fields"] for r in records if r["model"] == f"timeline.{model}"]


def _key(reference):
    if isinstance(reference, list):
        return reference[0] if reference else None
    return reference


def normalise_words(text):
    text = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text).strip().strip("\"' ").rstrip(".,;:!?").strip("\"' ")
    return text.lower()


def _pair(expected, proposed, score, accept):
    """Greedy one-to-one pairing by descending score: [(expected, proposed)]."""
    candidates = []
    for i, e in enumerate(expected):
        for j, p in enumerate(proposed):
            value = score(e, p)
            if value is not None:
                candidates.append((value, i, j))
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    used_e, used_p, pairs = set(), set(), []
    for _value, i, j in candidates:
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        pairs.append((expected[i], proposed[j]))
    found = [pair for pair in pairs if accept(*pair)]
    return found


def _score(category, expected, proposed, found, label):
    found_e = {id(e) for e, _p in found}
    found_p = {id(p) for _e, p in found}
    return Score(
        category,
        len(expected),
        len(proposed),
        len(found),
        [label(e) for e in expected if id(e) not in found_e],
        [label(p) for p in proposed if id(p) not in found_p],
    )


def _draft_actors(records):
    """The draft's actors: those it writes, and those it refers to that the timeline holds."""
    actors = {a["slug"]: a for a in _of(records, "actor")}
    for model, fields_ in (
        ("statement", ("speaker", "joint_speakers")),
        ("participation", ("actor",)),
        ("observation", ("reported_by",)),
        ("role", ("actor", "organisation")),
        ("measure", ("responsible",)),
    ):
        for record in _of(records, model):
            for name in fields_:
                value = record.get(name)
                values = value if name in ("joint_speakers", "responsible") else [value]
                for item in values or []:
                    slug = _key(item)
                    if slug and slug not in actors:
                        actors[slug] = {"slug": slug, "name": slug.replace("-", " ")}
    return list(actors.values())


def compare(draft_records, fixture_records):
    """A :class:`Score` per category, in the order the report prints them."""
    scores = []

    fixture_actors = _of(fixture_records, "actor")
    draft_actors = _draft_actors(draft_records)

    def actor_score(e, p):
        if e["slug"] == p["slug"]:
            return 200
        value = fuzz.token_sort_ratio(e["name"].lower(), p["name"].lower())
        return value if value >= ACTOR_NAME_SCORE else None

    actor_pairs = _pair(fixture_actors, draft_actors, actor_score, lambda e, p: True)
    scores.append(_score("actors", fixture_actors, draft_actors, actor_pairs, lambda a: a["slug"]))
    # The draft's slug of each fixture actor, so that speakers compare across the two files.
    same_actor = {p["slug"]: e["slug"] for e, p in actor_pairs}

    def speaker_right(e, p):
        speaker = same_actor.get(_key(p.get("speaker")), _key(p.get("speaker")))
        if _key(e.get("speaker")) is None and speaker is None:
            return normalise_words(e.get("attributed_as", "")) == normalise_words(
                p.get("attributed_as", "")
            )
        return speaker == _key(e.get("speaker"))

    for kind, category, threshold, scorer in (
        ("quotation", "quotations", QUOTATION_SCORE, fuzz.ratio),
        ("reported", "reported statements", REPORTED_SCORE, fuzz.token_set_ratio),
    ):
        expected = [s for s in _of(fixture_records, "statement") if s["kind"] == kind]
        proposed = [s for s in _of(draft_records, "statement") if s["kind"] == kind]

        def text_score(e, p, scorer=scorer, threshold=threshold):
            value = scorer(normalise_words(e["text"]), normalise_words(p["text"]))
            if value < threshold:
                return None
            return value + (100 if speaker_right(e, p) else 0)

        pairs = _pair(expected, proposed, text_score, speaker_right)
        scores.append(_score(category, expected, proposed, pairs, lambda s: s["text"][:70]))

    fixture_passages = {p["slug"]: p["text"] for p in _of(fixture_records, "passage")}
    draft_passages = {p["slug"]: p["text"] for p in _of(draft_records, "passage")}

    def passages_overlap(e, p):
        mine = [draft_passages.get(_key(x), "") for x in p.get("passages", [])]
        theirs = [fixture_passages.get(_key(x), "") for x in e.get("passages", [])]
        return any(
            a and b and fuzz.partial_ratio(normalise_words(a), normalise_words(b)) >= 90
            for a in mine
            for b in theirs
        )

    def same_date(e, p):
        return e["date"] == p["date"] and e.get("date_precision", "day") == p.get(
            "date_precision", "day"
        )

    def event_score(e, p):
        words = fuzz.token_set_ratio(
            normalise_words(f"{e['title']} {e.get('summary', '')}"), normalise_words(p["title"])
        )
        overlap = passages_overlap(e, p)
        if words < EVENT_SCORE and not overlap:
            return None
        return words + (50 if overlap else 0) + (30 if same_date(e, p) else 0)

    expected = _of(fixture_records, "event")
    proposed = _of(draft_records, "event")
    pairs = _pair(expected, proposed, event_score, same_date)
    scores.append(
        _score(
            "dated events",
            expected,
            proposed,
            pairs,
            lambda e: f"{e['title'][:60]} ({e['date']}, {e.get('date_precision')})",
        )
    )

    def value_of(o):
        return tuple(None if o.get(k) is None else float(o[k]) for k in ("value", "low", "high"))

    def observation_score(e, p):
        if value_of(e) != value_of(p):
            return None
        return 2 if same_date(e, p) else 1

    expected = _of(fixture_records, "observation") or _figures_as_observations(fixture_records)
    proposed = _of(draft_records, "observation")
    pairs = _pair(expected, proposed, observation_score, same_date)
    scores.append(
        _score(
            "observations",
            expected,
            proposed,
            pairs,
            lambda o: (
                f"{o.get('as_printed') or value_of(o)} ({o['date']}, {o.get('date_precision')})"
            ),
        )
    )
    return scores


def _figures_as_observations(records):
    """A fixture written before observations: its figures, dated by their events."""
    events = {e["slug"]: e for e in _of(records, "event")}
    observations = []
    for figure in _of(records, "figure"):
        event = events.get(_key(figure["event"]), {})
        observations.append(
            {
                "value": figure["value"],
                "approximate": figure.get("approximate", False),
                "as_printed": figure.get("quantity", ""),
                "date": event.get("date"),
                "date_precision": event.get("date_precision", "day"),
            }
        )
    return observations


def format_scores(scores, details=True):
    """The comparison as the command prints it."""
    lines = [
        f"{'category':<22}{'fixture':>8}{'draft':>7}{'found':>7}{'extra':>7}"
        f"{'recall':>8}{'precision':>11}"
    ]
    for s in scores:
        lines.append(
            f"{s.category:<22}{s.expected:>8}{s.proposed:>7}{s.found:>7}{s.extra_count:>7}"
            f"{s.recall:>8.0%}{s.precision:>11.0%}"
        )
    if details:
        for s in scores:
            for item in s.missed:
                lines.append(f"  missed {s.category}: {item}")
            for item in s.extra:
                lines.append(f"  extra {s.category}: {item}")
    return "\n".join(lines)
