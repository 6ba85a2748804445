"""Support plans in the API: the same access rules, actions and business rules as the pages.

Money is pounds as strings with two decimals, in and out ("25.50"). Refusals:
- 404: the plan or person does not exist, or is not yours to see (we do not say which);
- 403: you may see it but not do this (an approval by the plan's author, or by someone with
  no authority limit, or a write by a role that does not write plans);
- 409: the plan's status does not allow this now (an illegal transition), or it changed
  under you;
- 422: the request breaks the schema, or a business rule: `detail` lists each problem with
  its `code` (plans/rules.py, budgets/rules.py), the `field` and, for lines, the `line`
  (counting from 1).
An approval above the approver's authority limit (or further above the indicative amount
than the panel threshold) is not refused: the plan goes to the funding panel, answered 202.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from accounts.models import AccessEvent
from config.api_errors import READ_ERRORS, WRITE_ERRORS, Message
from core.actions import ActionError, IllegalTransition
from core.concurrency import EditConflict
from core.money import pounds_text, to_pence
from core.rules import BusinessRuleViolation
from people import access
from people.models import Person

from . import actions, domain, rates
from .models import SupportPlan

router = Router()
MAX_ID = 2**63 - 1
AMOUNT = r"^[0-9]{1,7}(\.[0-9]{1,2})?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

ServiceTypeCode = Literal[tuple(code for code, _ in domain.SERVICE_TYPES)]
LineTypeCode = Literal[tuple(code for code, _ in domain.LINE_TYPES)]
ServiceCode = Literal[tuple(s.code for s in rates.SERVICES)]
FrequencyCode = Literal[tuple(f.code for f in domain.FREQUENCIES)]
StreamCode = Literal[tuple(code for code, _ in domain.FUNDING_STREAMS)]
ModeCode = Literal[tuple(code for code, _ in domain.MODES)]
ProviderKindCode = Literal[tuple(code for code, _ in domain.PROVIDER_KINDS)]
HelperCode = Literal[tuple(SupportPlan.Helper.values)]
StatusCode = Literal[tuple(SupportPlan.Status.values)]


# 403 and 409 answer with a message; 422 may also list business-rule problems.
class ConflictOut(Schema):
    """409: the plan cannot move that way now, or (with the version fields) someone changed it
    since you read it."""

    detail: str
    changed_by: str | None = None
    changed_at: dt.datetime | None = None
    edit_version: int | None = None


PLAN_WRITE = {403: Message, 409: ConflictOut, **WRITE_ERRORS}


class LineIn(Schema):
    """One line of support. Unknown codes are refused by the schema; a line that breaks a rule
    (no cost, an end before its start, reablement longer than six weeks...) with 422."""

    service_type: ServiceTypeCode = Field(..., description="A CLD service type code")
    line_type: LineTypeCode = "care"
    service: ServiceCode = Field(
        "other", description="What it pays for: the unit cost defaults to its reference rate"
    )
    description: str = Field(..., max_length=500)
    provider: str | None = Field(None, max_length=200)
    provider_kind: ProviderKindCode | None = Field(
        None, description="Defaults to a provider when one is named, else to be arranged"
    )
    carer: int | None = Field(
        None, ge=1, le=MAX_ID, description="Replacement care: the carer's person id"
    )
    carer_name: str = Field("", max_length=200, description="Replacement care: the carer")
    units: str = Field(..., pattern=AMOUNT, description='How many each time, e.g. "10"')
    unit_cost: str | None = Field(
        None, pattern=AMOUNT, description="Pounds for each unit; null for the reference rate"
    )
    frequency: FrequencyCode
    funding_stream: StreamCode = "council"
    mode: ModeCode = "council_managed"
    start: str = Field(..., pattern=DATE, description="YYYY-MM-DD")
    end: str | None = Field(None, pattern=DATE, description="YYYY-MM-DD, or null")


class OutcomeIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    needs: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Codes of eligible outcomes the person cannot achieve (from the decision)",
    )


class RiskIn(Schema):
    risk: str = Field(..., min_length=1, max_length=2000)
    how_managed: str = Field(..., min_length=1, max_length=2000)


class PlanIn(Schema):
    lines: list[LineIn] = Field(default_factory=list, max_length=200)
    outcomes: list[OutcomeIn] = Field(default_factory=list, max_length=50)
    risks: list[RiskIn] = Field(default_factory=list, max_length=50)
    no_risks: bool = False
    helpers: list[HelperCode] = Field(default_factory=list, max_length=10)
    helpers_detail: str = Field("", max_length=2000)


class SubmitIn(Schema):
    reason: str = Field(
        "", max_length=4000, description="Required if it costs more than the budget"
    )
    edit_version: int | None = Field(
        None,
        ge=0,
        le=2_147_483_647,
        description="The plan's edit_version as you read it: a change since is a 409",
    )


class ApproveIn(Schema):
    start: str | None = Field(None, pattern=DATE, description="YYYY-MM-DD; default: first line")
    note: str = Field("", max_length=2000)


class ReturnIn(Schema):
    comment: str = Field(..., max_length=4000, description="What needs to change")


class LineOut(Schema):
    id: int
    service_type: str
    service_type_label: str
    line_type: str
    service: str
    description: str
    provider: str | None
    provider_kind: str
    carer: int | None
    carer_name: str
    units: str
    unit: str
    unit_cost: str
    reference_rate: str | None
    frequency: str
    cost_each_time: str
    weekly_cost: str | None
    conversion: str
    one_off: bool
    funding_stream: str
    mode: str
    start: dt.date
    end: dt.date | None


class PlanOut(Schema):
    id: int
    person: int
    status: StatusCode
    weekly_total: str
    budget_weekly_amount: str | None
    one_off_total: str
    budget_amount: str
    budget_period: str
    over_budget_reason: str
    author: str
    author_id: int
    edit_version: int
    lines: list[LineOut]


class ServiceTypeOut(Schema):
    code: str
    label: str


# --- Helpers --------------------------------------------------------------------------------


def _date(value: str | None, field: str, line: int | None = None):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Problems(
            [_item("PLAN-DATE", f"{value} is not a real date", field=field, line=line)]
        ) from None


class _Problems(Exception):
    def __init__(self, items):
        self.items = items


def _item(code, message, *, field=None, line=None) -> dict:
    item = {"type": "rule", "code": code, "field": field, "message": message}
    if line is not None:
        item["line"] = line
    return item


def _line_values(body: LineIn, user, number: int | None = None) -> dict:
    """The action's values for a line; every problem the schema cannot see (an impossible
    date, a carer you may not see) and every line rule it breaks, named together."""
    found = []
    carer = None
    if body.carer is not None:
        carer = Person.objects.visible_to(user).filter(pk=body.carer).first()
        if carer is None:
            found.append(_item("PLAN-LINE-CARER", "No such carer", field="carer", line=number))
    dates = {}
    for field, value in (("start", body.start), ("end", body.end)):
        try:
            dates[field] = _date(value, field, number)
        except _Problems as problems:
            found.extend(problems.items)
            dates[field] = None
    values = {
        "service_type": body.service_type,
        "line_type": body.line_type,
        "service": body.service,
        "description": body.description,
        "provider": body.provider or "",
        "provider_kind": body.provider_kind or "",
        "carer": carer,
        "carer_name": body.carer_name,
        "units": Decimal(body.units),
        "unit_cost_pence": None if body.unit_cost is None else to_pence(body.unit_cost),
        "frequency": body.frequency,
        "funding_stream": body.funding_stream,
        "mode": body.mode,
        "start_date": dates["start"],
        "end_date": dates["end"],
    }
    if found:
        # The line's own rules too (dates aside), so one answer names every problem.
        trial = actions.build_line(
            SupportPlan(), {**values, "start_date": dates["start"] or dt.date.today()}
        )
        found.extend(
            _item(p.code, p.message, field=_api_field(p.code), line=number)
            for p in actions.line_problems(trial)
            if _api_field(p.code) not in ("start", "end")
        )
        raise _Problems(found)
    return values


def _line_out(line) -> dict:
    cost = line.cost
    return {
        "id": line.pk,
        "service_type": line.service_type,
        "service_type_label": line.get_service_type_display(),
        "line_type": line.line_type,
        "service": line.service,
        "description": line.description,
        "provider": line.provider or None,
        "provider_kind": line.provider_kind,
        "carer": line.carer_id,
        "carer_name": line.carer_shown if line.line_type == "replacement_care" else "",
        "units": f"{Decimal(line.units):.2f}",
        "unit": line.unit,
        "unit_cost": pounds_text(line.unit_cost_pence),
        "reference_rate": pounds_text(line.reference_rate_pence),
        "frequency": line.frequency,
        "cost_each_time": pounds_text(cost.occurrence_pence),
        "weekly_cost": pounds_text(cost.weekly_pence),
        "conversion": line.conversion,
        "one_off": cost.one_off,
        "funding_stream": line.funding_stream,
        "mode": line.mode,
        "start": line.start_date,
        "end": line.end_date,
    }


def _plan_out(plan: SupportPlan) -> dict:
    lines = list(plan.lines.select_related("carer"))
    cost = actions.plan_cost(plan, lines)
    budget = plan.budget
    return {
        "id": plan.pk,
        "person": plan.person_id,
        "status": plan.status,
        "weekly_total": pounds_text(cost.weekly_pence),
        # A one-off budget has no weekly amount: never compared across periods.
        "budget_weekly_amount": None
        if budget.period == "once"
        else pounds_text(domain.per_week(budget.amount_pence, budget.period)),
        "one_off_total": pounds_text(cost.totals.one_off_pence),
        "budget_amount": pounds_text(budget.amount_pence),
        "budget_period": budget.period,
        "over_budget_reason": plan.over_budget_reason,
        "author": plan.author.display_name,
        "author_id": plan.author_id,
        "edit_version": plan.edit_version,
        "lines": [_line_out(line) for line in lines],
    }


def _person(request, person_id, via: str, action=AccessEvent.Action.API_READ) -> Person:
    try:
        return access.open_person(request.auth, person_id, via=via, action=action)
    except access.NotVisible:
        raise HttpError(404, "Not found") from None


def _plan(request, plan_id, via: str) -> SupportPlan:
    plan = (
        SupportPlan.objects.select_related("budget", "author").filter(pk=plan_id).first()
        if access.is_record_id(plan_id)
        else None
    )
    if plan is None:
        access.log_denied(request.auth, f"plan {plan_id}", via=via)
        raise HttpError(404, "Not found")
    plan.person = _person(request, plan.person_id, via)
    return plan


FORBIDDEN = {"PLAN-APPROVER-IS-AUTHOR", "PLAN-NO-AUTHORITY-LIMIT"}
CONFLICT = {
    "ILLEGAL-TRANSITION",
    "CONCURRENT-TRANSITION",
    "PLAN-NOT-EDITABLE",
    "PLAN-ALREADY-OPEN",
    "PLAN-NO-BUDGET",
}


def _conflict(conflict: EditConflict):
    """409: someone changed the plan since this client read it (nothing was saved)."""
    return Status(
        409,
        {
            "detail": str(conflict),
            "changed_by": conflict.by,
            "changed_at": conflict.at,
            "edit_version": conflict.record.edit_version,
        },
    )


def _refused(error: ActionError):
    """The answer for an action's refusal: 403, 409 or 422 (listing each problem)."""
    if isinstance(error, IllegalTransition) or error.code in CONFLICT:
        return Status(409, {"detail": error.message})
    if isinstance(error, BusinessRuleViolation):
        forbidden = [p for p in error.problems if p.code in FORBIDDEN]
        if forbidden:
            return Status(403, {"detail": forbidden[0].message})
        items = getattr(error, "items", None)
        if items is not None:
            detail = [
                _item(
                    p.code,
                    p.message,
                    field=_api_field(p.code),
                    line=number,
                )
                for number, p in items
            ]
        else:
            detail = [_item(p.code, p.message, field=_api_field(p.code)) for p in error.problems]
        return Status(422, {"detail": detail})
    return Status(422, {"detail": [_item(error.code, error.message)]})


def _api_field(code: str) -> str | None:
    from .rules import FIELD_OF

    field = FIELD_OF.get(code)
    return {"start_date": "start", "end_date": "end"}.get(field, field) if field else None


# --- Endpoints ------------------------------------------------------------------------------


@router.get(
    "/plans/service-types",
    response={200: list[ServiceTypeOut], **READ_ERRORS},
    summary="The service types a plan line can have",
)
def service_types(request):
    """The Client Level Data "Service Type" list: the codes a line's `service_type` takes."""
    return [{"code": code, "label": label} for code, label in domain.SERVICE_TYPES]


@router.get(
    "/people/{person_id}/plans",
    response={200: list[PlanOut], **READ_ERRORS},
    summary="A person's support plans",
)
def list_plans(request, person_id: int = Path(..., ge=1, le=MAX_ID)):
    """Every plan of the person, newest first (the read of the person is logged)."""
    person = _person(request, person_id, "api:list_plans")
    plans = SupportPlan.objects.filter(person=person).select_related("budget", "author")
    out = []
    for plan in plans:
        plan.person = person
        out.append(_plan_out(plan))
    return out


@router.post(
    "/people/{person_id}/plans",
    response={201: PlanOut, **PLAN_WRITE},
    summary="Start a support plan",
)
def create_plan(request, body: PlanIn, person_id: int = Path(..., ge=1, le=MAX_ID)):
    """Start a draft plan against the person's proposed budget, with its lines (and, if given,
    what matters, staying safe and who helped): all of it, or (422, naming each problem)
    none. 409 if the person has no proposed budget or already has a plan on its way."""
    user = request.auth
    person = _person(request, person_id, "api:create_plan")
    if not user.has_perm("plans.add_supportplan"):
        raise HttpError(403, "Only the person, their representative and practitioners write plans")
    try:
        lines = [_line_values(line, user, n) for n, line in enumerate(body.lines, start=1)]
        plan = actions.start_plan_with(
            person,
            acting_user=user,
            lines=lines,
            outcomes=[(o.text, o.needs) for o in body.outcomes],
            risks=[(r.risk, r.how_managed) for r in body.risks],
            no_risks=body.no_risks,
            helpers=list(body.helpers),
            helpers_detail=body.helpers_detail,
        )
    except _Problems as problems:
        return Status(422, {"detail": problems.items})
    except ActionError as error:
        return _refused(error)
    plan.person = person
    return Status(201, _plan_out(plan))


@router.get("/plans/{plan_id}", response={200: PlanOut, **READ_ERRORS}, summary="Read a plan")
def get_plan(request, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    """The plan with its lines and totals, if you may see its person; otherwise 404."""
    return _plan_out(_plan(request, plan_id, "api:get_plan"))


@router.post(
    "/plans/{plan_id}/lines",
    response={201: PlanOut, **PLAN_WRITE},
    summary="Add a line to a plan",
)
def add_line(
    request,
    body: LineIn,
    plan_id: int = Path(..., ge=1, le=MAX_ID),
    edit_version: int | None = Query(
        None, ge=0, le=2_147_483_647, description="The plan's edit_version as you read it"
    ),
):
    """Add one line to a draft (or returned) plan; the plan comes back with its new totals.
    409 if the plan cannot be changed now, or (with `edit_version`) changed since you read it;
    422 naming each rule the line breaks."""
    user = request.auth
    plan = _plan(request, plan_id, "api:add_line")
    if not user.has_perm("plans.add_supportplan"):
        raise HttpError(403, "Only the person, their representative and practitioners write plans")
    try:
        values = _line_values(body, user)
        actions.add_line(plan, values, acting_user=user, expected_version=edit_version)
    except _Problems as problems:
        return Status(422, {"detail": problems.items})
    except EditConflict as conflict:
        return _conflict(conflict)
    except ActionError as error:
        return _refused(error)
    plan.refresh_from_db()
    return Status(201, _plan_out(plan))


@router.post(
    "/plans/{plan_id}/submit",
    response={200: PlanOut, **PLAN_WRITE},
    summary="Send a plan for approval",
)
def submit(request, body: SubmitIn, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    """Send a draft or returned plan for approval. A plan that costs more than its budget needs
    a `reason`; anything missing is a 422 naming each rule (PLAN-NO-LINES, ...)."""
    user = request.auth
    plan = _plan(request, plan_id, "api:submit_plan")
    if not user.has_perm("plans.add_supportplan"):
        raise HttpError(403, "Only the person, their representative and practitioners send plans")
    try:
        actions.submit_plan(
            plan, acting_user=user, reason=body.reason, expected_version=body.edit_version
        )
    except EditConflict as conflict:
        return _conflict(conflict)
    except ActionError as error:
        return _refused(error)
    plan.refresh_from_db()
    return _plan_out(plan)


@router.post(
    "/plans/{plan_id}/approve",
    response={200: PlanOut, 202: PlanOut, **PLAN_WRITE},
    summary="Approve a plan",
)
def approve(request, body: ApproveIn, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    """Approve a sent plan and agree its budget (200: approved, or active if it starts today or
    earlier). Above your authority limit, or further above the indicative amount than the
    panel threshold, it goes to the funding panel instead (202, status `panel`). 403 for the
    plan's own author or sender, anyone but an approver, or an approver with no limit; 422
    for a budget rule (a direct payment not offered, no reserve for a costed plan, ...)."""
    user = request.auth
    plan = _plan(request, plan_id, "api:approve_plan")
    if user.role != "approver":
        raise HttpError(403, "Only approvers approve plans")
    try:
        start = _date(body.start, "start")
        result = actions.approve_plan(plan, acting_user=user, start_date=start, note=body.note)
    except _Problems as problems:
        return Status(422, {"detail": problems.items})
    except ActionError as error:
        return _refused(error)
    result.person = plan.person
    if result.status == SupportPlan.Status.PANEL:
        return Status(202, _plan_out(result))
    return _plan_out(result)


@router.post(
    "/plans/{plan_id}/return",
    response={200: PlanOut, **PLAN_WRITE},
    summary="Return a plan for changes",
)
def return_plan(request, body: ReturnIn, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    """Send a plan back with a comment saying what needs to change (practitioners and
    approvers). 409 unless it was sent or is with the panel; 422 without a comment."""
    user = request.auth
    plan = _plan(request, plan_id, "api:return_plan")
    if not user.edits_records:
        raise HttpError(403, "Only practitioners and approvers return plans")
    try:
        actions.return_plan(plan, acting_user=user, comment=body.comment)
    except ActionError as error:
        return _refused(error)
    plan.refresh_from_db()
    return _plan_out(plan)


@router.get(
    "/plans/{plan_id}/letter.pdf",
    response=READ_ERRORS,
    summary="The budget letter, as a PDF",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The budget letter (the same as the letter page), as a PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def letter_pdf(request, plan_id: int = Path(..., ge=1, le=MAX_ID)):
    """The budget letter of a plan whose budget is agreed (approved, active or ended), drawn
    from the letter page's template (challenges/letter.py). 404 if you may not see the plan's
    person, or the plan's budget is not agreed yet."""
    from challenges import actions as letter_actions
    from challenges import letter
    from challenges.views import pdf_response

    plan = _plan(request, plan_id, "api:letter_pdf")
    if plan.status not in letter_actions.AGREED or plan.budget.status == "proposed":
        raise HttpError(404, "Not found")
    return pdf_response(letter.build(plan), request)
