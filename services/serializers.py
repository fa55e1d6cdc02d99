"""What the REST API reads and writes for services and reports.

Output serializers expose public fields only: never the reporter's email or id, an
Open311 client or private contact details. Input serializers check shapes and types;
the rules (service, place, answers, photos) live in ``services.actions``.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from cocreate.redaction import RedactedFieldsMixin, shown_text
from services.models import (
    COMMENT_MAX,
    DESCRIPTION_MAX,
    REJECTION_REASON_MAX,
    STATUS_NOTE_MAX,
    AttributeValue,
    Report,
    ReportComment,
    ReportPhoto,
    ReportStatus,
    Service,
    ServiceAttribute,
)


class AttributeValueSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)  # in the request's language

    class Meta:
        model = AttributeValue
        fields = ("key", "name")


class ServiceAttributeSerializer(serializers.ModelSerializer):
    description = serializers.CharField(read_only=True)  # in the request's language
    values = AttributeValueSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceAttribute
        fields = ("code", "datatype", "required", "variable", "description", "datatype_description", "order", "values")


class ServiceSerializer(serializers.ModelSerializer):
    """A service, its name and description in the request's language, and its questions."""

    name = serializers.CharField(read_only=True)  # in the request's language
    description = serializers.CharField(read_only=True)  # in the request's language
    group = serializers.CharField(
        source="group_key", read_only=True, help_text="The service's group, by its English name (a proposal's topic)."
    )
    keywords = serializers.ListField(source="keyword_list", child=serializers.CharField(), read_only=True)
    attributes = ServiceAttributeSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = (
            "service_code",
            "name",
            "description",
            "group",
            "keywords",
            "type",
            "location_precision",
            "response_days",
            "attributes",
        )


def absolute_url(request: Request | None, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class ReportPhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = ReportPhoto
        fields = ("url", "thumbnail_url", "width", "height")

    def get_url(self, photo: ReportPhoto) -> str:
        return absolute_url(self.context.get("request"), photo.image_url)

    def get_thumbnail_url(self, photo: ReportPhoto) -> str | None:
        return absolute_url(self.context.get("request"), photo.thumbnail_url) if photo.thumbnail else None


class ReportSerializer(RedactedFieldsMixin, serializers.ModelSerializer):
    """A report as the public sees it: its text redacted, except for its reporter and staff.

    ``lat``/``lon`` are the published point (``public_lat``/``public_lon``, rounded for
    sensitive services); ``comments_count`` and ``operator`` (``services.responsible``) are
    annotated: see ``services.api.listed``.
    """

    url = serializers.SerializerMethodField()
    service_code = serializers.CharField(source="service.service_code", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    open311_status = serializers.CharField(read_only=True)
    lat = serializers.FloatField(source="public_lat", read_only=True, allow_null=True)
    lon = serializers.FloatField(source="public_lon", read_only=True, allow_null=True)
    reporter_name = serializers.SerializerMethodField()
    photos = ReportPhotoSerializer(many=True, read_only=True)
    comments_count = serializers.IntegerField(read_only=True)
    operator = serializers.CharField(
        source="responsible_slug",
        read_only=True,
        allow_null=True,
        help_text="The short name of the mobility operator answering for the report, or null.",
    )
    redacted_fields = ("description", "address", "attributes")

    class Meta:
        model = Report
        fields = (
            "id",
            "url",
            "service_code",
            "service_name",
            "status",
            "open311_status",
            "status_notes",
            "description",
            "lat",
            "lon",
            "address",
            "attributes",
            "reporter_name",
            "photos",
            "comments_count",
            "created_at",
            "updated_at",
            "closed_at",
            "expected_at",
            "duplicate_of",
            "operator",
        )
        read_only_fields = fields

    def get_url(self, report: Report) -> str:
        return absolute_url(self.context.get("request"), report.get_absolute_url())

    def get_reporter_name(self, report: Report) -> str | None:
        return report.public_reporter_name or None


class CommentSerializer(RedactedFieldsMixin, serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    redacted_fields = ("body",)

    class Meta:
        model = ReportComment
        fields = ("id", "body", "author_name", "created_at")
        read_only_fields = fields

    def get_author_name(self, comment: ReportComment) -> str | None:
        return comment.public_author_name or None


class TimelineEntrySerializer(serializers.Serializer):
    """One entry of a report's timeline: a status update or a comment (the other kind's fields are null)."""

    kind = serializers.ChoiceField(choices=["update", "comment"])
    at = serializers.DateTimeField()
    from_status = serializers.CharField(allow_null=True)
    to_status = serializers.CharField(allow_null=True)
    note = serializers.CharField(allow_null=True)
    by = serializers.CharField(allow_null=True, help_text="Who changed the status: city, operator, citizen or system.")
    body = serializers.CharField(allow_null=True)
    author_name = serializers.CharField(allow_null=True)


class MyReportSerializer(ReportSerializer):
    """One of the requester's own reports: also whether it is published yet."""

    moderation_state = serializers.CharField(read_only=True)

    class Meta(ReportSerializer.Meta):
        fields = (*ReportSerializer.Meta.fields, "moderation_state")


class ReportDetailSerializer(ReportSerializer):
    """A report with its timeline of public status updates and visible comments, oldest first."""

    timeline = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        # The detail is the one place an author reads their own hidden or pending report.
        fields = (*ReportSerializer.Meta.fields, "moderation_state", "timeline")
        read_only_fields = fields

    @extend_schema_field(TimelineEntrySerializer(many=True))
    def get_timeline(self, report: Report) -> list[dict]:
        empty = dict.fromkeys(("from_status", "to_status", "note", "by", "body", "author_name"))
        viewer = getattr(self.context.get("request"), "user", None)
        entries = [
            {
                **empty,
                "kind": "update",
                "at": update.created_at,
                "from_status": update.from_status,
                "to_status": update.to_status,
                "note": update.note,
                "by": update.by_role or None,
            }
            for update in report.updates.all()
        ]
        entries += [
            {
                **empty,
                "kind": "comment",
                "at": comment.created_at,
                "body": shown_text(comment, "body", viewer),
                "author_name": comment.public_author_name or None,
            }
            for comment in report.visible_comments
        ]
        entries.sort(key=lambda entry: entry["at"])
        return TimelineEntrySerializer(entries, many=True).data


@extend_schema_field(OpenApiTypes.NUMBER)
class CoordinateField(serializers.CharField):
    """A coordinate kept as sent: ``services.actions`` parses it, so every channel refuses the same input."""

    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, max_length=40, **kwargs)


@extend_schema_field(OpenApiTypes.OBJECT)
class JSONObjectField(serializers.Field):
    """A JSON object, or a string holding one (as multipart forms send it)."""

    default_error_messages = {
        "invalid_json": _("Send a valid JSON object."),
        "not_an_object": _("Send a JSON object keyed by attribute code."),
    }

    def to_internal_value(self, data: object) -> dict:
        if isinstance(data, str):
            if not data.strip():
                return {}
            try:
                data = json.loads(data)
            except (ValueError, RecursionError):
                self.fail("invalid_json")
        if not isinstance(data, dict):
            self.fail("not_an_object")
        return data

    def to_representation(self, value: dict) -> dict:
        return value


class ReportCreateSerializer(serializers.Serializer):
    service_code = serializers.CharField(max_length=64)
    lat = CoordinateField(help_text="Latitude (WGS 84), inside the city. Give lat and lon, an address, or both.")
    lon = CoordinateField(help_text="Longitude (WGS 84), inside the city.")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    description = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=f"At most {DESCRIPTION_MAX} characters."
    )
    attributes = JSONObjectField(required=False, default=dict, help_text="Answers keyed by attribute code.")
    show_name = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="Up to five JPEG, PNG or WebP images."
    )


class CommentCreateSerializer(serializers.Serializer):
    # The model's max_length is not checked by full_clean() on a TextField, so the limit is held here too.
    body = serializers.CharField(max_length=COMMENT_MAX)
    show_name = serializers.BooleanField(required=False, default=False)


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField()


# The map layer's answer, for the OpenAPI schema (built from rows in services.api.ReportGeoJSON).
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "description": "An RFC 7946 FeatureCollection of Point features, newest first, at most `limit`.",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "truncated": {"type": "boolean", "description": "Whether more features match than this page holds."},
        "next": {
            "type": "string",
            "format": "uri",
            "nullable": True,
            "description": "The next page (same parameters and a cursor), or null on the last page.",
        },
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {
                                "type": "array",
                                "items": {"type": "number"},
                                "minItems": 2,
                                "maxItems": 2,
                                "description": "[longitude, latitude]",
                            },
                        },
                    },
                    "properties": {
                        "type": "object",
                        "properties": {
                            "id": {"type": "integer"},
                            "url": {"type": "string", "format": "uri"},
                            "service_code": {"type": "string"},
                            "service_name": {"type": "string"},
                            "status": {"type": "string", "enum": ReportStatus.values},
                            "status_display": {"type": "string"},
                            "created_at": {"type": "string", "format": "date-time"},
                        },
                    },
                },
            },
        },
    },
}


class StatusChangeSerializer(serializers.Serializer):
    """City staff move a report to a new status (the same fields as the report page's form).

    ``validated_data`` holds ``report_change_status``'s arguments: ``to_status`` and the report
    ``duplicate_of`` stands for (None when it does not exist: the action then says what is missing).
    """

    status = serializers.ChoiceField(choices=ReportStatus.choices, source="to_status")
    note = serializers.CharField(required=False, allow_blank=True, max_length=STATUS_NOTE_MAX, default="")
    duplicate_of = serializers.IntegerField(required=False, allow_null=True, min_value=1, default=None)
    rejection_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=REJECTION_REASON_MAX, default=""
    )

    def validate_duplicate_of(self, value: int | None) -> Report | None:
        return Report.objects.filter(pk=value).first() if value else None


# One tile of the report map, for the OpenAPI schema (written in services.map_tiles).
REPORT_TILE_SCHEMA = {
    "type": "object",
    "description": "Clusters (`c`) below street zoom, reports (`p`, `s`, `truncated`) from it.",
    "required": ["z", "x", "y", "n"],
    "properties": {
        "z": {"type": "integer"},
        "x": {"type": "integer"},
        "y": {"type": "integer"},
        "n": {"type": "integer", "description": "Published reports in the tile under the filters."},
        "c": {
            "type": "array",
            "description": "[count, lat, lon] per cell with reports: the mean of their published points.",
            "items": {"type": "array", "items": {"type": "number"}, "minItems": 3, "maxItems": 3},
        },
        "s": {"type": "array", "items": {"type": "string"}, "description": "The service codes points refer to."},
        "p": {
            "type": "array",
            "description": "[id, lat, lon, service (a place in s), status] per report, newest first.",
            "items": {"type": "array", "minItems": 5, "maxItems": 5},
        },
        "truncated": {"type": "boolean", "description": "Whether the tile holds more reports than p lists."},
    },
}
