"""What happens to an assessment: starting, answering, submitting, agreeing and deciding.

Views stay thin and call these; each one changes the record in a single transaction so
nothing is saved half-done, and every change lands in the assessment's history.
"""

from django.db import transaction
from django.utils import timezone

from allocation.domain import engine
from allocation.domain.explanation import line_json
from allocation.models import Allocation, RasVersion

from . import domain
from .models import Assessment, EligibilityDecision


class AssessmentError(Exception):
    """Something the person can fix; the message says what, in words."""


class NoLiveScheme(AssessmentError):
    pass


class UnansweredQuestions(AssessmentError):
    def __init__(self, codes: list[str]):
        super().__init__(f"{len(codes)} question(s) still need an answer")
        self.codes = codes


def live_version(kind: str) -> RasVersion:
    version = RasVersion.objects.live_on(kind)
    if version is None:
        raise NoLiveScheme(
            "There is no live scheme for this kind of assessment. Ask a commissioner to publish one."
        )
    return version


def start(person, *, kind: str, mode: str, user, cared_for=None) -> Assessment:
    """Open an assessment, or return the one already open: a person has one open at a time."""
    with transaction.atomic():
        open_one = (
            Assessment.objects.select_for_update()
            .filter(person=person, kind=kind, status=Assessment.Status.IN_PROGRESS)
            .first()
        )
        if open_one:
            return open_one
        return Assessment.objects.create(
            person=person,
            kind=kind,
            mode=mode,
            version=live_version(kind),
            started_by=user,
            cared_for=cared_for,
        )


def _check_answer(assessment: Assessment, question_code: str, option_code: str):
    question = assessment.version.parsed.question(question_code)
    if question is None:
        raise AssessmentError(f"There is no question {question_code!r} in this assessment")
    option = question.option(option_code)
    if option is None:
        raise AssessmentError(f"Select one of the answers to ‘{question.text}’")
    return question, option


def record_answer(
    assessment: Assessment, question_code: str, option_code: str, *, user, reason: str = ""
) -> None:
    """Save one answer. After submission only staff may change answers, and only with a reason."""
    _check_answer(assessment, question_code, option_code)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_open:
            if not user.is_council_staff:
                raise AssessmentError(
                    "This assessment has been submitted, so its answers cannot be changed here"
                )
            if not reason.strip():
                raise AssessmentError("Enter why you are changing this answer")
        if locked.answers.get(question_code) == option_code:
            return
        locked.answers = {**locked.answers, question_code: option_code}
        locked._change_reason = reason.strip() or ("Answered" if locked.is_open else "Changed")
        locked.save()
        if hasattr(locked, "allocation"):
            score(locked)
    assessment.refresh_from_db()


def submit(assessment: Assessment, *, user, declaration_name: str) -> Allocation:
    """Declaration made: score the answers with the live scheme and give the indicative amount."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_open:
            raise AssessmentError("This assessment has already been submitted")
        version = live_version(locked.kind)
        if version.pk != locked.version_id:
            # The scheme changed while the assessment was open: keep the answers that still
            # mean something, and ask for the rest (the switch is kept even if some are missing).
            locked.version = version
            locked.answers = {
                code: option
                for code, option in locked.answers.items()
                if version.parsed.question(code) and version.parsed.question(code).option(option)
            }
            locked._change_reason = f"Moved to {version}, the scheme now in force"
            locked.save()
        missing = locked.unanswered()
    if missing:
        assessment.refresh_from_db()
        raise UnansweredQuestions(missing)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_open:
            raise AssessmentError("This assessment has already been submitted")
        locked.status = Assessment.Status.SUBMITTED
        locked.submitted_by = user
        locked.submitted_at = timezone.now()
        locked.declaration_name = declaration_name.strip()
        locked._change_reason = "Submitted with the declaration"
        locked.save()
        allocation = score(locked)
    assessment.refresh_from_db()
    return allocation


def score(assessment: Assessment) -> Allocation:
    """(Re)calculate the indicative budget from the answers, keeping the old one in history."""
    version = assessment.version
    explanation = engine.explain(version.compiled, assessment.answers)
    fields = {
        "version": version,
        "need_points": explanation.need_points,
        "reduction_percent": explanation.reduction_percent,
        "reduction_points": explanation.reduction_points,
        "total_points": explanation.total_points,
        "exact_amount": format(explanation.exact_amount, "f"),
        "amount": explanation.amount,
        "period": explanation.period,
        "limit": explanation.limit or "",
        "rule_text": explanation.rule_text,
        "lines": [line_json(line) for line in explanation.lines],
        "calculated_at": timezone.now(),
    }
    allocation = Allocation.objects.filter(assessment=assessment).first()
    if allocation is None:
        return Allocation.objects.create(assessment=assessment, **fields)
    for name, value in fields.items():
        setattr(allocation, name, value)
    allocation.save()
    return allocation


def decide_eligibility(
    assessment: Assessment,
    *,
    user,
    arises_from_condition: bool,
    unable: list[str],
    significant_impact: bool,
    health_at_risk: bool = False,
    reasons: str,
    notes: dict | None = None,
) -> EligibilityDecision:
    """Record the Care Act decision; it completes the assessment and settles the budget's status."""
    result = domain.decide(
        assessment.kind,
        arises_from_condition=arises_from_condition,
        unable=set(unable),
        significant_impact=significant_impact,
        health_at_risk=health_at_risk,
    )
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status == Assessment.Status.IN_PROGRESS:
            raise AssessmentError("Submit the assessment before deciding eligibility")
        decision, _ = EligibilityDecision.objects.update_or_create(
            assessment=locked,
            defaults={
                "arises_from_condition": arises_from_condition,
                "health_at_risk": health_at_risk,
                "unable_outcomes": sorted(unable),
                "outcome_notes": notes or {},
                "significant_impact": significant_impact,
                "eligible": result.eligible,
                "reasons": reasons.strip(),
                "decided_by": user,
                "decided_at": timezone.now(),
            },
        )
        Assessment.objects.filter(person=locked.person, kind=locked.kind, is_current=True).exclude(
            pk=locked.pk
        ).update(is_current=False)
        locked.status = Assessment.Status.COMPLETED
        locked.completed_by = user
        locked.completed_at = timezone.now()
        locked.is_current = True
        locked._change_reason = "Eligibility decided: " + (
            "eligible" if result.eligible else "not eligible"
        )
        locked.save()
        allocation = Allocation.objects.filter(assessment=locked).first() or score(locked)
        allocation.status = (
            Allocation.Status.INDICATIVE if result.eligible else Allocation.Status.NOT_ELIGIBLE
        )
        allocation.save(update_fields=["status"])
    assessment.refresh_from_db()
    return decision
