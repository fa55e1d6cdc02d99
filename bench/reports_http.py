"""HTTP benchmark of the report feeds under gunicorn, against a minimal Django view.

    .venv/bin/python bench/seed_reports.py      # once: 200,000 reports on PostgreSQL
    .venv/bin/python bench/reports_http.py [--duration 20] [--connections 16]

Starts gunicorn on 127.0.0.1 with ``bench.settings`` (production settings on the benchmark
database), then measures, one after the other in the same run and with the same load:

- ``ceiling``: ``/bench/ceiling``, a view returning ``{"ok": true}`` through the whole
  middleware stack (the fastest any Django view can be here);
- ``tile``: three tiles of the report map (``/api/v1/reports/tiles/{z}/{x}/{y}.json``) over the
  centre of the GeoJSON box, in one of the busy districts the seed makes: at city zoom (z11, most
  of the city in one tile), at a middle zoom (z14) and at street zoom (z16, reports one by one);
- ``geojson``: ``/api/v1/reports.geojson?bbox=...`` for a district-sized box;
- ``open311``: ``/open311/v2/requests.json`` with its defaults (last 90 days, a page of 200);
- ``open311 page_size=1000``: the same, the largest page a client may ask for.

Each target gets a warm-up, then a fixed-duration run of wrk (installed with apt-get when
missing; a Python load generator otherwise) at fixed concurrency. The table gives requests
per second, p50/p95/p99 latency, the response's size and item count, the SQL queries and
their time for one request (run in process), and each target's throughput as a share of
the ceiling's. Under load a tile is served from the cache, as it is between two writes; a
second table gives each tile's size compressed and what making it costs when the cache has
none (after a write: the map version changed). It is printed and written to
``bench/results/reports-http.md``.
gunicorn is stopped at the end, also on error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

DEFAULT_BBOX = "107.60,-6.93,107.62,-6.91"  # about 2.2 km x 2.2 km in central Bandung
# The tiles measured: city, middle and street zoom, over the centre of the box.
TILE_ZOOMS = (("city", 11), ("middle", 14), ("street", 16))
COLD_RUNS = 5

from bench.harness import (  # noqa: E402
    HOST,
    WRK_LUA,
    CpuMeter,
    Stop,
    Target,
    code_version,
    cpu_and_targets,
    cpu_model,
    cpu_table,
    ensure_wrk,
    fmt,
    measure,
    on_sigterm,
    port_free,
    profile_in_process,
    read_tail,
    start_gunicorn,
    stop_gunicorn,
    table,
    wait_ready,
)


def count_items(body: bytes, content_type: str) -> int | None:
    if "json" not in content_type:
        return None
    document = json.loads(body)
    if isinstance(document, list):
        return len(document)
    if isinstance(document, dict):
        for key in ("features", "results", "service_requests", "c", "p"):
            if isinstance(document.get(key), list):
                return len(document[key])
    return None


def fetch(target: Target, port: int) -> None:
    """Status, size and item count of one response from gunicorn."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{target.path}", timeout=60) as response:
            body = response.read()
            target.status = response.status
            target.bytes = len(body)
            target.extra["gzip"] = len(gzip.compress(body, 6))  # as a proxy compresses it (level 6)
            if "/tiles/" in target.path:
                target.extra["tile"] = json.loads(body)
            target.items = count_items(body, response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        target.status = error.code


def database_facts(bbox: tuple[float, ...]) -> dict:
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*), count(*) FILTER (WHERE moderation_state = 'published'),"
            " count(*) FILTER (WHERE moderation_state = 'published' AND lon BETWEEN %s AND %s AND lat BETWEEN %s AND %s),"
            " count(*) FILTER (WHERE moderation_state = 'published' AND created_at >= now() - interval '90 days')"
            " FROM services_report",
            [bbox[0], bbox[2], bbox[1], bbox[3]],
        )
        total, published, in_box, recent = cursor.fetchone()
    connection.close()
    return {"postgres": version, "total": total, "published": published, "in_box": in_box, "recent": recent}


def tile_targets(bbox: tuple[float, ...]) -> list[Target]:
    """The map's tiles at city, middle and street zoom over the centre of the box."""
    from services.tiles import Tile

    lon, lat = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    targets = []
    for name, zoom in TILE_ZOOMS:
        tile = Tile.containing(lat, lon, zoom)
        targets.append(Target(f"tile {name} z{zoom}", f"/api/v1/reports/tiles/{tile.z}/{tile.x}/{tile.y}.json"))
    return targets


def profile_cold(targets: list[Target]) -> None:
    """What making each tile costs when the cache has none: the view after a new map version, in process."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from services import map_version

    client = Client(HTTP_HOST=HOST)
    for target in targets:
        if "/tiles/" not in target.path:
            continue
        runs = []
        for _ in range(COLD_RUNS + 1):
            map_version.bump()
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(target.path)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                break
            runs.append((elapsed, len(captured), sum(float(q["time"]) for q in captured.captured_queries) * 1000))
        runs = runs[1:]  # the first warms connections
        if runs:
            target.extra["cold"] = {
                "min": min(run[0] for run in runs),
                "median": statistics.median(run[0] for run in runs),
                "db_min": min(run[2] for run in runs),
                "queries": runs[0][1],
            }
        # The cached copy for the run under load.
        client.get(target.path)
    connection.close()


def tile_table(targets: list[Target]) -> str:
    lines = [
        "| target | kind | reports in tile | items | truncated | bytes | gzip bytes | cold view ms (min / median)"
        " | cold DB ms (min) | cold queries |",
        "| --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in targets:
        tile, cold = t.extra.get("tile"), t.extra.get("cold")
        if tile is None:
            continue
        kind = "points" if "p" in tile else "clusters"
        cold_ms = f"{cold['min']:,.1f} / {cold['median']:,.1f}" if cold else "-"
        lines.append(
            f"| {t.name} | {kind} | {tile['n']:,} | {fmt(t.items)} | {'yes' if tile.get('truncated') else 'no'}"
            f" | {fmt(t.bytes)} | {fmt(t.extra.get('gzip'))} | {cold_ms}"
            f" | {fmt(cold['db_min']) if cold else '-'} | {cold['queries'] if cold else '-'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per target (20)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per target (5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--gunicorn-threads", type=int, default=2, help="threads per gunicorn worker (2)")
    parser.add_argument("--port", type=int, default=8900, help="port on 127.0.0.1 (8900)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds before a request counts as timed out")
    parser.add_argument(
        "--bbox", default=DEFAULT_BBOX, help=f"GeoJSON box min_lon,min_lat,max_lon,max_lat ({DEFAULT_BBOX})"
    )
    parser.add_argument(
        "--quiet-wait",
        type=int,
        default=900,
        help="seconds, in all, to spend waiting for other work on the machine to stop and measuring again (900)",
    )
    parser.add_argument(
        "--quiet-threshold", type=float, default=25.0, help="machine busy (percent of a CPU) that counts as quiet"
    )
    parser.add_argument(
        "--retries", type=int, default=2, help="extra runs of a target when other work disturbed it (2)"
    )
    parser.add_argument("--loader", choices=["auto", "wrk", "python"], default="auto", help="load generator")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "reports-http.md"), help="results file")
    args = parser.parse_args(argv)
    bbox = tuple(float(part) for part in args.bbox.split(","))
    if len(bbox) != 4 or not (1 <= args.duration <= 600 and 0 <= args.warmup <= 120 and 1 <= args.connections <= 1000):
        parser.error("check --bbox (four numbers), --duration (1-600), --warmup (0-120) and --connections")
    signal.signal(signal.SIGTERM, on_sigterm)
    args.quiet_deadline = time.monotonic() + args.quiet_wait

    targets = [
        Target("ceiling", "/bench/ceiling"),
        *tile_targets(bbox),
        Target("geojson (district bbox)", f"/api/v1/reports.geojson?bbox={args.bbox}"),
        Target("open311 requests.json (defaults: 200)", "/open311/v2/requests.json"),
        Target("open311 requests.json?page_size=1000", "/open311/v2/requests.json?page_size=1000"),
    ]
    wrk = ensure_wrk() if args.loader in ("auto", "wrk") else None
    if args.loader == "wrk" and wrk is None:
        print("wrk is not available", file=sys.stderr)
        return 2
    loader = "wrk" if wrk else "python"
    if not port_free(args.port):
        print(f"port {args.port} is in use: stop what listens there or pass --port", file=sys.stderr)
        return 2

    facts = database_facts(bbox)
    facts["code"] = code_version()
    print(
        f"reports: {facts['total']:,} ({facts['published']:,} published, {facts['in_box']:,} published in the box,"
        f" {facts['recent']:,} published in the last 90 days)"
    )
    if facts["total"] == 0:
        print("no reports: run bench/seed_reports.py first", file=sys.stderr)
        return 2
    profile_cold(targets)
    profile_in_process(targets)

    process = None
    with tempfile.TemporaryDirectory(prefix="cocreate-bench-") as tmp:
        workdir = Path(tmp)
        lua = workdir / "percentiles.lua"
        lua.write_text(WRK_LUA)
        try:
            process, gunicorn_command, error_log = start_gunicorn(args, workdir)
            wait_ready(process, args.port, error_log)
            print(f"gunicorn ready on {HOST}:{args.port} ({args.workers} workers x {args.gunicorn_threads} threads)")
            load_command = ""
            for target in targets:
                fetch(target, args.port)
                if target.status != 200:
                    target.note = f"HTTP {target.status}"
                    print(f"{target.name}: {target.note}, skipped")
                    continue
                url = f"http://{HOST}:{args.port}{target.path}"
                load_command = measure(target, url, args, wrk, lua, CpuMeter(process.pid))
            server_errors = read_tail(error_log, 10)
        finally:
            stop_gunicorn(process)
        # The temporary folder is gone once the run ends: name it by its variable in the results.
        gunicorn_command = [part.replace(tmp, "$TMPDIR") for part in gunicorn_command]
        load_command = load_command.replace(tmp, "$TMPDIR")

    result = table(targets)
    tiles = tile_table(targets)
    print()
    print(result)
    print()
    print(tiles)
    print()
    print(cpu_table(targets))
    write_results(args, targets, facts, result, tiles, loader, load_command, gunicorn_command, server_errors)
    return 0 if targets[0].rps else 1


def write_results(args, targets, facts, result, tiles, loader, load_command, gunicorn_command, server_errors) -> None:
    import django
    import gunicorn

    wrk_version = ""
    if loader == "wrk":
        done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        wrk_version = (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0]
    root_prefix = str(ROOT) + "/"
    command = shlex.join([sys.executable.replace(root_prefix, ""), *sys.argv]).replace(root_prefix, "")
    lines = [
        "# Report feeds over HTTP: map tiles, GeoJSON and Open311 against the ceiling",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `{command}`"
        " (after `.venv/bin/python bench/seed_reports.py`).",
        "",
        "## Setup",
        "",
        f"- Code: commit {facts['code']} (when gunicorn started).",
        f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()};"
        " server, database and load generator share it, over loopback.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, gunicorn {gunicorn.__version__},"
        f" PostgreSQL {facts['postgres']}, Redis cache (`bench.settings`: DEBUG off, production middleware).",
        f"- Data: {facts['total']:,} reports, {facts['published']:,} published;"
        f" {facts['in_box']:,} published in the box `{args.bbox}`,"
        f" {facts['recent']:,} published in the last 90 days.",
        f"- gunicorn: `{shlex.join(gunicorn_command).replace(root_prefix, '')}`"
        " (the project's gunicorn.conf.py; access log to a temporary file).",
        f"- Load: {wrk_version or 'Python threads'}, {args.connections} connections, {args.threads} threads,"
        f" {args.warmup} s warm-up then {args.duration} s measured per target, one target at a time:"
        f" `{load_command}`.",
        "- queries, DB ms, view ms: one request through Django's test client in the benchmark process"
        " (fastest of 5 after one warm-up), not under load.",
        "",
        "## Results",
        "",
        result,
        "",
        "The tiles under load are served from the shared cache, as between two writes (the map version,"
        " `services/map_version.py`). Each tile's content, its size compressed with gzip (level 6, as a proxy"
        " would) and what making it costs when the cache has none (the view in process after a new map"
        f" version, {COLD_RUNS} runs):",
        "",
        tiles,
        "",
        *cpu_and_targets(args, targets),
        "",
        "\"req/s vs ceiling\" is the target's requests per second divided by the ceiling's (a view"
        ' returning `{"ok": true}` through the same middleware). "gunicorn CPU ms/req" is the CPU time'
        ' gunicorn spent per request during the run, and "CPU/req vs ceiling" how many times the'
        " ceiling's that is: unlike req/s, it hardly moves when other work shares the machine.",
    ]
    if server_errors.strip():
        lines += ["", "gunicorn's error log ended with:", "", "```", server_errors, "```"]
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {output}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, Stop):
        sys.exit(130)
