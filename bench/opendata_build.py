"""Building the reports dataset (CSV, JSON, GeoJSON) against PostgreSQL's own COPY.

    .venv/bin/python bench/opendata_build.py [--count 1000000] [--profile-rows 100000]

Uses its own database, ``cocreate_bench_opendata`` (``--database-url``, or
``BENCH_OPENDATA_DATABASE_URL``), so that the million reports do not change the data of
``bench/reports_http.py``. Makes sure it holds ``--count`` reports (``bench/seed_reports.py
--count``), about one status change per report (the history their status implies) and
about one photo for two reports, then measures, each in a fresh process so that its peak
RSS is its own, one after the other in the same run and for the same publication cutoff:

- ``COPY``, the floor: ``COPY (SELECT ...) TO STDOUT WITH (FORMAT csv, HEADER)`` streamed to
  a file by psycopg. The SELECT is the very query ``REPORTS.rows`` runs
  (captured from the ORM: the same columns and joins, the photo-count subquery, the
  duplicate's visibility), wrapped in what SQL can do of the row's Python: the URL, the
  Open311 status, the UTC timestamps, the response hours and the coarse rounding. Not
  the redaction of the description: PostgreSQL emits it as stored;
- ``CSV``, ``JSON``, ``GeoJSON``: ``opendata.writers`` over ``REPORTS.rows(cutoff)``, one
  format per process, to a local file;
- ``all three``: ``opendata.builder.build_dataset(snapshot, REPORTS, workdir)`` after
  ``snapshot_start()``: the three formats in one pass over the rows, with its progress
  saves, then stored (``MEDIA_ROOT`` in a temporary folder; the files and the snapshot
  are deleted afterwards).

When CSV takes more than 3x COPY (``--profile`` to always do it), a last process splits
the cost: fetching every row without Python work (autocommit, as the builder does, and
in a transaction), and on ``--profile-rows`` rows the pieces of a row (redaction,
timestamps, the CSV writer) and cProfile's top functions.

Wall time, rows, bytes, peak RSS and CPU (of the builder, of its PostgreSQL backend and of
everything else on the machine) go to ``bench/results/opendata.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

from bench.harness import Stop, on_sigterm  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cocreate_bench_opendata"
RESULTS = ROOT / "bench" / "results" / "opendata.md"
TITLE = "# Open data: building the reports dataset against PostgreSQL's COPY"
CHILD_TIMEOUT = 3600
MB = 1024 * 1024
# History implied by a report's status: (status, from, to, role, share of the report's life).
HISTORY = [
    ("acknowledged", "open", "acknowledged", "city", 1.0),
    ("in_progress", "open", "acknowledged", "city", 0.4),
    ("in_progress", "acknowledged", "in_progress", "operator", 1.0),
    ("resolved", "open", "resolved", "operator", 1.0),
    ("closed", "open", "resolved", "operator", 0.6),
    ("closed", "resolved", "closed", "", 1.0),
    ("duplicate", "open", "duplicate", "city", 1.0),
    ("rejected", "open", "rejected", "city", 1.0),
]
MEASUREMENTS = [
    ("copy", "COPY (SELECT ...) TO STDOUT, the floor"),
    ("csv", "CSV only (CsvWriter)"),
    ("json", "JSON only (JsonWriter)"),
    ("geojson", "GeoJSON only (GeoJsonWriter)"),
    ("all", "all three in one pass (build_dataset)"),
]


# --- helpers shared by parent and children -----------------------------------------------


def memory() -> dict[str, float]:
    """This process's resident memory now and at its peak (VmHWM), in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _sep, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    rest = text[text.rindex(")") + 2 :].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


def report(result: dict) -> None:
    print("RESULT " + json.dumps(result), flush=True)


# --- children: one measurement each ------------------------------------------------------


def child_copy(args) -> None:
    """The floor: PostgreSQL writes the CSV itself; psycopg only streams the bytes to a file."""
    import psycopg

    from bench.seed_reports import conninfo

    statement = Path(args.sql_file).read_text()
    start_memory = memory()
    with psycopg.connect(conninfo(args.database_url), autocommit=True) as conn:
        backend = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        backend_cpu, cpu = process_cpu(backend), own_cpu()
        started = time.monotonic()
        size = 0
        lines = 0
        target = Path(args.workdir) / "reports.copy.csv"
        with conn.cursor() as cur, open(target, "wb") as out, cur.copy(statement) as copy:
            for data in copy:
                out.write(data)
                size += len(data)
                lines += bytes(data).count(b"\n")
        elapsed = time.monotonic() - started
        backend_cpu = process_cpu(backend) - backend_cpu
    report(
        {
            "seconds": elapsed,
            "rows": lines - 1,  # the header
            "bytes": size,
            "files": {"csv": size},
            "cpu": own_cpu() - cpu,
            "backend_cpu": backend_cpu,
            "rss_start": start_memory["VmRSS"],
            "rss_peak": memory()["VmHWM"],
        }
    )


def django_child_setup(args):
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return datetime.fromisoformat(args.cutoff), backend


def child_format(args) -> None:
    """One writer of ``opendata.writers`` over every row of the reports dataset."""
    cutoff, backend = django_child_setup(args)
    from opendata.datasets import REPORTS
    from opendata.writers import WRITERS

    start_memory = memory()
    backend_cpu, cpu = process_cpu(backend), own_cpu()
    started = time.monotonic()
    with open(Path(args.workdir) / f"reports.{args.child}", "wb") as handle:
        writer = WRITERS[args.child](handle, REPORTS.column_names, REPORTS.point)
        for row in REPORTS.rows(cutoff):
            writer.write(row)
        written = writer.close()
    elapsed = time.monotonic() - started
    report(
        {
            "seconds": elapsed,
            "rows": written.rows,
            "bytes": written.bytes,
            "files": {args.child: written.bytes},
            "cpu": own_cpu() - cpu,
            "backend_cpu": process_cpu(backend) - backend_cpu,
            "rss_start": start_memory["VmRSS"],
            "rss_peak": memory()["VmHWM"],
        }
    )


def child_all(args) -> None:
    """What a snapshot build does for the reports: snapshot_start(), then build_dataset()."""
    cutoff, backend = django_child_setup(args)
    from django.core.files.storage import default_storage

    from opendata import builder
    from opendata.datasets import REPORTS
    from opendata.models import Snapshot

    start_memory = memory()
    backend_cpu, cpu = process_cpu(backend), own_cpu()
    storing = [0.0]
    save = default_storage.save

    def timed_save(name, content, *rest, **options):
        began = time.monotonic()
        try:
            return save(name, content, *rest, **options)
        finally:
            storing[0] += time.monotonic() - began

    default_storage.save = timed_save  # set on the wrapped storage: the builder's calls are timed
    started = time.monotonic()
    snapshot = builder.snapshot_start(requested_by_role="bench", cutoff=cutoff)
    counted = time.monotonic() - started
    workdir = Path(args.workdir) / "build"
    workdir.mkdir()
    try:
        built = time.monotonic()
        files = builder.build_dataset(snapshot, REPORTS, workdir)
        elapsed = time.monotonic() - built
    finally:
        for name in default_storage.listdir(snapshot.storage_prefix)[1]:
            default_storage.delete(f"{snapshot.storage_prefix}{name}")
        Snapshot.objects.filter(pk=snapshot.pk).delete()
    report(
        {
            "seconds": elapsed,
            "snapshot_start": counted,
            "storing": storing[0],
            "rows": files[0].rows,
            "bytes": sum(f.bytes for f in files),
            "files": {f.format: f.bytes for f in files},
            "cpu": own_cpu() - cpu,
            "backend_cpu": process_cpu(backend) - backend_cpu,
            "rss_start": start_memory["VmRSS"],
            "rss_peak": memory()["VmHWM"],
        }
    )


def child_profile(args) -> None:
    """Where the CSV build's time goes: fetching, building each row, writing it."""
    import cProfile
    import io
    import pstats
    from itertools import islice

    cutoff, _backend = django_child_setup(args)
    from django.db import connection, transaction

    from cocreate.redaction import redact
    from opendata.datasets import REPORTS, moment
    from opendata.writers import CsvWriter

    select = Path(args.sql_file).with_suffix(".select.sql").read_text()
    found: dict = {}

    def fetch_all(label: str) -> None:
        """Every row of the dataset's query through Django's chunked cursor, no Python work."""
        rows = 0
        began = time.monotonic()
        first = None
        with connection.chunked_cursor() as cursor:
            cursor.execute(select)
            while True:
                chunk = cursor.fetchmany(5000)
                if first is None:
                    first = time.monotonic() - began
                if not chunk:
                    break
                rows += len(chunk)
        found[label] = {"seconds": time.monotonic() - began, "first_row": first, "rows": rows}

    # Every row, as the builder runs (autocommit, so Django declares a WITH HOLD cursor), and
    # in a transaction (a plain cursor).
    fetch_all("fetch_autocommit")
    with transaction.atomic():
        fetch_all("fetch_transaction")
    # Every row built by the dataset, nothing written.
    began = time.monotonic()
    built = sum(1 for _row in REPORTS.rows(cutoff))
    found["rows_all"] = {"seconds": time.monotonic() - began, "rows": built}

    # The pieces, on a sample read in a transaction (no WITH HOLD materialisation of every row).
    limit = args.profile_rows
    with transaction.atomic():
        with connection.chunked_cursor() as cursor:
            cursor.execute(select + f" LIMIT {limit}")
            raw = cursor.fetchall()
        rows = list(islice(REPORTS.rows(cutoff), limit))
    at = {source: REPORTS.sources.index(source) for source in ("description", "created", "updated", "closed")}
    texts = [row[at["description"]] for row in raw]
    began = time.monotonic()
    for text in texts:
        redact(text)
    found["redact"] = time.monotonic() - began
    stamps = [value for row in raw for value in (row[at["created"]], row[at["updated"]], row[at["closed"]])]
    began = time.monotonic()
    for value in stamps:
        moment(value)
    found["moment"] = time.monotonic() - began
    sink = Path(args.workdir) / "profile.csv"
    began = time.monotonic()
    with open(sink, "wb") as handle:
        writer = CsvWriter(handle, REPORTS.column_names)
        for row in rows:
            writer.write(row)
        writer.close()
    found["csv_writer"] = time.monotonic() - began
    found["limit"] = limit
    del raw, rows

    # cProfile of the CSV build for the sample, in a transaction for the same reason.
    profiler = cProfile.Profile()
    with transaction.atomic(), open(sink, "wb") as handle:
        writer = CsvWriter(handle, REPORTS.column_names)
        profiler.enable()
        for row in islice(REPORTS.rows(cutoff), limit):
            writer.write(row)
        writer.close()
        profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    top = []
    for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in sorted(
        stats.stats.items(), key=lambda item: -item[1][2]
    )[:18]:
        where = filename.replace(str(ROOT) + "/", "")
        where = re.sub(r".*/site-packages/", "", where)
        where = re.sub(r".*/lib/python3\.\d+/", "", where)
        top.append({"function": f"{where}:{line}({function})", "calls": calls, "tottime": tottime, "cumtime": cumtime})
    found["profile_total"] = stats.total_tt
    found["top"] = top
    report(found)


CHILDREN = {"copy": child_copy, "csv": child_format, "json": child_format, "geojson": child_format}
CHILDREN.update({"all": child_all, "profile": child_profile})


# --- parent: data, queries, measurements --------------------------------------------------


def ensure_data(args, env: dict) -> None:
    """Reports by seed_reports.py, then their history and photos when missing."""
    import psycopg

    from bench.seed_reports import conninfo

    command = [sys.executable, str(ROOT / "bench" / "seed_reports.py"), "--count", str(args.count)]
    print("$ " + shlex.join(command).replace(str(ROOT) + "/", ""))
    subprocess.run(command, env=env, cwd=ROOT, check=True, timeout=3600)
    with psycopg.connect(conninfo(args.database_url), autocommit=True) as conn:
        changed = False
        # Reports come in id order (a top-up adds higher ids): those after the last one with
        # a history have none yet. (A NOT EXISTS on the table being filled would rescan it
        # for every report.)
        last = conn.execute("SELECT coalesce(max(report_id), 0) FROM services_reportupdate").fetchone()[0]
        missing = conn.execute(
            "SELECT count(*) FROM services_report WHERE id > %s AND status <> 'open'", [last]
        ).fetchone()[0]
        if missing:
            started = time.monotonic()
            history = " UNION ALL ".join("SELECT " + ", ".join(["%s::text"] * 4) + ", %s::float8" for _ in HISTORY)
            params = [value for step in HISTORY for value in step]
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")  # consistent by construction
                added = conn.execute(
                    "INSERT INTO services_reportupdate (from_status, to_status, note, by_role, created_at, report_id)"
                    " SELECT h.from_status, h.to_status, CASE WHEN h.share = 1 THEN r.status_notes ELSE '' END,"
                    " h.role, r.created_at + (r.updated_at - r.created_at) * h.share, r.id"
                    f" FROM services_report r JOIN ({history}) AS h(status, from_status, to_status, role, share)"
                    " ON h.status = r.status WHERE r.id > %s",
                    [*params, last],
                ).rowcount
            print(f"report updates: {added} added for {missing} reports in {time.monotonic() - started:.1f} s")
            changed = True
        if not conn.execute("SELECT EXISTS (SELECT 1 FROM services_reportphoto)").fetchone()[0]:
            started = time.monotonic()
            # Half a photo per report: none for six in ten, one for three, two for one; a few
            # still processing or hidden, which the dataset does not count.
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                added = conn.execute(
                    "INSERT INTO services_reportphoto (moderation_state, upload, image, thumbnail, width, height,"
                    " state, position, created_at, report_id)"
                    " SELECT CASE WHEN (r.id * 7) % 101 = 0 THEN 'hidden' ELSE 'published' END, '',"
                    " 'reports/bench.jpg', 'reports/thumbs/bench.jpg', 1280, 960,"
                    " CASE WHEN (r.id * 11) % 97 = 0 THEN 'processing' ELSE 'ready' END, g.position, r.created_at, r.id"
                    " FROM services_report r"
                    " CROSS JOIN LATERAL generate_series(0, CASE WHEN (r.id * 2654435761) % 10 < 6 THEN -1"
                    " WHEN (r.id * 2654435761) % 10 < 9 THEN 0 ELSE 1 END) AS g(position)"
                ).rowcount
            print(f"report photos: {added} added in {time.monotonic() - started:.1f} s")
            changed = True
        if changed:
            started = time.monotonic()
            for table in ("services_report", "services_reportupdate", "services_reportphoto"):
                conn.execute(f"VACUUM (ANALYZE) {table}")
            print(f"vacuumed in {time.monotonic() - started:.1f} s")


def dataset_query(cutoff: datetime) -> tuple[str, str]:
    """The SELECT that ``REPORTS.rows`` runs (captured from the ORM), and the COPY of the floor."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opendata.datasets import REPORTS
    from services.models import COARSE_DECIMALS, OPEN_STATUSES, Service

    with CaptureQueriesContext(connection) as captured:
        rows = REPORTS.rows(cutoff)
        next(rows, None)
        rows.close()
    declared = next(q["sql"] for q in captured.captured_queries if "services_report" in q["sql"])
    select = re.sub(r"^DECLARE .*? CURSOR (WITH(OUT)? HOLD )?FOR ", "", declared, count=1, flags=re.S)
    connection.close()
    names = REPORTS.column_names
    # The builder's query already writes the timestamps and the response time as text. Its
    # columns are the dataset's sources, in their order.
    inner = ", ".join(f'"{source}"' for source in REPORTS.sources)
    q = {source: f'q."{source}"' for source in REPORTS.sources}
    open_statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    precision = q["service__location_precision"]
    coarse = f"CASE WHEN {precision} = '{Service.Precision.COARSE}' THEN {COARSE_DECIMALS} ELSE 5 END"

    columns = [
        q["pk"],
        f"'{settings.SITE_URL}/reports/' || {q['pk']} || '/'",
        q["service__service_code"],
        q["service__name"],
        q["status"],
        f"CASE WHEN {q['status']} IN ({open_statuses}) THEN 'open' ELSE 'closed' END",
        q["created"],
        q["updated"],
        q["closed"],
        q["hours"],
        f"round({q['lat']}::numeric, {coarse})::float8",
        f"round({q['lon']}::numeric, {coarse})::float8",
        q["description"],
        q["photo_count"],
        q["original"],
        q["service__agency_responsible"],
    ]
    projected = ", ".join(f'{expression} AS "{name}"' for expression, name in zip(columns, names, strict=True))
    copy = f"COPY (SELECT {projected} FROM ({select}) AS q({inner})) TO STDOUT WITH (FORMAT csv, HEADER)"
    return select, copy


def database_facts(url: str, cutoff: datetime) -> dict:
    import psycopg

    from bench.seed_reports import conninfo

    with psycopg.connect(conninfo(url), autocommit=True) as conn:
        row = conn.execute(
            "SELECT (SELECT count(*) FROM services_report),"
            " (SELECT count(*) FROM services_report WHERE moderation_state = 'published' AND created_at <= %s),"
            " (SELECT count(*) FROM services_reportupdate), (SELECT count(*) FROM services_reportphoto),"
            " (SELECT count(*) FROM services_report r JOIN services_service s ON s.id = r.service_id"
            "  WHERE s.location_precision = 'coarse'),"
            " pg_size_pretty(pg_total_relation_size('services_report')), current_setting('server_version'),"
            " current_setting('work_mem'), current_setting('shared_buffers')",
            [cutoff],
        ).fetchone()
    names = ("reports", "in_dataset", "updates", "photos", "coarse", "size", "postgres", "work_mem", "shared_buffers")
    return dict(zip(names, row, strict=True))


def run_child(mode: str, args, env: dict, workdir: Path, sql_file: Path, cutoff: datetime) -> dict:
    """One measurement in a fresh process; its peak RSS from the kernel (wait4) and /proc."""
    from bench.harness import CpuMeter

    output = workdir / f"{mode}.out"
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        mode,
        "--cutoff",
        cutoff.isoformat(),
        "--workdir",
        str(workdir),
        "--sql-file",
        str(sql_file),
        "--profile-rows",
        str(args.profile_rows),
        "--database-url",
        args.database_url,
    ]
    meter = CpuMeter(-1)  # no server here: the child's CPU shows as the "loader" once it is reaped
    meter.start()
    started = time.monotonic()
    with output.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > CHILD_TIMEOUT:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.2)
    except BaseException:
        if process.poll() is None:
            process.kill()
            process.wait(30)
        raise
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    cpu = meter.stop()
    text = output.read_text(errors="replace")
    line = next((line for line in text.splitlines() if line.startswith("RESULT ")), None)
    if process.returncode != 0 or line is None:
        raise RuntimeError(f"{mode} failed ({process.returncode}):\n{text[-3000:]}")
    result = json.loads(line[len("RESULT ") :])
    result["process_seconds"] = wall
    # ru_maxrss (kB on Linux) also covers the moments between fork and exec, when the child
    # still had this process's memory: VmHWM, read by the child at its end, is its own peak.
    result["maxrss"] = usage.ru_maxrss / 1024
    result["parent_rss"] = memory()["VmRSS"]
    backend = 100 * result.get("backend_cpu", 0.0) / max(wall, 0.001)
    cpu["builder"] = cpu.pop("loader")
    cpu["backend"] = backend
    cpu["other"] = max(cpu["machine"] - cpu["builder"] - cpu["postgres"] - backend, 0.0)
    result["cpu_share"] = cpu
    for leftover in workdir.glob("reports.*"):
        leftover.unlink()
    return result


def measure_all(args, env: dict, workdir: Path, sql_file: Path, cutoff: datetime) -> dict[str, dict]:
    from bench.harness import wait_quiet

    results = {}
    for mode, label in MEASUREMENTS:
        best = None
        for attempt in range(1 + args.retries):
            busy = wait_quiet(args.quiet_deadline, args.quiet_threshold)
            result = run_child(mode, args, env, workdir, sql_file, cutoff)
            result["busy_before"], result["attempts"] = busy, attempt + 1
            c = result["cpu_share"]
            print(
                f"{label}: {result['rows']:,} rows, {result['bytes'] / MB:,.1f} MB in {result['seconds']:.1f} s"
                f" (process {result['process_seconds']:.1f} s), peak RSS {result['rss_peak']:.0f} MB"
                f" (ru_maxrss {result['maxrss']:.0f} MB, this process {result['parent_rss']:.0f} MB);"
                f" CPU builder {c['builder']:.0f}%, backend {c['backend']:.0f}%, other postgres {c['postgres']:.0f}%,"
                f" other {c['other']:.0f}%"
            )
            if best is None or c["other"] < best["cpu_share"]["other"]:
                best = result
            if c["other"] <= args.quiet_threshold or time.monotonic() >= args.quiet_deadline:
                break
            print(f"  other work used {c['other']:.0f}% of a CPU during the run: measuring again")
        results[mode] = best
    return results


# --- results -----------------------------------------------------------------------------


def results_table(results: dict[str, dict]) -> str:
    floor = results["copy"]["seconds"]
    lines = [
        "| measurement | rows | MB written | build s | rows/s | process s | peak RSS MB | RSS at start MB |"
        " ru_maxrss MB | builder CPU s | backend CPU s | vs COPY |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, label in MEASUREMENTS:
        r = results[mode]
        ratio = "1" if mode == "copy" else f"{r['seconds'] / floor:.1f}x"
        lines.append(
            f"| {label} | {r['rows']:,} | {r['bytes'] / MB:,.1f} | {r['seconds']:.1f} | {r['rows'] / r['seconds']:,.0f} |"
            f" {r['process_seconds']:.1f} | {r['rss_peak']:.0f} | {r['rss_start']:.0f} | {r['maxrss']:.0f} | {r['cpu']:.1f} |"
            f" {r['backend_cpu']:.1f} | {ratio} |"
        )
    return "\n".join(lines)


def cpu_table(results: dict[str, dict]) -> str:
    lines = [
        "| measurement | runs | machine busy before | machine | builder | its PostgreSQL backend |"
        " other PostgreSQL | other | largest other |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for mode, label in MEASUREMENTS:
        r = results[mode]
        c = r["cpu_share"]
        lines.append(
            f"| {label} | {r['attempts']} | {r['busy_before']:.0f}% | {c['machine']:.0f}% | {c['builder']:.0f}% |"
            f" {c['backend']:.0f}% | {c['postgres']:.0f}% | {c['other']:.0f}% | {c['top_other']} |"
        )
    return "\n".join(lines)


def targets_lines(results: dict[str, dict]) -> list[str]:
    floor = results["copy"]["seconds"]
    csv_ratio = results["csv"]["seconds"] / floor
    lines = [
        f"- CSV within 3x COPY: {'met' if csv_ratio <= 3 else 'missed'} ({csv_ratio:.1f}x;"
        f" all three formats in one pass: {results['all']['seconds'] / floor:.1f}x).",
    ]
    for mode, label in MEASUREMENTS[1:]:
        peak = results[mode]["rss_peak"]
        lines.append(f"- {label} under 250 MB peak RSS: {'met' if peak < 250 else 'missed'} ({peak:.0f} MB).")
    return lines


def profile_lines(profile: dict, results: dict[str, dict]) -> list[str]:
    limit = profile["limit"]
    csv = results["csv"]
    rows = max(csv["rows"], 1)
    csv_us = 1e6 * csv["seconds"] / rows
    fetch_a, fetch_t, built = profile["fetch_autocommit"], profile["fetch_transaction"], profile["rows_all"]

    def line(label: str, count: int, seconds: float) -> str:
        per_row = 1e6 * seconds / max(count, 1)
        return f"| {label} | {count:,} | {seconds:.2f} | {per_row:.1f} | {per_row / csv_us:.0%} |"

    lines = [
        "### Where the CSV build's time goes",
        "",
        "Measured in one more process, after the builds (every row, then a sample):",
        "",
        "| step | rows | seconds | µs per row | share of the CSV build's µs per row |",
        "| --- | ---: | ---: | ---: | ---: |",
        line("the CSV build (CSV only, above)", csv["rows"], csv["seconds"]),
        line(
            "fetch every row, no Python work: Django's chunked cursor, psycopg decoding the values;"
            f" autocommit as the builder (WITH HOLD cursor), first rows after {fetch_a['first_row']:.1f} s",
            fetch_a["rows"],
            fetch_a["seconds"],
        ),
        line(
            f"the same in a transaction (plain cursor), first rows after {fetch_t['first_row']:.2f} s",
            fetch_t["rows"],
            fetch_t["seconds"],
        ),
        line("`REPORTS.rows(cutoff)`: fetch and build every row, nothing written", built["rows"], built["seconds"]),
        line("→ building the rows in Python (the difference)", built["rows"], built["seconds"] - fetch_a["seconds"]),
        line(
            "→ writing them: `CsvWriter` (the difference to the build)", csv["rows"], csv["seconds"] - built["seconds"]
        ),
        line("of the row: `redact(description)` alone (sample)", limit, profile["redact"]),
        line("of the row: `moment()` of the three timestamps alone (sample)", limit, profile["moment"]),
        line("`CsvWriter.write` of ready rows, with encoding and SHA-256 (sample)", limit, profile["csv_writer"]),
        "",
        f"cProfile of `REPORTS.rows(cutoff)` into `CsvWriter` for {limit:,} rows, in a transaction"
        f" ({profile['profile_total']:.1f} s under the profiler, which slows every Python call), the functions"
        " with the most time of their own:",
        "",
        "| function | calls | own s | with callees s |",
        "| --- | ---: | ---: | ---: |",
    ]
    for item in profile["top"]:
        lines.append(f"| `{item['function']}` | {item['calls']:,} | {item['tottime']:.2f} | {item['cumtime']:.2f} |")
    return lines


def write_results(args, facts, cutoff, results, profile, copy_sql) -> None:
    import django
    import psycopg

    from bench.harness import cpu_model, update_section

    root_prefix = str(ROOT) + "/"
    command = shlex.join([sys.executable.replace(root_prefix, ""), *sys.argv]).replace(root_prefix, "")
    files = results["all"]["files"]
    lines = [
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `{command}`.",
        "",
        "## Setup",
        "",
        f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()};"
        " builder and database share it; files written to a temporary folder on the same disk.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, psycopg {psycopg.__version__},"
        f" PostgreSQL {facts['postgres']} (shared_buffers {facts['shared_buffers']}, work_mem {facts['work_mem']}).",
        f"- Data (database `{args.database_url.rsplit('/', 1)[-1]}`, its own so that `reports_http.py`'s"
        f" data stay as they are): {facts['reports']:,} reports ({facts['size']} with indexes),"
        f" {facts['updates']:,} status changes, {facts['photos']:,} photos,"
        f" {facts['coarse']:,} reports of coarse services;"
        f" {facts['in_dataset']:,} published before the cutoff {cutoff.strftime('%Y-%m-%d %H:%M:%S UTC')}"
        " (the publication delay before the run), the rows of every measurement.",
        "- Each measurement runs in a fresh process (`--child`), one after the other. peak RSS is the"
        " process's own high-water mark (`VmHWM` of `/proc/self/status`, read at its end); RSS at start"
        " is after Django's set-up, before the first row; ru_maxrss is the kernel's figure for the child"
        " (`os.wait4`), which also counts the instant between fork and exec when the child still had"
        f" the benchmark process's memory ({results['copy']['parent_rss']:.0f} MB), hence never below it."
        " build s is the build alone inside the process; process s adds the interpreter's and Django's start.",
        "- COPY: psycopg `cursor.copy()` of the statement below, its chunks written to a file as they come.",
        "- CSV / JSON / GeoJSON only: `WRITERS[fmt](handle, REPORTS.column_names, REPORTS.point)` over"
        " `REPORTS.rows(cutoff)`, to a local file.",
        f"- all three: `snapshot_start(cutoff=...)` (counts every dataset: {results['all']['snapshot_start']:.1f} s,"
        f" not in build s) then `build_dataset(snapshot, REPORTS, workdir)`, which writes the three files in one"
        f" pass, saves progress every 5,000 rows and stores the files ({results['all']['storing']:.1f} s of"
        f" build s, to `MEDIA_ROOT` in a temporary folder); CSV {files.get('csv', 0) / MB:,.1f} MB, JSON"
        f" {files.get('json', 0) / MB:,.1f} MB, GeoJSON {files.get('geojson', 0) / MB:,.1f} MB.",
        "",
        "## Results",
        "",
        results_table(results),
        "",
        "Targets:",
        "",
        *targets_lines(results),
        "",
        "CPU during each measurement, in percent of one CPU over the process's wall time (the machine has"
        f" {os.cpu_count()}: {100 * (os.cpu_count() or 1)}% is all of it): the builder process, the PostgreSQL"
        " backend serving it, the rest of PostgreSQL (background processes and other sessions), and"
        ' everything else ("other": the machine is shared). A measurement is taken again, up to'
        f' {args.retries} more times, when "other" passed {args.quiet_threshold:.0f}%; the least disturbed run'
        ' is kept ("runs").',
        "",
        cpu_table(results),
    ]
    if profile:
        lines += ["", *profile_lines(profile, results)]
    lines += [
        "",
        "The floor's statement (the inner SELECT is the one `REPORTS.rows` runs, as Django sends it):",
        "",
        "```sql",
        copy_sql.replace(cutoff.isoformat(sep=" "), "<cutoff>"),
        "```",
    ]
    update_section(Path(args.output), "build", "\n".join(lines), title=TITLE)
    print(f"\nwritten to {args.output}")


# --- main --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="reports wanted in the database (1000000)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_OPENDATA_DATABASE_URL", DEFAULT_URL),
        help=f"the benchmark's database ({DEFAULT_URL})",
    )
    parser.add_argument("--profile", action="store_true", help="split the CSV build's cost even when within 3x")
    parser.add_argument("--profile-rows", type=int, default=100_000, help="rows profiled (100000)")
    parser.add_argument(
        "--quiet-wait", type=int, default=900, help="seconds, in all, to wait for other work to stop (900)"
    )
    parser.add_argument(
        "--quiet-threshold", type=float, default=25.0, help="machine busy (percent of a CPU) that counts as quiet"
    )
    parser.add_argument("--retries", type=int, default=1, help="extra runs of a disturbed measurement (1)")
    parser.add_argument("--output", default=str(RESULTS), help="results file (its build section is replaced)")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("--cutoff", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    parser.add_argument("--sql-file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # Before anything reads bench.settings: every process of this benchmark uses this database.
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    if args.child:
        CHILDREN[args.child](args)
        return 0
    if not (1 <= args.count <= 10_000_000 and 1_000 <= args.profile_rows <= 1_000_000):
        parser.error("check --count (1-10000000) and --profile-rows (1000-1000000)")
    signal.signal(signal.SIGTERM, on_sigterm)
    args.quiet_deadline = time.monotonic() + args.quiet_wait
    env = {**os.environ, "BENCH_DATABASE_URL": args.database_url, "PYTHONPATH": str(ROOT)}

    ensure_data(args, env)
    # The publication cutoff of a build started now, fixed for every measurement.
    cutoff = (datetime.now(UTC) - timedelta(hours=24)).replace(microsecond=0)
    select, copy_sql = dataset_query(cutoff)
    facts = database_facts(args.database_url, cutoff)
    print(f"reports: {facts['reports']:,}, {facts['in_dataset']:,} in the dataset; updates {facts['updates']:,}")

    with tempfile.TemporaryDirectory(prefix="cocreate-opendata-bench-") as tmp:
        workdir = Path(tmp)
        sql_file = workdir / "copy.sql"
        sql_file.write_text(copy_sql)
        sql_file.with_suffix(".select.sql").write_text(select)
        env["MEDIA_ROOT"] = str(workdir / "media")
        results = measure_all(args, env, workdir, sql_file, cutoff)
        profile = None
        if args.profile or results["csv"]["seconds"] > 3 * results["copy"]["seconds"]:
            print(f"CSV took {results['csv']['seconds'] / results['copy']['seconds']:.1f}x COPY: profiling")
            profile = run_child("profile", args, env, workdir, sql_file, cutoff)
    table = results_table(results)
    print()
    print(table)
    print()
    print(cpu_table(results))
    print()
    print("\n".join(targets_lines(results)))
    write_results(args, facts, cutoff, results, profile, copy_sql)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, Stop):
        sys.exit(130)
