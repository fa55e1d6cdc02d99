"""What the REST API reads and writes for proposals.

Output serializers expose public fields only: an author's or commenter's display name
when they chose to show it, never an email address or account id. Input serializers
check shapes and types; the rules (limits, topics, the city's area, who may edit) live
in ``proposals.actions``.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cocreate.redaction import RedactedFieldsMixin
from proposals.models import BODY_MAX, COMMENT_MAX, OTHER_TOPIC, SUMMARY_MAX, TITLE_MAX, Proposal, ProposalComment
from services.serializers import CoordinateField, absolute_url


class ProposalAnswerSerializer(serializers.Serializer):
    """The city's official answer; ``status`` is the status the answer gave the proposal."""

    status = serializers.CharField()
    text = serializers.CharField(help_text="The answer's Markdown source.")
    html = serializers.CharField(help_text="The answer rendered to safe HTML.")
    answered_at = serializers.DateTimeField()


class ProposalSerializer(RedactedFieldsMixin, serializers.ModelSerializer):
    """A proposal as the public sees it: its text redacted, except for its author and staff.

    ``supported_by_me`` is annotated per requester: see ``proposals.api.listed``.
    """

    url = serializers.SerializerMethodField()
    body = serializers.CharField(
        read_only=True, help_text="The Markdown source, personal data redacted (as written for its author and staff)."
    )
    body_html = serializers.CharField(read_only=True, help_text="The body rendered to safe HTML, as ``body``.")
    author_name = serializers.SerializerMethodField()
    supported_by_me = serializers.BooleanField(read_only=True, help_text="Whether the requester supports it.")
    answer = serializers.SerializerMethodField()
    redacted_fields = ("title", "summary", "body", "body_html")

    class Meta:
        model = Proposal
        fields = (
            "id",
            "url",
            "title",
            "summary",
            "body",
            "body_html",
            "topic",
            "status",
            "support_count",
            "threshold",
            "closes_at",
            "created_at",
            "comment_count",
            "lat",
            "lon",
            "author_name",
            "supported_by_me",
            "answer",
        )
        read_only_fields = fields

    def get_url(self, proposal: Proposal) -> str:
        return absolute_url(self.context.get("request"), proposal.get_absolute_url())

    def get_author_name(self, proposal: Proposal) -> str | None:
        return proposal.public_author_name or None

    @extend_schema_field(ProposalAnswerSerializer(allow_null=True))
    def get_answer(self, proposal: Proposal) -> dict | None:
        if proposal.answered_at is None:
            return None
        return {
            "status": proposal.status,
            "text": proposal.answer,
            "html": proposal.answer_html,
            "answered_at": serializers.DateTimeField().to_representation(proposal.answered_at),
        }


class ProposalCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    summary = serializers.CharField(max_length=SUMMARY_MAX)
    body = serializers.CharField(
        max_length=BODY_MAX, required=False, allow_blank=True, default="", help_text="Markdown; raw HTML is escaped."
    )
    topic = serializers.CharField(
        max_length=80, required=False, default=OTHER_TOPIC, help_text='A service group of the catalogue, or "other".'
    )
    lat = CoordinateField(allow_null=True, help_text="Latitude (WGS 84), inside the city; give lat and lon, or none.")
    lon = CoordinateField(allow_null=True, help_text="Longitude (WGS 84), inside the city.")
    show_name = serializers.BooleanField(
        required=False, default=True, help_text="Show your display name with the proposal."
    )


class ProposalUpdateSerializer(serializers.Serializer):
    """The fields an author may change; only those sent are changed."""

    title = serializers.CharField(max_length=TITLE_MAX, required=False)
    summary = serializers.CharField(max_length=SUMMARY_MAX, required=False)
    body = serializers.CharField(max_length=BODY_MAX, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=80, required=False)
    lat = CoordinateField(allow_null=True, help_text="Send lat and lon empty (or null) to remove the point.")
    lon = CoordinateField(allow_null=True)
    show_name = serializers.BooleanField(required=False)


class SupportSerializer(serializers.Serializer):
    supported = serializers.BooleanField()
    support_count = serializers.IntegerField()


class ProposalCommentSerializer(RedactedFieldsMixin, serializers.ModelSerializer):
    """A comment or a reply; a comment its author deleted keeps its place with an empty body."""

    author_name = serializers.SerializerMethodField()
    deleted = serializers.BooleanField(source="is_deleted", read_only=True)
    redacted_fields = ("body", "body_html")

    class Meta:
        model = ProposalComment
        fields = ("id", "parent", "body", "body_html", "author_name", "created_at", "edited_at", "deleted")
        read_only_fields = fields

    def get_author_name(self, comment: ProposalComment) -> str | None:
        return comment.public_author_name or None


class ProposalThreadSerializer(ProposalCommentSerializer):
    """A top-level comment with its visible replies, oldest first (replies are one level deep)."""

    replies = ProposalCommentSerializer(many=True, read_only=True)

    class Meta(ProposalCommentSerializer.Meta):
        fields = (*ProposalCommentSerializer.Meta.fields, "replies")
        read_only_fields = fields


class ProposalCommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=COMMENT_MAX, help_text="Markdown; raw HTML is escaped.")
    parent = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="Reply to this top-level comment."
    )
    show_name = serializers.BooleanField(required=False, default=True)
