import django.db.models.deletion
import django.utils.timezone
import django_fsm
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("allocation", "0006_provisional_at_maximum_costed_plan"),
        ("budgets", "0003_review_flag"),
        ("people", "0003_person_edit_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectPaymentOffer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("offered_on", models.DateField()),
                (
                    "outcome",
                    models.CharField(
                        choices=[("taken_up", "Taken up"), ("declined", "Declined")], max_length=20
                    ),
                ),
                (
                    "reason",
                    models.TextField(
                        blank=True, help_text="Why it was declined, in the person's words"
                    ),
                ),
            ],
            options={
                "ordering": ["-offered_on", "-id"],
            },
        ),
        migrations.CreateModel(
            name="FundingStream",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stream",
                    models.CharField(
                        choices=[
                            ("council", "The council"),
                            ("contribution", "The person’s own contribution"),
                            ("nhs_joint", "NHS: joint funding"),
                            ("nhs_chc", "NHS continuing healthcare"),
                            ("s117", "Aftercare under section 117 of the Mental Health Act"),
                            ("carers", "Carers’ funding"),
                        ],
                        max_length=20,
                    ),
                ),
                ("amount_pence", core.fields.PenceField()),
            ],
            options={
                "ordering": ["budget", "stream"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDirectPaymentOffer",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("offered_on", models.DateField()),
                (
                    "outcome",
                    models.CharField(
                        choices=[("taken_up", "Taken up"), ("declined", "Declined")], max_length=20
                    ),
                ),
                (
                    "reason",
                    models.TextField(
                        blank=True, help_text="Why it was declined, in the person's words"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical direct payment offer",
                "verbose_name_plural": "historical direct payment offers",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalFundingStream",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "stream",
                    models.CharField(
                        choices=[
                            ("council", "The council"),
                            ("contribution", "The person’s own contribution"),
                            ("nhs_joint", "NHS: joint funding"),
                            ("nhs_chc", "NHS continuing healthcare"),
                            ("s117", "Aftercare under section 117 of the Mental Health Act"),
                            ("carers", "Carers’ funding"),
                        ],
                        max_length=20,
                    ),
                ),
                ("amount_pence", core.fields.PenceField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical funding stream",
                "verbose_name_plural": "historical funding streams",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalManagementShare",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("direct_payment", "Direct payment"),
                            ("council_managed", "Managed by the council"),
                            ("isf", "Individual service fund"),
                        ],
                        max_length=20,
                    ),
                ),
                ("amount_pence", core.fields.PenceField()),
                (
                    "provider",
                    models.CharField(
                        blank=True,
                        help_text="Individual service fund: the provider holding it",
                        max_length=200,
                    ),
                ),
                (
                    "authorised_person",
                    models.CharField(
                        blank=True,
                        help_text="Direct payment for someone who lacks capacity for it: who receives it (s32)",
                        max_length=200,
                    ),
                ),
                ("authorised_person_agreed_on", models.DateField(blank=True, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical management share",
                "verbose_name_plural": "historical management shares",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPanelDecision",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "requested_pence",
                    core.fields.PenceField(
                        help_text="The amount asked for, a week (or a year for yearly budgets)"
                    ),
                ),
                ("agreed_pence", core.fields.PenceField()),
                ("period", models.CharField(default="week", max_length=5)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("agreed", "Agreed"),
                            ("partly", "Agreed in part"),
                            ("refused", "Refused"),
                        ],
                        max_length=10,
                    ),
                ),
                ("reasons", models.TextField()),
                ("decided_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical panel decision",
                "verbose_name_plural": "historical panel decisions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalPanelThreshold",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("weekly_pence", core.fields.PenceField()),
                ("effective_from", models.DateField()),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical panel threshold",
                "verbose_name_plural": "historical panel thresholds",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalReserve",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "financial_year",
                    models.CharField(db_index=True, help_text="For example 2026/27", max_length=7),
                ),
                ("starts_on", models.DateField()),
                ("ends_on", models.DateField()),
                ("opening_pence", core.fields.PenceField()),
                (
                    "source",
                    models.CharField(help_text="How the opening amount was set", max_length=300),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical reserve",
                "verbose_name_plural": "historical reserves",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ManagementShare",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "mode",
                    models.CharField(
                        choices=[
                            ("direct_payment", "Direct payment"),
                            ("council_managed", "Managed by the council"),
                            ("isf", "Individual service fund"),
                        ],
                        max_length=20,
                    ),
                ),
                ("amount_pence", core.fields.PenceField()),
                (
                    "provider",
                    models.CharField(
                        blank=True,
                        help_text="Individual service fund: the provider holding it",
                        max_length=200,
                    ),
                ),
                (
                    "authorised_person",
                    models.CharField(
                        blank=True,
                        help_text="Direct payment for someone who lacks capacity for it: who receives it (s32)",
                        max_length=200,
                    ),
                ),
                ("authorised_person_agreed_on", models.DateField(blank=True, null=True)),
            ],
            options={
                "ordering": ["budget", "mode"],
            },
        ),
        migrations.CreateModel(
            name="PanelDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "requested_pence",
                    core.fields.PenceField(
                        help_text="The amount asked for, a week (or a year for yearly budgets)"
                    ),
                ),
                ("agreed_pence", core.fields.PenceField()),
                ("period", models.CharField(default="week", max_length=5)),
                (
                    "outcome",
                    models.CharField(
                        choices=[
                            ("agreed", "Agreed"),
                            ("partly", "Agreed in part"),
                            ("refused", "Refused"),
                        ],
                        max_length=10,
                    ),
                ),
                ("reasons", models.TextField()),
                ("decided_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-decided_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="PanelThreshold",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("weekly_pence", core.fields.PenceField()),
                ("effective_from", models.DateField()),
            ],
            options={
                "ordering": ["-effective_from", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Reserve",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "financial_year",
                    models.CharField(help_text="For example 2026/27", max_length=7, unique=True),
                ),
                ("starts_on", models.DateField()),
                ("ends_on", models.DateField()),
                ("opening_pence", core.fields.PenceField()),
                (
                    "source",
                    models.CharField(help_text="How the opening amount was set", max_length=300),
                ),
            ],
            options={
                "ordering": ["-starts_on"],
            },
        ),
        migrations.CreateModel(
            name="ReserveDraw",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("panel", "Funding panel decision"),
                            ("costed_plan", "Costed plan above the RAS amount"),
                            ("reversal", "Correction of an earlier draw"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "amount_pence",
                    core.fields.PenceField(
                        allow_negative=True, help_text="For the rest of the financial year"
                    ),
                ),
                ("reason", models.TextField()),
                (
                    "override_reason",
                    models.TextField(
                        blank=True,
                        help_text="Why a draw that takes the reserve below zero was allowed",
                    ),
                ),
                ("drawn_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["-drawn_at", "-id"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="personalbudget",
            name="one_active_budget_per_person",
        ),
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="costed_plan",
            field=models.BooleanField(
                default=False,
                help_text="The RAS sent the person to a costed plan: the plan's cost sets the budget",
            ),
        ),
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="indicative_pence",
            field=core.fields.PenceField(
                blank=True, help_text="The RAS amount it started from (same period)", null=True
            ),
        ),
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="kind",
            field=models.CharField(
                choices=[("person", "For the person’s own needs"), ("carer", "As a carer")],
                default="person",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="costed_plan",
            field=models.BooleanField(
                default=False,
                help_text="The RAS sent the person to a costed plan: the plan's cost sets the budget",
            ),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="indicative_pence",
            field=core.fields.PenceField(
                blank=True, help_text="The RAS amount it started from (same period)", null=True
            ),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="kind",
            field=models.CharField(
                choices=[("person", "For the person’s own needs"), ("carer", "As a carer")],
                default="person",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="historicalpersonalbudget",
            name="period",
            field=models.CharField(
                choices=[("week", "A week"), ("year", "A year"), ("once", "One-off")],
                default="week",
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="historicalpersonalbudget",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("proposed", "Proposed: waiting for the support plan to be agreed"),
                    ("active", "Active"),
                    ("ended", "Ended"),
                ],
                default="active",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AlterField(
            model_name="personalbudget",
            name="period",
            field=models.CharField(
                choices=[("week", "A week"), ("year", "A year"), ("once", "One-off")],
                default="week",
                max_length=5,
            ),
        ),
        migrations.AlterField(
            model_name="personalbudget",
            name="status",
            field=django_fsm.FSMField(
                choices=[
                    ("proposed", "Proposed: waiting for the support plan to be agreed"),
                    ("active", "Active"),
                    ("ended", "Ended"),
                ],
                default="active",
                max_length=10,
                protected=True,
            ),
        ),
        migrations.AddField(
            model_name="directpaymentoffer",
            name="budget",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="dp_offers",
                to="budgets.personalbudget",
            ),
        ),
        migrations.AddField(
            model_name="directpaymentoffer",
            name="offered_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="fundingstream",
            name="budget",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="streams",
                to="budgets.personalbudget",
            ),
        ),
        migrations.AddField(
            model_name="historicaldirectpaymentoffer",
            name="budget",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="budgets.personalbudget",
            ),
        ),
        migrations.AddField(
            model_name="historicaldirectpaymentoffer",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicaldirectpaymentoffer",
            name="offered_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalfundingstream",
            name="budget",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="budgets.personalbudget",
            ),
        ),
        migrations.AddField(
            model_name="historicalfundingstream",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalmanagementshare",
            name="budget",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="budgets.personalbudget",
            ),
        ),
        migrations.AddField(
            model_name="historicalmanagementshare",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalpaneldecision",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalpaneldecision",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalpaneldecision",
            name="person",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="historicalpanelthreshold",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalpanelthreshold",
            name="set_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalreserve",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalreserve",
            name="set_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="managementshare",
            name="budget",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="shares",
                to="budgets.personalbudget",
            ),
        ),
        migrations.AddField(
            model_name="paneldecision",
            name="decided_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="paneldecision",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="panel_decisions",
                to="people.person",
            ),
        ),
        migrations.AddField(
            model_name="historicalpersonalbudget",
            name="panel_decision",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="budgets.paneldecision",
            ),
        ),
        migrations.AddField(
            model_name="personalbudget",
            name="panel_decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="budgets",
                to="budgets.paneldecision",
            ),
        ),
        migrations.AddConstraint(
            model_name="personalbudget",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "active")),
                fields=("person", "kind"),
                name="one_active_budget_per_person",
            ),
        ),
        migrations.AddField(
            model_name="panelthreshold",
            name="set_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="reserve",
            name="set_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="reservedraw",
            name="budget",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reserve_draws",
                to="budgets.personalbudget",
            ),
        ),
        migrations.AddField(
            model_name="reservedraw",
            name="drawn_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="reservedraw",
            name="panel_decision",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="draws",
                to="budgets.paneldecision",
            ),
        ),
        migrations.AddField(
            model_name="reservedraw",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="people.person"
            ),
        ),
        migrations.AddField(
            model_name="reservedraw",
            name="reserve",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="draws",
                to="budgets.reserve",
            ),
        ),
        migrations.AddConstraint(
            model_name="fundingstream",
            constraint=models.UniqueConstraint(
                fields=("budget", "stream"), name="one_row_per_stream"
            ),
        ),
        migrations.AddConstraint(
            model_name="managementshare",
            constraint=models.UniqueConstraint(fields=("budget", "mode"), name="one_row_per_mode"),
        ),
    ]
