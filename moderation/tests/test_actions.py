"""Moderators' decisions, edits and suspensions: each changes what it says, is logged with its reason,
takes the item out of the queue, and is refused to anyone who is not a moderator."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from citizens.tests.factories import UserFactory
from moderation import actions
from moderation.models import (
    ActionKind,
    Flag,
    ModerationAction,
    ModerationReason,
    ModerationState,
    QueueItem,
    Suspension,
)
from proposals.models import ProposalComment
from proposals.tests.factories import StoredProposalFactory
from services.models import Report, ReportComment, ReportPhoto
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

PUBLISHED, PENDING = ModerationState.PUBLISHED, ModerationState.PENDING
HIDDEN, REJECTED = ModerationState.HIDDEN, ModerationState.REJECTED


@pytest.fixture
def comment(citizen):
    return ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Call 0812 3456 7890")


def in_state(item, state: str):
    type(item).objects.filter(pk=item.pk).update(moderation_state=state)
    item.refresh_from_db()
    return item


def decide(moderator, item, action: str, reason: str = "spam", note: str = ""):
    return actions.moderate(moderator=moderator, target=item, action=action, reason_code=reason, note=note)


# Decisions.


@pytest.mark.parametrize(
    ("before", "action", "after"),
    [
        (PENDING, ActionKind.APPROVE, PUBLISHED),
        (PENDING, ActionKind.REJECT, REJECTED),
        (PENDING, ActionKind.HIDE, HIDDEN),
        (PUBLISHED, ActionKind.HIDE, HIDDEN),
        (PUBLISHED, ActionKind.REJECT, REJECTED),
        (HIDDEN, ActionKind.RESTORE, PUBLISHED),
        (REJECTED, ActionKind.RESTORE, PUBLISHED),
        (HIDDEN, ActionKind.APPROVE, PUBLISHED),
        (PUBLISHED, ActionKind.DISMISS_FLAGS, PUBLISHED),
        (HIDDEN, ActionKind.DISMISS_FLAGS, PUBLISHED),
    ],
)
def test_a_decision_moves_the_item_to_its_state_and_logs_both(moderator, comment, before, action, after):
    in_state(comment, before)

    decide(moderator, comment, action, note="  Checked  ")

    comment.refresh_from_db()
    assert comment.moderation_state == after
    entry = ModerationAction.objects.for_target(comment).get()
    assert (entry.actor, entry.actor_role, entry.action, entry.kind) == (
        moderator,
        "moderator",
        action,
        "report_comment",
    )
    assert (entry.reason, entry.note) == ("spam", "Checked")
    assert (entry.before, entry.after) == ({"state": before}, {"state": after})


def test_a_decision_resolves_the_flags_and_takes_the_item_out_of_the_queue(moderator, comment):
    for _ in range(2):
        actions.flag_create(flagger=UserFactory(), kind="report_comment", object_id=comment.pk, reason="spam")
    assert QueueItem.objects.get().flag_count == 2

    decide(moderator, comment, ActionKind.HIDE)

    assert not QueueItem.objects.exists()
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert Flag.objects.count() == 2


def test_dismissing_the_flags_of_a_pending_item_leaves_it_in_the_queue(moderator, comment):
    in_state(comment, PENDING)
    actions.queue_add(target=comment)

    decide(moderator, comment, ActionKind.DISMISS_FLAGS, reason="meets-rules")

    comment.refresh_from_db()
    assert comment.moderation_state == PENDING
    assert QueueItem.objects.filter(object_id=comment.pk, kind="report_comment").exists()


def test_hiding_tells_the_author_why_by_email(moderator, comment, citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator, comment, ActionKind.HIDE, reason="personal-information")

    assert [message.to for message in mail.outbox] == [[citizen.email]]
    assert "Contains personal information" in mail.outbox[0].body


def test_approving_sends_no_email(moderator, comment, django_capture_on_commit_callbacks):
    in_state(comment, PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator, comment, ActionKind.APPROVE, reason="meets-rules")

    assert mail.outbox == []


@pytest.mark.parametrize(("action", "reason"), [("delete", "spam"), ("hide", "no-such-reason"), ("hide", "")])
def test_an_unknown_action_or_reason_is_refused_and_changes_nothing(moderator, comment, action, reason):
    with pytest.raises(ValidationError):
        decide(moderator, comment, action, reason=reason)

    comment.refresh_from_db()
    assert comment.moderation_state == PUBLISHED
    assert not ModerationAction.objects.exists()


def test_a_reason_switched_off_is_refused(moderator, comment):
    ModerationReason.objects.filter(code="spam").update(active=False)

    with pytest.raises(ValidationError):
        decide(moderator, comment, ActionKind.HIDE, reason="spam")


# Edits.


def test_an_edit_changes_the_text_and_keeps_the_previous_one_in_the_log(moderator, comment):
    actions.content_edit(
        moderator=moderator, target=comment, text="Call [removed]", reason_code="personal-information", note="phone"
    )

    comment.refresh_from_db()
    assert comment.body == "Call [removed]"
    entry = ModerationAction.objects.for_target(comment).get()
    assert (entry.action, entry.reason, entry.note) == (ActionKind.EDIT, "personal-information", "phone")
    assert (entry.before, entry.after) == ({"body": "Call 0812 3456 7890"}, {"body": "Call [removed]"})


def test_an_edit_of_a_proposal_renders_its_markdown_again(moderator, citizen):
    proposal = StoredProposalFactory(author=citizen, body="Old", body_html="<p>Old</p>")

    actions.content_edit(moderator=moderator, target=proposal, text="*New*", reason_code="other")

    proposal.refresh_from_db()
    assert (proposal.body, proposal.body_html) == ("*New*", "<p><em>New</em></p>")


def test_an_edit_is_refused_for_a_photo_an_empty_comment_or_a_text_too_long(moderator, comment):
    photo = ReportPhoto.objects.create(report=comment.report)
    with pytest.raises(ValidationError):
        actions.content_edit(moderator=moderator, target=photo, text="x", reason_code="other")
    with pytest.raises(ValidationError) as empty:
        actions.content_edit(moderator=moderator, target=comment, text="", reason_code="other")
    with pytest.raises(ValidationError):
        actions.content_edit(moderator=moderator, target=comment, text="x" * 2001, reason_code="other")

    assert "text" in empty.value.message_dict
    comment.refresh_from_db()
    assert comment.body == "Call 0812 3456 7890"
    assert not ModerationAction.objects.exists()


# Suspensions.


def test_a_suspension_is_logged_with_its_reason_note_and_end(moderator, citizen):
    until = timezone.now() + timedelta(days=7)

    suspension = actions.user_suspend(
        moderator=moderator, user=citizen, reason_code="abusive", note="Insults", until=until
    )

    assert Suspension.objects.active().get() == suspension
    assert (suspension.user, suspension.created_by, suspension.ends_at) == (citizen, moderator, until)
    entry = ModerationAction.objects.for_target(citizen).get()
    assert (entry.action, entry.reason, entry.note, entry.kind) == (ActionKind.SUSPEND, "abusive", "Insults", "user")
    assert entry.after == {"until": until.isoformat(), "hide_content": False}


def test_lifting_a_suspension_is_logged(moderator, citizen):
    suspension = actions.user_suspend(moderator=moderator, user=citizen, reason_code="abusive")

    actions.user_unsuspend(moderator=moderator, suspension=suspension, note="Apologised")

    assert suspension.lifted_at is not None
    assert not Suspension.objects.active().exists()
    entry = ModerationAction.objects.for_target(citizen).first()
    assert (entry.action, entry.reason, entry.note) == (ActionKind.UNSUSPEND, "abusive", "Apologised")


def test_a_suspension_ending_in_the_past_or_of_a_staff_account_is_refused(moderator, citizen, staff):
    with pytest.raises(ValidationError):
        actions.user_suspend(
            moderator=moderator, user=citizen, reason_code="spam", until=timezone.now() - timedelta(hours=1)
        )
    with pytest.raises(ValidationError):
        actions.user_suspend(moderator=moderator, user=staff, reason_code="spam")

    assert not Suspension.objects.exists()


def test_hide_content_hides_everything_the_author_has_public_or_pending(moderator, citizen, other_citizen):
    report = ReportFactory(reporter=citizen)
    pending = in_state(ReportFactory(reporter=citizen), PENDING)
    rejected = in_state(ReportFactory(reporter=citizen), REJECTED)
    report_comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Spam")
    proposal = StoredProposalFactory(author=citizen)
    proposal_comment = ProposalComment.objects.create(
        proposal=StoredProposalFactory(author=other_citizen), author=citizen, body="x"
    )
    someone_elses = ReportFactory(reporter=other_citizen)

    actions.user_suspend(moderator=moderator, user=citizen, reason_code="spam", hide_content=True)

    for item in (report, pending, report_comment, proposal, proposal_comment):
        item.refresh_from_db()
        assert item.moderation_state == HIDDEN, item
        assert ModerationAction.objects.for_target(item).get().action == ActionKind.HIDE
    rejected.refresh_from_db()
    someone_elses.refresh_from_db()
    assert (rejected.moderation_state, someone_elses.moderation_state) == (REJECTED, PUBLISHED)
    assert not Report.objects.filter(reporter=citizen).visible().exists()


# Who may.


@pytest.mark.parametrize("person", ["citizen", "staff", "operator_staff"])
def test_only_moderators_decide_edit_or_suspend(request, person, comment, other_citizen, moderator):
    user = request.getfixturevalue(person)
    suspension = actions.user_suspend(moderator=moderator, user=other_citizen, reason_code="spam")
    attempts = [
        lambda: decide(user, comment, ActionKind.HIDE),
        lambda: actions.content_edit(moderator=user, target=comment, text="x", reason_code="spam"),
        lambda: actions.user_suspend(moderator=user, user=other_citizen, reason_code="spam"),
        lambda: actions.user_unsuspend(moderator=user, suspension=suspension),
    ]

    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()

    comment.refresh_from_db()
    assert (comment.moderation_state, comment.body) == (PUBLISHED, "Call 0812 3456 7890")
    assert Suspension.objects.active().count() == 1
    assert ModerationAction.objects.count() == 1  # the moderator's own suspension


def test_a_superuser_may_moderate(comment):
    root = UserFactory(is_staff=True, is_superuser=True)

    decide(root, comment, ActionKind.HIDE)

    assert ModerationAction.objects.get().actor_role == "moderator"
