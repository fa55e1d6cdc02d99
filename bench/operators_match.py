"""The nearest-vehicle match of a report with 100,000 vehicles stored, against a lookup by primary key.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME .venv/bin/python bench/operators_match.py [--vehicles 100000 --points 2000]

Without ``DATABASE_URL`` it runs on a throwaway SQLite file (``bench/operators_settings.py``).
The database is migrated and holds, for four operators of its own (``bench-match-1`` to ``-4``),
``--vehicles`` vehicles over ``CITY_BOUNDS``, half of them gathered around twelve busy places
(made once; ``--reset`` makes them again). Then, in one process, one after the other, for the
same ``--points`` random points of the city (half near the busy places) after a warm-up:

- the floor: ``Vehicle.objects.get(pk=...)`` of a random stored vehicle;
- ``operators.routing.nearest_vehicle(lat, lon)``: the nearest vehicle of any type within
  ``OPERATOR_MATCH_RADIUS_M``, as a report that names no vehicle type is routed;
- the same for bicycles only (``form_factors=["bicycle", "cargo_bicycle"]``).

Each call is timed alone (``time.perf_counter``); p50, p95, p99 and the maximum go to
``bench/results/operators-match.md``, in a section per database, with the share of points that
found a vehicle, the SQL statements per call and the plan of the lookup. Goal: p95 within 5 ms.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shlex
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import code_version, cpu_model, update_section, wait_quiet  # noqa: E402

# After the harness, which sets bench.settings (a database of its own) for the HTTP benchmarks.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.operators_settings"

RESULTS = ROOT / "bench" / "results" / "operators-match.md"
TITLE = "# Operators: matching a report to the nearest vehicle among 100,000"
SLUGS = [f"bench-match-{n}" for n in range(1, 5)]
FORMS = [("scooter_standing", 0.55), ("bicycle", 0.3), ("scooter_seated", 0.1), ("cargo_bicycle", 0.05)]
BATCH = 5000


def ensure_vehicles(count: int, seed: int, reset: bool) -> None:
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from operators import actions
    from operators.models import Vehicle

    operators = [actions.operator_save(slug=slug, name=slug.title())[0] for slug in SLUGS]
    stored = Vehicle.objects.filter(operator__in=operators)
    if stored.count() == count and not reset:
        print(f"{count:,} vehicles already stored")
        return
    started = time.monotonic()
    rng = random.Random(seed)
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    centres = busy_places(seed)
    now = timezone.now()
    with transaction.atomic():
        stored.delete()
        for start in range(0, count, BATCH):
            rows = []
            for _n in range(start, min(start + BATCH, count)):
                if rng.random() < 0.5:
                    lat, lon = rng.choice(centres)
                    lat, lon = lat + rng.gauss(0, 0.004), lon + rng.gauss(0, 0.004)
                else:
                    lat, lon = rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)
                rows.append(
                    Vehicle(
                        operator=rng.choice(operators),
                        vehicle_id=f"{rng.getrandbits(128):032x}",
                        form_factor=rng.choices([f for f, _w in FORMS], weights=[w for _f, w in FORMS])[0],
                        lat=lat,
                        lon=lon,
                        first_seen_at=now - timedelta(hours=rng.uniform(0, 72)),
                        last_seen_at=now,
                    )
                )
            Vehicle.objects.bulk_create(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE operators_vehicle")
    print(f"{count:,} vehicles stored in {time.monotonic() - started:.1f} s")


def busy_places(seed: int) -> list[tuple[float, float]]:
    from django.conf import settings

    rng = random.Random(seed + 1)
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    return [(rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)) for _ in range(12)]


def random_points(count: int, seed: int) -> list[tuple[float, float]]:
    from django.conf import settings

    rng = random.Random(seed + 2)
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    centres = busy_places(seed)
    points = []
    for _ in range(count):
        if rng.random() < 0.5:
            lat, lon = rng.choice(centres)
            points.append((lat + rng.gauss(0, 0.004), lon + rng.gauss(0, 0.004)))
        else:
            points.append((rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)))
    return points


def timings(call, items) -> tuple[list[float], int]:
    """Milliseconds of each ``call(item)``, and how many returned something."""
    found = 0
    spent = []
    for item in items:
        began = time.perf_counter()
        result = call(item)
        spent.append((time.perf_counter() - began) * 1000)
        found += result is not None
    return spent, found


def summary(spent: list[float]) -> dict[str, float]:
    ordered = sorted(spent)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]

    return {"p50": at(50), "p95": at(95), "p99": at(99), "max": ordered[-1], "mean": statistics.fmean(ordered)}


def statements_per_call(call, items) -> float:
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        for item in items:
            call(item)
    return count[0] / len(items)


def lookup_plan(lat: float, lon: float) -> str:
    from django.conf import settings
    from django.db import connection

    from operators.models import Vehicle

    query = Vehicle.objects.in_box(lat, lon, settings.OPERATOR_MATCH_RADIUS_M).values_list("operator_id", "lat", "lon")[
        :200
    ]
    if connection.vendor == "postgresql":
        return query.explain(analyze=True)
    return query.explain()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vehicles", type=int, default=100_000, help="vehicles stored (100000)")
    parser.add_argument("--points", type=int, default=2000, help="random points matched (2000, at least 1000)")
    parser.add_argument("--warmup", type=int, default=200, help="calls of each kind before measuring (200)")
    parser.add_argument("--seed", type=int, default=11, help="random seed (11)")
    parser.add_argument("--reset", action="store_true", help="store the vehicles again")
    parser.add_argument("--quiet-wait", type=int, default=300, help="seconds to wait for other work to stop (300)")
    parser.add_argument(
        "--quiet-threshold", type=float, default=25.0, help="machine busy (%% of a CPU) that counts as quiet"
    )
    parser.add_argument(
        "--output", default=str(RESULTS), help="results file (its section for the database is replaced)"
    )
    args = parser.parse_args(argv)
    if not (1_000 <= args.vehicles <= 2_000_000 and args.points >= 1000):
        parser.error("--vehicles must be within 1000..2000000 and --points at least 1000")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from operators.models import Vehicle
    from operators.routing import nearest_vehicle

    call_command("migrate", verbosity=0)
    ensure_vehicles(args.vehicles, args.seed, args.reset)
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT sqlite_version()")
        server_version = cursor.fetchone()[0]
    total = Vehicle.objects.count()
    pks = list(Vehicle.objects.filter(operator__slug__in=SLUGS).values_list("pk", flat=True))
    rng = random.Random(args.seed + 3)
    points = random_points(args.points, args.seed)
    keys = [rng.choice(pks) for _ in range(args.points)]
    bicycles = ["bicycle", "cargo_bicycle"]
    kinds = [
        ("pk", "`Vehicle.objects.get(pk=...)` (floor)", lambda pk: Vehicle.objects.get(pk=pk), keys),
        ("any", "`nearest_vehicle(lat, lon)`", lambda p: nearest_vehicle(p[0], p[1]), points),
        (
            "bicycle",
            "`nearest_vehicle(lat, lon, form_factors=[bicycles])`",
            lambda p: nearest_vehicle(p[0], p[1], form_factors=bicycles),
            points,
        ),
    ]
    busy = wait_quiet(time.monotonic() + args.quiet_wait, args.quiet_threshold)
    results = {}
    for key, label, call, items in kinds:
        timings(call, items[: args.warmup])
        spent, found = timings(call, items)
        results[key] = {
            **summary(spent),
            "found": found,
            "calls": len(items),
            "statements": statements_per_call(call, items[:200]),
        }
        r = results[key]
        print(
            f"{label}: p50 {r['p50']:.2f} ms, p95 {r['p95']:.2f} ms, p99 {r['p99']:.2f} ms, found {found}/{len(items)}"
        )
    plan = lookup_plan(*points[0])
    connection.close()

    floor = results["pk"]
    lines = [
        "| lookup | calls | found | p50 ms | p95 ms | p99 ms | max ms | mean ms | SQL per call | p95 vs floor |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label, _call, _items in kinds:
        r = results[key]
        ratio = "1" if key == "pk" else f"{r['p95'] / floor['p95']:.1f}x"
        lines.append(
            f"| {label} | {r['calls']:,} | {r['found']:,} | {r['p50']:.2f} | {r['p95']:.2f} | {r['p99']:.2f} |"
            f" {r['max']:.2f} | {r['mean']:.2f} | {r['statements']:.2f} | {ratio} |"
        )
    table = "\n".join(lines)
    print()
    print(table)

    import django as dj

    root_prefix = str(ROOT) + "/"
    command = shlex.join([sys.executable.replace(root_prefix, ""), *sys.argv]).replace(root_prefix, "")
    database = ("PostgreSQL " if vendor == "postgresql" else "SQLite ") + server_version
    targets = [
        f"- {label}: p95 within 5 ms {'met' if results[key]['p95'] <= 5 else 'missed'} ({results[key]['p95']:.2f} ms)."
        for key, label, _call, _items in kinds[1:]
    ]
    text = "\n".join(
        [
            f"## {database}",
            "",
            f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `{command}`"
            + (" (`DATABASE_URL` naming a PostgreSQL database)" if vendor == "postgresql" else "")
            + f", code {code_version()}.",
            "",
            f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()}; the"
            f" benchmark and the database share it (busy at {busy:.0f}% of a CPU before the run).",
            f"- Python {platform.python_version()}, Django {dj.get_version()}, {database}; settings"
            " `bench/operators_settings.py` (DEBUG off).",
            f"- Data: {len(pks):,} vehicles of the benchmark's operators ({total:,} in the table), half gathered"
            f" around twelve busy places, half anywhere in the city; match radius `OPERATOR_MATCH_RADIUS_M` = {settings.OPERATOR_MATCH_RADIUS_M} m. The points:"
            " half near the busy places, half anywhere; the floor looks up random stored vehicles. Each kind of"
            f" call is warmed up with {args.warmup} calls, then timed call by call, one kind after the other.",
            "",
            table,
            "",
            "Targets:",
            "",
            *targets,
            "",
            "The lookup's plan (the square around the first point, on the `(lat, lon)` index):",
            "",
            "```",
            plan,
            "```",
        ]
    )
    update_section(Path(args.output), f"match-{vendor}", text, title=TITLE)
    print(f"\nwritten to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
