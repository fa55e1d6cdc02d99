"""Settings for the benchmarks: production settings on a throwaway PostgreSQL database.

The environment is set before ``cocreate.settings`` reads it, so the production code paths
run (DEBUG off, Redis cache, PostgreSQL), with quiet logging and no HTTPS redirect.
The database is always the benchmark's own (``BENCH_DATABASE_URL``), never ``DATABASE_URL``:
the seed script truncates it.
"""

from __future__ import annotations

import os
import warnings

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cocreate_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")

os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
os.environ["REDIS_URL"] = BENCH_REDIS_URL
os.environ["DEBUG"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ["LOG_LEVEL"] = os.environ.get("BENCH_LOG_LEVEL", "WARNING")
# A key for the benchmark database only; it protects nothing real.
os.environ["SECRET_KEY"] = "bench-only-key-not-a-secret-7Qm2vX9pL4sK8dR3tY6wZ1nB5cF0hJ-aE"

from cocreate.settings import *  # noqa: E402, F403
from cocreate.settings import STORAGES  # noqa: E402

# WhiteNoise looks for STATIC_ROOT, which the benchmark does not collect.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
SECURE_SSL_REDIRECT = False
# Plain static storage: no manifest, so no collectstatic is needed before serving.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Every benchmark client comes from 127.0.0.1: the launch-day run logs its citizens in at once.
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": "100000/m/ip"}  # noqa: F405
