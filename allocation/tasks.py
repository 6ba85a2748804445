"""Background tasks: each runs a tracked run (core.jobs), idempotent by the run's id."""

from django_tasks import task

from core import jobs

from . import services
from .models import CalibrationRun, ModelRun


@task()
def model_run(run_id: int) -> str:
    return jobs.execute(ModelRun, run_id, services.execute_model_run)


@task()
def calibration_run(run_id: int) -> str:
    return jobs.execute(CalibrationRun, run_id, services.execute_calibration)


jobs.register(model_run, ModelRun)
jobs.register(calibration_run, CalibrationRun)
