"""What a plan line can buy at a known price, and the unit cost it starts from.

The services are the council's priced services (what its reference rates are for: home care
by the hour, a waking night, a week in a care home...), plus equipment and "something else",
which have no reference rate: their cost is typed in. A line's unit cost starts at the
reference rate in force on the line's start date (`default_unit_cost`); it can be changed.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Service:
    code: str
    label: str
    unit: str  # a key of plans.domain.UNIT_WORDS


# Interim: the council's priced services and illustrative 2026/27 rates (pence), until the
# reference rates of issue 7 (allocation.ReferenceRate) reach main; then both come from there.
_PRICED = (
    Service("home_care", "Home care", "hour"),
    Service("personal_assistant", "Personal assistant", "hour"),
    Service("supported_living", "Supported living", "hour"),
    Service("specialist_support", "Specialist behaviour support", "hour"),
    Service("day_service", "Day service", "day"),
    Service("waking_night", "Waking night", "night"),
    Service("sleeping_night", "Sleep-in night", "night"),
    Service("respite", "Short break in a care home", "night"),
    Service("shared_lives", "Shared Lives", "week"),
    Service("residential", "Residential care", "week"),
    Service("residential_dementia", "Residential care (dementia)", "week"),
    Service("nursing", "Nursing care", "week"),
    Service("meals", "Meals delivered", "meal"),
    Service("telecare", "Telecare", "week"),
)
_INTERIM_RATES = {
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
UNPRICED = (
    Service("equipment", "Equipment", "item"),
    Service("other", "Something else", "item"),
)
SERVICES = (*_PRICED, *UNPRICED)
SERVICE = {s.code: s for s in SERVICES}
CHOICES = [(s.code, s.label) for s in SERVICES]


# The CLD service type a line usually has, for what it buys (the line's type comes first:
# reablement is ST-Max, replacement care is carer support involving the person cared for).
USUAL_SERVICE_TYPE = {
    "residential": "lts_residential",
    "residential_dementia": "lts_residential",
    "nursing": "lts_nursing",
    "telecare": "sts_ongoing_low_level",
    "equipment": "sts_ongoing_low_level",
}
LINE_TYPE_SERVICE_TYPE = {
    "reablement": "sts_st_max",
    "replacement_care": "carer_cared_for",
    "telecare": "sts_ongoing_low_level",
    "equipment": "sts_ongoing_low_level",
}


def usual_service_type(line_type: str, service: str) -> str:
    return LINE_TYPE_SERVICE_TYPE.get(line_type) or USUAL_SERVICE_TYPE.get(service, "lts_community")


def unit_of(service: str) -> str:
    found = SERVICE.get(service)
    return found.unit if found else "item"


def rates_in_force(on: dt.date | None = None) -> dict[str, int]:
    """{service code: pence} in force on a date (today by default)."""
    _ = on or timezone.localdate()
    return dict(_INTERIM_RATES)


def default_unit_cost(service: str, on: dt.date | None = None) -> int | None:
    """The reference rate for a service on a date, in pence; None where there is none."""
    return rates_in_force(on).get(service)
