"""HTTP benchmark of the proposal pages under gunicorn, against a minimal Django view.

    .venv/bin/python bench/seed_proposals.py     # once: 20,000 proposals, 1,000,000 supports
    .venv/bin/python bench/proposals_http.py [--duration 20] [--connections 16]

Starts gunicorn on 127.0.0.1 with ``bench.settings`` (production settings on the benchmark
database, the page cache on Redis) and measures, one after the other in the same run and with
the same load, the pages as an anonymous visitor gets them (HTML, no cookie) and as a
signed-in citizen gets them (the session cookie of a seeded citizen, made by this script, and a
CSRF cookie, as a browser sends them back):

- ``ceiling``: ``/bench/ceiling``, the fastest any Django view can be here (and signed in:
  what the session and the account cost);
- ``list``: ``/proposals/?sort=supported``, the first page (20) of the most supported;
- ``detail``: ``/proposals/<id>/`` of the proposal with 200 comments (140 threads, 60 replies).

The citizen is one who made no proposal and did not comment on the measured one, as most
readers: an author's list, and their own comments, are rendered for them alone.

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
    fmt,
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
SIGNED_IN = b'action="/accounts/logout/"'  # the menu's log-out form: the page was rendered signed in


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


def signed_in_headers(page_id: int) -> tuple[dict, str]:
    """The Cookie header of a signed-in seeded citizen who made no proposal and did not comment on
    the measured proposal (a session saved in the benchmark database), with a CSRF cookie as a
    browser sends back; and who they are, for the report."""
    from django.conf import settings
    from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH
    from django.test import Client
    from django.utils.crypto import get_random_string

    from bench.seed_proposals import CITIZEN_PREFIX
    from citizens.models import User

    reader = (
        User.objects.filter(email__startswith=CITIZEN_PREFIX, proposals__isnull=True)
        .exclude(proposal_comments__proposal_id=page_id)
        .order_by("pk")
        .first()
    )
    if reader is None:
        raise RuntimeError("no seeded citizen without a proposal: run bench/seed_proposals.py with more --users")
    client = Client(HTTP_HOST=HOST)
    client.force_login(reader)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    return {"Cookie": cookie}, f"account #{reader.pk} ({reader.supports.count()} supports, no proposal)"


def fetch_page(target: Target, port: int, key: str) -> None:
    """Status, size, item count (proposals listed, comments shown) and caching headers of one response."""
    request = urllib.request.Request(f"http://{HOST}:{port}{target.path}", headers=target.headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            target.status = response.status
            target.bytes = len(body)
            kind = key.split()[0]
            target.items = len(ITEM_PATTERNS[kind].findall(body)) if kind in ITEM_PATTERNS else None
            target.extra["content_type"] = response.headers.get("Content-Type", "")
            target.extra["cache_control"] = response.headers.get("Cache-Control", "")
            target.extra["cookies"] = sorted(
                {value.split("=", 1)[0].strip() for value in response.headers.get_all("Set-Cookie") or []}
            )
            if key.endswith("signed in") and kind != "ceiling" and SIGNED_IN not in body:
                target.status = 0  # the session did not sign in: measuring would mislead
    except urllib.error.HTTPError as error:
        target.status = error.code


def profile_uncached(targets: list[Target]) -> None:
    """Queries, database and view time of one request with the page cache off (``PAGE_CACHE_SECONDS=0``):
    what a page costs when it is not in the cache, in ``extra["uncached"]``."""
    import django

    django.setup()
    from django.test.utils import override_settings

    copies = [Target(t.name, t.path, headers=t.headers) for t in targets]
    with override_settings(PAGE_CACHE_SECONDS=0):
        profile_in_process(copies)
    for target, copy in zip(targets, copies, strict=True):
        target.extra["uncached"] = (copy.queries, copy.db_ms, copy.app_ms)


def explain_slowest(targets: list[Target], keys: list[str]) -> dict[str, str]:
    """For each page, its slowest query and PostgreSQL's plan of it (EXPLAIN ANALYZE, in process),
    with the page cache off, so that the page's own queries run."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST)
    plans = {}
    for target, key in zip(targets, keys, strict=True):
        if key.startswith("ceiling"):
            continue
        with override_settings(PAGE_CACHE_SECONDS=0):
            client.get(target.path, headers=target.headers)
            with CaptureQueriesContext(connection) as captured:
                client.get(target.path, headers=target.headers)
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

    signed_in, facts["reader"] = signed_in_headers(facts["page_id"])
    keys = ["ceiling", "list", "detail", "ceiling signed in", "list signed in", "detail signed in"]
    targets = [
        Target("ceiling", "/bench/ceiling"),
        Target("list: most supported, page 1", "/proposals/?sort=supported"),
        Target(f"detail: {facts['page_comments']} comments", f"/proposals/{facts['page_id']}/"),
        Target("ceiling, signed in", "/bench/ceiling", headers=signed_in),
        Target("list, signed in", "/proposals/?sort=supported", headers=signed_in),
        Target(
            f"detail: {facts['page_comments']} comments, signed in",
            f"/proposals/{facts['page_id']}/",
            headers=signed_in,
        ),
    ]
    for target, key in zip(targets, keys, strict=True):
        target.extra["key"] = key
    profile_uncached(targets)
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
                    target.note = f"HTTP {target.status}" if target.status else "not signed in"
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


def goals(targets: list[Target]) -> list[str]:
    """The issue's goals, each with the figures measured: met or not."""
    ceiling, by_name = targets[0], {t.extra["key"]: t for t in targets}
    lines = ["Goals:", ""]
    for key, name in (("list", "anonymous list"), ("detail", "anonymous proposal page")):
        t = by_name.get(key)
        if t is None or not t.rps or not ceiling.rps:
            lines.append(f"- {name}: not measured")
            continue
        met = t.rps >= ceiling.rps / 3 and t.p95 <= 50
        lines.append(
            f"- {name}: at least 1/3 of the ceiling's req/s and p95 within 50 ms:"
            f" {t.rps / ceiling.rps:.2f} of the ceiling, p95 {fmt(t.p95)} ms, {'met' if met else 'NOT met'}."
        )
    for key, name in (("list signed in", "signed-in list"), ("detail signed in", "signed-in proposal page")):
        t = by_name.get(key)
        if t is None or not t.rps:
            lines.append(f"- {name}: not measured")
            continue
        lines.append(f"- {name}: p95 within 150 ms: p95 {fmt(t.p95)} ms, {'met' if t.p95 <= 150 else 'NOT met'}.")
    return lines


def write_results(args, targets, facts, result, load_command, gunicorn_command, server_errors, plans) -> None:
    import django
    import gunicorn

    done = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    wrk_version = (done.stdout or done.stderr).splitlines()[0].split(" Copyright")[0]
    root_prefix = str(ROOT) + "/"
    command = shlex.join([sys.executable.replace(root_prefix, ""), *sys.argv]).replace(root_prefix, "")
    from django.conf import settings

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
        "- The anonymous targets send no cookie; the signed-in ones send the session cookie of a seeded"
        f" citizen, {facts['reader']}, who did not comment on the measured proposal, and a CSRF cookie, as a"
        " browser sends them back.",
        f"- The page cache is on (`PAGE_CACHE_SECONDS={settings.PAGE_CACHE_SECONDS}`, in Redis): after the"
        " warm-up, the anonymous pages come from it whole, and the signed-in pages take the list's content"
        " and the proposal page's content from it (`cocreate/page_cache.py`, `proposals/detail_page.py`)."
        " Nothing is written during the run, so nothing goes stale.",
        "- items: proposals listed (list) or comments shown (detail) in the response.",
        "- queries, DB ms, view ms: one request through Django's test client in the benchmark process"
        " (the fastest of 5 after one warm-up), not under load.",
        "",
        "### Results",
        "",
        result,
        "",
        *goals(targets),
        "",
        "Caching headers and cookies of each answer, and what one request costs with the page cache off"
        " (`PAGE_CACHE_SECONDS=0`, in process):",
        "",
        "| target | Cache-Control | cookies set | queries | DB ms | view ms |",
        "| --- | --- | --- | ---: | ---: | ---: |",
        *(
            f"| {t.name} | `{t.extra.get('cache_control') or '-'}` | {', '.join(t.extra.get('cookies', [])) or 'none'}"
            f" | {' | '.join(fmt(value) for value in t.extra.get('uncached', (None, None, None)))} |"
            for t in targets
        ),
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
