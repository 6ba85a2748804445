"""Calibration and model runs: long work done by a background worker, with its progress.

The database task backend never retries and leaves a killed task RUNNING, so each run
is its own business key: running it twice recomputes the same result, and the reaper
(`manage.py reap_tasks`) re-queues a run whose worker stopped beating.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TrackedRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
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

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def beat(self, stage: str, done: int, total: int) -> None:
        """Record progress without touching anything else on the row."""
        now = timezone.now()
        self.stage, self.done, self.total, self.heartbeat_at = stage, done, total, now
        type(self).objects.filter(pk=self.pk).update(
            stage=stage, done=done, total=total, heartbeat_at=now
        )

    def start(self) -> None:
        now = timezone.now()
        self.status, self.started_at, self.heartbeat_at = self.Status.RUNNING, now, now
        self.error, self.done, self.finished_at = "", 0, None
        self.save(
            update_fields=["status", "started_at", "heartbeat_at", "error", "done", "finished_at"]
        )

    def finish(self, **fields) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        self.status, self.finished_at = self.Status.DONE, timezone.now()
        self.done = self.total
        self.save()

    def fail(self, message: str) -> None:
        self.status, self.error, self.finished_at = self.Status.FAILED, message, timezone.now()
        self.save(update_fields=["status", "error", "finished_at"])


class CalibrationRun(TrackedRun):
    """Fit a version's allocation to real package costs and scale it to the envelope."""

    class Source(models.TextChoices):
        DATABASE = "database", "Current people with budgets"
        CSV = "csv", "An uploaded CSV file"

    class Method(models.TextChoices):
        OLS = "ols", "Least squares with a fixed amount"
        OLS0 = "ols0", "Least squares, no fixed amount"
        LAD = "lad", "Robust: least absolute deviation"
        BANDS = "bands", "Bands fitted from the data"

    version = models.ForeignKey(
        "allocation.RasVersion", on_delete=models.PROTECT, related_name="calibration_runs"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    method = models.CharField(max_length=10, choices=Method.choices)
    band_count = models.PositiveSmallIntegerField(default=10)
    envelope = models.DecimalField(max_digits=14, decimal_places=2)
    reserve_percent = models.DecimalField(max_digits=5, decimal_places=2)
    sample_name = models.CharField(max_length=200, blank=True)
    sample = models.JSONField(null=True, blank=True, help_text="Rows of an uploaded sample")
    result = models.JSONField(null=True, blank=True)
    draft = models.ForeignKey(
        "allocation.RasVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Calibration {self.pk} of {self.version}"


class ModelRun(TrackedRun):
    """What a version would do to everyone: totals, gains and losses, equality breakdowns."""

    version = models.ForeignKey(
        "allocation.RasVersion", on_delete=models.PROTECT, related_name="model_runs"
    )
    envelope = models.DecimalField(max_digits=14, decimal_places=2)
    reserve_percent = models.DecimalField(max_digits=5, decimal_places=2)
    review_fall_percent = models.DecimalField(max_digits=5, decimal_places=2, default=10)
    result = models.JSONField(null=True, blank=True)
    review = models.JSONField(
        null=True, blank=True, help_text="People whose budget would fall most"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Model run {self.pk} of {self.version}"
