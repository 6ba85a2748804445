"""Every write to an assessment: starting, answering, submitting, scoring and deciding.

Views stay thin and call these; each runs in one transaction (core.actions), so nothing
is saved half-done, and every change lands in the assessment's history and the audit
trail. The assessment's lifecycle (in progress → submitted → completed) is a state
machine on the model; only these actions move it.
"""

from types import SimpleNamespace

from django.utils import timezone

from allocation.domain import engine
from allocation.domain.definition import decided_unable
from allocation.domain.explanation import line_json
from allocation.models import Allocation, RasVersion
from core.actions import ActionError, action, audit, because
from core.concurrency import lock_at_version
from core.money import to_pence
from core.rules import BusinessRuleViolation, Problem, check_all

from . import domain, rules
from .models import Assessment, CapacityAssessment, EligibilityDecision


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
    """Open an assessment, or return the one already open: a person has one open at a time.

    A representative may lead a self-assessment only when the person can ask for one
    (ASM-REP-CAPACITY); a carer's assessment names whom they care for.
    """
    if mode == Assessment.Mode.SELF:
        check_all((rules.RepresentativeLedNeedsCapacityToRequest,), person, user=acting_user)
    else:
        check_all(
            (rules.CarersAssessmentNamesWhomTheyCareFor,), person, kind=kind, cared_for=cared_for
        )
    open_one = (
        Assessment.objects.select_for_update()
        .filter(person=person, kind=kind, status=Assessment.Status.IN_PROGRESS)
        .first()
    )
    if open_one:
        audit(open_one, "Returned to the assessment already in progress", person=person)
        return open_one
    if kind == "carer" and cared_for is not None:
        _link_carer(person, cared_for, acting_user=acting_user)
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


def _link_carer(carer, cared_for, *, acting_user) -> None:
    """A carer's assessment links the two records (people.CaringRelationship), once."""
    from people.actions import record_caring_relationship
    from people.models import CaringRelationship

    linked = CaringRelationship.objects.filter(
        carer=carer, cared_for=cared_for, ended__isnull=True
    ).exists()
    if not linked:
        record_caring_relationship(carer, cared_for, timezone.localdate(), acting_user=acting_user)


def _check_answer(assessment: Assessment, question_code: str, option_code: str):
    question = assessment.version.parsed.question(question_code)
    if question is None:
        raise AssessmentError(f"There is no question {question_code!r} in this assessment")
    if question.multiple:
        # a list of option codes (empty: none of them), as one answer for the record
        chosen = question.chosen(option_code)
        if chosen is None:
            raise AssessmentError(f"Select from the answers to ‘{question.text}’")
        return question, SimpleNamespace(code=", ".join(o.code for o in chosen) or "none")
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
    clashes = engine.contradictions(locked.version.compiled, {**locked.answers, **answers})
    if clashes:
        raise BusinessRuleViolation(
            [Problem("ASM-CONTRADICTORY-ANSWERS", clash["message"]) for clash in clashes]
        )
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


def _score(assessment: Assessment, unable_outcomes: frozenset[str] | None = None) -> Allocation:
    """(Re)calculate the indicative budget from the answers, keeping the old one in history.

    Before the eligibility decision every need counts and the amount is a provisional
    estimate; after it, only the needs linked to outcomes the person was found unable to
    achieve count (Care Act s26: the personal budget is for eligible needs). Called inside
    the actions above."""
    version = assessment.version
    decision = getattr(assessment, "eligibility", None)
    if unable_outcomes is None and decision is not None and decision.eligible:
        unable_outcomes = frozenset(decision.unable_outcomes)
    if unable_outcomes is not None:
        # A carer's health at risk counts as an unmet need too (Eligibility Regs reg 3(1)(b)(i)).
        unable_outcomes = decided_unable(
            assessment.kind,
            unable_outcomes,
            health_at_risk=bool(decision and decision.health_at_risk),
        )
    person = assessment.person
    explanation = engine.explain(
        version.compiled,
        assessment.answers,
        unable_outcomes=unable_outcomes,
        # A version with money tables by group chooses the person's from their record.
        person={
            "age": person.age(),
            "primary_support_reason": person.primary_support_reason,
            "client_type": person.client_type,
        },
    )
    fields = {
        "version": version,
        "need_points": explanation.need_points,
        "reduction_percent": explanation.reduction_percent,
        "reduction_points": explanation.reduction_points,
        "total_points": explanation.total_points,
        "exact_amount": ""
        if explanation.exact_amount is None
        else format(explanation.exact_amount, "f"),
        "amount_pence": None if explanation.amount is None else to_pence(explanation.amount),
        "no_amount_words": explanation.no_amount_words,
        "period": explanation.period,
        # The carer's own amount (carer_allocation), kept beside the person's, never in it.
        "carer_amount_pence": None
        if explanation.carer is None or explanation.carer.amount is None
        else to_pence(explanation.carer.amount),
        "carer_period": "" if explanation.carer is None else explanation.carer.period,
        "limit": explanation.limit or "",
        "rule_text": explanation.rule_text,
        "lines": [line_json(line) for line in explanation.lines],
        "at_maximum": explanation.at_maximum,
        "costed_plan_route": list(explanation.costed_plan_route),
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
        f"Indicative amount {explanation.amount} {explanation.period} from {explanation.total_points} points"
        if explanation.amount is not None
        else f"No indicative amount from {explanation.total_points} points",
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
    evidence: dict | None = None,
    wellbeing_areas: list[str] | None = None,
    fluctuates: bool = False,
    fluctuation_period: str = "",
    advice_topics: list[str] | None = None,
    advice: str = "",
    change_reason: str = "",
) -> EligibilityDecision:
    """Record the Care Act decision with its evidence; it completes the assessment.

    The decision is checked against the regulations (assessment/domain.py) and refused with
    every gap listed (code ELG-...). Changing an earlier decision needs a reason; the earlier
    one stays in the history. A not-eligible decision needs written advice (s13(5)) and puts
    no amount anywhere; one that reverses an earlier eligible decision flags the person's
    current budget for review.
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    check_all((rules.SubmittedBeforeDecision,), locked)
    unable_set = set(unable)
    evidence_items = {
        code: domain.OutcomeEvidence(
            ways=tuple(item.get("ways") or ()),
            note=item.get("note", ""),
            met_by_carer=bool(item.get("met_by_carer")),
        )
        for code, item in (evidence or {}).items()
        if code in unable_set
    }
    gaps = domain.problems(
        locked.kind,
        unable=unable_set,
        significant_impact=significant_impact,
        evidence=evidence_items,
        wellbeing_areas=set(wellbeing_areas or ()),
        fluctuates=fluctuates,
        fluctuation_period=fluctuation_period,
    )
    result = domain.decide(
        locked.kind,
        arises_from_condition=arises_from_condition,
        unable=unable_set,
        significant_impact=significant_impact,
        health_at_risk=health_at_risk,
    )
    previous = EligibilityDecision.objects.filter(assessment=locked).first()
    earlier_eligible = (
        previous.eligible if previous is not None else _current_decision_is_eligible(locked)
    )
    found = [Problem(gap.code, gap.message) for gap in gaps]
    if previous is not None and not change_reason.strip():
        found.append(Problem("ELG-CHANGE-REASON", "Enter why you are changing the decision"))
    if not result.eligible and not (advice_topics or advice.strip()):
        found.append(
            Problem(
                "ELG-NO-ADVICE",
                "Choose the advice and information to give: the person must get it in writing",
            )
        )
    if found:
        raise BusinessRuleViolation(found)
    values = {
        "arises_from_condition": arises_from_condition,
        "health_at_risk": health_at_risk,
        "unable_outcomes": sorted(unable_set),
        "outcome_evidence": {
            code: {
                "ways": list(item.ways),
                "note": item.note.strip(),
                "met_by_carer": item.met_by_carer,
            }
            for code, item in sorted(evidence_items.items())
        },
        "wellbeing_areas": sorted(set(wellbeing_areas or ())),
        "fluctuates": fluctuates,
        "fluctuation_period": fluctuation_period.strip() if fluctuates else "",
        "significant_impact": significant_impact,
        "eligible": result.eligible,
        "reasons": reasons.strip(),
        "advice_topics": [] if result.eligible else sorted(set(advice_topics or ())),
        "advice": "" if result.eligible else advice.strip(),
        "change_reason": change_reason.strip(),
        "decided_by": acting_user,
        "decided_at": timezone.now(),
    }
    outcome = "eligible" if result.eligible else "not eligible"
    if previous is None:
        because(f"Decided: {outcome}")
        decision = EligibilityDecision.objects.create(assessment=locked, **values)
    else:
        for name, value in values.items():
            setattr(previous, name, value)
        because(f"Changed to {outcome}: {change_reason.strip()}"[:100])
        previous.save()
        decision = previous
    for older in Assessment.objects.filter(
        person=locked.person, kind=locked.kind, is_current=True
    ).exclude(pk=locked.pk):
        older.is_current = False
        because("Replaced by a newer assessment")
        older.save()
    locked._complete(acting_user)
    because(f"Eligibility decided: {outcome}")
    locked.save()
    allocation = Allocation.objects.filter(assessment=locked).first() or _score(locked)
    if result.eligible:
        allocation._found_eligible()
    else:
        allocation._found_not_eligible()
    allocation.save()
    allocation = _score(locked, unable_outcomes=frozenset(unable_set) if result.eligible else None)
    if result.eligible:
        from budgets.actions import propose_budget

        propose_budget(allocation, acting_user=acting_user)
    if earlier_eligible and not result.eligible:
        _flag_current_budget(
            locked,
            f"Needs now found not eligible ({timezone.localdate():%-d %B %Y})",
            acting_user=acting_user,
        )
    audit(
        decision,
        f"{'Changed the decision to' if previous else 'Decided'}: {outcome}",
        person=locked.person,
    )
    assessment.refresh_from_db()
    return decision


def _current_decision_is_eligible(assessment: Assessment) -> bool:
    """Is the person eligible under the decision in force now (their current assessment)?"""
    current = (
        Assessment.objects.filter(person=assessment.person, kind=assessment.kind, is_current=True)
        .exclude(pk=assessment.pk)
        .select_related("eligibility")
        .first()
    )
    decision = getattr(current, "eligibility", None) if current else None
    return bool(decision and decision.eligible)


def _flag_current_budget(assessment: Assessment, reason: str, *, acting_user) -> None:
    from budgets.actions import flag_for_review
    from budgets.models import PersonalBudget

    budget = PersonalBudget.objects.current().filter(person=assessment.person).first()
    if budget is not None:
        flag_for_review(budget, reason=reason, acting_user=acting_user)


@action
def record_capacity(
    person,
    *,
    acting_user,
    decision: str,
    impairment: bool,
    understands: bool,
    retains: bool,
    weighs: bool,
    communicates: bool,
    notes: str,
    assessed_on=None,
) -> CapacityAssessment:
    """Record a Mental Capacity Act assessment for one decision (MCA 2005 ss2-3).

    The outcome follows the two-stage test: a person lacks capacity for a decision only if
    they have an impairment of, or disturbance in, the mind or brain, and because of it
    cannot understand, retain, use or weigh the information, or communicate their decision
    (s3(1)). A person is assumed to have capacity unless it is established they lack it (s1(2)).
    """
    functional = understands and retains and weighs and communicates
    outcome = (
        CapacityAssessment.Outcome.LACKS_CAPACITY
        if impairment and not functional
        else CapacityAssessment.Outcome.HAS_CAPACITY
    )
    if not notes.strip():
        raise BusinessRuleViolation(
            [Problem("MCA-NO-NOTES", "Record how you assessed capacity for this decision")]
        )
    because("Capacity assessed")
    record = CapacityAssessment.objects.create(
        person=person,
        decision=decision,
        outcome=outcome,
        impairment=impairment,
        understands=understands,
        retains=retains,
        weighs=weighs,
        communicates=communicates,
        notes=notes.strip(),
        assessed_by=acting_user,
        assessed_on=assessed_on or timezone.localdate(),
    )
    audit(
        record,
        f"Capacity for {record.get_decision_display().lower()}: {record.get_outcome_display().lower()}",
        person=person,
    )
    return record
