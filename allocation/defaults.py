"""The schemes Selfdirect ships with: created by a migration on a new database, and again
by the demo loader if someone has emptied the tables since."""

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
        "Eight domains of need, with support from family and friends reducing the points.",
    ),
    (
        "Selfdirect RAS for carers",
        "carer",
        "default_carer.json",
        "A yearly carer's budget for breaks and one-off payments, in bands of points.",
    ),
]
LIVE_FROM = dt.date(2026, 4, 1)


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
            notes="Shipped with Selfdirect, calibrated on the synthetic demo council. "
            "Model it on your own caseload and recalibrate before relying on it.",
        )
        made += 1
    return made
