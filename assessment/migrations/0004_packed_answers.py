"""The answers packed for a model run's bulk read (allocation.population.pack_answers),
filled in for the assessments already stored."""

from django.db import migrations, models


def pack_existing(apps, schema_editor):
    from allocation.domain import definition, engine
    from allocation.population import packer

    Assessment = apps.get_model("assessment", "Assessment")
    RasVersion = apps.get_model("allocation", "RasVersion")
    for version in RasVersion.objects.filter(
        pk__in=Assessment.objects.order_by().values("version_id").distinct()
    ):
        try:
            pack = packer(engine.compile_scheme(definition.parse_cached(version.definition)))
        except ValueError:  # a definition that no longer parses: its rows stay unpacked
            continue
        batch = []
        for assessment in Assessment.objects.filter(version_id=version.pk).only("answers"):
            assessment.packed_answers = pack(assessment.answers)
            batch.append(assessment)
            if len(batch) == 2000:
                Assessment.objects.bulk_update(batch, ["packed_answers"])
                batch = []
        Assessment.objects.bulk_update(batch, ["packed_answers"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_evidence_fluctuation_advice_capacity"),
        ("allocation", "0009_equality_flags_and_justifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="packed_answers",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.RunPython(pack_existing, migrations.RunPython.noop, elidable=True),
    ]
