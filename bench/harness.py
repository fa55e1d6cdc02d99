"""Shared harness of the bench scripts: server, load, timing summaries and report writing.

Imported by ``reports_http.py``, ``proposals_http.py``, ``proposals_supports.py``,
``opendata_build.py``, ``gbfs_poll.py`` and ``operators_match.py``; it measures nothing by itself.

- Server: ``port_free``, ``start_gunicorn`` (``bench.settings`` on 127.0.0.1), ``wait_ready``,
  ``stop_gunicorn``, ``read_tail`` (the end of its error log), ``Stop``/``on_sigterm``.
- Load: a ``Target`` per URL; ``measure`` warms it up and runs wrk (``ensure_wrk``, ``WRK_LUA``)
  or the Python load generator (``run_python_load``) at fixed concurrency; ``profile_in_process``
  counts one request's SQL queries.
- Machine: ``CpuMeter`` (CPU used by the server's processes), ``machine_busy``/``wait_quiet``
  (wait until the shared machine is idle), ``cpu_model``.
- Reports: ``table``/``cpu_table``/``cpu_and_targets`` (requests per second, p50/p95/p99,
  size, queries, CPU), ``fmt``, ``code_version`` (the commit measured), ``update_section``
  (one script's section of a results file shared by several).
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

HOST = "127.0.0.1"

STARTUP_SECONDS = 60
# wrk calls done() once at the end; latency is in microseconds.
WRK_LUA = """
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH {\\"p50\\": %d, \\"p95\\": %d, \\"p99\\": %d, \\"max\\": %d, \\"mean\\": %.1f, "
    .. "\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, \\"status_errors\\": %d, "
    .. "\\"connect_errors\\": %d, \\"read_errors\\": %d, \\"write_errors\\": %d, \\"timeouts\\": %d}\\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    summary.requests, summary.duration, summary.bytes, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


@dataclass
class Target:
    name: str
    path: str
    status: int | None = None
    bytes: int | None = None
    items: int | None = None
    queries: int | None = None
    db_ms: float | None = None
    app_ms: float | None = None
    rps: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    errors: int = 0
    cpu: dict = field(default_factory=dict)
    idle_before: float | None = None
    attempts: int = 0
    note: str = ""
    extra: dict = field(default_factory=dict)
    # Sent with every request of this target (a signed-in person's Cookie, say).
    headers: dict = field(default_factory=dict)


class CpuMeter:
    """Where the machine's CPU went during a run: gunicorn, PostgreSQL, the load generator, the rest.

    The machine is shared, so anything else running (a test suite, an editor) shows as "other".
    Figures are in percent of one CPU, like top: 200% is both cores of a 2-core machine.
    """

    def __init__(self, gunicorn_pid: int, count_self: bool = False):
        self.gunicorn_pid = gunicorn_pid
        self.count_self = count_self
        self.tick = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def machine() -> tuple[int, int]:
        """Busy and total jiffies of all CPUs."""
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]
        total = sum(fields[:8])
        return total - idle, total

    @staticmethod
    def processes() -> dict[int, tuple[str, int, int]]:
        """Name, parent and CPU jiffies of every live process."""
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                text = (entry / "stat").read_text()
            except OSError:
                continue
            name = text[text.index("(") + 1 : text.rindex(")")]
            rest = text[text.rindex(")") + 2 :].split()
            found[int(entry.name)] = (name, int(rest[1]), int(rest[11]) + int(rest[12]))
        return found

    def own_cpu(self) -> float:
        """CPU seconds of the load generator: reaped children (wrk), plus this process with ``count_self``."""
        times = os.times()
        used = times.children_user + times.children_system
        if self.count_self:  # the Python load generator runs in this process
            used += times.user + times.system
        return used

    def start(self) -> None:
        self.started = time.monotonic()
        self.busy, self.total = self.machine()
        self.before = self.processes()
        self.own = self.own_cpu()

    def stop(self) -> dict:
        busy, total = self.machine()
        after = self.processes()
        cpus = os.cpu_count() or 1
        share = 100 * cpus / max(total - self.total, 1)  # percent of one CPU per jiffy of all CPUs
        used = {"gunicorn": 0.0, "postgres": 0.0}
        others: dict[str, float] = {}
        for pid, (name, ppid, jiffies) in after.items():
            # Processes that ended during the run are not seen here; their time stays in "other".
            delta = (jiffies - self.before.get(pid, (name, ppid, 0))[2]) * share
            if self.gunicorn_pid in (pid, ppid):
                used["gunicorn"] += delta
            elif name.startswith("postgres"):
                used["postgres"] += delta
            elif pid != os.getpid() and delta > 0:
                others[name] = others.get(name, 0.0) + delta
        result = {
            "machine": (busy - self.busy) * share,
            **used,
            "loader": 100 * (self.own_cpu() - self.own) / max(time.monotonic() - self.started, 0.001),
        }
        result["other"] = max(result["machine"] - used["gunicorn"] - used["postgres"] - result["loader"], 0.0)
        top = sorted(others.items(), key=lambda item: -item[1])[:3]
        result["top_other"] = ", ".join(f"{name} {value:.0f}%" for name, value in top if value >= 1) or "-"
        return result


def machine_busy(seconds: float = 3.0) -> float:
    """Percent of one CPU used by the whole machine over a short sample."""
    busy, total = CpuMeter.machine()
    time.sleep(seconds)
    busy2, total2 = CpuMeter.machine()
    return 100 * (os.cpu_count() or 1) * (busy2 - busy) / max(total2 - total, 1)


def wait_quiet(deadline: float, threshold: float) -> float:
    """Wait, until ``deadline`` at the latest, for the machine to be nearly idle; the last busy figure."""
    busy = machine_busy()
    while busy > threshold and time.monotonic() < deadline:
        print(f"  machine busy ({busy:.0f}% of a CPU) with other work; waiting")
        time.sleep(10)
        busy = machine_busy()
    return busy


class Stop(Exception):
    """SIGTERM: leave through the ``finally`` that stops the server and cleans up."""


def on_sigterm(signum, frame):
    raise Stop()


# --- load generators ---------------------------------------------------------------------


def ensure_wrk() -> str | None:
    """wrk's path, installing the Debian package when missing and allowed; None if unavailable."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("wrk missing: apt-get install -y wrk")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, capture_output=True, timeout=300)
    return shutil.which("wrk")


def shown_headers(headers: dict) -> dict:
    """Headers as a report may show them: a cookie's values replaced by an ellipsis."""
    return {
        name: "; ".join(f"{part.split('=', 1)[0]}=…" for part in value.split("; "))
        if name.lower() == "cookie"
        else value
        for name, value in headers.items()
    }


def run_wrk(
    wrk: str,
    lua: Path,
    url: str,
    seconds: int,
    connections: int,
    threads: int,
    timeout: int,
    headers: dict | None = None,
) -> dict:
    options = [option for name, value in (headers or {}).items() for option in ("-H", f"{name}: {value}")]
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "--latency",
        *options,
        "-s",
        str(lua),
        url,
    ]
    shown = [
        wrk,
        *command[1:6],
        *(option for name, value in shown_headers(headers or {}).items() for option in ("-H", f"{name}: {value}")),
        *command[6 + len(options) :],
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()}")
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH ")), None)
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", done.stdout)
    if line is None or rps is None:
        raise RuntimeError(f"could not read wrk's output:\n{done.stdout}")
    summary = json.loads(line[len("BENCH ") :])
    errors = sum(summary[key] for key in ("status_errors", "connect_errors", "read_errors", "write_errors"))
    return {
        "rps": float(rps.group(1)),
        "p50": summary["p50"] / 1000,
        "p95": summary["p95"] / 1000,
        "p99": summary["p99"] / 1000,
        "errors": errors + summary["timeouts"],
        "requests": summary["requests"],
        "command": shlex.join(shown),
    }


def run_python_load(url: str, seconds: int, connections: int, timeout: int, headers: dict | None = None) -> dict:
    """A fallback load generator: one thread per connection, HTTP/1.1 keep-alive when allowed.

    Python threads share one core for the client, so its ceiling is far below wrk's.
    """
    parsed = urllib.request.urlparse(url)
    path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status >= 400:
                    errors[index] += 1
                else:
                    latencies[index].append(time.perf_counter() - started)
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
            except (OSError, http.client.HTTPException):
                errors[index] += 1
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
        conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(connections)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(seconds + timeout + 10)
    elapsed = time.monotonic() - started
    every = sorted(value for values in latencies for value in values)
    if not every:
        raise RuntimeError("no successful request")

    def percentile(p: float) -> float:
        return every[min(len(every) - 1, int(len(every) * p / 100))] * 1000

    return {
        "rps": len(every) / elapsed,
        "p50": percentile(50),
        "p95": percentile(95),
        "p99": percentile(99),
        "errors": sum(errors),
        "requests": len(every),
        "command": f"python threads: {connections} connections, {seconds} s"
        + "".join(f", {name}: {value}" for name, value in shown_headers(headers or {}).items()),
    }


# --- gunicorn ----------------------------------------------------------------------------


def port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


def start_gunicorn(args, workdir: Path) -> tuple[subprocess.Popen, list[str], Path]:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [
        gunicorn,
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--bind",
        f"{HOST}:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.gunicorn_threads),
        "--access-logfile",
        str(workdir / "access.log"),
        "--error-logfile",
        str(workdir / "error.log"),
        "--log-level",
        "warning",
        "cocreate.wsgi:application",
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    return process, command, workdir / "error.log"


def wait_ready(process: subprocess.Popen, port: int, error_log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{read_tail(error_log)}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/bench/ceiling", timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"gunicorn did not answer within {STARTUP_SECONDS} s:\n{read_tail(error_log)}")


def stop_gunicorn(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    print("gunicorn stopped")


def read_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


# --- measurements ------------------------------------------------------------------------


def profile_in_process(targets: list[Target], repeats: int = 5) -> None:
    """Queries, database time and whole-view time of one request, fastest of a few, in this process."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    for target in targets:
        runs = []
        for _ in range(repeats + 1):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(target.path, headers=target.headers)
                elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                break
            runs.append((len(captured), sum(float(q["time"]) for q in captured.captured_queries) * 1000, elapsed))
        if len(runs) > 1:
            runs = runs[1:]  # the first run warms caches and connections
            target.queries = runs[0][0]
            # The fastest run: the least disturbed by anything else on the machine.
            target.db_ms = min(run[1] for run in runs)
            target.app_ms = min(run[2] for run in runs)
    connection.close()


def code_version() -> str:
    """The commit measured, and whether the work tree (outside bench/) differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", ".", ":!bench"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.splitlines()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git work tree)"
    if changed:
        return f"{commit} with uncommitted changes to {len(changed)} files"
    return f"{commit}, no uncommitted changes outside bench/"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_summary(cpu: dict) -> str:
    """machine / gunicorn / PostgreSQL / load generator / other, in percent of one CPU."""
    if not cpu:
        return "-"
    return "machine/gunicorn/postgres/loader/other " + " / ".join(
        f"{cpu[key]:.0f}" for key in ("machine", "gunicorn", "postgres", "loader", "other")
    )


def fmt(value, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def cpu_ms(target: Target) -> float | None:
    """gunicorn's CPU time per request, in ms: what a request costs, whatever else shared the machine."""
    if not target.rps or not target.cpu:
        return None
    return target.cpu["gunicorn"] * 10 / target.rps  # 100% of a CPU is 1000 ms each second


def table(targets: list[Target]) -> str:
    ceiling = targets[0]
    lines = [
        "| target | req/s | p50 ms | p95 ms | p99 ms | errors | bytes | items | queries | DB ms | view ms"
        " | gunicorn CPU ms/req | req/s vs ceiling | CPU/req vs ceiling |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for t in targets:
        if t.rps is None:
            lines.append(f"| {t.name} | skipped: {t.note} |" + " |" * 12)
            continue
        ratio = cost = "1"
        if t is not ceiling and ceiling.rps:
            ratio = f"{t.rps / ceiling.rps:.4f} (1/{ceiling.rps / t.rps:,.0f})"
            if cpu_ms(t) and cpu_ms(ceiling):
                cost = f"x{cpu_ms(t) / cpu_ms(ceiling):,.0f}"
        lines.append(
            f"| {t.name} | {fmt(t.rps)} | {fmt(t.p50)} | {fmt(t.p95)} | {fmt(t.p99)} | {t.errors:,} | "
            f"{fmt(t.bytes)} | {fmt(t.items)} | {fmt(t.queries)} | {fmt(t.db_ms)} | {fmt(t.app_ms)} | "
            f"{fmt(cpu_ms(t), 2)} | {ratio} | {cost} |"
        )
    return "\n".join(lines)


def cpu_and_targets(args, targets) -> list[str]:
    """The report lines on where the CPU went during each run, and the targets' paths."""
    return [
        "CPU during each measured run, in percent of one CPU (the machine has"
        f' {os.cpu_count()}: {100 * (os.cpu_count() or 1)}% is all of it). "other" is whatever else ran on'
        " the machine meanwhile (the machine is shared); a target is measured again, up to"
        f' {args.retries} more times, when "other" passed {args.quiet_threshold:.0f}%, and the least'
        ' disturbed run is kept ("runs").',
        "",
        cpu_table(targets),
        "",
        "Targets:",
        "",
        *[f"- {t.name}: `{t.path}`" for t in targets],
    ]


def cpu_table(targets: list[Target]) -> str:
    lines = [
        "| target | runs | machine busy before | machine | gunicorn | PostgreSQL | load generator | other | largest other |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for t in targets:
        if t.cpu:
            c = t.cpu
            lines.append(
                f"| {t.name} | {t.attempts} | {t.idle_before:.0f}% | {c['machine']:.0f}% | {c['gunicorn']:.0f}% |"
                f" {c['postgres']:.0f}% | {c['loader']:.0f}% | {c['other']:.0f}% | {c['top_other']} |"
            )
    return "\n".join(lines)


def measure(target: Target, url: str, args, wrk: str | None, lua: Path, meter: CpuMeter) -> str:
    """Warm up, then measure; again (a bounded number of times) when other work took the CPU meanwhile.

    Keeps the attempt that other work disturbed least. Returns the load command.
    """

    def load(seconds: int) -> dict:
        if wrk:
            return run_wrk(wrk, lua, url, seconds, args.connections, args.threads, args.timeout, target.headers)
        return run_python_load(url, seconds, args.connections, args.timeout, target.headers)

    meter.count_self = wrk is None
    if args.warmup:
        load(args.warmup)
    best = None
    for attempt in range(1 + args.retries):
        idle_before = wait_quiet(args.quiet_deadline, args.quiet_threshold)
        meter.start()
        result = load(args.duration)
        result["cpu"] = meter.stop()
        result["idle_before"] = idle_before
        other = result["cpu"]["other"]
        print(
            f"{target.name}: {fmt(result['rps'])} req/s, p50 {fmt(result['p50'])} ms, p95 {fmt(result['p95'])} ms,"
            f" {result['errors']} errors; CPU {cpu_summary(result['cpu'])}"
        )
        if best is None or other < best["cpu"]["other"]:
            best = result
        if other <= args.quiet_threshold or time.monotonic() >= args.quiet_deadline:
            break
        if attempt < args.retries and time.monotonic() < args.quiet_deadline:
            print(f"  other work used {other:.0f}% of a CPU during the run: measuring again")
    target.rps, target.p50, target.p95, target.p99 = best["rps"], best["p50"], best["p95"], best["p99"]
    target.errors, target.cpu, target.idle_before = best["errors"], best["cpu"], best["idle_before"]
    target.attempts = attempt + 1
    return best["command"].replace(url, "URL")


# --- main --------------------------------------------------------------------------------


def update_section(path: Path, key: str, text: str, title: str) -> None:
    """Write ``text`` as the section ``key`` of ``path``, keeping everything else in the file.

    Each script owns the part between ``<!-- key -->`` and ``<!-- /key -->``, so two scripts
    share one results file and notes written by hand outside the markers survive a new run.
    A missing file starts with ``title``.
    """
    start, end = f"<!-- {key} -->", f"<!-- /{key} -->"
    block = f"{start}\n{text.rstrip()}\n{end}"
    current = path.read_text() if path.exists() else f"{title}\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        after = rest.split(end, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(current)
