import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_state_machine_and_edit_version"),
        ("people", "0003_person_edit_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("eligibilitydecision", "outcome_notes", "outcome_evidence"),
        migrations.RenameField(
            "historicaleligibilitydecision", "outcome_notes", "outcome_evidence"
        ),
        migrations.AddField(
            model_name="eligibilitydecision",
            name="advice",
            field=models.TextField(
                blank=True, help_text="Not eligible: written advice on preventing or delaying needs"
            ),
        ),
        migrations.AddField(
            model_name="eligibilitydecision",
            name="advice_topics",
            field=models.JSONField(
                default=list, help_text="Not eligible: the advice and information given (s13(5))"
            ),
        ),
        migrations.AddField(
            model_name="eligibilitydecision",
            name="change_reason",
            field=models.TextField(blank=True, help_text="Why an earlier decision was changed"),
        ),
        migrations.AddField(
            model_name="eligibilitydecision",
            name="fluctuates",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="eligibilitydecision",
            name="fluctuation_period",
            field=models.CharField(
                blank=True,
                help_text="The period their circumstances were considered over",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="eligibilitydecision",
            name="outcome_evidence",
            field=models.JSONField(
                default=dict,
                help_text="Outcome code → {ways: [...], note: str, met_by_carer: bool}",
            ),
        ),
        migrations.AddField(
            model_name="eligibilitydecision",
            name="wellbeing_areas",
            field=models.JSONField(default=list, help_text="Areas of s1(2) affected"),
        ),
        migrations.AddField(
            model_name="historicaleligibilitydecision",
            name="advice",
            field=models.TextField(
                blank=True, help_text="Not eligible: written advice on preventing or delaying needs"
            ),
        ),
        migrations.AddField(
            model_name="historicaleligibilitydecision",
            name="advice_topics",
            field=models.JSONField(
                default=list, help_text="Not eligible: the advice and information given (s13(5))"
            ),
        ),
        migrations.AddField(
            model_name="historicaleligibilitydecision",
            name="change_reason",
            field=models.TextField(blank=True, help_text="Why an earlier decision was changed"),
        ),
        migrations.AddField(
            model_name="historicaleligibilitydecision",
            name="fluctuates",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="historicaleligibilitydecision",
            name="fluctuation_period",
            field=models.CharField(
                blank=True,
                help_text="The period their circumstances were considered over",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="historicaleligibilitydecision",
            name="outcome_evidence",
            field=models.JSONField(
                default=dict,
                help_text="Outcome code → {ways: [...], note: str, met_by_carer: bool}",
            ),
        ),
        migrations.AddField(
            model_name="historicaleligibilitydecision",
            name="wellbeing_areas",
            field=models.JSONField(default=list, help_text="Areas of s1(2) affected"),
        ),
        migrations.AlterField(
            model_name="eligibilitydecision",
            name="health_at_risk",
            field=models.BooleanField(
                default=False,
                help_text="Carers only: their physical or mental health is, or is at risk of, deteriorating",
            ),
        ),
        migrations.AlterField(
            model_name="historicaleligibilitydecision",
            name="health_at_risk",
            field=models.BooleanField(
                default=False,
                help_text="Carers only: their physical or mental health is, or is at risk of, deteriorating",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalCapacityAssessment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("take_part", "Taking part in a needs assessment"),
                            (
                                "request_supported_self",
                                "Asking for a self-assessment supported by a representative",
                            ),
                            ("direct_payment", "Managing a direct payment"),
                            ("support_plan", "Agreeing their support plan"),
                            ("finances", "Managing their money and financial assessment"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("has_capacity", "Has capacity to make this decision"),
                            ("lacks_capacity", "Lacks capacity to make this decision"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "impairment",
                    models.BooleanField(
                        help_text="Is there an impairment of, or disturbance in the functioning of, the mind or brain?"
                    ),
                ),
                (
                    "understands",
                    models.BooleanField(
                        help_text="Can they understand the information relevant to the decision?"
                    ),
                ),
                ("retains", models.BooleanField(help_text="Can they retain that information?")),
                (
                    "weighs",
                    models.BooleanField(help_text="Can they use or weigh it as part of deciding?"),
                ),
                (
                    "communicates",
                    models.BooleanField(
                        help_text="Can they communicate their decision, by any means?"
                    ),
                ),
                ("notes", models.TextField()),
                ("assessed_on", models.DateField(default=django.utils.timezone.localdate)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "assessed_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical capacity assessment",
                "verbose_name_plural": "historical capacity assessments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="CapacityAssessment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "decision",
                    models.CharField(
                        choices=[
                            ("take_part", "Taking part in a needs assessment"),
                            (
                                "request_supported_self",
                                "Asking for a self-assessment supported by a representative",
                            ),
                            ("direct_payment", "Managing a direct payment"),
                            ("support_plan", "Agreeing their support plan"),
                            ("finances", "Managing their money and financial assessment"),
                        ],
                        max_length=30,
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("has_capacity", "Has capacity to make this decision"),
                            ("lacks_capacity", "Lacks capacity to make this decision"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "impairment",
                    models.BooleanField(
                        help_text="Is there an impairment of, or disturbance in the functioning of, the mind or brain?"
                    ),
                ),
                (
                    "understands",
                    models.BooleanField(
                        help_text="Can they understand the information relevant to the decision?"
                    ),
                ),
                ("retains", models.BooleanField(help_text="Can they retain that information?")),
                (
                    "weighs",
                    models.BooleanField(help_text="Can they use or weigh it as part of deciding?"),
                ),
                (
                    "communicates",
                    models.BooleanField(
                        help_text="Can they communicate their decision, by any means?"
                    ),
                ),
                ("notes", models.TextField()),
                ("assessed_on", models.DateField(default=django.utils.timezone.localdate)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "assessed_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="capacity_assessments",
                        to="people.person",
                    ),
                ),
            ],
            options={
                "ordering": ["-assessed_on", "-id"],
                "indexes": [
                    models.Index(
                        fields=["person", "decision", "-assessed_on"], name="capacity_latest"
                    )
                ],
            },
        ),
    ]
