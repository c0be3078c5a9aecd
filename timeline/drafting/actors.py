"""Who the article names: people, bodies, governments and groups, their roles, and the places.

Mentions come from three kinds of rule: a small gazetteer of the bodies a Calais report keeps
naming under several names ("Britain's interior ministry" is the Home Office), a title or an
apposition around a name ("Home Secretary Theresa May", "Keith Vaz, who chairs ..."), and a
capitalised name ending in an organisation's head word ("the National Crime Agency"). Each
mention is then matched against the actors already in the timeline (``KnownActor``) by name,
old slug and role, with rapidfuzz; the best score is kept for the report.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify
from rapidfuzz import fuzz

MATCH_THRESHOLD = 86


@dataclass
class KnownActor:
    """An actor already in the timeline, as the matcher sees it."""

    slug: str
    name: str
    kind: str = ""
    country: str = ""
    aliases: tuple = ()
    roles: tuple = ()  # (role slug, title, start, end)


@dataclass
class Actor:
    """An actor the draft names: matched to a known one (``match``) or proposed."""

    slug: str
    name: str
    kind: str
    country: str = ""
    description: str = ""
    match: KnownActor | None = None
    score: float = 0.0
    via: str = ""
    mentions: list = field(default_factory=list)
    paragraphs: set = field(default_factory=set)

    @property
    def surname(self):
        return self.name.split()[-1] if self.kind == "person" else ""


@dataclass
class Role:
    slug: str
    actor: str
    title: str
    organisation: str | None = None
    paragraphs: set = field(default_factory=set)
    match: str = ""


# (pattern, name, kind, country): bodies named in more than one way.
GAZETTEER = [
    (
        r"\bHome Office\b|\b(?:Britain's|Britain’s|British|the UK's|UK) interior ministry\b",
        "Home Office",
        "government-body",
        "GB",
    ),
    (
        r"\b(?:France's|France’s|French) (?:interior ministry|ministry of the interior)\b|"
        r"\bFrench Ministry of the Interior\b",
        "French Ministry of the Interior",
        "government-body",
        "FR",
    ),
    (
        r"\b(?:the )?(?:British|UK) government\b|\bDowning Street\b|\bthe British\b|"
        r"\b(?:Britain|the UK|the United Kingdom)(?= (?:has|have|had|will|would|said|says|"
        r"agreed|is|was|and France|must|should|wants|announced|pledged|plans))|"
        r"(?<=France and )(?:Britain|the UK)\b",
        "UK Government",
        "government-body",
        "GB",
    ),
    (
        r"\b(?:the )?French government\b|\bthe Elysee\b|\bthe Élysée\b|\bMatignon\b|"
        r"\bFrance(?= (?:has|have|had|will|would|said|says|agreed|is|was|and Britain|"
        r"and the UK|must|should|wants|announced|pledged|plans))|(?<=Britain and )France\b|"
        r"(?<=UK and )France\b",
        "French Government",
        "government-body",
        "FR",
    ),
    (
        r"\b(?:British|UK) (?:police(?: officers)?|policing|officers)\b",
        "British police",
        "organisation",
        "GB",
    ),
    (
        r"\bFrench (?:police(?: officers)?|policing(?: units)?|officers|gendarmes|riot police)"
        r"\b|\bCRS\b|\bgendarmerie\b",
        "French police",
        "organisation",
        "FR",
    ),
    (r"\bBorder Force\b", "Border Force", "government-body", "GB"),
    (r"\bNational Crime Agency\b|\bNCA\b", "National Crime Agency", "government-body", "GB"),
    (r"\bEurotunnel\b|\bGetlink\b", "Eurotunnel", "company", "FR"),
    (r"\bP&O(?: Ferries)?\b", "P&O Ferries", "company", "GB"),
    (r"\bDFDS\b", "DFDS", "company", "DK"),
    (r"\bUNHCR\b|\bUN refugee agency\b", "UNHCR", "organisation", ""),
    (
        r"\bEuropean Commission\b|\bBrussels(?= (?:said|has|will))",
        "European Commission",
        "government-body",
        "",
    ),
    (r"\bEuropol\b", "Europol", "organisation", ""),
    (r"\bRed Cross\b", "Red Cross", "organisation", ""),
    (r"\bM[ée]decins Sans Fronti[èe]res\b|\bMSF\b", "Médecins Sans Frontières", "organisation", ""),
    (r"\bHome Affairs (?:Select )?Committee\b", "Home Affairs Committee", "organisation", "GB"),
    (
        r"\b(?:the )?town of Calais\b|\bCalais (?:town hall|town council|council)\b",
        "Calais town council",
        "government-body",
        "FR",
    ),
    (
        r"\b(?:French )?maritime prefecture\b|\bpr[ée]fecture maritime\b",
        "French maritime prefecture",
        "government-body",
        "FR",
    ),
    (
        r"\b(?:[Tt]he|[Aa]n?) interior ministry\b",
        "French Ministry of the Interior",
        "government-body",
        "FR",
    ),
    (
        r"\bpeople[- ]smuggl\w+|\bsmuggling (?:gangs|networks|rings)\b|\bgangs (?:smuggling|"
        r"of smugglers)\b|\b(?:people )?traffickers\b|\bsmugglers\b|\bcriminal gangs\b|"
        r"\bthe gangs\b",
        "People-smuggling gangs",
        "group",
        "",
    ),
    (
        r"\bmigrants?\b|\basylum[- ]seekers?\b|\brefugees\b",
        "Migrants in Calais",
        "group",
        "FR",
    ),
]
_GAZETTEER = [(re.compile(p), name, kind, country) for p, name, kind, country in GAZETTEER]

PLACES = {
    "Calais": "FR",
    "Channel Tunnel": "",
    "Dunkirk": "FR",
    "Grande-Synthe": "FR",
    "Sangatte": "FR",
    "Coquelles": "FR",
    "Boulogne": "FR",
    "Ouistreham": "FR",
    "Cherbourg": "FR",
    "Le Havre": "FR",
    "Lille": "FR",
    "Paris": "FR",
    "Dover": "GB",
    "Folkestone": "GB",
    "Kent": "GB",
    "London": "GB",
    "Zeebrugge": "BE",
    "Brussels": "BE",
    "Rotterdam": "NL",
}
# Capitalised words that start no name: function words, nationalities, places, dates.
_NOT_WORDS = (
    "The A An In On At By For To Of And But While When After Before Since Some Many Most "
    "British French English Belgian Dutch German European African Asian Syrian Afghan "
    "Eritrean Sudanese Iraqi Iranian Kurdish Britain France Belgium Netherlands Germany "
    "Europe Africa Asia Middle East North South West Channel Tunnel Calais Home Office "
    "Ministry Government January February March April June July August September October "
    "November December Monday Tuesday Wednesday Thursday Friday Saturday Sunday He She "
    "They It We I This That Command Control Centre Court Appeal Council Parliament "
    "Commons Lords Mr Mrs Ms Dr Sir"
)
_NOT_NAMES = frozenset(_NOT_WORDS.split(" "))
_ORG_HEADS = (
    "Office|Ministry|Committee|Commission|Council|Agency|Authority|Force|Party|Court|Tribunal|"
    "Union|Parliament|Assembly|Government|Department|Service|Association|Foundation|Trust|"
    "Group|Company|Prefecture|Directorate|Board|Institute|Organisation|Organization|Federation|"
    "Coalition|Alliance|Network|Charity|Chamber|Senate|Inspectorate|Cross|Refugees|Ferries"
)
_LOWER = "a-zàáâäçéèêëíîïóôöúûùüÿñ"
_NAME = rf"[A-ZÉÈÀÂÔ][{_LOWER}'’]+(?:-[A-ZÉ][{_LOWER}'’]+)*"
_PERSON = rf"(?:{_NAME}\s+)(?:(?:de|van|von|le|la|du)\s+)?{_NAME}(?:\s+{_NAME})?"
_TITLE_WORDS = (
    r"(?:(?:[Ff]rench|[Bb]ritish|[Bb]elgian|UK|EU|Calais|[Hh]ome|[Ff]oreign|[Ii]nterior|"
    r"[Ii]mmigration|[Ss]ecurity|[Jj]ustice|[Pp]rime|[Dd]eputy|[Jj]unior|[Ss]hadow|[Cc]hief|"
    r"[Ss]enior|[Tt]ory|Labour|Conservative|Socialist|[Pp]olice|[Bb]order)\s+)*"
    r"(?:Secretary(?: of State)?|[Ss]ecretary|Minister|minister|President|president|Mayor|"
    r"mayor|Prefect|prefect|Chancellor|Judge|judge|Justice|Commissioner|commissioner|"
    r"Ambassador|ambassador|Director|director|Chairman|chairman|Chief Executive|"
    r"chief executive|Chief Constable|Leader|leader|MP|spokesman|spokeswoman|spokesperson|"
    r"counterpart|lawyer|barrister)"
)
_TITLED = re.compile(rf"(?P<title>{_TITLE_WORDS})\s+(?P<name>{_PERSON})")
# "the prefect of the Pas-de-Calais region, Hélène Marchal": the title first, then the name.
_TITLE_FIRST = re.compile(
    rf"\b(?:[Tt]he\s+)(?P<title>{_TITLE_WORDS}(?:\s+(?:of|for|at)\s+[^,]+)?),\s+"
    rf"(?P<name>{_PERSON})\b"
)
# "the charity Terre d'Asile Nord": a body's name after the word for what it is.
_NAMED_BODY = re.compile(
    rf"\b(?:charity|aid group|group|association|organisation|NGO|campaign group|company|firm|"
    rf"operator|union|party)\s+(?P<name>{_NAME}(?:\s+(?:[dl]['’]|de\s+|du\s+|des\s+|of\s+)?"
    rf"{_NAME}){{0,4}})"
)
_COURT = re.compile(
    r"\b(?:[Tt]he\s+)?(?P<court>administrative court|appeals court|court of appeal|high court|"
    r"criminal court|tribunal|Conseil d'[EÉ]tat|Council of State)\s+(?:in|of|at)\s+"
    r"(?P<place>[A-Z][\w-]+)"
)
_APPOSITION = re.compile(
    rf"(?P<name>{_PERSON}),\s+(?:(?:the|a|an)\s+)?"
    rf"(?:(?P<who>who\s+(?:chairs|heads|leads|runs|represents|manages|directs|is)\s+[^,]+)|"
    rf"(?P<title>{_TITLE_WORDS}(?:\s+(?:of|for|at)\s+[^,]+)?))\s*,"
)
_ORG = re.compile(
    rf"\b(?:(?:{_NAME}|of|for|the|and|on)\s+){{0,5}}?(?:{_NAME}\s+)(?:{_ORG_HEADS})\b"
    rf"(?:\s+(?:of|for|on)\s+(?:the\s+)?{_NAME}(?:\s+{_NAME})*)?"
)

# What a role is called and which body it belongs to, and its opposite number across the
# Channel ("her French counterpart").
ROLE_BODIES = {
    "home secretary": ("Home Office", "GB"),
    "immigration minister": ("Home Office", "GB"),
    "interior minister": ("French Ministry of the Interior", "FR"),
    "minister of the interior": ("French Ministry of the Interior", "FR"),
    "french interior minister": ("French Ministry of the Interior", "FR"),
    "prime minister": ("UK Government", "GB"),
    "british prime minister": ("UK Government", "GB"),
    "french prime minister": ("French Government", "FR"),
    "french president": ("French Government", "FR"),
    "president": ("French Government", "FR"),
    "mayor of calais": ("Calais town council", "FR"),
    "calais mayor": ("Calais town council", "FR"),
    "security minister": ("Home Office", "GB"),
}
COUNTERPARTS = {
    ("home secretary", "FR"): ("Minister of the Interior", "French Ministry of the Interior"),
    ("minister of the interior", "GB"): ("Home Secretary", "Home Office"),
    ("interior minister", "GB"): ("Home Secretary", "Home Office"),
    ("prime minister", "FR"): ("Prime Minister", "French Government"),
    ("prime minister", "GB"): ("Prime Minister", "UK Government"),
    ("immigration minister", "FR"): ("Minister of the Interior", "French Ministry of the Interior"),
}
NATIONALITY = {"French": "FR", "British": "GB", "Belgian": "BE", "Dutch": "NL", "UK": "GB"}
_ANONYMOUS = re.compile(
    r"^(?:(?:an?|one|two|several|some|the)\s+)?(?:[\w-]+\s+){0,5}?"
    r"(?:official|officials|source|sources|spokesman|spokeswoman|spokesperson|diplomat|"
    r"diplomats|officer|aide|insider|minister)\b",
    re.IGNORECASE,
)


def actor_slug(name):
    return slugify(name)[:120]


def person_name(text):
    """A person's name from the words, without a possessive."""
    return re.sub(r"['’]s$", "", text.strip())


def title_case(title):
    small = {"of", "the", "for", "and", "at", "on"}
    return " ".join(w if w in small else w[:1].upper() + w[1:] for w in title.split())


def is_anonymous(phrase):
    return bool(_ANONYMOUS.match(phrase.strip()))


def gazetteer_mentions(text):
    """(start, end, name, kind, country) for every gazetteer body in ``text``."""
    found = []
    for pattern, name, kind, country in _GAZETTEER:
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), name, kind, country))
    return sorted(found)


def organisation_mentions(text):
    for match in _ORG.finditer(text):
        name = re.sub(r"^(?:the|and|of|for|on)\s+", "", match.group(0)).strip()
        if name.split()[0] in ("The",):
            name = name.split(" ", 1)[1]
        if len(name.split()) < 2 and name not in ("Eurotunnel",):
            continue
        yield match.start(), match.end(), name


def titled_people(text):
    """(start, end, name, title) for "Home Secretary Theresa May" and "Keith Vaz, who chairs
    ...," (the title then in words: "chairs X" becomes "Chair of X")."""
    for match in _TITLED.finditer(text):
        name = person_name(match.group("name"))
        if name.split()[0] in _NOT_NAMES or name in PLACES:
            continue
        yield match.start("name"), match.end("name"), name, _title_of(match.group("title"))
    for match in _TITLE_FIRST.finditer(text):
        name = person_name(match.group("name"))
        if name.split()[0] in _NOT_NAMES or name in PLACES:
            continue
        yield match.start("name"), match.end("name"), name, _title_of(match.group("title"))
    for match in _APPOSITION.finditer(text):
        name = person_name(match.group("name"))
        if name.split()[0] in _NOT_NAMES:
            continue
        if match.group("who"):
            title = _role_from_who(match.group("who"))
        else:
            title = match.group("title").strip()
        yield match.start("name"), match.end("name"), name, title


def named_bodies(text):
    """(start, end, name, kind) for "the charity X" and "the administrative court in Lille"."""
    for match in _NAMED_BODY.finditer(text):
        yield match.start("name"), match.end("name"), match.group("name"), "organisation"
    for match in _COURT.finditer(text):
        court = match.group("court")
        name = f"{court[:1].upper()}{court[1:]} of {match.group('place')}"
        yield match.start(), match.end(), name, "organisation"


def _role_from_who(words):
    verb, _, rest = words.partition(" ")[2].partition(" ")
    noun = {
        "chairs": "Chair",
        "heads": "Head",
        "leads": "Leader",
        "runs": "Head",
        "represents": "Representative",
        "manages": "Manager",
        "directs": "Director",
    }.get(verb)
    # "a parliamentary body scrutinising the work of ...": the body, without what it does
    rest = re.split(r"\s+(?:\w+ing|that|which|who)\b", rest.strip())[0]
    if noun is None:
        return re.sub(r"^(?:a|an|the)\s+", "", rest)
    return f"{noun} of {rest}"


def _title_of(words):
    """ "prefect of the Pas-de-Calais region" as a title: "Prefect of the Pas-de-Calais";
    "Calais mayor": "Mayor of Calais"."""
    words = re.sub(r"\s+(?:region|department|area)$", "", words.strip())
    place = re.match(r"^([A-Z][\w-]+)\s+(mayor|prefect|council leader)$", words)
    if place:
        words = f"{place.group(2)} of {place.group(1)}"
    return words[:1].upper() + words[1:]


def role_body(title):
    """The body a role belongs to, when the gazetteer knows it: (name, country) or None."""
    key = re.sub(r"^(?:british|uk|french)\s+", "", title.lower().strip())
    if title.lower().startswith("french") and key in ("interior minister", "prime minister"):
        key = f"french {key}"
    if key in ROLE_BODIES:
        return ROLE_BODIES[key]
    of = re.search(r"\bof (?:the )?(.+)$", title)
    if of:
        for start, _end, name, _kind, country in gazetteer_mentions(of.group(1)):
            if start == 0:
                return name, country
        if re.search(rf"\b(?:{_ORG_HEADS})\b", of.group(1)):
            return title_case(of.group(1)), ""
    return None


def counterpart(title, nationality):
    """ "her French counterpart": the title and body of the opposite number, if known."""
    return COUNTERPARTS.get((title.lower(), nationality))


class Matcher:
    """Matches names, and roles, to the actors already in the timeline."""

    def __init__(self, known=(), published=None):
        self.known = list(known)
        self.published = published

    def best(self, name, kind=""):
        """(KnownActor, score, via) of the best match of ``name``, or (None, score, "")."""
        best, best_score, via = None, 0.0, ""
        slug = slugify(name)
        for actor in self.known:
            if kind and actor.kind and (kind == "person") != (actor.kind == "person"):
                continue
            score = fuzz.token_sort_ratio(name.lower(), actor.name.lower())
            this_via = "name"
            slug_score = max(
                [fuzz.ratio(slug, actor.slug)]
                + [fuzz.ratio(slug, alias) for alias in actor.aliases]
            )
            if slug_score > score:
                score, this_via = slug_score, "alias" if slug not in (actor.slug,) else "slug"
            if (
                kind == "person"
                and actor.kind == "person"
                and len(name.split()) == 1
                and actor.name.split()[-1].lower() == name.lower()
            ):
                score, this_via = max(score, 90.0), "surname"
            if score > best_score:
                best, best_score, via = actor, score, this_via
        if best_score >= MATCH_THRESHOLD:
            return best, round(best_score, 1), via
        return None, round(best_score, 1), ""

    def by_role(self, title):
        """(KnownActor, score, "role") of the actor who held a role of that title on the day."""
        best, best_score = None, 0.0
        for actor in self.known:
            for _slug, role_title, start, end in actor.roles:
                if self.published and (
                    (start and start > self.published) or (end and end < self.published)
                ):
                    continue
                score = fuzz.token_set_ratio(title.lower(), role_title.lower())
                if score > best_score:
                    best, best_score = actor, score
        if best_score >= MATCH_THRESHOLD:
            return best, round(best_score, 1), "role"
        return None, round(best_score, 1), ""

    def role_slug(self, actor_slug, title):
        for actor in self.known:
            if actor.slug != actor_slug:
                continue
            for slug, role_title, _start, _end in actor.roles:
                if fuzz.token_set_ratio(title.lower(), role_title.lower()) >= MATCH_THRESHOLD:
                    return slug
        return ""
