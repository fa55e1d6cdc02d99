"""Citizens' proposals to improve city services, their supports, comments and the city's answers."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocreate.following import AbstractFollow
from cocreate.images import ProcessedImage
from moderation.models import Moderated, ModeratedQuerySet, ModerationState

TITLE_MAX = 120
SUMMARY_MAX = 300
BODY_MAX = 10_000
COMMENT_MAX = 5_000
OTHER_TOPIC = "other"


class ProposalStatus(models.TextChoices):
    PUBLISHED = "published", _("Collecting support")
    UNDER_REVIEW = "under_review", _("Under review by the city")
    ACCEPTED = "accepted", _("Accepted")
    PLANNED = "planned", _("Planned")
    IMPLEMENTED = "implemented", _("Implemented")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ANSWER_STATUSES = (
    ProposalStatus.ACCEPTED,
    ProposalStatus.PLANNED,
    ProposalStatus.IMPLEMENTED,
    ProposalStatus.DECLINED,
)
ANSWERED_STATUSES = (
    ProposalStatus.ACCEPTED,
    ProposalStatus.PLANNED,
    ProposalStatus.IMPLEMENTED,
    ProposalStatus.DECLINED,
)
SUPPORTABLE_STATUSES = (ProposalStatus.PUBLISHED,)

SORTS = {
    "supported": ("-support_count", "-created_at"),
    "newest": ("-created_at",),
    "closing": ("closes_at",),
    "answered": ("-answered_at", "-created_at"),
}


class ProposalQuerySet(ModeratedQuerySet):
    def readable_by(self, user) -> ProposalQuerySet:
        """Published proposals, and the user's own whatever their moderation state."""
        if user is not None and user.is_authenticated:
            return self.filter(Q(moderation_state=ModerationState.PUBLISHED) | Q(author_id=user.pk))
        return self.visible()

    def collecting(self, now=None) -> ProposalQuerySet:
        """Proposals that can still be supported."""
        return self.filter(status=ProposalStatus.PUBLISHED, closes_at__gt=now or timezone.now())

    def awaiting_answer(self) -> ProposalQuerySet:
        """The city's review queue, overdue answers first."""
        return self.filter(status=ProposalStatus.UNDER_REVIEW).order_by("answer_due_at", "pk")

    def overdue(self, now=None) -> ProposalQuerySet:
        return self.awaiting_answer().filter(answer_due_at__lt=now or timezone.now())

    def sorted_by(self, key: str) -> ProposalQuerySet:
        """Order by one of ``SORTS`` (most supported by default)."""
        fields = SORTS.get(key, SORTS["supported"])
        if key == "closing":
            return self.collecting().order_by(*fields, "pk")
        if key == "answered":
            return self.filter(answered_at__isnull=False).order_by(*fields, "pk")
        return self.order_by(*fields, "-pk")

    def search(self, text: str) -> ProposalQuerySet:
        """Full-text search on PostgreSQL; word matching elsewhere."""
        text = text.strip()
        if not text:
            return self
        if connection.vendor == "postgresql":
            vector = SearchVector("title", weight="A", config="simple") + SearchVector(
                "summary", "body", weight="B", config="simple"
            )
            return self.annotate(search=vector).filter(
                search=SearchQuery(text, config="simple", search_type="websearch")
            )
        query = Q()
        for word in text.split()[:10]:
            query &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        return self.filter(query)

    def for_listing(self) -> ProposalQuerySet:
        return self.select_related("author")

    def with_reader_state(self, user) -> ProposalQuerySet:
        """Note on each proposal whether ``user`` supports it (``reader_supports``) and follows it
        (``reader_follows``), in the same query; False for a visitor."""
        if user is None or not user.is_authenticated:
            return self.annotate(reader_supports=models.Value(False), reader_follows=models.Value(False))
        return self.annotate(
            reader_supports=models.Exists(Support.objects.filter(proposal=models.OuterRef("pk"), user=user)),
            reader_follows=models.Exists(ProposalFollow.objects.filter(proposal=models.OuterRef("pk"), user=user)),
        )


class Proposal(Moderated):
    """An improvement a citizen proposes; enough support brings an official, dated answer."""

    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX)
    body = models.TextField(_("proposal"), max_length=BODY_MAX, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    # Title, summary and answer as the open datasets publish them, personal data redacted: written
    # with the texts (proposal_create, proposal_update, proposal_answer), so the export does not
    # redact every row again. Text fields: a redaction marker can be longer than what it hides.
    redacted_title = models.TextField(editable=False, blank=True)
    redacted_summary = models.TextField(editable=False, blank=True)
    redacted_answer = models.TextField(editable=False, blank=True)
    topic = models.CharField(_("topic"), max_length=80, default=OTHER_TOPIC)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    show_name = models.BooleanField(_("show my name publicly"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ProposalStatus.choices, default=ProposalStatus.PUBLISHED
    )
    support_count = models.PositiveIntegerField(_("supports"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    threshold = models.PositiveIntegerField(_("supports needed"))
    closes_at = models.DateTimeField(_("support closes"))
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    answer = models.TextField(_("official answer"), blank=True)
    answer_html = models.TextField(editable=False, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        indexes = [
            models.Index(fields=["moderation_state", "-support_count", "-created_at"], name="proposal_supported"),
            models.Index(fields=["moderation_state", "-created_at"], name="proposal_newest"),
            models.Index(fields=["status", "closes_at"], name="proposal_closing"),
            models.Index(fields=["-answered_at"], name="proposal_answered"),
            models.Index(fields=["status", "answer_due_at"], name="proposal_review_queue"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="proposal_has_title"),
            models.CheckConstraint(
                condition=Q(lat__isnull=True, lon__isnull=True) | Q(lat__isnull=False, lon__isnull=False),
                name="proposal_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_collecting(self) -> bool:
        return self.status == ProposalStatus.PUBLISHED and self.closes_at > timezone.now()

    @property
    def is_editable(self) -> bool:
        """The author may edit until the first support or the first comment."""
        return self.status == ProposalStatus.PUBLISHED and self.support_count == 0 and self.comment_count == 0

    @property
    def is_support_withdrawable(self) -> bool:
        """Supports can be withdrawn while the proposal collects them."""
        return self.is_collecting

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.support_count / self.threshold)) if self.threshold else 100

    @property
    def public_author_name(self) -> str:
        if self.show_name and self.author is not None and self.author.display_name:
            return self.author.display_name
        return ""

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ProposalStatus.UNDER_REVIEW
            and self.answer_due_at is not None
            and self.answer_due_at < timezone.now()
        )


class ProposalImage(ProcessedImage, Moderated):
    """The optional image of a proposal; only the re-encoded copy without metadata is kept."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="image")
    image = models.ImageField(
        _("image"), upload_to="proposals/%Y/%m/", blank=True, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("thumbnail"), upload_to="proposals/%Y/%m/thumbs/", blank=True)

    class Meta:
        verbose_name = _("proposal image")
        verbose_name_plural = _("proposal images")

    def __str__(self) -> str:
        return f"{self.proposal_id}"


class Support(models.Model):
    """One citizen's support of one proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposals_one_support_each")]
        indexes = [models.Index(fields=["proposal", "created_at"], name="support_daily")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"


class ProposalCommentQuerySet(ModeratedQuerySet):
    def threads(self, proposal: Proposal, newest_first: bool = False):
        """Top-level comments with their replies prefetched, in two queries."""
        replies = ProposalComment.objects.visible().select_related("author").order_by("created_at", "pk")
        order = ("-created_at", "-pk") if newest_first else ("created_at", "pk")
        return (
            self.visible()
            .filter(proposal=proposal, parent__isnull=True)
            .select_related("author")
            .prefetch_related(models.Prefetch("replies", queryset=replies))
            .order_by(*order)
        )


class ProposalComment(Moderated):
    """A comment on a proposal, or a reply to one (one level deep)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    # Kept (its replies too) when the author deletes their account; the text is blanked then.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal_comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    body_html = models.TextField(editable=False, blank=True)
    show_name = models.BooleanField(_("show my name publicly"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ProposalCommentQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("proposal comment")
        verbose_name_plural = _("proposal comments")
        indexes = [models.Index(fields=["proposal", "parent", "created_at"], name="proposal_comment_thread")]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.body[:40]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_editable_by(self, user) -> bool:
        """The author edits a comment for a few minutes after writing it."""
        window = timedelta(minutes=settings.PROPOSAL_COMMENT_EDIT_MINUTES)
        return (
            user is not None
            and self.author_id == user.pk
            and not self.is_deleted
            and timezone.now() - self.created_at <= window
        )

    @property
    def public_author_name(self) -> str:
        return self.author.display_name if self.show_name and self.author and self.author.display_name else ""


class ProposalStatusChange(models.Model):
    """A dated entry on the proposal page: every change of status, with the answer when there is one."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=16, choices=ProposalStatus.choices)
    to_status = models.CharField(max_length=16, choices=ProposalStatus.choices)
    note = models.TextField(blank=True)
    by_role = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class ProposalFollow(AbstractFollow):
    """A person who gets an email for each change of a proposal's status."""

    target_field = "proposal"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_follows")

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposals_follow_unique")]
