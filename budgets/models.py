"""Personal budgets: what was agreed for a person, where the money comes from, how the person
takes it, and the reserve that pays for budgets above what the RAS gives.

A budget starts *proposed* from an eligible assessment (its indicative amount), becomes
*active* when its support plan is approved (the final amount, with its funding streams and
the ways the money is taken, each adding up to it), and *ended* when replaced or stopped
(django-fsm-2; transitions only in budgets.actions). Statutory guidance ch. 11 (personal
budgets) and ch. 12 (direct payments).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from allocation.domain import rates as rate_catalogue
from core.fields import PenceField
from core.historical import HistoricalRecords
from core.models import AppendOnlyModel, ChoiceLabels, EditVersioned
from core.money import format_pence, from_pence, period_words


class PersonalBudgetQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status=PersonalBudget.Status.ACTIVE)

    def for_person(self):
        return self.filter(kind=PersonalBudget.Kind.PERSON)

    def for_carer(self):
        return self.filter(kind=PersonalBudget.Kind.CARER)

    def visible_to(self, user):
        """The budgets of the people this user may see."""
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))


class PersonalBudget(ConcurrentTransitionMixin, EditVersioned, ChoiceLabels):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed: waiting for the support plan to be agreed"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    class Period(models.TextChoices):
        WEEK = "week", "A week"
        YEAR = "year", "A year"
        ONCE = "once", "One-off"

    class Kind(models.TextChoices):
        PERSON = "person", "For the person’s own needs"
        CARER = "carer", "As a carer"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="budgets")
    allocation = models.ForeignKey(
        "allocation.Allocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets",
        help_text="The indicative budget this was agreed from",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    amount_pence = PenceField(help_text="The final amount for each period, in pence")
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.WEEK)
    one_off_pence = PenceField(
        default=0,
        help_text=(
            "One-off costs agreed with a weekly budget's plan (equipment, a short break), paid "
            "once beside the weekly amount"
        ),
    )
    indicative_pence = PenceField(
        null=True, blank=True, help_text="The RAS amount it started from (same period)"
    )
    costed_plan = models.BooleanField(
        default=False,
        help_text="The RAS sent the person to a costed plan: the plan's cost sets the budget",
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = FSMField(max_length=10, choices=Status.choices, default=Status.ACTIVE, protected=True)
    reason = models.TextField(
        blank=True, help_text="Why the final budget differs from the indicative amount, if it does"
    )
    panel_decision = models.ForeignKey(
        "budgets.PanelDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets",
    )
    review_flagged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When something happened that means it must be looked at again",
    )
    review_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PersonalBudgetQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(status="active"),
                name="one_active_budget_per_person",
            ),
            models.CheckConstraint(condition=Q(amount_pence__gte=0), name="budget_not_negative"),
        ]

    def __str__(self):
        return (
            f"{format_pence(self.amount_pence)} {period_words(self.period)} from {self.start_date}"
        )

    @property
    def amount(self) -> Decimal:
        return from_pence(self.amount_pence)

    @property
    def above_indicative_pence(self) -> int:
        if self.indicative_pence is None:
            return 0
        return max(0, self.amount_pence - self.indicative_pence)

    @transition(field=status, source=Status.PROPOSED, target=Status.ACTIVE)
    def _activate(self):
        pass

    @transition(field=status, source=[Status.ACTIVE, Status.PROPOSED], target=Status.ENDED)
    def _end(self, end_date):
        self.end_date = end_date


class FundingStream(models.Model):
    """Where part of a budget's money comes from. A budget's streams add up to it."""

    class Stream(models.TextChoices):
        COUNCIL = "council", "The council"
        CONTRIBUTION = "contribution", "The person’s own contribution"
        NHS_JOINT = "nhs_joint", "NHS: joint funding"
        NHS_CHC = "nhs_chc", "NHS continuing healthcare"
        S117 = "s117", "Aftercare under section 117 of the Mental Health Act"
        CARERS = "carers", "Carers’ funding"

    budget = models.ForeignKey(PersonalBudget, on_delete=models.CASCADE, related_name="streams")
    stream = models.CharField(max_length=20, choices=Stream.choices)
    amount_pence = PenceField()
    one_off = models.BooleanField(
        default=False, help_text="Part of the budget's one-off costs, not its period amount"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "one_off", "stream"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "stream", "one_off"], name="one_row_per_stream_and_once"
            )
        ]

    def __str__(self):
        return f"{self.get_stream_display()}: {format_pence(self.amount_pence)}"


class ManagementShare(models.Model):
    """How part of a budget is taken: a direct payment, managed by the council, or held by a
    provider as an individual service fund. A budget's shares add up to it."""

    class Mode(models.TextChoices):
        DIRECT_PAYMENT = "direct_payment", "Direct payment"
        COUNCIL_MANAGED = "council_managed", "Managed by the council"
        ISF = "isf", "Individual service fund"

    budget = models.ForeignKey(PersonalBudget, on_delete=models.CASCADE, related_name="shares")
    mode = models.CharField(max_length=20, choices=Mode.choices)
    amount_pence = PenceField()
    provider = models.CharField(
        max_length=200, blank=True, help_text="Individual service fund: the provider holding it"
    )
    authorised_person = models.CharField(
        max_length=200,
        blank=True,
        help_text="Direct payment for someone who lacks capacity for it: who receives it (s32)",
    )
    authorised_person_agreed_on = models.DateField(null=True, blank=True)
    one_off = models.BooleanField(
        default=False, help_text="Part of the budget's one-off costs, not its period amount"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["budget", "mode"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "mode", "one_off"], name="one_row_per_mode_and_once"
            )
        ]

    def __str__(self):
        return f"{self.get_mode_display()}: {format_pence(self.amount_pence)}"


class DirectPaymentOffer(models.Model):
    """The offer of a direct payment (Care Act s31-32; guidance 12.2), and the answer."""

    class Outcome(models.TextChoices):
        TAKEN_UP = "taken_up", "Taken up"
        DECLINED = "declined", "Declined"

    budget = models.ForeignKey(PersonalBudget, on_delete=models.CASCADE, related_name="dp_offers")
    offered_on = models.DateField()
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    reason = models.TextField(blank=True, help_text="Why it was declined, in the person's words")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-offered_on", "-id"]

    def __str__(self):
        return f"Direct payment offered {self.offered_on}: {self.get_outcome_display().lower()}"


class PanelThreshold(models.Model):
    """Above this weekly amount over the indicative one, a funding panel decides (set by an
    administrator, with the date it applies from)."""

    weekly_pence = PenceField()
    effective_from = models.DateField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_from", "-id"]

    def __str__(self):
        return f"{format_pence(self.weekly_pence)} a week from {self.effective_from}"


class PanelDecision(ChoiceLabels):
    """A funding panel's decision on an amount above what the RAS gives (or a costed plan)."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed"
        PARTLY = "partly", "Agreed in part"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="panel_decisions"
    )
    requested_pence = PenceField(
        help_text="The amount asked for, a week (or a year for yearly budgets)"
    )
    agreed_pence = PenceField()
    period = models.CharField(max_length=5, default="week")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"Panel {self.get_outcome_display().lower()}: {format_pence(self.agreed_pence)}"


class ReserveQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.permissions import is_administrator, is_approver, is_commissioner

        allowed = is_commissioner | is_approver | is_administrator
        return self if allowed(user) else self.none()

    def for_date(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day).first()


class Reserve(models.Model):
    """The money held back, for one financial year, for people the RAS does not give a
    workable budget: envelope × reserve %, set when a scheme is calibrated. Drawn by panel
    decisions and costed plans above the RAS amount; every draw is listed."""

    financial_year = models.CharField(max_length=7, unique=True, help_text="For example 2026/27")
    starts_on = models.DateField()
    ends_on = models.DateField()
    opening_pence = PenceField()
    source = models.CharField(max_length=300, help_text="How the opening amount was set")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    objects = ReserveQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]

    def __str__(self):
        return f"Reserve {self.financial_year}"

    @property
    def drawn_pence(self) -> int:
        return self.draws.aggregate(total=models.Sum("amount_pence"))["total"] or 0

    @property
    def balance_pence(self) -> int:
        return self.opening_pence - self.drawn_pence


class ReserveDraw(AppendOnlyModel):
    """One draw on the reserve (a year's cost of the amount above the RAS). Never edited or
    deleted: a correction is a reversing draw (a negative amount) with its reason."""

    class Kind(models.TextChoices):
        PANEL = "panel", "Funding panel decision"
        COSTED_PLAN = "costed_plan", "Costed plan above the RAS amount"
        REVERSAL = "reversal", "Correction of an earlier draw"

    reserve = models.ForeignKey(Reserve, on_delete=models.PROTECT, related_name="draws")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(
        PersonalBudget,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserve_draws",
    )
    panel_decision = models.ForeignKey(
        PanelDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="draws"
    )
    amount_pence = PenceField(allow_negative=True, help_text="For the rest of the financial year")
    reason = models.TextField()
    override_reason = models.TextField(
        blank=True, help_text="Why a draw that takes the reserve below zero was allowed"
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-drawn_at", "-id"]

    def __str__(self):
        return f"{format_pence(self.amount_pence)} from the {self.reserve}"


class PackageServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The services in the budgets of the people this user may see."""
        return self.filter(budget__in=PersonalBudget.objects.visible_to(user))


class PackageService(models.Model):
    """One service in the package of support a budget pays for: so many units a week (hours,
    days, nights, weeks, meals) at a unit cost. A budget's weekly amount is the sum of its
    services' weekly costs. The demo council's budgets are built this way
    (demo/needs.py); support plans will add their own lines with their own issue."""

    budget = models.ForeignKey(PersonalBudget, on_delete=models.PROTECT, related_name="services")
    service = models.CharField(max_length=40, choices=rate_catalogue.CHOICES)
    units_a_week = models.DecimalField(max_digits=8, decimal_places=2)
    unit_cost_pence = PenceField()
    weekly_pence = PenceField(help_text="Units a week × unit cost, to the penny")
    history = HistoricalRecords()

    objects = PackageServiceQuerySet.as_manager()

    class Meta:
        ordering = ["budget", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(units_a_week__gt=0), name="package_service_has_units"
            ),
        ]

    def __str__(self):
        info = rate_catalogue.BY_CODE[self.service]
        return (
            f"{info.label}: {self.units_a_week} {info.units} a week at "
            f"{format_pence(self.unit_cost_pence)} ({format_pence(self.weekly_pence)} a week)"
        )
