"""The access log keeps the neutral purpose (which the person sees) apart from the staff-only
reason for opening a record outside the caseload, and names the page it came through."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_append_only_triggers")]

    operations = [
        migrations.RenameField("accessevent", "path", "via"),
        migrations.AlterField(
            model_name="accessevent",
            name="via",
            field=models.CharField(blank=True, help_text="The page or endpoint", max_length=300),
        ),
        migrations.AddField(
            model_name="accessevent",
            name="reason",
            field=models.TextField(
                blank=True, help_text="Staff only: the reason given to open the record, if any"
            ),
        ),
        migrations.AlterField(
            model_name="accessevent",
            name="purpose",
            field=models.CharField(help_text="A neutral category the person sees", max_length=500),
        ),
    ]
