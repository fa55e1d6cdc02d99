"""The review page of one queued item in the admin: opening it, editing text, removing a photo, deciding."""

import pytest
from django.urls import reverse

from moderation.models import ActionKind, ModerationAction, ModerationState, QueueItem
from moderation.tests.queue_admin import QUEUE, flag, pending, sign_in
from proposals.tests.factories import StoredProposalFactory
from services.models import ReportComment, ReportPhoto
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def review(item) -> str:
    kind = {"ReportComment": "report_comment", "Report": "report", "Proposal": "proposal"}[type(item).__name__]
    return reverse("admin:moderation_queueitem_review", args=[kind, item.pk])


def test_a_row_of_the_queue_opens_the_review_page_of_its_item(client, moderator, citizen):
    comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Call 0812 3456 7890")
    flag(comment, "report_comment", 1, reason="personal_information")
    sign_in(client, moderator)

    assert f'href="{review(comment)}"' in client.get(QUEUE).content.decode()
    content = client.get(review(comment)).content.decode()
    assert "Call <mark>0812 3456 7890</mark>" in content
    assert "Personal information" in content


def test_a_moderator_edits_a_comment_and_the_previous_text_stays_in_its_history(client, moderator, citizen):
    comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Call 0812 3456 7890")
    sign_in(client, moderator)
    data = {
        "step": "edit",
        "edit-text": "Call [removed]",
        "edit-reason": "personal-information",
        "edit-note": "phone",
    }

    response = client.post(review(comment), data, follow=True)

    comment.refresh_from_db()
    assert comment.body == "Call [removed]"
    entry = ModerationAction.objects.for_target(comment).get()
    assert (entry.action, entry.reason, entry.note) == (ActionKind.EDIT, "personal-information", "phone")
    assert entry.before == {"body": "Call 0812 3456 7890"}
    content = response.content.decode()
    assert "previous version is in the history below" in content
    assert "Call 0812 3456 7890" in content.split("History", 1)[1]


def test_a_proposal_edit_renders_its_text_again(client, moderator, citizen):
    proposal = StoredProposalFactory(
        author=citizen, body="Mail me at a@example.org", body_html="<p>Mail me at a@example.org</p>"
    )
    sign_in(client, moderator)

    client.post(review(proposal), {"step": "edit", "edit-text": "Mail me", "edit-reason": "personal-information"})

    proposal.refresh_from_db()
    assert (proposal.body, proposal.body_html) == ("Mail me", "<p>Mail me</p>")


def test_a_moderator_removes_one_photo_of_a_report(client, moderator, citizen):
    report = ReportFactory(reporter=citizen)
    kept = ReportPhoto.objects.create(report=report, state=ReportPhoto.State.READY, thumbnail="r/t/1.jpg")
    removed = ReportPhoto.objects.create(report=report, state=ReportPhoto.State.READY, thumbnail="r/t/2.jpg")
    sign_in(client, moderator)
    step = f"photo-{removed.pk}"

    response = client.post(review(report), {"step": step, f"{step}-reason": "personal-information"}, follow=True)

    kept.refresh_from_db()
    removed.refresh_from_db()
    assert (kept.moderation_state, removed.moderation_state) == (ModerationState.PUBLISHED, ModerationState.HIDDEN)
    entry = ModerationAction.objects.for_target(removed).get()
    assert (entry.action, entry.kind) == (ActionKind.HIDE, "report_photo")
    assert "The photo was removed." in response.content.decode()


def test_a_decision_on_the_review_page_needs_a_reason_and_then_leaves_the_queue(client, moderator, citizen):
    report = ReportFactory(reporter=citizen)
    pending(report)
    sign_in(client, moderator)

    refused = client.post(review(report), {"step": "decide", "decide-decision": "approve", "decide-reason": ""})
    report.refresh_from_db()
    assert refused.status_code == 200 and report.moderation_state == ModerationState.PENDING

    done = client.post(review(report), {"step": "decide", "decide-decision": "approve", "decide-reason": "meets-rules"})
    report.refresh_from_db()
    assert done.status_code == 302 and done["Location"] == QUEUE
    assert report.moderation_state == ModerationState.PUBLISHED
    assert not QueueItem.objects.exists()


def test_city_staff_cannot_open_a_review_page(client, staff, citizen):
    comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Hello")
    sign_in(client, staff)

    assert client.get(review(comment)).status_code == 403
    response = client.post(review(comment), {"step": "edit", "edit-text": "x", "edit-reason": "spam"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "Hello"
