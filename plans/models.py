"""Support plans: what matters to the person, how they will be supported and what it costs,
how they stay safe, who helped, and the plan's way from a draft to agreed support.

A plan (Care Act 2014 s24-25) costs its lines against a personal budget (budgets.PersonalBudget,
proposed from the eligible assessment's indicative amount). Its status is a django-fsm-2
machine, changed only in plans.actions:

    draft → submitted → returned (with comments) → submitted … → panel → approved → active → ended

Every transition is written to PlanEvent (append-only: who, when, which, why). Editable
records carry `edit_version`, so a concurrent edit is detected, not overwritten.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fields import PenceField
from core.historical import HistoricalRecords
from core.models import AppendOnlyModel, ChoiceLabels, EditVersioned
from core.money import format_pence

from . import domain, rates


class SupportPlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The plans of the people this user may see (the person record's rule)."""
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))

    def open(self):
        return self.filter(status__in=SupportPlan.OPEN)


class SupportPlan(ConcurrentTransitionMixin, EditVersioned, ChoiceLabels):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Sent for approval"
        RETURNED = "returned", "Returned for changes"
        PANEL = "panel", "With the funding panel"
        APPROVED = "approved", "Approved"
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    # A budget has at most one plan on its way (drafted, sent, returned, at the panel, or
    # approved and waiting to start).
    OPEN = (
        Status.DRAFT,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.PANEL,
        Status.APPROVED,
    )
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    class Helper(models.TextChoices):
        SELF = "self", "The person themself"
        FAMILY = "family", "Family"
        FRIEND = "friend", "A friend or neighbour"
        CARER = "carer", "Their unpaid carer"
        ADVOCATE = "advocate", "An independent advocate"
        PRACTITIONER = "practitioner", "A social worker or care manager"
        BROKER = "broker", "A support planner or broker"
        PROVIDER = "provider", "A care provider"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="plans")
    budget = models.ForeignKey(
        "budgets.PersonalBudget",
        on_delete=models.PROTECT,
        related_name="plans",
        help_text="The personal budget the plan is costed against",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = FSMField(max_length=10, choices=Status.choices, default=Status.DRAFT, protected=True)
    over_budget_reason = models.TextField(
        blank=True, help_text="Why the plan costs more than the budget, given when it was sent"
    )
    no_risks = models.BooleanField(
        default=False, help_text="Staying safe was thought about and no particular risks found"
    )
    helpers = models.JSONField(default=list, help_text="Who helped to plan (Helper codes)")
    helpers_detail = models.TextField(blank=True, help_text="Their names, and how they helped")
    authorised_person = models.CharField(
        max_length=200,
        blank=True,
        help_text="Direct payment for someone who lacks capacity for it: who receives it (s32)",
    )
    authorised_person_agreed_on = models.DateField(null=True, blank=True)
    panel_decision = models.ForeignKey(
        "budgets.PanelDecision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True, help_text="When the agreed support starts")
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = SupportPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["person", "-created_at"], name="plan_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["budget"],
                condition=Q(status__in=["draft", "submitted", "returned", "panel", "approved"]),
                name="one_open_plan_per_budget",
            ),
        ]

    def __str__(self):
        return f"Support plan {self.pk} ({self.get_status_display().lower()})"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    # Transitions: called only from plans.actions.

    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.SUBMITTED)
    def _submit(self, user, reason: str):
        self.submitted_by = user
        self.submitted_at = timezone.now()
        self.over_budget_reason = reason

    @transition(field=status, source=[Status.SUBMITTED, Status.PANEL], target=Status.RETURNED)
    def _return(self):
        pass

    @transition(field=status, source=Status.SUBMITTED, target=Status.PANEL)
    def _refer_to_panel(self):
        pass

    @transition(field=status, source=Status.PANEL, target=Status.PANEL)
    def _decide_at_panel(self):
        """Only a plan with the funding panel has a panel decision recorded."""

    @transition(field=status, source=[Status.SUBMITTED, Status.PANEL], target=Status.APPROVED)
    def _approve(self, user, starts_on):
        self.approved_by = user
        self.approved_at = timezone.now()
        self.starts_on = starts_on

    @transition(field=status, source=Status.APPROVED, target=Status.ACTIVE)
    def _activate(self):
        pass

    @transition(
        field=status,
        source=[
            Status.DRAFT,
            Status.SUBMITTED,
            Status.RETURNED,
            Status.PANEL,
            Status.APPROVED,
            Status.ACTIVE,
        ],
        target=Status.ENDED,
    )
    def _end(self, ended_on):
        self.ended_on = ended_on


class PlanOutcome(models.Model):
    """What matters to the person, in their words, and the eligible outcomes it is about."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(help_text="In the person's own words")
    eligible_outcomes = models.JSONField(
        default=list,
        help_text="Codes of the outcomes the eligibility decision found they cannot achieve",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self):
        return self.text[:60]


class PlanLine(ChoiceLabels):
    """One costed line: what, who provides it, how much, how often, paid how."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    service_type = models.CharField(
        "Service type", max_length=30, choices=domain.SERVICE_TYPES, help_text="The CLD list"
    )
    line_type = models.CharField(max_length=20, choices=domain.LINE_TYPES, default="care")
    service = models.CharField(
        "What it buys", max_length=40, choices=rates.CHOICES, default="other"
    )
    description = models.CharField(max_length=500)
    provider_kind = models.CharField(
        max_length=20, choices=domain.PROVIDER_KINDS, default="to_be_arranged"
    )
    provider = models.CharField(max_length=200, blank=True, help_text="Its name, if known")
    carer = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Replacement care: the carer it gives a break to, if they have a record",
    )
    carer_name = models.CharField(
        max_length=200, blank=True, help_text="Replacement care: the carer it gives a break to"
    )
    units = models.DecimalField(max_digits=9, decimal_places=2)
    unit_cost_pence = PenceField()
    reference_rate_pence = PenceField(
        null=True, blank=True, help_text="The council's rate for the service when it was costed"
    )
    frequency = models.CharField(
        max_length=20, choices=[(f.code, f.label) for f in domain.FREQUENCIES]
    )
    funding_stream = models.CharField(
        max_length=20, choices=domain.FUNDING_STREAMS, default="council"
    )
    mode = models.CharField(
        "Way of taking the money", max_length=20, choices=domain.MODES, default="council_managed"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(indexed=["plan"])  # plans.rules: who edited a plan's lines

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="plan_line_units_positive"),
            models.CheckConstraint(
                condition=Q(unit_cost_pence__gt=0), name="plan_line_cost_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="plan_line_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.description} ({format_pence(self.cost.occurrence_pence)})"

    @property
    def unit(self) -> str:
        return rates.unit_of(self.service)

    @cached_property
    def cost(self) -> domain.LineCost:
        return domain.line_cost(self.units, self.unit_cost_pence, self.frequency)

    @property
    def conversion(self) -> str:
        return domain.conversion(
            self.units, self.unit, self.unit_cost_pence, self.frequency, cost=self.cost
        )

    @property
    def units_shown(self) -> str:
        return domain.units_text(self.units)

    @property
    def one_off(self) -> bool:
        return domain.FREQUENCY[self.frequency].one_off

    @property
    def who(self) -> str:
        if self.provider_kind == "personal_assistant":
            if self.provider:
                return f"{self.provider} (personal assistant)"
            return "A personal assistant, to be found"
        if self.provider_kind == "provider" and self.provider:
            return self.provider
        return "To be arranged"

    @property
    def carer_shown(self) -> str:
        if self.carer_id:
            return self.carer.full_name
        return self.carer_name


class PlanRisk(models.Model):
    """Staying safe: a risk, and how it is managed."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="risks")
    position = models.PositiveSmallIntegerField(default=0)
    risk = models.TextField()
    how_managed = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self):
        return self.risk[:60]


class PlanEvent(ChoiceLabels, AppendOnlyModel):
    """One step in a plan's life: who, when, which, and why. Never changed or deleted."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        SUBMITTED = "submitted", "Sent for approval"
        RETURNED = "returned", "Returned for changes"
        REFERRED = "referred", "Sent to the funding panel"
        PANEL = "panel", "Funding panel decided"
        APPROVED = "approved", "Approved"
        ACTIVATED = "activated", "Became active"
        ENDED = "ended", "Ended"

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


class AuthorityLimitQuerySet(models.QuerySet):
    def visible_to(self, user):
        from core.permissions import is_administrator, is_approver, is_commissioner

        if (is_administrator | is_commissioner)(user):
            return self
        if is_approver(user):
            return self.filter(user=user)
        return self.none()


class AuthorityLimit(models.Model):
    """The weekly cost of a plan an approver may approve alone, set by the administrator.
    A plan that costs more goes to the funding panel."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authority_limit"
    )
    weekly_pence = PenceField(help_text="The most a week, in pence")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = AuthorityLimitQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user}: {format_pence(self.weekly_pence)} a week"
