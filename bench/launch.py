"""Launch day: a mix of reads and writes at fixed arrival rates, on two web instances sharing
PostgreSQL and Redis, with a real Celery worker; reports the highest rate held with p95 ≤ 200 ms
and no errors.

The mix (by request): 80 % anonymous reads (home, the proposal and report lists, map tiles,
proposal and report pages), 15 % signed-in reads, 5 % writes (supports, comments, and reports
with a photo, whose processing goes through Celery). Two gunicorn instances run on two ports;
each signed-in citizen logs in on one and is then sent, request by request, to either: the
session, the CSRF token and the cache live in PostgreSQL and Redis, so the web tier keeps no
state (a request that lost its session would be redirected to log in, which counts as an error).

The load is open-loop: requests are sent at their scheduled times whatever the server's
answers, and latency runs from the scheduled time, so a slow server cannot slow the clients
down and hide its queue (no coordinated omission). Each rate runs ``--step-seconds``; the run
stops at the first rate that fails.

Needs the benchmark database seeded by ``bench/seed_reports.py`` and ``bench/seed_proposals.py``
(``cocreate_bench``; see bench/README.md), Redis, and ports 8910 and 8911 free.

    .venv/bin/python bench/launch.py --rates 20,40,60,80,100,120 --step-seconds 20
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import io
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
# The whole mix comes from one address: the per-address write limit would refuse it.
os.environ.setdefault("ADDRESS_WRITE_RATE", "1000000/minute")

from bench import harness  # noqa: E402

HOST = "127.0.0.1"
P95_GOAL_MS = 200.0
PASSWORD = "launch-day-password-42"
RESULTS = ROOT / "bench" / "results" / "launch.md"
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Session:
    """A signed-in citizen's cookies, valid on either instance."""

    cookies: dict[str, str] = field(default_factory=dict)

    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


@dataclass
class Data:
    proposal_ids: list[int]
    report_ids: list[int]
    user_emails: list[str]
    tiles: list[str]


# --- preparation -----------------------------------------------------------------------------


def prepare(users: int) -> Data:
    """Read ids to visit and give ``users`` seeded citizens a known password (in process)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    from citizens.models import User
    from proposals.models import Proposal
    from services.models import Report

    proposal_ids = list(Proposal.objects.visible().order_by("-support_count").values_list("pk", flat=True)[:2000])
    report_ids = list(Report.objects.visible().order_by("-pk").values_list("pk", flat=True)[:5000])
    emails = list(
        User.objects.filter(email__startswith="bench-citizen-").order_by("pk").values_list("email", flat=True)[:users]
    )
    if not (proposal_ids and report_ids and emails):
        raise SystemExit("Seed the benchmark database first: bench/seed_reports.py and bench/seed_proposals.py")
    User.objects.filter(email__in=emails).update(password=make_password(PASSWORD))
    return Data(proposal_ids, report_ids, emails, tiles=city_tiles())


def city_tiles() -> list[str]:
    """Tiles covering the city at a city, a district and a street zoom."""
    import math

    from django.conf import settings

    min_lon, min_lat, max_lon, max_lat = settings.CITY_BOUNDS

    def tile(lat: float, lon: float, zoom: int) -> tuple[int, int]:
        n = 2**zoom
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        return x, y

    urls = []
    for zoom in (12, 14, 17):
        (x0, y0), (x1, y1) = tile(max_lat, min_lon, zoom), tile(min_lat, max_lon, zoom)
        xs, ys = list(range(x0, x1 + 1)), list(range(y0, y1 + 1))
        rng = random.Random(zoom)
        for _ in range(30):
            urls.append(TILE_URL.format(z=zoom, x=rng.choice(xs), y=rng.choice(ys)))
    return urls


TILE_URL = "/api/v1/reports/tiles/{z}/{x}/{y}.json"


def photo_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (1024, 768), (120, 90, 60)).save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


# --- HTTP ------------------------------------------------------------------------------------

_local = threading.local()


def connection(port: int) -> http.client.HTTPConnection:
    pool = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = {}
    if port not in pool:
        pool[port] = http.client.HTTPConnection(HOST, port, timeout=30)
    return pool[port]


def request(port: int, method: str, path: str, *, headers=None, body: bytes | None = None):
    """One request on this thread's keep-alive connection; returns (status, headers, body)."""
    for attempt in (1, 2):
        conn = connection(port)
        try:
            conn.request(method, path, body=body, headers={"Host": f"{HOST}:{port}", **(headers or {})})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            _local.pool.pop(port, None)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def set_cookies(session: Session, headers) -> None:
    for header in headers.get_all("Set-Cookie") or []:
        name, _sep, rest = header.partition("=")
        session.cookies[name.strip()] = rest.split(";", 1)[0]


def log_in(port: int, email: str) -> Session:
    session = Session()
    status, headers, body = request(port, "GET", "/accounts/login/")
    set_cookies(session, headers)
    token = CSRF_INPUT.search(body).group(1).decode()
    form = urllib.parse.urlencode({"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    status, headers, _body = request(
        port,
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": session.header(),
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
    )
    set_cookies(session, headers)
    if status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"log in of {email} failed on port {port}: {status}")
    return session


def csrf_token(port: int, session: Session, path: str) -> str:
    _status, headers, body = request(port, "GET", path, headers={"Cookie": session.header()})
    set_cookies(session, headers)
    found = CSRF_INPUT.search(body)
    return found.group(1).decode() if found else session.cookies.get("csrftoken", "")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = f"launch{random.getrandbits(64):x}"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, kind) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- the mix ---------------------------------------------------------------------------------


class Mix:
    """Picks and runs one request of the launch-day mix; returns (kind, ok)."""

    def __init__(self, data: Data, sessions: list[Session], ports: tuple[int, int], seed: int = 1):
        self.data, self.sessions, self.ports = data, sessions, ports
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.photo = photo_bytes()

    def pick(self):
        with self.lock:
            roll = self.rng.random()
            port = self.rng.choice(self.ports)
            if roll < 0.80:
                kind = self.rng.choices(
                    ["home", "proposals", "reports", "tile", "proposal", "report"], weights=[10, 15, 10, 25, 25, 15]
                )[0]
                return kind, port, None, self.target(kind)
            session = self.rng.choice(self.sessions)
            if roll < 0.95:
                kind = self.rng.choice(["proposals", "proposal", "report"])
                return f"signed-in {kind}", port, session, self.target(kind)
            kind = self.rng.choices(["support", "comment", "report+photo"], weights=[40, 40, 20])[0]
            return kind, port, session, self.target("proposal" if kind != "report+photo" else "new-report")

    def target(self, kind: str) -> str:
        return {
            "home": "/",
            "proposals": "/proposals/",
            "reports": "/reports/",
            "tile": self.rng.choice(self.data.tiles) if self.data.tiles else "/",
            "proposal": f"/proposals/{self.rng.choice(self.data.proposal_ids)}/",
            "report": f"/reports/{self.rng.choice(self.data.report_ids)}/",
            "new-report": "/report/pothole/",
        }[kind]

    def run(self, kind: str, port: int, session: Session | None, path: str) -> bool:
        cookie = {"Cookie": session.header()} if session else {}
        if session is None or kind.startswith("signed-in"):
            status, _headers, _body = request(port, "GET", path, headers=cookie)
            return status == 200
        # A write: the form's token from one instance, sent (as every write) to the other one.
        token = csrf_token(port, session, path)
        other = self.ports[1] if port == self.ports[0] else self.ports[0]
        headers = {**cookie, "Referer": f"http://{HOST}:{other}{path}", "Cookie": session.header()}
        if kind == "support":
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode()
            status, _h, _b = request(
                other, "POST", f"{path}support/", body=body,
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
        elif kind == "comment":
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "body": "Yes, please: the market street needs this."}
            ).encode()
            status, _h, _b = request(
                other, "POST", f"{path}comment/", body=body,
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            )  # fmt: skip
        else:
            body, kind_header = multipart(
                {
                    "csrfmiddlewaretoken": token,
                    "lat": "-6.9147",
                    "lon": "107.6098",
                    "description": "A deep pothole in the left lane.",
                },
                {"photos": ("pothole.jpg", self.photo, "image/jpeg")},
            )
            status, _h, _b = request(other, "POST", path, body=body, headers={**headers, "Content-Type": kind_header})
        # The site answers a write with a redirect to the page that says what happened.
        return status == 302


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run_rate(mix: Mix, rate: float, seconds: float, max_in_flight: int) -> dict:
    """Send ``rate`` requests per second for ``seconds``; latency from each request's scheduled time."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    by_kind: dict[str, list[float]] = {}
    lock = threading.Lock()

    def one(scheduled: float, picked) -> None:
        kind, port, session, path = picked
        try:
            ok = mix.run(kind, port, session, path)
        except Exception as error:
            ok, kind = False, f"{kind} ({type(error).__name__})"
        elapsed = (time.perf_counter() - scheduled) * 1000
        with lock:
            latencies.append(elapsed)
            by_kind.setdefault(kind.split(" (")[0], []).append(elapsed)
            if not ok:
                errors[kind] = errors.get(kind, 0) + 1

    interval = 1 / rate
    total = int(rate * seconds)
    start = time.perf_counter() + 0.2
    with concurrent.futures.ThreadPoolExecutor(max_workers=max_in_flight) as pool:
        for index in range(total):
            scheduled = start + index * interval
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, scheduled, mix.pick())
    sent_for = time.perf_counter() - start
    return {
        "rate": rate,
        "sent": total,
        "achieved": total / max(sent_for, 1e-9),
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "kinds": {kind: (len(values), percentile(values, 95)) for kind, values in sorted(by_kind.items())},
    }


# --- running the site ------------------------------------------------------------------------


def start_worker(workdir: Path) -> subprocess.Popen:
    celery = str(Path(sys.executable).parent / "celery")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    log = open(workdir / "worker.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [celery, "-A", "cocreate", "worker", "--concurrency", "1", "--loglevel", "WARNING", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def write_results(args, rows: list[dict], best: float | None, crossing: bool) -> str:
    lines = [
        "# Launch day",
        "",
        f"Code: {harness.code_version()}. CPU: {harness.cpu_model()}. Two gunicorn instances "
        f"(ports {args.ports}, {args.workers} workers × {args.threads} threads each), one Celery worker, "
        "PostgreSQL and Redis, and this load generator, on the same machine.",
        "",
        f"Mix: 80 % anonymous reads, 15 % signed-in reads, 5 % writes (supports, comments, reports with a photo); "
        f"{args.users} citizens logged in on one instance and sent to either. Sessions crossed instances: "
        f"{'yes' if crossing else 'NO'}. Each rate ran {args.step_seconds} s.",
        "",
        f"**Highest rate held with p95 ≤ {P95_GOAL_MS:.0f} ms and no errors: "
        f"{'none' if best is None else f'{best:g} requests/s'}.**",
        "",
        "| rate (req/s) | sent | achieved | p50 ms | p95 ms | p99 ms | errors |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['rate']:g} | {row['sent']} | {row['achieved']:.1f} | {row['p50']:.0f} | {row['p95']:.0f} "
            f"| {row['p99']:.0f} | {row['errors']} |"
        )
    lines += ["", "p95 by kind of request at each rate (count, ms):", ""]
    for row in rows:
        kinds = ", ".join(f"{kind} {count}/{p95:.0f}" for kind, (count, p95) in row["kinds"].items())
        lines.append(f"- {row['rate']:g}/s: {kinds}" + (f"; errors: {row['error_kinds']}" if row["errors"] else ""))
    lines += ["", f"Command: `{' '.join([Path(sys.executable).name, *sys.argv])}`", ""]
    text = "\n".join(lines)
    Path(args.output).write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rates", default="20,40,60,80,100,120,160")
    parser.add_argument("--step-seconds", type=float, default=20)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--ports", default="8910,8911")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-in-flight", type=int, default=256)
    parser.add_argument("--tile-url", default=TILE_URL, help="The map tile address, with {z}, {x} and {y}.")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    globals()["TILE_URL"] = args.tile_url
    ports = tuple(int(port) for port in args.ports.split(","))
    for port in ports:
        if not harness.port_free(port):
            raise SystemExit(f"port {port} is in use")

    data = prepare(args.users)
    workdir = Path(tempfile.mkdtemp(prefix="launch-"))
    servers, worker = [], None
    signal.signal(signal.SIGTERM, harness.on_sigterm)
    try:
        for port in ports:
            server_args = argparse.Namespace(port=port, workers=args.workers, gunicorn_threads=args.threads)
            (workdir / str(port)).mkdir()
            process, _command, error_log = harness.start_gunicorn(server_args, workdir / str(port))
            servers.append(process)
            harness.wait_ready(process, port, error_log)
        worker = start_worker(workdir)
        sessions = [log_in(ports[index % 2], email) for index, email in enumerate(data.user_emails)]
        # A session made on the first instance is signed in on the second.
        status, _headers, _body = request(
            ports[1], "GET", "/accounts/profile/", headers={"Cookie": sessions[0].header()}
        )
        crossing = status == 200
        print(f"{len(sessions)} citizens logged in; sessions cross instances: {crossing}")
        mix = Mix(data, sessions, ports)
        rows, best = [], None
        for rate in (float(value) for value in args.rates.split(",")):
            row = run_rate(mix, rate, args.step_seconds, args.max_in_flight)
            rows.append(row)
            print(
                f"{rate:g}/s: achieved {row['achieved']:.1f}, p50 {row['p50']:.0f} ms, p95 {row['p95']:.0f} ms, "
                f"errors {row['errors']} {row['error_kinds'] or ''}"
            )
            if row["errors"] or row["p95"] > P95_GOAL_MS or row["achieved"] < rate * 0.95:
                break
            best = rate
        print(write_results(args, rows, best, crossing))
    finally:
        for process in servers:
            harness.stop_gunicorn(process)
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)


if __name__ == "__main__":
    main()
