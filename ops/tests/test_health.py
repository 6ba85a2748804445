"""/healthz: the database, the migration state and the task queue, for anyone, without
personal data; 503 when the database cannot be reached."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from ops import health
from people.tests.factories import PersonFactory

from .helpers import UNREACHABLE_POSTGRES, run_python

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_migrations_and_task_queue_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["migrations"] == {"status": "current", "pending": 0}
    assert body["tasks"]["status"] == "ok"
    assert "sessionid" not in response.cookies


def test_healthz_shows_no_personal_data_even_to_a_signed_in_user(client_for, practitioner, team):
    person = PersonFactory(
        team=team,
        first_name="Iris",
        last_name="Marlow",
        nhs_number="9434765919",
        postcode="WX3 6YH",
    )
    body = client_for(practitioner).get("/healthz").content.decode()
    for personal in (
        person.first_name,
        person.last_name,
        person.nhs_number,
        "WX3",
        person.council_person_id,
        practitioner.username,
    ):
        assert personal not in body
    # Counts and states only, in a fixed shape.
    data = json.loads(body)
    assert set(data) == {"status", "database", "migrations", "tasks"}
    assert set(data["tasks"]) == {"status", "ready", "running", "oldest_ready_seconds"}


def test_healthz_says_when_migrations_are_pending(client, monkeypatch):
    known = health._known_migrations() | {("people", "9999_not_applied_yet")}
    monkeypatch.setattr(health, "_known_migrations", lambda: known)
    body = client.get("/healthz").json()
    assert body["migrations"] == {"status": "pending", "pending": 1}
    assert body["status"] == "degraded"


def test_healthz_says_when_no_worker_takes_tasks(client, tmp_path):
    from ops.tests.probe_tasks import probe

    result = probe.enqueue(str(tmp_path / "log"), 1)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(pk=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(hours=1)
    )
    tasks = client.get("/healthz").json()["tasks"]
    assert tasks["status"] == "stalled"
    assert tasks["ready"] == 1
    assert tasks["oldest_ready_seconds"] >= 3600


def test_healthz_answers_503_when_the_database_is_unreachable():
    code = """
import django, json
django.setup()
from django.test import Client
response = Client().get("/healthz")
print(json.dumps([response.status_code, response.json()]))
"""
    result = run_python(code, DATABASE_URL=UNREACHABLE_POSTGRES, DATABASE_CONNECT_TIMEOUT="2")
    assert result.returncode == 0, result.stderr
    status, body = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["database"] == {"status": "unreachable"}
