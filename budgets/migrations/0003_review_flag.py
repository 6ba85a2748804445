from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("budgets", "0002_money_in_pence_and_state_machine"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="review_flagged_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When something happened that means it must be looked at again",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="review_reason",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="review_flagged_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When something happened that means it must be looked at again",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="review_reason",
            field=models.TextField(blank=True),
        ),
    ]
