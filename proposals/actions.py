"""Every write to proposals: pages, the REST API, the admin and tasks call these."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from citizens import roles
from citizens.models import User
from cocreate import geo, outbox, page_cache, safe_markdown
from cocreate.images import validate_image
from cocreate.redaction import published_html, redact
from cocreate.text_checks import clean_text
from moderation import actions as moderation_actions
from moderation import rules
from moderation.models import ActionKind, ModerationState
from proposals import supporting
from proposals.models import (
    ANSWER_STATUSES,
    BODY_MAX,
    COMMENT_MAX,
    OTHER_TOPIC,
    SUMMARY_MAX,
    TITLE_MAX,
    Proposal,
    ProposalComment,
    ProposalFollow,
    ProposalImage,
    ProposalStatus,
    ProposalStatusChange,
    Support,
)
from services.models import Service


def _pages_changed(proposal_id: int) -> None:
    """The list and the proposal's page show this write: their cached copies go stale on commit."""
    page_cache.bump("proposals", f"proposal:{proposal_id}")


def topic_choices() -> list[str]:
    """The service groups of the catalogue, and "other"."""
    return [*Service.objects.active().groups(), OTHER_TOPIC]


check_can_contribute = rules.check_can_contribute


def can_answer(user: User | None) -> bool:
    """City staff answer proposals (moderators do not)."""
    return roles.is_city_staff(user)


def _clean_text(value: str, field: str, limit: int, required: bool, errors: dict, multiline: bool = True) -> str:
    """``cocreate.text_checks.clean_text``, adding its message to ``errors`` under ``field``."""
    try:
        return clean_text(value, limit=limit, required=required, multiline=multiline)
    except ValidationError as error:
        errors[field] = error.messages
        return value.strip() if isinstance(value, str) else value or ""


def _clean_proposal_fields(*, title, summary, body, topic, lat, lon) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    cleaned = {
        "title": _clean_text(title, "title", TITLE_MAX, True, errors, multiline=False),
        "summary": _clean_text(summary, "summary", SUMMARY_MAX, True, errors),
        "body": _clean_text(body, "body", BODY_MAX, False, errors),
        "topic": (topic or OTHER_TOPIC).strip(),
    }
    if cleaned["topic"] not in topic_choices():
        errors["topic"] = [_("Choose one of the listed topics.")]
    try:
        cleaned["lat"], cleaned["lon"] = geo.parse_point(lat, lon)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def proposal_create(
    *,
    author: User,
    title: str,
    summary: str,
    body: str = "",
    topic: str = OTHER_TOPIC,
    lat: object = None,
    lon: object = None,
    show_name: bool = True,
    image_upload: UploadedFile | None = None,
) -> Proposal:
    """Publish a proposal: it collects support for the configured window."""
    check_can_contribute(author)
    try:
        fields = _clean_proposal_fields(title=title, summary=summary, body=body, topic=topic, lat=lat, lon=lon)
        image_errors = None
    except ValidationError as error:
        fields, image_errors = None, error
    if image_upload is not None:
        try:
            validate_image(image_upload)
        except ValidationError as error:
            merged = image_errors.message_dict if image_errors else {}
            raise ValidationError({**merged, "image": error.messages}) from None
    if image_errors:
        raise image_errors
    now = timezone.now()
    proposal = Proposal(
        **fields,
        body_html=published_html(fields["body"]),
        redacted_title=redact(fields["title"]),
        redacted_summary=redact(fields["summary"]),
        author=author,
        show_name=show_name,
        threshold=settings.PROPOSAL_SUPPORT_THRESHOLD,
        closes_at=now + timedelta(days=settings.PROPOSAL_SUPPORT_WINDOW_DAYS),
        created_at=now,
        updated_at=now,
        moderation_state=rules.initial_state(author),
    )
    proposal.full_clean()
    proposal.save()
    ProposalFollow.objects.create(proposal=proposal, user=author)
    if proposal.moderation_state == ModerationState.PENDING:
        moderation_actions.queue_add(target=proposal)
    if image_upload is not None:
        image = ProposalImage(proposal=proposal)
        image.upload.save(image_upload.name or "image", image_upload, save=False)
        image.save()
        from proposals.tasks import process_proposal_image_task

        outbox.enqueue(process_proposal_image_task, image_id=image.pk)
    _pages_changed(proposal.pk)
    return proposal


@transaction.atomic
def proposal_update(*, proposal: Proposal, by: User, **changes: object) -> Proposal:
    """The author edits a proposal until its first support or comment."""
    check_can_contribute(by)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the author can edit a proposal."))
    if not proposal.is_editable:
        raise ValidationError({"proposal": _("A proposal cannot be edited once it has supports or comments.")})
    current = {name: getattr(proposal, name) for name in ("title", "summary", "body", "topic", "lat", "lon")}
    unknown = set(changes) - set(current) - {"show_name"}
    if unknown:
        raise ValidationError({name: [_("This field cannot be changed.")] for name in unknown})
    fields = _clean_proposal_fields(**{**current, **{k: v for k, v in changes.items() if k in current}})
    for name, value in fields.items():
        setattr(proposal, name, value)
    if "show_name" in changes:
        proposal.show_name = bool(changes["show_name"])
    now = timezone.now()
    proposal.body_html = published_html(proposal.body)
    proposal.redacted_title, proposal.redacted_summary = redact(proposal.title), redact(proposal.summary)
    proposal.edited_at = proposal.updated_at = now
    proposal.save()
    _pages_changed(proposal.pk)
    return proposal


def _record_change(proposal: Proposal, from_status: str, to_status: str, note: str = "", by_role: str = "") -> None:
    change = ProposalStatusChange.objects.create(
        proposal=proposal, from_status=from_status, to_status=to_status, note=note, by_role=by_role
    )
    from proposals.tasks import notify_proposal_change_task

    outbox.enqueue(notify_proposal_change_task, change_id=change.pk)


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by: User) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the author can withdraw a proposal."))
    if proposal.status != ProposalStatus.PUBLISHED:
        raise ValidationError({"status": _("Only a proposal collecting support can be withdrawn.")})
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.updated_at = timezone.now()
    proposal.save(update_fields=["status", "updated_at"])
    _record_change(proposal, ProposalStatus.PUBLISHED, ProposalStatus.WITHDRAWN, by_role="author")
    _pages_changed(proposal.pk)
    return proposal


@transaction.atomic
def proposal_support(*, proposal: Proposal, user: User) -> bool:
    """Support a proposal; True when the support is new, False when it already existed.

    Five statements with the transaction's own (``proposals.supporting``): the support and the
    follow, inserted unless there, then the count, which holds every rule, adds one and crosses
    the threshold, on the proposal's row, locked until the commit: the count is exact and the
    threshold is crossed exactly once. Only a refused or repeated support asks more of the
    database, to say why.
    """
    rules.check_account(user)
    now = timezone.now()
    if not supporting.support_insert(proposal_id=proposal.pk, user_id=user.pk, now=now):
        _check_support(proposal, user, collecting=False)  # a repeated support is refused as a first one is
        return False
    supporting.follow_insert(proposal_id=proposal.pk, user_id=user.pk, now=now)
    status = supporting.support_count(
        proposal_id=proposal.pk,
        user_id=user.pk,
        now=now,
        answer_due_at=now + timedelta(days=settings.PROPOSAL_ANSWER_DAYS),
    )
    if status is None:  # a rule refused it: the support and the follow are rolled back with the error
        _check_support(proposal, user, collecting=True)
        raise ValidationError({"proposal": _("This proposal cannot be supported.")})
    if status == ProposalStatus.UNDER_REVIEW:
        _record_change(proposal, ProposalStatus.PUBLISHED, ProposalStatus.UNDER_REVIEW, by_role="threshold")
    _pages_changed(proposal.pk)
    return True


def _check_support(proposal: Proposal, user: User, *, collecting: bool) -> None:
    """The refusals of a support, in the order the person hears them: who they are, whether the
    proposal can be seen, whether it is their own, whether it still collects support."""
    check_can_contribute(user)
    current = Proposal.objects.visible().filter(pk=proposal.pk).only("pk", "status", "closes_at").first()
    if current is None:
        raise ValidationError({"proposal": _("This proposal cannot be supported.")})
    if proposal.author_id == user.pk:
        raise PermissionDenied(_("You cannot support your own proposal: supports show that other people want it too."))
    if collecting and not current.is_collecting:
        raise ValidationError({"proposal": _("This proposal is no longer collecting support.")})


@transaction.atomic
def proposal_unsupport(*, proposal: Proposal, user: User) -> bool:
    """Withdraw a support while the proposal collects support; True when one was removed.

    Once the threshold is reached the proposal is with the city, and its count stands.
    """
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_support_withdrawable:
        raise ValidationError({"proposal": _("Supports can no longer be withdrawn from this proposal.")})
    deleted, _details = Support.objects.filter(proposal=locked, user=user).delete()
    if deleted:
        Proposal.objects.filter(pk=locked.pk).update(support_count=F("support_count") - 1)
        _pages_changed(locked.pk)
    return bool(deleted)


def check_answer(*, proposal: Proposal, by: User, status: str, answer: str) -> str:
    """Every rule of ``proposal_answer``, checked without writing; returns the answer's text."""
    if not can_answer(by):
        raise PermissionDenied(_("Only city staff can answer proposals."))
    errors: dict[str, list[str]] = {}
    text = _clean_text(answer, "answer", BODY_MAX, True, errors)
    if status not in ANSWER_STATUSES:
        errors["status"] = [_("Choose accepted, planned, implemented or declined.")]
    if proposal.status == ProposalStatus.WITHDRAWN:
        errors["proposal"] = [_("A withdrawn proposal cannot be answered.")]
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def proposal_answer(*, proposal: Proposal, by: User, status: str, answer: str) -> Proposal:
    """The city's public answer, with a new status; the author, supporters and followers are told."""
    if not can_answer(by):
        raise PermissionDenied(_("Only city staff can answer proposals."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    text = check_answer(proposal=proposal, by=by, status=status, answer=answer)
    now = timezone.now()
    previous = proposal.status
    proposal.status = status
    proposal.answer = text
    proposal.answer_html = safe_markdown.render(text)
    proposal.redacted_answer = redact(text)
    proposal.answered_at = proposal.updated_at = now
    proposal.answered_by = by
    proposal.save(
        update_fields=["status", "answer", "answer_html", "redacted_answer", "answered_at", "answered_by", "updated_at"]
    )
    _record_change(proposal, previous, status, note=text, by_role="city")
    moderation_actions.log_action(
        actor=by,
        action=ActionKind.ANSWER,
        acting_as=roles.CITY_STAFF,
        target=proposal,
        note=text,
        before={"status": previous},
        after={"status": status},
    )
    _pages_changed(proposal.pk)
    return proposal


@transaction.atomic
def proposal_comment_create(
    *, proposal: Proposal, author: User, body: str, parent: ProposalComment | None = None, show_name: bool = True
) -> ProposalComment:
    """Comment on a visible proposal, or reply to a top-level comment."""
    check_can_contribute(author)
    errors: dict[str, list[str]] = {}
    text = _clean_text(body, "body", COMMENT_MAX, True, errors)
    if not Proposal.objects.visible().filter(pk=proposal.pk).exists():
        errors["proposal"] = [_("This proposal cannot be commented on.")]
    if parent is not None and (
        parent.proposal_id != proposal.pk or parent.parent_id is not None or not parent.is_visible
    ):
        errors["parent"] = [_("Reply to a comment of this proposal.")]
    if errors:
        raise ValidationError(errors)
    comment = ProposalComment.objects.create(
        proposal=proposal,
        author=author,
        parent=parent,
        body=text,
        body_html=published_html(text),
        show_name=show_name,
        moderation_state=rules.initial_state(author),
    )
    if comment.moderation_state == ModerationState.PENDING:
        moderation_actions.queue_add(target=comment)
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    _pages_changed(proposal.pk)
    return comment


@transaction.atomic
def proposal_comment_edit(*, comment: ProposalComment, by: User, body: str) -> ProposalComment:
    """The author edits a comment within the edit window; it is marked as edited."""
    comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != by.pk:
        raise PermissionDenied(_("Only the author can edit a comment."))
    check_can_contribute(by)
    if not comment.is_editable_by(by):
        raise ValidationError({"body": _("Comments can be edited for 15 minutes after they are written.")})
    errors: dict[str, list[str]] = {}
    text = _clean_text(body, "body", COMMENT_MAX, True, errors)
    if errors:
        raise ValidationError(errors)
    comment.body, comment.body_html, comment.edited_at = text, published_html(text), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _pages_changed(comment.proposal_id)
    return comment


@transaction.atomic
def proposal_comment_delete(*, comment: ProposalComment, by: User) -> ProposalComment:
    """The author deletes a comment: its text goes, its replies stay."""
    comment = ProposalComment.objects.select_for_update().get(pk=comment.pk)
    if comment.author_id != by.pk:
        raise PermissionDenied(_("Only the author can delete a comment."))
    comment.body = comment.body_html = ""
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "deleted_at"])
    _pages_changed(comment.proposal_id)
    return comment


def proposal_follow(*, proposal: Proposal, user: User) -> bool:
    """Follow a proposal; returns True when the follow is new."""
    rules.check_verified(user)
    return ProposalFollow.add(target=proposal, user=user)


def proposal_unfollow(*, proposal: Proposal, user: User) -> bool:
    """Stop following a proposal (the page's button, the API, the link in every email)."""
    return ProposalFollow.remove(target=proposal, user=user)


def proposal_image_process(*, image_id: int) -> bool:
    image = ProposalImage.objects.filter(pk=image_id).first()
    if image is None:
        return False
    ready = image.process(f"p{image.proposal_id}-{image.pk}")
    _pages_changed(image.proposal_id)
    return ready
