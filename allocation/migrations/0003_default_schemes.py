"""Ship the default schemes: Selfdirect's RAS for people and its RAS for carers, live from
1 April 2026. A council models and recalibrates them on its own caseload before relying on them."""

from django.db import migrations


def ship(apps, schema_editor):
    from allocation.defaults import ensure_default_schemes

    ensure_default_schemes(apps)


class Migration(migrations.Migration):
    dependencies = [("allocation", "0002_initial")]

    operations = [migrations.RunPython(ship, migrations.RunPython.noop)]
