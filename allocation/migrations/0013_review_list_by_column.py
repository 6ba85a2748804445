"""The review list is stored by column (ModelRun.review_columns, allocation.models.runs.ReviewList)
in the same database column; runs stored before keep their list of rows and read as before."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0012_allocation_carer_amount"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="modelrun", name="review"),
                migrations.AddField(
                    model_name="modelrun",
                    name="review_columns",
                    field=models.JSONField(
                        blank=True,
                        db_column="review",
                        help_text="People whose budget would fall most",
                        null=True,
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
