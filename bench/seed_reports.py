"""Seed the benchmark database with many reports.

    .venv/bin/python bench/seed_reports.py [--count 200000] [--reset]

Creates the PostgreSQL database named in ``BENCH_DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/cocreate_bench``) if it is missing, migrates it, loads
the service catalogue and COPYs reports spread over the city's bounds and the last 365 days,
with mixed statuses and about 2% held or hidden by moderation (1,000,000 in about 45 s).
Idempotent: a database that already holds the count is left alone (a smaller one is topped
up); ``--reset`` empties the report tables first. Ends with VACUUM ANALYZE of the reports (the
map's tiles read an index alone once the table is vacuumed, as autovacuum does in production)
and a new map version, so that no tile cached before the COPY is served.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402

SEED = 20261122
# Statuses by age: recent reports are mostly open, old ones mostly resolved or closed.
RECENT_STATUSES = [("open", 45), ("acknowledged", 20), ("in_progress", 20), ("resolved", 10), ("closed", 3)]
OLD_STATUSES = [("open", 8), ("acknowledged", 5), ("in_progress", 7), ("resolved", 55), ("closed", 17)]
RARE_STATUSES = [("duplicate", 5), ("rejected", 3)]  # added to both, in percent
CLOSED = {"resolved", "closed", "duplicate", "rejected"}
# About 2% of reports are not public: waiting for a moderator or hidden.
MODERATION = [("published", 980), ("pending", 12), ("hidden", 6), ("rejected", 2)]
SOURCES = [("web", 85), ("api", 10), ("open311", 5)]
DESCRIPTIONS = [
    "Reported near the junction, please check.",
    "It has been like this for a week.",
    "Dangerous for motorbikes at night.",
    "Next to the school entrance.",
    "Sudah lama tidak diperbaiki.",
    "Di depan warung, dekat halte.",
    "Mohon segera ditangani, membahayakan pengguna jalan.",
    "",
]
COLUMNS = [
    "service_id",
    "status",
    "status_notes",
    "description",
    "redacted_description",
    "lat",
    "lon",
    "address",
    "attributes",
    "show_name",
    "rejection_reason",
    "source",
    "created_at",
    "updated_at",
    "closed_at",
    "expected_at",
    "moderation_state",
]
# Emptied by --reset with CASCADE: photos, updates, comments and follows go with it.
REPORT_TABLE = "services_report"


def database_url() -> str:
    from bench.settings import BENCH_DATABASE_URL

    return BENCH_DATABASE_URL


def conninfo(url: str, dbname: str | None = None) -> str:
    """A psycopg connection string for ``url``, optionally on another database of the server."""
    import dj_database_url

    parsed = dj_database_url.parse(url)
    parts = {
        "host": parsed.get("HOST") or "127.0.0.1",
        "port": str(parsed.get("PORT") or 5432),
        "user": parsed.get("USER") or "postgres",
        "dbname": dbname or parsed["NAME"],
    }
    if parsed.get("PASSWORD"):
        parts["password"] = parsed["PASSWORD"]
    return " ".join(f"{key}={value}" for key, value in parts.items())


def ensure_database(url: str) -> None:
    """Create the benchmark database when the server does not have it."""
    import dj_database_url

    name = dj_database_url.parse(url)["NAME"]
    with psycopg.connect(conninfo(url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            print(f"database {name} exists")
            return
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"database {name} created")


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    names, weights = zip(*choices, strict=True)
    return rng.choices(names, weights)[0]


def make_rows(count: int, services: list[tuple[int, int, str]], bounds, now: datetime, seed: int):
    """Yield ``count`` report rows in COPY column order, reproducibly from ``seed``."""
    from cocreate.redaction import redact

    rng = random.Random(seed)
    redacted = {text: redact(text) for text in DESCRIPTIONS}  # as report_create stores them
    min_lon, min_lat, max_lon, max_lat = bounds
    # A few busy districts: 40% of reports cluster around them, the rest spread evenly.
    hotspots = [
        (min_lon + (max_lon - min_lon) * fx, min_lat + (max_lat - min_lat) * fy)
        for fx, fy in ((0.40, 0.40), (0.55, 0.55), (0.25, 0.60), (0.70, 0.30), (0.45, 0.75))
    ]
    year = timedelta(days=365).total_seconds()
    recent = RECENT_STATUSES + RARE_STATUSES
    old = OLD_STATUSES + RARE_STATUSES
    for _ in range(count):
        service_id, response_days, code = rng.choice(services)
        if rng.random() < 0.4:
            cx, cy = rng.choice(hotspots)
            lon = min(max(rng.gauss(cx, 0.008), min_lon), max_lon)
            lat = min(max(rng.gauss(cy, 0.008), min_lat), max_lat)
        else:
            lon = rng.uniform(min_lon, max_lon)
            lat = rng.uniform(min_lat, max_lat)
        age = rng.random() * year
        created = now - timedelta(seconds=age)
        status = weighted(rng, recent if age < 30 * 86400 else old)
        updated = min(created + timedelta(seconds=rng.random() * min(age, 45 * 86400)), now)
        closed = updated if status in CLOSED else None
        attributes = {"size": rng.choice(["small", "medium", "large"])} if code == "pothole" else {}
        description = rng.choice(DESCRIPTIONS)
        yield (
            service_id,
            status,
            "Crew scheduled." if status == "in_progress" else "",
            description,
            redacted[description],
            round(lat, 6),
            round(lon, 6),
            "",
            json.dumps(attributes),
            rng.random() < 0.2,
            "Not a city matter." if status == "rejected" else "",
            weighted(rng, SOURCES),
            created,
            updated,
            closed,
            created + timedelta(days=response_days),
            weighted(rng, MODERATION),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200_000, help="reports wanted in the database (200000)")
    parser.add_argument("--reset", action="store_true", help="empty the report tables first")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed, for reproducible data")
    args = parser.parse_args(argv)
    if args.count < 0:
        parser.error("--count must be 0 or more")

    url = database_url()
    ensure_database(url)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from services.catalogue import catalogue_load
    from services.models import Service

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"migrated in {time.monotonic() - started:.1f} s")
    catalogue_load()
    services = [(s.pk, s.response_days, s.service_code) for s in Service.objects.order_by("pk")]
    print(f"catalogue: {len(services)} services")

    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        if args.reset:
            conn.execute(sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(sql.Identifier(REPORT_TABLE)))
            print("reports emptied")
        have = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(REPORT_TABLE))).fetchone()[0]
        missing = args.count - have
        if missing <= 0:
            print(f"{have} reports already there; nothing to insert")
        else:
            started = time.monotonic()
            now = datetime.now(UTC)
            copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(REPORT_TABLE), sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
            )
            # Seeding a top-up with a different seed keeps it from repeating the first rows.
            rows = make_rows(missing, services, settings.CITY_BOUNDS, now, args.seed + have)
            with conn.transaction(), conn.cursor() as cur, cur.copy(copy_sql) as copy:
                for done, row in enumerate(rows, 1):
                    copy.write_row(row)
                    if done % 50_000 == 0:
                        print(f"  {done}/{missing}")
            print(f"inserted {missing} reports in {time.monotonic() - started:.1f} s")
        started = time.monotonic()
        conn.execute("ANALYZE")
        conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(REPORT_TABLE)))
        print(f"vacuumed and analyzed in {time.monotonic() - started:.1f} s")
        total, visible, recent = conn.execute(
            sql.SQL(
                "SELECT count(*), count(*) FILTER (WHERE moderation_state = 'published'),"
                " count(*) FILTER (WHERE created_at >= now() - interval '90 days') FROM {}"
            ).format(sql.Identifier(REPORT_TABLE))
        ).fetchone()
        size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size(%s))", [REPORT_TABLE]).fetchone()[0]
    print(f"reports: {total} in all, {visible} published, {recent} in the last 90 days; table with indexes {size}")
    from services import map_version

    map_version.bump()  # the COPY sends no signal: tiles cached before it are outdated now
    return 0


if __name__ == "__main__":
    sys.exit(main())
