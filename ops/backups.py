"""Backups that restore: a PostgreSQL custom-format dump, or an SQLite online backup.

`make backup` writes one file to var/backups/; `make restore FILE=...` loads it into the
database DATABASE_URL names. PostgreSQL's own pg_dump and pg_restore do the work (the
client tools must match the server's major version); SQLite's backup API copies a live
database page by page, consistent even while the service writes to it.
"""

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

# The tables whose contents a restore must bring back exactly: the access log, the audit
# trail (core_auditevent, once it exists) and the budgets.
CHECKSUM_TABLES = ("accounts_accessevent", "core_auditevent", "budgets_personalbudget")


class BackupError(Exception):
    """The backup or the restore could not be done; the message says why."""


def backup_directory() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def vendor_of(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"Backups support PostgreSQL and SQLite, not {engine}")


def _pg_environment(settings_dict: dict) -> dict:
    """libpq's environment for the database: the password never appears on a command line."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    values = {
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGDATABASE": settings_dict["NAME"],
        "PGSSLMODE": options.get("sslmode", ""),
        "PGCONNECT_TIMEOUT": str(options.get("connect_timeout", "")),
    }
    env.update({key: value for key, value in values.items() if value})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools "
            "(Debian: postgresql-client, the same major version as the server)"
        )
    return path


def _run(command: list[str], env: dict | None = None) -> None:
    finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {finished.stderr.strip()}")


def backup(settings_dict: dict, directory: Path | None = None, *, now=None) -> Path:
    """Write a backup of the database to `directory` (var/backups/) and return its path."""
    directory = Path(directory or backup_directory())
    directory.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    vendor = vendor_of(settings_dict)
    if vendor == "postgresql":
        path = directory / f"selfdirect-{settings_dict['NAME']}-{stamp}.dump"
        partial = path.with_suffix(".dump.partial")
        _run(
            [_tool("pg_dump"), "--format=custom", "--no-password", f"--file={partial}"],
            env=_pg_environment(settings_dict),
        )
    else:
        path = directory / f"selfdirect-{Path(str(settings_dict['NAME'])).stem}-{stamp}.sqlite3"
        partial = path.with_suffix(".sqlite3.partial")
        from django.db import connections

        source = _sqlite_source(settings_dict, connections)
        target = sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            target.close()
    partial.chmod(0o600)  # it holds every person's record
    partial.rename(path)
    return path


def _sqlite_source(settings_dict: dict, connections):
    """The live sqlite3 connection Django uses (an in-memory test database has no file)."""
    for alias in connections:
        connection = connections[alias]
        if connection.settings_dict is settings_dict or (
            connection.vendor == "sqlite"
            and connection.settings_dict["NAME"] == settings_dict["NAME"]
        ):
            connection.ensure_connection()
            return connection.connection
    return sqlite3.connect(settings_dict["NAME"])


def restore(path: Path, settings_dict: dict) -> None:
    """Load a backup into the database `settings_dict` names, replacing what it holds."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}")
    vendor = vendor_of(settings_dict)
    if vendor == "postgresql":
        if path.read_bytes()[:5] != b"PGDMP":
            raise BackupError(f"{path} is not a PostgreSQL custom-format dump")
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={settings_dict['NAME']}",
                str(path),
            ],
            env=_pg_environment(settings_dict),
        )
        return
    with open(path, "rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise BackupError(f"{path} is not an SQLite database")
    from django.db import connections

    connections.close_all()
    source = sqlite3.connect(path)
    target = sqlite3.connect(settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def table_names(cursor, vendor: str) -> list[str]:
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        )
    return [row[0] for row in cursor.fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def row_counts(cursor, vendor: str) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor, vendor):
        cursor.execute(f"SELECT count(*) FROM {_quote(table)}")  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def table_checksums(cursor, vendor: str, tables: Iterable[str] = CHECKSUM_TABLES) -> dict:
    """{table: (rows, digest of every row)} for those of `tables` that exist.

    Each row is hashed in its database's own text form (PostgreSQL's in UTC), so any two
    connections agree whatever types their drivers convert values to.
    """
    existing = set(table_names(cursor, vendor))
    result = {}
    if vendor == "postgresql":
        cursor.execute("SET TIME ZONE 'UTC'")
    for table in tables:
        if table not in existing:
            continue
        if vendor == "postgresql":
            cursor.execute(
                "SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '') "  # noqa: S608 - names from the catalogue
                f"FROM {_quote(table)} t"
            )
            rows, digest = cursor.fetchone()
            result[table] = (rows, digest)
            continue
        hasher = hashlib.sha256()
        rows = 0
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        columns = " || ',' || ".join(f"quote({_quote(c[1])})" for c in cursor.fetchall())
        cursor.execute(f"SELECT {columns} FROM {_quote(table)} ORDER BY 1")  # noqa: S608 - names from the catalogue
        while batch := cursor.fetchmany(5000):
            for (row,) in batch:
                hasher.update(row.encode())
                hasher.update(b"\n")
            rows += len(batch)
        result[table] = (rows, hasher.hexdigest())
    return result
