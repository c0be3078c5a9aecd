"""Filters of the public pages, read from the query string so a filtered view is a link.

The tables use django-filter FilterSets; the timeline, which spans three models, uses one plain
form that narrows each model's queryset through the same named QuerySet methods.
"""

import datetime
import functools

import django_filters
from django import forms
from django.db.models import Q
from django.forms.renderers import Jinja2
from django.template.defaultfilters import date as format_date
from markupsafe import Markup

from timeline.models import (
    DATED_MODELS,
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureCategory,
    MeasureStatus,
    Observation,
    Place,
    Source,
    Statement,
)
from timeline.summary import Selection

DATE_INPUT = forms.DateInput(attrs={"type": "date"})

START_HELP = (
    "A record counts if its period overlaps the dates: one dated “2015” counts for any day of 2015."
)
END_HELP = "Included. Not before From."
RANGE_ERROR = "The end date must not be before the start date."


class DateRangeFormMixin:
    """A form with dates ``start`` and ``end``: an end before the start is an error on the end,
    and neither date is used (which of the two is wrong is the reader's to say; one alone would
    filter by half a mistake)."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", RANGE_ERROR)
            cleaned.pop("start", None)
        return cleaned


class FilterForm(forms.Form):
    """A filter form. Its widgets render with Jinja2 (Django's widget templates for Jinja2, and
    jinja2/timeline/widgets/select.html), as the pages do: a <select> of a few hundred actors."""

    # One renderer for every form, not one a form: it compiles each widget's template once.
    default_renderer = Jinja2()


@functools.lru_cache(maxsize=128)
def options_markup(choices):
    """The <option>s of flat ``choices`` ((value, label) strings), none selected.

    The same choices (a few hundred actors) come back on every request until the data changes,
    and a new filter (another actor, a link with an unknown parameter) must not pay for writing
    them again: they are written once for each distinct list, which is their key.
    """
    option = Markup('\n  <option value="%s">%s</option>')
    return Markup("").join(option % (value, label) for value, label in choices)


def with_selected(markup, value):
    """``options_markup`` with the option of ``value`` selected (the first, as Django does)."""
    if value is None:
        return markup
    plain = Markup('<option value="%s">') % value
    return Markup(markup.replace(plain, Markup('<option value="%s" selected>') % value, 1))


class OptionsInlineSelect(forms.Select):
    """A <select> that writes its options at once. Django's own puts each option in a group of its
    own and includes a template for it and its attributes: with a few hundred actors that was a
    large share of every filtered page's rendering time. Flat choices are written by
    ``options_markup`` (the same HTML as Django's), grouped ones by the template's loop. Its
    template is a Jinja2 one: use it in a FilterForm."""

    template_name = "timeline/widgets/select.html"

    def get_context(self, name, value, attrs):
        # Not list(): it asks a ModelChoiceIterator for its length first, a COUNT query.
        choices = [("" if v is None else str(v), label) for v, label in self.choices]
        self._flat = not any(isinstance(label, (list, tuple)) for _, label in choices)
        context = super().get_context(name, value, attrs)
        options = None
        if self._flat:
            chosen = next((v for v in context["widget"]["value"] if v is not None), None)
            markup = options_markup(tuple((v, str(label)) for v, label in choices))
            options = with_selected(markup, chosen)
        context["widget"]["options"] = options
        return context

    def optgroups(self, name, value, attrs=None):
        """Nothing for flat choices, written by ``options_markup`` instead; grouped choices as
        Django makes them."""
        if getattr(self, "_flat", False):
            return []
        return super().optgroups(name, value, attrs)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for value, label, _ in self.field.options():
            yield (value, label)

    def __len__(self):
        return len(self.field.options()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.options())


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that reads its options once: the same list renders the <select> and
    validates the submitted value (a stock one makes a second query to look the value up)."""

    iterator = ListedChoiceIterator

    def options(self):
        """(value, label, cleaned value) of each option, read once."""
        if getattr(self, "_options", None) is None:
            self._options = self.read_options()
        return self._options

    def read_options(self):
        key = self.to_field_name or "pk"
        return [
            (str(getattr(obj, key)), self.label_from_instance(obj), obj) for obj in self.queryset
        ]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for option, _, cleaned in self.options():
            if option == str(value):
                return cleaned
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ActorChoiceField(ListedModelChoiceField):
    """An actor chosen by slug (``?actor=theresa-may``), cleaned to its primary key, which is
    all the for_actor() filters need. Its options are read as (slug, name, pk) rows: a few
    hundred actors read as model instances would cost a table page more than its rows."""

    def read_options(self):
        return list(self.queryset.values_list("slug", "name", "pk"))


class ActorChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ActorChoiceField


SEARCH_INPUT = forms.TextInput(attrs={"type": "search"})


class SlugOrWordsField(forms.CharField):
    """A record typed in a search box rather than picked from a <select> of thousands: its slug
    (``?source=<slug>``, as a source's page links here), or words of its text.

    Cleans to the record whose slug it is (one query), or else to the words themselves, which
    ``chosen()`` turns into the records matching them; words keep a filter's identity a plain
    string, and the records are read as a subquery of the filter, never listed.
    """

    widget = SEARCH_INPUT

    def __init__(self, *, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        return self.model.objects.filter(slug=value).first() or value


def chosen(model, value):
    """What a SlugOrWordsField cleaned to: its record, or the records its words match."""
    return value if isinstance(value, model) else model.objects.matching(value)


class SlugOrWordsFilter(django_filters.Filter):
    field_class = SlugOrWordsField


SOURCE_HELP = "Words of its title or publisher, such as “AFP”. A source’s page links here."
PLACE_HELP = "A place’s name, such as “Calais”; its page links here."


KIND_CHOICES = [("event", "Events"), ("measure", "Measures"), ("statement", "Statements")]


class TimelineFilterForm(DateRangeFormMixin, FilterForm):
    q = forms.CharField(label="Search", required=False, widget=SEARCH_INPUT)
    kind = forms.ChoiceField(
        widget=OptionsInlineSelect,
        label="Kind",
        required=False,
        choices=[("", "All kinds"), *KIND_CHOICES],
    )
    actor = ActorChoiceField(
        widget=OptionsInlineSelect,
        label="Actor",
        queryset=Actor.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any actor",
    )
    category = forms.ChoiceField(
        widget=OptionsInlineSelect,
        label="Measure category",
        required=False,
        choices=[("", "Any category"), *MeasureCategory.choices],
    )
    source = SlugOrWordsField(model=Source, label="Source", required=False, help_text=SOURCE_HELP)
    place = SlugOrWordsField(model=Place, label="Place", required=False, help_text=PLACE_HELP)
    start = forms.DateField(label="From", required=False, widget=DATE_INPUT, help_text=START_HELP)
    end = forms.DateField(label="To", required=False, widget=DATE_INPUT, help_text=END_HELP)

    def identity(self, ranged=True):
        """The valid values the querysets are narrowed by (records by primary key), comparable
        across requests: two requests with the same identity select the same entries. Without
        the date range if not ``ranged``, as the querysets of ``timeline_querysets(False)``."""
        self.is_valid()
        return (
            "timeline",
            sorted(
                (name, getattr(value, "pk", value))
                for name, value in self.cleaned_data.items()
                if value not in (None, "") and (ranged or name not in DATE_RANGE)
            ),
        )

    def date_range(self):
        """(start, end) of the valid fields, either None."""
        self.is_valid()
        return self.cleaned_data.get("start"), self.cleaned_data.get("end")

    def summary_selection(self):
        """What the valid fields select, as the month counts kept in the database can count it
        (timeline.summary): kinds, a category, a date range. None when the filter searches, or
        narrows to an actor or a source: those are counted from the matching records."""
        self.is_valid()
        data = self.cleaned_data
        if any(data.get(name) for name in ("q", "actor", "source", "place")):
            return None
        kinds = (data["kind"],) if data.get("kind") else tuple(DATED_MODELS)
        kinds += self.evidence_kinds()
        return Selection(kinds, data.get("category") or "", data.get("start"), data.get("end"))

    def querysets(self, ranged=True):
        """Each kind's queryset narrowed by the valid fields (invalid ones are shown, not used),
        the date range left out if not ``ranged``."""
        self.is_valid()
        data = self.cleaned_data
        models = {"event": Event, "measure": Measure, "statement": Statement}
        if data.get("kind"):
            models = {data["kind"]: models[data["kind"]]}
        querysets = {}
        for kind, model in models.items():
            queryset = model.objects.all()
            if data.get("q"):
                queryset = queryset.search(data["q"])
            if data.get("actor"):
                queryset = queryset.for_actor(data["actor"])
            if data.get("category"):
                queryset = queryset.in_category(data["category"])
            if data.get("source"):
                queryset = queryset.from_source(chosen(Source, data["source"]))
            if data.get("place"):
                queryset = queryset.at_place(chosen(Place, data["place"]))
            querysets[kind] = queryset.in_range(*self.date_range()) if ranged else queryset
        return querysets

    def timeline_querysets(self, ranged=True):
        """Every kind of entry the timeline shows (kind -> queryset): the records, and the
        evidence beside them. The timeline page and every output carrying it read these; the
        page leaves out the date range (``ranged`` False) and narrows them to it itself
        (entries.Timeline), so that what it compiles serves every range."""
        return {**self.querysets(ranged), **self.evidence_querysets(ranged)}

    def evidence_kinds(self):
        """The kinds of evidence shown beside the records (``evidence_querysets``): none for a
        search or for events or statements alone; a measure's status changes wherever measures
        are shown; an indicator's figures too, unless the filter is one of measures (their kind,
        a category, a place)."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("q") or data.get("kind") in ("event", "statement"):
            return ()
        if data.get("kind") == "measure" or data.get("category") or data.get("place"):
            return ("status",)
        return ("status", "observation")

    def evidence_querysets(self, ranged=True):
        """The timeline's other entries, narrowed as the records they belong to are: a
        measure's status changes ("status"), an indicator's observations ("observation").

        A status change belongs to the measures' timeline, and follows its measure's actor,
        category, source and place; an observation follows who reported it and its sources.
        A text search is of the records' words, which these have none of.
        """
        self.is_valid()
        data = self.cleaned_data
        kinds = self.evidence_kinds()
        if not kinds:
            return {}
        measures = Measure.objects.all()
        if data.get("actor"):
            measures = measures.for_actor(data["actor"])
        if data.get("category"):
            measures = measures.in_category(data["category"])
        if data.get("source"):
            measures = measures.from_source(chosen(Source, data["source"]))
        if data.get("place"):
            measures = measures.at_place(chosen(Place, data["place"]))
        changes = MeasureStatus.objects.entries()
        if any(data.get(name) for name in ("actor", "category", "source", "place")):
            changes = changes.filter(measure__in=measures.order_by().values("pk"))
        date_range = self.date_range() if ranged else ()
        querysets = {"status": changes.in_range(*date_range)}
        if "observation" not in kinds:
            return querysets
        observations = Observation.objects.all()
        if data.get("actor"):
            observations = observations.filter(reported_by=data["actor"])
        if data.get("source"):
            observations = observations.from_source(chosen(Source, data["source"]))
        querysets["observation"] = observations.in_range(*date_range)
        return querysets


def field_values(form):
    """The filled fields of a bound form, in the form's order, as (name, value) strings: a valid
    value as its cleaned value spells it (a date in ISO), an invalid one as submitted (the page
    shows it with its error); and whether each was submitted so spelt.

    Only the form's own fields count: another parameter (?utm_source=x, ?page=2) is not one.
    """
    form.is_valid()
    values, as_submitted = [], True
    for name in form.fields:
        submitted = form[name].data
        if submitted in (None, ""):
            continue
        if name in form.errors:
            values.append((name, submitted))
            continue
        cleaned = form.cleaned_data.get(name)
        if isinstance(cleaned, datetime.date):
            spelt = cleaned.isoformat()
        elif isinstance(cleaned, str):
            spelt = cleaned
        else:
            spelt = submitted  # a choice: valid only as submitted
        as_submitted &= spelt == submitted
        if spelt not in (None, ""):
            values.append((name, spelt))
    return values, as_submitted


def valid_values(form, values):
    """The ``values`` (field_values) that filter: those without an error, and left in the cleaned
    data (a reversed date range keeps neither date)."""
    return [
        (name, value)
        for name, value in values
        if name not in form.errors and name in form.cleaned_data
    ]


def describe(form, values):
    """The valid filters in words, for a page's title: ["Theresa May", "from 1 August 2015"]."""
    words = []
    for name, value in valid_values(form, values):
        field = form.fields[name]
        cleaned = form.cleaned_data[name]
        if isinstance(field, ListedModelChoiceField):
            words += [label for option, label, _ in field.options() if option == value]
        elif isinstance(field, forms.ModelChoiceField):
            words.append(str(cleaned))
        elif isinstance(field, forms.ChoiceField):
            words.append(str(dict(field.choices).get(value, value)))
        elif isinstance(field, forms.DateField):
            words.append(f"{str(field.label).lower()} {format_date(cleaned, 'j F Y')}")
        else:
            words.append(f"“{value}”")
    return words


DATE_RANGE = ("start", "end")


class RecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search", widget=SEARCH_INPUT)

    class Meta:
        form = FilterForm

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class DatedRecordFilter(RecordFilter):
    actor = ActorChoiceFilter(
        widget=OptionsInlineSelect,
        label="Actor",
        queryset=Actor.objects.all(),
        to_field_name="slug",
        method="filter_actor",
        empty_label="Any actor",
    )
    source = SlugOrWordsFilter(
        model=Source, label="Source", method="filter_source", help_text=SOURCE_HELP
    )
    start = django_filters.DateFilter(
        label="From", method="filter_start", widget=DATE_INPUT, help_text=START_HELP
    )
    end = django_filters.DateFilter(
        label="To", method="filter_end", widget=DATE_INPUT, help_text=END_HELP
    )

    def get_form_class(self):
        form_class = super().get_form_class()
        return type(form_class.__name__, (DateRangeFormMixin, form_class), {})

    def summary_selection(self):
        """What the valid filters select as the month counts kept in the database can count it
        (timeline.summary), so that a new date range's total comes from them rather than from
        every row in it. None without a date range, or when any other filter narrows the table:
        those totals are counted from the rows (and kept until the next write)."""
        if not self.is_bound or not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        if not (data.get("start") or data.get("end")):
            return None
        if any(value not in (None, "") for name, value in data.items() if name not in DATE_RANGE):
            return None
        kind = self._meta.model._meta.model_name
        return Selection((kind,), start=data.get("start"), end=data.get("end"))

    def filter_actor(self, queryset, name, value):
        return queryset.for_actor(value)

    def filter_source(self, queryset, name, value):
        return queryset.from_source(chosen(Source, value))

    def filter_start(self, queryset, name, value):
        return queryset.in_range(start=value)

    def filter_end(self, queryset, name, value):
        return queryset.in_range(end=value)


class EventFilter(DatedRecordFilter):
    place = django_filters.ModelChoiceFilter(
        widget=OptionsInlineSelect,
        label="Place",
        queryset=Place.objects.all(),
        to_field_name="slug",
        method="filter_place",
        empty_label="Any place",
    )

    class Meta(RecordFilter.Meta):
        model = Event
        fields = ["q", "actor", "place", "source", "start", "end"]

    def filter_place(self, queryset, name, value):
        return queryset.at_place(value)


STATUS_ON_HELP = (
    "With a status: the measures that had it on that day, not only those that have it now."
)


class MeasureFilter(DatedRecordFilter):
    category = django_filters.ChoiceFilter(
        widget=OptionsInlineSelect,
        label="Category",
        choices=Measure.Category.choices,
        empty_label="Any category",
    )
    status = django_filters.ChoiceFilter(
        widget=OptionsInlineSelect,
        label="Status",
        choices=Measure.Status.choices,
        empty_label="Any status",
        method="filter_status",
    )
    on = django_filters.DateFilter(
        label="Status on", method="filter_nothing", widget=DATE_INPUT, help_text=STATUS_ON_HELP
    )
    policy_area = django_filters.ChoiceFilter(
        widget=OptionsInlineSelect,
        label="Policy area",
        choices=Measure.PolicyArea.choices,
        empty_label="Any policy area",
    )
    direction = django_filters.ChoiceFilter(
        widget=OptionsInlineSelect,
        label="Direction",
        choices=Measure.Direction.choices,
        empty_label="Any direction",
    )
    target_group = django_filters.ChoiceFilter(
        widget=OptionsInlineSelect,
        label="Target group",
        choices=Measure.TargetGroup.choices,
        empty_label="Any target group",
    )
    place = django_filters.ModelChoiceFilter(
        widget=OptionsInlineSelect,
        label="Place",
        queryset=Place.objects.all(),
        to_field_name="slug",
        method="filter_place",
        empty_label="Any place",
    )

    class Meta(RecordFilter.Meta):
        model = Measure
        fields = [
            "q",
            "category",
            "status",
            "on",
            "policy_area",
            "direction",
            "target_group",
            "place",
            "actor",
            "source",
            "start",
            "end",
        ]

    def filter_status(self, queryset, name, value):
        """The measures with this status now, or with ``on``, on that day."""
        day = self.form.cleaned_data.get("on")
        if day is None:
            return queryset.filter(status=value)
        return queryset.in_status_on(value, day)

    def filter_nothing(self, queryset, name, value):
        """``on`` says when ``status`` holds; alone it narrows nothing."""
        return queryset

    def filter_place(self, queryset, name, value):
        """Measures at the place, or agreed at an event there."""
        return queryset.filter(Q(place=value) | Q(pk__in=queryset.at_place(value).values("pk")))


class StatementFilter(DatedRecordFilter):
    kind = django_filters.ChoiceFilter(
        widget=OptionsInlineSelect,
        label="Kind",
        choices=Statement.Kind.choices,
        empty_label="Any kind",
    )

    class Meta(RecordFilter.Meta):
        model = Statement
        fields = ["q", "kind", "actor", "source", "start", "end"]


class ActorFilter(RecordFilter):
    kind = django_filters.ChoiceFilter(
        widget=OptionsInlineSelect, label="Kind", choices=Actor.Kind.choices, empty_label="Any kind"
    )

    class Meta(RecordFilter.Meta):
        model = Actor
        fields = ["q", "kind"]


class SourceFilter(RecordFilter):
    publisher = django_filters.AllValuesFilter(
        widget=OptionsInlineSelect, label="Publisher", empty_label="Any publisher"
    )
    language = django_filters.AllValuesFilter(
        widget=OptionsInlineSelect, label="Language", empty_label="Any language"
    )

    class Meta(RecordFilter.Meta):
        model = Source
        fields = ["q", "publisher", "language"]


class IndicatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", field_name="name", lookup_expr="icontains", widget=SEARCH_INPUT
    )

    class Meta:
        form = FilterForm
        model = Indicator
        fields = ["q"]
