"""`make serve` (manage.py serve): the production stack starts, answers, and stops cleanly;
the deployment examples are well formed."""

import configparser
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from ops import serving

from .helpers import BASE_DIR, django_env
from .test_task_workers import _database_url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local test server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_worker_count_comes_from_the_machine(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr(serving, "cores", lambda: 2)
    assert serving.web_workers() == 5
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert serving.web_workers() == 3
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(ValueError, match="WEB_CONCURRENCY"):
        serving.web_workers()


def test_sqlite_gets_one_task_worker(monkeypatch):
    monkeypatch.setenv("SELFDIRECT_TASK_WORKERS", "4")
    assert serving.task_workers("postgresql") == 4
    assert serving.task_workers("sqlite") == 1


@pytest.mark.django_db(transaction=True)
def test_serve_runs_gunicorn_and_a_task_worker_then_stops_them_all(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("serves the test database from other processes: PostgreSQL (CI) only")
    port = _free_port()
    log = tmp_path / "serve.log"
    env = django_env(DATABASE_URL=_database_url(connection.settings_dict), WEB_CONCURRENCY="2")
    command = [sys.executable, str(BASE_DIR / "manage.py"), "serve", f"--port={port}"]
    with open(log, "w") as output:
        server = subprocess.Popen(  # noqa: S603
            [*command, "--no-migrate"], cwd=BASE_DIR, env=env, stdout=output, stderr=output
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    status, headers, body = _get(f"http://127.0.0.1:{port}/healthz")
                    break
                except OSError:
                    assert server.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, log.read_text()
                    time.sleep(0.5)
            assert status == 200
            assert json.loads(body)["database"]["status"] == "ok"
            assert headers["Server"].startswith("gunicorn")
            # Static files come from WhiteNoise, collected with hashed names.
            page_status, _headers, page = _get(f"http://127.0.0.1:{port}/accessibility/")
            assert page_status == 200
            stylesheet = page.decode().split('href="/static/css/')[1].split('"')[0]
            css_status, css_headers, _css = _get(f"http://127.0.0.1:{port}/static/css/{stylesheet}")
            assert css_status == 200 and "immutable" in css_headers["Cache-Control"]
            # A search reaches the log as its route, without the query string.
            _get(f"http://127.0.0.1:{port}/people/?name=Marlow&postcode=WX3+6YH")
            time.sleep(0.5)
            children = _children(server.pid)
            assert len(children) == 2  # gunicorn's master and one task worker
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
    output = log.read_text()
    assert "2 web worker(s), 1 task worker(s), plain http" in output
    requests = [json.loads(line) for line in output.splitlines() if '"selfdirect.requests"' in line]
    assert any(r["route"] == "/people/" and r["status"] == 302 for r in requests)
    assert "Marlow" not in output and "WX3" not in output
    for pid in children:
        assert not _alive(pid), f"process {pid} outlived serve"


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_the_container_file_passes_hadolint():
    hadolint = shutil.which("hadolint") or str(BASE_DIR / ".venv" / "bin" / "hadolint")
    result = subprocess.run(  # noqa: S603
        [hadolint, str(BASE_DIR / "deploy" / "Containerfile")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_systemd_unit_runs_serve_with_its_settings_from_a_file():
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.read(BASE_DIR / "deploy" / "selfdirect.service")
    service = unit["Service"]
    assert service["ExecStart"].endswith("manage.py serve")
    assert service["EnvironmentFile"] == "/etc/selfdirect/selfdirect.env"
    assert service["User"] != "root" and service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
