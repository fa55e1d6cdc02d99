"""Settings of the site processes (gunicorn, Celery worker, commands) the fault tests start.

Production settings from the environment the test gives them (DATABASE_URL of the test
database, REDIS_URL of the test's own Redis), with what a plain-HTTP test run needs.
"""

import os

os.environ.setdefault("SECRET_KEY", "fault-test-only-key-" + "q7w8e9" * 10)

from cocreate.settings import *  # noqa: F403

# The test's users are made with the test suite's fast hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Static files are not collected for the test: no manifest.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1"]
