import django_fsm
from django.db import migrations, models


def mark_undecided_provisional(apps, schema_editor):
    """An amount worked out before eligibility is decided is a provisional estimate."""
    Allocation = apps.get_model("allocation", "Allocation")
    Allocation.objects.filter(assessment__eligibility__isnull=True).update(status="provisional")


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0005_money_in_pence_and_state_machines"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocation",
            name="at_maximum",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="allocation",
            name="costed_plan_route",
            field=models.JSONField(
                default=list,
                help_text="Codes of the questions whose answers send the person to a costed plan",
            ),
        ),
        migrations.AddField(
            model_name="historicalallocation",
            name="at_maximum",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="historicalallocation",
            name="costed_plan_route",
            field=models.JSONField(
                default=list,
                help_text="Codes of the questions whose answers send the person to a costed plan",
            ),
        ),
        migrations.AlterField(
            model_name="allocation",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("provisional", "Provisional estimate: eligibility not yet decided"),
                    ("indicative", "Indicative"),
                    ("not_eligible", "Not eligible: no budget"),
                ],
                default="provisional",
                max_length=15,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="historicalallocation",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("provisional", "Provisional estimate: eligibility not yet decided"),
                    ("indicative", "Indicative"),
                    ("not_eligible", "Not eligible: no budget"),
                ],
                default="provisional",
                max_length=15,
                protected=True,
            ),
        ),
        migrations.RunPython(mark_undecided_provisional, migrations.RunPython.noop),
    ]
