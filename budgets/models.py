"""Personal budgets: what was agreed for a person, and for how long.

For now this holds what the RAS needs: each person's current budget (the cost of the
support they have), used as the sample for calibration and the baseline for modelling.
Support planning, approval and funding streams arrive with their own issue.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class PersonalBudgetQuerySet(models.QuerySet):
    def current(self):
        return self.filter(status=PersonalBudget.Status.ACTIVE)


class PersonalBudget(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="budgets")
    allocation = models.ForeignKey(
        "allocation.Allocation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="budgets",
        help_text="The indicative budget this was agreed from",
    )
    weekly_amount = models.DecimalField(max_digits=10, decimal_places=2)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    reason = models.TextField(
        blank=True, help_text="Why the final budget differs from the indicative amount, if it does"
    )
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
            models.CheckConstraint(condition=Q(weekly_amount__gte=0), name="budget_not_negative"),
        ]

    def __str__(self):
        return f"£{self.weekly_amount} a week from {self.start_date}"
