"""The proposals admin: city staff answer through proposal_answer; moderators only read; no email leaks."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from proposals.actions import (
    proposal_answer,
    proposal_comment_create,
    proposal_create,
    proposal_support,
    proposal_withdraw,
)
from proposals.models import Proposal, ProposalComment, ProposalFollow, ProposalStatus, ProposalStatusChange, Support
from services.tests.factories import image_upload

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:proposals_proposal_changelist")


def sign_in(client, user):
    return sign_in_with_totp(client, user)


def change_url(proposal: Proposal) -> str:
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


def publish(author, title: str = "Shade trees on Jalan Braga") -> Proposal:
    return proposal_create(author=author, title=title, summary="Plant trees so people can walk in the shade.")


def under_review(proposal: Proposal, due_in_days: int) -> Proposal:
    """As if the threshold had been reached: the answer is due in (or was due ``-``) that many days."""
    due = timezone.now() + timedelta(days=due_in_days)
    Proposal.objects.filter(pk=proposal.pk).update(
        status=ProposalStatus.UNDER_REVIEW, threshold_reached_at=due - timedelta(days=30), answer_due_at=due
    )
    proposal.refresh_from_db()
    return proposal


def listed(client, **params) -> list[int]:
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    return [proposal.pk for proposal in response.context["cl"].result_list]


@pytest.fixture
def proposal(citizen, other_citizen):
    proposal = publish(citizen)
    proposal_support(proposal=proposal, user=other_citizen)
    return under_review(proposal, 5)


@pytest.fixture
def superuser(db):
    return UserFactory(display_name="Root", is_staff=True, is_superuser=True)


def test_staff_open_the_proposal_list_and_a_proposal_with_the_answer_form(client, staff, proposal):
    sign_in(client, staff)

    assert client.get(CHANGELIST).status_code == 200
    page = client.get(change_url(proposal))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="new_status"' in content
    assert 'name="answer_text"' in content
    # The proposal's own text is shown, not edited.
    for field in ("title", "summary", "body", "answer", "status", "moderation_state"):
        assert f'name="{field}"' not in content


def test_staff_answer_through_the_change_page_and_everyone_is_told(
    client, staff, proposal, citizen, other_citizen, django_capture_on_commit_callbacks
):
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(proposal),
            {"new_status": ProposalStatus.ACCEPTED, "answer_text": "We will plant forty trees.", "_save": "1"},
        )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.answered_by) == (
        ProposalStatus.ACCEPTED,
        "We will plant forty trees.",
        staff,
    )
    assert proposal.answered_at is not None
    change = ProposalStatusChange.objects.get(proposal=proposal)
    assert (change.from_status, change.to_status, change.note, change.by_role) == (
        ProposalStatus.UNDER_REVIEW,
        ProposalStatus.ACCEPTED,
        "We will plant forty trees.",
        "city",
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted([citizen.email, other_citizen.email])
    assert all("We will plant forty trees." in message.body for message in mail.outbox)


def test_saving_without_an_answer_changes_nothing(client, staff, proposal, django_capture_on_commit_callbacks):
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(change_url(proposal), {"new_status": "", "answer_text": "", "_save": "1"})

    assert response.status_code == 302
    assert Proposal.objects.get().status == ProposalStatus.UNDER_REVIEW
    assert not ProposalStatusChange.objects.exists()
    assert callbacks == []


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new_status": ProposalStatus.DECLINED, "answer_text": "  "}, "answer_text", "required"),
        ({"new_status": "", "answer_text": "An orphan answer"}, "new_status", "Choose a status"),
        ({"new_status": ProposalStatus.WITHDRAWN, "answer_text": "Gone"}, "new_status", "Select a valid choice"),
        ({"new_status": ProposalStatus.PUBLISHED, "answer_text": "Back"}, "new_status", "Select a valid choice"),
        ({"new_status": ProposalStatus.ACCEPTED, "answer_text": "x" * 10_001}, "answer_text", "at most"),
    ],
    ids=["decline without text", "text without status", "withdrawn", "published", "too long"],
)
def test_a_refused_answer_is_a_form_error_and_changes_nothing(
    client, staff, proposal, django_capture_on_commit_callbacks, data, field, message
):
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(change_url(proposal), {**data, "_save": "1"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert any(message in text for text in errors[field]), errors
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer, proposal.answered_at) == (ProposalStatus.UNDER_REVIEW, "", None)
    assert not ProposalStatusChange.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


def test_a_refusal_of_the_action_itself_is_shown_on_the_form(
    client, staff, citizen, django_capture_on_commit_callbacks
):
    withdrawn = publish(citizen)
    proposal_withdraw(proposal=withdrawn, by=citizen)
    sign_in(client, staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            change_url(withdrawn), {"new_status": ProposalStatus.ACCEPTED, "answer_text": "Yes", "_save": "1"}
        )

    assert response.status_code == 200
    assert "A withdrawn proposal cannot be answered." in response.context["adminform"].form.non_field_errors()
    assert Proposal.objects.get().status == ProposalStatus.WITHDRAWN
    assert callbacks == []


def test_a_moderator_reads_a_proposal_but_cannot_answer(
    client, moderator, proposal, django_capture_on_commit_callbacks
):
    sign_in(client, moderator)

    assert client.get(CHANGELIST).status_code == 200
    page = client.get(change_url(proposal))
    assert page.status_code == 200
    assert "Shade trees on Jalan Braga" in page.content.decode()
    assert 'name="new_status"' not in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        refused = client.post(
            change_url(proposal), {"new_status": ProposalStatus.DECLINED, "answer_text": "No.", "_save": "1"}
        )

    assert refused.status_code == 403
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == (ProposalStatus.UNDER_REVIEW, "")
    assert not ProposalStatusChange.objects.exists()
    assert mail.outbox == []


def test_a_citizen_cannot_open_the_proposal_admin(client, citizen, proposal):
    client.force_login(citizen)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_overdue_filter_lists_only_overdue_answers_oldest_due_first(client, staff, citizen):
    later = under_review(publish(citizen, "Later"), -2)
    oldest = under_review(publish(citizen, "Oldest"), -10)
    under_review(publish(citizen, "Not yet due"), 5)
    publish(citizen, "Collecting")
    answered = under_review(publish(citizen, "Answered late"), -20)
    proposal_answer(proposal=answered, by=staff, status=ProposalStatus.PLANNED, answer="In March.")
    sign_in(client, staff)

    assert listed(client, review="overdue") == [oldest.pk, later.pk]


def test_the_review_queue_puts_the_answers_due_first_at_the_top(client, staff, citizen):
    later = under_review(publish(citizen, "Later"), -2)
    not_due = under_review(publish(citizen, "Not yet due"), 5)
    oldest = under_review(publish(citizen, "Oldest"), -10)
    publish(citizen, "Collecting")
    sign_in(client, staff)

    assert listed(client, review="awaiting") == [oldest.pk, later.pk, not_due.pk]
    assert listed(client, status__exact=ProposalStatus.UNDER_REVIEW) == [oldest.pk, later.pk, not_due.pk]
    # Elsewhere the newest come first, and a column the user sorts by wins.
    assert listed(client)[0] not in (oldest.pk, later.pk, not_due.pk)
    by_title = client.get(CHANGELIST).context["cl"].list_display.index("title")
    assert listed(client, review="awaiting", o=str(by_title)) == [later.pk, not_due.pk, oldest.pk]


def test_the_list_marks_overdue_answers(client, staff, citizen):
    under_review(publish(citizen, "Overdue one"), -1)
    sign_in(client, staff)

    content = client.get(CHANGELIST).content.decode()

    assert 'alt="True"' in content  # the overdue column's check mark


def test_staff_find_a_proposal_by_a_word_of_its_title_or_summary(client, staff, citizen):
    trees = publish(citizen, "Shade trees")
    benches = proposal_create(author=citizen, title="Benches", summary="Seats along the river walk.")
    sign_in(client, staff)

    assert listed(client, q="shade") == [trees.pk]
    assert listed(client, q="river") == [benches.pk]
    assert listed(client, q="no such words") == []


def test_the_proposal_list_runs_the_same_number_of_queries_for_3_and_30_proposals(client, staff, citizen):
    sign_in(client, staff)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(CHANGELIST).status_code == 200
        return len(queries)

    for index in range(3):
        under_review(publish(citizen, f"Proposal {index}"), index - 1)
    few = count_queries()
    for index in range(27):
        extra = publish(citizen, f"Proposal {index + 3}")
        if index % 2:
            under_review(extra, index - 10)

    assert count_queries() == few


def test_the_proposal_list_stays_within_its_query_budget(client, staff, citizen, django_assert_max_num_queries):
    sign_in(client, staff)
    for index in range(30):
        publish(citizen, f"Proposal {index}")

    with django_assert_max_num_queries(15):
        assert client.get(CHANGELIST).status_code == 200


def test_the_admin_pages_show_display_names_and_never_an_email(client, superuser, proposal, citizen, other_citizen):
    proposal_comment_create(proposal=proposal, author=other_citizen, body="Yes please.")
    proposal_answer(proposal=proposal, by=superuser, status=ProposalStatus.ACCEPTED, answer="Yes.")
    sign_in(client, superuser)

    pages = [
        client.get(CHANGELIST),
        client.get(change_url(proposal)),
        client.get(reverse("admin:proposals_proposalcomment_changelist")),
        client.get(reverse("admin:proposals_proposalcomment_change", args=[ProposalComment.objects.get().pk])),
        client.get(reverse("admin:proposals_proposalstatuschange_changelist")),
    ]

    for page in pages:
        assert page.status_code == 200
        content = page.content.decode()
        assert citizen.email not in content
        assert other_citizen.email not in content
    assert citizen.display_name in pages[1].content.decode()
    assert other_citizen.display_name in pages[2].content.decode()


def test_staff_and_moderators_read_comments_but_nobody_edits_or_deletes_them(
    client, staff, moderator, superuser, proposal, other_citizen
):
    comment = proposal_comment_create(proposal=proposal, author=other_citizen, body="Yes please.")
    change = reverse("admin:proposals_proposalcomment_change", args=[comment.pk])

    for person in (staff, moderator, superuser):
        client.logout()
        sign_in(client, person)
        assert client.get(reverse("admin:proposals_proposalcomment_changelist")).status_code == 200
        page = client.get(change)
        assert page.status_code == 200
        assert 'name="body"' not in page.content.decode()
        assert client.post(change, {"body": "Edited", "_save": "1"}).status_code == 403
        assert client.get(reverse("admin:proposals_proposalcomment_delete", args=[comment.pk])).status_code == 403
        assert client.get(reverse("admin:proposals_proposalcomment_add")).status_code == 403

    assert ProposalComment.objects.get().body == "Yes please."


def test_the_status_history_is_read_only(client, superuser, moderator, proposal, staff):
    proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.ACCEPTED, answer="Yes.")
    change = ProposalStatusChange.objects.get()

    for person in (superuser, moderator):
        client.logout()
        sign_in(client, person)
        page = client.get(reverse("admin:proposals_proposalstatuschange_change", args=[change.pk]))
        assert page.status_code == 200
        assert 'name="note"' not in page.content.decode()
        assert client.get(reverse("admin:proposals_proposalstatuschange_delete", args=[change.pk])).status_code == 403
        assert client.get(reverse("admin:proposals_proposalstatuschange_add")).status_code == 403


def test_the_change_page_shows_the_history_and_the_answer(client, moderator, proposal, staff):
    proposal_answer(proposal=proposal, by=staff, status=ProposalStatus.DECLINED, answer="<b>Not</b> this year.")
    sign_in(client, moderator)

    content = client.get(change_url(proposal)).content.decode()

    assert "Under review by the city → Declined (city)" in content
    assert "&lt;b&gt;Not&lt;/b&gt; this year." in content
    assert "City Staff" in content  # who answered, by display name


def test_the_change_page_shows_the_image_thumbnail(
    client, staff, citizen, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        proposal = proposal_create(
            author=citizen, title="Shade trees", summary="Plant trees.", image_upload=image_upload()
        )
    image = proposal.image
    image.refresh_from_db()
    sign_in(client, staff)

    content = client.get(change_url(proposal)).content.decode()

    assert f'<a href="{image.image_url}"><img src="{image.thumbnail_url}"' in content


def test_supports_and_follows_are_counted_not_managed_in_the_admin():
    assert Support not in admin.site._registry
    assert ProposalFollow not in admin.site._registry
    assert Proposal in admin.site._registry
