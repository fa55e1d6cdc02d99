import pytest

from citizens.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_account_page_needs_a_login(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_citizen_changes_display_name_and_language(client, citizen):
    client.force_login(citizen)
    response = client.post("/accounts/profile/", {"display_name": "  Sari  ", "preferred_language": "id"}, follow=True)
    citizen.refresh_from_db()
    assert (citizen.display_name, citizen.preferred_language) == ("Sari", "id")
    assert response.headers["Content-Language"] == "id"


def test_a_bad_profile_form_keeps_the_typed_name(client, citizen):
    client.force_login(citizen)
    response = client.post("/accounts/profile/", {"display_name": "Sari", "preferred_language": "klingon"})
    assert response.status_code == 200
    assert 'value="Sari"' in response.content.decode()
    assert response.context["form"].errors["preferred_language"]
    citizen.refresh_from_db()
    assert citizen.display_name == "Citizen One"


def test_the_language_switcher_remembers_the_choice_on_the_account(client, citizen):
    client.force_login(citizen)
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/"}, follow=True)
    citizen.refresh_from_db()
    assert citizen.preferred_language == "id"
    assert response.headers["Content-Language"] == "id"


def test_a_signed_in_citizen_gets_their_language_on_any_browser(client, citizen):
    citizen.preferred_language = "id"
    citizen.save()
    client.force_login(citizen)
    response = client.get("/", headers={"accept-language": "en"})
    assert response.headers["Content-Language"] == "id"


def test_an_anonymous_visitor_switches_language_with_a_cookie(client):
    response = client.post("/i18n/setlang/", {"language": "id", "next": "/"}, follow=True)
    assert response.headers["Content-Language"] == "id"
    assert client.cookies["django_language"].value == "id"


def test_the_language_a_visitor_chose_becomes_the_accounts_on_log_in(client, citizen):
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    response = client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD}, follow=True)
    citizen.refresh_from_db()
    assert citizen.preferred_language == "id"
    assert response.headers["Content-Language"] == "id"


def test_a_visitor_chooses_a_language_with_a_plain_link_and_comes_back_to_the_page(client):
    response = client.get("/i18n/setlang/", {"language": "id", "next": "/proposals/?sort=newest"})
    assert response.status_code == 302
    assert response["Location"] == "/proposals/?sort=newest"
    assert client.cookies["django_language"].value == "id"
    assert "no-store" in response["Cache-Control"]
    assert client.get(response["Location"]).headers["Content-Language"] == "id"


def test_the_language_link_only_goes_back_to_a_page_of_this_site(client):
    response = client.get("/i18n/setlang/", {"language": "id", "next": "https://elsewhere.example/"})
    assert response["Location"] == "/"


def test_an_unknown_language_sets_no_cookie(client):
    client.get("/i18n/setlang/", {"language": "tlh", "next": "/"})
    assert "django_language" not in client.cookies


def test_a_language_link_never_changes_an_account(client, citizen):
    client.force_login(citizen)
    client.get("/i18n/setlang/", {"language": "id", "next": "/"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "en"


def test_the_language_a_visitor_chose_by_link_becomes_the_accounts_on_log_in(client, citizen):
    client.get("/i18n/setlang/", {"language": "id", "next": "/"})
    client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "id"


def test_a_visitors_menu_asks_for_the_language_without_a_token_and_a_citizens_menu_posts_it(client, citizen):
    visitor_page = client.get("/").content.decode()
    assert '<form class="language-switcher" method="get"' in visitor_page
    assert "csrfmiddlewaretoken" not in visitor_page
    client.force_login(citizen)
    citizen_page = client.get("/").content.decode()
    assert '<form class="language-switcher" method="post"' in citizen_page


def test_without_a_choice_the_accounts_language_wins_over_the_browser(client, citizen):
    citizen.preferred_language = "id"
    citizen.save()
    client.post("/accounts/login/", {"login": citizen.email, "password": PASSWORD}, headers={"accept-language": "en"})
    citizen.refresh_from_db()
    assert citizen.preferred_language == "id"


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_the_account_pages_use_the_sites_words_in_english(client, path):
    page = client.get(path).content.decode()
    assert "Sign In" not in page and "Sign Up" not in page and "sign in" not in page
    assert "Log in" in page or "log in" in page


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_the_account_pages_say_kata_sandi_email_and_anda_in_indonesian(client, path):
    client.cookies["django_language"] = "id"
    page = client.get(path).content.decode()
    assert "Kata sandi" in page or "kata sandi" in page
    assert "Sandi" not in page.replace("Kata Sandi", "").replace("Kata sandi", "").replace("kata sandi", "")
    assert "e-mail" not in page.lower()
    assert " anda " not in page and "kamu" not in page
