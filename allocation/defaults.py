"""The schemes and reference rates Selfdirect ships with: created by migrations on a new
database, and again by the demo loader if someone has emptied the tables since."""

import datetime as dt
import json
from pathlib import Path

from django.apps import apps as global_apps

SCHEMES = Path(__file__).resolve().parent / "schemes"
DEFAULTS = [
    (
        "Selfdirect RAS for people",
        "person",
        "default_person.json",
        "Eight areas of need, communication and decisions among them, each question linked to "
        "the Care Act outcomes it serves, with support from family and friends reducing the "
        "points for the needs it meets. An illustrative rule: recalibrate it on your own "
        "caseload before relying on it.",
    ),
    (
        "Selfdirect RAS for carers",
        "carer",
        "default_carer.json",
        "A yearly carer's budget for breaks and one-off payments, in bands of points.",
    ),
]
LIVE_FROM = dt.date(2026, 4, 1)
NOTES = {
    "person": "Shipped with Selfdirect as an illustration. Its points are set against the "
    "shipped reference rates (illustrative 2026/27 figures), and its price per point and fixed "
    "amount were fitted (least absolute deviation) to the package costs of the synthetic demo "
    "council, not to any real council's data. Model it on your own caseload and recalibrate "
    "it before relying on it.",
    "carer": "Shipped with Selfdirect as an illustration: its bands are not calibrated on any "
    "real council's data. Model it on your own caseload and set your own bands before relying "
    "on it.",
}


def ensure_default_schemes(apps=global_apps) -> int:
    """Create each default scheme that has no scheme of its kind yet; return how many."""
    RasScheme = apps.get_model("allocation", "RasScheme")
    RasVersion = apps.get_model("allocation", "RasVersion")
    made = 0
    for name, kind, filename, description in DEFAULTS:
        if RasScheme.objects.filter(kind=kind).exists():
            continue
        scheme = RasScheme.objects.create(name=name, kind=kind, description=description)
        RasVersion.objects.create(
            scheme=scheme,
            number=1,
            label="Shipped default",
            status="live",
            definition=json.loads((SCHEMES / filename).read_text()),
            effective_from=LIVE_FROM,
            origin="shipped",
            notes=NOTES[kind],
        )
        made += 1
    return made


# Real-style schemes of the kinds councils write (issue 10), loaded in the demo council as
# drafts for commissioners to study, model and copy. They are never made live by Selfdirect.
EXAMPLES = [
    (
        "Example: money tables by age band",
        "person",
        "example_age_bands.json",
        "One questionnaire, three points-to-money tables: young adults (18 to 25), older people "
        "(65 and over) and everyone else, as councils that priced a point differently for each "
        "age group wrote their schemes.",
    ),
    (
        "Example: hours at reference rates",
        "person",
        "example_cost_rate.json",
        "A cost-rate (FACE-style) scheme: most answers carry hours, days or nights of a service "
        "priced at the reference rates in force, with a small points-based part.",
    ),
]
EXAMPLE_NOTE = (
    "An example shipped with Selfdirect to show how this kind of scheme is written: its "
    "figures are illustrative, not calibrated on any council's data."
)


def ensure_example_drafts() -> list:
    """Create each example scheme that does not exist yet, with its definition as a draft
    version 1; return the versions made."""
    from .models import RasScheme, RasVersion

    made = []
    for name, kind, filename, description in EXAMPLES:
        if RasScheme.objects.filter(name=name).exists():
            continue
        scheme = RasScheme.objects.create(name=name, kind=kind, description=description)
        made.append(
            RasVersion.objects.create(
                scheme=scheme,
                number=1,
                label="Shipped example",
                definition=json.loads((SCHEMES / filename).read_text()),
                origin="shipped",
                notes=EXAMPLE_NOTE,
            )
        )
    return made


RATES_NOTE = (
    "Shipped with Selfdirect: an illustrative 2026/27 rate. Replace it with the council’s own."
)


def ensure_reference_rates(apps=global_apps) -> list:
    """Create the shipped reference rate for each service that has no rate yet (from 1 April
    2026, illustrative: allocation/domain/rates.py), with its history row; return them."""
    from .domain import rates

    ReferenceRate = apps.get_model("allocation", "ReferenceRate")
    HistoricalReferenceRate = apps.get_model("allocation", "HistoricalReferenceRate")
    made = []
    for code, pence in rates.SHIPPED.items():
        if ReferenceRate.objects.filter(service=code).exists():
            continue
        rate = ReferenceRate.objects.create(
            service=code, rate_pence=pence, effective_from=rates.SHIPPED_FROM, notes=RATES_NOTE
        )
        HistoricalReferenceRate.objects.create(
            id=rate.pk,
            service=rate.service,
            rate_pence=rate.rate_pence,
            effective_from=rate.effective_from,
            effective_to=None,
            notes=rate.notes,
            created_at=rate.created_at,
            history_date=rate.created_at,
            history_type="+",
            history_change_reason="Shipped with Selfdirect",
        )
        made.append(rate)
    return made
