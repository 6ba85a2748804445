import django_fsm
from django.conf import settings
from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Cast, Round

import core.fields


def copy_to_pence(apps, schema_editor):
    """Budgets hold an amount in whole pence and its period; every budget so far was weekly."""
    apps.get_model("budgets.PersonalBudget").objects.update(
        amount_pence=Cast(Round(F("weekly_amount") * 100), output_field=models.BigIntegerField())
    )
    apps.get_model("budgets.HistoricalPersonalBudget").objects.update(
        amount_pence=Cast(Round(F("weekly_amount") * 100), output_field=models.BigIntegerField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0005_money_in_pence_and_state_machines"),
        ("budgets", "0001_initial"),
        ("people", "0003_person_edit_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="amount_pence",
            field=core.fields.PenceField(
                default=0, help_text="The final amount for each period, in pence"
            ),
        ),
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="edit_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="period",
            field=models.CharField(
                choices=[("week", "A week"), ("year", "A year")], default="week", max_length=5
            ),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="amount_pence",
            field=core.fields.PenceField(
                default=0, help_text="The final amount for each period, in pence"
            ),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="edit_version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="period",
            field=models.CharField(
                choices=[("week", "A week"), ("year", "A year")], default="week", max_length=5
            ),
        ),
        migrations.RunPython(copy_to_pence, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="personalbudget",
            name="budget_not_negative",
        ),
        migrations.RemoveField(
            model_name="historicalpersonalbudget",
            name="weekly_amount",
        ),
        migrations.RemoveField(
            model_name="personalbudget",
            name="weekly_amount",
        ),
        migrations.AlterField(
            model_name="historicalpersonalbudget",
            name="status",
            field=django_fsm.FSMField(
                choices=[("active", "Active"), ("ended", "Ended")],
                default="active",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="personalbudget",
            name="status",
            field=django_fsm.FSMField(
                choices=[("active", "Active"), ("ended", "Ended")],
                default="active",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AddConstraint(
            model_name="personalbudget",
            constraint=models.CheckConstraint(
                condition=models.Q(("amount_pence__gte", 0)), name="budget_not_negative"
            ),
        ),
        migrations.AlterField(
            model_name="historicalpersonalbudget",
            name="amount_pence",
            field=core.fields.PenceField(help_text="The final amount for each period, in pence"),
        ),
        migrations.AlterField(
            model_name="personalbudget",
            name="amount_pence",
            field=core.fields.PenceField(help_text="The final amount for each period, in pence"),
        ),
    ]
