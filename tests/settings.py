"""Settings for the test suite: the project's settings with fast, isolated overrides."""

import os

# Tests run with DEBUG off, as production does; they need a key but no secret.
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x1y2z3" * 10)

from cocreate.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test gets its own cache; the Redis cache would carry rate limits across tests.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "limits": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"},
}
# Pages are not kept between requests unless a test turns the page cache on
# (cocreate/tests/test_page_cache.py): most tests change rows directly, not through the actions.
PAGE_CACHE_SECONDS = 0
# A live gunicorn started by a test counts its limits in the real Redis, under a prefix of
# that test run's own (cocreate/tests/test_write_limits_parallel.py).
if os.environ.get("LIMITS_REDIS_URL"):
    CACHES["limits"] = {
        "BACKEND": "cocreate.limits.CountersCache",
        "LOCATION": os.environ["LIMITS_REDIS_URL"],
        "KEY_PREFIX": os.environ.get("LIMITS_KEY_PREFIX", ""),
    }
# Tasks run in process unless a test starts a real worker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# New accounts' first contributions publish at once in tests; the moderation tests turn
# pre-moderation on where they check it.
MODERATION_FIRST_CONTRIBUTIONS_PENDING = 0
# Uploaded photos and dataset files of the test run go to a throwaway folder.
import tempfile  # noqa: E402
from pathlib import Path as _Path  # noqa: E402

MEDIA_ROOT = _Path(tempfile.mkdtemp(prefix="cocreate-test-media-"))
# Each run builds datasets in its own folder: runs at the same time on one machine share /tmp.
OPENDATA_WORK_DIR = _Path(tempfile.mkdtemp(prefix="cocreate-test-opendata-"))
STORAGES["uploads"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": tempfile.mkdtemp(prefix="cocreate-test-uploads-")},
}
