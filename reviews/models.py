"""Reviews of a person's support, and short-term reablement episodes.

A review (Care Act 2014 s27; statutory guidance chapter 13) is scheduled by reviews.actions
when a plan becomes active or a direct payment starts (the first within 6 months), when a
review is completed (the next within 12 months), or at any time (unplanned). Its status is a
django-fsm-2 machine changed only in reviews.actions:

    scheduled → in_progress → completed
    scheduled / in_progress → cancelled

A reablement episode is short-term support, free for up to six weeks, that can come before
long-term support (reviews/domain.py cites the regulation): open → ended, with its outcome.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.historical import HistoricalRecords
from core.models import EditVersioned

from . import domain


class _VisibleByPerson(models.QuerySet):
    def visible_to(self, user):
        """Those of the people this user may see (the person record's rule)."""
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))


class ReviewQuerySet(_VisibleByPerson):
    def open(self):
        return self.filter(status__in=Review.OPEN)

    def due_for_team(self, team, *, by):
        """Open reviews of the team's people due on or before `by`, soonest first. The review's
        own team (set when scheduled) picks them by index; the person's team confirms them, so
        someone who has moved to another team is never listed here."""
        return (
            self.open()
            .filter(team=team, person__team=team, due_on__lte=by)
            .order_by("due_on", "id")
        )


class Review(ConcurrentTransitionMixin, EditVersioned, models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    class Kind(models.TextChoices):
        FIRST = "first", "First review (within 6 months)"
        ANNUAL = "annual", "Yearly review"
        UNPLANNED = "unplanned", "Unplanned review"

    OPEN = (Status.SCHEDULED, Status.IN_PROGRESS)
    PLANNED = (Kind.FIRST, Kind.ANNUAL)

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="reviews")
    # The person's team when it was scheduled: the due list reads it without a join.
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        "plans.SupportPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="The plan reviewed",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(blank=True, help_text="Why it was scheduled (unplanned: who asked)")
    due_on = models.DateField()
    status = FSMField(
        max_length=12, choices=Status.choices, default=Status.SCHEDULED, protected=True
    )
    ascot = models.JSONField(
        default=dict, blank=True, help_text="ASCOT SCT4 domain code → score 0-3"
    )
    changes = models.TextField(blank=True, help_text="What changes as a result")
    cancel_reason = models.TextField(blank=True)
    reassessment = models.ForeignKey(
        "assessment.Assessment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A reassessment the review started",
    )
    plan_change = models.ForeignKey(
        "plans.SupportPlan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A new plan the review started",
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            # The due list: one team's open reviews by due date (keyset on due_on, id).
            models.Index(
                fields=["team", "due_on", "id"],
                condition=Q(status__in=["scheduled", "in_progress"]),
                name="review_due_open",
            ),
            models.Index(fields=["person", "-due_on"], name="review_person"),
            models.Index(fields=["due_on"], name="review_due_on"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on:%-d %B %Y}"

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.OPEN and self.due_on < today

    @property
    def ascot_score(self) -> int | None:
        return domain.ascot_score(self.ascot)

    @property
    def ascot_rows(self) -> list[tuple[str, int | None, str]]:
        return [
            (label, self.ascot.get(code), domain.ASCOT_LEVEL_LABELS.get(self.ascot.get(code), ""))
            for code, label in domain.ASCOT_DOMAINS
        ]

    # Transitions: called only from reviews.actions.

    @transition(field=status, source=Status.SCHEDULED, target=Status.IN_PROGRESS)
    def _start(self, user):
        self.started_by = user
        self.started_at = timezone.now()

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.COMPLETED)
    def _complete(self, user, on):
        self.completed_by = user
        self.completed_on = on

    @transition(
        field=status, source=[Status.SCHEDULED, Status.IN_PROGRESS], target=Status.CANCELLED
    )
    def _cancel(self, reason):
        self.cancel_reason = reason


class ReviewOutcome(models.Model):
    """How far one of the plan's outcomes was achieved, found at the review."""

    class Rating(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT_ACHIEVED = "not_achieved", "Not achieved"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcomes")
    plan_outcome = models.ForeignKey(
        "plans.PlanOutcome", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(help_text="The outcome, in the person's words")
    rating = models.CharField(max_length=12, choices=Rating.choices)
    comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["review", "id"]

    def __str__(self):
        return f"{self.text[:50]}: {self.get_rating_display().lower()}"


class ReablementQuerySet(_VisibleByPerson):
    pass


class ReablementEpisode(ConcurrentTransitionMixin, EditVersioned, models.Model):
    """Short-term support to regain skills and confidence, free for up to six weeks."""

    class Status(models.TextChoices):
        OPEN = "open", "Under way"
        ENDED = "ended", "Ended"

    class Outcome(models.TextChoices):
        NO_FURTHER = "no_further", "No further support needed"
        LONG_TERM = "long_term", "Long-term support"
        OTHER = "other", "Something else"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="reablement_episodes"
    )
    starts_on = models.DateField()
    planned_end_on = models.DateField(help_text="Free for up to six weeks")
    longer_reason = models.TextField(
        blank=True, help_text="Why it runs longer than six weeks, if it does"
    )
    after_hospital = models.BooleanField(default=False)
    discharged_on = models.DateField(null=True, blank=True, help_text="When they left hospital")
    status = FSMField(max_length=6, choices=Status.choices, default=Status.OPEN, protected=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    outcome_detail = models.TextField(blank=True)
    at_home_after_91_days = models.BooleanField(
        null=True, blank=True, help_text="ASCOF 2B: still at home 91 days after leaving hospital"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = ReablementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["person", "-starts_on"], name="reablement_person")]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end_on__gte=models.F("starts_on")),
                name="reablement_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"Reablement from {self.starts_on:%-d %B %Y}"

    @property
    def days(self) -> int:
        return domain.reablement_days(self.starts_on, self.ended_on or self.planned_end_on)

    @property
    def at_home_check_due(self):
        if not self.after_hospital or self.discharged_on is None:
            return None
        return domain.at_home_check_due(self.discharged_on)

    @transition(field=status, source=Status.OPEN, target=Status.ENDED)
    def _end(self, on, outcome, detail):
        self.ended_on = on
        self.outcome = outcome
        self.outcome_detail = detail
