"""The permission matrix of docs/permissions.md: who may do what, one test per cell.

``MATRIX`` holds, for every action, what each role should meet. The test modules of this
package take an area each; a test is one action parametrized over the roles, so each cell
is one test, named ``test_<action>[<role>]``. Where the code does something else than the
cell says, ``DISCREPANCIES`` records what it does and that cell's test is a strict xfail:
it turns green (and fails the run) the day the code is fixed, so the entry is removed then.
The table in docs/permissions.md shows what the code does, and a test keeps it in step.

Helpers here are plain functions, not fixtures, so that the modules import them freely.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages

from citizens.models import User
from citizens.tests.factories import UserFactory
from citizens.tests.two_factor import sign_in_with_totp
from moderation.models import ModerationReason, Suspension
from proposals.models import Proposal
from proposals.tests.factories import ProposalFactory
from services.actions import report_create
from services.models import Report
from services.tests.factories import CITY_LAT, CITY_LON, ServiceFactory

# Roles, the columns of the table, in its order.
ANONYMOUS = "anonymous"
CITIZEN = "citizen"
UNVERIFIED = "unverified citizen"
SUSPENDED = "suspended citizen"
MODERATOR = "moderator"
CITY_STAFF = "city staff"
OPERATOR_STAFF = "operator staff"
ROLES = (ANONYMOUS, CITIZEN, UNVERIFIED, SUSPENDED, MODERATOR, CITY_STAFF, OPERATOR_STAFF)

# Outcomes, as the table writes them.
ALLOWED = "✓"
WITH_TOTP = "✓ with TOTP"
LOG_IN = "✗ (log in)"
REFUSED = "✗"
CONFIRM_EMAIL = "✗ (confirm email)"
TOLD_WHY = "✗ (told why)"
SET_UP_TOTP = "✗ (set up TOTP)"
NEEDS_API_KEY = "✗ (api_key)"
CONFIRM_AFTER = "✓ (email confirmed after)"
OWN_PROPOSAL = "✗ (own proposal)"

# What people are told.
CONFIRM_TO_CONTRIBUTE = "Confirm your email address before you contribute."
SUSPENSION_NOTICE = "Your account is suspended: Spam or advertising."
OWN_PROPOSAL_NOTICE = "You cannot support your own proposal: supports show that other people want it too."
NOT_SIGNED_IN = "Authentication credentials were not provided."
NOT_ALLOWED = "Not allowed"
SET_UP_TOTP_NOTICE = "Set up two-factor authentication before you use the administration."
STEP_UP_NOTICE = "Staff powers need two-factor authentication: set up TOTP and sign in with its code."
EMAIL_PAGE = "/accounts/email/"

EVERYONE = (ALLOWED,) * len(ROLES)
CONTRIBUTORS = (LOG_IN, ALLOWED, CONFIRM_EMAIL, TOLD_WHY, ALLOWED, ALLOWED, ALLOWED)
# Following writes nothing public: a suspension does not stop it, an unconfirmed address does.
FOLLOWERS = (LOG_IN, ALLOWED, CONFIRM_EMAIL, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
# Nobody supports their own proposal; the contribution checks (email, suspension) come first.
SUPPORTING_ONES_OWN = (LOG_IN, OWN_PROPOSAL, CONFIRM_EMAIL, TOLD_WHY, OWN_PROPOSAL, OWN_PROPOSAL, OWN_PROPOSAL)
CITY_STAFF_ON_THE_SITE = (LOG_IN, REFUSED, REFUSED, REFUSED, REFUSED, WITH_TOTP, REFUSED)
CITY_STAFF_IN_THE_ADMIN = (LOG_IN, REFUSED, REFUSED, REFUSED, REFUSED, WITH_TOTP, REFUSED)
MODERATORS_IN_THE_ADMIN = (LOG_IN, REFUSED, REFUSED, REFUSED, WITH_TOTP, REFUSED, REFUSED)
OPERATOR_STAFF_ONLY = (LOG_IN, REFUSED, REFUSED, REFUSED, REFUSED, REFUSED, ALLOWED)
BOTH_IN_THE_ADMIN = (LOG_IN, REFUSED, REFUSED, REFUSED, WITH_TOTP, WITH_TOTP, REFUSED)


@dataclass(frozen=True)
class Action:
    label: str  # the row's first cell in docs/permissions.md
    cells: tuple[str, ...]  # what each role should meet, in ROLES order


MATRIX: dict[str, Action] = {
    "read_pages": Action("View the public pages", EVERYONE),
    "read_api": Action("Read the REST API and Open311", EVERYONE),
    "download_open_data": Action("Download open data", EVERYONE),
    # A visitor reports first and confirms an email address after (services.actions.report_confirm).
    "report_web": Action("Report a problem (website)", (CONFIRM_AFTER, *CONTRIBUTORS[1:])),
    "report_api": Action("Report a problem (API)", CONTRIBUTORS),
    "comment_report_web": Action("Comment on a report (website)", CONTRIBUTORS),
    "comment_report_api": Action("Comment on a report (API)", CONTRIBUTORS),
    "follow_report_web": Action("Follow a report (website)", FOLLOWERS),
    "follow_report_api": Action("Follow a report (API)", FOLLOWERS),
    "flag_web": Action("Flag an item (website)", CONTRIBUTORS),
    "flag_api": Action("Flag an item (API)", CONTRIBUTORS),
    "propose_web": Action("Propose (website)", CONTRIBUTORS),
    "propose_api": Action("Propose (API)", CONTRIBUTORS),
    "support_web": Action("Support a proposal (website)", CONTRIBUTORS),
    "support_api": Action("Support a proposal (API)", CONTRIBUTORS),
    "support_own_web": Action("Support own proposal (website)", SUPPORTING_ONES_OWN),
    "support_own_api": Action("Support own proposal (API)", SUPPORTING_ONES_OWN),
    "comment_proposal_web": Action("Comment on a proposal (website)", CONTRIBUTORS),
    "comment_proposal_api": Action("Comment on a proposal (API)", CONTRIBUTORS),
    "edit_proposal_web": Action("Edit own proposal (website)", CONTRIBUTORS),
    "edit_proposal_api": Action("Edit own proposal (API)", CONTRIBUTORS),
    "edit_proposal_comment_web": Action("Edit own proposal comment (website)", CONTRIBUTORS),
    "status_web": Action("Change a report's status (website)", CITY_STAFF_ON_THE_SITE),
    "status_api": Action("Change a report's status (API)", CITY_STAFF_ON_THE_SITE),
    "status_admin": Action("Change a report's status (admin)", CITY_STAFF_IN_THE_ADMIN),
    "answer_web": Action("Answer a proposal (website)", CITY_STAFF_ON_THE_SITE),
    "answer_admin": Action("Answer a proposal (admin)", CITY_STAFF_IN_THE_ADMIN),
    "admin_with_totp": Action("Open /admin/ with TOTP set up", BOTH_IN_THE_ADMIN),
    "admin_without_totp": Action(
        "Open /admin/ without TOTP", (LOG_IN, REFUSED, REFUSED, REFUSED, SET_UP_TOTP, SET_UP_TOTP, REFUSED)
    ),
    "moderation_queue": Action("Work the moderation queue", MODERATORS_IN_THE_ADMIN),
    "moderation_edit": Action("Edit an item's text (review page)", MODERATORS_IN_THE_ADMIN),
    "audit_log": Action("View and export the audit log", BOTH_IN_THE_ADMIN),
    "suspensions": Action("Manage suspensions", MODERATORS_IN_THE_ADMIN),
    "moderation_reasons": Action("Edit moderation reasons", BOTH_IN_THE_ADMIN),
    "service_catalogue": Action("Manage the service catalogue", CITY_STAFF_IN_THE_ADMIN),
    "build_datasets": Action("Build the open datasets (/data/build/)", CITY_STAFF_ON_THE_SITE),
    "staff_power_without_totp": Action(
        "Change a status, answer or build on the site without TOTP",
        (LOG_IN, REFUSED, REFUSED, REFUSED, REFUSED, SET_UP_TOTP, REFUSED),
    ),
    "open311_post": Action("Open311 POST (needs a client's api_key)", (NEEDS_API_KEY,) * len(ROLES)),
    "api_token": Action(
        "Create an API token and write with it",
        (LOG_IN, ALLOWED, CONFIRM_EMAIL, TOLD_WHY, WITH_TOTP, WITH_TOTP, ALLOWED),
    ),
    # Operator staff of the operator the report was sent to (operators.models.OperatorMembership).
    "operator_answer_web": Action("Answer a report sent to one's operator (workspace)", OPERATOR_STAFF_ONLY),
    "operator_answer_api": Action("Answer a report sent to one's operator (API)", OPERATOR_STAFF_ONLY),
    "reopen_web": Action("Reopen a resolved report about a shared vehicle (website)", CONTRIBUTORS),
    "breach_ledger": Action("Annotate the breach ledger (admin)", CITY_STAFF_IN_THE_ADMIN),
}


@dataclass(frozen=True)
class Discrepancy:
    ref: str  # D1, D2…: the note in docs/permissions.md
    actual: str  # the outcome the code gives today
    reason: str


DISCREPANCIES: dict[tuple[str, str], Discrepancy] = {}


def outcome_today(action: str, role: str) -> str:
    """What the code does for one cell: the matrix, unless a discrepancy says otherwise."""
    discrepancy = DISCREPANCIES.get((action, role))
    return discrepancy.actual if discrepancy else MATRIX[action].cells[ROLES.index(role)]


# The actions a test was written for, filled as the test modules are imported.
TESTED: set[str] = set()


def cells(action: str):
    """Parametrize a test over the roles, with what each should meet; a known discrepancy is a strict xfail."""
    TESTED.add(action)
    params = []
    for role, expected in zip(ROLES, MATRIX[action].cells, strict=True):
        discrepancy = DISCREPANCIES.get((action, role))
        marks = (
            [pytest.mark.xfail(strict=True, reason=f"{discrepancy.ref}: {discrepancy.reason}")] if discrepancy else []
        )
        params.append(pytest.param(role, expected, id=role, marks=marks))
    return pytest.mark.parametrize(("role", "expected"), params)


# People.


def suspend(user: User) -> User:
    Suspension.objects.create(user=user, reason=ModerationReason.objects.get(code="spam"), note="Adverts")
    return user


def person(request: pytest.FixtureRequest, role: str) -> User | None:
    """The account of a role: the shared fixtures of conftest.py, or one made for the role."""
    if role == ANONYMOUS:
        return None
    if role == UNVERIFIED:
        return UserFactory(display_name="Unverified Citizen", verified=False)
    if role == SUSPENDED:
        return suspend(UserFactory(display_name="Suspended Citizen"))
    fixture = {CITIZEN: "citizen", MODERATOR: "moderator", CITY_STAFF: "staff", OPERATOR_STAFF: "operator_staff"}
    return request.getfixturevalue(fixture[role])


def sign_in(client, request: pytest.FixtureRequest, role: str, *, totp: bool = False) -> User | None:
    """Sign a test client in as the role (anonymous stays signed out); ``totp`` sets up two-factor first."""
    user = person(request, role)
    if user is not None:
        if totp:
            sign_in_with_totp(client, user)
        else:
            client.force_login(user)
    return user


# Content made by someone else than the person acting.


def a_report(author: User | None = None, description: str = "A deep pothole by the market") -> Report:
    """A published report, made as the website makes it (so its reporter follows it)."""
    return report_create(
        service_code=ServiceFactory().service_code,
        lat=CITY_LAT,
        lon=CITY_LON,
        description=description,
        reporter=author or UserFactory(display_name="Reporter"),
    )


def a_proposal(author: User | None = None) -> Proposal:
    return ProposalFactory(author=author or UserFactory(display_name="Proposer"), title="Shade trees on Jalan Braga")


# What a person notices.


def notices(response) -> list[str]:
    """The messages the next page shows (or the page itself, when it was rendered)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_told(response, text: str, *, at: str | None) -> None:
    """Told ``text``: on the page ``at`` it is sent to, or (``at`` None) on the form shown again."""
    if at is None:
        assert response.status_code == 200, response.status_code
        assert text in response.content.decode()
    else:
        assert response.status_code == 302, response.status_code
        assert response["Location"] == at
        assert text in notices(response), notices(response)


def assert_sent_to_log_in(response) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def assert_not_allowed(response) -> None:
    assert response.status_code == 403
    assert NOT_ALLOWED in response.content.decode()


def assert_refused_on_the_site(
    response, expected: str, *, back: str | None, confirm_at: str | None = None, confirm=CONFIRM_TO_CONTRIBUTE
) -> None:
    """A refusal of a page: sent to log in, 403, or told why on ``back`` (``confirm_at`` for email)."""
    if expected == LOG_IN:
        assert_sent_to_log_in(response)
    elif expected == REFUSED:
        assert_not_allowed(response)
    elif expected == CONFIRM_EMAIL:
        assert_told(response, confirm, at=confirm_at or back)
    elif expected == TOLD_WHY:
        assert_told(response, SUSPENSION_NOTICE, at=back)
    elif expected == OWN_PROPOSAL:
        assert_told(response, OWN_PROPOSAL_NOTICE, at=back)
    else:
        pytest.fail(f"{expected!r} is not a refusal")


def assert_refused_by_the_api(response, expected: str) -> None:
    """The API refuses with 403 and says why in ``detail``."""
    details = {
        LOG_IN: NOT_SIGNED_IN,
        CONFIRM_EMAIL: CONFIRM_TO_CONTRIBUTE,
        TOLD_WHY: SUSPENSION_NOTICE,
        OWN_PROPOSAL: OWN_PROPOSAL_NOTICE,
    }
    assert response.status_code == 403, response.content
    if expected in details:
        assert response.json() == {"detail": details[expected]}
    else:
        assert expected == REFUSED


def assert_refused_by_the_admin(response, expected: str) -> None:
    """A refusal of the admin, read from a response fetched with ``follow=True``."""
    first_hop = response.redirect_chain[0][0] if response.redirect_chain else ""
    if expected == LOG_IN:
        assert first_hop.startswith("/admin/login/?next=/admin/")
        assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    elif expected == REFUSED:
        assert_not_allowed(response)
    elif expected == SET_UP_TOTP:
        assert first_hop.startswith("/accounts/2fa/totp/activate")
        assert SET_UP_TOTP_NOTICE in response.content.decode()
    else:
        pytest.fail(f"{expected!r} is not a refusal of the admin")
