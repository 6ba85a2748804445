"""Calibration and model runs: long work done by a background worker, with its progress.

The lifecycle, queueing and reaping are core.jobs.TrackedRun's; each run is its own
business key, so running it twice recomputes the same result.
"""

from django.db import models

from core.fields import PenceField
from core.jobs import TrackedRun
from core.money import from_pence


class RunQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Runs model the whole caseload: only those who manage schemes see them."""
        from ..permissions import manages_ras

        return self if manages_ras(user) else self.none()


class CalibrationRun(TrackedRun):
    """Fit a version's allocation to real package costs and scale it to the envelope."""

    run_label = "Calibration"

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
    envelope_pence = PenceField()
    reserve_percent = models.DecimalField(max_digits=5, decimal_places=2)
    sample_name = models.CharField(max_length=200, blank=True)
    sample = models.JSONField(
        null=True,
        blank=True,
        help_text="An uploaded sample, compactly (allocation/domain/sample.py)",
    )
    result = models.JSONField(null=True, blank=True)
    draft = models.ForeignKey(
        "allocation.RasVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    @property
    def envelope(self):
        return from_pence(self.envelope_pence)


class ModelRun(TrackedRun):
    """What a version would do to everyone: totals, gains and losses, equality breakdowns."""

    run_label = "Model run"

    version = models.ForeignKey(
        "allocation.RasVersion", on_delete=models.PROTECT, related_name="model_runs"
    )
    envelope_pence = PenceField()
    reserve_percent = models.DecimalField(max_digits=5, decimal_places=2)
    review_fall_percent = models.DecimalField(max_digits=5, decimal_places=2, default=10)
    result = models.JSONField(null=True, blank=True)
    review = models.JSONField(
        null=True, blank=True, help_text="People whose budget would fall most"
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    @property
    def envelope(self):
        return from_pence(self.envelope_pence)
