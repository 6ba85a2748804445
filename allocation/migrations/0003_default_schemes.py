"""Ship the default schemes: Selfdirect's RAS for people and its RAS for carers, live from
1 April 2026. A council models and recalibrates them on its own caseload before relying on them."""

import datetime as dt
import json
from pathlib import Path

from django.db import migrations

SCHEMES = Path(__file__).resolve().parent.parent / "schemes"
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


def ship(apps, schema_editor):
    RasScheme = apps.get_model("allocation", "RasScheme")
    RasVersion = apps.get_model("allocation", "RasVersion")
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
            effective_from=dt.date(2026, 4, 1),
            origin="shipped",
            notes="Shipped with Selfdirect, calibrated on the synthetic demo council. "
            "Model it on your own caseload and recalibrate before relying on it.",
        )


class Migration(migrations.Migration):
    dependencies = [("allocation", "0002_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
