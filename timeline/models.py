"""The Calais timeline: sources, actors and their roles, places, events, measures and statements,
the passages of the sources they rest on, measures' status histories and links, and indicators with
their observations.

Every model has a unique slug as its natural key, so article fixtures refer to records by slug,
articles that share an actor merge, and loading the same fixture twice changes nothing.
"""

import functools

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Coalesce, Length
from django.urls import get_script_prefix, reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from . import dates
from . import search as text_search
from .dates import DatePrecision


class ActorKind(models.TextChoices):
    PERSON = "person", "person"
    ORGANISATION = "organisation", "organisation"
    GOVERNMENT_BODY = "government-body", "government body"
    COMPANY = "company", "company"
    GROUP = "group", "group"


class MeasureCategory(models.TextChoices):
    POLICING = "policing", "policing"
    INFRASTRUCTURE = "infrastructure-security", "infrastructure and security"
    INTELLIGENCE = "intelligence", "intelligence"
    FUNDING = "funding", "funding"
    LEGAL = "legal", "legal"
    DIPLOMATIC = "diplomatic", "diplomatic"
    HUMANITARIAN = "humanitarian", "humanitarian"


class MeasureStatusChoices(models.TextChoices):
    PROPOSED = "proposed", "proposed"
    ANNOUNCED = "announced", "announced"
    AGREED = "agreed", "agreed"
    SIGNED = "signed", "signed"
    IN_FORCE = "in-force", "in force"
    SUSPENDED = "suspended", "suspended"
    ABANDONED = "abandoned", "abandoned"
    SUPERSEDED = "superseded", "superseded"


class MeasureLinkKind(models.TextChoices):
    AMENDS = "amends", "amends"
    SUPPLEMENTS = "supplements", "supplements"
    SUPERSEDES = "supersedes", "supersedes"
    IMPLEMENTS = "implements", "implements"


# The optional policy coding of a measure, after the migration-policy databases (DEMIG POLICY,
# CoronaNet); the codebook is in docs/article-format.md.
class PolicyArea(models.TextChoices):
    BORDER_CONTROL = "border-control", "border control"
    ASYLUM = "asylum", "asylum"
    RECEPTION = "reception", "reception and accommodation"
    INTEGRATION = "integration", "integration"
    ENFORCEMENT = "enforcement", "enforcement and removal"
    COOPERATION = "cooperation", "international cooperation"


class PolicyDirection(models.TextChoices):
    MORE_RESTRICTIVE = "more-restrictive", "more restrictive"
    LESS_RESTRICTIVE = "less-restrictive", "less restrictive"
    NEUTRAL = "neutral", "neither"


class TargetGroup(models.TextChoices):
    ALL_MIGRANTS = "all-migrants", "all migrants"
    IRREGULAR_MIGRANTS = "irregular-migrants", "irregular migrants"
    ASYLUM_SEEKERS = "asylum-seekers", "asylum seekers"
    REFUGEES = "refugees", "refugees"
    UNACCOMPANIED_MINORS = "unaccompanied-minors", "unaccompanied minors"
    SMUGGLERS = "smugglers", "smugglers"
    CARRIERS = "carriers", "carriers and hauliers"


class EventStatus(models.TextChoices):
    HAPPENED = "happened", "happened"
    PLANNED = "planned", "planned"
    EXPECTED = "expected", "expected"
    CANCELLED = "cancelled", "cancelled"


class StatementKind(models.TextChoices):
    QUOTATION = "quotation", "verbatim quotation"
    REPORTED = "reported", "reported speech"


SLUG_PLACEHOLDER = "__slug__"


@functools.cache
def _reversed(url_name, script_prefix, **kwargs):
    return reverse(url_name, kwargs=kwargs)


def url_maker(url_name):
    """A function from a slug to its URL under ``url_name``, for many links at once."""
    path = _reversed(url_name, get_script_prefix(), slug=SLUG_PLACEHOLDER)
    before, _, after = path.partition(SLUG_PLACEHOLDER)
    return lambda slug: f"{before}{slug}{after}"


def site_url(url_name, slug=None):
    """``reverse(url_name)``, or with ``kwargs={"slug": slug}``, at the cost of a string join.

    A table or timeline page links every record, actor and source it shows, and reverse() is
    slow next to a string join. A slug is URL-safe as it is, so each path is reversed once per
    URL name (and script prefix), with a placeholder for the slug.
    """
    if slug is None:
        return _reversed(url_name, get_script_prefix())
    return url_maker(url_name)(slug)


def place_url(slug):
    """A place's page: the events there, and what was decided or said about them."""
    return site_url("timeline:place-detail", slug)


def choices_constraint(field, choices, name, blank=False):
    condition = models.Q(**{f"{field}__in": choices.values})
    if blank:
        condition |= models.Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=name)


PASSAGE_MAX_LENGTH = 300

currency_code = RegexValidator(
    r"^[A-Z]{3}$", "An ISO 4217 currency code: three capital letters, such as GBP or EUR."
)


def passages_field(related_name):
    return models.ManyToManyField(
        "Passage",
        related_name=related_name,
        blank=True,
        help_text="The passages of its sources it rests on.",
    )


def reviewed_field():
    return models.BooleanField(
        "reviewed",
        default=True,
        help_text="Unticked for a draft: shown as unreviewed until an editor has checked it.",
    )


class SlugQuerySet(models.QuerySet):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def count_of(queryset, field):
    """A subquery counting the rows of ``queryset`` whose ``field`` is the outer row."""
    counted = (
        queryset.filter(**{field: models.OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(count=models.Count("pk"))
        .values("count")
    )
    return Coalesce(models.Subquery(counted), 0)


def one_or_any(field, value):
    """A Q for ``field`` being ``value``: one record, or any record of a queryset."""
    if isinstance(value, models.QuerySet):
        return models.Q(**{f"{field}__in": value.values("pk")})
    return models.Q(**{field: value})


class SourceQuerySet(SlugQuerySet):
    def search(self, q):
        """Sources whose title or publisher match ``q``, best first (timeline.search)."""
        return text_search.search(self, q)

    def matching(self, words):
        """Sources whose title or publisher match ``words`` (a search field's), unranked and
        usable as a subquery (timeline.search.matches)."""
        return text_search.matches(self, words)

    def with_counts(self):
        return self.annotate(
            event_count=count_of(Event.sources.through.objects, "source"),
            measure_count=count_of(Measure.sources.through.objects, "source"),
            statement_count=count_of(Statement.sources.through.objects, "source"),
        )


class ActorQuerySet(SlugQuerySet):
    def search(self, q):
        """Actors whose name or description match ``q``, best first, and actors one of whose
        other names holds every word of ``q`` (timeline.search)."""
        words = text_search.words(q)
        by_alias = self.named_by_alias(words) if words else None
        return text_search.search(self, q, also=by_alias)

    @staticmethod
    def named_by_alias(words):
        """A Q for actors one of whose other names holds every one of ``words``."""
        return models.Q(*(models.Q(aliases__icontains=word) for word in words))

    def named(self, words):
        """Actors whose name, or other names, hold every one of ``words`` (any case)."""
        by_name = models.Q(*(models.Q(name__icontains=word) for word in words))
        return self.filter(by_name | self.named_by_alias(words)) if words else self.none()

    def with_counts(self):
        return self.annotate(
            event_count=count_of(Participation.objects, "actor"),
            measure_count=Coalesce(
                models.Subquery(
                    # Two levels out: the actor of the measure of the link.
                    Measure.objects.concerning(models.OuterRef(models.OuterRef("pk")))
                    .order_by()
                    .annotate(count=models.Func("pk", function="COUNT"))
                    .values("count")
                ),
                0,
            ),
            statement_count=count_of(Statement.objects, "speaker"),
        )

    def with_relations(self):
        return self.prefetch_related(
            models.Prefetch("roles", queryset=Role.objects.select_related("organisation"))
        )


class DatedQuerySet(SlugQuerySet):
    """Reads shared by dated records; each subclass adds search(), for_actor(), in_category()."""

    def entries(self):
        """The rows the timeline shows as entries of their own: all of them, but status changes
        dated as their measure is."""
        return self.all()

    def in_range(self, start=None, end=None):
        """Records whose period overlaps ``start``–``end`` (both included; either may be None)."""
        queryset = self
        if start:
            queryset = queryset.filter(dates.ends_on_or_after(start))
        if end:
            queryset = queryset.filter(date__lte=end)
        return queryset

    def from_source(self, source):
        """Records citing ``source``: a Source, or any source of a queryset of them."""
        if isinstance(source, models.QuerySet):
            links = self.model.sources.through.objects.filter(one_or_any("source", source))
            return self.filter(pk__in=links.values(self.model._meta.model_name))
        return self.filter(sources=source)

    def with_relations(self):
        """What a list shows of each record, but its actors and sources (timeline.links)."""
        return self

    def chronological(self):
        return self.order_by("date", "date_width", "slug")


class EventQuerySet(DatedQuerySet):
    def with_relations(self):
        """What a list shows of each event, but its actors and sources (timeline.links)."""
        return self.select_related("place")

    def with_details(self):
        """Everything the event's own page shows."""
        return self.select_related("place").prefetch_related(
            models.Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor", "role").order_by(
                    "actor__name"
                ),
            ),
            "sources",
            models.Prefetch(
                "observations", queryset=Observation.objects.select_related("indicator")
            ),
            "measures",
            models.Prefetch(
                "statements",
                queryset=Statement.objects.select_related("speaker").chronological(),
            ),
        )

    def search(self, q):
        """Events whose title or summary match ``q``, best first (timeline.search)."""
        return text_search.search(self, q)

    def for_actor(self, actor):
        return self.filter(pk__in=Participation.objects.filter(actor=actor).values("event"))

    def at_place(self, place):
        """Events at ``place``: a Place, or any place of a queryset of them."""
        return self.filter(one_or_any("place", place))

    def in_category(self, category):
        """Events that proposed, announced or agreed a measure of this category."""
        links = Measure.events.through.objects.filter(measure__category=category)
        return self.filter(pk__in=links.values("event"))


class MeasureQuerySet(DatedQuerySet):
    def with_details(self):
        return self.prefetch_related(
            "responsible",
            "sources",
            models.Prefetch("events", queryset=Event.objects.chronological()),
            models.Prefetch(
                "statements",
                queryset=Statement.objects.select_related("speaker").chronological(),
            ),
        )

    def search(self, q):
        """Measures whose title or description match ``q``, best first (timeline.search)."""
        return text_search.search(self, q)

    def for_actor(self, actor):
        return self.concerning(actor)

    def concerning(self, actor):
        """Measures ``actor`` (an Actor or its pk) is responsible for, and measures proposed,
        announced or agreed at an event they took part in."""
        return self.filter(
            models.Q(pk__in=_responsible_for(actor).values("measure"))
            | models.Q(pk__in=_at_events_of(actor).values("measure"))
        )

    def with_concern(self, actor):
        """Each measure annotated with how it concerns ``actor``: ``actor_responsible`` and
        ``actor_at_event``, both booleans."""
        measure = models.OuterRef("pk")
        return self.annotate(
            actor_responsible=models.Exists(_responsible_for(actor).filter(measure=measure)),
            actor_at_event=models.Exists(_at_events_of(actor).filter(measure=measure)),
        )

    def in_category(self, category):
        return self.filter(category=category)

    def with_status_on(self, day):
        """Each measure annotated with ``status_then``: its status on ``day`` (the latest of its
        status changes by then), or "" if it had none yet."""
        from .measure_status import latest_status

        return self.annotate(status_then=Coalesce(latest_status(day), models.Value("")))

    def in_status_on(self, status, day):
        """The measures whose status on ``day`` was ``status``: "in force on 1 January 2016"."""
        return self.with_status_on(day).filter(status_then=status)

    def at_place(self, place):
        """Measures proposed, announced or agreed at an event at ``place`` (a Place, or any
        place of a queryset of them)."""
        links = Measure.events.through.objects.filter(one_or_any("event__place", place))
        return self.filter(pk__in=links.values("measure"))


def _responsible_for(actor):
    """The (measure, actor) links of the measures ``actor`` is responsible for."""
    return Measure.responsible.through.objects.filter(actor=actor)


def _at_events_of(actor):
    """The (measure, event) links of the events ``actor`` took part in."""
    return Measure.events.through.objects.filter(event__participations__actor=actor)


class StatementQuerySet(DatedQuerySet):
    def with_relations(self):
        """What a list shows of each statement, but its sources (timeline.links)."""
        return self.select_related("speaker", "speaker_role")

    def with_details(self):
        return self.select_related("speaker", "speaker_role").prefetch_related(
            "sources",
            models.Prefetch("events", queryset=Event.objects.chronological()),
            models.Prefetch("measures", queryset=Measure.objects.chronological()),
        )

    def search(self, q):
        """Statements whose words match ``q`` (best first), and statements by a speaker whose
        name holds every word of ``q``.

        The speakers are looked up first, in a query of their own (a few hundred actors): as a
        subquery ORed with the text match, they kept PostgreSQL from using the full-text index,
        and it read every statement.
        """
        words = text_search.words(q)
        named = Actor.objects.named(words)
        speakers = list(named.values_list("pk", flat=True)) if words else []
        by_speaker = models.Q(speaker__in=speakers) if speakers else None
        return text_search.search(self, q, also=by_speaker)

    def for_actor(self, actor):
        return self.filter(speaker=actor)

    def in_category(self, category):
        """Statements about a measure of this category."""
        links = Statement.measures.through.objects.filter(measure__category=category)
        return self.filter(pk__in=links.values("statement"))

    def at_place(self, place):
        """Statements about an event at ``place`` (a Place, or any place of a queryset of
        them)."""
        links = Statement.events.through.objects.filter(one_or_any("event__place", place))
        return self.filter(pk__in=links.values("statement"))


class SluggedModel(models.Model):
    slug = models.SlugField(
        "slug",
        max_length=120,
        unique=True,
        help_text="Unique identifier used in URLs and fixtures.",
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)


class DatedModel(dates.DisplayedDate, models.Model):
    """A record dated as precisely as its source allows (see timeline.dates)."""

    date = models.DateField(
        "date",
        db_index=True,
        help_text="First day of the period: the day itself, the Monday of a week, the 1st, 11th "
        "or 21st for early, mid or late in a month, the 1st of a month, 1 January of a year.",
    )
    date_precision = models.CharField(
        "date precision",
        max_length=12,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the source dates it.",
    )
    # Kept by the database from date_precision: the timeline's order (date, then the widest
    # period first) is then a range of an index, not a sort of every row. Not in
    # fixtures or backups, which carry the precision it is derived from.
    date_width = models.GeneratedField(
        verbose_name="date width",
        expression=dates.width_rank(),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        serialize=False,
        help_text="The period's width as a rank, widest first (timeline.dates.WIDTH_ORDER).",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = self.rule_errors()
        if errors:
            raise ValidationError(errors)

    def rule_errors(self):
        """{field: [message]} for every rule of the record it breaks, all of them at once, so
        that a form (or an import) shows every mistake in one pass. Subclasses add theirs."""
        errors = {}
        precision = self.date_precision
        if (
            self.date
            and precision in DatePrecision.values
            and not dates.is_period_start(self.date, precision)
        ):
            expected = dates.expected_start(self.date, precision)
            label = DatePrecision(precision).label
            errors["date"] = [
                f"With the precision “{label}” the date must be the first day of "
                f"the period: {expected.isoformat()}, not {self.date.isoformat()}."
            ]
        return errors


def precision_constraint(name):
    return choices_constraint("date_precision", DatePrecision, name)


def covering_index(fields, name, include=("id",), condition=None):
    """An index on ``fields`` that also holds ``include``, so that a query reading no other
    column answers from the index alone.

    On PostgreSQL that is an index-only scan: a deep table page skips thousands of index entries
    without visiting the table once for each (for the rows' ids), and the timeline filters on
    the precision there too. SQLite ends every index with the rowid, which is the id: it covers
    these queries already, and Django leaves out the columns it cannot include (the check that
    says so, models.W040, is silenced in the settings).
    """
    return models.Index(fields=fields, include=list(include), name=name, condition=condition)


def chronological_index(name, condition=None):
    """The timeline's order (date, widest period first, slug), covering what its index query
    reads and filters on (timeline.public.entries); of the rows matching ``condition`` only."""
    return covering_index(
        ["date", "date_width", "slug"], name, ("id", "date_precision"), condition=condition
    )


class Source(SluggedModel):
    title = models.CharField("title", max_length=300)
    publisher = models.CharField(
        "publisher",
        max_length=200,
        blank=True,
        help_text="For example “AFP”; empty when the article names none.",
    )
    published_on = models.DateField("publication date", db_index=True)
    url = models.URLField("URL", max_length=500, blank=True, help_text="Where it can be read.")
    archived_url = models.URLField(
        "archived copy",
        max_length=500,
        blank=True,
        help_text="An archived copy (the Wayback Machine, archive.today), should the URL go.",
    )
    retrieved_on = models.DateField(
        "retrieved on", null=True, blank=True, help_text="When the URL was last read."
    )
    language = models.CharField(
        "language", max_length=10, default="en", help_text="IETF language tag, e.g. “en”, “fr”."
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["published_on", "title"]
        # The sorts a table offers, each ended by its tie-breaker (timeline.paging).
        indexes = [
            models.Index(fields=["published_on", "title", "id"], name="source_published_title"),
        ]
        verbose_name = "source"
        verbose_name_plural = "sources"

    def __str__(self):
        return f"{self.publisher_display}, {self.published_on:%-d %B %Y}: {self.title}"

    def get_absolute_url(self):
        return site_url("timeline:source-detail", self.slug)

    @property
    def publisher_display(self):
        return self.publisher or "publisher unknown"


class PassageQuerySet(SlugQuerySet):
    def with_relations(self):
        return self.select_related("source")


class Passage(SluggedModel):
    """A short excerpt of a source in its own words, which records cite as their evidence."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="passages")
    paragraph = models.PositiveIntegerField(
        "paragraph", help_text="The paragraph of the source it is in, counting from 1."
    )
    text = models.CharField(
        "text",
        max_length=PASSAGE_MAX_LENGTH,
        help_text=f"At most {PASSAGE_MAX_LENGTH} characters, exactly as printed.",
    )

    objects = PassageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "paragraph", "slug"]
        verbose_name = "passage"
        verbose_name_plural = "passages"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(paragraph__gte=1), name="passage_paragraph_from_one"
            ),
            # A passage is an excerpt, not a copy of the article.
            models.CheckConstraint(
                condition=models.lookups.LessThanOrEqual(Length("text"), PASSAGE_MAX_LENGTH),
                name="passage_text_short",
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"¶{self.paragraph}: {text}"

    def get_absolute_url(self):
        return site_url("timeline:passage-detail", self.slug)

    def clean_fields(self, exclude=None):
        # Said before the field's own "at most 300 characters", with what to do about it.
        if (exclude is None or "text" not in exclude) and len(self.text) > PASSAGE_MAX_LENGTH:
            raise ValidationError(
                {
                    "text": f"A passage is at most {PASSAGE_MAX_LENGTH} characters, not "
                    f"{len(self.text)}: cite a shorter excerpt, or two."
                }
            )
        super().clean_fields(exclude=exclude)


class Actor(SluggedModel):
    Kind = ActorKind

    name = models.CharField("name", max_length=200)
    kind = models.CharField("kind", max_length=20, choices=Kind.choices)
    country = CountryField("country", blank=True)
    description = models.TextField("description", blank=True)
    aliases = models.TextField(
        "other names",
        blank=True,
        help_text="Other names the sources use for the same actor, one a line: “May”, “Mrs May”. "
        "Not a title (“the Home Secretary”), which belongs to a role.",
    )

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "actor"
        verbose_name_plural = "actors"
        constraints = [
            choices_constraint("kind", ActorKind, "actor_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return site_url("timeline:actor-detail", self.slug)

    @property
    def alias_list(self):
        """The other names, one a line, without blanks or repeats (in their order)."""
        seen = {}
        for line in self.aliases.splitlines():
            name = " ".join(line.split())
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name
        return list(seen.values())


class RoleQuerySet(SlugQuerySet):
    def held_by(self, actor):
        return self.filter(actor=actor)

    def held_during(self, first, last):
        """Roles held on any day from ``first`` to ``last`` (Role.held_during, as a filter)."""
        return self.filter(
            (models.Q(start__isnull=True) | models.Q(start__lte=last))
            & (models.Q(end__isnull=True) | models.Q(end__gte=first))
        )

    def fitting(self, actor, date=None, precision=DatePrecision.DAY):
        """The roles of ``actor`` a record dated ``date`` (to ``precision``) may name: those held
        at any time in its period; all the actor's roles while there is no date."""
        roles = self.held_by(actor)
        if date is None or precision not in DatePrecision.values:
            return roles
        return roles.held_during(date, dates.period_end(date, precision))


class Role(SluggedModel):
    """A position an actor held for a time: Theresa May was Home Secretary, then Prime Minister."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField("title", max_length=200, help_text="For example “Home Secretary”.")
    organisation = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="member_roles",
        null=True,
        blank=True,
        help_text="The body the role belongs to, if it is an actor in the timeline.",
    )
    start = models.DateField(
        "from", null=True, blank=True, help_text="The first day of its period, as for a date."
    )
    start_precision = models.CharField(
        "from: precision",
        max_length=12,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="“Took office last year”: the year.",
    )
    end = models.DateField("until", null=True, blank=True, help_text="Empty while it lasts.")
    end_precision = models.CharField(
        "until: precision",
        max_length=12,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    passages = passages_field("roles")

    objects = RoleQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[passages])

    class Meta:
        ordering = ["actor__name", "start"]
        verbose_name = "role"
        verbose_name_plural = "roles"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="role_ends_after_it_starts",
            ),
            choices_constraint("start_precision", DatePrecision, "role_start_precision_valid"),
            choices_constraint("end_precision", DatePrecision, "role_end_precision_valid"),
        ]

    def __str__(self):
        return f"{self.actor.name}, {self.title}"

    def get_absolute_url(self):
        return self.actor.get_absolute_url()

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "A role cannot end before it starts."})
        for field in ("start", "end"):
            day, precision = getattr(self, field), getattr(self, f"{field}_precision")
            if (
                day
                and precision in DatePrecision.values
                and not dates.is_period_start(day, precision)
            ):
                expected = dates.expected_start(day, precision)
                raise ValidationError(
                    {
                        field: f"With the precision “{DatePrecision(precision).label}” the date "
                        f"must be the first day of the period: {expected.isoformat()}."
                    }
                )

    @property
    def last_day(self):
        """The last day the role may have been held: the end of its end's period."""
        if self.end is None:
            return None
        if self.end_precision not in DatePrecision.values:
            return self.end
        return dates.period_end(self.end, self.end_precision)

    def held_on(self, day):
        return self.held_during(day, day)

    def held_during(self, first, last):
        """Whether the role may have been held on any day from ``first`` to ``last``: a record
        dated "2016" fits a role that began in July 2016, and a role that ended "in 2016" may
        have been held on any day of it."""
        return (self.start is None or self.start <= last) and (
            self.end is None or first <= self.last_day
        )

    @property
    def term_display(self):
        """The role's term in words: "held from 13 July 2016 to 24 July 2019"."""
        start = self.start and dates.display(self.start, self.start_precision)
        end = self.end and dates.display(self.end, self.end_precision)
        if start and end:
            return f"held from {start} to {end}"
        if start:
            return f"held from {start}"
        if end:
            return f"held until {end}"
        return "held at any time"

    def misfit_for(self, dated, whose=""):
        """Why the role does not fit the period of ``dated`` (a dated record), or None if it does.

        A coarse date fits when its period overlaps the role's term, not only its first day.
        """
        if not dated.date or dated.date_precision not in DatePrecision.values:
            return None
        last = dates.period_end(dated.date, dated.date_precision)
        if self.held_during(dated.date, last):
            return None
        if dated.date_precision == DatePrecision.DAY:
            when = f"on {dated.date_display}"
        elif dated.date_precision == DatePrecision.WEEK:
            when = f"at any time in the {dated.date_display}"
        else:
            when = f"at any time in {dated.date_display}"
        return f"{self} was not held {when}{whose}; {self.term_display}."


class PlaceQuerySet(SlugQuerySet):
    def matching(self, words):
        """Places whose name holds every one of ``words`` (any case): a few dozen places."""
        every_word = [models.Q(name__icontains=word) for word in text_search.words(words)]
        return self.filter(*every_word) if every_word else self.none()


class Place(SluggedModel):
    name = models.CharField("name", max_length=200)
    country = CountryField("country", blank=True, help_text="Empty for places in several.")
    description = models.TextField("description", blank=True)

    objects = PlaceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "place"
        verbose_name_plural = "places"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return place_url(self.slug)


class Event(SluggedModel, DatedModel):
    """Something that happened or was reported, summarised in the project's own words."""

    Status = EventStatus

    title = models.CharField("title", max_length=300)
    summary = models.TextField("summary", blank=True)
    status = models.CharField(
        "status",
        max_length=12,
        choices=Status.choices,
        default=Status.HAPPENED,
        help_text="Whether it happened, or was planned, expected or cancelled when reported.",
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="events", null=True, blank=True
    )
    actors = models.ManyToManyField(
        Actor, through="Participation", related_name="events", blank=True
    )
    sources = models.ManyToManyField(Source, related_name="events")
    passages = passages_field("events")
    reviewed = reviewed_field()

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources, passages], excluded_fields=["date_width"])

    class Meta:
        ordering = ["date", "slug"]
        # The table's sorts, each ended by its tie-breaker: deep pages scan these alone.
        indexes = [
            covering_index(["date", "slug"], "event_date_slug"),
            chronological_index("event_chronological"),
            # The timeline's histogram counts by month and precision from this index alone.
            models.Index(fields=["date", "date_precision"], name="event_date_precision"),
            models.Index(fields=["title", "id"], name="event_title_id"),
        ]
        verbose_name = "event"
        verbose_name_plural = "events"
        constraints = [
            precision_constraint("event_date_precision_valid"),
            choices_constraint("status", EventStatus, "event_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return site_url("timeline:event-detail", self.slug)


class ParticipationQuerySet(models.QuerySet):
    def get_by_natural_key(self, event_slug, actor_slug):
        return self.get(event__slug=event_slug, actor__slug=actor_slug)


class Participation(models.Model):
    """An actor's part in an event, and the role they held then."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    capacity = models.CharField(
        "capacity",
        max_length=100,
        help_text="In what capacity the actor took part: “announced”, “visited”, “signatory”…",
    )
    role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )

    objects = ParticipationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "actor__name"]
        verbose_name = "participation"
        verbose_name_plural = "participations"
        constraints = [
            models.UniqueConstraint(fields=["event", "actor"], name="participation_unique"),
        ]
        # An actor's events, from the index alone (the unique constraint leads with the event).
        indexes = [models.Index(fields=["actor", "event"], name="participation_actor_event")]

    def __str__(self):
        return f"{self.actor} ({self.capacity}) in {self.event}"

    def get_absolute_url(self):
        return self.event.get_absolute_url()

    def natural_key(self):
        return self.event.natural_key() + self.actor.natural_key()

    natural_key.dependencies = ["timeline.event", "timeline.actor"]

    def clean(self):
        super().clean()
        if self.role_id and self.actor_id and self.role.actor_id != self.actor_id:
            raise ValidationError({"role": "The role must be one the actor held."})
        event = self.event if self.event_id or "event" in self._state.fields_cache else None
        if self.role_id and event is not None:
            misfit = self.role.misfit_for(event, whose=", the event's date")
            if misfit:
                raise ValidationError({"role": misfit})


class Measure(SluggedModel, DatedModel):
    """A policy measure, dated when it was first proposed or announced."""

    Category = MeasureCategory
    Status = MeasureStatusChoices
    PolicyArea = PolicyArea
    Direction = PolicyDirection
    TargetGroup = TargetGroup

    title = models.CharField("title", max_length=300)
    description = models.TextField("description", blank=True)
    category = models.CharField("category", max_length=30, choices=Category.choices)
    # The status of its latest status change, kept by timeline.measure_status on every write of
    # one: tables, filters and sorts read a column rather than a subquery a row. Not in files,
    # which carry the status changes it is derived from.
    status = models.CharField(
        "current status",
        max_length=20,
        choices=Status.choices,
        blank=True,
        editable=False,
        serialize=False,
        help_text="The status of its latest status change; empty without one.",
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="measures", null=True, blank=True
    )
    cost_amount = models.DecimalField(
        "cost", max_digits=16, decimal_places=2, null=True, blank=True
    )
    cost_currency = models.CharField(
        "currency",
        max_length=3,
        blank=True,
        validators=[currency_code],
        help_text="ISO 4217, such as GBP or EUR.",
    )
    policy_area = models.CharField(
        "policy area", max_length=30, choices=PolicyArea.choices, blank=True
    )
    direction = models.CharField(
        "direction",
        max_length=20,
        choices=PolicyDirection.choices,
        blank=True,
        help_text="Whether it makes migration policy more or less restrictive.",
    )
    target_group = models.CharField(
        "target group", max_length=30, choices=TargetGroup.choices, blank=True
    )
    responsible = models.ManyToManyField(
        Actor, related_name="measures", blank=True, help_text="Who is to carry it out."
    )
    events = models.ManyToManyField(
        Event,
        related_name="measures",
        blank=True,
        help_text="The events that proposed, announced or agreed it.",
    )
    sources = models.ManyToManyField(Source, related_name="measures")
    passages = passages_field("measures")
    reviewed = reviewed_field()

    objects = MeasureQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[responsible, events, sources, passages],
        excluded_fields=["date_width", "status"],
    )

    class Meta:
        ordering = ["date", "slug"]
        indexes = [
            covering_index(["date", "slug"], "measure_date_slug"),
            chronological_index("measure_chronological"),
            models.Index(fields=["date", "date_precision"], name="measure_date_precision"),
        ]
        verbose_name = "measure"
        verbose_name_plural = "measures"
        constraints = [
            precision_constraint("measure_date_precision_valid"),
            choices_constraint("category", MeasureCategory, "measure_category_valid"),
            choices_constraint("status", MeasureStatusChoices, "measure_status_valid", blank=True),
            choices_constraint("policy_area", PolicyArea, "measure_policy_area_valid", blank=True),
            choices_constraint("direction", PolicyDirection, "measure_direction_valid", blank=True),
            choices_constraint(
                "target_group", TargetGroup, "measure_target_group_valid", blank=True
            ),
            # A currency says what an amount is in; there is none without an amount.
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=False) | models.Q(cost_currency=""),
                name="measure_currency_needs_a_cost",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=True) | models.Q(cost_amount__gte=0),
                name="measure_cost_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return site_url("timeline:measure-detail", self.slug)

    def clean(self):
        super().clean()
        if self.cost_currency and self.cost_amount is None:
            raise ValidationError({"cost_currency": "A currency needs a cost to go with it."})

    def status_on(self, day):
        """The status that was true on ``day`` (its latest status change by then), or ""."""
        latest = self.status_changes.as_of(day).latest_first().first()
        return latest.status if latest else ""

    def latest_status(self):
        """The status of its latest status change, from the database, or ""."""
        latest = self.status_changes.latest_first().first()
        return latest.status if latest else ""


class MeasureStatusQuerySet(DatedQuerySet):
    def entries(self):
        """The changes the timeline shows as entries of their own (``has_entry``)."""
        return self.filter(has_entry=True)

    def as_of(self, day):
        """The status changes known by ``day``: those whose date (the first day of their period)
        is on or before it."""
        return self.filter(date__lte=day)

    def latest_first(self):
        """The timeline's order reversed: the latest change first, and of one day, the
        narrowest date ("by" the day) first."""
        return self.order_by("-date", "-date_width", "-slug")

    def with_relations(self):
        return self.select_related("measure")


class MeasureStatus(SluggedModel, DatedModel):
    """A dated change of a measure's status: announced on 20 August 2015, in force by 2016."""

    Status = MeasureStatusChoices

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField("status", max_length=20, choices=Status.choices)
    passages = passages_field("status_changes")
    # Derived from the measure's date and kept by timeline.measure_status, so that the timeline
    # reads its status changes from an index without joining every one to its measure.
    has_entry = models.BooleanField(
        "has an entry of its own",
        default=True,
        editable=False,
        serialize=False,
        help_text="False when it is dated as its measure is: the measure's entry shows it.",
    )

    objects = MeasureStatusQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[passages], excluded_fields=["date_width", "has_entry"])

    class Meta:
        ordering = ["measure", "date", "date_width", "slug"]
        indexes = [
            models.Index(fields=["measure", "date", "date_width"], name="measure_status_latest"),
            chronological_index("measure_status_chronological"),
            chronological_index("measure_status_entries", condition=models.Q(has_entry=True)),
        ]
        verbose_name = "status change"
        verbose_name_plural = "status changes"
        constraints = [
            precision_constraint("measure_status_date_precision_valid"),
            choices_constraint("status", MeasureStatusChoices, "measure_status_status_valid"),
        ]

    def __str__(self):
        measure = self.measure.title if self.measure_id else "?"
        return f"{measure}: {self.get_status_display()} ({self.date_display})"

    def get_absolute_url(self):
        return self.measure.get_absolute_url()


class MeasureLink(SluggedModel):
    """A measure's bearing on another: the Sandhurst treaty supplements the Le Touquet accord.

    ``measure.links`` are what it does to others, ``measure.linked_from`` what others do to it.
    """

    Kind = MeasureLinkKind

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="links",
        help_text="The measure that amends, supplements, supersedes or implements the other.",
    )
    kind = models.CharField("kind", max_length=12, choices=Kind.choices)
    target = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="linked_from", verbose_name="other measure"
    )
    passages = passages_field("measure_links")

    history = HistoricalRecords(m2m_fields=[passages])

    class Meta:
        ordering = ["measure", "kind", "target"]
        verbose_name = "measure link"
        verbose_name_plural = "measure links"
        constraints = [
            choices_constraint("kind", MeasureLinkKind, "measure_link_kind_valid"),
            models.UniqueConstraint(
                fields=["measure", "kind", "target"], name="measure_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(measure=models.F("target")),
                name="measure_link_not_to_itself",
            ),
        ]

    def __str__(self):
        return f"{self.measure} {self.get_kind_display()} {self.target}"

    def get_absolute_url(self):
        return self.measure.get_absolute_url()

    def clean(self):
        super().clean()
        if self.measure_id and self.measure_id == self.target_id:
            raise ValidationError({"target": "A measure cannot link to itself."})


class Statement(SluggedModel, DatedModel):
    """What an actor said: a verbatim quotation or reported speech."""

    Kind = StatementKind

    text = models.TextField(
        "words",
        help_text="A quotation exactly as printed, or reported speech as the source has it.",
    )
    kind = models.CharField("kind", max_length=10, choices=Kind.choices)
    speaker = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="statements",
        null=True,
        blank=True,
        help_text="Empty when the source names no one: then the attribution as printed says who.",
    )
    attributed_as = models.CharField(
        "attributed as",
        max_length=200,
        blank=True,
        help_text="The attribution as printed: “a Downing Street spokesperson”.",
    )
    joint_speakers = models.ManyToManyField(
        Actor,
        related_name="joint_statements",
        blank=True,
        help_text="The others a joint declaration is attributed to.",
    )
    speaker_role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        related_name="statements",
        null=True,
        blank=True,
        help_text="The role the speaker held when speaking.",
    )
    events = models.ManyToManyField(Event, related_name="statements", blank=True)
    measures = models.ManyToManyField(Measure, related_name="statements", blank=True)
    sources = models.ManyToManyField(Source, related_name="statements")
    passages = passages_field("statements")
    reviewed = reviewed_field()

    objects = StatementQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[events, measures, sources, passages, joint_speakers],
        excluded_fields=["date_width"],
    )

    class Meta:
        ordering = ["date", "slug"]
        indexes = [
            covering_index(["date", "slug"], "statement_date_slug"),
            chronological_index("statement_chronological"),
            models.Index(fields=["date", "date_precision"], name="statement_date_precision"),
            # A speaker's statements per month, from the index alone.
            models.Index(
                fields=["speaker", "date", "date_precision"], name="statement_speaker_dated"
            ),
        ]
        verbose_name = "statement"
        verbose_name_plural = "statements"
        constraints = [
            precision_constraint("statement_date_precision_valid"),
            choices_constraint("kind", StatementKind, "statement_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(speaker__isnull=False) | ~models.Q(attributed_as=""),
                name="statement_has_a_speaker_or_an_attribution",
                # A constraint rather than a rule of clean(): validation skips it when the
                # speaker could not be read (an import's unknown slug), which is problem enough.
                violation_error_message=(
                    "Without a speaker, say who as printed: “a British official”."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(speaker_role__isnull=True) | models.Q(speaker__isnull=False),
                name="statement_role_has_its_speaker",
                violation_error_message="A role needs the speaker who held it.",
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        if self.speaker_id:
            return f"{self.speaker}: {text}"
        return f"{self.attributed_as}: {text}" if self.attributed_as else text

    def get_absolute_url(self):
        return site_url("timeline:statement-detail", self.slug)

    def rule_errors(self):
        errors = super().rule_errors()
        if self.speaker_role_id and self.speaker_id:
            if self.speaker_role.actor_id != self.speaker_id:
                errors["speaker_role"] = ["The role must be one the speaker held."]
            elif "date" not in errors:
                misfit = self.speaker_role.misfit_for(self)
                if misfit:
                    errors["speaker_role"] = [misfit]
        return errors


class IndicatorQuerySet(SlugQuerySet):
    def with_observation_dates(self):
        """Each indicator with ``observation_count`` and the dates of its first and last
        observations, ``first_date`` and ``last_date`` (None without any), as subqueries: a
        table page reads them for its rows only."""
        observations = Observation.objects.filter(indicator=models.OuterRef("pk"))
        return self.annotate(
            observation_count=count_of(Observation.objects, "indicator"),
            first_date=models.Subquery(observations.order_by("date").values("date")[:1]),
            last_date=models.Subquery(observations.order_by("-date").values("date")[:1]),
        )


class Indicator(SluggedModel):
    """What is counted or measured: attempts to enter the Channel Tunnel a night, people camped
    in Calais, funding committed. Observations from any article line up on its series."""

    name = models.CharField("name", max_length=200)
    unit = models.CharField(
        "unit", max_length=50, blank=True, help_text="For example “attempts a night”, “people”."
    )
    currency = models.CharField(
        "currency",
        max_length=3,
        blank=True,
        validators=[currency_code],
        help_text="ISO 4217, such as GBP or EUR, for amounts of money.",
    )
    description = models.TextField("description", blank=True)

    objects = IndicatorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "indicator"
        verbose_name_plural = "indicators"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return site_url("timeline:indicator-detail", self.slug)


class ObservationQuerySet(DatedQuerySet):
    def with_relations(self):
        return self.select_related("indicator", "reported_by", "event", "measure")


class Observation(SluggedModel, DatedModel):
    """One reported value of an indicator, for the date it holds for: a value or a range, as
    the source printed it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="observations")
    value = models.DecimalField("value", max_digits=20, decimal_places=2, null=True, blank=True)
    low = models.DecimalField(
        "low", max_digits=20, decimal_places=2, null=True, blank=True, help_text="Of a range."
    )
    high = models.DecimalField(
        "high", max_digits=20, decimal_places=2, null=True, blank=True, help_text="Of a range."
    )
    approximate = models.BooleanField(
        "approximate", default=False, help_text="The source says “some”, “around”, “about”."
    )
    as_printed = models.CharField(
        "as printed",
        max_length=200,
        blank=True,
        help_text="The words as printed: “several hundred”, “around 150”.",
    )
    reported_by = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="observations",
        null=True,
        blank=True,
        help_text="Who gave the figure, if the source says.",
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="observations", null=True, blank=True
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="observations", null=True, blank=True
    )
    sources = models.ManyToManyField(Source, related_name="observations")
    passages = passages_field("observations")
    reviewed = reviewed_field()

    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources, passages], excluded_fields=["date_width"])

    class Meta:
        ordering = ["indicator", "date", "slug"]
        indexes = [
            models.Index(fields=["indicator", "date", "date_width"], name="observation_series"),
            chronological_index("observation_chronological"),
        ]
        verbose_name = "observation"
        verbose_name_plural = "observations"
        constraints = [
            precision_constraint("observation_date_precision_valid"),
            # A value, or a range with both ends, or both.
            models.CheckConstraint(
                condition=models.Q(value__isnull=False)
                | models.Q(low__isnull=False, high__isnull=False),
                name="observation_has_a_value",
            ),
            models.CheckConstraint(
                condition=models.Q(low__isnull=True)
                | models.Q(high__isnull=True)
                | models.Q(low__lte=models.F("high")),
                name="observation_range_ordered",
            ),
        ]

    def __str__(self):
        if self.as_printed:
            amount = self.as_printed
        else:
            about = "about " if self.approximate else ""
            amount = f"{about}{self.amount_display}"
        indicator = None
        if self.indicator_id or self._meta.get_field("indicator").is_cached(self):
            indicator = self.indicator
        unit = f" {indicator.unit}" if indicator and indicator.unit else ""
        name = f"{indicator.name}: " if indicator else ""
        return f"{name}{amount}{unit} ({self.date_display})"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    def clean(self):
        super().clean()
        if self.value is None and (self.low is None or self.high is None):
            raise ValidationError("An observation needs a value, or a low and a high.")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValidationError({"high": "The high end of a range cannot be below its low."})

    @property
    def amount_display(self):
        """The value in figures, "2,000", or the range, "100–200"."""

        def figures(number):
            return f"{number:,.2f}".rstrip("0").rstrip(".")

        if self.value is not None:
            return figures(self.value)
        return f"{figures(self.low)}–{figures(self.high)}"


# The dated records, by the name of their kind (the timeline's entries, timeline.links).
DATED_MODELS = {"event": Event, "measure": Measure, "statement": Statement}
# Everything the timeline shows as an entry, by kind: the records, a measure's status changes
# ("status") and an indicator's figures ("observation").
ENTRY_MODELS = {**DATED_MODELS, "status": MeasureStatus, "observation": Observation}


class MonthCount(models.Model):
    """How many entries of a kind (and of a measure category) are dated in a month, or only to a
    year: the timeline's counts per month, read here instead of counted from every record.

    Derived data, rewritten whole after every committed write (timeline.summary); never edited.
    """

    kind = models.CharField("kind", max_length=12, choices=[(k, k) for k in ENTRY_MODELS])
    category = models.CharField(
        "measure category",
        max_length=30,
        blank=True,
        help_text="Empty: records of every category (and none).",
    )
    year = models.PositiveSmallIntegerField("year")
    month = models.PositiveSmallIntegerField(
        "month", null=True, blank=True, help_text="Empty for the records dated only to the year."
    )
    count = models.PositiveIntegerField("count")

    class Meta:
        ordering = ["kind", "category", "year", "month"]
        indexes = [
            models.Index(fields=["category", "kind", "year", "month"], name="month_count_lookup"),
        ]
        verbose_name = "month count"
        verbose_name_plural = "month counts"

    def __str__(self):
        when = f"{self.year}-{self.month:02d}" if self.month else f"{self.year} (year only)"
        category = f" ({self.category})" if self.category else ""
        return f"{self.kind}{category} {when}: {self.count}"


class MonthCountsState(models.Model):
    """Whether the month counts hold every committed write (one row).

    A write marks them stale in its own transaction, so a reader never trusts counts that miss a
    committed change: until the refresh after the commit has run, the timeline counts its records
    instead (timeline.summary).
    """

    stale = models.BooleanField("stale", default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "month counts state"
        verbose_name_plural = "month counts state"

    def __str__(self):
        return "stale" if self.stale else "up to date"


# Models of their own modules, imported here so that Django finds them with the others.
from .aliases import SlugAlias  # noqa: E402, F401
from .batches import ImportBatch, ImportedField  # noqa: E402, F401
from .merges import ActorMerge  # noqa: E402, F401
