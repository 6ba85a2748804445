import django_fsm
from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Cast, Round

import core.fields


def copy_to_pence(apps, schema_editor):
    """Money is held in whole pence from now on (core/money.py); amounts were pounds to 2 places."""
    apps.get_model("allocation.Allocation").objects.update(
        amount_pence=Cast(Round(F("amount") * 100), output_field=models.BigIntegerField())
    )
    apps.get_model("allocation.HistoricalAllocation").objects.update(
        amount_pence=Cast(Round(F("amount") * 100), output_field=models.BigIntegerField())
    )
    apps.get_model("allocation.CalibrationRun").objects.update(
        envelope_pence=Cast(Round(F("envelope") * 100), output_field=models.BigIntegerField())
    )
    apps.get_model("allocation.ModelRun").objects.update(
        envelope_pence=Cast(Round(F("envelope") * 100), output_field=models.BigIntegerField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0004_scheme_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocation",
            name="amount_pence",
            field=core.fields.PenceField(default=0),
        ),
        migrations.AddField(
            model_name="calibrationrun",
            name="envelope_pence",
            field=core.fields.PenceField(default=0),
        ),
        migrations.AddField(
            model_name="historicalallocation",
            name="amount_pence",
            field=core.fields.PenceField(default=0),
        ),
        migrations.AddField(
            model_name="historicalrasversion",
            name="edit_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="modelrun",
            name="envelope_pence",
            field=core.fields.PenceField(default=0),
        ),
        migrations.AddField(
            model_name="rasversion",
            name="edit_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.RunPython(copy_to_pence, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="allocation",
            name="amount",
        ),
        migrations.RemoveField(
            model_name="calibrationrun",
            name="envelope",
        ),
        migrations.RemoveField(
            model_name="historicalallocation",
            name="amount",
        ),
        migrations.RemoveField(
            model_name="modelrun",
            name="envelope",
        ),
        migrations.AlterField(
            model_name="allocation",
            name="status",
            field=django_fsm.FSMField(
                choices=[("indicative", "Indicative"), ("not_eligible", "Not eligible: no budget")],
                default="indicative",
                max_length=15,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="calibrationrun",
            name="sample",
            field=models.JSONField(
                blank=True,
                help_text="An uploaded sample, compactly: {'questions': [...], 'answers': [[option index, ...]], 'costs': [pence], ...}",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="calibrationrun",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("queued", "Waiting to start"),
                    ("running", "Running"),
                    ("done", "Finished"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalallocation",
            name="status",
            field=django_fsm.FSMField(
                choices=[("indicative", "Indicative"), ("not_eligible", "Not eligible: no budget")],
                default="indicative",
                max_length=15,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalrasversion",
            name="status",
            field=django_fsm.FSMField(
                choices=[("draft", "Draft"), ("live", "Live"), ("retired", "Retired")],
                default="draft",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="modelrun",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("queued", "Waiting to start"),
                    ("running", "Running"),
                    ("done", "Finished"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="rasversion",
            name="status",
            field=django_fsm.FSMField(
                choices=[("draft", "Draft"), ("live", "Live"), ("retired", "Retired")],
                default="draft",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="allocation",
            name="amount_pence",
            field=core.fields.PenceField(),
        ),
        migrations.AlterField(
            model_name="calibrationrun",
            name="envelope_pence",
            field=core.fields.PenceField(),
        ),
        migrations.AlterField(
            model_name="calibrationrun",
            name="sample",
            field=models.JSONField(
                blank=True,
                help_text="An uploaded sample, compactly (allocation/domain/sample.py)",
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalallocation",
            name="amount_pence",
            field=core.fields.PenceField(),
        ),
        migrations.AlterField(
            model_name="modelrun",
            name="envelope_pence",
            field=core.fields.PenceField(),
        ),
    ]
