"""A budget explained, in words the reader understands (statutory guidance 11.22-11.28;
R (KM) v Cambridgeshire [2012] UKSC 23: a council must explain how a personal budget was
reached, and the amount must be enough to meet the eligible needs, whatever a RAS says).

One builder for the pages (staff, the person, their representative) and the API, for a
person's current (or proposed) budget or an assessment's indicative amount alone. Its money
lines always add up to the amount exactly:
- a budget from a RAS amount: the RAS's lines, then one line for any difference between the
  final amount and the indicative one, with its reasons;
- a budget arranged before the RAS: the services it pays for (units × rate);
- otherwise one line: the amount agreed.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from allocation.domain import rates as rate_catalogue
from allocation.models import Allocation, ReferenceRate
from core.money import format_pence, period_words, to_pence

# The services whose hours "the amount could buy" is shown in (guidance 11.24: the person
# should be able to see what the budget means in practice).
COULD_BUY = ("home_care", "personal_assistant")


@dataclass
class Line:
    kind: str  # answer, not_counted, reduction, fixed, band, limit, costed_plan, difference, service, agreed
    heading: str
    detail: str = ""
    points: int | None = None
    amount_pence: int | None = None


@dataclass
class Explained:
    audience: str  # "person", "representative" or "staff"
    name: str  # the person's first name (for a representative), full name (staff)
    status: str  # "provisional", "indicative", "not_eligible", "proposed", "agreed"
    amount_pence: int | None  # None: no indicative amount (a band below the threshold)
    period: str
    lines: list[Line] = field(default_factory=list)
    scheme_words: str = ""
    rule_text: str = ""
    total_points: int | None = None
    could_buy: list[str] = field(default_factory=list)
    costed_plan: bool = False
    at_maximum: bool = False
    difference_reason: str = ""
    started: dt.date | None = None
    budget_id: int | None = None
    allocation_id: int | None = None
    person_id: int | None = None
    indicative_pence: int | None = None  # where an agreed budget started (guidance 11.22)
    one_off_pence: int = 0  # one-off costs agreed beside a weekly budget

    @property
    def indicative_text(self) -> str:
        if self.indicative_pence is None:
            return ""
        return f"{format_pence(self.indicative_pence)} {period_words(self.period)}"

    @property
    def differs_by_text(self) -> str:
        """How far the budget is from its indicative amount, in words ("" when equal)."""
        if self.indicative_pence is None or self.indicative_pence == self.amount_pence:
            return ""
        gap = self.amount_pence - self.indicative_pence
        return f"{format_pence(abs(gap))} {'more' if gap > 0 else 'less'}"

    @property
    def amount_text(self) -> str:
        if self.amount_pence is None:  # a band with no indicative amount (not £0)
            return "No indicative amount"
        return f"{format_pence(self.amount_pence)} {period_words(self.period)}"

    @property
    def money_lines(self) -> list[Line]:
        return [line for line in self.lines if line.amount_pence is not None]

    def adds_up(self) -> bool:
        return sum(line.amount_pence for line in self.money_lines) == self.amount_pence


def audience_for(user, person) -> str:
    if person.user_id and person.user_id == getattr(user, "pk", None):
        return "person"
    if person.representative_id and person.representative_id == getattr(user, "pk", None):
        return "representative"
    return "staff"


def scheme_words(version) -> str:
    """A version in plain words: never its internal label ("Shipped default")."""
    kind = "carers" if version.scheme.kind == "carer" else "people"
    start = version.effective_from
    since = f", in force from {start.day} {start:%B %Y}" if start else ""
    return f"the council’s Resource Allocation System for {kind}{since}"


NEUTRAL = {
    "informal_support": "Fewer points for the support family and friends give",
    "informal_support_not_counted": "Family and friends’ support did not reduce the points",
    "fixed_amount": "A fixed amount everyone receives",
    "band": "The amount for the band the points fall in",
    "no_amount": "The points fall in a band with no indicative amount",
    "not_asked": "An answer to a question the other answers did not lead to: it does not count",
    "limit": "The least or most the scheme gives applied",
    "costed_plan": "Some needs are complex: the final budget is the cost of the support plan "
    "that meets them, and this amount is only a guide",
    "carer_allocation": "The carer’s own amount, from the support family and friends give, "
    "apart from this budget",
}


HEADINGS = {
    "informal_support": ("Support from family and friends", "reduction"),
    "informal_support_not_counted": ("Support from family and friends", "reduction"),
    "fixed_amount": ("A fixed amount for everyone", "fixed"),
    "band": ("The band the points fall in", "band"),
    "no_amount": ("No indicative amount", "band"),
    "not_asked": ("A question not asked", "not_counted"),
    "limit": ("A limit applied", "limit"),
    "costed_plan": ("Complex needs: a costed support plan", "costed_plan"),
    "carer_allocation": ("The carer’s own amount", "carer_allocation"),
}


def _ras_lines(allocation: Allocation, audience: str = "person") -> list[Line]:
    """The RAS's lines. The engine's sentences speak to the person ("you answered..."): other
    readers get the same facts in the third person."""
    lines = []
    for raw in allocation.lines:
        kind = raw["kind"]
        amount = to_pence(raw["amount"]) if raw.get("amount") is not None else None
        if kind == "answer":
            lines.append(
                Line(
                    "answer",
                    raw.get("question") or "",
                    raw.get("answer") or "",
                    raw.get("points"),
                    amount,
                )
            )
        elif kind == "not_eligible_need":
            lines.append(
                Line(
                    "not_counted",
                    raw.get("question") or "",
                    raw.get("answer") or "",
                    0,
                    amount,
                )
            )
        elif kind == "support":  # a cost-rate answer: units of a service at the reference rate
            lines.append(
                Line("support", raw.get("question") or "", _support_words(raw), None, amount)
            )
        elif kind in NEUTRAL:
            heading, short = HEADINGS[kind]
            words = raw.get("text", "") if audience == "person" else NEUTRAL[kind]
            lines.append(Line(short, heading, words, raw.get("points"), amount))
        else:
            lines.append(
                Line(
                    kind,
                    kind.replace("_", " ").capitalize(),
                    raw.get("text", ""),
                    raw.get("points"),
                    amount,
                )
            )
    return lines


def _could_buy(amount_pence: int, period: str, on: dt.date) -> list[str]:
    if period != "week" or not amount_pence or amount_pence <= 0:
        return []
    rates = ReferenceRate.objects.in_force(on=on)
    found = []
    for code in COULD_BUY:
        rate = rates.get(code)
        if not rate:
            continue
        hours = amount_pence / rate  # an illustration, not money: a float is fine here
        info = rate_catalogue.BY_CODE[code]
        found.append(
            f"about {hours:.1f} hours of {info.label.lower()} a week, at {format_pence(rate)} an hour"
        )
    return found


def for_allocation(allocation: Allocation, *, user) -> Explained:
    person = allocation.assessment.person
    status = {
        Allocation.Status.PROVISIONAL: "provisional",
        Allocation.Status.INDICATIVE: "indicative",
        Allocation.Status.NOT_ELIGIBLE: "not_eligible",
    }[allocation.status]
    explained = Explained(
        person_id=person.pk,
        audience=audience_for(user, person),
        name=person.first_name
        if audience_for(user, person) == "representative"
        else person.full_name,
        status=status,
        amount_pence=allocation.amount_pence,
        period=allocation.period,
        lines=_ras_lines(allocation, audience_for(user, person)),
        scheme_words=scheme_words(allocation.version),
        rule_text=allocation.rule_text,
        total_points=allocation.total_points,
        costed_plan=bool(allocation.costed_plan_route),
        at_maximum=allocation.at_maximum,
        allocation_id=allocation.pk,
    )
    explained.could_buy = _could_buy(
        allocation.amount_pence, allocation.period, timezone.localdate()
    )
    return explained


def for_budget(budget, *, user) -> Explained:
    person = budget.person
    audience = audience_for(user, person)
    explained = Explained(
        person_id=person.pk,
        audience=audience,
        name=person.first_name if audience == "representative" else person.full_name,
        status="agreed" if budget.status == "active" else "proposed",
        amount_pence=budget.amount_pence,
        period=budget.period,
        costed_plan=budget.costed_plan,
        difference_reason=budget.reason,
        started=budget.start_date,
        budget_id=budget.pk,
        indicative_pence=budget.indicative_pence,
        one_off_pence=budget.one_off_pence or 0,
    )
    allocation = budget.allocation
    services = list(budget.services.all()) if hasattr(budget, "services") else []
    if allocation is not None and allocation.status != Allocation.Status.NOT_ELIGIBLE:
        explained.lines = _ras_lines(allocation, audience)
        explained.scheme_words = scheme_words(allocation.version)
        explained.rule_text = allocation.rule_text
        explained.total_points = allocation.total_points
        explained.at_maximum = allocation.at_maximum
        explained.allocation_id = allocation.pk
        difference = budget.amount_pence - allocation.amount_pence
        if difference:
            direction = "more" if difference > 0 else "less"
            explained.lines.append(
                Line(
                    "difference",
                    f"Agreed {format_pence(abs(difference))} {direction} than the indicative amount",
                    budget.reason or "",
                    None,
                    difference,
                )
            )
    elif services:
        for service in services:
            info = rate_catalogue.BY_CODE.get(service.service)
            label = info.label if info else service.service
            if info is None:
                word = "units"
            else:
                word = info.unit if service.units_a_week == 1 else info.units
            explained.lines.append(
                Line(
                    "service",
                    label,
                    f"{service.units_a_week.normalize():f} {word} a week at "
                    f"{format_pence(service.unit_cost_pence)}",
                    None,
                    service.weekly_pence,
                )
            )
        if sum(s.weekly_pence for s in services) != budget.amount_pence:
            explained.lines.append(
                Line(
                    "difference",
                    "Agreed on top of the services listed",
                    budget.reason or "",
                    None,
                    budget.amount_pence - sum(s.weekly_pence for s in services),
                )
            )
    else:
        explained.lines.append(
            Line("agreed", "The amount agreed", budget.reason or "", None, budget.amount_pence)
        )
    explained.could_buy = _could_buy(budget.amount_pence, budget.period, timezone.localdate())
    return explained


def challenge_url(x: Explained, user) -> str:
    """Where the reader challenges the amount: the person or their representative, the
    portal's challenge route (challenges app); staff, the challenges to answer. Before a
    budget exists (an indicative amount alone) the person is pointed there too: the route
    says what can be challenged yet."""
    from accounts.roles import CITIZEN_ROLES

    role = getattr(user, "role", None)
    if role in CITIZEN_ROLES and x.person_id:
        return reverse("challenges:start", args=[x.person_id])
    if getattr(user, "is_council_staff", False):
        return reverse("challenges:open")
    return reverse("feedback")


def _support_words(raw: dict) -> str:
    """A cost-rate line in words for every reader: "Lots: home care, 14 hours at £28.00 an
    hour" (the hours an answer calls for, priced at the council's reference rate)."""
    from allocation.domain import rates as catalogue

    service = catalogue.BY_CODE.get(raw.get("service") or "")
    if service is None:
        return raw.get("text", "")
    units = raw.get("units") or "0"
    unit = service.per.split(" ", 1)[1] if units == "1" else service.units
    return (
        f"{raw.get('answer') or ''}: {service.label.lower()}, {units} {unit} at "
        f"£{raw.get('rate')} {service.per}"
    )
