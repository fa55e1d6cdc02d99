"""Demo proposals for a newcomer's first look: collecting support, under review, answered."""

from __future__ import annotations

from django.db import transaction

from citizens.models import User
from proposals import actions
from proposals.models import Proposal, ProposalStatus

DEMO = [
    (
        "More shade trees on Jalan Braga",
        "Plant trees along the footpath so walking at noon is bearable.",
        "The footpath on **Jalan Braga** has almost no shade.\n\n- plant trees every 10 m\n- add benches under them",
        "Roads",
    ),
    (
        "Night buses after 22:00",
        "Run the main bus lines until midnight on weekdays.",
        "Shift workers walk home because the last bus leaves at 21:30.",
        "Mobility",
    ),
    (
        "Parking bays for share-bikes near markets",
        "Paint parking bays so share-bikes stop blocking the footpath.",
        "Bikes left anywhere end up in the canal. Bays near each market would keep footpaths free.",
        "Mobility",
    ),
    (
        "Report dumping by SMS",
        "Let people without smartphones report illegal dumping by SMS.",
        "Many neighbours only have basic phones.",
        "Cleanliness",
    ),
]


@transaction.atomic
def demo_proposals_seed(*, author: User, supporters: list[User], staff: User) -> int:
    """Create the demo proposals once; returns how many were created."""
    if Proposal.objects.filter(author=author).exists():
        return 0
    topics = set(actions.topic_choices())
    created = []
    for title, summary, body, topic in DEMO:
        created.append(
            actions.proposal_create(
                author=author, title=title, summary=summary, body=body, topic=topic if topic in topics else "other"
            )
        )
    first, second, third = created[0], created[1], created[2]
    for supporter in supporters:
        actions.proposal_support(proposal=first, user=supporter)
        actions.proposal_support(proposal=second, user=supporter)
    actions.proposal_comment_create(proposal=first, author=supporters[0], body="Yes, and fruit trees would be lovely.")
    Proposal.objects.filter(pk=second.pk).update(threshold=len(supporters))
    second.refresh_from_db()
    Proposal.objects.filter(pk=third.pk).update(status=ProposalStatus.UNDER_REVIEW, threshold=1, support_count=1)
    actions.proposal_answer(
        proposal=third,
        by=staff,
        status=ProposalStatus.PLANNED,
        answer="We will paint 40 bays near the six largest markets before March.",
    )
    return len(created)
