"""Running Django in a child process, for what is decided when settings are read."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
# Variables that would leak the test run's own configuration into the child.
OWN_VARIABLES = (
    "SELFDIRECT_ENV",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "SELFDIRECT_STAFF_OTP",
    "SELFDIRECT_PROXY_SSL_HEADER",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests for their live server
)
UNREACHABLE_POSTGRES = "postgres://selfdirect:secret@127.0.0.1:9/selfdirect"  # port 9: discard


def django_env(**overrides: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(overrides)
    return env


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=django_env(**env),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=django_env(**env),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
