"""Citizens flag what breaks the rules: once each; enough flaggers hide the item pending review."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from citizens.tests.factories import UserFactory
from moderation import actions
from moderation.models import (
    ActionKind,
    Flag,
    FlagReason,
    ModerationAction,
    ModerationReason,
    ModerationState,
    QueueItem,
    Suspension,
)
from proposals.models import ProposalComment
from proposals.tests.factories import StoredProposalFactory
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def flag(user, target, kind: str = "report", reason: str = FlagReason.SPAM, note: str = ""):
    return actions.flag_create(flagger=user, kind=kind, object_id=target.pk, reason=reason, note=note)


def queue_item_of(target) -> QueueItem:
    return QueueItem.objects.get(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)


# The action ----------------------------------------------------------------------------------------


def test_a_citizen_flags_a_report_once(citizen):
    report = ReportFactory()
    first, created = flag(citizen, report, note="  Selling phones  ")
    assert created
    assert (first.flagger, first.target, first.reason, first.note) == (citizen, report, "spam", "Selling phones")
    again, created_again = flag(citizen, report, reason=FlagReason.ABUSIVE)
    assert (again.pk, created_again) == (first.pk, False)
    assert Flag.objects.count() == 1
    assert queue_item_of(report).flag_count == 1


def test_the_same_person_flagging_again_does_not_hide_the_item(citizen):
    report = ReportFactory()
    for _ in range(5):
        flag(citizen, report)
    report.refresh_from_db()
    assert report.is_visible
    assert queue_item_of(report).flag_count == 1


def test_three_distinct_flaggers_hide_the_item_log_it_tell_the_author_and_top_the_queue(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.MODERATION_AUTO_HIDE_FLAGS = 3
    author = UserFactory(email="author@example.org")
    report = ReportFactory(reporter=author)
    older_pending = ReportFactory(moderation_state=ModerationState.PENDING)
    actions.queue_add(target=older_pending)
    once_flagged = ReportFactory()
    flag(UserFactory(), once_flagged)
    flaggers = UserFactory.create_batch(3)

    with django_capture_on_commit_callbacks(execute=True):
        flag(flaggers[0], report)
        flag(flaggers[1], report, reason=FlagReason.ABUSIVE)
    report.refresh_from_db()
    assert report.is_visible and not mailoutbox

    with django_capture_on_commit_callbacks(execute=True):
        flag(flaggers[2], report, reason=FlagReason.PERSONAL_INFORMATION)
    report.refresh_from_db()
    assert report.moderation_state == ModerationState.HIDDEN

    entry = ModerationAction.objects.for_target(report).get()
    assert (entry.action, entry.actor, entry.actor_role, entry.kind) == (ActionKind.AUTO_HIDE, None, "system", "report")
    assert entry.reason == FlagReason.PERSONAL_INFORMATION

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["author@example.org"]
    assert "Personal information" in email.body
    assert f"/reports/{report.pk}/" in email.body

    item = queue_item_of(report)
    assert (item.flag_count, item.auto_hidden, item.kind, item.author) == (3, True, "report", author)
    assert QueueItem.objects.first() == item
    assert [queued.object_id for queued in QueueItem.objects.all()] == [report.pk, once_flagged.pk, older_pending.pk]


def test_the_number_of_flags_that_hides_an_item_is_a_setting(settings, django_capture_on_commit_callbacks):
    settings.MODERATION_AUTO_HIDE_FLAGS = 2
    report = ReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        flag(UserFactory(), report)
        flag(UserFactory(), report)
    report.refresh_from_db()
    assert report.moderation_state == ModerationState.HIDDEN


def test_a_hidden_item_cannot_be_flagged_further(settings, django_capture_on_commit_callbacks):
    settings.MODERATION_AUTO_HIDE_FLAGS = 1
    report = ReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        flag(UserFactory(), report)
    with pytest.raises(ValidationError) as error:
        flag(UserFactory(), report)
    assert "id" in error.value.message_dict
    assert ModerationAction.objects.filter(action=ActionKind.AUTO_HIDE).count() == 1


def test_flagged_comments_and_proposals_are_hidden_the_same_way(settings, citizen, django_capture_on_commit_callbacks):
    settings.MODERATION_AUTO_HIDE_FLAGS = 2
    comment = ReportComment.objects.create(report=ReportFactory(), author=citizen, body="Buy now")
    proposal = StoredProposalFactory(author=citizen)
    reply = ProposalComment.objects.create(proposal=proposal, author=citizen, body="Buy now")
    people = UserFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            flag(person, comment, kind="report_comment")
            flag(person, reply, kind="proposal_comment")
            flag(person, proposal, kind="proposal")
    for item in (comment, proposal, reply):
        item.refresh_from_db()
        assert item.moderation_state == ModerationState.HIDDEN
    assert set(QueueItem.objects.values_list("kind", flat=True)) == {"report_comment", "proposal", "proposal_comment"}


def test_an_unverified_account_cannot_flag():
    with pytest.raises(PermissionDenied, match="Confirm your email address"):
        flag(UserFactory(verified=False), ReportFactory())
    assert not Flag.objects.exists()


def test_a_suspended_account_cannot_flag_and_is_told_why(citizen):
    Suspension.objects.create(user=citizen, reason=ModerationReason.objects.get(code="spam"))
    with pytest.raises(PermissionDenied, match="suspended: Spam or advertising"):
        flag(citizen, ReportFactory())
    assert not Flag.objects.exists()


def test_other_needs_a_note(citizen):
    with pytest.raises(ValidationError) as error:
        flag(citizen, ReportFactory(), reason=FlagReason.OTHER, note="   ")
    assert "note" in error.value.message_dict
    flagged, created = flag(citizen, ReportFactory(), reason=FlagReason.OTHER, note="Wrong street")
    assert created and flagged.note == "Wrong street"


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("Bad\x00byte", "Remove the control characters: only line breaks and tabs are allowed."),
        ("x" * 501, "Use at most 500 characters."),
    ],
    ids=["NUL", "too long"],
)
def test_a_note_is_checked_as_every_other_text(citizen, note, message):
    with pytest.raises(ValidationError) as error:
        flag(citizen, ReportFactory(), note=note)

    assert error.value.message_dict["note"] == [message]
    assert not Flag.objects.exists()


def test_an_unknown_reason_is_refused(citizen):
    with pytest.raises(ValidationError) as error:
        flag(citizen, ReportFactory(), reason="boring")
    assert "reason" in error.value.message_dict


@pytest.mark.parametrize("state", [ModerationState.PENDING, ModerationState.HIDDEN, ModerationState.REJECTED])
def test_only_public_items_can_be_flagged(citizen, state):
    with pytest.raises(ValidationError) as error:
        flag(citizen, ReportFactory(moderation_state=state))
    assert "id" in error.value.message_dict


def test_a_comment_of_a_hidden_report_cannot_be_flagged(citizen, other_citizen):
    report = ReportFactory(moderation_state=ModerationState.HIDDEN)
    comment = ReportComment.objects.create(report=report, author=other_citizen, body="Hello")
    with pytest.raises(ValidationError):
        flag(citizen, comment, kind="report_comment")


def test_photos_are_not_flagged_by_kind(citizen):
    with pytest.raises(ValidationError) as error:
        actions.flag_create(flagger=citizen, kind="report_photo", object_id=1, reason="spam")
    assert "target" in error.value.message_dict


# The page --------------------------------------------------------------------------------------------


def test_the_flag_page_needs_a_login(client):
    report = ReportFactory()
    response = client.get(f"/moderation/flag/report/{report.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_flag_page_lists_the_reasons(client, citizen):
    report = ReportFactory(description="Cheap phones here")
    client.force_login(citizen)
    body = client.get(f"/moderation/flag/report/{report.pk}/").content.decode()
    for label in FlagReason.labels:
        assert str(label) in body
    assert "Cheap phones here" in body


def test_a_citizen_flags_a_report_and_goes_back_to_it(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    response = client.post(f"/moderation/flag/report/{report.pk}/", {"reason": "spam"}, follow=True)
    assert response.redirect_chain == [(f"/reports/{report.pk}/", 302)]
    assert "Thank you: moderators will review it." in response.content.decode()
    assert Flag.objects.get().flagger == citizen
    again = client.post(f"/moderation/flag/report/{report.pk}/", {"reason": "spam"}, follow=True)
    assert "already flagged" in again.content.decode()
    assert Flag.objects.count() == 1


def test_a_flagged_comment_goes_back_to_its_report(client, citizen, other_citizen):
    comment = ReportComment.objects.create(report=ReportFactory(), author=other_citizen, body="Rude words")
    client.force_login(citizen)
    response = client.post(f"/moderation/flag/report_comment/{comment.pk}/", {"reason": "abusive"})
    assert response["Location"] == f"/reports/{comment.report_id}/"
    assert Flag.objects.get().target == comment


def test_a_flagged_proposal_or_its_comment_goes_back_to_the_proposal(client, citizen, other_citizen):
    proposal = StoredProposalFactory(author=other_citizen)
    comment = ProposalComment.objects.create(proposal=proposal, author=other_citizen, body="Buy now")
    client.force_login(citizen)
    response = client.post(f"/moderation/flag/proposal/{proposal.pk}/", {"reason": "off_topic"})
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    response = client.post(f"/moderation/flag/proposal_comment/{comment.pk}/", {"reason": "spam"})
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert Flag.objects.count() == 2


def test_the_form_asks_for_a_note_with_other(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    response = client.post(f"/moderation/flag/report/{report.pk}/", {"reason": "other", "note": ""})
    assert response.status_code == 200
    assert "Say what is wrong." in response.content.decode()
    assert not Flag.objects.exists()


def test_a_suspended_citizen_sees_why_instead_of_the_form(client, citizen):
    report = ReportFactory()
    Suspension.objects.create(user=citizen, reason=ModerationReason.objects.get(code="abusive"))
    client.force_login(citizen)
    response = client.get(f"/moderation/flag/report/{report.pk}/", follow=True)
    assert response.redirect_chain == [(f"/reports/{report.pk}/", 302)]
    assert "Your account is suspended: Abusive or hateful." in response.content.decode()
    response = client.post(f"/moderation/flag/report/{report.pk}/", {"reason": "spam"}, follow=True)
    assert "Your account is suspended" in response.content.decode()
    assert not Flag.objects.exists()


@pytest.mark.parametrize("path", ["/moderation/flag/report_photo/1/", "/moderation/flag/nonsense/1/"])
def test_an_unknown_kind_is_not_found(client, citizen, path):
    client.force_login(citizen)
    assert client.get(path).status_code == 404


def test_an_item_the_public_does_not_see_is_not_found(client, citizen):
    hidden = ReportFactory(moderation_state=ModerationState.HIDDEN)
    client.force_login(citizen)
    assert client.get(f"/moderation/flag/report/{hidden.pk}/").status_code == 404
    assert client.post(f"/moderation/flag/report/{hidden.pk}/", {"reason": "spam"}).status_code == 404
    assert client.get("/moderation/flag/report/999999/").status_code == 404
    assert not Flag.objects.exists()


def test_the_report_page_offers_flag_links_to_others_only(client, citizen, other_citizen):
    report = ReportFactory(reporter=citizen)
    theirs = ReportComment.objects.create(report=report, author=other_citizen, body="Theirs")
    mine = ReportComment.objects.create(report=report, author=citizen, body="Mine")
    report_link = f"/moderation/flag/report/{report.pk}/"

    body = client.get(report.get_absolute_url()).content.decode()
    assert "/moderation/flag/" not in body

    client.force_login(citizen)
    body = client.get(report.get_absolute_url()).content.decode()
    assert report_link not in body
    assert f"/moderation/flag/report_comment/{theirs.pk}/" in body
    assert f"/moderation/flag/report_comment/{mine.pk}/" not in body

    client.force_login(other_citizen)
    body = client.get(report.get_absolute_url()).content.decode()
    assert report_link in body
    assert f"/moderation/flag/report_comment/{mine.pk}/" in body
    assert f"/moderation/flag/report_comment/{theirs.pk}/" not in body
