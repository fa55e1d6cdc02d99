"""One poll of a 10,000-vehicle GBFS feed served over HTTP, against parsing its vehicle status alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DBNAME .venv/bin/python bench/gbfs_poll.py [--vehicles 10000]

Without ``DATABASE_URL`` it runs on a throwaway SQLite file (``bench/operators_settings.py``).
The database is migrated, and the benchmark's operator (``bench-gbfs``) and its rows are made
afresh; nothing else in it is touched.

A GBFS 3.0 feed of ``--vehicles`` vehicles (three vehicle types, 2% docked at 40 stations
without positions of their own, a few disabled or reserved) is written twice to a temporary
folder: as first seen (``a/``), and as one poll later (``b/``: 80% of the vehicles where they
were, with a few metres of GPS jitter, 10% exactly where they were, 4% moved 100 m, 4% ridden
away (their ids rotated, new positions), 2% gone and 2% new, 1% newly disabled). A
``ThreadingHTTPServer`` on 127.0.0.1 in this process serves both (``SimpleHTTPRequestHandler``,
which answers ``If-Modified-Since`` with 304). Then, one after the other, each in a fresh
process so that its memory is its own:

- the baseline: ``json.loads`` of the vehicle status file alone (read from disk first);
- the first poll: ``poll_operator`` on an operator with no vehicles yet (every row created);
- the next poll: ``poll_operator`` of ``b/`` after ``a/`` (the usual poll of a live feed);
- an unchanged poll: ``poll_operator`` of ``b/`` again, answered 304 (the vehicles stay).

For each: wall time (split into download and checks, ``fetch_feed``, and database writes),
SQL statements, RSS at start (after Django's set-up) and peak (``VmHWM``), and, in a second
run of the same measurement with ``tracemalloc`` on (which slows Python, so its time is not
used), the peak of Python's own allocations. Goal: a poll within 2 s and 100 MB. Results go to
``bench/results/gbfs-poll.md``, in a section per database.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import Stop, code_version, cpu_model, on_sigterm, update_section, wait_quiet  # noqa: E402

# After the harness, which sets bench.settings (a database of its own) for the HTTP benchmarks.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.operators_settings"

RESULTS = ROOT / "bench" / "results" / "gbfs-poll.md"
TITLE = "# GBFS: one poll of a 10,000-vehicle feed against parsing it alone"
SLUG = "bench-gbfs"
MB = 1024 * 1024
CHILD_TIMEOUT = 600
TYPES = [("stand", "scooter_standing", 0.6), ("pedal", "bicycle", 0.25), ("seat", "scooter_seated", 0.15)]
MEASUREMENTS = [
    ("parse", "json.loads of the vehicle status alone (baseline)"),
    ("first", "first poll: every vehicle new"),
    ("changed", "next poll: the feed one poll later"),
    ("unchanged", "unchanged poll: HTTP 304"),
]


def memory() -> dict[str, float]:
    """This process's resident memory now and at its peak (VmHWM), in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


# --- the feed ----------------------------------------------------------------------------


def write_feed(folder: Path, vehicles: list[dict], stations: list[dict], stamp: str) -> int:
    """A GBFS 3.0 feed in ``folder``; returns the size of its vehicle status file."""
    folder.mkdir(parents=True, exist_ok=True)
    names = ["system_information", "vehicle_types", "station_information", "station_status", "vehicle_status"]

    def header(data: dict, ttl: int = 0) -> dict:
        return {"last_updated": stamp, "ttl": ttl, "version": "3.0", "data": data}

    files = {
        "gbfs": header({"feeds": [{"name": n, "url": f"{{base}}/{n}.json"} for n in names]}, 3600),
        "system_information": header(
            {
                "system_id": "bench",
                "languages": ["en"],
                "name": [{"text": "Bench", "language": "en"}],
                "opening_hours": "24/7",
                "feed_contact_email": "feeds@bench.invalid",
                "timezone": "Asia/Jakarta",
            },
            3600,
        ),
        "vehicle_types": header(
            {
                "vehicle_types": [
                    {
                        "vehicle_type_id": type_id,
                        "form_factor": form,
                        "propulsion_type": "electric",
                        "max_range_meters": 30000,
                    }
                    for type_id, form, _share in TYPES
                ]
            },
            3600,
        ),
        "station_information": header(
            {
                "stations": [
                    {
                        "station_id": s["id"],
                        "name": [{"text": s["id"], "language": "en"}],
                        "lat": s["lat"],
                        "lon": s["lon"],
                    }
                    for s in stations
                ]
            },
            3600,
        ),
        "station_status": header(
            {
                "stations": [
                    {
                        "station_id": s["id"],
                        "num_vehicles_available": sum(1 for v in vehicles if v.get("station_id") == s["id"]),
                        "num_docks_available": 10,
                        "is_installed": True,
                        "is_renting": True,
                        "is_returning": True,
                        "last_reported": stamp,
                    }
                    for s in stations
                ]
            }
        ),
        "vehicle_status": header({"vehicles": vehicles}),
    }
    for name, document in files.items():
        (folder / f"{name}.json").write_text(json.dumps(document, separators=(",", ":")))
    return (folder / "vehicle_status.json").stat().st_size


def make_feeds(folder: Path, count: int, seed: int) -> dict[str, int]:
    """Feeds ``a/`` and ``b/`` (see the module's docstring); the vehicle status sizes in bytes."""
    from django.conf import settings

    rng = random.Random(seed)
    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS
    centres = [(rng.uniform(min_lat, max_lat), rng.uniform(min_lon, max_lon)) for _ in range(12)]

    def place() -> tuple[float, float]:
        if rng.random() < 0.5:  # half around busy places, half anywhere in the city
            lat, lon = rng.choice(centres)
            return round(lat + rng.gauss(0, 0.004), 6), round(lon + rng.gauss(0, 0.004), 6)
        return round(rng.uniform(min_lat, max_lat), 6), round(rng.uniform(min_lon, max_lon), 6)

    def new_id() -> str:
        return f"{rng.getrandbits(128):032x}"

    def new_vehicle() -> dict:
        lat, lon = place()
        type_id = rng.choices([t[0] for t in TYPES], weights=[t[2] for t in TYPES])[0]
        return {
            "vehicle_id": new_id(),
            "lat": lat,
            "lon": lon,
            "is_reserved": rng.random() < 0.01,
            "is_disabled": rng.random() < 0.02,
            "vehicle_type_id": type_id,
            "current_range_meters": rng.randint(500, 30000),
        }

    stations = [dict(zip(("id", "lat", "lon"), (f"station-{n}", *place()), strict=True)) for n in range(40)]
    first = [new_vehicle() for _ in range(count)]
    for vehicle in rng.sample(first, count // 50):
        vehicle.pop("lat"), vehicle.pop("lon")
        vehicle["station_id"] = rng.choice(stations)["id"]
    later = []
    metre = 1 / 111_320
    for vehicle in first:
        draw = rng.random()
        moved = dict(vehicle)
        if draw < 0.02:
            continue  # gone
        if draw < 0.06:
            moved.update(new_vehicle())  # ridden away: a new id somewhere else
            moved.pop("station_id", None)
        elif draw < 0.10 and "lat" in moved:
            moved["lat"] = round(moved["lat"] + 100 * metre, 6)  # re-parked 100 m away
        elif draw < 0.90 and "lat" in moved:
            moved["lat"] = round(moved["lat"] + rng.uniform(-3, 3) * metre, 6)  # GPS jitter
            moved["lon"] = round(moved["lon"] + rng.uniform(-3, 3) * metre, 6)
        if rng.random() < 0.01:
            moved["is_disabled"] = True
        later.append(moved)
    later += [new_vehicle() for _ in range(count - len(later))]
    return {
        "a": write_feed(folder / "a", first, stations, "2025-03-04T08:00:00+07:00"),
        "b": write_feed(folder / "b", later, stations, "2025-03-04T08:01:00+07:00"),
    }


def serve(folder: Path) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``folder`` on 127.0.0.1; ``{base}`` in each gbfs.json becomes its folder's URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for gbfs in folder.glob("*/gbfs.json"):
        gbfs.write_text(gbfs.read_text().replace("{base}", f"{base}/{gbfs.parent.name}"))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    return server, base


# --- children: one measurement each ------------------------------------------------------


def child(args) -> None:
    import gc
    import tracemalloc

    import django

    django.setup()
    from django.db import connection

    from operators import actions, fleet, gbfs
    from operators.models import FeedPoll, FleetDay, Operator, Vehicle

    result: dict = {}
    if args.child == "parse":
        body = (Path(args.feeds) / "a" / "vehicle_status.json").read_bytes()
        json.loads(b'{"warm": [1, 2.5, true, "x"]}')
        gc.collect()
        start = memory()
        if args.trace:
            tracemalloc.start()
        began = time.perf_counter()
        document = json.loads(body)
        result["seconds"] = time.perf_counter() - began
        result["vehicles"] = len(document["data"]["vehicles"])
        result["bytes"] = len(body)
        result["queries"] = 0
    else:
        operator = Operator.objects.get(slug=SLUG)
        if args.child == "first":
            Vehicle.objects.filter(operator=operator).delete()
            FeedPoll.objects.filter(operator=operator).delete()
            FleetDay.objects.filter(operator=operator).delete()
            operator, _created = actions.operator_save(slug=SLUG, name="Bench", gbfs_url=f"{args.url}/a/gbfs.json")
        elif args.child == "changed":
            operator, _created = actions.operator_save(slug=SLUG, name="Bench", gbfs_url=f"{args.url}/b/gbfs.json")
        operator = Operator.objects.get(slug=SLUG)
        phases = {"fetch": 0.0}
        fetch_feed = gbfs.fetch_feed

        def timed_fetch(*args, **kwargs):
            began = time.perf_counter()
            try:
                return fetch_feed(*args, **kwargs)
            finally:
                phases["fetch"] += time.perf_counter() - began

        gbfs.fetch_feed = timed_fetch  # fleet calls gbfs.fetch_feed through the module
        queries = [0]

        def count(execute, sql, params, many, context):
            queries[0] += 1
            return execute(sql, params, many, context)

        gc.collect()
        start = memory()
        if args.trace:
            tracemalloc.start()
        with connection.execute_wrapper(count):
            began = time.perf_counter()
            polled = fleet.poll_operator(operator=operator)
            result["seconds"] = time.perf_counter() - began
        if not polled.ok:
            raise RuntimeError(f"the poll failed: {polled.error_code} {polled.error}")
        result["fetch"] = phases["fetch"]
        result["record"] = result["seconds"] - phases["fetch"]
        result["queries"] = queries[0]
        result["vehicles"] = polled.vehicles
        result["not_modified"] = polled.not_modified
        result["stored"] = Vehicle.objects.filter(operator=operator).count()
    if args.trace:
        result["python_peak"] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    result["rss_start"] = start["VmRSS"]
    result["rss_peak"] = memory()["VmHWM"]
    print("RESULT " + json.dumps(result), flush=True)


def run_child(mode: str, args, trace: bool = False) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--feeds", args.feeds, "--url", args.url]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"{mode} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(line[len("RESULT ") :])


def measure(mode: str, label: str, args) -> dict:
    best = None
    for attempt in range(1 + args.retries):
        busy = wait_quiet(args.quiet_deadline, args.quiet_threshold)
        if mode == "changed":
            run_child("first", args)  # the state one poll before
        result = run_child(mode, args)
        result["busy_before"], result["attempts"] = busy, attempt + 1
        print(
            f"{label}: {result['seconds']:.3f} s, {result['vehicles']:,} vehicles, {result['queries']} queries,"
            f" RSS {result['rss_start']:.0f} -> {result['rss_peak']:.0f} MB (machine busy before: {busy:.0f}%)"
        )
        if best is None or result["seconds"] < best["seconds"]:
            best = result
        if busy <= args.quiet_threshold or time.monotonic() >= args.quiet_deadline:
            break
    if mode == "changed":
        run_child("first", args)
    traced = run_child(mode, args, trace=True)
    best["python_peak"] = traced["python_peak"]
    print(f"  Python's peak allocations (tracemalloc): {traced['python_peak']:.1f} MB")
    return best


# --- results -----------------------------------------------------------------------------


def results_table(results: dict[str, dict]) -> str:
    floor = results["parse"]["seconds"]
    lines = [
        "| measurement | vehicles | seconds | download and checks s | database s | SQL statements |"
        " RSS at start MB | peak RSS MB | growth MB | Python peak MB | vs json.loads |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, label in MEASUREMENTS:
        r = results[mode]
        fetch = "-" if mode == "parse" else f"{r['fetch']:.3f}"
        record = "-" if mode == "parse" else f"{r['record']:.3f}"
        ratio = "1" if mode == "parse" else f"{r['seconds'] / floor:.1f}x"
        lines.append(
            f"| {label} | {r['vehicles']:,} | {r['seconds']:.3f} | {fetch} | {record} | {r['queries']} |"
            f" {r['rss_start']:.0f} | {r['rss_peak']:.0f} | {r['rss_peak'] - r['rss_start']:.0f} |"
            f" {r['python_peak']:.1f} | {ratio} |"
        )
    return "\n".join(lines)


def targets_lines(results: dict[str, dict]) -> list[str]:
    lines = []
    for mode, label in MEASUREMENTS[1:]:
        r = results[mode]
        time_ok = r["seconds"] <= 2
        memory_ok = r["rss_peak"] <= 100
        lines.append(
            f"- {label}: within 2 s {'met' if time_ok else 'missed'} ({r['seconds']:.2f} s); peak RSS of the"
            f" polling process within 100 MB {'met' if memory_ok else 'missed'} ({r['rss_peak']:.0f} MB, of which"
            f" {r['rss_start']:.0f} MB were there before the poll: Python, Django and the project loaded)."
        )
    return lines


def write_results(args, vendor: str, server_version: str, sizes: dict[str, int], results: dict[str, dict]) -> None:
    import django

    root_prefix = str(ROOT) + "/"
    command = shlex.join([sys.executable.replace(root_prefix, ""), *sys.argv]).replace(root_prefix, "")
    database = "PostgreSQL " + server_version if vendor == "postgresql" else "SQLite " + server_version
    lines = [
        f"## {database}",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `{command}`"
        + (" (`DATABASE_URL` naming a PostgreSQL database)" if vendor == "postgresql" else "")
        + f", code {code_version()}.",
        "",
        f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()}; the feed's"
        " server (a thread of the benchmark process), the polling process and the database share it.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, {database}; settings"
        " `bench/operators_settings.py` (DEBUG off).",
        f"- Feed: GBFS 3.0, {args.vehicles:,} vehicles; vehicle status {sizes['a'] / MB:.2f} MB as first seen,"
        f" {sizes['b'] / MB:.2f} MB one poll later (changes as the script's docstring says).",
        "- Each measurement runs in a fresh process, after Django's set-up and a first query; peak RSS is the"
        " process's high-water mark (`VmHWM`), growth is peak minus RSS at start. Python peak is"
        " `tracemalloc`'s peak in a second run of the same measurement (its time is not used).",
        "- download and checks: `gbfs.fetch_feed` (HTTP over loopback, `json.loads`, validation);"
        " database: the rest of `poll_operator` (`fleet_record_snapshot`: one read of the stored rows, deletes,"
        " `bulk_update`, `bulk_create` in batches of 1,000, the poll, the operator and the day).",
        "",
        results_table(results),
        "",
        "Targets:",
        "",
        *targets_lines(results),
    ]
    update_section(Path(args.output), f"poll-{vendor}", "\n".join(lines), title=TITLE)
    print(f"\nwritten to {args.output}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vehicles", type=int, default=10_000, help="vehicles in the feed (10000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the feed (7)")
    parser.add_argument("--quiet-wait", type=int, default=300, help="seconds, in all, to wait for other work (300)")
    parser.add_argument(
        "--quiet-threshold", type=float, default=25.0, help="machine busy (%% of a CPU) that counts as quiet"
    )
    parser.add_argument("--retries", type=int, default=2, help="extra runs of a measurement on a busy machine (2)")
    parser.add_argument(
        "--output", default=str(RESULTS), help="results file (its section for the database is replaced)"
    )
    parser.add_argument("--child", choices=[mode for mode, _label in MEASUREMENTS], help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--feeds", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return 0
    if not 100 <= args.vehicles <= 200_000:
        parser.error("--vehicles must be within 100..200000")
    signal.signal(signal.SIGTERM, on_sigterm)
    args.quiet_deadline = time.monotonic() + args.quiet_wait

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from operators import actions

    call_command("migrate", verbosity=0)
    actions.operator_save(slug=SLUG, name="Bench", gbfs_url="http://127.0.0.1:9/unused/gbfs.json")
    vendor = connection.vendor
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT sqlite_version()")
        server_version = cursor.fetchone()[0]
    connection.close()
    print(f"database: {vendor} {server_version}")

    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="cocreate-gbfs-bench-") as tmp:
            args.feeds = tmp
            sizes = make_feeds(Path(tmp), args.vehicles, args.seed)
            server, args.url = serve(Path(tmp))
            results = {mode: measure(mode, label, args) for mode, label in MEASUREMENTS}
    except Stop:
        print("stopped")
        return 1
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()
    print()
    print(results_table(results))
    print()
    print("\n".join(targets_lines(results)))
    write_results(args, vendor, server_version, sizes, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
