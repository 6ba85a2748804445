"""Tracked runs: the registry, the worker's audit trail, stalled runs and the reaper."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from allocation import actions
from allocation.models import CalibrationRun, ModelRun, RasVersion
from core import jobs
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    return UserFactory(role=Role.COMMISSIONER)


def queued_run(commissioner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.start_model_run(
            RasVersion.objects.live_on("person"),
            acting_user=commissioner,
            envelope=Decimal("1000000"),
            reserve_percent=Decimal("5"),
            review_fall_percent=Decimal("10"),
        )


def test_every_kind_of_run_is_registered_with_its_task():
    registered = jobs.registered()
    assert registered["allocation.tasks.model_run"] is ModelRun
    assert registered["allocation.tasks.calibration_run"] is CalibrationRun


def test_work_done_by_the_worker_is_recorded_against_the_user_who_started_it(
    commissioner, run_tasks, django_capture_on_commit_callbacks
):
    run = queued_run(commissioner, django_capture_on_commit_callbacks)
    run_tasks()
    run.refresh_from_db()
    assert run.status == "done"
    events = AuditEvent.objects.for_record(run).order_by("id")
    assert [(e.action, e.actor, e.via) for e in events] == [
        ("allocation.start_model_run", commissioner, "system"),
        ("allocation.start_run", commissioner, "worker"),
        ("allocation.finish_run", commissioner, "worker"),
    ]


def test_a_running_run_that_stops_beating_shows_as_stalled_within_a_minute(
    commissioner, django_capture_on_commit_callbacks
):
    run = queued_run(commissioner, django_capture_on_commit_callbacks)
    jobs.start_run(run, acting_user=commissioner)
    assert not run.is_stalled
    ModelRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - dt.timedelta(seconds=61)
    )
    run.refresh_from_db()
    assert run.is_stalled and run.status_label == "Stalled"


def _running(run, task_id, beat_ago):
    DBTaskResult.objects.filter(pk=task_id).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(hours=1)
    )
    jobs.start_run(run, acting_user=run.created_by)
    ModelRun.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - beat_ago)


def test_the_reaper_requeues_only_runs_whose_heartbeat_is_older_than_the_timeout(
    commissioner, django_capture_on_commit_callbacks
):
    fresh = queued_run(commissioner, django_capture_on_commit_callbacks)
    stale = queued_run(commissioner, django_capture_on_commit_callbacks)
    fresh.refresh_from_db()
    stale.refresh_from_db()
    _running(fresh, fresh.task_id, dt.timedelta(minutes=2))
    _running(stale, stale.task_id, dt.timedelta(minutes=11))
    assert jobs.reap(dt.timedelta(minutes=10)) == 1
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.status, stale.status) == ("running", "queued")
    assert DBTaskResult.objects.get(pk=stale.task_id).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.task_id).status == "RUNNING"
    requeued = AuditEvent.objects.for_record(stale).get(action="allocation.requeue_run")
    assert requeued.actor is None


def test_reap_tasks_as_make_run_calls_it_leaves_a_live_worker_alone(
    commissioner, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    run = queued_run(commissioner, django_capture_on_commit_callbacks)
    run.refresh_from_db()
    _running(run, run.task_id, dt.timedelta(minutes=2))
    call_command("reap_tasks", verbosity=0)  # as `make run` does at start-up
    run.refresh_from_db()
    assert run.status == "running"
