"""Who comes into the operator workspace, and what of other operators' reports they can reach."""

from __future__ import annotations

import pytest

from operators.models import Assignment
from operators.tests.conftest import routed_report
from services.models import ReportUpdate

pytestmark = pytest.mark.django_db

PAGES = ("/operator/", "/operator/resolved/")


@pytest.mark.parametrize("path", PAGES)
def test_it_sends_visitors_to_log_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("who", ["citizen", "staff", "moderator", "operator_staff"])
def test_it_refuses_everyone_who_works_for_no_operator(client, request, path, who):
    # ``operator_staff`` holds the role but has no membership: the role alone opens nothing.
    client.force_login(request.getfixturevalue(who))
    response = client.get(path)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


@pytest.mark.parametrize("path", PAGES)
def test_it_opens_to_staff_of_an_operator(client, kring, path):
    _operator, staff = kring
    client.force_login(staff)
    assert client.get(path).status_code == 200


def test_another_operators_report_does_not_exist_for_the_page(client, kring, zoom, reporter):
    zoom_report = routed_report(reporter, zoom[0])
    client.force_login(kring[1])
    assert client.get(f"/operator/reports/{zoom_report.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("acknowledge", {}),
        ("resolve", {"resolve-outcome": "removed"}),
    ],
)
def test_an_operator_cannot_act_on_another_operators_report(client, kring, zoom, reporter, action, data):
    zoom_report = routed_report(reporter, zoom[0])
    client.force_login(kring[1])
    response = client.post(f"/operator/reports/{zoom_report.pk}/{action}/", data)
    assert response.status_code == 404
    assignment = Assignment.objects.get(report=zoom_report)
    assert (assignment.acknowledged_at, assignment.resolved_at) == (None, None)
    assert not ReportUpdate.objects.filter(report=zoom_report, by_role="operator").exists()


def test_a_bulk_answer_naming_another_operators_report_changes_nothing(client, kring, zoom, reporter):
    own = routed_report(reporter, kring[0])
    other = routed_report(reporter, zoom[0])
    client.force_login(kring[1])
    response = client.post("/operator/resolve/", {"report": [own.pk, other.pk], "outcome": "removed"})
    assert response.status_code == 404
    assert not Assignment.objects.filter(resolved_at__isnull=False).exists()


def test_the_menu_links_to_the_workspace_for_operator_staff_only(client, kring, citizen):
    client.force_login(kring[1])
    assert 'href="/operator/"' in client.get("/reports/").content.decode()
    client.logout()
    client.force_login(citizen)
    assert 'href="/operator/"' not in client.get("/reports/").content.decode()


def test_the_menu_link_goes_when_the_membership_does(client, kring):
    _operator, staff = kring
    client.force_login(staff)
    staff.operator_membership.delete()
    assert client.get("/operator/").status_code == 403
    assert 'href="/operator/"' not in client.get("/reports/").content.decode()


@pytest.mark.parametrize("report_id", [999999, 10**30])
def test_an_unknown_report_is_a_404_on_every_page(client, kring, report_id):
    client.force_login(kring[1])
    assert client.get(f"/operator/reports/{report_id}/").status_code == 404
    assert client.post(f"/operator/reports/{report_id}/acknowledge/").status_code == 404
    assert client.post(f"/operator/reports/{report_id}/resolve/", {"resolve-outcome": "removed"}).status_code == 404
    assert client.post("/operator/resolve/", {"report": [report_id], "outcome": "removed"}).status_code == 404
