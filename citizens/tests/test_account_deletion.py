"""“Delete my account”: after confirming, the account and its personal data go; what it
published for the city stays, anonymous; the audit log stays whole; staff ask an administrator."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from citizens import account_deletion, roles
from citizens.actions import api_token_issue
from citizens.models import ApiToken, User
from citizens.tests.factories import PASSWORD, UserFactory
from moderation import actions as moderation_actions
from moderation.models import ActionKind, Flag, FlagReason, ModerationAction, ModerationState, QueueItem, Suspension
from proposals import personal_data as proposal_personal_data
from proposals.models import ProposalComment, ProposalFollow, Support
from proposals.tests.factories import CommentFactory, ProposalFactory, SupportFactory
from services.models import Follow, Report, ReportComment, ReportContact
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/delete/"

# Placeholders that outlive their author need ProposalComment.author to be nullable with SET_NULL.
needs_set_null = pytest.mark.xfail(
    not proposal_personal_data.comments_outlive_their_author(),
    strict=True,
    reason="needs ProposalComment.author SET_NULL",
)


def confirm(client, person, **changes):
    client.force_login(person)
    return client.post(URL, {"email": person.email, "password": PASSWORD, **changes})


@pytest.fixture
def deleted(client, citizen, django_capture_on_commit_callbacks):
    """Delete the citizen's account through the page; the response follows to the home page."""

    def delete():
        client.force_login(citizen)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {"email": citizen.email.upper(), "password": PASSWORD}, follow=True)

    return delete


# Confirmation -----------------------------------------------------------------------------------------


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_says_what_goes_and_what_stays(client, citizen):
    client.force_login(citizen)
    page = client.get(URL).content.decode()
    assert "What is deleted" in page and "What stays" in page
    assert 'name="email"' in page and 'name="password"' in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"email": "someone@example.org"}, "email"), ({"password": "not-my-password"}, "password")],
)
def test_a_wrong_email_or_password_deletes_nothing(client, citizen, changes, field):
    report = ReportFactory(reporter=citizen)
    response = confirm(client, citizen, **changes)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert User.objects.filter(pk=citizen.pk).exists()
    assert Report.objects.get(pk=report.pk).reporter_id == citizen.pk
    assert mail.outbox == []


def test_an_account_without_a_password_confirms_with_the_email_alone(client, citizen):
    citizen.set_unusable_password()
    citizen.save()
    client.force_login(citizen)
    assert 'name="password"' not in client.get(URL).content.decode()
    response = client.post(URL, {"email": citizen.email})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()


@pytest.mark.parametrize("fields", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_staff_are_told_to_ask_an_administrator(client, fields):
    person = UserFactory(**fields)
    client.force_login(person)
    assert "Ask an administrator" in client.get(URL).content.decode()
    response = confirm(client, person)
    assert response.status_code == 403
    assert User.objects.filter(pk=person.pk).exists()
    with pytest.raises(PermissionDenied):
        account_deletion.account_delete(user=person, email=person.email, password=PASSWORD)


# What goes and what stays ----------------------------------------------------------------------------


def test_the_citizen_is_logged_out_and_told_on_the_home_page(client, citizen, deleted):
    response = deleted()
    assert response.redirect_chain == [("/", 302)]
    assert "Your account has been deleted." in response.content.decode()
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert not response.wsgi_request.user.is_authenticated
    assert client.get("/accounts/profile/").status_code == 302


def test_a_confirmation_email_goes_to_the_address(citizen, deleted):
    address = citizen.email
    deleted()
    [message] = mail.outbox
    assert message.to == [address]
    assert "deleted" in message.subject
    assert address in message.body


def test_reports_and_proposals_stay_published_without_their_author(client, citizen, deleted):
    report = ReportFactory(reporter=citizen, show_name=True, description="Broken streetlight")
    ReportContact.objects.create(report=report, email="private@example.org", phone="0812")
    proposal = ProposalFactory(author=citizen, title="Shade trees")
    deleted()
    report.refresh_from_db()
    proposal.refresh_from_db()
    assert report.reporter is None and report.moderation_state == ModerationState.PUBLISHED
    assert proposal.author is None and proposal.moderation_state == ModerationState.PUBLISHED
    assert not ReportContact.objects.filter(report=report).exists()
    client.logout()
    assert "Broken streetlight" in client.get(report.get_absolute_url()).content.decode()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Shade trees" in page and "Citizen One" not in page


def test_supports_go_and_the_counts_stay(citizen, other_citizen, deleted):
    proposal = ProposalFactory(author=other_citizen)
    SupportFactory(proposal=proposal, user=citizen)
    SupportFactory(proposal=proposal)
    deleted()
    proposal.refresh_from_db()
    assert proposal.support_count == 2
    assert Support.objects.filter(proposal=proposal).count() == 1


def test_follows_flags_tokens_addresses_and_authenticators_go(citizen, other_citizen, deleted):
    report = ReportFactory(reporter=other_citizen)
    Follow.objects.create(report=report, user=citizen)
    ProposalFollow.objects.create(proposal=ProposalFactory(author=other_citizen), user=citizen)
    Flag.objects.create(
        content_type=ContentType.objects.get_for_model(report),
        object_id=report.pk,
        flagger=citizen,
        reason=FlagReason.SPAM,
    )
    api_token_issue(user=citizen, for_staff=False)
    Authenticator.objects.create(user=citizen, type=Authenticator.Type.TOTP, data={"secret": "x"})
    pk = citizen.pk
    deleted()
    for model, field in (
        (Follow, "user"),
        (ProposalFollow, "user"),
        (Flag, "flagger"),
        (ApiToken, "user"),
        (EmailAddress, "user"),
        (Authenticator, "user"),
        (Suspension, "user"),
    ):
        assert not model.objects.filter(**{f"{field}_id": pk}).exists(), model


def test_report_comments_are_deleted_and_leave_the_queue(citizen, other_citizen, deleted):
    report = ReportFactory(reporter=other_citizen)
    mine = ReportComment.objects.create(report=report, author=citizen, body="My words")
    moderation_actions.queue_add(target=mine)
    theirs = ReportComment.objects.create(report=report, author=other_citizen, body="Their words")
    deleted()
    assert list(ReportComment.objects.all()) == [theirs]
    assert not QueueItem.objects.filter(object_id=mine.pk, kind="report_comment").exists()


@needs_set_null
def test_a_proposal_comment_others_replied_to_becomes_a_placeholder(citizen, other_citizen, deleted):
    proposal = ProposalFactory(author=other_citizen)
    mine = CommentFactory(proposal=proposal, author=citizen, body="My words")
    reply = CommentFactory(proposal=proposal, author=other_citizen, parent=mine, body="Their reply")
    deleted()
    mine.refresh_from_db()
    assert (mine.author_id, mine.body, mine.body_html) == (None, "", "")
    assert mine.is_deleted
    assert ProposalComment.objects.get(pk=reply.pk).body == "Their reply"
    proposal.refresh_from_db()
    assert proposal.comment_count == 2


@needs_set_null
def test_other_proposal_comments_are_deleted_and_the_count_follows(citizen, other_citizen, deleted):
    proposal = ProposalFactory(author=other_citizen)
    alone = CommentFactory(proposal=proposal, author=citizen, body="Nobody answered")
    CommentFactory(proposal=proposal, author=citizen, parent=alone, body="Talking to myself")
    theirs = CommentFactory(proposal=proposal, author=other_citizen, body="Their comment")
    CommentFactory(proposal=proposal, author=citizen, parent=theirs, body="My reply")
    deleted()
    assert list(ProposalComment.objects.values_list("body", flat=True)) == ["Their comment"]
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_it_refuses_while_deleting_would_take_other_peoples_replies(citizen, other_citizen, monkeypatch):
    """Until ProposalComment.author is SET_NULL, deleting the author would cascade to the replies."""
    monkeypatch.setattr(proposal_personal_data, "comments_outlive_their_author", lambda: False)
    mine = CommentFactory(author=citizen)
    CommentFactory(proposal=mine.proposal, author=other_citizen, parent=mine)
    with pytest.raises(ValidationError):
        account_deletion.account_delete(user=citizen, email=citizen.email, password=PASSWORD)
    assert User.objects.filter(pk=citizen.pk).exists()
    assert ProposalComment.objects.filter(author=citizen, body=mine.body).exists()


def test_the_audit_log_keeps_entries_by_and_about_the_citizen(citizen, other_citizen, moderator, deleted):
    citizen.groups.add(Group.objects.get_or_create(name=roles.MODERATORS)[0])
    theirs = ReportFactory(reporter=other_citizen)
    moderation_actions.moderate(moderator=citizen, target=theirs, action=ActionKind.HIDE, reason_code="spam")
    mine = ReportFactory(reporter=citizen)
    moderation_actions.moderate(moderator=moderator, target=mine, action=ActionKind.HIDE, reason_code="spam")
    moderation_actions.user_suspend(moderator=moderator, user=citizen, reason_code="spam", note="Adverts")
    pk = citizen.pk
    before = ModerationAction.objects.count()
    deleted()
    assert ModerationAction.objects.count() == before
    by_them = ModerationAction.objects.for_target(theirs).get()
    assert (by_them.actor_id, by_them.actor_role) == (None, "moderator")
    assert ModerationAction.objects.for_target(mine).get().actor == moderator
    user_type = ContentType.objects.get_for_model(User)
    suspended = ModerationAction.objects.get(content_type=user_type, object_id=pk)
    assert (suspended.action, suspended.note) == (ActionKind.SUSPEND, "Adverts")


def test_a_second_deletion_of_the_same_account_does_nothing(citizen):
    assert account_deletion.account_delete(user=citizen, email=citizen.email, password=PASSWORD) is True
    assert account_deletion.account_delete(user=citizen, email=citizen.email, password=PASSWORD) is False
