"""Building the open datasets on PostgreSQL against PostgreSQL's own COPY.

    .venv/bin/python bench/opendata_build.py [--count 1000000] [--database-url URL]

Uses its own database, ``cocreate_bench_opendata`` (``--database-url``, or
``BENCH_OPENDATA_DATABASE_URL``), so that the million reports do not change the data of
``bench/reports_http.py``. Makes sure it holds ``--count`` reports (``bench/seed_reports.py
--count``), about one status change per report (the history their status implies) and
about one photo for two reports, then measures, each in a fresh process so that its peak
RSS is its own, one after the other in the same run and for the same publication cutoff:

- ``COPY``, the floor: the reports dataset's CSV statement (``opendata.copying.statements``:
  the dataset's own query, every cell formatted by PostgreSQL) run by psycopg with
  ``cursor.copy()``, its rows written to a file a thousand at a time, nothing else (after one
  run of it, discarded, that warms the operating system's cache for every measurement);
- ``CSV``: the reports CSV as a build writes it (``opendata.copying.write_csv`` in a
  snapshot's view): the same COPY, CRLF line ends, SHA-256, a ``.part`` file;
- ``reports``: the reports dataset in its three formats, as a build writes it
  (``snapshot_start()`` then ``build_dataset(snapshot, REPORTS, workdir, view)``): the CSV
  COPY and the JSON/GeoJSON COPY at once on the view's two connections, then stored;
- ``snapshot``: a whole snapshot (``snapshot_start()`` then ``snapshot_build()``): every
  dataset in every format, the Data Package, stored (``MEDIA_ROOT`` in a temporary folder;
  the snapshot and its files are deleted afterwards);
- ``python``: the reports dataset in three formats from Python (``build_dataset`` without a
  view: ``opendata.writers`` over ``REPORTS.rows()``), the path SQLite takes, for comparison.

Wall time, rows, bytes, peak RSS and CPU (of the builder, of its PostgreSQL backends and of
everything else on the machine) go to ``bench/results/opendata.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
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
TITLE = "# Open data: building the datasets against PostgreSQL's COPY"
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
    ("copy", "COPY (SELECT ...) TO STDOUT WITH CSV, the floor"),
    ("csv", "the reports CSV (write_csv)"),
    ("reports", "reports: CSV, JSON and GeoJSON (build_dataset)"),
    ("snapshot", "the whole snapshot: every dataset and format (snapshot_build)"),
    ("python", "reports, three formats from Python (the SQLite path)"),
]
# Targets of the issue: CSV within 1.3x COPY, the reports' three formats within 2.5x, 150 MB.
CSV_TARGET, THREE_TARGET, MEMORY_TARGET = 1.3, 2.5, 150


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
            # As lean as reading a COPY gets: each message is a row, written a thousand at a time.
            batch = []
            for data in copy:
                batch.append(data)
                if len(batch) == 1000:
                    size += out.write(b"".join(batch))
                    lines += len(batch)
                    batch = []
            size += out.write(b"".join(batch))
            lines += len(batch)
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


class Backends:
    """The CPU of every PostgreSQL backend a Django child uses: its default connection, and each
    connection a snapshot's view opens (counted just before it closes, as it then ends)."""

    def __init__(self):
        from contextlib import contextmanager

        from django.db import connection

        from opendata import reading

        connection.ensure_connection()
        self.default = connection.connection.info.backend_pid
        self.start = process_cpu(self.default)
        self.closed = 0.0
        opened = reading._read_only_connection

        @contextmanager
        def counted():
            with opened() as wrapper:
                pid = wrapper.connection.info.backend_pid
                began = process_cpu(pid)
                try:
                    yield wrapper
                finally:
                    self.closed += process_cpu(pid) - began

        reading._read_only_connection = counted

    def cpu(self) -> float:
        return process_cpu(self.default) - self.start + self.closed


def django_child_setup(args):
    import django

    django.setup()
    return datetime.fromisoformat(args.cutoff), Backends()


def child_build(args) -> None:
    """The CSV alone, the reports in three formats, a whole snapshot, or the reports from Python."""
    cutoff, backends = django_child_setup(args)
    from opendata import builder, copying
    from opendata.datasets import REPORTS
    from opendata.models import Snapshot
    from opendata.reading import snapshot_view

    start_memory = memory()
    cpu = own_cpu()
    workdir = Path(args.workdir) / "build"
    workdir.mkdir()
    snapshot = None
    started = time.monotonic()
    if args.child == "csv":
        with snapshot_view() as view:
            csv, _json, params = copying.statements(REPORTS, cutoff, view.connection)
            written = copying.write_csv(view.connection, csv, params, workdir / "reports.csv.part", lambda rows: None)
        elapsed = time.monotonic() - started
        files = {"csv": written.bytes}
        rows = written.rows
    else:
        snapshot = builder.snapshot_start(requested_by_role="bench", cutoff=cutoff)
        counted = time.monotonic() - started
        try:
            started = time.monotonic()
            if args.child == "snapshot":
                snapshot = builder.snapshot_build(snapshot)
                stored = list(snapshot.files.all())
            elif args.child == "reports":
                with snapshot_view() as view:
                    stored = builder.build_dataset(snapshot, REPORTS, workdir, view=view)
            else:  # python: no view, so the rows are read into Python and written by opendata.writers
                stored = builder.build_dataset(snapshot, REPORTS, workdir)
            elapsed = time.monotonic() - started
        finally:
            builder._delete_stored(snapshot)
            Snapshot.objects.filter(pk=snapshot.pk).delete()
        files = {f"{item.dataset}.{item.format}": item.bytes for item in stored}
        rows = sum(item.rows for item in stored if item.format == "csv")
    report(
        {
            "seconds": elapsed,
            "snapshot_start": counted if snapshot else 0.0,
            "rows": rows,
            "bytes": sum(files.values()),
            "files": files,
            "cpu": own_cpu() - cpu,
            "backend_cpu": backends.cpu(),
            "rss_start": start_memory["VmRSS"],
            "rss_peak": memory()["VmHWM"],
        }
    )


CHILDREN = {"copy": child_copy, "csv": child_build, "reports": child_build}
CHILDREN.update({"snapshot": child_build, "python": child_build})


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
        # The same for photos; which reports have some depends on the report's id alone, so a
        # report after the last one with a photo that has none gets none again.
        last = conn.execute("SELECT coalesce(max(report_id), 0) FROM services_reportphoto").fetchone()[0]
        if conn.execute("SELECT EXISTS (SELECT 1 FROM services_report WHERE id > %s)", [last]).fetchone()[0]:
            started = time.monotonic()
            # Half a photo per report: none for six in ten, one for three, two for one; a few
            # still processing or hidden, which the dataset does not count.
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                added = conn.execute(
                    "INSERT INTO services_reportphoto (moderation_state, upload, image, thumbnail, width, height,"
                    " variant_widths, state, position, created_at, report_id)"
                    " SELECT CASE WHEN (r.id * 7) %% 101 = 0 THEN 'hidden' ELSE 'published' END, '',"
                    " 'reports/bench.jpg', 'reports/thumbs/bench.jpg', 1280, 960, '[320, 640, 1280]',"
                    " CASE WHEN (r.id * 11) %% 97 = 0 THEN 'processing' ELSE 'ready' END, g.position, r.created_at, r.id"
                    " FROM services_report r"
                    " CROSS JOIN LATERAL generate_series(0, CASE WHEN (r.id * 2654435761) %% 10 < 6 THEN -1"
                    " WHEN (r.id * 2654435761) %% 10 < 9 THEN 0 ELSE 1 END) AS g(position)"
                    " WHERE r.id > %s",
                    [last],
                ).rowcount
            if added:
                print(f"report photos: {added} added in {time.monotonic() - started:.1f} s")
                changed = True
        if changed:
            started = time.monotonic()
            for table in ("services_report", "services_reportupdate", "services_reportphoto"):
                conn.execute(f"VACUUM (ANALYZE) {table}")
            print(f"vacuumed in {time.monotonic() - started:.1f} s")


def warm_up(url: str, statement: str) -> float:
    """Run the floor's COPY once, its output discarded, so that every measurement (the floor
    first) finds the tables in the operating system's cache; its seconds."""
    import psycopg

    from bench.seed_reports import conninfo

    started = time.monotonic()
    with psycopg.connect(conninfo(url), autocommit=True) as conn, conn.cursor() as cur, cur.copy(statement) as copy:
        for _data in copy:
            pass
    return time.monotonic() - started


def floor_statement(cutoff: datetime) -> str:
    """The reports CSV's COPY as a build runs it, with its parameters in place (psycopg's own quoting)."""
    import django

    django.setup()
    from django.db import connection

    from opendata.copying import statements
    from opendata.datasets import REPORTS

    csv, _json, params = statements(REPORTS, cutoff, connection)
    with connection.cursor() as cursor:
        statement = cursor.cursor.mogrify(csv, params)
    connection.close()
    return statement


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
    shutil.rmtree(workdir / "build", ignore_errors=True)
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
        " ru_maxrss MB | builder CPU s | backends' CPU s | vs COPY |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for mode, label in MEASUREMENTS:
        r = results[mode]
        ratio = "1" if mode == "copy" else f"{r['seconds'] / floor:.2f}x"
        lines.append(
            f"| {label} | {r['rows']:,} | {r['bytes'] / MB:,.1f} | {r['seconds']:.2f} |"
            f" {r['rows'] / max(r['seconds'], 0.001):,.0f} | {r['process_seconds']:.1f} | {r['rss_peak']:.0f} |"
            f" {r['rss_start']:.0f} | {r['maxrss']:.0f} | {r['cpu']:.1f} | {r['backend_cpu']:.1f} | {ratio} |"
        )
    return "\n".join(lines)


def cpu_table(results: dict[str, dict]) -> str:
    lines = [
        "| measurement | runs | machine busy before | machine | builder | its PostgreSQL backends |"
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
    three = results["reports"]["seconds"] / floor
    whole = results["snapshot"]["seconds"] / floor
    lines = [
        f"- CSV within {CSV_TARGET}x COPY: {'met' if csv_ratio <= CSV_TARGET else 'missed'} ({csv_ratio:.2f}x).",
        f"- The reports' three formats within {THREE_TARGET}x COPY: {'met' if three <= THREE_TARGET else 'missed'}"
        f" ({three:.2f}x; the whole snapshot, every dataset with the reports' status changes too: {whole:.2f}x).",
    ]
    for mode, label in MEASUREMENTS[1:]:
        peak = results[mode]["rss_peak"]
        met = "met" if peak <= MEMORY_TARGET else "missed"
        lines.append(f"- {label} within {MEMORY_TARGET} MB peak RSS: {met} ({peak:.0f} MB).")
    return lines


def write_results(args, facts, cutoff, results, copy_sql) -> None:
    import django
    import psycopg

    from bench.harness import code_version, cpu_model, update_section

    root_prefix = str(ROOT) + "/"
    command = shlex.join([sys.executable.replace(root_prefix, ""), *sys.argv]).replace(root_prefix, "")
    reports, whole = results["reports"]["files"], results["snapshot"]["files"]
    sizes = ", ".join(f"{name.split('.')[-1].upper()} {size / MB:,.1f} MB" for name, size in reports.items())
    lines = [
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} with `{command}` ({code_version()}).",
        "",
        "## Setup",
        "",
        f"- Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()};"
        " builder and database share it; files written to a temporary folder on the same disk.",
        f"- Python {platform.python_version()}, Django {django.get_version()}, psycopg {psycopg.__version__},"
        f" PostgreSQL {facts['postgres']} (shared_buffers {facts['shared_buffers']}, work_mem {facts['work_mem']}).",
        f"- Data (database `{args.database_url.rsplit('/', 1)[-1]}`): {facts['reports']:,} reports"
        f" ({facts['size']} with indexes), {facts['updates']:,} status changes, {facts['photos']:,} photos,"
        f" {facts['coarse']:,} reports of coarse services; {facts['in_dataset']:,} published before the cutoff"
        f" {cutoff.strftime('%Y-%m-%d %H:%M:%S UTC')} (the publication delay before the run), the rows of the"
        " reports dataset in every measurement.",
        "- The floor's COPY runs once first, its output discarded, so that every measurement finds the"
        " tables in the operating system's cache.",
        "- Each measurement runs in a fresh process (`--child`), one after the other. peak RSS is the"
        " process's own high-water mark (`VmHWM` of `/proc/self/status`, read at its end); RSS at start"
        " is after Django's set-up, before the first row; ru_maxrss is the kernel's figure for the child"
        " (`os.wait4`), which also counts the instant between fork and exec when the child still had"
        f" the benchmark process's memory ({results['copy']['parent_rss']:.0f} MB), hence never below it."
        " build s is the build alone inside the process; process s adds the interpreter's and Django's start."
        " The backends' CPU is that of every PostgreSQL connection the process used.",
        "- COPY: psycopg `cursor.copy()` of the statement below, its rows written to a file a thousand at a"
        " time, nothing else.",
        "- the reports CSV: `opendata.copying.write_csv` in a snapshot's view (`opendata.reading.snapshot_view`:"
        " its own connection, `REPEATABLE READ READ ONLY`): the same statement, CRLF line ends, SHA-256.",
        f"- reports, three formats: `snapshot_start(cutoff=...)` (counts every dataset:"
        f" {results['reports']['snapshot_start']:.1f} s, not in build s) then `build_dataset(snapshot, REPORTS,"
        f" workdir, view)`: the CSV COPY and the JSON/GeoJSON COPY at once on the view's two connections, then"
        f" stored to `MEDIA_ROOT` in a temporary folder; {sizes}.",
        f"- the whole snapshot: `snapshot_start()` then `snapshot_build()`: {len(whole)} files,"
        f" {sum(whole.values()) / MB:,.1f} MB, with `datapackage.json`; deleted afterwards.",
        "- reports from Python: `build_dataset(snapshot, REPORTS, workdir)` without a view: the rows read"
        " through Django's ORM and written by `opendata.writers` in one pass, as on SQLite.",
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
        " backends serving it, the rest of PostgreSQL (background processes and other sessions), and"
        ' everything else ("other": the machine is shared). A measurement is taken again, up to'
        f' {args.retries} more times, when "other" passed {args.quiet_threshold:.0f}%; the least disturbed run'
        ' is kept ("runs").',
        "",
        cpu_table(results),
        "",
        "The floor's statement (the dataset's own query, as Django compiles it, in the CSV COPY"
        " `opendata.copying` runs):",
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
    if not 1 <= args.count <= 10_000_000:
        parser.error("check --count (1-10000000)")
    signal.signal(signal.SIGTERM, on_sigterm)
    args.quiet_deadline = time.monotonic() + args.quiet_wait
    env = {**os.environ, "BENCH_DATABASE_URL": args.database_url, "PYTHONPATH": str(ROOT)}

    ensure_data(args, env)
    # The publication cutoff of a build started now, fixed for every measurement.
    cutoff = (datetime.now(UTC) - timedelta(hours=24)).replace(microsecond=0)
    copy_sql = floor_statement(cutoff)
    facts = database_facts(args.database_url, cutoff)
    print(f"warm-up: the floor's COPY once in {warm_up(args.database_url, copy_sql):.1f} s, discarded")
    print(f"reports: {facts['reports']:,}, {facts['in_dataset']:,} in the dataset; updates {facts['updates']:,}")

    with tempfile.TemporaryDirectory(prefix="cocreate-opendata-bench-") as tmp:
        workdir = Path(tmp)
        sql_file = workdir / "copy.sql"
        sql_file.write_text(copy_sql)
        env["MEDIA_ROOT"] = str(workdir / "media")
        env["OPENDATA_WORK_DIR"] = str(workdir / "snapshots")
        results = measure_all(args, env, workdir, sql_file, cutoff)
    print()
    print(results_table(results))
    print()
    print(cpu_table(results))
    print()
    print("\n".join(targets_lines(results)))
    write_results(args, facts, cutoff, results, copy_sql)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, Stop):
        sys.exit(130)
