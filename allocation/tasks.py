"""Background tasks. Each is idempotent by its run's id (the business key): a run that
is already finished is left alone, and one that is re-queued is simply recomputed."""

import logging

from django.db import transaction
from django_tasks import task

from . import services
from .models import CalibrationRun, ModelRun

logger = logging.getLogger(__name__)


def _run(model, run_id: int, execute) -> str:
    run = model.objects.filter(pk=run_id).first()
    if run is None:
        return "missing"
    if run.status == run.Status.DONE:
        return "already done"
    try:
        execute(run)
    except Exception as error:  # the run records why, for the page to say so
        logger.exception("%s %s failed", model.__name__, run_id)
        run.fail(f"Something went wrong: {error}")
        raise
    return run.status


@task()
def model_run(run_id: int) -> str:
    return _run(ModelRun, run_id, services.execute_model_run)


@task()
def calibration_run(run_id: int) -> str:
    return _run(CalibrationRun, run_id, services.execute_calibration)


def enqueue(run) -> None:
    """Queue the run's task once the run row is committed, and remember the task's id."""
    task_ = model_run if isinstance(run, ModelRun) else calibration_run

    def send():
        result = task_.enqueue(run.pk)
        type(run).objects.filter(pk=run.pk).update(task_id=str(result.id))

    transaction.on_commit(send)
