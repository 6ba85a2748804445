"""Load: the production stack (`manage.py serve`, as `make serve` runs it) against the seeded
council, with N keep-alive clients signed in as a practitioner, for a fixed time.

The practitioner mix is a third each of: a random page of the team's caseload (the page after
a random person on it), the caseload filtered by part of a name (and, half the time, an age
band), and a person's record. The reference is a bare page through the same stack. The load
generator (bench/loadgen.py, one asyncio thread) runs on the same 2 cores as the server and
PostgreSQL, so it takes some of their time.
"""

import os
import random
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.loadgen import build_request, run_load

BASE_DIR = Path(__file__).resolve().parent.parent
CLIENTS = (10, 50)
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
WARMUP = 3.0
DISTINCT_REQUESTS = 6000
GOAL_RATE = 300


TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def _descendants(root: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def _machine_cpu_seconds() -> float:
    """All CPU time spent on the machine so far (every process), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return 0.0
    busy = sum(int(v) for v in fields[:3]) + sum(int(v) for v in fields[5:8])  # not idle, iowait
    return busy / TICK


class CpuMeter:
    """CPU seconds used by the server's processes and its PostgreSQL sessions, by this load
    generator, and by everything else on the machine, over one run."""

    def __init__(self, server_pid: int, database: str):
        self.server_pid = server_pid
        self.database = database

    def _server_pids(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [self.database],
            )
            backends = [row[0] for row in cursor.fetchall()]
        return _descendants(self.server_pid) + backends

    def __enter__(self):
        self.pids = self._server_pids()
        self.start = {pid: _cpu_seconds(pid) for pid in self.pids}
        self.own = time.process_time()
        self.machine = _machine_cpu_seconds()
        return self

    def __exit__(self, *exc):
        pids = self._server_pids()
        self.server = sum(_cpu_seconds(pid) - self.start.get(pid, 0.0) for pid in pids)
        self.generator = time.process_time() - self.own
        self.others = max(0.0, _machine_cpu_seconds() - self.machine - self.server - self.generator)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(settings_dict) -> str:
    from urllib.parse import quote

    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


def _signed_in_cookie(username: str) -> str:
    """A practitioner's session that has passed the second factor, as a Cookie header."""
    from django.conf import settings
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    user = User.objects.get(username=username)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Load bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}", user


def _with_kept_cookies(port: int, cookie: str) -> str:
    """The Cookie header a browser sends after its first page: the session's, plus the CSRF
    cookie that page set. Without it each page that draws a form would make, and set, a new
    CSRF secret, which no browser asks for."""
    from http.cookies import SimpleCookie

    from django.conf import settings

    request = urllib.request.Request(f"http://127.0.0.1:{port}/people/", headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    kept = jar.get(settings.CSRF_COOKIE_NAME)
    return f"{cookie}; {settings.CSRF_COOKIE_NAME}={kept.value}" if kept else cookie


def _mix(user, rng: random.Random) -> list[str]:
    from people.models import Person

    caseload = list(Person.objects.visible_to(user).values_list("pk", "last_name"))
    bands = ["", "65-74", "75-84", "85+"]
    paths = []
    for index in range(DISTINCT_REQUESTS):
        kind = index % 3
        if kind == 0:
            paths.append(f"/people/?after={rng.choice(caseload)[0]}")
        elif kind == 1:
            name = rng.choice(caseload)[1][:4]
            band = rng.choice(bands)
            paths.append(f"/people/?name={name}" + (f"&age_band={band}" if band else ""))
        else:
            paths.append(f"/people/{rng.choice(caseload)[0]}/")
    return paths, len(caseload)


def _start_server(port: int, database_url: str) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="bench.serve_settings",
        DJANGO_DEBUG="0",
    )
    command = [
        sys.executable,
        str(BASE_DIR / "manage.py"),
        "serve",
        "--host=127.0.0.1",
        f"--port={port}",
        "--reap-minutes=0",
    ]
    server = subprocess.Popen(  # noqa: S603
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,  # one JSON line a request: written, as in production
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"manage.py serve stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("manage.py serve did not answer /healthz within 2 minutes")


def _stop(server: subprocess.Popen) -> None:
    import signal

    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run(args, vendor: str) -> None:
    from django.db import connection

    from bench import report
    from ops import serving
    from people.models import Person

    rng = random.Random(2026)
    cookie, user = _signed_in_cookie("practitioner")
    mix, caseload = _mix(user, rng)
    people = Person.objects.count()
    port = _free_port()
    server = _start_server(port, _database_url(connection.settings_dict))
    workers = serving.web_workers()
    try:
        setting = (
            f"{people:,} people, caseload {caseload:,}, {vendor}, manage.py serve: gunicorn "
            f"{workers} workers, {serving.cores()} cores shared with PostgreSQL and the load "
            f"generator, {SECONDS:.0f} s"
        )
        cookie = _with_kept_cookies(port, cookie)
        mix_requests = [build_request("127.0.0.1", port, path, cookie) for path in mix]
        bare_requests = [build_request("127.0.0.1", port, "/bench/bare/", cookie)]
        # Warm every worker's connections and caches before measuring anything.
        run_load("127.0.0.1", port, mix_requests, clients=10, seconds=0, warmup=WARMUP)
        rates = {}
        database = connection.settings_dict["NAME"]
        for label, requests in (("mix", mix_requests), ("bare", bare_requests)):
            for clients in CLIENTS:
                with CpuMeter(server.pid, database) as cpu:
                    result = run_load(
                        "127.0.0.1", port, requests, clients=clients, seconds=SECONDS, warmup=WARMUP
                    )
                rates[label, clients] = result.rate
                what = (
                    "practitioner mix: caseload pages, filtered caseload, person pages"
                    if label == "mix"
                    else "bare page through the full middleware, signed in"
                )
                where = f"{what}, {clients} keep-alive clients, {setting}"
                goal = f", goal >= {GOAL_RATE}" if label == "mix" else ""
                report(f"load_{label}_{clients}_clients_rate", result.rate, "req/s", where + goal)
                report(f"load_{label}_{clients}_clients_p50", result.percentile(50), "ms", where)
                p95_goal = ", goal <= 100 ms" if label == "mix" and clients == 10 else ""
                report(
                    f"load_{label}_{clients}_clients_p95",
                    result.percentile(95),
                    "ms",
                    where + p95_goal,
                )
                report(f"load_{label}_{clients}_clients_p99", result.percentile(99), "ms", where)
                report(
                    f"load_{label}_{clients}_clients_errors",
                    result.errors,
                    "errors",
                    where
                    + ", goal 0"
                    + (f", first: {result.first_error}" if result.errors else "")
                    + f"; {result.retries} sent again after the server closed a kept-alive connection",
                )
                # What each answer cost the machine, whatever else ran on it: gunicorn's
                # processes plus their PostgreSQL sessions (warm-up included, spread over the
                # requests measured); and how much of the machine other processes took.
                served = max(result.requests, 1) * (SECONDS + WARMUP) / SECONDS
                report(
                    f"load_{label}_{clients}_clients_server_cpu_per_request",
                    cpu.server * 1000 / served,
                    "ms",
                    f"{where}; the load generator used {cpu.generator * 1000 / served:.2f} ms",
                )
                window = (SECONDS + WARMUP) * serving.cores()
                report(
                    f"load_{label}_{clients}_clients_other_processes_cpu",
                    100 * cpu.others / window,
                    "%",
                    f"share of the machine's {serving.cores()} cores taken by processes outside "
                    "this benchmark during the run: the rate above had the rest",
                )
        for clients in CLIENTS:
            report(
                f"load_mix_over_bare_{clients}_clients",
                rates["mix", clients] / rates["bare", clients],
                "ratio",
                f"practitioner mix rate / bare page rate, {clients} clients, goal >= 0.5",
            )
    finally:
        _stop(server)
