"""Several task workers share one PostgreSQL: each task is claimed with SKIP LOCKED and runs once."""

import subprocess
import sys
from collections import Counter
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from .helpers import BASE_DIR, django_env
from .probe_tasks import probe

TASKS = 24
WORKERS = 2


def _database_url(settings_dict) -> str:
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}:{password}@{host}:{port}/{settings_dict['NAME']}"


@pytest.mark.django_db
def test_a_worker_claims_a_task_with_skip_locked():
    probe.enqueue("/dev/null", 1)
    with CaptureQueriesContext(connection) as queries:
        DBTaskResult.objects.ready().get_locked()
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "postgresql":
        assert "FOR UPDATE SKIP LOCKED" in sql


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_never_run_the_same_task_twice(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite takes one worker; CI runs this on PostgreSQL")
    log = tmp_path / "runs.log"
    log.touch()
    ids = {str(probe.enqueue(str(log), WORKERS).id) for _ in range(TASKS)}
    env = django_env(DATABASE_URL=_database_url(connection.settings_dict))
    command = [
        sys.executable,
        str(BASE_DIR / "manage.py"),
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--interval=0",
        "--no-reload",
        "--verbosity=0",
    ]
    workers = [
        subprocess.Popen([*command, f"--worker-id=test-{n}"], cwd=BASE_DIR, env=env)  # noqa: S603
        for n in range(WORKERS)
    ]
    for worker in workers:
        assert worker.wait(timeout=180) == 0

    runs = [line.split() for line in log.read_text().splitlines()]
    per_task = Counter(task_id for task_id, _pid in runs)
    assert set(per_task) == ids
    assert set(per_task.values()) == {1}, "a task ran more than once"
    assert len({pid for _task, pid in runs}) == WORKERS, "the workers did not share the queue"
    results = DBTaskResult.objects.filter(id__in=ids)
    assert Counter(results.values_list("status", flat=True)) == {"SUCCESSFUL": TASKS}
    assert all(len(r.worker_ids) == 1 for r in results)
