"""What the API shows of each model: its own fields by their names, linked records by slug, and
the absolute URL of the record's page on the site (``page_url``)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from timeline.models import (
    Actor,
    Event,
    Indicator,
    Measure,
    MeasureLink,
    MeasureStatus,
    Observation,
    Participation,
    Passage,
    Place,
    Role,
    Source,
    Statement,
)


def slugs(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", read_only=True, **kwargs)


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The absolute URL of the record's page on the site."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record):
        request = self.context.get("request")
        url = record.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class RecordSerializer(serializers.ModelSerializer):
    page_url = PageUrlField(help_text="The record's page on the site.")


class SourceSerializer(RecordSerializer):
    class Meta:
        model = Source
        fields = ["slug", "page_url", "title", "publisher", "published_on", "url", "language"]
        extra_kwargs = {"url": {"help_text": "Where the article can be read."}}


class RoleSerializer(serializers.ModelSerializer):
    organisation = slugs(allow_null=True, help_text="The actor the role belongs to, by slug.")

    class Meta:
        model = Role
        fields = ["slug", "title", "organisation", "start", "end"]


class ActorSerializer(RecordSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166 code, or empty.")
    roles = RoleSerializer(many=True, read_only=True)
    event_count = serializers.IntegerField(read_only=True)
    measure_count = serializers.IntegerField(read_only=True)
    statement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "page_url",
            "name",
            "kind",
            "country",
            "description",
            "roles",
            "event_count",
            "measure_count",
            "statement_count",
        ]


class PlaceSerializer(RecordSerializer):
    country = serializers.CharField(source="country.code", help_text="ISO 3166 code, or empty.")

    class Meta:
        model = Place
        fields = ["slug", "page_url", "name", "country", "description"]


class DatedSerializer(RecordSerializer):
    date_display = serializers.CharField(
        read_only=True, help_text="The date in words, as precise as the source: “late July 2015”."
    )
    sources = slugs(many=True)

    date_fields = ["date", "date_precision", "date_display"]


class ParticipationSerializer(serializers.ModelSerializer):
    actor = slugs()
    role = slugs(allow_null=True, help_text="The role the actor held then, by slug.")

    class Meta:
        model = Participation
        fields = ["actor", "capacity", "role"]


class ObservationSerializer(serializers.ModelSerializer):
    indicator = slugs()
    reported_by = slugs(allow_null=True)

    class Meta:
        model = Observation
        fields = [
            "slug",
            "indicator",
            "value",
            "low",
            "high",
            "approximate",
            "as_printed",
            "date",
            "date_precision",
            "reported_by",
        ]


class EventSerializer(DatedSerializer):
    place = slugs(allow_null=True)
    participants = ParticipationSerializer(source="participations", many=True, read_only=True)
    observations = ObservationSerializer(many=True, read_only=True)
    measures = slugs(many=True)
    statements = slugs(many=True)

    class Meta:
        model = Event
        fields = [
            "slug",
            "page_url",
            *DatedSerializer.date_fields,
            "title",
            "summary",
            "place",
            "participants",
            "observations",
            "measures",
            "statements",
            "sources",
        ]


class MeasureSerializer(DatedSerializer):
    responsible = slugs(many=True)
    events = slugs(many=True)
    statements = slugs(many=True)

    class Meta:
        model = Measure
        fields = [
            "slug",
            "page_url",
            *DatedSerializer.date_fields,
            "title",
            "description",
            "category",
            "status",
            "responsible",
            "events",
            "statements",
            "sources",
        ]


class StatementSerializer(DatedSerializer):
    speaker = slugs(
        allow_null=True,
        help_text="The speaker by slug; null when the source names no one "
        "(attributed_as says who, as printed).",
    )
    joint_speakers = slugs(many=True, help_text="The others a joint declaration is attributed to.")
    speaker_role = RoleSerializer(read_only=True, allow_null=True)
    events = slugs(many=True)
    measures = slugs(many=True)

    class Meta:
        model = Statement
        fields = [
            "slug",
            "page_url",
            *DatedSerializer.date_fields,
            "text",
            "kind",
            "speaker",
            "attributed_as",
            "joint_speakers",
            "speaker_role",
            "events",
            "measures",
            "sources",
        ]


class PassageSerializer(RecordSerializer):
    source = slugs(help_text="The source it is an excerpt of, by slug.")

    class Meta:
        model = Passage
        fields = ["slug", "page_url", "source", "paragraph", "text"]


class ObservationRecordSerializer(ObservationSerializer):
    """An observation as a resource of its own: what an event's shows, and its date in words,
    the records it was reported with, its sources and passages."""

    page_url = PageUrlField(help_text="The page of its indicator, where its series is drawn.")
    date_display = serializers.CharField(
        read_only=True, help_text="The date in words, as precise as the source."
    )
    event = slugs(allow_null=True, help_text="The event it was reported with, by slug.")
    measure = slugs(allow_null=True, help_text="The measure it was reported with, by slug.")
    sources = slugs(many=True)
    passages = slugs(many=True)

    class Meta(ObservationSerializer.Meta):
        fields = [
            *ObservationSerializer.Meta.fields,
            "page_url",
            "date_display",
            "reviewed",
            "event",
            "measure",
            "sources",
            "passages",
        ]


class IndicatorSerializer(RecordSerializer):
    observations = ObservationSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["slug", "page_url", "name", "unit", "currency", "description", "observations"]


class MeasureStatusSerializer(RecordSerializer):
    page_url = PageUrlField(help_text="The page of its measure, which shows its status history.")
    date_display = serializers.CharField(
        read_only=True, help_text="The date in words, as precise as the source."
    )
    measure = slugs()
    passages = slugs(many=True)

    class Meta:
        model = MeasureStatus
        fields = [
            "slug",
            "page_url",
            "date",
            "date_precision",
            "date_display",
            "measure",
            "status",
            "passages",
        ]


class MeasureLinkSerializer(RecordSerializer):
    page_url = PageUrlField(help_text="The page of the measure that links.")
    measure = slugs(help_text="The measure that amends, supplements, supersedes or implements.")
    target = slugs(help_text="The other measure, by slug.")
    passages = slugs(many=True)

    class Meta:
        model = MeasureLink
        fields = ["slug", "page_url", "measure", "kind", "target", "passages"]
