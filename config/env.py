"""Reading settings from environment variables, strictly.

A setting with a typo must stop the service, not quietly mean "off": `DJANGO_DEBUG=ture`
or `SELFDIRECT_ENV=prodution` is an error that names the variable. Pure Python, so it can
be read before Django is set up (settings.py uses it) and tested on its own.
"""

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured  # importable before Django is set up

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})

DEVELOPMENT = "development"
PRODUCTION = "production"
ENVIRONMENTS = (DEVELOPMENT, PRODUCTION)


class SettingError(ImproperlyConfigured):
    """A setting in the environment is missing, misspelt or unsafe."""


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    word = value.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise SettingError(
        f"{name}={value!r} is neither true nor false: use 1/true/yes/on or 0/false/no/off"
    )


def env_int(name: str, default: int, environ: Mapping[str, str] = os.environ) -> int:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SettingError(f"{name}={value!r} is not a whole number") from None


def env_choice(
    name: str, choices: tuple[str, ...], default: str, environ: Mapping[str, str] = os.environ
) -> str:
    value = (environ.get(name) or "").strip().lower() or default
    if value not in choices:
        raise SettingError(f"{name}={value!r} is not one of: {', '.join(choices)}")
    return value


def env_list(name: str, default: str, environ: Mapping[str, str] = os.environ) -> list[str]:
    return [item.strip() for item in environ.get(name, default).split(",") if item.strip()]


def proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto` (or `X-Forwarded-Proto: https`) as Django's SECURE_PROXY_SSL_HEADER."""
    value = value.strip()
    if not value:
        return None
    name, _, expected = value.partition(":")
    name = name.strip()
    if not name or not all(c.isalnum() or c == "-" for c in name):
        raise SettingError(f"SELFDIRECT_PROXY_SSL_HEADER={value!r} is not a header name")
    return "HTTP_" + name.upper().replace("-", "_"), (expected.strip() or "https")


def production_problems(*, debug: bool, secret_key_set: bool, database_engine: str) -> list[str]:
    """Why this configuration must not serve a council's data (empty when it may)."""
    problems = []
    if debug:
        problems.append("DJANGO_DEBUG is on: debug pages show settings and personal data")
    if not secret_key_set:
        problems.append("DJANGO_SECRET_KEY is not set: give every production server the same key")
    if database_engine.endswith("sqlite3"):
        problems.append(
            "the database is SQLite: set DATABASE_URL to the council's PostgreSQL database"
        )
    return problems
