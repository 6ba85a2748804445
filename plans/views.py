"""Support plan pages: the plan as a GOV.UK task list, its sections, check and send, and, for
staff, returning, approving and the funding panel's decision.

The person (or their representative) writes their plan in the portal; practitioners write it
with them. Every page opens the plan through `_open` (the person's record is read, and the read
logged, or the answer is a 404), and every write is an action.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import Role
from assessment.models import Assessment
from budgets import actions as budget_actions
from budgets.models import PanelDecision, PersonalBudget
from core.actions import ActionError
from core.concurrency import EditConflict
from core.http import page_name
from core.money import format_pence, to_pence
from core.permissions import is_record_id
from core.rules import BusinessRuleViolation
from people import access
from people.models import Person
from people.views import open_or_refuse
from ui.forms import add_refusal

from . import actions, domain, rates
from . import rules as plan_rules
from .forms import (
    ApproveForm,
    AuthorisedPersonForm,
    DirectPaymentOfferForm,
    HelpersForm,
    LineForm,
    NoRisksForm,
    OutcomeForm,
    PanelForm,
    ReturnForm,
    RiskForm,
    SubmitForm,
)
from .models import PlanLine, PlanOutcome, PlanRisk, SupportPlan

# --- Opening a plan -------------------------------------------------------------------------


def voice(user, person) -> dict:
    """How a page speaks: "you" to the person themself, the person's name to their
    representative, and the third person to staff."""
    is_self = bool(person.user_id) and person.user_id == user.pk
    name = person.preferred_name or person.first_name
    return {
        "self": is_self,
        "staff": user.is_council_staff,
        "you": "you" if is_self else name,
        "You": "You" if is_self else name,
        "your": "your" if is_self else f"{name}’s",
        "Your": "Your" if is_self else f"{name}’s",
        "name": name,
    }


def _open(request, pk) -> tuple[SupportPlan, dict]:
    """The plan, if the user may see its person (the read is logged); else 404."""
    plan = (
        SupportPlan.objects.select_related("budget", "author", "submitted_by", "approved_by")
        .filter(pk=pk)
        .first()
        if is_record_id(pk)
        else None
    )
    if plan is None:
        access.log_denied(request.user, f"plan {pk}", via=page_name(request))
        raise Http404
    try:
        person = access.open_person(request.user, plan.person_id, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    plan.person = person
    return plan, voice(request.user, person)


def _editable_or_back(request, plan):
    """None if the user may change the plan now; else a redirect to the plan with why."""
    if request.user.has_perm("plans.change_supportplan", plan):
        return None
    if request.user.has_perm("plans.add_supportplan") and not plan.is_editable:
        messages.info(
            request, f"This plan is {plan.get_status_display().lower()}: it cannot be changed now"
        )
    return redirect("plans:plan", pk=plan.pk)


def _posted(request):
    """The POST data of a POST (even an empty one), else None (an unbound form)."""
    return request.POST if request.method == "POST" else None


def _costs(plan, lines=None) -> actions.PlanCost:
    return actions.plan_cost(plan, lines)


def _sections(plan, v, outcomes, lines, risks) -> list[dict]:
    """The plan's sections as a GOV.UK task list, each with its status."""

    def status(done, started=False):
        return "Completed" if done else ("In progress" if started else "Not yet started")

    ready = bool(outcomes) and bool(lines)
    return [
        {
            "title": f"What matters to {v['you']}",
            "href": reverse("plans:outcomes", args=[plan.pk]),
            "status": status(bool(outcomes)),
        },
        {
            "title": f"How {v['you']} will be supported",
            "href": reverse("plans:lines", args=[plan.pk]),
            "status": status(bool(lines)),
        },
        {
            "title": "Staying safe",
            "href": reverse("plans:safety", args=[plan.pk]),
            "status": status(bool(risks) or plan.no_risks),
        },
        {
            "title": f"Who helped {v['you']} plan",
            "href": reverse("plans:helpers", args=[plan.pk]),
            "status": status(bool(plan.helpers)),
        },
        {
            "title": "Check and send",
            "href": reverse("plans:check", args=[plan.pk]) if ready else None,
            "status": "Not yet started" if ready else "Cannot start yet",
        },
    ]


def _summary_context(plan):
    outcomes = list(plan.outcomes.all())
    lines = list(plan.lines.select_related("carer"))
    risks = list(plan.risks.all())
    needs = {n["code"]: n["label"] for n in actions.eligible_needs(plan)}
    for outcome in outcomes:
        outcome.labels = [needs.get(code, code) for code in outcome.eligible_outcomes]
    return {
        "outcomes": outcomes,
        "lines": lines,
        "ongoing": [line for line in lines if not line.one_off],
        "one_off": [line for line in lines if line.one_off],
        "risks": risks,
        "cost": _costs(plan, lines),
        "helper_labels": [SupportPlan.Helper(h).label for h in plan.helpers],
    }


# --- A person's plans, and starting one -------------------------------------------------------


@login_required
def person_plans(request, person_pk):
    """A person's plans, newest first, and a button to start one (staff)."""
    if not request.user.is_council_staff:
        access.log_denied(request.user, person_pk, via=page_name(request))
        raise Http404
    person, _may_change, refusal = open_or_refuse(request, person_pk)
    if refusal:
        return refusal
    plans = list(SupportPlan.objects.filter(person=person).select_related("budget", "author"))
    may_start = request.user.has_perm("plans.add_supportplan")
    # A person may hold a budget for their own needs and another as a carer (a couple caring
    # for each other): each proposed budget gets its own plan.
    budgets = []
    for kind in (PersonalBudget.Kind.PERSON, PersonalBudget.Kind.CARER):
        budget = actions.proposed_budget(person, kind)
        if budget is None:
            continue
        open_plan = next(
            (p for p in plans if p.status in SupportPlan.OPEN and p.budget.kind == kind), None
        )
        budgets.append(
            {"kind": kind, "budget": budget, "open_plan": open_plan, "can_start": may_start}
        )
    return render(
        request,
        "plans/person_plans.html",
        {"person": person, "plans": plans, "tab": "plans", "budgets": budgets},
    )


@login_required
@require_POST
def start(request, person_pk):
    """Start a plan: staff for someone on their caseload, a person or representative for
    themself or whom they represent."""
    try:
        person = access.open_person(request.user, person_pk, via=page_name(request))
    except access.NotVisible:
        raise Http404 from None
    if not request.user.has_perm("plans.add_supportplan"):
        raise Http404
    kind = request.POST.get("kind")
    if kind not in (PersonalBudget.Kind.PERSON, PersonalBudget.Kind.CARER):
        kind = "carer" if request.user.role == Role.CARER else "person"
    try:
        plan = actions.start_plan(person, acting_user=request.user, kind=kind)
    except ActionError as error:
        messages.error(request, error.message)
        if request.user.is_council_staff:
            return redirect("plans:person-plans", person_pk=person.pk)
        return redirect("people:portal-person", pk=person.pk)
    return redirect("plans:plan", pk=plan.pk)


# --- The plan -----------------------------------------------------------------------------------


@login_required
def plan_page(request, pk):
    plan, v = _open(request, pk)
    context = _summary_context(plan)
    user = request.user
    may_change = user.has_perm("plans.change_supportplan", plan)
    events = list(plan.events.select_related("actor"))
    context.update(
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "may_change": may_change,
            "sections": _sections(plan, v, context["outcomes"], context["lines"], context["risks"])
            if may_change
            else None,
            "events": events,
            "may_return": user.has_perm("plans.return_supportplan", plan),
            "may_approve": user.has_perm("plans.approve_supportplan", plan),
            "may_decide_panel": user.has_perm("plans.decide_panel", plan),
            "may_dp": user.has_perm("plans.direct_payment_details")
            and plan.status not in (SupportPlan.Status.ACTIVE, SupportPlan.Status.ENDED),
            "panel_decision": plan.panel_decision,
        }
    )
    return render(request, "plans/plan.html", context)


# --- What matters -----------------------------------------------------------------------------


@login_required
def outcomes(request, pk, outcome_pk=None):
    plan, v = _open(request, pk)
    back = _editable_or_back(request, plan)
    if back:
        return back
    outcome = None
    if outcome_pk is not None:
        outcome = PlanOutcome.objects.filter(plan=plan, pk=outcome_pk).first()
        if outcome is None:
            raise Http404
    needs = actions.eligible_needs(plan)
    initial = {"edit_version": plan.edit_version}
    if outcome:
        initial.update({"text": outcome.text, "links": outcome.eligible_outcomes})
    form = OutcomeForm(_posted(request), initial=initial, needs=needs, is_self=v["self"])
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            kwargs = {
                "text": form.cleaned_data["text"],
                "links": form.cleaned_data["links"],
                "acting_user": request.user,
                "expected_version": form.cleaned_data.get("edit_version"),
            }
            if outcome:
                actions.change_outcome(outcome, **kwargs)
            else:
                actions.add_outcome(plan, **kwargs)
        except EditConflict as error:
            conflict = error
            form.refresh_version(error.record.edit_version)
        except BusinessRuleViolation as refused:
            for problem in refused.problems:
                form.add_error("links" if "NEED" in problem.code else "text", problem.message)
        else:
            return redirect("plans:outcomes", pk=plan.pk)
    context = _summary_context(plan)
    context.update(
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "form": form,
            "editing": outcome,
            "needs": needs,
            "conflict": conflict,
        }
    )
    return render(request, "plans/outcomes.html", context, status=409 if conflict else 200)


def _remove_part(request, pk, model, part_pk, remove, back: str, done=None):
    """Remove an outcome, a line or a risk of an editable plan, as the page showed it: if
    someone changed the plan since (its edit_version moved on), nothing is removed and the
    user is told."""
    plan, _v = _open(request, pk)
    refused = _editable_or_back(request, plan)
    if refused:
        return refused
    part = model.objects.filter(plan=plan, pk=part_pk).first()
    if part is None:
        raise Http404
    version = request.POST.get("edit_version")
    expected = int(version) if version and version.isdigit() else None
    try:
        remove(part, acting_user=request.user, expected_version=expected)
    except EditConflict as conflict:
        messages.error(
            request,
            f"{conflict.by} changed this plan since you opened it, so nothing was removed. "
            "Check the plan as it is now, then try again.",
        )
    else:
        if done:
            messages.success(request, done(part))
    return redirect(back, pk=plan.pk)


@login_required
@require_POST
def remove_outcome(request, pk, outcome_pk):
    return _remove_part(
        request,
        pk,
        PlanOutcome,
        outcome_pk,
        actions.remove_outcome,
        "plans:outcomes",
        lambda _outcome: "Removed",
    )


# --- Lines --------------------------------------------------------------------------------------


@login_required
def lines(request, pk):
    plan, v = _open(request, pk)
    back = _editable_or_back(request, plan)
    if back:
        return back
    context = _summary_context(plan)
    context.update({"plan": plan, "person": plan.person, "v": v, "may_change": True})
    return render(request, "plans/lines.html", context)


def _known_carers(person) -> list[Person]:
    """People with a carer's assessment for this person (their carers known to the council)."""
    ids = (
        Assessment.objects.filter(kind="carer", cared_for=person)
        .values_list("person_id", flat=True)
        .distinct()
    )
    return list(Person.objects.filter(pk__in=list(ids)).order_by("last_name", "first_name"))


def _line_form(request, plan, line=None, data=None):
    initial = {"edit_version": plan.edit_version}
    if line is not None:
        initial.update(
            {
                "line_type": line.line_type,
                "service": line.service,
                "service_type": line.service_type,
                "description": line.description,
                "provider_kind": line.provider_kind,
                "provider": line.provider,
                "carer": line.carer_id,
                "carer_name": line.carer_name,
                "units": domain.units_text(line.units),
                "unit_cost": format_pence(line.unit_cost_pence).replace("£", ""),
                "frequency": line.frequency,
                "mode": line.mode,
                "funding_stream": line.funding_stream,
                "start_date": line.start_date,
                "end_date": line.end_date,
            }
        )
    else:
        initial.update({"line_type": "care", "frequency": "weekly", "start_date": None})
    return LineForm(
        data,
        initial=initial,
        plan=plan,
        carers=_known_carers(plan.person),
        staff=request.user.is_council_staff,
        line=line,
    )


@login_required
def line(request, pk, line_pk=None):
    """Add a line, or change one. The running total updates as the form changes (htmx)."""
    plan, v = _open(request, pk)
    back = _editable_or_back(request, plan)
    if back:
        return back
    existing = None
    if line_pk is not None:
        existing = PlanLine.objects.filter(plan=plan, pk=line_pk).first()
        if existing is None:
            raise Http404
    form = _line_form(request, plan, existing, _posted(request))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            if existing:
                actions.change_line(
                    existing,
                    form.values(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("edit_version"),
                )
            else:
                actions.add_line(
                    plan,
                    form.values(),
                    acting_user=request.user,
                    expected_version=form.cleaned_data.get("edit_version"),
                )
        except EditConflict as error:
            conflict = error
            form.refresh_version(error.record.edit_version)
        except BusinessRuleViolation as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, "The line has been saved")
            return redirect("plans:lines", pk=plan.pk)
    cost = _costs(plan)
    return render(
        request,
        "plans/line_form.html",
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "form": form,
            "editing": existing,
            "conflict": conflict,
            "cost": cost,
            "preview": _preview(plan, form.data if form.is_bound else form.initial, existing),
            "rates": _rate_rows(),
        },
        status=409 if conflict else 200,
    )


def _rate_rows():
    today = timezone.localdate()
    in_force = rates.rates_in_force(today)
    return [
        {"label": s.label, "rate": in_force[s.code], "per": domain.unit_words(s.unit)[0]}
        for s in rates.SERVICES
        if s.code in in_force
    ]


def _typed_start(data) -> dt.date | None:
    """The start date as typed so far (day, month and year boxes), or None."""
    value = data.get("start_date")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date(
            int(data.get("start_date_year", "")),
            int(data.get("start_date_month", "")),
            int(data.get("start_date_day", "")),
        )
    except (TypeError, ValueError, OverflowError):
        return None


def _preview(plan, data, existing):
    """What this line costs, worked out, and the plan's total with it: drawn while the form
    is filled in. Nothing is saved."""
    try:
        units = Decimal(str(data.get("units", "")).strip() or "x")
    except (ValueError, ArithmeticError, InvalidOperation):
        units = None
    frequency = data.get("frequency")
    service = data.get("service") or "other"
    cost_text = str(data.get("unit_cost", "")).strip().replace("£", "").replace(",", "")
    try:
        # The rate in force on the line's start date, as saving the line will use.
        on = _typed_start(data)
        unit_cost = to_pence(cost_text) if cost_text else rates.default_unit_cost(service, on)
    except ValueError:
        unit_cost = None
    lines = list(plan.lines.all())
    if existing is not None:
        lines = [line for line in lines if line.pk != existing.pk]
    base = actions.plan_cost(plan, lines)
    ready = (
        units is not None
        and units.is_finite()
        and 0 < units <= 9_999_999
        and unit_cost
        and 0 < unit_cost <= 100_000_000
        and frequency in domain.FREQUENCY
    )
    if not ready:
        return {"ready": False, "base": base}
    line_cost = domain.line_cost(units, unit_cost, frequency)
    totals = domain.Totals(
        weekly_pence=base.totals.weekly_pence + (line_cost.weekly_pence or 0),
        yearly_pence=base.totals.yearly_pence + (line_cost.yearly_pence or 0),
        one_off_pence=base.totals.one_off_pence + line_cost.one_off_pence,
    )
    with_line = actions.PlanCost(
        totals=totals,
        period=base.period,
        budget_pence=base.budget_pence,
        indicative_pence=base.indicative_pence,
    )
    return {
        "ready": True,
        "conversion": domain.conversion(units, rates.unit_of(service), unit_cost, frequency),
        "line": line_cost,
        "with_line": with_line,
        "base": base,
    }


@login_required
@require_POST
def line_preview(request, pk, line_pk=None):
    """The htmx fragment: this line's cost and the plan's running total against the budget."""
    plan, v = _open(request, pk)
    if not request.user.has_perm("plans.change_supportplan", plan):
        raise Http404
    existing = PlanLine.objects.filter(plan=plan, pk=line_pk).first() if line_pk else None
    return render(
        request,
        "plans/_line_preview.html",
        {"plan": plan, "v": v, "preview": _preview(plan, request.POST, existing)},
    )


@login_required
@require_POST
def remove_line(request, pk, line_pk):
    return _remove_part(
        request,
        pk,
        PlanLine,
        line_pk,
        actions.remove_line,
        "plans:lines",
        lambda line: f"Removed: {line.description}",
    )


# --- Staying safe -------------------------------------------------------------------------------


@login_required
def safety(request, pk, risk_pk=None):
    plan, v = _open(request, pk)
    back = _editable_or_back(request, plan)
    if back:
        return back
    risk = None
    if risk_pk is not None:
        risk = PlanRisk.objects.filter(plan=plan, pk=risk_pk).first()
        if risk is None:
            raise Http404
    initial = {"edit_version": plan.edit_version}
    if risk:
        initial.update({"risk": risk.risk, "how_managed": risk.how_managed})
    posted_none = request.method == "POST" and "no_risks_form" in request.POST
    form = RiskForm(
        request.POST if request.method == "POST" and not posted_none else None, initial=initial
    )
    none_form = NoRisksForm(
        request.POST if posted_none else None,
        initial={"no_risks": plan.no_risks, "edit_version": plan.edit_version},
    )
    conflict = None
    try:
        if posted_none and none_form.is_valid():
            actions.set_no_risks(
                plan,
                no_risks=none_form.cleaned_data["no_risks"],
                acting_user=request.user,
                expected_version=none_form.cleaned_data.get("edit_version"),
            )
            return redirect("plans:plan", pk=plan.pk)
        if request.method == "POST" and not posted_none and form.is_valid():
            kwargs = {
                "risk": form.cleaned_data["risk"],
                "how_managed": form.cleaned_data["how_managed"],
                "acting_user": request.user,
                "expected_version": form.cleaned_data.get("edit_version"),
            }
            if risk:
                actions.change_risk(risk, **kwargs)
            else:
                actions.add_risk(plan, **kwargs)
            return redirect("plans:safety", pk=plan.pk)
    except EditConflict as error:
        conflict = error
        form.refresh_version(error.record.edit_version)
    except ActionError as error:
        none_form.add_error("no_risks", error.message)
    context = _summary_context(plan)
    context.update(
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "form": form,
            "none_form": none_form,
            "editing": risk,
            "conflict": conflict,
        }
    )
    return render(request, "plans/safety.html", context, status=409 if conflict else 200)


@login_required
@require_POST
def remove_risk(request, pk, risk_pk):
    return _remove_part(request, pk, PlanRisk, risk_pk, actions.remove_risk, "plans:safety")


# --- Who helped ----------------------------------------------------------------------------------


@login_required
def helpers(request, pk):
    plan, v = _open(request, pk)
    back = _editable_or_back(request, plan)
    if back:
        return back
    form = HelpersForm(
        _posted(request),
        initial={
            "helpers": plan.helpers,
            "detail": plan.helpers_detail,
            "edit_version": plan.edit_version,
        },
        is_self=v["self"],
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_helpers(
                plan,
                helpers=form.cleaned_data["helpers"],
                detail=form.cleaned_data["detail"],
                acting_user=request.user,
                expected_version=form.cleaned_data.get("edit_version"),
            )
        except EditConflict as error:
            conflict = error
            form.refresh_version(error.record.edit_version)
        except BusinessRuleViolation as refused:
            form.add_error("helpers", refused.problems[0].message)
        else:
            return redirect("plans:plan", pk=plan.pk)
    return render(
        request,
        "plans/helpers.html",
        {"plan": plan, "person": plan.person, "v": v, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


# --- Check and send --------------------------------------------------------------------------


@login_required
def check(request, pk):
    plan, v = _open(request, pk)
    back = _editable_or_back(request, plan)
    if back:
        return back
    context = _summary_context(plan)
    form = SubmitForm(_posted(request), initial={"edit_version": plan.edit_version})
    problems = []
    conflict = None
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            actions.submit_plan(
                plan,
                acting_user=request.user,
                reason=reason,
                expected_version=form.cleaned_data.get("edit_version"),
            )
        except EditConflict as error:
            conflict = error
            form.refresh_version(error.record.edit_version)
        except BusinessRuleViolation as refused:
            for problem in refused.problems:
                if problem.code == "PLAN-OVER-BUDGET-NEEDS-REASON":
                    form.add_error("reason", problem.message)
                else:
                    problems.append(problem)
        else:
            return redirect("plans:sent", pk=plan.pk)
    else:
        problems = [
            p
            for p in actions.submission_problems(plan, reason="-")
            if p.code != "PLAN-OVER-BUDGET-NEEDS-REASON"
        ]
    context.update(
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "form": form,
            "problems": problems,
            "conflict": conflict,
            "may_change": True,
        }
    )
    return render(request, "plans/check.html", context, status=409 if conflict else 200)


@login_required
def sent(request, pk):
    plan, v = _open(request, pk)
    return render(request, "plans/sent.html", {"plan": plan, "person": plan.person, "v": v})


# --- Staff: return, approve, the panel, direct payments ------------------------------------------


@login_required
def return_for_changes(request, pk):
    plan, v = _open(request, pk)
    if not request.user.has_perm("plans.return_supportplan", plan):
        raise Http404
    form = ReturnForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.return_plan(
                plan, acting_user=request.user, comment=form.cleaned_data["comment"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "The plan has been returned for changes")
            return redirect("plans:plan", pk=plan.pk)
    return render(
        request, "plans/return.html", {"plan": plan, "person": plan.person, "v": v, "form": form}
    )


@login_required
def approve(request, pk):
    plan, v = _open(request, pk)
    if not request.user.has_perm("plans.approve_supportplan", plan):
        raise Http404
    form = ApproveForm(_posted(request))
    limit = actions.authority_limit(request.user)
    cost = _costs(plan)
    refusals = []
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.approve_plan(
                plan,
                acting_user=request.user,
                start_date=form.cleaned_data.get("start_date"),
                note=form.cleaned_data.get("note", ""),
            )
        except BusinessRuleViolation as refused:
            refusals = refused.problems
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            if result.status == SupportPlan.Status.PANEL:
                messages.info(
                    request, "The plan is above your authority: it has gone to the funding panel"
                )
            else:
                messages.success(request, "The plan is approved and its budget agreed")
            return redirect("plans:plan", pk=plan.pk)
    return render(
        request,
        "plans/approve.html",
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "form": form,
            "limit": limit,
            "cost": cost,
            "panel_reasons": actions.panel_reasons(plan, cost, limit) if limit else [],
            "refusals": refusals,
            "is_author": plan_rules.ApproverIsNotTheAuthor().broken_by(plan, user=request.user),
        },
    )


@login_required
def panel(request, pk):
    plan, v = _open(request, pk)
    if not request.user.has_perm("plans.decide_panel", plan):
        raise Http404
    form = PanelForm(_posted(request))
    cost = _costs(plan)
    refusals = []
    if request.method == "POST" and form.is_valid():
        agreed = form.cleaned_data.get("agreed")
        try:
            actions.record_panel_decision(
                plan,
                acting_user=request.user,
                outcome=form.cleaned_data["outcome"],
                agreed_pence=to_pence(agreed) if agreed is not None else None,
                reasons=form.cleaned_data["reasons"],
                override_reason=form.cleaned_data.get("override_reason", ""),
            )
        except BusinessRuleViolation as refused:
            refusals = refused.problems
        except ActionError as error:
            refusals = [error]
        else:
            messages.success(request, "The funding panel’s decision is recorded")
            return redirect("plans:plan", pk=plan.pk)
    reserve = None
    try:
        reserve = budget_actions.reserve_for(timezone.localdate())
    except ActionError:
        reserve = None
    return render(
        request,
        "plans/panel.html",
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "form": form,
            "cost": cost,
            "reserve": reserve,
            "refusals": refusals,
            "outcomes": PanelDecision.Outcome,
        },
    )


@login_required
def direct_payment(request, pk):
    plan, v = _open(request, pk)
    if not request.user.has_perm("plans.direct_payment_details") or plan.status in (
        SupportPlan.Status.ACTIVE,
        SupportPlan.Status.ENDED,
    ):
        raise Http404
    offer_form = DirectPaymentOfferForm(
        request.POST if "offer" in request.POST else None, prefix="offer"
    )
    person_form = AuthorisedPersonForm(
        request.POST if "authorised" in request.POST else None,
        prefix="authorised",
        initial={
            "authorised_person": plan.authorised_person,
            "agreed_on": plan.authorised_person_agreed_on,
            "edit_version": plan.edit_version,
        },
    )
    conflict = None
    if "offer" in request.POST and offer_form.is_valid():
        try:
            budget_actions.record_dp_offer(
                plan.budget,
                acting_user=request.user,
                outcome=offer_form.cleaned_data["outcome"],
                reason=offer_form.cleaned_data["reason"],
            )
        except ActionError as error:
            offer_form.add_error("reason", error.message)
        else:
            messages.success(request, "The direct payment offer is recorded")
            return redirect("plans:direct-payment", pk=plan.pk)
    if "authorised" in request.POST and person_form.is_valid():
        try:
            actions.set_direct_payment_details(
                plan,
                authorised_person=person_form.cleaned_data["authorised_person"],
                agreed_on=person_form.cleaned_data["agreed_on"],
                acting_user=request.user,
                expected_version=person_form.cleaned_data.get("edit_version"),
            )
        except EditConflict as error:
            conflict = error
            person_form.refresh_version(error.record.edit_version)
        except ActionError as error:
            person_form.add_error("authorised_person", error.message)
        else:
            messages.success(request, "The authorised person is recorded")
            return redirect("plans:direct-payment", pk=plan.pk)
    return render(
        request,
        "plans/direct_payment.html",
        {
            "plan": plan,
            "person": plan.person,
            "v": v,
            "offer_form": offer_form,
            "person_form": person_form,
            "offers": list(plan.budget.dp_offers.select_related("offered_by")),
            "lacks_capacity": budget_actions.lacks_capacity_for_direct_payment(plan.person),
            "conflict": conflict,
        },
    )


# --- Staff: plans waiting for a decision -------------------------------------------------------


@login_required
def waiting(request):
    """Plans sent for approval or with the funding panel, among the people this user may see."""
    if request.user.role not in (Role.PRACTITIONER, Role.APPROVER):
        raise Http404
    plans = list(
        SupportPlan.objects.visible_to(request.user)
        .filter(status__in=[SupportPlan.Status.SUBMITTED, SupportPlan.Status.PANEL])
        .select_related("person", "budget", "author")
        .prefetch_related(Prefetch("lines", queryset=PlanLine.objects.order_by()))
        .order_by("submitted_at", "pk")[:200]
    )
    access.log_listing(request.user, [p.person for p in plans], via=page_name(request))
    rows = []
    for plan in plans:
        cost = actions.plan_cost(plan, plan.lines.all())
        rows.append({"plan": plan, "cost": cost})
    return render(request, "plans/waiting.html", {"rows": rows})
