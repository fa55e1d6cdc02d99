"""Settings for the operators' benchmarks (``gbfs_poll.py``, ``operators_match.py``): production
settings (DEBUG off) on ``DATABASE_URL`` when it is set (PostgreSQL), else on a throwaway SQLite
file in the temporary folder, never the development database.

The environment is set before ``cocreate.settings`` reads it. Without ``REDIS_URL`` the cache is
per process and Celery runs in process, which these benchmarks do not measure anyway.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

SQLITE_FILE = Path(tempfile.gettempdir()) / "cocreate-bench-operators.sqlite3"

os.environ["DATABASE_URL"] = os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_FILE}"
os.environ["DEBUG"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ["LOG_LEVEL"] = os.environ.get("BENCH_LOG_LEVEL", "WARNING")
# A key for the benchmark database only; it protects nothing real.
os.environ["SECRET_KEY"] = "bench-only-key-not-a-secret-7Qm2vX9pL4sK8dR3tY6wZ1nB5cF0hJ-aE"

from cocreate.settings import *  # noqa: E402, F403

warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
