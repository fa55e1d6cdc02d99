"""The main public pages can be cached for every visitor: a visitor's page sets no cookie and says
``public`` with an ETag, a signed-in person's page says ``private``, and a matching ETag gets a 304."""

import pytest

from operators.tests.factories import OperatorFactory
from proposals.tests.factories import CommentFactory, ProposalFactory
from services.catalogue import catalogue_load
from services.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_paths(citizen):
    services = catalogue_load()
    report = ReportFactory(service=services[0], reporter=citizen)
    proposal = ProposalFactory(author=citizen)
    CommentFactory(proposal=proposal, body="Yes, and on Jl. Dago too.")
    operator = OperatorFactory(slug="kring", name="Kring Bikes")
    operator.vehicle_types.create(form_factor="bicycle", fleet_cap=300)
    return [
        "/",
        "/reports/",
        "/reports/map/",
        f"/reports/{report.pk}/",
        "/proposals/",
        f"/proposals/{proposal.pk}/",
        "/data/",
        "/operators/",
        "/operators/kring/",
        "/moderation/",
    ]


def test_a_visitor_gets_the_main_public_pages_without_any_cookie(client, public_paths):
    for path in public_paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert not response.cookies, f"{path} sets {sorted(response.cookies)}"
        assert "csrfmiddlewaretoken" not in response.content.decode(), path


def test_a_visitors_page_may_be_cached_by_anyone_for_a_short_while(client, public_paths, settings):
    for path in public_paths:
        response = client.get(path)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert cache_control == {"public", f"max-age={settings.PAGE_MAX_AGE}"}, path
        assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}, path
        assert response["ETag"].startswith('"'), path


def test_a_visitor_who_already_has_a_csrf_cookie_gets_no_token_either(client, public_paths):
    client.cookies["csrftoken"] = "a" * 32
    response = client.get(public_paths[5])
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "public" in response["Cache-Control"]


def test_a_signed_in_persons_pages_are_private(client, citizen, public_paths):
    client.force_login(citizen)
    for path in public_paths:
        response = client.get(path)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-cache"} <= cache_control, path
        assert "public" not in cache_control, path


def test_a_visitor_whose_copy_is_current_gets_304_without_the_page(client, public_paths):
    first = client.get("/proposals/")
    again = client.get("/proposals/", headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    changed = client.get("/proposals/", headers={"if-none-match": '"something-else"'})
    assert changed.status_code == 200


def test_each_language_has_its_own_etag(client, public_paths):
    english = client.get("/proposals/", headers={"accept-language": "en"})
    indonesian = client.get("/proposals/", headers={"accept-language": "id", "if-none-match": english["ETag"]})
    assert indonesian.status_code == 200
    assert indonesian["ETag"] != english["ETag"]


def test_a_page_showing_a_message_is_private(client, citizen):
    from proposals.notifications import unfollow_token

    proposal = ProposalFactory()
    token = unfollow_token(user_id=citizen.pk, proposal_id=proposal.pk)
    response = client.post(f"/proposals/unfollow/{token}/", follow=True)
    assert "You will no longer receive emails about this proposal." in response.content.decode()
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
