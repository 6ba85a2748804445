"""Agreed support for the demo council, shaped like England's (DESIGN.md §6), deterministic
from the seed: how each budget is taken, its funding, the funding panel, carers' budgets,
reviews and reablement.

Shapes, from NHS England's Adult Social Care Activity and Finance Report (2023-24) and the
ASCOF: about three in ten people on long-term support live in a care home (the demo's
packages, demo/needs.py, decide who); among people in the community about a quarter take a
direct payment (some alongside council-managed support), a few hold an individual service
fund, and the rest have council-managed support. A small share of budgets are above the RAS
amount by agreement of the funding panel. Reviews: about a fifth of people are overdue one.
Reablement: most people (about four in five) are still at home 91 days after leaving hospital.

It draws from a random stream of its own (`support:<seed>`), so adding it changed no value the
rest of the council gets from the seed. No Django imports: demo/actions.py loads it.
"""

import datetime as dt
import random
from calendar import monthrange

from .draws import pick

CARE_HOMES = {"residential", "residential_dementia", "nursing"}
ISF_PROVIDERS = [
    "Northtown Living Well",
    "Riverside Supported Living",
    "Oakfield Care Partnership",
    "Brightpath Support",
]
DECLINED_REASONS = [
    "I don’t want to manage the money or employ anyone",
    "My daughter says the council arranging it is simpler for us",
    "I tried one before and found the paperwork too much",
]
ASCOT_CODES = [
    "control",
    "personal_care",
    "food_drink",
    "safety",
    "social",
    "occupation",
    "accommodation",
    "dignity",
]
# An ASCOT domain's rating, 3 (no needs) to 0 (high needs), as reviews record them.
ASCOT_MIX = [(3, 3), (2, 5), (1, 2), (0, 0.5)]
REABLEMENT_OUTCOMES = [("no_further", 55), ("long_term", 30), ("other", 15)]
CHANGES = [
    "Nothing changes: the support is working well",
    "An extra half hour on Sunday mornings",
    "Move the day service to Tuesdays",
    "Look into telecare for the nights",
    "A carer’s assessment offered to their son",
]


def _months(day: dt.date, months: int) -> dt.date:
    """`day + relativedelta(months=months)`, for a date: the same day of the month that many
    months on, or that month's last day if it is shorter (without relativedelta's cost)."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def build_support(council, seed: int, as_of: dt.date) -> None:
    """Fill `council.support` (one entry per budget, same order), `council.carer_budgets`,
    `council.reviews` and `council.reablement`."""
    rng = random.Random(f"support:{seed}")
    for budget in council.budgets:
        council.support.append(_ways(rng, budget))
        council.reviews.extend(_reviews(rng, budget, as_of))
    for assessment in council.assessments:
        if assessment["kind"] == "carer" and assessment["eligible"]:
            council.carer_budgets.append(_carer_budget(rng, assessment))
    for index, person in enumerate(council.people):
        if person.get("client_type") == "carer" or person["date_of_death"] is not None:
            continue
        if rng.random() < 0.06:
            council.reablement.append(_reablement(rng, index, as_of))


def _ways(rng: random.Random, budget: dict) -> dict:
    """How the money is taken and where it comes from; the panel for a few."""
    amount = budget["weekly_pence"]
    care_home = any(service in CARE_HOMES for service, *_rest in budget["services"])
    shares, offer = [], None
    if care_home:
        shares.append(("council_managed", amount, ""))
    else:
        draw = rng.random()
        if draw < 0.18:
            shares.append(("direct_payment", amount, ""))
            offer = ("taken_up", "")
        elif draw < 0.25:  # mixed: part a direct payment, part arranged by the council
            part = round(amount * rng.uniform(0.3, 0.7))
            shares += [("direct_payment", part, ""), ("council_managed", amount - part, "")]
            offer = ("taken_up", "")
        elif draw < 0.33:
            shares.append(("isf", amount, rng.choice(ISF_PROVIDERS)))
        else:
            shares.append(("council_managed", amount, ""))
            if rng.random() < 0.5:
                offer = ("declined", rng.choice(DECLINED_REASONS))
    streams = [("council", amount)]
    if rng.random() < 0.05:  # jointly funded with the NHS
        nhs = amount // 2
        streams = [("council", amount - nhs), ("nhs_joint", nhs)]
    panel = None
    if rng.random() < 0.07:  # above the RAS amount, agreed by the funding panel
        indicative = round(amount * rng.uniform(0.7, 0.9))
        panel = {
            "indicative_pence": indicative,
            "requested_pence": amount,
            "reasons": rng.choice(
                [
                    "Two carers needed for every visit: the RAS does not see it",
                    "Night-time support to keep them safe at home",
                    "A specialist placement near their family",
                ]
            ),
        }
    return {
        "care_home": care_home,
        "shares": shares,
        "streams": streams,
        "offer": offer,
        "panel": panel,
    }


def _reviews(rng: random.Random, budget: dict, as_of: dt.date) -> list[dict]:
    """The last review done (if one was due) and the next one: within 6 months of the start,
    then every 12 months; about a fifth of people are behind."""
    start = budget["start_date"]
    due = [_months(start, 6)]
    while due[-1] < as_of:
        due.append(_months(due[-1], 12))
    behind = rng.random() < 0.2 and len(due) > 1
    open_due = due[-2] if behind else due[-1]
    rows = []
    done = [d for d in due if d < open_due]
    if done:
        last = done[-1]
        completed = min(
            as_of - dt.timedelta(days=1), last + dt.timedelta(days=rng.randrange(-20, 40))
        )
        rows.append(
            {
                "person": budget["person"],
                "kind": "first" if len(done) == 1 else "annual",
                "due_on": last,
                "status": "completed",
                "completed_on": completed,
                "ascot": {code: pick(rng, ASCOT_MIX) for code in ASCOT_CODES},
                "changes": rng.choice(CHANGES),
            }
        )
    rows.append(
        {
            "person": budget["person"],
            "kind": "first" if not done else "annual",
            "due_on": open_due,
            "status": "scheduled",
            "completed_on": None,
            "ascot": {},
            "changes": "",
        }
    )
    return rows


def _carer_budget(rng: random.Random, assessment: dict) -> dict:
    """A yearly carer's budget, mostly for breaks, paid as a direct payment."""
    once = rng.random() < 0.25
    return {
        "person": assessment["person"],
        "period": "once" if once else "year",
        "amount_pence": rng.randrange(150, 600) * 100 if once else rng.randrange(300, 1500) * 100,
        "purpose": rng.choice(
            ["Short breaks", "A break away each year", "Driving lessons", "A gym membership"]
        ),
        "start_date": assessment["completed"] + dt.timedelta(days=rng.randrange(7, 30)),
    }


def _reablement(rng: random.Random, person: int, as_of: dt.date) -> dict:
    start = as_of - dt.timedelta(days=rng.randrange(10, 400))
    after_hospital = rng.random() < 0.7
    length = rng.randrange(14, 43)
    end = start + dt.timedelta(days=length - 1)
    outcome = pick(rng, REABLEMENT_OUTCOMES)
    ended = end < as_of
    discharged = start - dt.timedelta(days=rng.randrange(0, 3)) if after_hospital else None
    at_home = None
    if after_hospital and ended and discharged + dt.timedelta(days=91) <= as_of:
        at_home = rng.random() < 0.82
    return {
        "person": person,
        "starts_on": start,
        "planned_end_on": start + dt.timedelta(days=41),
        "after_hospital": after_hospital,
        "discharged_on": discharged,
        "status": "ended" if ended else "open",
        "ended_on": end if ended else None,
        "outcome": outcome if ended else "",
        "outcome_detail": "Moved to live with family" if ended and outcome == "other" else "",
        "at_home_after_91_days": at_home,
    }
