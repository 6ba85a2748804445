"""Calibration and model runs: long work done by a background worker, with its progress.

The lifecycle, queueing and reaping are core.jobs.TrackedRun's; each run is its own
business key, so running it twice recomputes the same result.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.fields import PenceField
from core.historical import HistoricalRecords
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
    flag_margin_percent = models.DecimalField(
        "Flag a group whose change differs from everyone’s by more than",
        max_digits=5,
        decimal_places=2,
        default=5,
        help_text="Percentage points between the change in a group’s total and everyone’s",
    )
    result = models.JSONField(null=True, blank=True)
    # Stored by column (`ReviewList`): a review list can name tens of thousands of people.
    review_columns = models.JSONField(
        null=True, blank=True, db_column="review", help_text="People whose budget would fall most"
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    @property
    def envelope(self):
        return from_pence(self.envelope_pence)

    @property
    def review(self) -> "ReviewList | list":
        """The people whose budget would fall most, worst first, each a dict
        {"person_id", "ref", "team", "current", "proposed", "change_percent"}."""
        stored = self.review_columns
        if not isinstance(stored, dict):
            return stored or []  # a run stored before the review list was kept by column
        cached = getattr(self, "_review", None)
        if cached is None or cached.stored is not stored:
            cached = self._review = ReviewList(stored)
        return cached

    @property
    def flags(self) -> list[dict]:
        """The groups this run flagged, each {"group", "label"} (in the page's order)."""
        return list((self.result or {}).get("flags", []))

    def justifications_by_group(self) -> dict[tuple[str, str], "GroupJustification"]:
        return {(j.group, j.label): j for j in self.justifications.all()}

    def unjustified_flags(self) -> list[dict]:
        """Flagged groups with no written justification yet (publishing waits for them)."""
        written = {(j.group, j.label) for j in self.justifications.all() if j.justification.strip()}
        return [f for f in self.flags if (f["group"], f["label"]) not in written]


def pence_text(pence: int) -> str:
    """Whole pence as an API amount, without going through Decimal: 125050 -> '1250.50',
    -5 -> '-0.05'."""
    whole, part = divmod(abs(pence), 100)
    return f"{'-' if pence < 0 else ''}{whole}.{part:02d}"


class ReviewList:
    """A model run's review list, stored by column, each row one person:

        {"person_id": "4,9,…", "ref": ["P0000004", …], "team": "0,1,…", "teams": [names],
         "current_pence": "12500,…", "proposed_pence": "9900,…"}

    Whole numbers are written as one comma-separated string a column, and each team as its
    place in "teams": saving a run with 30,000 people to review is then a small write, not
    a JSON value of 150,000 items. Read as a list of dicts, made when a row is asked for (a
    page shows 200 of them)."""

    NUMBERS = ("person_id", "team", "current_pence", "proposed_pence")

    def __init__(self, stored: dict):
        self.stored = stored
        self._columns: dict | None = None

    @classmethod
    def encode(cls, person_ids, refs, teams, current_pence, proposed_pence) -> dict:
        """The stored form (JSON) of these rows, each argument a list in the rows' order."""
        names = list(dict.fromkeys(teams))
        index = {name: i for i, name in enumerate(names)}
        numbers = {
            "person_id": person_ids,
            "team": [index[name] for name in teams],
            "current_pence": current_pence,
            "proposed_pence": proposed_pence,
        }
        return {
            **{name: ",".join(map(str, values)) for name, values in numbers.items()},
            "ref": list(refs),
            "teams": names,
        }

    @property
    def columns(self) -> dict:
        if self._columns is None:
            stored = self.stored
            columns = {
                name: [int(v) for v in stored[name].split(",")] if stored[name] else []
                for name in self.NUMBERS
            }
            teams = stored["teams"]
            columns["team"] = [teams[i] for i in columns["team"]]
            columns["ref"] = stored["ref"]
            self._columns = columns
        return self._columns

    def __len__(self) -> int:
        return len(self.stored["ref"])

    def __bool__(self) -> bool:
        return len(self) > 0

    def _row(self, i: int) -> dict:
        c = self.columns
        now, then = c["current_pence"][i], c["proposed_pence"][i]
        return {
            "person_id": c["person_id"][i],
            "ref": c["ref"][i],
            "team": c["team"][i],
            "current": pence_text(now),
            "proposed": pence_text(then),
            "change_percent": round((then - now) * 100 / now, 1) if now else None,
        }

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._row(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._row(index)

    def __iter__(self):
        return (self._row(i) for i in range(len(self)))


class EqualityAssessment(models.Model):
    """The commissioner's own words on a model run's equality impact: what the figures mean for
    people with each protected characteristic and what the council will do (s149's "due
    regard", written down). It goes into the draft equality impact assessment.

    Written only through allocation.actions.write_equality_assessment; kept in history.
    """

    run = models.OneToOneField(
        ModelRun, on_delete=models.CASCADE, related_name="equality_assessment"
    )
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    def __str__(self):
        return f"Equality assessment of {self.run}"


class GroupJustification(models.Model):
    """Why a flagged group's different change is justified: a proportionate means of achieving
    a legitimate aim (Equality Act 2010 s19(2)(d)), written before the version is published.

    Written only through allocation.actions.justify_group; each change is kept in history.
    """

    run = models.ForeignKey(ModelRun, on_delete=models.CASCADE, related_name="justifications")
    group = models.CharField(max_length=100)
    label = models.CharField(max_length=200)
    justification = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "label"]
        constraints = [
            models.UniqueConstraint(fields=["run", "group", "label"], name="one_justification")
        ]

    def __str__(self):
        return f"{self.group}: {self.label}"
