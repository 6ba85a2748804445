"""Re-queue background tasks whose worker died (the database backend never retries)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from allocation.models import CalibrationRun, ModelRun

RUNS = {"allocation.tasks.model_run": ModelRun, "allocation.tasks.calibration_run": CalibrationRun}


class Command(BaseCommand):
    help = "Re-queue tasks left RUNNING by a worker that stopped; their runs are recomputed from scratch."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-minutes",
            type=int,
            default=int(settings.TASK_STALE_AFTER.total_seconds() // 60),
            help="Re-queue a task when its run has not reported progress for this long",
        )

    def handle(self, *args, stale_minutes, **options):
        requeued = reap(timezone.timedelta(minutes=stale_minutes))
        self.stdout.write(f"Re-queued {requeued} stale task(s).")


def reap(stale_after) -> int:
    cutoff = timezone.now() - stale_after
    requeued = 0
    for task in DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff):
        model = RUNS.get(task.task_path)
        run = model.objects.filter(task_id=str(task.id)).first() if model else None
        beat = run.heartbeat_at if run and run.heartbeat_at else task.started_at
        if beat and beat >= cutoff:
            continue  # still working: its run reported progress recently
        DBTaskResult.objects.filter(pk=task.pk, status="RUNNING").update(
            status="READY", started_at=None
        )
        if run and not run.is_finished:
            type(run).objects.filter(pk=run.pk).update(
                status="queued", stage="Re-queued after the worker stopped"
            )
        requeued += 1
    return requeued
