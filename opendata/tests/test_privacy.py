"""No personal data in any open file; only published content older than the publication delay."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.actions import log_action
from moderation.models import ActionKind
from opendata.datasets import DATASETS
from opendata.tests.conftest import (
    CONTACT_EMAIL,
    CONTACT_FIRST,
    CONTACT_LAST,
    CONTACT_PHONE,
    EMAIL,
    HIDDEN_MARKER,
    NAME,
    PENDING_MARKER,
    PERSONAL,
    PHONE,
    REJECTED_MARKER,
    build,
    rows_of,
    stored_bytes,
)
from proposals.models import Proposal, ProposalComment
from services.actions import report_change_status, report_create
from services.models import Report, ReportComment, ReportContact
from services.tests.factories import ReportFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]

# Words that would name a person or an account in a column: user, author, reporter, ...
PERSONAL_COLUMN_WORDS = {
    "user",
    "author",
    "reporter",
    "actor",
    "moderator",
    "supporter",
    "flagger",
    "email",
    "phone",
    "contact",
    "ip",
    "client",
    "token",
    "key",
    "address",
    "first",
    "last",
    "display",
}


def everything_published(snapshot, client) -> dict[str, bytes]:
    """Every stored file of the snapshot and every metadata document served about it."""
    published = stored_bytes(snapshot)
    for path in (
        "/data/datapackage.json",
        "/data/catalog.jsonld",
        "/data/catalog.ttl",
        f"/data/snapshots/{snapshot.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        published[path] = response.content
    return published


def test_the_personal_data_was_really_seeded(content):
    """A control: the searches below look for data the database holds."""
    contact = ReportContact.objects.get()
    assert (contact.email, contact.first_name, contact.last_name, contact.phone) == (
        CONTACT_EMAIL,
        CONTACT_FIRST,
        CONTACT_LAST,
        CONTACT_PHONE,
    )
    assert content.person.display_name == NAME and content.person.email == EMAIL
    assert PHONE in Report.objects.get(pk=content.reports[0].pk).description
    assert EMAIL in Proposal.objects.get(pk=content.proposals[0].pk).title
    assert NAME in ReportComment.objects.filter(report=content.reports[0]).first().body
    assert NAME in ProposalComment.objects.filter(proposal=content.proposals[0]).first().body


def test_no_personal_data_is_in_any_byte_of_any_published_file(snapshot, client):
    published = everything_published(snapshot, client)

    files = sum(len(dataset.formats) for dataset in DATASETS.values())
    assert len(published) == files + 1 + 4  # the dataset files, datapackage.json, the served documents
    for name, data in published.items():
        for secret in PERSONAL:
            assert secret.encode() not in data, f"{secret!r} is in {name}"
            assert secret.lower().encode() not in data.lower(), f"{secret!r} is in {name}"


def test_redacted_text_keeps_the_rest_of_what_was_written(snapshot):
    report = next(
        row for row in rows_of(snapshot, "reports") if row["description"].startswith("Deep hole by the market.")
    )
    proposal = rows_of(snapshot, "proposals")[0]

    assert report["description"].startswith("Deep hole by the market.")
    assert "[redacted]" in report["description"]
    assert proposal["title"] == "Shade trees, ask [redacted]"
    assert proposal["answer"] == "Accepted; we will call [redacted] and [redacted]."


def test_no_column_names_a_person_or_an_account(snapshot):
    files = stored_bytes(snapshot)
    for name, dataset in DATASETS.items():
        header = next(csv.reader(io.StringIO(files[f"{name}.csv"].decode())))
        assert header == dataset.column_names
        for column in header:
            assert not set(column.split("_")) & PERSONAL_COLUMN_WORDS, f"{name}.{column}"


def test_hidden_pending_and_rejected_content_is_absent(content, client):
    snapshot = build()
    published = everything_published(snapshot, client)
    hidden_ids = {item.pk for item in content.hidden if isinstance(item, Report)}
    hidden_proposals = {item.pk for item in content.hidden if isinstance(item, Proposal)}

    for name, data in published.items():
        for marker in (HIDDEN_MARKER, PENDING_MARKER, REJECTED_MARKER):
            assert marker.encode() not in data, f"{marker} is in {name}"
    assert len(hidden_ids) == 3 and len(hidden_proposals) == 3
    assert not {row["id"] for row in rows_of(snapshot, "reports")} & hidden_ids
    assert not {row["id"] for row in rows_of(snapshot, "proposals")} & hidden_proposals
    assert not {row["proposal_id"] for row in rows_of(snapshot, "supports_daily")} & hidden_proposals


def test_hidden_comments_are_not_counted(snapshot, content):
    proposal = rows_of(snapshot, "proposals")[0]

    assert Proposal.objects.get(pk=proposal["id"]).comment_count == 2
    assert proposal["comments_count"] == 1


def test_duplicates_of_hidden_reports_do_not_reveal_them(content, staff):
    hidden = next(item for item in content.hidden if isinstance(item, Report))
    copy = ReportFactory(service=content.exact)
    report_change_status(report=copy, to_status="duplicate", by=staff, duplicate_of=hidden)
    snapshot = build()

    row = next(row for row in rows_of(snapshot, "reports") if row["id"] == copy.pk)
    assert row["status"] == "duplicate" and row["duplicate_of"] is None


def test_content_younger_than_the_publication_delay_waits(content, settings):
    settings.OPENDATA_PUBLICATION_DELAY_HOURS = 24
    two_days_ago = timezone.now() - timedelta(days=2)
    old = ReportFactory(service=content.exact, created_at=two_days_ago, updated_at=two_days_ago)
    new = report_create(service_code=content.exact.service_code, lat=-6.92, lon=107.6, description="Just now.")
    Proposal.objects.filter(pk=content.proposals[0].pk).update(created_at=two_days_ago)

    snapshot = build()

    assert snapshot.cutoff <= timezone.now() - timedelta(hours=24)
    report_ids = {row["id"] for row in rows_of(snapshot, "reports")}
    assert old.pk in report_ids and new.pk not in report_ids
    assert b"Just now." not in stored_bytes(snapshot)["reports.csv"]
    # The proposal is old enough; its supports and status changes of today are not.
    assert [row["id"] for row in rows_of(snapshot, "proposals")] == [content.proposals[0].pk]
    assert rows_of(snapshot, "supports_daily") == []
    assert rows_of(snapshot, "report_updates") == []
    assert rows_of(snapshot, "moderation_monthly") == []


def test_moderation_counts_below_five_are_published_as_less_than_five(content, moderator):
    report = content.reports[2]
    for _ in range(5):
        log_action(actor=moderator, action=ActionKind.EDIT, target=report, reason="personal-information")
    snapshot = build()

    counts = {
        (row["kind"], row["action"], row["reason"]): row["count"] for row in rows_of(snapshot, "moderation_monthly")
    }
    assert counts[("report", "edit", "personal-information")] == "5"
    assert counts[("report", "hide", "spam")] == "<5"
    assert counts[("report", "status_change", "none")] == "<5"
    assert set(counts.values()) == {"5", "<5"}
