"""The title, summary and answer as the open datasets publish them are stored with the texts:
by ``proposal_create``, ``proposal_update`` and ``proposal_answer``, and once for the proposals
already stored."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from proposals.actions import proposal_answer, proposal_create, proposal_support, proposal_update
from proposals.models import Proposal
from proposals.tests.factories import ProposalFactory

EMAIL = "ani@example.net"
PHONE = "0812 3456 7890"
BEFORE = ("proposals", "0005_proposal_image_labels")


def migrate(target: tuple[str, str] | None = None) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


def redacted(proposal: Proposal) -> tuple[str, str, str]:
    proposal.refresh_from_db()
    return proposal.redacted_title, proposal.redacted_summary, proposal.redacted_answer


@pytest.mark.django_db
def test_a_proposal_keeps_its_title_and_summary_redacted_when_written_and_edited(citizen):
    proposal = proposal_create(author=citizen, title=f"Trees, ask {EMAIL}", summary="Plant trees.")
    assert redacted(proposal) == ("Trees, ask [redacted]", "Plant trees.", "")

    proposal_update(proposal=proposal, by=citizen, summary=f"Plant trees; phone {PHONE}.")

    assert redacted(proposal) == ("Trees, ask [redacted]", "Plant trees; phone [redacted].", "")


@pytest.mark.django_db
def test_the_citys_answer_is_kept_redacted(citizen, other_citizen, staff):
    proposal = proposal_create(author=citizen, title="Shade trees", summary="Plant trees.")
    Proposal.objects.filter(pk=proposal.pk).update(threshold=1)
    proposal_support(proposal=proposal, user=other_citizen)

    proposal_answer(proposal=proposal, by=staff, status="accepted", answer=f"Yes; call {PHONE}.")

    assert redacted(proposal)[2] == "Yes; call [redacted]."


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_redacted_texts_of_every_stored_proposal():
    plain = ProposalFactory(title="Shade trees", summary="Plant trees.")
    personal = ProposalFactory(title=f"Trees, ask {EMAIL}", summary="Plant trees.", answer=f"Call {PHONE}")

    try:
        migrate(BEFORE)  # the column goes, with what the factory wrote into it
    finally:
        migrate()

    assert redacted(plain) == ("Shade trees", "Plant trees.", "")
    assert redacted(personal) == ("Trees, ask [redacted]", "Plant trees.", "Call [redacted]")
