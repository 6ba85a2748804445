"""Tracked background runs: the record, its lifecycle, queueing, running and the reaper.

A run (a model run, a calibration, and later a payment run, an import or a report) is a
row that says what was asked, by whom, and how far the work has got. The work itself is a
django-tasks task on the database backend, which never retries: so each run is its own
business key (running it twice recomputes the same result), and `reap` re-queues a run
whose worker stopped beating. Work done by a worker is recorded against the user who
started the run (`created_by`), through the same actions as any other write.

Each app registers its tasks with `register(task, RunModel)` in its tasks.py (loaded at
start-up by CoreConfig), so the reaper knows every kind of run without a hard-coded map.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from . import context
from .actions import action, audit

logger = logging.getLogger(__name__)

# A running run that has not reported progress for this long is shown as stalled.
STALLED_AFTER = dt.timedelta(seconds=60)


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    DONE = "done", "Finished"
    FAILED = "failed", "Failed"


class TrackedRun(ConcurrentTransitionMixin, models.Model):
    """Abstract: a piece of background work, its progress, and its lifecycle.

    queued → running → done | failed; a running run whose worker died goes back to queued.
    """

    Status = RunStatus

    status = FSMField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED, protected=True
    )
    stage = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    run_label = "Run"

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.run_label} {self.pk}"

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Running, but the worker has not reported for a minute: it has probably stopped."""
        if self.status != RunStatus.RUNNING:
            return False
        beat = self.heartbeat_at or self.started_at
        return beat is None or timezone.now() - beat > STALLED_AFTER

    @property
    def status_label(self) -> str:
        return "Stalled" if self.is_stalled else self.get_status_display()

    # Transitions: called only from the actions below.
    @transition(field=status, source=RunStatus.QUEUED, target=RunStatus.RUNNING)
    def _start(self):
        now = timezone.now()
        self.started_at = self.heartbeat_at = now
        self.error, self.done, self.finished_at = "", 0, None

    @transition(field=status, source=RunStatus.RUNNING, target=RunStatus.DONE)
    def _finish(self):
        self.finished_at = timezone.now()
        self.done = self.total

    @transition(field=status, source=[RunStatus.QUEUED, RunStatus.RUNNING], target=RunStatus.FAILED)
    def _fail(self, message: str):
        self.error, self.finished_at = message, timezone.now()

    @transition(field=status, source=RunStatus.RUNNING, target=RunStatus.QUEUED)
    def _requeue(self):
        self.stage = "Re-queued after the worker stopped"
        self.started_at = None

    def beat(self, stage: str, done: int, total: int) -> None:
        """Record progress (not a change of state) without touching anything else on the row."""
        now = timezone.now()
        self.stage, self.done, self.total, self.heartbeat_at = stage, done, total, now
        type(self).objects.filter(pk=self.pk).update(
            stage=stage, done=done, total=total, heartbeat_at=now
        )


def _name(run) -> str:
    return run._meta.app_label


@action
def start_run(run: TrackedRun, *, acting_user) -> None:
    run._start()
    run.save()
    audit(run, f"{run} started", action_name=f"{_name(run)}.start_run")


@action
def finish_run(run: TrackedRun, *, acting_user, **fields) -> None:
    for name, value in fields.items():
        setattr(run, name, value)
    run._finish()
    run.save()
    audit(run, f"{run} finished", action_name=f"{_name(run)}.finish_run")


@action
def fail_run(run: TrackedRun, message: str, *, acting_user) -> None:
    run._fail(message[:2000])
    run.save()
    audit(run, f"{run} failed: {message[:200]}", action_name=f"{_name(run)}.fail_run")


@action
def requeue_run(run: TrackedRun, *, acting_user=None) -> None:
    run._requeue()
    run.save()
    audit(run, f"{run} re-queued: its worker stopped", action_name=f"{_name(run)}.requeue_run")


# The registry: task module path → the run model its argument names.
_REGISTRY: dict[str, type[TrackedRun]] = {}
_TASKS: dict[type[TrackedRun], object] = {}


def register(task, model: type[TrackedRun]):
    _REGISTRY[task.module_path] = model
    _TASKS[model] = task
    return task


def registered() -> dict[str, type[TrackedRun]]:
    return dict(_REGISTRY)


def enqueue(run: TrackedRun) -> None:
    """Queue the run's task once the run row is committed, and remember the task's id."""
    task = _TASKS[type(run)]

    def send():
        result = task.enqueue(run.pk)
        type(run).objects.filter(pk=run.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


def execute(model: type[TrackedRun], run_id: int, work) -> str:
    """What a registered task does: start the run, do the work, finish or fail it.

    Idempotent by the run's id: a finished run is left alone; a re-queued one is recomputed.
    `work(run)` returns the fields to store on the finished run, or raises RunFailed with a
    message for the page.
    """
    run = model.objects.select_related("created_by").filter(pk=run_id).first()
    if run is None:
        return "missing"
    if run.is_finished:
        return "already finished"
    user = run.created_by
    with context.working_as("worker"):
        start_run(run, acting_user=user)
        try:
            fields = work(run) or {}
        except RunFailed as failure:
            fail_run(_fresh(run), str(failure), acting_user=user)
            return RunStatus.FAILED
        except Exception as error:  # the run records why, for the page to say so
            logger.exception("%s %s failed", model.__name__, run_id)
            fail_run(_fresh(run), f"Something went wrong: {error}", acting_user=user)
            raise
        finish_run(_fresh(run), acting_user=user, **fields)
    return RunStatus.DONE


def _fresh(run: TrackedRun) -> TrackedRun:
    """The run as stored now (progress beats updated it behind the instance's back)."""
    run.refresh_from_db()
    return run


class RunFailed(Exception):
    """The work cannot finish, for a reason the person who started it can act on."""


def reap(stale_after: dt.timedelta | None = None) -> int:
    """Re-queue tasks left RUNNING by a worker that stopped beating for `stale_after`.

    Only runs whose heartbeat is older than the timeout are touched, so a worker that is
    alive and working (on this machine or another) is never interrupted.
    """
    from django_tasks_db.models import DBTaskResult

    stale_after = stale_after if stale_after is not None else settings.TASK_STALE_AFTER
    cutoff = timezone.now() - stale_after
    requeued = 0
    for task in DBTaskResult.objects.filter(status="RUNNING"):
        model = _REGISTRY.get(task.task_path)
        run = model.objects.filter(task_id=str(task.id)).first() if model else None
        beat = (run.heartbeat_at or run.started_at) if run else task.started_at
        if beat is not None and beat >= cutoff:
            continue  # still working: it reported progress recently
        with transaction.atomic():
            changed = DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
                status="READY", started_at=None
            )
            if changed and run is not None and run.status == RunStatus.RUNNING:
                with context.working_as("system"):
                    requeue_run(run, acting_user=None)
        requeued += changed
    return requeued
