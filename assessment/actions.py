"""Every write to an assessment: starting, answering, submitting, scoring and deciding.

Views stay thin and call these; each runs in one transaction (core.actions), so nothing
is saved half-done, and every change lands in the assessment's history and the audit
trail. The assessment's lifecycle (in progress → submitted → completed) is a state
machine on the model; only these actions move it.
"""

from django.utils import timezone

from allocation.domain import engine
from allocation.domain.explanation import line_json
from allocation.models import Allocation, RasVersion
from core.actions import ActionError, action, audit, because
from core.concurrency import lock_at_version
from core.money import to_pence
from core.rules import check_all

from . import domain, rules
from .models import Assessment, EligibilityDecision


class AssessmentError(ActionError):
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


@action
def start_assessment(person, *, kind: str, mode: str, acting_user, cared_for=None) -> Assessment:
    """Open an assessment, or return the one already open: a person has one open at a time."""
    open_one = (
        Assessment.objects.select_for_update()
        .filter(person=person, kind=kind, status=Assessment.Status.IN_PROGRESS)
        .first()
    )
    if open_one:
        audit(open_one, "Returned to the assessment already in progress", person=person)
        return open_one
    because("Started")
    assessment = Assessment.objects.create(
        person=person,
        kind=kind,
        mode=mode,
        version=live_version(kind),
        started_by=acting_user,
        cared_for=cared_for,
    )
    audit(assessment, f"Started a {assessment.get_mode_display().lower()}", person=person)
    return assessment


def _check_answer(assessment: Assessment, question_code: str, option_code: str):
    question = assessment.version.parsed.question(question_code)
    if question is None:
        raise AssessmentError(f"There is no question {question_code!r} in this assessment")
    option = question.option(option_code)
    if option is None:
        raise AssessmentError(f"Select one of the answers to ‘{question.text}’")
    return question, option


@action
def record_answer(
    assessment: Assessment,
    question_code: str,
    option_code: str,
    *,
    acting_user,
    reason: str = "",
) -> None:
    """Save one answer. After submission only staff may change answers, and only with a reason."""
    record_answers(assessment, {question_code: option_code}, acting_user=acting_user, reason=reason)


@action
def record_answers(
    assessment: Assessment,
    answers: dict[str, str],
    *,
    acting_user,
    reason: str = "",
    expected_version=None,
) -> list[str]:
    """Save several answers at once (a page of them, or an import); returns the codes changed.

    With `expected_version`, refuse (EditConflict) if someone changed the assessment since.
    """
    options = {code: _check_answer(assessment, code, value)[1] for code, value in answers.items()}
    locked = lock_at_version(assessment, expected_version)
    check_all(rules.ANSWER_RULES, locked, user=acting_user, reason=reason)
    changed = [code for code, value in answers.items() if locked.answers.get(code) != value]
    if not changed:
        audit(locked, f"Kept the answers to {', '.join(answers)[:200]}", person=locked.person)
        return []
    locked.answers = {**locked.answers, **{code: answers[code] for code in changed}}
    locked.edit_version += 1
    because(reason.strip() or ("Answered" if locked.is_open else "Changed"))
    locked.save()
    verb = "Answered" if locked.is_open else "Changed the answer to"
    audit(
        locked,
        "; ".join(f"{verb} {code}: {options[code].code}" for code in changed)[:300],
        person=locked.person,
    )
    if hasattr(locked, "allocation"):
        _score(locked)
    assessment.refresh_from_db()
    return changed


@action
def move_to_live_version(assessment: Assessment, *, acting_user) -> bool:
    """If the scheme changed while the assessment was open, move it to the live version,
    keeping the answers that still mean something. Returns whether it moved."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    version = live_version(locked.kind)
    if not locked.is_open or version.pk == locked.version_id:
        audit(locked, "Checked the assessment is on the live scheme", person=locked.person)
        return False
    locked.version = version
    locked.answers = {
        code: option
        for code, option in locked.answers.items()
        if version.parsed.question(code) and version.parsed.question(code).option(option)
    }
    because(f"Moved to {version}, the scheme now in force")
    locked.save()
    audit(locked, f"Moved to {version}, the scheme now in force", person=locked.person)
    assessment.refresh_from_db()
    return True


@action
def submit_assessment(assessment: Assessment, *, acting_user, declaration_name: str) -> Allocation:
    """Declaration made: score the answers with the live scheme and give the indicative amount."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_all((rules.NotAlreadySubmitted,), locked)
    if locked.version_id != live_version(locked.kind).pk:
        raise AssessmentError("The scheme has changed: check the answers again, then submit")
    missing = locked.unanswered()
    if missing:
        raise UnansweredQuestions(missing)
    locked._submit(acting_user, declaration_name.strip())
    because("Submitted with the declaration")
    locked.save()
    audit(locked, "Submitted with the declaration", person=locked.person)
    allocation = _score(locked)
    assessment.refresh_from_db()
    return allocation


def submit(assessment: Assessment, *, acting_user, declaration_name: str) -> Allocation:
    """Move to the live scheme if it changed (kept even if questions are then missing), then
    submit; raise UnansweredQuestions naming what still needs an answer."""
    check_all((rules.NotAlreadySubmitted,), assessment)
    move_to_live_version(assessment, acting_user=acting_user)
    return submit_assessment(assessment, acting_user=acting_user, declaration_name=declaration_name)


def _score(assessment: Assessment) -> Allocation:
    """(Re)calculate the indicative budget from the answers, keeping the old one in history.

    Called inside the actions above, which write the audit row."""
    version = assessment.version
    explanation = engine.explain(version.compiled, assessment.answers)
    fields = {
        "version": version,
        "need_points": explanation.need_points,
        "reduction_percent": explanation.reduction_percent,
        "reduction_points": explanation.reduction_points,
        "total_points": explanation.total_points,
        "exact_amount": format(explanation.exact_amount, "f"),
        "amount_pence": to_pence(explanation.amount),
        "period": explanation.period,
        "limit": explanation.limit or "",
        "rule_text": explanation.rule_text,
        "lines": [line_json(line) for line in explanation.lines],
        "calculated_at": timezone.now(),
    }
    allocation = Allocation.objects.filter(assessment=assessment).first()
    if allocation is None:
        allocation = Allocation.objects.create(assessment=assessment, **fields)
    else:
        for name, value in fields.items():
            setattr(allocation, name, value)
        allocation.save()
    audit(
        allocation,
        f"Indicative amount {explanation.amount} {explanation.period} from {explanation.total_points} points",
        person=assessment.person,
    )
    return allocation


@action
def decide_eligibility(
    assessment: Assessment,
    *,
    acting_user,
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
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_all((rules.SubmittedBeforeDecision,), locked)
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
            "decided_by": acting_user,
            "decided_at": timezone.now(),
        },
    )
    for older in Assessment.objects.filter(
        person=locked.person, kind=locked.kind, is_current=True
    ).exclude(pk=locked.pk):
        older.is_current = False
        because("Replaced by a newer assessment")
        older.save()
    outcome = "eligible" if result.eligible else "not eligible"
    locked._complete(acting_user)
    because(f"Eligibility decided: {outcome}")
    locked.save()
    allocation = Allocation.objects.filter(assessment=locked).first() or _score(locked)
    if result.eligible:
        allocation._found_eligible()
    else:
        allocation._found_not_eligible()
    allocation.save()
    audit(decision, f"Decided: {outcome}", person=locked.person)
    assessment.refresh_from_db()
    return decision
