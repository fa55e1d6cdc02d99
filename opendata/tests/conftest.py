"""Fixtures for the open data tests: isolated storage, seeded content with personal data, and builds."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from citizens.tests.factories import UserFactory
from conftest import skip_unless_available
from moderation.actions import moderate
from moderation.models import ActionKind
from opendata.builder import snapshot_build, snapshot_start
from opendata.models import Snapshot
from proposals.actions import proposal_answer, proposal_comment_create, proposal_create, proposal_support
from proposals.models import Proposal
from services.actions import Contact, report_change_status, report_comment_create, report_create
from services.models import Open311Client, Report, Service
from services.tests.factories import ServiceFactory

ROOT = Path(__file__).resolve().parents[2]
STANDARDS = ROOT.parent / "shared" / "standards"

# Personal data that must never reach an open file, each unique enough to search bytes for.
NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.quill@example.net"
PHONE = "+62 812-7391-4628"
PHONE_DIGITS = "6281273914628"
CONTACT_FIRST, CONTACT_LAST = "Ottoline", "Brackenridge"
CONTACT_EMAIL = "o.brackenridge@example.org"
CONTACT_PHONE = "0813 5550 2971"
CLIENT_NAME = "Kestrelwick Reporting App"
PERSONAL = (NAME, EMAIL, PHONE, PHONE_DIGITS, CONTACT_FIRST, CONTACT_LAST, CONTACT_EMAIL, CONTACT_PHONE, CLIENT_NAME)

# A point inside the default city bounds with more decimals than any file may publish.
PRECISE_LAT, PRECISE_LON = -6.9147123456, 107.6098765432

# Free text of content the public does not see: it must not be published either.
HIDDEN_MARKER = "Marigold-hidden-7731"
PENDING_MARKER = "Marigold-pending-7732"
REJECTED_MARKER = "Marigold-rejected-7733"


def standard(*parts: str) -> Path:
    """A file of the shared standards folder; skips (fails in CI) where the folder is absent."""
    path = STANDARDS.joinpath(*parts)
    if not path.exists():
        skip_unless_available(f"{path} is missing: the shared standards folder sits beside the project")
    return path


@pytest.fixture(autouse=True)
def _open_data_settings(settings, tmp_path):
    """Files go to a fresh folder; content is published at once unless a test sets the delay."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 0


@dataclass
class Seeded:
    person: object
    staff: object
    exact: Service
    coarse: Service
    reports: list[Report] = field(default_factory=list)
    hidden: list[object] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)


def _supporters(count: int) -> list:
    return [UserFactory() for _ in range(count)]


@pytest.fixture
def content(db, staff, moderator) -> Seeded:
    """Reports across an exact and a coarse service, status changes, an Open311 report with private
    contact details, proposals with supports, comments and an answer, hidden, pending and rejected
    items, and the moderation actions those leave in the audit log."""
    person = UserFactory(display_name=NAME, email=EMAIL)
    # The shared redaction finds emails and phone numbers in free text; a name typed into a
    # published text cannot be told from any other word, so names only go where nothing is published.
    personal_text = f"Call me on {PHONE} or write to {EMAIL}."
    exact = ServiceFactory(service_code="pothole", name="Pothole", agency_responsible="Roads Department")
    coarse = ServiceFactory(
        service_code="needles", name="Discarded needles", location_precision=Service.Precision.COARSE
    )
    pre_moderated = ServiceFactory(service_code="graffiti", name="Graffiti", pre_moderated=True)
    seeded = Seeded(person=person, staff=staff, exact=exact, coarse=coarse)

    for service in (exact, coarse):
        report = report_create(
            service_code=service.service_code,
            lat=PRECISE_LAT,
            lon=PRECISE_LON,
            description=f"Deep hole by the market. {personal_text}",
            reporter=person,
            show_name=True,
        )
        report_comment_create(
            report=report, author=person, body=f"Still there. {NAME}, {personal_text}", show_name=True
        )
        seeded.reports.append(report)
    first = seeded.reports[0]
    report_change_status(report=first, to_status="in_progress", by=staff, note=f"Crew sent; {EMAIL} told.")
    report_change_status(report=first, to_status="resolved", by=staff, note="Filled.")
    client = Open311Client.objects.create(name=CLIENT_NAME, key_prefix="abcd1234", key_hash="f" * 64)
    seeded.reports.append(
        report_create(
            service_code=exact.service_code,
            lat=-6.9,
            lon=107.6,
            description="Broken kerb.",
            source=Report.Source.OPEN311,
            open311_client=client,
            contact=Contact(email=CONTACT_EMAIL, first_name=CONTACT_FIRST, last_name=CONTACT_LAST, phone=CONTACT_PHONE),
        )
    )

    hidden = report_create(service_code=exact.service_code, lat=-6.91, lon=107.61, description=HIDDEN_MARKER)
    moderate(moderator=moderator, target=hidden, action=ActionKind.HIDE, reason_code="spam")
    rejected = report_create(service_code=exact.service_code, lat=-6.91, lon=107.61, description=REJECTED_MARKER)
    moderate(moderator=moderator, target=rejected, action=ActionKind.REJECT, reason_code="abusive")
    pending = report_create(
        service_code=pre_moderated.service_code, lat=-6.91, lon=107.61, description=PENDING_MARKER, reporter=person
    )
    hidden_comment = report_comment_create(report=first, author=person, body=HIDDEN_MARKER)
    moderate(moderator=moderator, target=hidden_comment, action=ActionKind.HIDE, reason_code="spam")
    seeded.hidden += [hidden, rejected, pending, hidden_comment]

    proposal = proposal_create(
        author=person,
        title=f"Shade trees, ask {EMAIL}",
        summary=f"Plant trees on Jalan Braga; phone {PHONE}.",
        body=f"More shade, says {NAME}. {personal_text}",
    )
    for supporter in _supporters(3):
        proposal_support(proposal=proposal, user=supporter)
    proposal_comment_create(proposal=proposal, author=person, body=f"Agreed. {NAME}, {personal_text}")
    hidden_proposal_comment = proposal_comment_create(proposal=proposal, author=person, body=HIDDEN_MARKER)
    moderate(moderator=moderator, target=hidden_proposal_comment, action=ActionKind.HIDE, reason_code="spam")
    proposal_answer(
        proposal=proposal, by=staff, status="accepted", answer=f"Accepted; we will call {PHONE} and {EMAIL}."
    )
    hidden_proposal = proposal_create(author=person, title=HIDDEN_MARKER, summary=HIDDEN_MARKER)
    proposal_support(proposal=hidden_proposal, user=UserFactory())
    moderate(moderator=moderator, target=hidden_proposal, action=ActionKind.HIDE, reason_code="off-topic")
    rejected_proposal = proposal_create(author=person, title=REJECTED_MARKER, summary=REJECTED_MARKER)
    moderate(moderator=moderator, target=rejected_proposal, action=ActionKind.REJECT, reason_code="spam")
    pending_proposal = proposal_create(author=person, title=PENDING_MARKER, summary=PENDING_MARKER)
    Proposal.objects.filter(pk=pending_proposal.pk).update(moderation_state="pending")
    seeded.proposals.append(proposal)
    seeded.hidden += [hidden_proposal_comment, hidden_proposal, rejected_proposal, pending_proposal]
    return seeded


def build() -> Snapshot:
    """Start and build a snapshot now, as the nightly task does."""
    return snapshot_build(snapshot_start())


@pytest.fixture
def snapshot(content) -> Snapshot:
    return build()


def stored_bytes(snapshot: Snapshot) -> dict[str, bytes]:
    """Every stored file of a snapshot, datapackage.json included, by file name."""
    folder = snapshot.storage_prefix
    _dirs, names = default_storage.listdir(folder)
    files = {}
    for name in names:
        with default_storage.open(folder + name, "rb") as handle:
            files[name] = handle.read()
    return files


def local_path(snapshot: Snapshot, filename: str) -> Path:
    return Path(default_storage.path(snapshot.storage_prefix + filename))


def rows_of(snapshot: Snapshot, dataset: str) -> list[dict]:
    """The JSON file of a dataset, as a list of rows."""
    with default_storage.open(f"{snapshot.storage_prefix}{dataset}.json", "rb") as handle:
        return json.load(handle)
