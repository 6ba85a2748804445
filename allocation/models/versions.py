"""RAS schemes and their versions, and the indicative budget each assessment produced.

A version's questionnaire and allocation rule live in one JSON definition (see
definition.py) so a version can be copied, exported and imported whole, and a live
version cannot drift: it is never edited, only copied to a new draft.
"""

import datetime as dt
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fields import PenceField
from core.historical import HistoricalRecords
from core.models import EditVersioned
from core.money import format_pence, from_pence, period_words

from ..domain import definition as ras


class PointsField(models.DecimalField):
    """Points: whole, or with two decimal places (a scheme may score 2.5 points). Stored
    exactly as a decimal; read back as an int when whole, so "14 points" reads as before."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        return _points(value)

    def to_python(self, value):
        return _points(super().to_python(value))


def _points(value):
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else value.normalize()


KIND_CHOICES = [("person", "Person’s needs"), ("carer", "Carer’s needs")]


class RasSchemeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Schemes are public policy: anyone signed in may read them."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self


class RasScheme(models.Model):
    """A family of versions: the council's RAS for people, or its RAS for carers."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=KIND_CHOICES)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = RasSchemeQuerySet.as_manager()

    class Meta:
        ordering = ["-kind", "name"]  # people's schemes first, then carers'

    def __str__(self):
        return self.name


class RasVersionQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=RasVersion.Status.DRAFT)

    def visible_to(self, user):
        """Live and retired versions are public policy: anyone signed in may read them.
        Drafts are work in progress: only those who manage schemes see them."""
        from ..permissions import manages_ras

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self if manages_ras(user) else self.published()

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


class RasVersion(ConcurrentTransitionMixin, EditVersioned, models.Model):
    """One version of a scheme: draft → live → retired (django-fsm-2; transitions in actions)."""

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
    status = FSMField(max_length=10, choices=Status.choices, default=Status.DRAFT, protected=True)
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
        return ras.parse_cached(self.definition)

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("parsed", None)
        super().refresh_from_db(*args, **kwargs)

    @property
    def compiled(self):
        """The engine's compiled form, cached per saved state of the version (and, for a
        version with cost-rate answers, per reference rates in force today, which price them)."""
        from ..domain import engine
        from .rates import ReferenceRate

        rates = ReferenceRate.objects.in_force() if self.parsed.services else None
        key = (self.pk, self.updated_at, tuple(sorted(rates.items())) if rates else None)
        scheme = _COMPILED.get(key)
        if scheme is None:
            scheme = engine.compile_scheme(self.parsed, rates=rates)
            _COMPILED[key] = scheme
            if len(_COMPILED) > 64:
                _COMPILED.pop(next(iter(_COMPILED)))
        return scheme

    def latest_model_run(self, completed=True):
        runs = self.model_runs.all()
        if completed:
            runs = runs.filter(status="done")
        return runs.order_by("-finished_at", "-id").first()

    # Transitions: called only from allocation.actions, which checks the business rules.
    @transition(field=status, source=Status.DRAFT, target=Status.LIVE)
    def _publish(self, user, effective_from: dt.date):
        self.effective_from = effective_from
        self.published_by = user
        self.published_at = timezone.now()

    @transition(field=status, source=Status.LIVE, target=Status.RETIRED)
    def _retire(self):
        pass


_COMPILED: dict = {}


class AllocationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The indicative budgets of the people this user may see."""
        from assessment.models import Assessment

        return self.filter(assessment__in=Assessment.objects.visible_to(user))


class Allocation(ConcurrentTransitionMixin, models.Model):
    """An assessment's indicative budget: points, amount and the lines that explain it.

    indicative ⇄ not eligible, as the eligibility decision says (transitions in
    assessment.actions).
    """

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional estimate: eligibility not yet decided"
        INDICATIVE = "indicative", "Indicative"
        NOT_ELIGIBLE = "not_eligible", "Not eligible: no budget"

    assessment = models.OneToOneField(
        "assessment.Assessment", on_delete=models.PROTECT, related_name="allocation"
    )
    version = models.ForeignKey(RasVersion, on_delete=models.PROTECT, related_name="allocations")
    status = FSMField(
        max_length=15, choices=Status.choices, default=Status.PROVISIONAL, protected=True
    )
    need_points = PointsField()
    reduction_percent = models.IntegerField(default=0)
    reduction_points = PointsField(default=0)
    total_points = PointsField()
    exact_amount = models.CharField(max_length=40, help_text="Before rounding to the penny")
    amount_pence = PenceField(
        null=True, blank=True, help_text="None: the points fall in a band with no indicative amount"
    )
    no_amount_words = models.TextField(
        blank=True, help_text="A band with no indicative amount: its words for the person"
    )
    period = models.CharField(max_length=5, default="week")
    carer_amount_pence = PenceField(
        null=True,
        blank=True,
        help_text="The carer's own amount (carer_allocation); None: none, or no carer part",
    )
    carer_period = models.CharField(
        max_length=5,
        blank=True,
        help_text="The carer's amount's period; blank when the version gives the carer no "
        "amount of their own, or nobody helps",
    )
    limit = models.CharField(max_length=10, blank=True)
    rule_text = models.CharField(max_length=300)
    lines = models.JSONField()
    at_maximum = models.BooleanField(default=False)
    costed_plan_route = models.JSONField(
        default=list,
        help_text="Codes of the questions whose answers send the person to a costed plan",
    )
    calculated_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["-calculated_at"]

    def __str__(self):
        if self.amount_pence is None:
            return f"No indicative amount ({self.total_points} points)"
        return f"{format_pence(self.amount_pence)} {period_words(self.period)} ({self.total_points} points)"

    @property
    def amount(self) -> Decimal | None:
        return None if self.amount_pence is None else from_pence(self.amount_pence)

    @property
    def period_words(self) -> str:
        return period_words(self.period)

    @property
    def has_carer_part(self) -> bool:
        """The version gives the person helping an amount of their own (informal support
        method carer_allocation) and someone helps, whether or not it comes to an amount
        (a band may give none, or the person helping cannot go on)."""
        return bool(self.carer_period)

    @property
    def carer_amount(self) -> Decimal | None:
        return None if self.carer_amount_pence is None else from_pence(self.carer_amount_pence)

    @property
    def carer_period_words(self) -> str:
        return period_words(self.carer_period)

    @property
    def has_amount(self) -> bool:
        """False when the points fall in a band with no indicative amount (not £0)."""
        return self.amount_pence is not None

    @property
    def shows_money(self) -> bool:
        """No money is shown for needs found not eligible (s13; issue: no amount anywhere)."""
        return self.status != self.Status.NOT_ELIGIBLE

    @property
    def is_provisional(self) -> bool:
        return self.status == self.Status.PROVISIONAL

    @transition(field=status, source="*", target=Status.INDICATIVE)
    def _found_eligible(self):
        pass

    @transition(field=status, source="*", target=Status.NOT_ELIGIBLE)
    def _found_not_eligible(self):
        pass
