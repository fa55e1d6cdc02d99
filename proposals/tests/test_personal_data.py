"""A proposal's image in “download my data”: its addresses and states, or nothing without one."""

import json

import pytest

from moderation.models import ModerationState
from proposals.actions import proposal_image_process
from proposals.models import ProposalImage
from proposals.tests.factories import ProposalFactory
from services.tests.factories import image_upload

pytestmark = pytest.mark.django_db


def test_the_download_gives_a_proposals_image_and_says_when_there_is_none(client, citizen):
    with_image = ProposalFactory(author=citizen, title="With a picture")
    image = ProposalImage.objects.create(proposal=with_image, upload=image_upload())
    assert proposal_image_process(image_id=image.pk)
    image.refresh_from_db()
    ProposalFactory(author=citizen, title="Words only")
    client.force_login(citizen)
    data = json.loads(client.post("/accounts/my-data/").content)
    exported = {proposal["title"]: proposal["image"] for proposal in data["proposals"]}
    assert exported == {
        "With a picture": {
            "image": f"http://127.0.0.1:8000{image.image_url}",
            "thumbnail": f"http://127.0.0.1:8000{image.thumbnail_url}",
            "state": ProposalImage.State.READY,
            "moderation_state": ModerationState.PUBLISHED,
        },
        "Words only": None,
    }
