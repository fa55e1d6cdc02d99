"""A proposal's image is served under the proposal page's rules."""

import pytest

from citizens.tests.two_factor import sign_in_with_totp
from moderation.models import ModerationState
from proposals.actions import proposal_image_process
from proposals.models import ProposalImage
from proposals.tests.factories import ProposalFactory
from services.tests.factories import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def image(citizen):
    proposal = ProposalFactory(author=citizen)
    image = ProposalImage.objects.create(proposal=proposal, upload=image_upload())
    assert proposal_image_process(image_id=image.pk)
    image.refresh_from_db()
    return image


def test_a_published_proposals_image_is_public_and_shown_on_its_page(client, image):
    page = client.get(image.proposal.get_absolute_url()).content.decode()
    assert f'<img src="{image.image_url}"' in page
    response = client.get(image.image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"].startswith("public")


def test_a_proposals_image_is_offered_in_webp_copies_as_wide_as_the_page(client, image):
    page = client.get(image.proposal.get_absolute_url()).content.decode()

    webp = f"{image.variant_url(320, 'webp')} 320w, {image.variant_url(640, 'webp')} 640w"
    sizes = "(max-width: 60rem) calc(100vw - 2rem), 58rem"
    assert f'<picture><source type="image/webp" srcset="{webp}" sizes="{sizes}">' in page
    assert 'alt="Image attached to the proposal"' in page
    response = client.get(image.variant_url(640, "webp"))
    assert (response.status_code, response["Content-Type"]) == (200, "image/webp")


def test_a_hidden_proposals_image_is_for_its_author_and_staff_only(client, image, citizen, other_citizen, moderator):
    proposal = image.proposal
    proposal.moderation_state = ModerationState.HIDDEN
    proposal.save(update_fields=["moderation_state"])
    assert client.get(image.image_url).status_code == 404
    client.force_login(other_citizen)
    assert client.get(image.thumbnail_url).status_code == 404
    client.force_login(moderator)  # a password alone is not enough for a staff power
    assert client.get(image.image_url).status_code == 404
    for sign_in in (lambda: client.force_login(citizen), lambda: sign_in_with_totp(client, moderator)):
        sign_in()
        response = client.get(image.image_url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_a_proposal_address_does_not_open_a_report_photo(client, image):
    report_style = image.image_url.replace("/photos/proposal/", "/photos/report/")
    assert client.get(report_style).status_code == 404
