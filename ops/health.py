"""What /healthz reports: the database, the migration state and the task queue.

No personal data and no settings: counts and states only. The migration files are read
once per process (they do not change while it runs); each check then costs three short
queries.
"""

import threading

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

_lock = threading.Lock()
_migrations_on_disk: frozenset | None = None


def _known_migrations() -> frozenset:
    global _migrations_on_disk
    with _lock:
        if _migrations_on_disk is None:
            loader = MigrationLoader(None, ignore_no_migrations=True)
            _migrations_on_disk = frozenset(loader.graph.nodes)
        return _migrations_on_disk


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"status": "ok", "vendor": connection.vendor}


def _migrations() -> dict:
    applied = set(MigrationRecorder(connection).applied_migrations())
    pending = sorted(f"{app}.{name}" for app, name in _known_migrations() - applied)
    return {"status": "pending" if pending else "current", "pending": len(pending)}


def _tasks() -> dict:
    from django.db.models import Count, Min, Q
    from django_tasks_db.models import DBTaskResult

    ready = Q(status="READY")
    counts = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).aggregate(
        ready=Count("id", filter=ready),
        running=Count("id", filter=Q(status="RUNNING")),
        oldest_ready=Min("enqueued_at", filter=ready),
    )
    oldest = counts["oldest_ready"]
    waiting = (timezone.now() - oldest).total_seconds() if oldest else 0
    # A task waiting longer than a run may go quiet means no worker is taking tasks.
    stalled = waiting > settings.TASK_STALE_AFTER.total_seconds()
    return {
        "status": "stalled" if stalled else "ok",
        "ready": counts["ready"],
        "running": counts["running"],
        "oldest_ready_seconds": round(waiting),
    }


def report() -> tuple[dict, int]:
    """The health report and its HTTP status: 503 only when the database cannot be reached."""
    try:
        database = _database()
    except DatabaseError:
        return {
            "status": "unavailable",
            "database": {"status": "unreachable"},
            "migrations": {"status": "unknown"},
            "tasks": {"status": "unknown"},
        }, 503
    body = {"status": "ok", "database": database}
    for name, check in (("migrations", _migrations), ("tasks", _tasks)):
        try:
            body[name] = check()
        except DatabaseError:
            body[name] = {"status": "error"}
    if any(body[name]["status"] not in ("ok", "current") for name in ("migrations", "tasks")):
        body["status"] = "degraded"
    return body, 200
