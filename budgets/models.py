"""Personal budgets: what was agreed for a person, and for how long.

For now this holds what the RAS needs: each person's current budget (the cost of the
support they have), used as the sample for calibration and the baseline for modelling.
Support planning, approval and funding streams arrive with their own issue. A budget
goes active → ended (django-fsm-2; transitions in budgets.actions).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from core.fields import PenceField
from core.models import EditVersioned
from core.money import format_pence, from_pence, period_words


class PersonalBudgetQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status=PersonalBudget.Status.ACTIVE)

    def visible_to(self, user):
        """The budgets of the people this user may see."""
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))


class PersonalBudget(ConcurrentTransitionMixin, EditVersioned, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    class Period(models.TextChoices):
        WEEK = "week", "A week"
        YEAR = "year", "A year"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="budgets")
    allocation = models.ForeignKey(
        "allocation.Allocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets",
        help_text="The indicative budget this was agreed from",
    )
    amount_pence = PenceField(help_text="The final amount for each period, in pence")
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.WEEK)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = FSMField(max_length=10, choices=Status.choices, default=Status.ACTIVE, protected=True)
    reason = models.TextField(
        blank=True, help_text="Why the final budget differs from the indicative amount, if it does"
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
                fields=["person"], condition=Q(status="active"), name="one_active_budget_per_person"
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

    @transition(field=status, source=Status.ACTIVE, target=Status.ENDED)
    def _end(self, end_date):
        self.end_date = end_date
