"""A person's current budget in the API: the same access rules and explanation as the pages."""

import datetime as dt

from ninja import Field, Router, Schema
from ninja.errors import HttpError

from accounts.models import AccessEvent
from config.api_errors import READ_ERRORS
from core.money import pounds_text
from people import access

from . import explained as explain
from .views import current_budget

router = Router()


class BudgetLineOut(Schema):
    kind: str
    heading: str
    detail: str
    points: int | None
    amount: str | None


class CarerPartOut(Schema):
    amount: str | None = Field(
        description="The carer's own amount in pounds, or null for none (the band gives none, "
        "or the person helping cannot or will not go on)"
    )
    period: str


class BudgetOut(Schema):
    id: int
    person: int
    status: str
    amount: str
    period: str
    start_date: dt.date
    indicative_amount: str | None
    one_off_amount: str = Field(
        description="One-off costs agreed beside a weekly budget (equipment, a short break)"
    )
    costed_plan: bool
    version: str | None
    carer_amount: CarerPartOut | None = Field(
        description="For a RAS version whose family-support answers give the person helping an "
        "amount of their own (carer_allocation): that amount, apart from this budget and never "
        "taken from it; null otherwise"
    )
    lines: list[BudgetLineOut]


@router.get(
    "/people/{person_id}/budget",
    response={200: BudgetOut, **READ_ERRORS},
    summary="Read a person's current budget, explained",
)
def get_budget(request, person_id: int):
    """The person's current (or proposed) budget: amount, period, the RAS version it came
    from, and the lines that explain it, whose amounts add up to the budget exactly. 404 when
    there is none, or the caller may not see the person (the read is logged)."""
    try:
        person = access.open_person(
            request.auth, person_id, via="api:get_budget", action=AccessEvent.Action.API_READ
        )
    except access.NotVisible:
        raise HttpError(404, "Not found") from None
    budget = current_budget(person)
    if budget is None:
        raise HttpError(404, "Not found")
    x = explain.for_budget(budget, user=request.auth)
    return {
        "id": budget.pk,
        "person": person.pk,
        "status": budget.status,
        "amount": pounds_text(budget.amount_pence),
        "period": budget.period,
        "start_date": budget.start_date,
        "indicative_amount": pounds_text(budget.indicative_pence),
        "one_off_amount": pounds_text(budget.one_off_pence),
        "costed_plan": budget.costed_plan,
        "version": str(budget.allocation.version) if budget.allocation_id else None,
        "carer_amount": _carer_part(budget.allocation) if budget.allocation_id else None,
        "lines": [
            {
                "kind": line.kind,
                "heading": line.heading,
                "detail": line.detail,
                "points": line.points,
                "amount": pounds_text(line.amount_pence),
            }
            for line in x.lines
        ],
    }


def _carer_part(allocation) -> dict | None:
    if not allocation.has_carer_part or not allocation.shows_money:
        return None
    return {"amount": pounds_text(allocation.carer_amount_pence), "period": allocation.carer_period}
