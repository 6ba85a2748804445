"""The one "sensory impairment" flag, now split into visual and hearing impairment (0005)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_carers_are_a_client_type_and_sensory_split"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="historicalperson",
            name="has_sensory_impairment",
        ),
        migrations.RemoveField(
            model_name="person",
            name="has_sensory_impairment",
        ),
    ]
