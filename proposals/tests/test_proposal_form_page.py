"""The proposal form over HTTP: who may propose, what is refused, and how the author edits and withdraws."""

import pytest

from citizens.tests.factories import UserFactory
from proposals.models import Proposal, ProposalFollow, ProposalStatus
from proposals.tests.factories import ProposalFactory, SupportFactory
from services.tests.factories import ServiceFactory, image_upload

pytestmark = pytest.mark.django_db


def proposal_data(**overrides):
    data = {
        "title": "Shade trees on Jalan Braga",
        "summary": "Plant trees so that people can walk in the shade.",
        "body": "The pavement is **too hot** at noon.",
        "topic": "other",
        "lat": "",
        "lon": "",
    }
    return {**data, **overrides}


# Making a proposal


def test_the_proposal_form_needs_a_login(client):
    response = client.get("/proposals/new/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_proposal_form_needs_a_verified_email(client):
    client.force_login(UserFactory(verified=False))
    response = client.get("/proposals/new/", follow=True)
    assert response.redirect_chain[0] == ("/accounts/email/", 302)
    assert "Confirm your email address before you make a proposal." in response.content.decode()


def test_the_topics_are_the_service_groups_and_other(client, citizen):
    ServiceFactory(group="Lighting")
    client.force_login(citizen)
    body = client.get("/proposals/new/").content.decode()
    assert '<option value="Lighting">Lighting</option>' in body
    assert '<option value="other" selected>Other</option>' in body
    assert 'accept="image/*"' in body


def test_in_indonesian_the_topics_are_named_in_indonesian_on_the_form_list_and_page(client, citizen):
    ServiceFactory(group="Lighting", group_ind="Penerangan")
    proposal = ProposalFactory(topic="Lighting")
    client.force_login(citizen)
    citizen.preferred_language = "id"
    citizen.save()
    assert '<option value="Lighting">Penerangan</option>' in client.get("/proposals/new/").content.decode()
    listing = client.get("/proposals/").content.decode()
    assert '<option value="Lighting">Penerangan</option>' in listing
    assert "· Penerangan" in listing
    assert "<dd>Penerangan</dd>" in client.get(f"/proposals/{proposal.pk}/").content.decode()


def test_a_citizen_publishes_a_proposal(client, citizen, settings):
    settings.PROPOSAL_SUPPORT_THRESHOLD = 7
    client.force_login(citizen)
    response = client.post("/proposals/new/", proposal_data(lat="-6.9147", lon="107.6098", show_name="on"))
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert (proposal.author, proposal.threshold, proposal.show_name) == (citizen, 7, True)
    assert (proposal.lat, proposal.lon) == (-6.9147, 107.6098)
    page = client.get(response["Location"]).content.decode()
    assert "Thank you. Your proposal is published" in page
    assert "<strong>too hot</strong>" in page
    assert "by Citizen One" in page
    assert ProposalFollow.objects.filter(proposal=proposal, user=citizen).exists()


def test_the_author_name_is_hidden_unless_chosen(client, citizen):
    client.force_login(citizen)
    client.post("/proposals/new/", proposal_data())
    proposal = Proposal.objects.get()
    assert proposal.show_name is False
    client.logout()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Citizen One" not in page and citizen.email not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "This field is required."),
        ("title", "t" * 121, "Ensure this value has at most 120 characters (it has 121)."),
        ("summary", "", "This field is required."),
        ("body", "b" * 10_001, "Ensure this value has at most 10000 characters (it has 10001)."),
        ("topic", "sewers", "Select a valid choice."),
        ("lat", "-6.9147", "Give both latitude and longitude."),
        ("lat", "nan", "Enter a finite number."),
        ("lat", "-6.2", "This point is outside the city."),
    ],
)
def test_a_bad_proposal_is_refused_beside_the_field_and_keeps_what_was_typed(client, citizen, field, value, message):
    client.force_login(citizen)
    data = proposal_data(**{field: value})
    if field == "lat" and value != "-6.9147":
        data["lon"] = "106.8"
    response = client.post("/proposals/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert Proposal.objects.count() == 0
    assert 'class="field field-error"' in body
    assert message in body
    assert "Plant trees so that people can walk in the shade." in body or field == "summary"


def test_a_title_with_only_spaces_is_refused(client, citizen):
    client.force_login(citizen)
    response = client.post("/proposals/new/", proposal_data(title="   "))
    assert response.status_code == 200 and Proposal.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_markdown_is_rendered_safely_and_raw_html_is_escaped(client, citizen):
    client.force_login(citizen)
    body = (
        "<script>alert(1)</script>\n\n"
        "[click](javascript:alert(2)) and [site](https://example.org)\n\n"
        '<img src=x onerror="alert(3)">'
    )
    client.post("/proposals/new/", proposal_data(title="<b>Bold</b> title", body=body))
    proposal = Proposal.objects.get()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page
    assert '<a href="https://example.org" rel="nofollow ugc">site</a>' in page
    assert "<img src=x" not in page and "&lt;img src=x" in page
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in page
    assert "<b>Bold</b>" not in page
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in client.get("/proposals/").content.decode()


def test_a_proposal_with_an_image_shows_it_once_processed(
    client, citizen, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/proposals/new/", {**proposal_data(), "image": image_upload(exif_gps=True)})
    proposal = Proposal.objects.get()
    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'alt="Image attached to the proposal"' in page


def test_a_file_that_is_not_an_image_is_refused(client, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(citizen)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("notes.jpg", b"not an image at all", content_type="image/jpeg")
    response = client.post("/proposals/new/", {**proposal_data(), "image": upload})
    assert response.status_code == 200 and Proposal.objects.count() == 0
    assert 'class="field field-error"' in response.content.decode()
    assert "Please choose your image again" in response.content.decode()


# Editing and withdrawing


def test_the_author_edits_a_proposal_until_its_first_support(client, citizen):
    proposal = ProposalFactory(author=citizen, title="Fist title")
    client.force_login(citizen)
    assert 'value="Fist title"' in client.get(f"/proposals/{proposal.pk}/edit/").content.decode()
    data = proposal_data(title="First title", topic="other")
    assert client.post(f"/proposals/{proposal.pk}/edit/", data)["Location"] == f"/proposals/{proposal.pk}/"
    proposal.refresh_from_db()
    assert proposal.title == "First title" and proposal.edited_at is not None
    SupportFactory(proposal=proposal)
    response = client.get(f"/proposals/{proposal.pk}/edit/", follow=True)
    assert "cannot be edited once it has supports or comments" in response.content.decode()


def test_only_the_author_may_edit_or_withdraw(client, other_citizen):
    proposal = ProposalFactory()
    client.force_login(other_citizen)
    assert client.get(f"/proposals/{proposal.pk}/edit/").status_code == 403
    assert client.post(f"/proposals/{proposal.pk}/withdraw/").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PUBLISHED


def test_the_author_withdraws_after_confirming_and_history_says_so(client, citizen):
    proposal = ProposalFactory(author=citizen)
    client.force_login(citizen)
    assert "Withdraw your proposal?" in client.get(f"/proposals/{proposal.pk}/withdraw/").content.decode()
    page = client.post(f"/proposals/{proposal.pk}/withdraw/", follow=True).content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert "Your proposal is withdrawn." in page and "Withdrawn by the author" in page
    assert f'action="/proposals/{proposal.pk}/support/"' not in page
