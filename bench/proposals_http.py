"""HTTP benchmark of the proposal pages under gunicorn, against a minimal Django view.

    .venv/bin/python bench/seed_proposals.py     # once: 20,000 proposals, 1,000,000 supports
    .venv/bin/python bench/proposals_http.py [--duration 20] [--connections 16]

Starts gunicorn on 127.0.0.1 with ``bench.settings`` (production settings on the benchmark
database) and measures, one after the other in the same run and with the same load, the
pages as an anonymous visitor gets them (HTML, no session):

- ``ceiling``: ``/bench/ceiling``, the fastest any Django view can be here;
- ``list``: ``/proposals/?sort=supported``, the first page (20) of the most supported;
- ``detail``: ``/proposals/<id>/`` of the proposal with 200 comments (140 threads, 60 replies).

The load, the retries when other work disturbs a run, the CPU accounting and gunicorn's
handling are those of ``bench/harness.py``, imported from it. The table is printed
and written to the "Pages over HTTP" section of ``bench/results/proposals.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import signal
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

from bench.harness import (  # noqa: E402
    HOST,
    WRK_LUA,
    CpuMeter,
    Stop,
    Target,
    cpu_and_targets,
    cpu_model,
    cpu_table,
    ensure_wrk,
    measure,
    on_sigterm,
    port_free,
    profile_in_process,
    read_tail,
    start_gunicorn,
    stop_gunicorn,
    table,
    update_section,
    wait_ready,
)

RESULTS = ROOT / "bench" / "results" / "proposals.md"
TITLE = "# Proposals: pages over HTTP, and supports cast concurrently"
ITEM_PATTERNS = {
    "list": re.compile(rb'<li class="proposal-item">'),
    "detail": re.compile(rb'<li class="comment" id="comment-\d+"'),
}


def database_facts() -> dict:
    """Counts of the proposal tables, the PostgreSQL version and the proposal with 200 comments."""
    import django
    import psycopg

    django.setup()
    from bench.seed_proposals import facts, page_proposal
    from bench.seed_reports import conninfo, database_url

    with psycopg.connect(conninfo(database_url()), autocommit=True) as conn:
        found = facts(conn)
        found["postgres"] = conn.execute("SHOW server_version").fetchone()[0]
        page = page_proposal(conn)
        found["page_id"], found["page_comments"] = page if page else (None, 0)
        found["visible"] = conn.execute(
            "SELECT count(*) FROM proposals_proposal WHERE moderation_state = 'published'"
        ).fetchone()[0]
    return found


def fetch_page(target: Target, port: int, key: str) -> None:
    """Status, size and item count (proposals listed, comments shown) of one response."""
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{target.path}", timeout=60) as response:
            body = response.read()
            target.status = response.status
            target.bytes = len(body)
            target.items = len(ITEM_PATTERNS[key].findall(body)) if key in ITEM_PATTERNS else None
            target.extra["content_type"] = response.headers.get("Content-Type", "")
            target.extra["cookies"] = sorted(
                {value.split("=", 1)[0].strip() for value in response.headers.get_all("Set-Cookie") or []}
            )
    except urllib.error.HTTPError as error:
        target.status = error.code


def explain_slowest(targets: list[Target], keys: list[str]) -> dict[str, str]:
    """For each page, its slowest query and PostgreSQL's plan of it (EXPLAIN ANALYZE, in process)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    plans = {}
    for target, key in zip(targets, keys, strict=True):
        if key == "ceiling":
            continue
        client.get(target.path)
        with CaptureQueriesContext(connection) as captured:
            client.get(target.path)
        if not captured.captured_queries:
            continue
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {slowest['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        queries = "\n".join(f"{float(q['time']) * 1000:7.2f} ms  {q['sql'][:160]}" for q in captured.captured_queries)
        plans[key] = f"Queries of one request:\n\n{queries}\n\nPlan of the slowest:\n\n{plan}"
    connection.close()
    return plans


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=20, help="seconds measured per target (20)")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per target (5)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (16)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4)")
    parser.add_argument("--gunicorn-threads", type=int, default=2, help="threads per gunicorn worker (2)")
    parser.add_argument("--port", type=int, default=8901, help="port on 127.0.0.1 (8901; the reports bench uses 8900)")
    parser.add_argument("--timeout", type=int, default=30, help="seconds before a request counts as timed out")
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
    parser.add_argument("--output", default=str(RESULTS), help="results file (its pages section is replaced)")
    args = parser.parse_args(argv)
    if not (1 <= args.duration <= 600 and 0 <= args.warmup <= 120 and 1 <= args.connections <= 1000):
        parser.error("check --duration (1-600), --warmup (0-120) and --connections")
    signal.signal(signal.SIGTERM, on_sigterm)
    args.quiet_deadline = time.monotonic() + args.quiet_wait

    wrk = ensure_wrk()
    if wrk is None:
        print("wrk is not available (apt-get install -y wrk)", file=sys.stderr)
        return 2
    if not port_free(args.port):
        print(f"port {args.port} is in use: stop what listens there or pass --port", file=sys.stderr)
        return 2
    facts = database_facts()
    if not facts["proposals"] or facts["page_id"] is None:
        print("no proposals: run bench/seed_proposals.py first", file=sys.stderr)
        return 2
    print(
        f"proposals: {facts['proposals']:,} ({facts['visible']:,} published), supports: {facts['supports']:,},"
        f" comments: {facts['comments']:,}; proposal page {facts['page_id']} with {facts['page_comments']} comments"
    )

    keys = ["ceiling", "list", "detail"]
    targets = [
        Target("ceiling", "/bench/ceiling"),
        Target("list: most supported, page 1", "/proposals/?sort=supported"),
        Target(f"detail: {facts['page_comments']} comments", f"/proposals/{facts['page_id']}/"),
    ]
    profile_in_process(targets)
    plans = explain_slowest(targets, keys)

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
            for target, key in zip(targets, keys, strict=True):
                fetch_page(target, args.port, key)
                if target.status != 200:
                    target.note = f"HTTP {target.status}"
                    print(f"{target.name}: {target.note}, skipped")
                    continue
                url = f"http://{HOST}:{args.port}{target.path}"
                load_command = measure(target, url, args, wrk, lua, CpuMeter(process.pid))
            server_errors = read_tail(error_log, 10)
        finally:
            stop_gunicorn(process)

    result = table(targets)
    print()
    print(result)
    print()
    print(cpu_table(targets))
    write_results(args, targets, facts, result, load_command, gunicorn_command, server_errors, plans)
    return 0 if targets[0].rps else 1


def write_results(args, targets, facts, result, load_command, gunicorn_command, server_errors, plans) -> None:
    import django
    import gunicorn

    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    wrk_version = (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0]
    root_prefix = str(ROOT) + "/"
    command = shlex.join([sys.executable.replace(root_prefix, ""), *sys.argv]).replace(root_prefix, "")
    cookies = sorted({name for t in targets for name in t.extra.get("cookies", [])})
    lines = [
        "## Pages over HTTP",
        "",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `{command}`"
        " (after `.venv/bin/python bench/seed_proposals.py`).",
        "",
        "### Setup",
        "",
        f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()};"
        " server, database and load generator share it, over loopback.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, gunicorn {gunicorn.__version__},"
        f" PostgreSQL {facts['postgres']}, Redis cache (`bench.settings`: DEBUG off, production middleware).",
        f"- Data: {facts['proposals']:,} proposals ({facts['visible']:,} published), {facts['supports']:,} supports"
        f" (most {facts['max']:,} on one proposal, median {facts['median']:,}), {facts['follows']:,} follows,"
        f" {facts['comments']:,} comments, {facts['citizens']:,} verified citizens.",
        f"- gunicorn: `{shlex.join(gunicorn_command).replace(root_prefix, '')}`"
        " (the project's gunicorn.conf.py; access log to a temporary file).",
        f"- Load: {wrk_version}, {args.connections} connections, {args.threads} threads,"
        f" {args.warmup} s warm-up then {args.duration} s measured per target, one target at a time:"
        f" `{load_command}`.",
        "- Pages are requested as an anonymous visitor (HTML, no cookie sent, so no session); nothing is"
        " cached between requests (no page cache)"
        + (f"; the responses set the cookie {', '.join(f'`{name}`' for name in cookies)}" if cookies else "")
        + ".",
        "- items: proposals listed (list) or comments shown (detail) in the response.",
        "- queries, DB ms, view ms: one request through Django's test client in the benchmark process"
        " (median of 5 after one warm-up), not under load.",
        "",
        "### Results",
        "",
        result,
        "",
        *cpu_and_targets(args, targets),
        "",
        "gunicorn CPU ms/req is gunicorn's CPU time over the run divided by the requests served;"
        ' "req/s vs ceiling" is the target\'s requests per second divided by the ceiling\'s, "CPU/req vs'
        ' ceiling" its CPU per request as a multiple of the ceiling\'s (a view returning `{"ok": true}`'
        " through the same middleware). The table is `bench/reports_http.py`'s.",
    ]
    for key, plan in plans.items():
        lines += ["", f"<details><summary>{key}: queries and plan of the slowest</summary>", "", "```", plan, "```"]
        lines += ["", "</details>"]
    if server_errors.strip():
        lines += ["", "gunicorn's error log ended with:", "", "```", server_errors, "```"]
    update_section(Path(args.output), "pages", "\n".join(lines), title=TITLE)
    print(f"\nwritten to {args.output}")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, Stop):
        sys.exit(130)
