"""RAS schemes and their versions, and the indicative budget each assessment produced.

A version's questionnaire and allocation rule live in one JSON definition (see
definition.py) so a version can be copied, exported and imported whole, and a live
version cannot drift: it is never edited, only copied to a new draft.
"""

import datetime as dt
from functools import cached_property

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ..domain import definition as ras

KIND_CHOICES = [("person", "Person’s needs"), ("carer", "Carer’s needs")]


class RasScheme(models.Model):
    """A family of versions: the council's RAS for people, or its RAS for carers."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-kind", "name"]  # people's schemes first, then carers'

    def __str__(self):
        return self.name


class PublishError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class RasVersionQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=RasVersion.Status.DRAFT)

    def live_on(self, kind: str, date: dt.date | None = None):
        """The version in force for this kind of assessment on a date (one at most)."""
        date = date or timezone.localdate()
        return (
            self.published()
            .filter(scheme__kind=kind, effective_from__lte=date)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=date))
            .select_related("scheme")
            .order_by("-effective_from")
            .first()
        )


class RasVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Live"
        RETIRED = "retired", "Retired"

    class Origin(models.TextChoices):
        SHIPPED = "shipped", "Shipped with Selfdirect"
        BUILT = "built", "Built in Selfdirect"
        COPIED = "copied", "Copied from another version"
        IMPORTED = "imported", "Imported from a file"
        CALIBRATED = "calibrated", "Calibrated"

    scheme = models.ForeignKey(RasScheme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    label = models.CharField(
        max_length=100, blank=True, help_text="For example, ‘2027/28 proposal’"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    definition = models.JSONField()
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.BUILT)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = RasVersionQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="ras_version_number"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False),
                name="ras_published_has_start",
            ),
        ]

    def __str__(self):
        return f"{self.scheme.name} v{self.number}" + (f" ({self.label})" if self.label else "")

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @cached_property
    def parsed(self) -> ras.Definition:
        return ras.parse(self.definition)

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("parsed", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def compiled(self):
        """The engine's compiled form, cached per saved state of the version."""
        from ..domain import engine

        key = (self.pk, self.updated_at)
        scheme = _COMPILED.get(key)
        if scheme is None:
            scheme = engine.compile_scheme(self.parsed)
            _COMPILED[key] = scheme
            if len(_COMPILED) > 64:
                _COMPILED.pop(next(iter(_COMPILED)))
        return scheme

    def save_definition(self, data: dict, user=None) -> None:
        """Replace a draft's definition after checking it. Live versions never change."""
        if not self.is_draft:
            raise PermissionError(
                "A live or retired version cannot be changed: copy it to a new draft"
            )
        ras.parse(data)  # raises DefinitionError with every problem
        self.definition = data
        self.__dict__.pop("parsed", None)
        self.save()

    def copy_as_draft(
        self, user, *, label: str = "", origin=Origin.COPIED, definition: dict | None = None
    ):
        return RasVersion.new_draft(
            self.scheme,
            user,
            definition=definition or self.definition,
            label=label,
            origin=origin,
            based_on=self,
        )

    @classmethod
    def new_draft(
        cls,
        scheme,
        user,
        *,
        definition: dict,
        label="",
        origin=Origin.BUILT,
        based_on=None,
        notes="",
    ):
        ras.parse(definition)
        with transaction.atomic():
            RasScheme.objects.select_for_update().filter(pk=scheme.pk).first()
            number = (cls.objects.filter(scheme=scheme).aggregate(n=Max("number"))["n"] or 0) + 1
            return cls.objects.create(
                scheme=scheme,
                number=number,
                label=label,
                definition=definition,
                origin=origin,
                based_on=based_on,
                created_by=user,
                notes=notes,
            )

    def latest_model_run(self, completed=True):
        runs = self.model_runs.all()
        if completed:
            runs = runs.filter(status="done")
        return runs.order_by("-finished_at", "-id").first()

    def publication_problems(self, effective_from: dt.date | None) -> list[str]:
        problems = list(ras.publication_problems(self.parsed))
        if not self.is_draft:
            problems.append("Only a draft can be published")
        if self.parsed.kind != self.scheme.kind:
            problems.append("The definition is for a different kind of assessment than the scheme")
        if self.latest_model_run() is None:
            problems.append(
                "Model this version over every current person first: it needs a completed model run"
            )
        if effective_from is None:
            problems.append("Enter the date the version comes into force")
        else:
            clash = (
                RasVersion.objects.published()
                .filter(scheme=self.scheme, effective_from__gte=effective_from)
                .exclude(pk=self.pk)
                .first()
            )
            if clash:
                problems.append(
                    f"{clash} already starts on {clash.effective_from:%-d %B %Y}: choose a later date"
                )
        return problems

    def publish(self, user, effective_from: dt.date) -> None:
        """Make the draft live from a date; the version before it stops the day before."""
        with transaction.atomic():
            locked = RasVersion.objects.select_for_update().get(pk=self.pk)
            problems = locked.publication_problems(effective_from)
            if problems:
                raise PublishError(problems)
            today = timezone.localdate()
            for previous in (
                RasVersion.objects.published()
                .filter(scheme=self.scheme)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=effective_from))
            ):
                previous.effective_to = effective_from - dt.timedelta(days=1)
                if previous.effective_to < today:
                    previous.status = self.Status.RETIRED
                previous.save(update_fields=["effective_to", "status", "updated_at"])
            self.status = self.Status.LIVE
            self.effective_from = effective_from
            self.published_by = user
            self.published_at = timezone.now()
            self.save(
                update_fields=[
                    "status",
                    "effective_from",
                    "published_by",
                    "published_at",
                    "updated_at",
                ]
            )


_COMPILED: dict = {}


class Allocation(models.Model):
    """An assessment's indicative budget: points, amount and the lines that explain it."""

    class Status(models.TextChoices):
        INDICATIVE = "indicative", "Indicative"
        NOT_ELIGIBLE = "not_eligible", "Not eligible: no budget"

    assessment = models.OneToOneField(
        "assessment.Assessment", on_delete=models.PROTECT, related_name="allocation"
    )
    version = models.ForeignKey(RasVersion, on_delete=models.PROTECT, related_name="allocations")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.INDICATIVE)
    need_points = models.IntegerField()
    reduction_percent = models.IntegerField(default=0)
    reduction_points = models.IntegerField(default=0)
    total_points = models.IntegerField()
    exact_amount = models.CharField(max_length=40, help_text="Before rounding to the penny")
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    period = models.CharField(max_length=5, default="week")
    limit = models.CharField(max_length=10, blank=True)
    rule_text = models.CharField(max_length=300)
    lines = models.JSONField()
    calculated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-calculated_at"]

    def __str__(self):
        return f"£{self.amount} a {self.period} ({self.total_points} points)"
