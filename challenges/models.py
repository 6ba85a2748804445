"""Budget letters and challenges to budget and plan decisions.

A **budget letter** (Care Act 2014 s25(1)(e) and s26: the person is told their personal
budget in writing; statutory guidance 11.22-11.28: how it was worked out) is printed from the
agreed plan. Every letter issued is recorded (`BudgetLetter`, append-only): when, by whom and
the amount it told the person.

A **challenge** is the person (or their representative) disputing a budget or plan decision,
in their own words. The Care Act route is the council's complaints procedure under the Local
Authority Social Services and National Health Service Complaints (England) Regulations 2009
(SI 2009/309): acknowledged (reg. 13), investigated and answered in writing with its
conclusions (reg. 14). Care and Support Statutory Guidance ch. 11 asks that a personal budget be
transparent and open to challenge. Its status is a django-fsm-2 machine,
changed only in challenges.actions:

    received → assigned → upheld / partly upheld / not upheld
    received or assigned → withdrawn
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.fields import PenceField
from core.historical import HistoricalRecords
from core.models import AppendOnlyModel, EditVersioned
from core.money import format_pence, period_words

# The regulations set no fixed period for the answer (reg. 14 lets it be agreed with the
# person); the council's standard is 20 working days from receipt.
RESPONSE_WORKING_DAYS = 20


class BudgetLetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))


class BudgetLetter(AppendOnlyModel):
    """One budget letter issued: never changed; a new letter is a new row."""

    plan = models.ForeignKey("plans.SupportPlan", on_delete=models.PROTECT, related_name="letters")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    budget = models.ForeignKey(
        "budgets.PersonalBudget", on_delete=models.PROTECT, related_name="letters"
    )
    amount_pence = PenceField(help_text="The final amount the letter told the person")
    period = models.CharField(max_length=5)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    objects = BudgetLetterQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"Budget letter {self.issued_at:%-d %B %Y}: {self.amount_text}"

    @property
    def amount_text(self) -> str:
        return f"{format_pence(self.amount_pence)} {period_words(self.period)}"


class ChallengeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The challenges of the people this user may see (the person record's rule)."""
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))

    def open(self):
        return self.filter(status__in=Challenge.OPEN)

    def overdue(self, on=None):
        return self.open().filter(respond_by__lt=on or timezone.localdate())


class Challenge(ConcurrentTransitionMixin, EditVersioned, models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        ASSIGNED = "assigned", "Being looked at"
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = (Status.RECEIVED, Status.ASSIGNED)
    OUTCOMES = (Status.UPHELD, Status.PARTLY_UPHELD, Status.NOT_UPHELD)

    class About(models.TextChoices):
        BUDGET = "budget", "The amount of the personal budget"
        PLAN = "plan", "A decision about the support plan"

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="challenges")
    plan = models.ForeignKey(
        "plans.SupportPlan", on_delete=models.PROTECT, related_name="challenges"
    )
    budget = models.ForeignKey(
        "budgets.PersonalBudget", on_delete=models.PROTECT, related_name="challenges"
    )
    about = models.CharField(max_length=10, choices=About.choices)
    decision_text = models.CharField(
        max_length=300, help_text="The decision challenged, as it stood when the challenge came in"
    )
    decision_maker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who made the decision challenged: they may not decide the challenge",
    )
    words = models.TextField(help_text="What the person disagrees with, in their own words")
    wanted = models.TextField(blank=True, help_text="What they would like to happen")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_on = models.DateField(default=timezone.localdate)
    respond_by = models.DateField()
    status = FSMField(
        max_length=10, choices=Status.choices, default=Status.RECEIVED, protected=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True, help_text="The reasons for the outcome")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        ordering = ["respond_by", "id"]
        indexes = [models.Index(fields=["status", "respond_by"], name="challenge_open_due")]

    def __str__(self):
        return f"Challenge {self.pk} ({self.get_status_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_decided(self) -> bool:
        return self.status in self.OUTCOMES

    def is_overdue(self, on=None) -> bool:
        return self.is_open and self.respond_by < (on or timezone.localdate())

    # Transitions: called only from challenges.actions.

    @transition(field=status, source=[Status.RECEIVED, Status.ASSIGNED], target=Status.ASSIGNED)
    def _assign(self, user):
        self.assigned_to = user
        self.assigned_at = timezone.now()

    @transition(field=status, source=Status.ASSIGNED, target=Status.UPHELD)
    def _uphold(self):
        pass

    @transition(field=status, source=Status.ASSIGNED, target=Status.PARTLY_UPHELD)
    def _partly_uphold(self):
        pass

    @transition(field=status, source=Status.ASSIGNED, target=Status.NOT_UPHELD)
    def _not_uphold(self):
        pass

    @transition(field=status, source=[Status.RECEIVED, Status.ASSIGNED], target=Status.WITHDRAWN)
    def _withdraw(self):
        self.withdrawn_at = timezone.now()
