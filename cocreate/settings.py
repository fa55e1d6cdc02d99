"""CoCreate settings, read from environment variables with safe defaults.

Without any variable set, CoCreate runs embedded: SQLite under ``data/``, tasks in
process, local-memory cache and email printed to the console. Every variable is
listed in ``docs/configuration.md``. A bad value stops start-up with a message.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from cocreate.env import (
    env_account_rates,
    env_bool,
    env_bounds,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_url,
    env_uuid_map,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "data")))

DEBUG = env_bool("DEBUG", False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entries must start with http:// or https://; got {_origin!r}."
        )

SITE_NAME = env_str("SITE_NAME", "CoCreate")
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000", ("http", "https")).rstrip("/")

# The city's bounding box (min_lon, min_lat, max_lon, max_lat); points outside it are refused.
# The default covers Bandung, West Java.
CITY_BOUNDS = env_bounds("CITY_BOUNDS", (107.53, -6.98, 107.74, -6.83))
MAP_TILE_URL = env_url("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", ("http", "https"))
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# A Nominatim-compatible search endpoint for the report form's address search, asked by the
# server (so citizens' addresses are not handed to it). Empty: only addresses already in reports.
GEOCODER_URL = env_url("GEOCODER_URL", "", ("http", "https"))

INSTALLED_APPS = [
    # Before the admin: translated fields are registered (each app's translation.py) before
    # the admin classes that show them.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "cocreate",
    "citizens",
    "services",
    "proposals",
    "moderation",
    "opendata",
    "operators",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session, CSRF, messages and locale middleware: it sees their cookies and Vary.
    "cocreate.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cocreate.bad_requests.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "citizens.middleware.PreferredLanguageMiddleware",
    "citizens.middleware.StaffTwoFactorMiddleware",
]

ROOT_URLCONF = "cocreate.urls"
WSGI_APPLICATION = "cocreate.wsgi.application"
ASGI_APPLICATION = "cocreate.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cocreate.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file in the data folder.
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'cocreate.sqlite3'}",
    ("sqlite", "postgres", "postgresql", "pgsql"),
)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web process read while a task writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: Celery broker, result backend and cache. Without it, tasks run in process.
REDIS_URL = env_url("REDIS_URL", "", ("redis", "rediss", "unix"))
CACHE_TIMEOUT_SECONDS = env_int("CACHE_TIMEOUT_SECONDS", 2, minimum=1)
if REDIS_URL:
    # Redis down means cache misses, not errors (see cocreate/cache.py); short timeouts keep an
    # unreachable host from holding requests.
    CACHES = {
        "default": {
            "BACKEND": "cocreate.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT_SECONDS, "socket_timeout": CACHE_TIMEOUT_SECONDS},
        },
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rate-limit counters (cocreate.limits): atomic in Redis, shared by every process; counted in
# the process while Redis is down, or always without Redis.
CACHES["limits"] = (
    {
        "BACKEND": "cocreate.limits.CountersCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT_SECONDS, "socket_timeout": CACHE_TIMEOUT_SECONDS},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"}
)
RATELIMIT_USE_CACHE = "limits"
# Public pages (cocreate/page_cache.py): how long a visitor's page is kept in the shared cache,
# where writes make it stale at once (0: never kept; off by default without Redis, where each
# process would keep its own copy that a write in another process cannot reach), and the
# max-age that browsers and proxies are given, during which nothing can recall a page.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60 if REDIS_URL else 0, minimum=0)
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 30, minimum=0)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 3600
# Nothing reads task results, and waiting for a result subscription would hold a request for
# 20 seconds of reconnection attempts while Redis is down.
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request sending a job to a broker that is down gives up within about a second; the job
# stays recorded in the database (cocreate.outbox) and the sweep sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = CACHE_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": CACHE_TIMEOUT_SECONDS}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Workers log through LOGGING below (JSON, personal data filtered), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "build-open-datasets": {
        "task": "opendata.tasks.build_datasets_task",
        "schedule": crontab(hour=2, minute=15),
    },
    "sweep-pending-jobs": {
        "task": "cocreate.tasks.sweep_pending_jobs_task",
        "schedule": 60,
    },
    "fail-stalled-dataset-builds": {
        "task": "opendata.tasks.fail_stalled_builds_task",
        "schedule": 5 * 60,
    },
    "purge-unverified-accounts": {
        "task": "citizens.tasks.purge_unverified_accounts_task",
        "schedule": 6 * 60 * 60,
    },
    "operators-deadlines": {
        "task": "operators.tasks.mark_breaches_task",
        "schedule": 60,
    },
    # Each feed is polled at its own ttl (GBFS_MIN_INTERVAL..GBFS_MAX_INTERVAL); this only looks
    # for the feeds that are due, then reports idle vehicles.
    "poll-gbfs-feeds": {
        "task": "operators.tasks.poll_feeds_task",
        "schedule": 60,
    },
    "purge-unconfirmed-reports": {
        "task": "services.tasks.purge_unconfirmed_reports_task",
        "schedule": 60 * 60,
    },
}
# A visitor's report waits this long for its email address to be confirmed, then is deleted.
UNCONFIRMED_REPORT_RETENTION_DAYS = env_int("UNCONFIRMED_REPORT_RETENTION_DAYS", 7, minimum=1)
# Background jobs are recorded in the database (cocreate.outbox): a job sent but not done after
# this many minutes is sent again, at most this many times.
OUTBOX_RETRY_MINUTES = env_int("OUTBOX_RETRY_MINUTES", 10, minimum=1)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10, minimum=1)
UNVERIFIED_ACCOUNT_RETENTION_DAYS = env_int("UNVERIFIED_ACCOUNT_RETENTION_DAYS", 7, minimum=1)
# Staff API tokens (made after two-factor authentication) expire after this many days.
STAFF_API_TOKEN_DAYS = env_int("STAFF_API_TOKEN_DAYS", 90, minimum=1)

AUTH_USER_MODEL = "citizens.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Accounts (django-allauth): email is the login, verified before contributing.
ACCOUNT_ADAPTER = "citizens.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "citizens.forms.SignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# allauth's rate limits, counted in the default cache. "key" is the email address typed, except
# for failed logins, where it is the address typed and the client's address together
# (citizens.adapter): someone guessing from one address cannot lock the owner out of another.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_account_rates("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "signup": env_account_rates("SIGNUP_RATE_LIMIT", "10/h/ip"),
    # Confirmation emails: a 3-minute cooldown and 3 an hour per address written to, 10 an hour per client.
    "confirm_email": env_account_rates("CONFIRM_EMAIL_RATE_LIMIT", "1/3m/key,3/h/key,10/h/ip"),
    "reset_password": env_account_rates("PASSWORD_RESET_RATE_LIMIT", "10/h/ip,3/h/key"),
    "change_password": "5/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# Email: SMTP when EMAIL_HOST is set; otherwise printed to the console with DEBUG on, and only
# counted in the log with DEBUG off.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    if EMAIL_USE_TLS and EMAIL_USE_SSL:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # Never print addresses and bodies to a production log: a one-line summary instead.
    EMAIL_BACKEND = "cocreate.email_backend.SummaryEmailBackend"
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)

# Internationalisation (docs/languages.md). Each language is named in itself, untranslated: it is
# how a reader finds their own language in the menu, whatever language the page is in.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("id", "Bahasa Indonesia"),
    ("ms", "Bahasa Melayu"),
    ("vi", "Tiếng Việt"),
    ("th", "ไทย"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("zh-hans", "简体中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content written in the admin (the service catalogue, moderation reasons) has a column per
# language (django-modeltranslation); a text not yet translated is shown in English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"  # a new service's code follows its English name
# The admin's language tabs use jQuery UI, served from its package like the other front-end
# libraries (never from a CDN), on top of the admin's own jQuery.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE must be an IANA time zone name such as Asia/Jakarta; got {TIME_ZONE!r}."
    ) from None
USE_I18N = True
USE_TZ = True

# Static and media files.
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
import xstatic.pkg.jquery_ui  # noqa: E402
import xstatic.pkg.leaflet  # noqa: E402
import xstatic.pkg.leaflet_markercluster  # noqa: E402

# Front-end libraries come from their packages, served under their own prefixes.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR),
    ("vendor/leaflet-markercluster", xstatic.pkg.leaflet_markercluster.BASE_DIR),
]
# Single files of a package whose other files are not wanted (cocreate/staticfiles.py).
STATICFILES_PACKAGE_FILES = {
    JQUERY_UI_URL: str(Path(xstatic.pkg.jquery_ui.BASE_DIR) / "jquery-ui.min.js"),
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "cocreate.staticfiles.PackageFileFinder",
]
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "cocreate.staticfiles.ManifestStaticFilesStorage"
        )
    },
}
# Uploaded originals wait for processing here, outside MEDIA_ROOT, so that no proxy serving media
# can publish them (they still carry their EXIF, GPS position included).
PRIVATE_UPLOAD_ROOT = Path(env_str("PRIVATE_UPLOAD_ROOT", str(DATA_DIR / "private-uploads")))
if PRIVATE_UPLOAD_ROOT.resolve().is_relative_to(MEDIA_ROOT.resolve()):
    raise ImproperlyConfigured("PRIVATE_UPLOAD_ROOT must not be inside MEDIA_ROOT: files there may be served.")
STORAGES["uploads"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_UPLOAD_ROOT), "base_url": "/private-uploads-are-never-served/"},
}
if AWS_STORAGE_BUCKET_NAME:
    # Media on S3-compatible storage; credentials come from the standard AWS_* variables.
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    # Originals go under a private prefix (or another bucket), never readable without credentials.
    STORAGES["uploads"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_UPLOAD_BUCKET_NAME", AWS_STORAGE_BUCKET_NAME),
            "location": "private-uploads",
            "default_acl": "private",
            "querystring_auth": True,
        },
    }
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    # Signed, expiring URLs: with a private bucket, a photo hidden by a moderator stops being
    # reachable when the last address a page gave out expires (docs/privacy.md).
    AWS_QUERYSTRING_AUTH = env_bool("AWS_QUERYSTRING_AUTH", True)
    AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 3600, minimum=60)
    AWS_DEFAULT_ACL = None
    AWS_S3_FILE_OVERWRITE = False
WHITENOISE_USE_FINDERS = DEBUG
# Files browsers and crawlers ask for at the site's root (/favicon.ico, /robots.txt).
WHITENOISE_ROOT = BASE_DIR / "public"
WHITENOISE_AUTOREFRESH = DEBUG
# Report photos: byte and pixel caps (the pixel cap guards against decompression bombs).
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000, minimum=10_000)
# Reports of the same service this close (metres) and this recent (days) are offered as duplicates.
DUPLICATE_RADIUS_M = env_int("DUPLICATE_RADIUS_M", 50, minimum=1)
DUPLICATE_WINDOW_DAYS = env_int("DUPLICATE_WINDOW_DAYS", 30, minimum=1)
# Mobility operators (docs/operators.md): a report about a shared vehicle goes to the operator of
# the nearest vehicle of its type within this many metres; a citizen may reopen a resolved one
# within REOPEN_DAYS; idle vehicles this close together form a hot spot. Night deadlines apply to
# assignments made from OPERATOR_NIGHT_START to OPERATOR_NIGHT_END (hours, the city's time).
OPERATOR_MATCH_RADIUS_M = env_int("OPERATOR_MATCH_RADIUS_M", 30, minimum=1)
REOPEN_DAYS = env_int("REOPEN_DAYS", 7, minimum=1)
IDLE_HOTSPOT_RADIUS_M = env_int("IDLE_HOTSPOT_RADIUS_M", 50, minimum=1)
OPERATOR_NIGHT_START = env_int("OPERATOR_NIGHT_START", 22, minimum=0, maximum=23)
OPERATOR_NIGHT_END = env_int("OPERATOR_NIGHT_END", 6, minimum=0, maximum=23)
# GBFS polling: each feed is polled at its ``ttl``, kept within these bounds (seconds); a response
# slower than the timeout or larger than the cap (bytes) is a failed poll.
GBFS_MIN_INTERVAL = env_int("GBFS_MIN_INTERVAL", 60, minimum=1)
GBFS_MAX_INTERVAL = env_int("GBFS_MAX_INTERVAL", 15 * 60, minimum=1)
GBFS_TIMEOUT = env_int("GBFS_TIMEOUT", 10, minimum=1)
GBFS_MAX_BYTES = env_int("GBFS_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)
OPERATOR_FINE_CURRENCY = env_str("OPERATOR_FINE_CURRENCY", "IDR")
# The MDS provider id (providers.csv of the Mobility Data Specification) of each operator that has
# one, by the operator's short name: its MDS policies then bind that provider only (docs/operators.md).
MDS_PROVIDER_IDS = env_uuid_map("MDS_PROVIDER_IDS")
# Proposals: how long they collect support, how many supports bring them to the city, and how
# many days the city has to answer.
PROPOSAL_SUPPORT_WINDOW_DAYS = env_int("PROPOSAL_SUPPORT_WINDOW_DAYS", 90, minimum=1)
PROPOSAL_SUPPORT_THRESHOLD = env_int("PROPOSAL_SUPPORT_THRESHOLD", 100, minimum=1)
PROPOSAL_ANSWER_DAYS = env_int("PROPOSAL_ANSWER_DAYS", 30, minimum=1)
PROPOSAL_COMMENT_EDIT_MINUTES = 15
# Moderation: distinct flaggers that hide an item pending review, and how many of a new
# account's first contributions wait for a moderator.
MODERATION_AUTO_HIDE_FLAGS = env_int("MODERATION_AUTO_HIDE_FLAGS", 3, minimum=1)
MODERATION_FIRST_CONTRIBUTIONS_PENDING = env_int("MODERATION_FIRST_CONTRIBUTIONS_PENDING", 2, minimum=0)
# Open data: how long content waits before it is published, the licence, the publisher, and
# how long old snapshots are kept.
OPENDATA_PUBLICATION_DELAY_HOURS = env_int("OPENDATA_PUBLICATION_DELAY_HOURS", 24, minimum=0)
OPENDATA_LICENSE_ID = env_str("OPENDATA_LICENSE_ID", "CC-BY-4.0")
OPENDATA_LICENSE_URL = env_url(
    "OPENDATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/", ("http", "https")
)
OPENDATA_PUBLISHER = env_str("OPENDATA_PUBLISHER", SITE_NAME)
# A dataset build that made no progress for this many minutes died (a killed worker): it is
# marked failed, its files are deleted and "Build now" is offered again.
OPENDATA_BUILD_STALL_MINUTES = env_int("OPENDATA_BUILD_STALL_MINUTES", 15, minimum=1)
# Local folder of the builds' temporary files (one sub-folder per snapshot).
OPENDATA_WORK_DIR = Path(env_str("OPENDATA_WORK_DIR", str(Path(tempfile.gettempdir()) / "cocreate-opendata")))
OPENDATA_SNAPSHOT_RETENTION_DAYS = env_int("OPENDATA_SNAPSHOT_RETENTION_DAYS", 30, minimum=1)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10

# Security. Production values are the defaults whenever DEBUG is off.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
# The client address the rate limits count by (allauth's and ours): the last X-Forwarded-For
# entry behind the proxy, REMOTE_ADDR otherwise.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if BEHIND_PROXY else 0
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "cocreate.views.csrf_failure"


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}".replace("{s}.", "*.")


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _origin(MAP_TILE_URL)],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "citizens.api_tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "cocreate.api_input.CursorPagination",
    # Size-limited (413), strict UTF-8 and depth-limited parsers; errors answer JSON (cocreate.api_input).
    "DEFAULT_PARSER_CLASSES": [
        "cocreate.api_input.JSONParser",
        "cocreate.api_input.FormParser",
        "cocreate.api_input.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "cocreate.api_input.exception_handler",
    "PAGE_SIZE": 50,
    # Behind a proxy, the client address is the last one the proxy adds to X-Forwarded-For;
    # otherwise a client could pick its own address and escape the per-address limit.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
}
# Writes on every surface (pages, REST API, Open311), counted by cocreate.limits: strict per
# person, generous per address (many citizens share a carrier NAT address), and per Open311 key.
# The API_* names are the older names of the first two.
WRITE_RATES = {
    "user": env_rate("USER_WRITE_RATE", env_rate("API_USER_WRITE_RATE", "30/minute")),
    "address": env_rate("ADDRESS_WRITE_RATE", env_rate("API_ADDRESS_WRITE_RATE", "300/minute")),
    "open311_key": env_rate("OPEN311_KEY_WRITE_RATE", "30/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "Reports, proposals and open data of a CoCreate site.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its 4xx answers and their JSON body (cocreate.api_schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cocreate.api_schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "services.models.ReportStatus",
        "ProposalStatusEnum": "proposals.models.ProposalStatus",
    },
}

# Open311 GeoReport v2: an optional jurisdiction id; when set, a different one is a 404.
OPEN311_JURISDICTION_ID = env_str("OPEN311_JURISDICTION_ID")

# Logging: one JSON object a line on stdout. Records carry no request object, so no
# address, cookie or form field reaches a log line.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_personal_data": {"()": "cocreate.logging.PersonalDataFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["no_personal_data"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
        "celery": {"handlers": ["stdout"], "level": LOG_LEVEL, "propagate": False},
    },
}
