"""The settings read the environment strictly: good values apply, bad values stop start-up."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cocreate import env

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "settings.py"
PRODUCTION = {"SECRET_KEY": "k" * 40 + "abcdefghij1234567890", "ALLOWED_HOSTS": "cocreate.example.org"}
CLEARED = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CITY_BOUNDS", "EMAIL_HOST", "TIME_ZONE", "LOG_LEVEL")


def load_settings(monkeypatch, tmp_path, **variables):
    for name in CLEARED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_defaults_are_embedded_and_safe(monkeypatch, tmp_path):
    settings = load_settings(monkeypatch, tmp_path, **PRODUCTION)
    assert settings["DEBUG"] is False
    assert settings["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["DATABASES"]["default"]["NAME"] == str(tmp_path / "cocreate.sqlite3")
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is True
    assert settings["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert settings["EMAIL_BACKEND"] == "cocreate.email_backend.SummaryEmailBackend"
    assert settings["STORAGES"]["uploads"]["OPTIONS"]["location"] == str(tmp_path / "private-uploads")
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True


def test_postgres_and_redis_urls_switch_to_the_real_services(monkeypatch, tmp_path):
    settings = load_settings(
        monkeypatch,
        tmp_path,
        DATABASE_URL="postgres://cocreate:secret@db.internal:5432/cocreate",
        REDIS_URL="redis://cache.internal:6379/0",
        **PRODUCTION,
    )
    database = settings["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == ("db.internal", 5432, "cocreate")
    assert settings["CELERY_BROKER_URL"] == "redis://cache.internal:6379/0"
    assert settings["CELERY_TASK_ALWAYS_EAGER"] is False
    assert settings["CACHES"]["default"]["BACKEND"] == "cocreate.cache.TolerantRedisCache"


def test_city_bounds_and_lists_are_parsed(monkeypatch, tmp_path):
    settings = load_settings(
        monkeypatch,
        tmp_path,
        CITY_BOUNDS="106.7,-6.4,107.0,-6.1",
        CSRF_TRUSTED_ORIGINS="https://a.example.org, https://b.example.org",
        **PRODUCTION,
    )
    assert settings["CITY_BOUNDS"] == (106.7, -6.4, 107.0, -6.1)
    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://a.example.org", "https://b.example.org"]


def test_debug_uses_a_development_key_when_none_is_given(monkeypatch, tmp_path):
    settings = load_settings(monkeypatch, tmp_path, DEBUG="yes")
    assert settings["DEBUG"] is True
    assert settings["SECRET_KEY"].startswith("django-insecure")
    assert settings["EMAIL_BACKEND"].endswith("console.EmailBackend")


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 50"),
        ({"DEBUG": "maybe"}, "DEBUG must be one of"),
        ({**PRODUCTION, "CITY_BOUNDS": "1,2,3"}, "four numbers"),
        ({**PRODUCTION, "CITY_BOUNDS": "107.7,-6.9,107.5,-6.8"}, "min < max"),
        ({**PRODUCTION, "CITY_BOUNDS": "nan,-6.9,107.5,-6.8"}, "four numbers"),
        ({**PRODUCTION, "DATABASE_URL": "mysql://x@y/z"}, "DATABASE_URL must be a URL"),
        ({**PRODUCTION, "REDIS_URL": "localhost:6379"}, "REDIS_URL must be a URL"),
        ({**PRODUCTION, "EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT must be a whole"),
        ({**PRODUCTION, "TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA"),
        ({**PRODUCTION, "CSRF_TRUSTED_ORIGINS": "example.org"}, "must start with http"),
        ({**PRODUCTION, "LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be"),
        ({**PRODUCTION, "UNVERIFIED_ACCOUNT_RETENTION_DAYS": "0"}, "at least 1"),
        ({**PRODUCTION, "API_USER_WRITE_RATE": "30/fortnight"}, "API_USER_WRITE_RATE must look like"),
        ({**PRODUCTION, "PHOTO_MAX_BYTES": "lots"}, "PHOTO_MAX_BYTES must be a whole"),
        (
            {**PRODUCTION, "MEDIA_ROOT": "/srv/media", "PRIVATE_UPLOAD_ROOT": "/srv/media/up"},
            "not be inside MEDIA_ROOT",
        ),
        ({**PRODUCTION, "OUTBOX_RETRY_MINUTES": "0"}, "at least 1"),
        ({**PRODUCTION, "MDS_PROVIDER_IDS": "kring=not-a-uuid"}, "MDS_PROVIDER_IDS must be comma-separated name=UUID"),
    ],
)
def test_bad_values_stop_start_up_with_a_clear_message(monkeypatch, tmp_path, variables, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        load_settings(monkeypatch, tmp_path, **variables)


def test_the_error_names_the_variable_and_not_a_secret_value():
    with pytest.raises(ImproperlyConfigured) as error:
        env.env_bool("FEATURE_FLAG", False, environ={"FEATURE_FLAG": "sometimes"})
    assert "FEATURE_FLAG" in str(error.value)
    with pytest.raises(ImproperlyConfigured) as error:
        env.env_url("DATABASE_URL", "", ("postgres",), environ={"DATABASE_URL": "mysql://user:hunter2@db/x"})
    assert "hunter2" not in str(error.value)


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("off", False), ("No", False), ("", True)])
def test_booleans_accept_the_usual_words(raw, expected):
    assert env.env_bool("FLAG", True, environ={"FLAG": raw}) is expected


def test_mds_provider_ids_are_read_as_name_uuid_pairs(monkeypatch, tmp_path):
    pairs = "kring=5F7114D1-4091-46EE-B492-E55875F7DE00, roda = 0e5b1c7a-2f4e-4f33-9d7f-8b7e6c1f0a11"
    settings = load_settings(monkeypatch, tmp_path, **PRODUCTION, MDS_PROVIDER_IDS=pairs)
    assert settings["MDS_PROVIDER_IDS"] == {
        "kring": "5f7114d1-4091-46ee-b492-e55875f7de00",
        "roda": "0e5b1c7a-2f4e-4f33-9d7f-8b7e6c1f0a11",
    }
    monkeypatch.delenv("MDS_PROVIDER_IDS")
    assert load_settings(monkeypatch, tmp_path, **PRODUCTION)["MDS_PROVIDER_IDS"] == {}
