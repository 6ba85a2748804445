"""Assessments: a person's (or a carer's) answers to the RAS questionnaire, and the
eligibility decision a practitioner records against the Care Act outcomes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from simple_history.models import HistoricalRecords

from core.models import EditVersioned


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assessments of the people this user may see: the same rule as the person record."""
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))

    def current(self):
        return self.filter(is_current=True)


class Assessment(ConcurrentTransitionMixin, EditVersioned, models.Model):
    """A needs or carer's assessment: in progress → submitted → completed (django-fsm-2).

    Transitions are called only from assessment.actions."""

    class Kind(models.TextChoices):
        PERSON = "person", "Needs assessment"
        CARER = "carer", "Carer’s assessment"

    class Mode(models.TextChoices):
        SELF = "self", "Self-assessment"
        SUPPORTED = "supported", "Supported assessment"

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"
        COMPLETED = "completed", "Completed"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    status = FSMField(
        max_length=12, choices=Status.choices, default=Status.IN_PROGRESS, protected=True
    )
    version = models.ForeignKey(
        "allocation.RasVersion", on_delete=models.PROTECT, related_name="assessments"
    )
    answers = models.JSONField(default=dict, help_text="Question code → option code")
    cared_for = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carer_assessments",
        help_text="For a carer's assessment: the person they care for",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    declaration_name = models.CharField(max_length=200, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    is_current = models.BooleanField(
        default=False, help_text="The person's latest completed assessment of this kind"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["person", "kind", "-started_at"], name="assessment_person")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(is_current=True),
                name="one_current_assessment",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.person} ({self.get_status_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.SUBMITTED)
    def _submit(self, user, declaration_name: str):
        self.submitted_by = user
        self.submitted_at = timezone.now()
        self.declaration_name = declaration_name

    @transition(field=status, source=[Status.SUBMITTED, Status.COMPLETED], target=Status.COMPLETED)
    def _complete(self, user):
        self.completed_by = user
        self.completed_at = timezone.now()
        self.is_current = True

    def unanswered(self) -> list[str]:
        return [q.code for q in self.version.parsed.questions if q.code not in self.answers]


class EligibilityDecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(assessment__in=Assessment.objects.visible_to(user))


class EligibilityDecision(models.Model):
    """The practitioner's decision against the Care Act outcomes, with reasons."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="eligibility"
    )
    arises_from_condition = models.BooleanField()
    health_at_risk = models.BooleanField(default=False, help_text="Carers only")
    unable_outcomes = models.JSONField(default=list)
    outcome_notes = models.JSONField(default=dict)
    significant_impact = models.BooleanField()
    eligible = models.BooleanField()
    reasons = models.TextField(
        help_text="The practitioner's reasons, in words the person understands"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = EligibilityDecisionQuerySet.as_manager()

    def __str__(self):
        return "Eligible" if self.eligible else "Not eligible"
