"""The council's reference rates: what a unit of each kind of support costs it.

The services a council prices (home care by the hour, a waking night, a week in a care home,
...) are fixed here, each with the unit it is priced in; the rates themselves are data with
effective dates (allocation.models.ReferenceRate), kept by commissioners. The RAS is re-based
on them (a waking night costs what a waking night costs), the budget explanation says what an
amount could buy at them, support plans take their unit costs from them, and the demo council
prices its packages with them. No Django imports.

`SHIPPED` are the rates Selfdirect ships with, from 1 April 2026. They are illustrative
2026/27 figures for an English council, rounded: not any council's real rates, and not
taken from a published survey. A council replaces them with its own before relying on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

UNITS = {
    "hour": ("an hour", "hours"),
    "day": ("a day", "days"),
    "night": ("a night", "nights"),
    "week": ("a week", "weeks"),
    "meal": ("a meal", "meals"),
}


@dataclass(frozen=True)
class Service:
    code: str
    label: str
    unit: str  # a key of UNITS
    hint: str = ""

    @property
    def per(self) -> str:
        return UNITS[self.unit][0]

    @property
    def units(self) -> str:
        return UNITS[self.unit][1]


SERVICES = (
    Service("home_care", "Home care", "hour", "Care at home from an agency (domiciliary care)"),
    Service("personal_assistant", "Personal assistant", "hour", "Employed by the person"),
    Service("supported_living", "Supported living", "hour", "Support in the person’s own tenancy"),
    Service(
        "specialist_support",
        "Specialist behaviour support",
        "hour",
        "Staff trained in positive behaviour support, for behaviour that challenges",
    ),
    Service("day_service", "Day service", "day", "A day at a day centre or community service"),
    Service("waking_night", "Waking night", "night", "Someone awake all night"),
    Service("sleeping_night", "Sleep-in night", "night", "Someone asleep in the home, on call"),
    Service("respite", "Short break in a care home", "night", "Respite, giving a carer a break"),
    Service("shared_lives", "Shared Lives", "week", "Living with a Shared Lives carer"),
    Service("residential", "Residential care", "week", "A care home without nursing"),
    Service(
        "residential_dementia",
        "Residential care (dementia)",
        "week",
        "A care home place for a person with dementia",
    ),
    Service(
        "nursing", "Nursing care", "week", "A care home with nursing (before NHS nursing care)"
    ),
    Service("meals", "Meals delivered", "meal", "A hot meal delivered"),
    Service("telecare", "Telecare", "week", "A community alarm and sensors, with monitoring"),
)
BY_CODE = {service.code: service for service in SERVICES}
CHOICES = [(s.code, s.label) for s in SERVICES]

SHIPPED_FROM = dt.date(2026, 4, 1)
# Illustrative 2026/27 rates in pence (see the module docstring).
SHIPPED = {
    "home_care": 2800,
    "personal_assistant": 1700,
    "supported_living": 2450,
    "specialist_support": 3400,
    "day_service": 7000,
    "waking_night": 23000,
    "sleeping_night": 12000,
    "respite": 16000,
    "shared_lives": 55000,
    "residential": 100000,
    "residential_dementia": 110000,
    "nursing": 125000,
    "meals": 650,
    "telecare": 500,
}
assert set(SHIPPED) == set(BY_CODE)


def weekly_cost_pence(units_a_week, rate_pence: int) -> int:
    """Units a week at a rate, to the penny (half up): 10.5 hours at £28.00 is £294.00.

    Units are exact decimals (Decimal, int or a string such as "10.25")."""
    units = Decimal(str(units_a_week)) if not isinstance(units_a_week, Decimal) else units_a_week
    scale = 10 ** max(0, -units.as_tuple().exponent)
    whole = int(units * scale)  # exact: the units have `-exponent` decimal places
    return (2 * whole * int(rate_pence) + scale) // (2 * scale)


def units_for(amount_pence: int, rate_pence: int) -> float:
    """How many units an amount buys at a rate (for "what the amount could buy")."""
    if rate_pence <= 0:
        return 0.0
    return amount_pence / rate_pence
