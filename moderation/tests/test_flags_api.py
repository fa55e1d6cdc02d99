"""POST /api/v1/flags/: flag a report, a proposal or a comment through the REST API."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from citizens.actions import api_token_issue
from citizens.tests.factories import UserFactory
from moderation.models import (
    ActionKind,
    Flag,
    ModerationAction,
    ModerationReason,
    ModerationState,
    QueueItem,
    Suspension,
)
from proposals.models import Proposal, ProposalComment
from services.models import ReportComment
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/flags/"


def post(client, **data):
    return client.post(URL, data, content_type="application/json")


def test_a_citizen_flags_a_report(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    response = post(client, target="report", id=report.pk, reason="spam")
    assert response.status_code == 201, response.content
    flag = Flag.objects.get()
    assert response.json() == {"id": flag.pk, "target": "report", "reason": "spam", "created": True}
    assert (flag.flagger, flag.target) == (citizen, report)


def test_flagging_again_answers_200_and_adds_nothing(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    first = post(client, target="report", id=report.pk, reason="spam").json()
    response = post(client, target="report", id=report.pk, reason="abusive")
    assert response.status_code == 200
    assert response.json() == {"id": first["id"], "target": "report", "reason": "spam", "created": False}
    assert Flag.objects.count() == 1


def test_every_flaggable_kind_is_accepted(client, citizen, other_citizen):
    proposal = Proposal.objects.create(
        author=other_citizen, title="Trees", summary="Plant", threshold=10, closes_at=timezone.now() + timedelta(days=9)
    )
    items = {
        "report": ReportFactory(),
        "report_comment": ReportComment.objects.create(report=ReportFactory(), author=other_citizen, body="x"),
        "proposal": proposal,
        "proposal_comment": ProposalComment.objects.create(proposal=proposal, author=other_citizen, body="x"),
    }
    client.force_login(citizen)
    for kind, item in items.items():
        response = post(client, target=kind, id=item.pk, reason="off_topic")
        assert response.status_code == 201, (kind, response.content)
        assert Flag.objects.get(pk=response.json()["id"]).target == item


def test_three_people_flagging_hide_the_item_and_queue_it_first(
    client, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.MODERATION_AUTO_HIDE_FLAGS = 3
    report = ReportFactory()
    with django_capture_on_commit_callbacks(execute=True):
        for person in UserFactory.create_batch(3):
            client.force_login(person)
            assert post(client, target="report", id=report.pk, reason="abusive").status_code == 201
    report.refresh_from_db()
    assert report.moderation_state == ModerationState.HIDDEN
    assert ModerationAction.objects.for_target(report).get().action == ActionKind.AUTO_HIDE
    item = QueueItem.objects.get(content_type=ContentType.objects.get_for_model(report), object_id=report.pk)
    assert (item.flag_count, item.auto_hidden) == (3, True)
    assert [email.to for email in mailoutbox] == [[report.reporter.email]]
    assert "Abusive or hateful" in mailoutbox[0].body


@pytest.mark.parametrize("kind", ["nonsense", "report_photo", ""])
def test_an_unknown_kind_is_a_400(client, citizen, kind):
    client.force_login(citizen)
    response = post(client, target=kind, id=ReportFactory().pk, reason="spam")
    assert response.status_code == 400
    assert "target" in response.json()
    assert not Flag.objects.exists()


@pytest.mark.parametrize("state", [ModerationState.HIDDEN, ModerationState.PENDING])
def test_an_unknown_or_hidden_item_is_a_404(client, citizen, state):
    client.force_login(citizen)
    response = post(client, target="report", id=987654, reason="spam")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such item."}
    hidden = ReportFactory(moderation_state=state)
    assert post(client, target="report", id=hidden.pk, reason="spam").status_code == 404
    assert not Flag.objects.exists()


def test_a_bad_reason_or_a_missing_id_is_a_400(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    response = post(client, target="report", id=report.pk, reason="boring")
    assert response.status_code == 400 and "reason" in response.json()
    response = post(client, target="report", reason="spam")
    assert response.status_code == 400 and "id" in response.json()
    assert not Flag.objects.exists()


def test_other_without_a_note_is_a_400(client, citizen):
    report = ReportFactory()
    client.force_login(citizen)
    response = post(client, target="report", id=report.pk, reason="other", note=" ")
    assert response.status_code == 400
    assert response.json() == {"note": ["Say what is wrong."]}
    assert post(client, target="report", id=report.pk, reason="other", note="Wrong place").status_code == 201


def test_an_unverified_account_gets_a_403_saying_why(client):
    client.force_login(UserFactory(verified=False))
    response = post(client, target="report", id=ReportFactory().pk, reason="spam")
    assert response.status_code == 403
    assert response.json() == {"detail": "Confirm your email address before you contribute."}
    assert not Flag.objects.exists()


def test_a_suspended_account_gets_a_403_naming_the_reason(client, citizen):
    Suspension.objects.create(
        user=citizen,
        reason=ModerationReason.objects.get(code="spam"),
        ends_at=timezone.now() + timedelta(days=7),
    )
    client.force_login(citizen)
    response = post(client, target="report", id=ReportFactory().pk, reason="spam")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert detail.startswith("Your account is suspended until") and detail.endswith(": Spam or advertising.")
    assert not Flag.objects.exists()


def test_anonymous_requests_are_refused(client):
    response = post(client, target="report", id=ReportFactory().pk, reason="spam")
    assert response.status_code in (401, 403)
    assert not Flag.objects.exists()


def test_an_api_token_works(client, citizen):
    _token, key = api_token_issue(user=citizen, for_staff=False)
    response = client.post(
        URL,
        {"target": "report", "id": ReportFactory().pk, "reason": "spam"},
        content_type="application/json",
        headers={"authorization": f"Token {key}"},
    )
    assert response.status_code == 201


def test_flags_are_rate_limited_like_other_writes(client, citizen, settings):
    settings.WRITE_RATES = {**settings.WRITE_RATES, "user": "2/minute", "address": "300/minute"}
    reports = ReportFactory.create_batch(3)
    client.force_login(citizen)
    statuses = [post(client, target="report", id=report.pk, reason="spam").status_code for report in reports]
    assert statuses == [201, 201, 429]
    assert Flag.objects.count() == 2


def test_the_schema_describes_flagging(client):
    schema = client.get("/api/schema/", headers={"accept": "application/vnd.oai.openapi+json"}).json()
    operation = schema["paths"]["/api/v1/flags/"]["post"]
    assert {"201", "200", "400", "403", "404"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][body]["properties"]
    assert set(properties) == {"target", "id", "reason", "note"}
