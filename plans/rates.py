"""What a plan line can buy at a known price, and the unit cost it starts from.

The services are the council's priced services (what its reference rates are for: home care
by the hour, a waking night, a week in a care home...), plus equipment and "something else",
which have no reference rate: their cost is typed in. A line's unit cost starts at the
reference rate in force on the line's start date (`default_unit_cost`); it can be changed.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from allocation.domain import rates as catalogue


@dataclass(frozen=True)
class Service:
    code: str
    label: str
    unit: str  # a key of plans.domain.UNIT_WORDS


# The council's priced services (allocation/domain/rates.py: what reference rates are for),
# then what has no reference rate.
_PRICED = tuple(Service(s.code, s.label, s.unit) for s in catalogue.SERVICES)
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
    """{service code: pence} in force on a date (today by default): the council's reference
    rates (allocation.ReferenceRate)."""
    from allocation.models import ReferenceRate

    return ReferenceRate.objects.in_force(on=on or timezone.localdate())


def default_unit_cost(service: str, on: dt.date | None = None) -> int | None:
    """The reference rate for a service on a date, in pence; None where there is none."""
    return rates_in_force(on).get(service)
