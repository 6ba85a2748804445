"""Every write to a support plan, its lines, and its way from a draft to agreed support.

Each is an action (core.actions): the acting user as a keyword, one transaction, history
stamped, an AuditEvent written. Edits lock the plan at the version the page or API read
(`expected_version`): someone else's change since is an EditConflict, never overwritten.
Transitions lock the plan's row and re-read it, so two people acting at once are told the
plan has moved on (an illegal transition, 409), and the django-fsm concurrent-transition
guard refuses a save from a stale copy.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django_fsm import TransitionNotAllowed

from assessment import domain as care_act
from budgets import actions as budget_actions
from budgets.models import PanelDecision, PersonalBudget
from core.actions import ActionError, action, audit, because
from core.concurrency import lock_at_version
from core.money import WEEKS_PER_YEAR, format_pence, period_words
from core.rules import BusinessRuleViolation, Problem, check_all, problems

from . import domain, rates, rules
from .models import AuthorityLimit, PlanEvent, PlanLine, PlanOutcome, PlanRisk, SupportPlan

# --- Reading what a plan costs and what it must cover ----------------------------------------


@dataclass(frozen=True)
class PlanCost:
    """A plan's lines added up against its budget (all in pence)."""

    totals: domain.Totals
    period: str  # the budget's: week, year or once
    budget_pence: int  # the budget's amount for its period
    indicative_pence: int | None

    @property
    def cost_pence(self) -> int:
        """What the plan costs in the budget's period (one-off lines apart for a weekly one)."""
        return self.totals.in_period(self.period)

    @property
    def weekly_pence(self) -> int:
        """The ongoing lines a week, whatever the budget's period; one-off costs never count
        in a weekly figure (they are compared on their own)."""
        return self.totals.weekly_pence

    @property
    def left_pence(self) -> int:
        return self.budget_pence - self.cost_pence

    @property
    def over_budget(self) -> bool:
        return self.cost_pence > self.budget_pence

    @property
    def one_off_apart(self) -> bool:
        """One-off costs are shown apart from a weekly budget's total."""
        return self.period == "week" and self.totals.one_off_pence > 0


def plan_cost(plan: SupportPlan, lines=None) -> PlanCost:
    lines = list(plan.lines.all()) if lines is None else list(lines)
    budget = plan.budget
    return PlanCost(
        totals=domain.totals(line.cost for line in lines),
        period=budget.period,
        budget_pence=budget.amount_pence,
        indicative_pence=budget.indicative_pence,
    )


def eligible_needs(plan: SupportPlan) -> list[dict]:
    """The outcomes the eligibility decision found the person cannot achieve, each with
    whether a carer meets it now (still eligible, but the council need not meet it while
    they do: s18(7))."""
    decision = _eligibility_behind(plan.budget)
    if decision is None or not decision.eligible:
        return []
    labels = dict(care_act.outcomes_for(decision.assessment.kind))
    return [
        {
            "code": code,
            "label": labels.get(code, code),
            "met_by_carer": bool(decision.evidence_for(code).get("met_by_carer")),
        }
        for code in decision.unable_outcomes
    ]


def _eligibility_behind(budget: PersonalBudget):
    """The eligibility decision on the assessment the budget's indicative amount came from
    (budget → allocation → assessment → decision), read with its assessment in one statement."""
    if budget.allocation_id is None:
        return None
    from assessment.models import EligibilityDecision

    return (
        EligibilityDecision.objects.select_related("assessment")
        .filter(assessment__allocation=budget.allocation_id)
        .first()
    )


def needs_to_meet(plan: SupportPlan) -> list[str]:
    return [need["code"] for need in eligible_needs(plan) if not need["met_by_carer"]]


def submission_problems(plan: SupportPlan, reason: str = "") -> list[Problem]:
    """Every rule that stops the plan being sent for approval now (the check page shows them)."""
    outcomes = list(plan.outcomes.all())
    lines = list(plan.lines.all())
    cost = plan_cost(plan, lines)
    needs = eligible_needs(plan)
    return problems(
        rules.SUBMISSION_RULES,
        plan,
        outcomes=outcomes,
        lines=lines,
        risks=list(plan.risks.all()),
        to_meet=[n["code"] for n in needs if not n["met_by_carer"]],
        labels={n["code"]: n["label"] for n in needs},
        cost_pence=cost.cost_pence,
        budget_pence=cost.budget_pence,
        reason=reason,
    )


def proposed_budget(person, kind: str = PersonalBudget.Kind.PERSON) -> PersonalBudget | None:
    """The budget a new plan is costed against: the person's proposed one (from their
    eligible assessment's indicative amount)."""
    return (
        PersonalBudget.objects.filter(
            person=person, kind=kind, status=PersonalBudget.Status.PROPOSED
        )
        .order_by("-created_at", "-id")
        .first()
    )


# --- Small pieces every action shares --------------------------------------------------------


def _user(acting_user):
    return acting_user if getattr(acting_user, "pk", None) else None


def _lock(plan: SupportPlan, expected_version=None) -> SupportPlan:
    return lock_at_version(plan, expected_version)


def _touch(plan: SupportPlan) -> None:
    plan.edit_version += 1
    plan.save()


def _event(plan, kind, before, *, acting_user, comment: str = "") -> PlanEvent:
    return PlanEvent.objects.create(
        plan=plan,
        kind=kind,
        from_status=before,
        to_status=plan.status,
        actor=_user(acting_user),
        comment=comment,
    )


def _editable(plan: SupportPlan) -> None:
    if not plan.is_editable:
        raise ActionError(
            f"This plan is {plan.get_status_display().lower()}, so it cannot be changed now",
            code="PLAN-NOT-EDITABLE",
        )


def _refuse(plan: SupportPlan, method) -> None:
    """Refuse a step the plan's status does not allow (an IllegalTransition, 409)."""
    raise TransitionNotAllowed(
        f"Cannot {method.__name__} from {plan.status}", object=plan, method=method
    )


def _finish(plan: SupportPlan, *, summary: str) -> SupportPlan:
    plan.refresh_from_db()
    audit(plan, summary, person=plan.person)
    return plan


# --- Starting a plan -------------------------------------------------------------------------


@action
def start_plan(person, *, acting_user, kind: str = PersonalBudget.Kind.PERSON) -> SupportPlan:
    """Start a draft plan, costed against the person's proposed budget."""
    budget = proposed_budget(person, kind)
    if budget is None:
        raise ActionError(
            f"{person.full_name} has no proposed personal budget: a plan starts from an eligible "
            "assessment’s indicative amount",
            code="PLAN-NO-BUDGET",
        )
    PersonalBudget.objects.select_for_update().get(pk=budget.pk)
    if SupportPlan.objects.filter(budget=budget).open().exists():
        raise ActionError(
            f"{person.full_name} already has a plan on its way for this budget: carry on with "
            "that one",
            code="PLAN-ALREADY-OPEN",
        )
    because("Plan started")
    plan = SupportPlan.objects.create(person=person, budget=budget, author=acting_user)
    _event(plan, PlanEvent.Kind.STARTED, "", acting_user=acting_user)
    audit(
        plan,
        f"Started a support plan against {format_pence(budget.amount_pence)} "
        f"{period_words(budget.period)}",
        person=person,
    )
    return plan


@action
def start_plan_with(
    person,
    *,
    acting_user,
    lines=(),
    outcomes=(),
    risks=(),
    no_risks: bool = False,
    helpers=(),
    helpers_detail: str = "",
    kind: str = PersonalBudget.Kind.PERSON,
) -> SupportPlan:
    """Start a plan with its lines, what matters (text, linked need codes), risks (risk, how
    managed) and who helped, in one go: all of it, or (if anything breaks a rule) none."""
    plan = start_plan(person, acting_user=acting_user, kind=kind)
    if lines:
        add_lines(plan, list(lines), acting_user=acting_user)
    for text, links in outcomes:
        add_outcome(plan, text=text, links=list(links), acting_user=acting_user)
    for risk, how in risks:
        add_risk(plan, risk=risk, how_managed=how, acting_user=acting_user)
    if no_risks and not risks:
        set_no_risks(plan, no_risks=True, acting_user=acting_user)
    if helpers:
        set_helpers(plan, helpers=list(helpers), detail=helpers_detail, acting_user=acting_user)
    plan.refresh_from_db()
    return plan


# --- Lines -----------------------------------------------------------------------------------

LINE_FIELDS = (
    "service_type",
    "line_type",
    "service",
    "description",
    "provider_kind",
    "provider",
    "carer",
    "carer_name",
    "units",
    "unit_cost_pence",
    "frequency",
    "funding_stream",
    "mode",
    "start_date",
    "end_date",
)
LINE_DEFAULTS = {
    "line_type": "care",
    "service": "other",
    "provider_kind": "",
    "provider": "",
    "carer": None,
    "carer_name": "",
    "unit_cost_pence": None,
    "funding_stream": "council",
    "mode": "council_managed",
    "end_date": None,
}


def build_line(plan: SupportPlan, values: dict, line: PlanLine | None = None) -> PlanLine:
    """A line (new, or `line` changed) from typed values, its unit cost defaulting to the
    council's reference rate for the service on its start date. Not saved."""
    line = line or PlanLine(plan=plan)
    merged = {**LINE_DEFAULTS, **{k: v for k, v in values.items() if k in LINE_FIELDS}}
    for name in LINE_FIELDS:
        if name in values or line.pk is None:
            setattr(line, name, merged.get(name))
    line.description = (line.description or "").strip()
    line.provider = (line.provider or "").strip()
    line.carer_name = (line.carer_name or "").strip()
    if not line.provider_kind:
        line.provider_kind = "provider" if line.provider else "to_be_arranged"
    if line.line_type != "replacement_care":
        line.carer, line.carer_name = None, ""
    rate = rates.default_unit_cost(line.service, line.start_date) if line.service else None
    line.reference_rate_pence = rate
    if line.unit_cost_pence is None:
        line.unit_cost_pence = rate
    line.__dict__.pop("cost", None)  # worked out again from the new values when next read
    return line


def line_problems(line: PlanLine) -> list[Problem]:
    return problems(rules.LINE_RULES, line)


class LinesRefused(BusinessRuleViolation):
    """Some lines break rules: `items` lists (line number from 1, problem) for each."""

    def __init__(self, items: list[tuple[int, Problem]]):
        super().__init__([problem for _index, problem in items])
        self.items = items


def _check_line(line: PlanLine) -> None:
    found = line_problems(line)
    if found:
        raise BusinessRuleViolation(found)


def _line_summary(line: PlanLine) -> str:
    cost = line.cost
    if cost.one_off:
        return f"{line.description}: {format_pence(cost.occurrence_pence)} once"
    return f"{line.description}: {format_pence(cost.weekly_pence)} a week"


@action
def add_line(plan: SupportPlan, values: dict, *, acting_user, expected_version=None) -> PlanLine:
    locked = _lock(plan, expected_version)
    _editable(locked)
    line = build_line(locked, values)
    _check_line(line)
    line.position = (
        locked.lines.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    because("Line added")
    line.save()
    _touch(locked)
    audit(line, f"Added a line: {_line_summary(line)}"[:300], person=locked.person)
    plan.edit_version = locked.edit_version
    return line


@action
def add_lines(plan: SupportPlan, lines: list[dict], *, acting_user) -> list[PlanLine]:
    """Add several lines at once: all of them, or (if any breaks a rule) none."""
    locked = _lock(plan)
    _editable(locked)
    built = [build_line(locked, values) for values in lines]
    refused = [(n, p) for n, line in enumerate(built, start=1) for p in line_problems(line)]
    if refused:
        raise LinesRefused(refused)
    start = locked.lines.order_by("-position").values_list("position", flat=True).first() or 0
    because("Lines added")
    for offset, line in enumerate(built, start=1):
        line.position = start + offset
        line.save()
        audit(line, f"Added a line: {_line_summary(line)}"[:300], person=locked.person)
    if built:
        _touch(locked)
    else:
        audit(locked, "No lines to add", person=locked.person)
    plan.edit_version = locked.edit_version
    return built


@action
def change_line(line: PlanLine, values: dict, *, acting_user, expected_version=None) -> PlanLine:
    locked = _lock(line.plan, expected_version)
    _editable(locked)
    current = PlanLine.objects.get(pk=line.pk, plan=locked)
    changed = build_line(locked, values, current)
    _check_line(changed)
    because("Line changed")
    changed.save()
    _touch(locked)
    audit(changed, f"Changed a line: {_line_summary(changed)}"[:300], person=locked.person)
    return changed


@action
def remove_line(line: PlanLine, *, acting_user, expected_version=None) -> None:
    locked = _lock(line.plan, expected_version)
    _editable(locked)
    current = PlanLine.objects.get(pk=line.pk, plan=locked)
    summary = _line_summary(current)
    because("Line removed")
    audit(current, f"Removed a line: {summary}"[:300], person=locked.person)
    current.delete()
    _touch(locked)


# --- What matters, staying safe, who helped ----------------------------------------------------


def _outcome_problems(plan, text: str, links: list[str]) -> list[Problem]:
    found = []
    if not (text or "").strip():
        found.append(Problem("PLAN-OUTCOME-TEXT", "Enter what matters, in the person’s words"))
    known = {need["code"] for need in eligible_needs(plan)}
    unknown = [code for code in links if code not in known]
    if unknown:
        found.append(
            Problem(
                "PLAN-OUTCOME-UNKNOWN-NEED",
                "Link only to needs the eligibility decision found the person cannot meet",
            )
        )
    return found


@action
def add_outcome(
    plan: SupportPlan, *, text: str, links: list[str], acting_user, expected_version=None
) -> PlanOutcome:
    locked = _lock(plan, expected_version)
    _editable(locked)
    found = _outcome_problems(locked, text, links)
    if found:
        raise BusinessRuleViolation(found)
    position = locked.outcomes.order_by("-position").values_list("position", flat=True).first()
    because("Outcome added")
    outcome = PlanOutcome.objects.create(
        plan=locked, position=(position or 0) + 1, text=text.strip(), eligible_outcomes=list(links)
    )
    _touch(locked)
    audit(outcome, "Added something that matters to the person", person=locked.person)
    return outcome


@action
def change_outcome(
    outcome: PlanOutcome, *, text: str, links: list[str], acting_user, expected_version=None
) -> PlanOutcome:
    locked = _lock(outcome.plan, expected_version)
    _editable(locked)
    found = _outcome_problems(locked, text, links)
    if found:
        raise BusinessRuleViolation(found)
    current = PlanOutcome.objects.get(pk=outcome.pk, plan=locked)
    current.text, current.eligible_outcomes = text.strip(), list(links)
    because("Outcome changed")
    current.save()
    _touch(locked)
    audit(current, "Changed something that matters to the person", person=locked.person)
    return current


@action
def remove_outcome(outcome: PlanOutcome, *, acting_user, expected_version=None) -> None:
    locked = _lock(outcome.plan, expected_version)
    _editable(locked)
    current = PlanOutcome.objects.get(pk=outcome.pk, plan=locked)
    because("Outcome removed")
    audit(current, "Removed something that matters to the person", person=locked.person)
    current.delete()
    _touch(locked)


def _risk_problems(risk: str, how: str) -> list[Problem]:
    found = []
    if not (risk or "").strip():
        found.append(Problem("PLAN-RISK-TEXT", "Enter the risk"))
    if not (how or "").strip():
        found.append(Problem("PLAN-RISK-HOW", "Enter how the risk is managed"))
    return found


@action
def add_risk(
    plan: SupportPlan, *, risk: str, how_managed: str, acting_user, expected_version=None
) -> PlanRisk:
    locked = _lock(plan, expected_version)
    _editable(locked)
    found = _risk_problems(risk, how_managed)
    if found:
        raise BusinessRuleViolation(found)
    position = locked.risks.order_by("-position").values_list("position", flat=True).first()
    because("Risk added")
    added = PlanRisk.objects.create(
        plan=locked,
        position=(position or 0) + 1,
        risk=risk.strip(),
        how_managed=how_managed.strip(),
    )
    locked.no_risks = False
    _touch(locked)
    audit(added, "Added a risk and how it is managed", person=locked.person)
    return added


@action
def change_risk(
    risk_row: PlanRisk, *, risk: str, how_managed: str, acting_user, expected_version=None
) -> PlanRisk:
    locked = _lock(risk_row.plan, expected_version)
    _editable(locked)
    found = _risk_problems(risk, how_managed)
    if found:
        raise BusinessRuleViolation(found)
    current = PlanRisk.objects.get(pk=risk_row.pk, plan=locked)
    current.risk, current.how_managed = risk.strip(), how_managed.strip()
    because("Risk changed")
    current.save()
    _touch(locked)
    audit(current, "Changed a risk or how it is managed", person=locked.person)
    return current


@action
def remove_risk(risk_row: PlanRisk, *, acting_user, expected_version=None) -> None:
    locked = _lock(risk_row.plan, expected_version)
    _editable(locked)
    current = PlanRisk.objects.get(pk=risk_row.pk, plan=locked)
    because("Risk removed")
    audit(current, "Removed a risk", person=locked.person)
    current.delete()
    _touch(locked)


@action
def set_no_risks(
    plan: SupportPlan, *, no_risks: bool, acting_user, expected_version=None
) -> SupportPlan:
    """Say there are no particular risks to plan for (or take that back)."""
    locked = _lock(plan, expected_version)
    _editable(locked)
    if no_risks and locked.risks.exists():
        raise ActionError(
            "Remove the risks listed before saying there are none", code="PLAN-RISKS-LISTED"
        )
    locked.no_risks = no_risks
    because("Staying safe")
    _touch(locked)
    audit(
        locked,
        "No particular risks to plan for" if no_risks else "Risks still to think about",
        person=locked.person,
    )
    return locked


@action
def set_helpers(
    plan: SupportPlan, *, helpers: list[str], detail: str, acting_user, expected_version=None
) -> SupportPlan:
    """Who helped to plan (Care Act 2014 s25(3): the person, their carer, anyone they ask)."""
    locked = _lock(plan, expected_version)
    _editable(locked)
    known = set(SupportPlan.Helper.values)
    if not helpers:
        raise BusinessRuleViolation([Problem("PLAN-HELPERS-NONE", "Select who helped to plan")])
    if any(h not in known for h in helpers):
        raise BusinessRuleViolation(
            [Problem("PLAN-HELPER-UNKNOWN", "Select who helped from the list")]
        )
    locked.helpers = [h for h in SupportPlan.Helper.values if h in helpers]
    locked.helpers_detail = (detail or "").strip()
    because("Who helped")
    _touch(locked)
    audit(locked, "Recorded who helped to plan", person=locked.person)
    return locked


@action
def set_direct_payment_details(
    plan: SupportPlan,
    *,
    authorised_person: str,
    agreed_on: dt.date | None,
    acting_user,
    expected_version=None,
) -> SupportPlan:
    """Name the authorised person who receives a direct payment for someone who lacks
    capacity to manage it, and when they agreed (Care Act 2014 s32)."""
    locked = _lock(plan, expected_version)
    if locked.status in (SupportPlan.Status.ACTIVE, SupportPlan.Status.ENDED):
        raise ActionError("This plan is already agreed", code="PLAN-NOT-EDITABLE")
    name = (authorised_person or "").strip()
    if bool(name) != bool(agreed_on):
        raise BusinessRuleViolation(
            [
                Problem(
                    "PLAN-AUTHORISED-PERSON",
                    "Enter both the authorised person’s name and the date they agreed",
                )
            ]
        )
    locked.authorised_person, locked.authorised_person_agreed_on = name, agreed_on
    because("Authorised person")
    _touch(locked)
    audit(
        locked,
        f"Authorised person for the direct payment: {name}" if name else "No authorised person",
        person=locked.person,
    )
    return locked


# --- Sending, returning, approving -------------------------------------------------------------


@action
def submit_plan(
    plan: SupportPlan, *, acting_user, reason: str = "", expected_version=None
) -> SupportPlan:
    """Send the plan for approval. Refused, with every reason, while something is missing; a
    plan that costs more than its budget says why (plans/rules.py)."""
    locked = _lock(plan, expected_version)
    if not locked.is_editable:
        _refuse(locked, locked._submit)
    found = submission_problems(locked, reason)
    if found:
        raise BusinessRuleViolation(found)
    before = locked.status
    cost = plan_cost(locked)
    locked._submit(acting_user, (reason or "").strip() if cost.over_budget else "")
    because("Sent for approval")
    _touch(locked)
    _event(
        locked, PlanEvent.Kind.SUBMITTED, before, acting_user=acting_user, comment=reason.strip()
    )
    return _finish(
        locked,
        summary=f"Sent the plan for approval: {format_pence(cost.cost_pence)} "
        f"{period_words(cost.period)} against {format_pence(cost.budget_pence)}",
    )


@action
def return_plan(plan: SupportPlan, *, acting_user, comment: str) -> SupportPlan:
    """Send the plan back for changes, saying what needs to change."""
    locked = _lock(plan)
    if locked.status not in (SupportPlan.Status.SUBMITTED, SupportPlan.Status.PANEL):
        _refuse(locked, locked._return)
    check_all((rules.ReturnNeedsAComment,), locked, comment=comment)
    before = locked.status
    locked._return()
    because("Returned for changes")
    _touch(locked)
    _event(
        locked, PlanEvent.Kind.RETURNED, before, acting_user=acting_user, comment=comment.strip()
    )
    return _finish(locked, summary="Returned the plan for changes")


def authority_limit(user) -> AuthorityLimit | None:
    return AuthorityLimit.objects.filter(user=user).first() if getattr(user, "pk", None) else None


def panel_reasons(
    plan: SupportPlan, cost: PlanCost, limit: AuthorityLimit | None, on: dt.date | None = None
) -> list[str]:
    """Why this plan needs the funding panel (empty when it does not): above the approver's
    authority limit, or further above the indicative amount than the panel threshold."""
    decision = plan.panel_decision
    if (
        decision is not None
        and decision.outcome != PanelDecision.Outcome.REFUSED
        and cost.cost_pence <= decision.agreed_pence
    ):
        return []  # the panel has agreed this much already
    found = []
    if limit is not None:
        if cost.weekly_pence > limit.weekly_pence:
            found.append(
                f"it costs {format_pence(cost.weekly_pence)} a week, above the approver’s "
                f"limit of {format_pence(limit.weekly_pence)}"
            )
        if cost.totals.one_off_pence > limit.weekly_pence * WEEKS_PER_YEAR:
            found.append(
                f"its one-off costs of {format_pence(cost.totals.one_off_pence)} are above a "
                f"year of the approver’s weekly limit"
            )
    threshold = budget_actions.panel_threshold(on)
    if (
        threshold is not None
        and cost.indicative_pence is not None
        and cost.period != PersonalBudget.Period.ONCE  # a one-off amount has no week to compare
    ):
        above = domain.per_week(max(0, cost.cost_pence - cost.indicative_pence), cost.period)
        if above > threshold.weekly_pence:
            found.append(
                f"it is {format_pence(above)} a week above the indicative amount, more than the "
                f"panel threshold of {format_pence(threshold.weekly_pence)}"
            )
    return found


def _agree(plan: SupportPlan, *, acting_user, start: dt.date, panel_decision=None) -> None:
    """Agree the plan's budget: the plan's cost, its funding streams and ways of taking the
    money summed from the lines (budgets.actions.agree_budget checks every budget rule)."""
    lines = list(plan.lines.all())
    period = plan.budget.period
    streams: dict[str, int] = {}
    once: dict[str, int] = {}  # a weekly budget's one-off costs, agreed beside it
    by_mode: dict[tuple[str, bool], int] = {}
    isf_providers: list[str] = []
    for line in lines:
        apart = period == "week" and line.cost.one_off
        amount = line.cost.occurrence_pence if apart else line.cost.in_period(period)
        into = once if apart else streams
        into[line.funding_stream] = into.get(line.funding_stream, 0) + amount
        by_mode[(line.mode, apart)] = by_mode.get((line.mode, apart), 0) + amount
        if line.mode == "isf" and line.provider and line.provider not in isf_providers:
            isf_providers.append(line.provider)
    shares = []
    for (mode, apart), amount in by_mode.items():
        share = {"mode": mode, "amount_pence": amount, "one_off": apart}
        if mode == "isf":
            share["provider"] = "; ".join(isf_providers)[:200]
        if mode == "direct_payment" and plan.authorised_person:
            share["authorised_person"] = plan.authorised_person
            share["authorised_person_agreed_on"] = plan.authorised_person_agreed_on
        shares.append(share)
    amount = sum(streams.values())
    reason = plan.over_budget_reason
    if plan.budget.costed_plan and not reason and amount > (plan.budget.indicative_pence or 0):
        reason = "The assessment called for a costed support plan: its cost sets the budget"
    budget_actions.agree_budget(
        plan.budget,
        acting_user=acting_user,
        amount_pence=amount,
        streams=streams,
        shares=shares,
        reason=reason,
        start_date=start,
        panel_decision=panel_decision,
        one_off_streams=once,
    )


def _start_of(plan: SupportPlan, start_date: dt.date | None) -> dt.date:
    if start_date is not None:
        return start_date
    first = plan.lines.order_by("start_date").values_list("start_date", flat=True).first()
    today = timezone.localdate()
    return max(first, today) if first else today


def _approve_and_perhaps_activate(plan, *, acting_user, start, panel_decision=None, note=""):
    _agree(plan, acting_user=acting_user, start=start, panel_decision=panel_decision)
    before = plan.status
    plan._approve(acting_user, start)
    because("Approved")
    _touch(plan)
    _event(plan, PlanEvent.Kind.APPROVED, before, acting_user=acting_user, comment=note)
    if start <= timezone.localdate():
        _activate(plan, acting_user=acting_user)


@action
def approve_plan(
    plan: SupportPlan, *, acting_user, start_date: dt.date | None = None, note: str = ""
) -> SupportPlan:
    """Approve a sent plan and agree its budget; or, if it needs the funding panel (above the
    approver's authority limit, or above the indicative amount by more than the threshold),
    send it there. The approver may not be who wrote or sent it."""
    locked = _lock(plan)
    if locked.status != SupportPlan.Status.SUBMITTED:
        _refuse(locked, locked._approve)
    limit = authority_limit(acting_user)
    check_all(
        (rules.ApproverIsNotTheAuthor, rules.ApproverHasALimit),
        locked,
        user=acting_user,
        limit=limit,
    )
    cost = plan_cost(locked)
    start = _start_of(locked, start_date)
    why = panel_reasons(locked, cost, limit, start)
    if why:
        before = locked.status
        locked._refer_to_panel()
        because("Sent to the funding panel")
        _touch(locked)
        comment = "This plan needs the funding panel: " + "; and ".join(why)
        _event(locked, PlanEvent.Kind.REFERRED, before, acting_user=acting_user, comment=comment)
        return _finish(locked, summary=comment[:300])
    decision = locked.panel_decision
    covered = (
        decision
        if decision is not None and decision.outcome != PanelDecision.Outcome.REFUSED
        else None
    )
    _approve_and_perhaps_activate(
        locked, acting_user=acting_user, start=start, panel_decision=covered, note=note
    )
    return _finish(
        locked,
        summary=f"Approved the plan: {format_pence(cost.cost_pence)} {period_words(cost.period)} "
        f"from {start:%-d %B %Y}",
    )


@action
def record_panel_decision(
    plan: SupportPlan,
    *,
    acting_user,
    outcome: str,
    reasons: str,
    agreed_pence: int | None = None,
    override_reason: str = "",
    start_date: dt.date | None = None,
) -> SupportPlan:
    """Record the funding panel's decision on a plan sent to it. The agreed amount above the
    indicative one is drawn from the reserve (below zero only with an override and its
    reasons). Agreed: the plan is approved and its budget agreed. In part, or refused: the
    plan goes back for changes with the panel's reasons, and a plan changed to fit what the
    panel agreed is then approved without going to the panel again."""
    locked = _lock(plan)
    if locked.status != SupportPlan.Status.PANEL:
        _refuse(locked, locked._decide_at_panel)
    cost = plan_cost(locked)
    if outcome == PanelDecision.Outcome.AGREED:
        agreed_pence = cost.cost_pence
    elif outcome == PanelDecision.Outcome.REFUSED:
        agreed_pence = locked.budget.indicative_pence or 0
    elif outcome != PanelDecision.Outcome.PARTLY:
        raise ActionError("Select what the panel decided", code="PLAN-PANEL-OUTCOME")
    agreed_pence = agreed_pence or 0
    check_all(
        (
            rules.ApproverIsNotTheAuthor,
            rules.PanelNeedsReasons,
            rules.PanelAgreesNoMoreThanAsked,
            rules.PanelPartAgreementIsLess,
        ),
        locked,
        user=acting_user,
        reasons=reasons,
        agreed_pence=agreed_pence,
        cost_pence=cost.cost_pence,
        outcome=outcome,
    )
    locked._decide_at_panel()
    decision = budget_actions.panel_decide(
        locked.budget,
        acting_user=acting_user,
        requested_pence=cost.cost_pence,
        agreed_pence=agreed_pence,
        outcome=outcome,
        reasons=reasons,
        override_reason=override_reason,
    )
    locked.panel_decision = decision
    words = (
        f"The funding panel {decision.get_outcome_display().lower()} "
        f"{format_pence(decision.agreed_pence)} {period_words(cost.period)}: {reasons.strip()}"
    )
    because("Funding panel decided")
    _touch(locked)
    _event(locked, PlanEvent.Kind.PANEL, locked.status, acting_user=acting_user, comment=words)
    if outcome == PanelDecision.Outcome.AGREED:
        start = _start_of(locked, start_date)
        _approve_and_perhaps_activate(
            locked, acting_user=acting_user, start=start, panel_decision=decision
        )
    else:
        before = locked.status
        locked._return()
        _touch(locked)
        _event(locked, PlanEvent.Kind.RETURNED, before, acting_user=acting_user, comment=words)
    return _finish(locked, summary=words[:300])


def _activate(plan: SupportPlan, *, acting_user) -> None:
    """The plan starts: the person's earlier active plan (same kind of budget) ends the day before."""
    start = plan.starts_on or timezone.localdate()
    for old in (
        SupportPlan.objects.select_for_update()
        .filter(person=plan.person, status=SupportPlan.Status.ACTIVE, budget__kind=plan.budget.kind)
        .exclude(pk=plan.pk)
    ):
        old._end(start - dt.timedelta(days=1))
        because("Replaced")
        _touch(old)
        _event(
            old,
            PlanEvent.Kind.ENDED,
            SupportPlan.Status.ACTIVE,
            acting_user=acting_user,
            comment=f"Replaced by a new plan from {start:%-d %B %Y}",
        )
        audit(old, "Plan ended: replaced by a new one", person=old.person)
    before = plan.status
    plan._activate()
    because("Active")
    _touch(plan)
    _event(plan, PlanEvent.Kind.ACTIVATED, before, acting_user=acting_user)
    # The first review within 6 months of the plan becoming active (statutory guidance ch. 13).
    from reviews import actions as review_actions

    review_actions.schedule_first_review(plan, acting_user=acting_user, started=start)


@action
def activate_plan(plan: SupportPlan, *, acting_user) -> SupportPlan:
    """An approved plan becomes active (its budget has started)."""
    locked = _lock(plan)
    if locked.status != SupportPlan.Status.APPROVED:
        _refuse(locked, locked._activate)
    _activate(locked, acting_user=acting_user)
    return _finish(locked, summary="The plan became active")


def activate_due_plans(*, acting_user, on: dt.date | None = None) -> int:
    """Make active every approved plan whose start date has come (a daily command)."""
    on = on or timezone.localdate()
    due = SupportPlan.objects.filter(status=SupportPlan.Status.APPROVED, starts_on__lte=on)
    count = 0
    for plan in due.order_by("starts_on", "pk"):
        activate_plan(plan, acting_user=acting_user)
        count += 1
    return count


@action
def end_plan(
    plan: SupportPlan, *, acting_user, reason: str, ended_on: dt.date | None = None
) -> SupportPlan:
    """End a plan (support stops, or a draft is given up), with the reason."""
    if not (reason or "").strip():
        raise ActionError("Enter why the plan is ending", code="PLAN-END-NEEDS-REASON")
    locked = _lock(plan)
    before = locked.status
    locked._end(ended_on or timezone.localdate())
    because("Ended")
    _touch(locked)
    _event(locked, PlanEvent.Kind.ENDED, before, acting_user=acting_user, comment=reason.strip())
    return _finish(locked, summary=f"Plan ended: {reason}"[:300])


# --- Authority limits ------------------------------------------------------------------------


@action
def set_authority_limit(user, *, acting_user, weekly_pence: int) -> AuthorityLimit:
    """Set the weekly cost of a plan an approver may approve alone (administrators)."""
    check_all(
        (rules.AuthorityLimitForApprovers, rules.AuthorityLimitNotNegative),
        user,
        weekly_pence=weekly_pence,
    )
    because("Authority limit set")
    limit, _created = AuthorityLimit.objects.update_or_create(
        user=user,
        defaults={
            "weekly_pence": weekly_pence,
            "set_by": _user(acting_user),
            "set_at": timezone.now(),
        },
    )
    audit(limit, f"Authority limit for {user.display_name}: {format_pence(weekly_pence)} a week")
    return limit


@action
def remove_authority_limit(limit: AuthorityLimit, *, acting_user) -> None:
    because("Authority limit removed")
    audit(limit, f"Removed the authority limit of {limit.user.display_name}")
    limit.delete()
