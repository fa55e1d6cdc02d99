"""The administration of proposals: the city's review queue and its answers.

Roles decide here, as for reports (see services/admin.py): city staff and moderators
may read; only those ``can_answer`` allows answer, and an answer is given only through
``proposal_answer``, so the public history and the emails to the author, supporters
and followers never miss one. The proposal's own text is read-only: moderators'
edits come with the moderation tools. No page here shows an email address.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import BLANK_CHOICE_DASH, F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from cocreate.admin_actions import ActionAdmin, ActionForm
from cocreate.admin_roles import ReviewerViewPermission
from proposals.actions import can_answer, check_answer, proposal_answer
from proposals.models import (
    ANSWER_STATUSES,
    BODY_MAX,
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalStatusChange,
)

ANSWER_FIELDS = ("new_status", "answer_text")
# Where the errors of ``proposal_answer`` belong on the form.
ERROR_FIELDS = {"status": "new_status", "answer": "answer_text"}
REVIEW_ORDERING = (F("answer_due_at").asc(nulls_last=True), "pk")


def may_answer(request: HttpRequest) -> bool:
    """``can_answer``, asked once per request: the admin checks permissions often."""
    if not hasattr(request, "_admin_may_answer"):
        request._admin_may_answer = can_answer(request.user)
    return request._admin_may_answer


class ReviewQueueFilter(admin.SimpleListFilter):
    """The proposals waiting for the city's answer, and those whose answer is late."""

    title = _("review queue")
    parameter_name = "review"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin):
        return (("awaiting", _("Awaiting answer")), ("overdue", _("Overdue answer")))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
        if self.value() == "awaiting":
            return queryset.awaiting_answer()
        if self.value() == "overdue":
            return queryset.overdue()
        return queryset


class ProposalAnswerForm(ActionForm):
    """No field of the proposal itself is edited here; the extra fields feed ``proposal_answer``."""

    new_status = forms.ChoiceField(
        label=_("New status"),
        choices=[*BLANK_CHOICE_DASH, *((status.value, status.label) for status in ANSWER_STATUSES)],
        required=False,
    )
    answer_text = forms.CharField(
        label=_("Official answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=BODY_MAX,
        required=False,
        help_text=_("Published on the proposal's page (Markdown) and emailed to its author, supporters and followers."),
    )
    error_fields = ERROR_FIELDS

    class Meta:
        model = Proposal
        fields = ()

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.errors and not self.asks_for_action(cleaned) and (cleaned.get("answer_text") or "").strip():
            self.add_error("new_status", _("Choose a status to publish this answer."))
        return cleaned

    def asks_for_action(self, cleaned: dict) -> bool:
        return bool(cleaned.get("new_status"))

    def check_action(self, cleaned: dict) -> None:
        check_answer(proposal=self.instance, by=self.actor, **self.answer(cleaned))

    def run_action(self) -> Proposal:
        return proposal_answer(proposal=self.instance, by=self.actor, **self.answer(self.cleaned_data))

    @staticmethod
    def answer(cleaned: dict) -> dict:
        return {"status": cleaned["new_status"], "answer": cleaned.get("answer_text", "")}


@admin.register(Proposal)
class ProposalAdmin(ActionAdmin, ReviewerViewPermission, admin.ModelAdmin):
    """Nothing of the proposal is edited directly; saving the page runs the answer once."""

    form = ProposalAnswerForm
    list_display = ("title", "status", "support_count", "threshold", "answer_due_at", "overdue", "created_at")
    list_filter = (ReviewQueueFilter, "status", "topic", "moderation_state")
    search_fields = ("title", "summary")
    readonly_fields = (
        "title",
        "status",
        "moderation_state",
        "topic",
        "author_name",
        "show_name",
        "created_at",
        "updated_at",
        "edited_at",
        "summary",
        "body",
        "location",
        "picture",
        "support_count",
        "threshold",
        "closes_at",
        "threshold_reached_at",
        "answer_due_at",
        "overdue",
        "comment_count",
        "answer",
        "answered_at",
        "answered_by_name",
        "history",
    )
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    ("status", "moderation_state"),
                    "topic",
                    ("author_name", "show_name"),
                    ("created_at", "updated_at", "edited_at"),
                )
            },
        ),
        (_("The proposal"), {"fields": ("summary", "body", "location", "picture")}),
        (
            _("Support"),
            {
                "fields": (
                    ("support_count", "threshold", "closes_at"),
                    ("threshold_reached_at", "answer_due_at", "overdue"),
                    "comment_count",
                )
            },
        ),
        (_("The city's answer"), {"fields": ("answer", ("answered_at", "answered_by_name"), "history")}),
    )
    answer_fieldset = (
        _("Answer"),
        {
            "fields": ANSWER_FIELDS,
            "description": _(
                "Accepted, planned, implemented and declined are answers; “under review” with a note tells "
                "everyone where the review stands. Every answer is public and dated."
            ),
        },
    )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_answer(request)

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is not None and may_answer(request):
            return (*self.fieldsets, self.answer_fieldset)
        return self.fieldsets

    def get_ordering(self, request: HttpRequest):
        # The review queue: the answer due longest ago first.
        if request.GET.get("status__exact") == ProposalStatus.UNDER_REVIEW or request.GET.get("review"):
            return REVIEW_ORDERING
        return super().get_ordering(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proposal]:
        return super().get_queryset(request).select_related("author", "answered_by")

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: Proposal) -> bool:
        return obj.is_overdue

    @admin.display(description=_("author"))
    def author_name(self, obj: Proposal) -> str:
        # The display name only: an email address never appears in the admin's proposal pages.
        return str(obj.author) if obj.author else "—"

    @admin.display(description=_("answered by"))
    def answered_by_name(self, obj: Proposal) -> str:
        return str(obj.answered_by) if obj.answered_by else "—"

    @admin.display(description=_("location"))
    def location(self, obj: Proposal) -> str:
        return f"{obj.lat:.5f}, {obj.lon:.5f}" if obj.lat is not None and obj.lon is not None else "—"

    @admin.display(description=_("image"))
    def picture(self, obj: Proposal) -> str:
        image = getattr(obj, "image", None)  # None when the proposal has no image
        if image is None:
            return "—"
        if image.thumbnail and image.image:
            # A height attribute, not a style: the content security policy allows no inline styles.
            return format_html(
                '<a href="{}"><img src="{}" alt="{}" height="120"></a>', image.image_url, image.thumbnail_url, obj
            )
        return image.get_state_display()

    @admin.display(description=_("history"))
    def history(self, obj: Proposal) -> str:
        rows = [
            (
                timezone.localtime(change.created_at).strftime("%Y-%m-%d %H:%M"),
                change.get_from_status_display(),
                change.get_to_status_display(),
                change.by_role or "—",
                change.note,
            )
            for change in obj.status_changes.all()
        ]
        if not rows:
            return "—"
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}: {} → {} ({})<br>{}</li>", rows))


class ReadOnlyAdmin(ReviewerViewPermission, admin.ModelAdmin):
    """City staff and moderators read; nobody edits or deletes here."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ProposalComment)
class ProposalCommentAdmin(ReadOnlyAdmin):
    list_display = ("id", "proposal", "author_name", "is_reply", "moderation_state", "deleted", "created_at")
    list_filter = ("moderation_state",)
    list_select_related = ("proposal", "author")
    search_fields = ("body", "proposal__title")
    date_hierarchy = "created_at"
    fields = (
        "proposal",
        "parent",
        "author_name",
        "show_name",
        "body",
        "moderation_state",
        "created_at",
        "edited_at",
        "deleted_at",
    )
    readonly_fields = fields

    @admin.display(description=_("author"))
    def author_name(self, obj: ProposalComment) -> str:
        return str(obj.author)

    @admin.display(description=_("reply"), boolean=True)
    def is_reply(self, obj: ProposalComment) -> bool:
        return obj.parent_id is not None

    @admin.display(description=_("deleted"), boolean=True)
    def deleted(self, obj: ProposalComment) -> bool:
        return obj.is_deleted


@admin.register(ProposalStatusChange)
class ProposalStatusChangeAdmin(ReadOnlyAdmin):
    """The public history of a proposal: nobody edits or deletes it."""

    list_display = ("proposal", "from_status", "to_status", "by_role", "created_at")
    list_filter = ("to_status", "by_role")
    list_select_related = ("proposal",)
    search_fields = ("note", "proposal__title")
    date_hierarchy = "created_at"
    fields = ("proposal", "from_status", "to_status", "note", "by_role", "created_at")
    readonly_fields = fields
