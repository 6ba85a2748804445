"""How `make serve` runs the service: how many processes, and the commands that start them."""

import os
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = Path(__file__).resolve().parent / "gunicorn.conf.py"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name}={value!r} must be a whole number of at least 1")
    return int(value)


def web_workers() -> int:
    """Gunicorn's rule of thumb, 2 × cores + 1 (WEB_CONCURRENCY overrides it)."""
    return env_count("WEB_CONCURRENCY", 2 * cores() + 1)


def task_workers(vendor: str) -> int:
    """One task worker by default (SELFDIRECT_TASK_WORKERS for more); SQLite takes one."""
    wanted = env_count("SELFDIRECT_TASK_WORKERS", 1)
    return 1 if vendor == "sqlite" else wanted


def web_command(host: str, port: int, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        f"--config={GUNICORN_CONFIG}",
        f"--bind={host}:{port}",
        f"--workers={workers}",
    ]


def task_worker_command(index: int) -> list[str]:
    return [
        sys.executable,
        str(BASE_DIR / "manage.py"),
        "db_worker",
        "--interval=1",
        "--no-reload",
        f"--worker-id={os.uname().nodename[:40]}-{os.getpid()}-{index}",
    ]


def reaper_command() -> list[str]:
    return [sys.executable, str(BASE_DIR / "manage.py"), "reap_tasks"]
