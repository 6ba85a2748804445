"""Assessments: a person's (or a carer's) answers to the RAS questionnaire, and the
eligibility decision a practitioner records against the Care Act outcomes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from core.historical import HistoricalRecords
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
    # The answers packed against the version for a model run's bulk read (allocation.population
    # .pack_answers), kept by save(); None when the version cannot hold them all.
    packed_answers = models.BinaryField(null=True, blank=True, editable=False)
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
    history = HistoricalRecords(excluded_fields=["updated_at", "packed_answers"])

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

    def save(self, *args, **kwargs):
        """Keep the packed answers in step with the answers and the version they are on."""
        from allocation.population import pack_answers

        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"answers", "version", "version_id"} & set(update_fields):
            self.packed_answers = pack_answers(self.version.compiled, self.answers)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "packed_answers"}
        super().save(*args, **kwargs)

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
        """The questions the answers so far lead to that have no answer yet (a conditional
        question that is not asked is not required)."""
        return [
            q.code for q in self.version.parsed.asked(self.answers) if q.code not in self.answers
        ]


class CapacityAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))

    def latest_for(self, person, decision: str):
        return self.filter(person=person, decision=decision).order_by("-assessed_on", "-id").first()


class EligibilityDecisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(assessment__in=Assessment.objects.visible_to(user))


class EligibilityDecision(models.Model):
    """The practitioner's decision against the Care Act outcomes, with its evidence and reasons.

    One a completed assessment; changing it needs a reason, and the earlier decision stays in
    the history (django-simple-history). assessment/domain.py holds the rules.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.PROTECT, related_name="eligibility"
    )
    arises_from_condition = models.BooleanField()
    health_at_risk = models.BooleanField(
        default=False,
        help_text="Carers only: their physical or mental health is, or is at risk of, deteriorating",
    )
    unable_outcomes = models.JSONField(default=list)
    outcome_evidence = models.JSONField(
        default=dict,
        help_text="Outcome code → {ways: [...], note: str, met_by_carer: bool}",
    )
    wellbeing_areas = models.JSONField(default=list, help_text="Areas of s1(2) affected")
    fluctuates = models.BooleanField(default=False)
    fluctuation_period = models.CharField(
        max_length=200, blank=True, help_text="The period their circumstances were considered over"
    )
    significant_impact = models.BooleanField()
    eligible = models.BooleanField()
    reasons = models.TextField(
        help_text="The practitioner's reasons, in words the person understands"
    )
    advice_topics = models.JSONField(
        default=list, help_text="Not eligible: the advice and information given (s13(5))"
    )
    advice = models.TextField(
        blank=True, help_text="Not eligible: written advice on preventing or delaying needs"
    )
    change_reason = models.TextField(blank=True, help_text="Why an earlier decision was changed")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = EligibilityDecisionQuerySet.as_manager()

    def __str__(self):
        return "Eligible" if self.eligible else "Not eligible"

    def evidence_for(self, code: str) -> dict:
        return (self.outcome_evidence or {}).get(code, {})


class CapacityAssessment(models.Model):
    """A Mental Capacity Act 2005 assessment for one decision at one time (MCA s2-3).

    Capacity is decision-specific: a person may be able to ask for a supported
    self-assessment and not be able to manage a direct payment. Recorded against the person,
    newest first; the latest for a decision is the one that counts.
    """

    class Decision(models.TextChoices):
        TAKE_PART = "take_part", "Taking part in a needs assessment"
        REQUEST_SUPPORTED_SELF = (
            "request_supported_self",
            "Asking for a self-assessment supported by a representative",
        )
        DIRECT_PAYMENT = "direct_payment", "Managing a direct payment"
        SUPPORT_PLAN = "support_plan", "Agreeing their support plan"
        FINANCES = "finances", "Managing their money and financial assessment"

    class Outcome(models.TextChoices):
        HAS_CAPACITY = "has_capacity", "Has capacity to make this decision"
        LACKS_CAPACITY = "lacks_capacity", "Lacks capacity to make this decision"

    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="capacity_assessments"
    )
    decision = models.CharField(max_length=30, choices=Decision.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    impairment = models.BooleanField(
        help_text="Is there an impairment of, or disturbance in the functioning of, the mind or brain?"
    )
    understands = models.BooleanField(
        help_text="Can they understand the information relevant to the decision?"
    )
    retains = models.BooleanField(help_text="Can they retain that information?")
    weighs = models.BooleanField(help_text="Can they use or weigh it as part of deciding?")
    communicates = models.BooleanField(
        help_text="Can they communicate their decision, by any means?"
    )
    notes = models.TextField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = CapacityAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]
        indexes = [
            models.Index(fields=["person", "decision", "-assessed_on"], name="capacity_latest")
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.get_outcome_display().lower()}"
