"""“Download my data”: a citizen gets everything the site holds about them, and nothing about others."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from citizens import data_export
from citizens.actions import api_token_issue
from moderation import actions as moderation_actions
from moderation.models import Flag, FlagReason, ModerationState
from proposals.tests.factories import CommentFactory, ProposalFactory, SupportFactory
from services.models import Follow, ReportComment, ReportPhoto, ReportStatus, ReportUpdate
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/my-data/"
TOTP_SECRET = "JBSWY3DPEHPK3PXPSECRET"


def footprint(person, other, staff) -> None:
    """One of everything a citizen can leave behind, and the same from someone else beside it."""
    report = ReportFactory(reporter=person, description="Pothole by the market", attributes={"depth_cm": "12"})
    ReportPhoto.objects.create(
        report=report, image="reports/2026/11/pothole.jpg", width=640, height=480, state=ReportPhoto.State.READY
    )
    ReportUpdate.objects.create(
        report=report,
        from_status=ReportStatus.OPEN,
        to_status=ReportStatus.IN_PROGRESS,
        note="Crew sent",
        author=staff,
        by_role="city",
    )
    ReportFactory(reporter=person, description="Hidden by a moderator", moderation_state=ModerationState.HIDDEN)
    ReportComment.objects.create(report=report, author=person, body="Still there on Monday")
    ReportComment.objects.create(report=report, author=other, body="Someone else saw it too")
    Follow.objects.create(report=report, user=person)

    proposal = ProposalFactory(author=person, title="Shade trees on Jalan Braga")
    theirs = ProposalFactory(author=other, title="Someone else's proposal", body="Their words")
    top = CommentFactory(proposal=theirs, author=person, body="A good idea")
    CommentFactory(proposal=theirs, author=other, parent=top, body="Someone else's reply")
    SupportFactory(proposal=theirs, user=person)

    other_report = ReportFactory(reporter=other, description="Someone else's report")
    Flag.objects.create(
        content_type=ContentType.objects.get_for_model(other_report),
        object_id=other_report.pk,
        flagger=person,
        reason=FlagReason.SPAM,
        note="Looks like an advert",
    )
    api_token_issue(user=person, for_staff=False)
    api_token_issue(user=other, for_staff=False)
    Authenticator.objects.get_or_create(user=person, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    return proposal


def download(client, person) -> tuple[dict, str]:
    client.force_login(person)
    response = client.post(URL)
    assert response.status_code == 200
    text = response.content.decode()
    return json.loads(text), text


def test_the_download_needs_a_login(client):
    response = client.post(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_download_is_a_post_so_no_prefetched_link_fetches_it(client, citizen):
    client.force_login(citizen)
    assert client.get(URL).status_code == 405


def test_it_downloads_as_an_attachment_that_no_cache_keeps(client, citizen):
    client.force_login(citizen)
    response = client.post(URL)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cocreate-my-data.json"'
    assert "no-store" in response["Cache-Control"]


def test_the_export_holds_the_account(client, citizen):
    token, _key = api_token_issue(user=citizen, for_staff=False)
    Authenticator.objects.create(user=citizen, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET})
    data, _text = download(client, citizen)
    account = data["account"]
    assert account["email"] == citizen.email
    assert account["display_name"] == "Citizen One"
    assert account["preferred_language"] == citizen.preferred_language
    assert account["date_joined"] and account["last_login"]
    assert account["email_addresses"] == [{"email": citizen.email, "verified": True, "primary": True}]
    assert account["two_factor_enabled"] is True
    assert account["two_factor_methods"] == ["totp"]
    assert account["api_token_created"].startswith(token.created_at.isoformat()[:19])


def test_the_export_holds_what_the_citizen_wrote_across_the_site(client, citizen, other_citizen, staff):
    proposal = footprint(citizen, other_citizen, staff)
    data, _text = download(client, citizen)

    reports = {report["description"]: report for report in data["reports"]}
    assert set(reports) == {"Pothole by the market", "Hidden by a moderator"}
    pothole = reports["Pothole by the market"]
    assert pothole["attributes"] == {"depth_cm": "12"}
    photo = ReportPhoto.objects.get(report__description="Pothole by the market")
    assert pothole["photos"][0]["image"] == f"http://127.0.0.1:8000{photo.image_url}"
    assert pothole["timeline"] == [
        {
            "from_status": "open",
            "to_status": "in_progress",
            "note": "Crew sent",
            "by": "city",
            "created_at": pothole["timeline"][0]["created_at"],
        }
    ]
    # Hidden items are the author's too, and the export says so.
    assert reports["Hidden by a moderator"]["moderation_state"] == "hidden"
    assert [comment["body"] for comment in data["report_comments"]] == ["Still there on Monday"]
    assert [item["title"] for item in data["proposals"]] == [proposal.title]
    assert [comment["body"] for comment in data["proposal_comments"]] == ["A good idea"]
    assert [support["title"] for support in data["supports"]] == ["Someone else's proposal"]
    assert len(data["follows"]["reports"]) == 1
    assert {follow["proposal"] for follow in data["follows"]["proposals"]} == {
        proposal.pk,
        data["supports"][0]["proposal"],
    }
    assert [(flag["item"], flag["reason"], flag["note"]) for flag in data["flags"]] == [
        ("report", "spam", "Looks like an advert")
    ]


def test_the_export_holds_the_suspensions_the_citizen_received(client, citizen, moderator):
    moderation_actions.user_suspend(moderator=moderator, user=citizen, reason_code="spam", note="Adverts")
    data, _text = download(client, citizen)
    [suspension] = data["suspensions"]
    assert (suspension["reason_code"], suspension["note"], suspension["ends_at"]) == ("spam", "Adverts", None)
    assert suspension["starts_at"]
    assert "Moderator" not in json.dumps(suspension)


def test_the_export_holds_nothing_about_anyone_else_and_no_secret(client, citizen, other_citizen, staff):
    footprint(citizen, other_citizen, staff)
    _token, other_key = api_token_issue(user=other_citizen, for_staff=False)
    _token, own_key = api_token_issue(user=citizen, for_staff=False)
    _data, text = download(client, citizen)
    for foreign in (
        other_citizen.email,
        other_citizen.display_name,
        staff.email,
        staff.display_name,
        "Someone else's report",
        "Someone else saw it too",
        "Someone else's reply",
        "Their words",
        other_key,
    ):
        assert foreign not in text
    citizen.refresh_from_db()
    for secret in (citizen.password, own_key, TOTP_SECRET):
        assert secret not in text
    assert "password" not in text


def test_the_export_costs_the_same_queries_however_much_was_written(citizen, other_citizen, staff):
    footprint(citizen, other_citizen, staff)
    with CaptureQueriesContext(connection) as small:
        data_export.personal_data(user=citizen)
    footprint(citizen, other_citizen, staff)
    footprint(citizen, other_citizen, staff)
    with CaptureQueriesContext(connection) as large:
        data = data_export.personal_data(user=citizen)
    assert len(data["reports"]) == 6
    assert len(large) == len(small)


def test_the_download_page_costs_a_fixed_number_of_queries(
    client, citizen, other_citizen, staff, django_assert_max_num_queries
):
    footprint(citizen, other_citizen, staff)
    client.force_login(citizen)
    with django_assert_max_num_queries(18):
        assert client.post(URL).status_code == 200
