"""Equality monitoring, client type and caring relationships (issue 7): the schema.

The data follows in 0005; the old sensory impairment flag goes in 0006.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_caseload_name_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalperson",
            name="client_type",
            field=models.CharField(
                choices=[
                    ("service_user", "Service User"),
                    ("carer", "Carer"),
                    ("carer_by_association", "Carer known by association"),
                ],
                default="service_user",
                help_text="A carer who also has care and support needs of their own is a service user",
                max_length=25,
                verbose_name="Client type",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="has_hearing_impairment",
            field=models.BooleanField(default=False, verbose_name="Hearing impairment"),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="has_visual_impairment",
            field=models.BooleanField(default=False, verbose_name="Visual impairment"),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="legal_partnership_status",
            field=models.CharField(
                choices=[
                    ("never", "Never married and never registered a civil partnership"),
                    ("married", "Married"),
                    ("civil_partnership", "In a registered civil partnership"),
                    ("separated_married", "Separated, but still legally married"),
                    (
                        "separated_civil_partnership",
                        "Separated, but still legally in a civil partnership",
                    ),
                    ("divorced", "Divorced"),
                    ("dissolved", "Formerly in a civil partnership which is now legally dissolved"),
                    ("widowed", "Widowed"),
                    ("surviving_civil_partner", "Surviving partner from a civil partnership"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                help_text="Legal partnership status, as the 2021 Census asked it",
                max_length=30,
                verbose_name="Marriage or civil partnership",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="pregnancy_maternity",
            field=models.CharField(
                choices=[
                    ("pregnant", "Pregnant"),
                    ("maternity", "Gave birth in the last 26 weeks"),
                    ("neither", "Neither"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                help_text="Whether they are pregnant or gave birth in the last 26 weeks",
                max_length=20,
                verbose_name="Pregnancy and maternity",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="religion",
            field=models.CharField(
                choices=[
                    ("no_religion", "No religion"),
                    ("christian", "Christian (all denominations)"),
                    ("buddhist", "Buddhist"),
                    ("hindu", "Hindu"),
                    ("jewish", "Jewish"),
                    ("muslim", "Muslim"),
                    ("sikh", "Sikh"),
                    ("other", "Any other religion or belief"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                max_length=20,
                verbose_name="Religion or belief",
            ),
        ),
        migrations.AddField(
            model_name="historicalperson",
            name="sexual_orientation",
            field=models.CharField(
                choices=[
                    ("straight", "Straight or heterosexual"),
                    ("gay_lesbian", "Gay or lesbian"),
                    ("bisexual", "Bisexual"),
                    ("other", "Another sexual orientation"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                max_length=20,
                verbose_name="Sexual orientation",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="client_type",
            field=models.CharField(
                choices=[
                    ("service_user", "Service User"),
                    ("carer", "Carer"),
                    ("carer_by_association", "Carer known by association"),
                ],
                default="service_user",
                help_text="A carer who also has care and support needs of their own is a service user",
                max_length=25,
                verbose_name="Client type",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="has_hearing_impairment",
            field=models.BooleanField(default=False, verbose_name="Hearing impairment"),
        ),
        migrations.AddField(
            model_name="person",
            name="has_visual_impairment",
            field=models.BooleanField(default=False, verbose_name="Visual impairment"),
        ),
        migrations.AddField(
            model_name="person",
            name="legal_partnership_status",
            field=models.CharField(
                choices=[
                    ("never", "Never married and never registered a civil partnership"),
                    ("married", "Married"),
                    ("civil_partnership", "In a registered civil partnership"),
                    ("separated_married", "Separated, but still legally married"),
                    (
                        "separated_civil_partnership",
                        "Separated, but still legally in a civil partnership",
                    ),
                    ("divorced", "Divorced"),
                    ("dissolved", "Formerly in a civil partnership which is now legally dissolved"),
                    ("widowed", "Widowed"),
                    ("surviving_civil_partner", "Surviving partner from a civil partnership"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                help_text="Legal partnership status, as the 2021 Census asked it",
                max_length=30,
                verbose_name="Marriage or civil partnership",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="pregnancy_maternity",
            field=models.CharField(
                choices=[
                    ("pregnant", "Pregnant"),
                    ("maternity", "Gave birth in the last 26 weeks"),
                    ("neither", "Neither"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                help_text="Whether they are pregnant or gave birth in the last 26 weeks",
                max_length=20,
                verbose_name="Pregnancy and maternity",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="religion",
            field=models.CharField(
                choices=[
                    ("no_religion", "No religion"),
                    ("christian", "Christian (all denominations)"),
                    ("buddhist", "Buddhist"),
                    ("hindu", "Hindu"),
                    ("jewish", "Jewish"),
                    ("muslim", "Muslim"),
                    ("sikh", "Sikh"),
                    ("other", "Any other religion or belief"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                max_length=20,
                verbose_name="Religion or belief",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="sexual_orientation",
            field=models.CharField(
                choices=[
                    ("straight", "Straight or heterosexual"),
                    ("gay_lesbian", "Gay or lesbian"),
                    ("bisexual", "Bisexual"),
                    ("other", "Another sexual orientation"),
                    ("prefer_not_to_say", "Prefers not to say"),
                    ("not_asked", "Not asked"),
                ],
                default="not_asked",
                max_length=20,
                verbose_name="Sexual orientation",
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="ethnicity",
            field=models.CharField(
                choices=[
                    (
                        "white_british",
                        "White - English, Welsh, Scottish, Northern Irish or British",
                    ),
                    ("white_irish", "White - Irish"),
                    ("white_gypsy_traveller", "White - Gypsy or Irish Traveller"),
                    ("white_roma", "White - Roma"),
                    ("white_other", "White - Any other White background"),
                    (
                        "mixed_white_black_caribbean",
                        "Mixed or multiple ethnic groups - White and Black Caribbean",
                    ),
                    (
                        "mixed_white_black_african",
                        "Mixed or multiple ethnic groups - White and Black African",
                    ),
                    ("mixed_white_asian", "Mixed or multiple ethnic groups - White and Asian"),
                    (
                        "mixed_other",
                        "Mixed or multiple ethnic groups - Any other Mixed or multiple ethnic background",
                    ),
                    ("asian_indian", "Asian or Asian British - Indian"),
                    ("asian_pakistani", "Asian or Asian British - Pakistani"),
                    ("asian_bangladeshi", "Asian or Asian British - Bangladeshi"),
                    ("asian_chinese", "Asian or Asian British - Chinese"),
                    ("asian_other", "Asian or Asian British - Any other Asian background"),
                    ("black_african", "Black, Black British, Caribbean or African - African"),
                    ("black_caribbean", "Black, Black British, Caribbean or African - Caribbean"),
                    (
                        "black_other",
                        "Black, Black British, Caribbean or African - Any other Black, Black British or Caribbean background",
                    ),
                    ("other_arab", "Other ethnic group - Arab"),
                    ("other_any", "Other ethnic group - Any other ethnic group"),
                    ("refused", "No data - Refused (the person prefers not to say)"),
                    ("not_stated", "No data - Undeclared or Not known"),
                ],
                default="not_stated",
                max_length=40,
                verbose_name="Ethnic group",
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="primary_support_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("physical_access_mobility", "Physical Support: Access & mobility only"),
                    ("physical_personal_care", "Physical Support: Personal care support"),
                    ("sensory_visual", "Sensory Support: Support for visual impairment"),
                    ("sensory_hearing", "Sensory Support: Support for hearing impairment"),
                    ("sensory_dual", "Sensory Support: Support for dual impairment"),
                    ("memory_cognition", "Support with Memory & Cognition"),
                    ("learning_disability", "Learning Disability Support"),
                    ("mental_health", "Mental Health Support"),
                    ("social_substance_misuse", "Social Support: Substance misuse support"),
                    ("social_asylum_seeker", "Social Support: Asylum seeker support"),
                    (
                        "social_isolation_other",
                        "Social Support: Support for Social Isolation/Other",
                    ),
                    (
                        "social_support_to_carer",
                        "Social Support: Support to Carer (the person’s support mainly helps their carer)",
                    ),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                help_text="A carer’s own record has none",
                max_length=40,
                verbose_name="Primary support reason",
            ),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="sex",
            field=models.CharField(
                choices=[("female", "Female"), ("male", "Male"), ("not_known", "Unknown")],
                help_text="As the national return (Client Level Data) records it",
                max_length=20,
                verbose_name="Sex",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="ethnicity",
            field=models.CharField(
                choices=[
                    (
                        "white_british",
                        "White - English, Welsh, Scottish, Northern Irish or British",
                    ),
                    ("white_irish", "White - Irish"),
                    ("white_gypsy_traveller", "White - Gypsy or Irish Traveller"),
                    ("white_roma", "White - Roma"),
                    ("white_other", "White - Any other White background"),
                    (
                        "mixed_white_black_caribbean",
                        "Mixed or multiple ethnic groups - White and Black Caribbean",
                    ),
                    (
                        "mixed_white_black_african",
                        "Mixed or multiple ethnic groups - White and Black African",
                    ),
                    ("mixed_white_asian", "Mixed or multiple ethnic groups - White and Asian"),
                    (
                        "mixed_other",
                        "Mixed or multiple ethnic groups - Any other Mixed or multiple ethnic background",
                    ),
                    ("asian_indian", "Asian or Asian British - Indian"),
                    ("asian_pakistani", "Asian or Asian British - Pakistani"),
                    ("asian_bangladeshi", "Asian or Asian British - Bangladeshi"),
                    ("asian_chinese", "Asian or Asian British - Chinese"),
                    ("asian_other", "Asian or Asian British - Any other Asian background"),
                    ("black_african", "Black, Black British, Caribbean or African - African"),
                    ("black_caribbean", "Black, Black British, Caribbean or African - Caribbean"),
                    (
                        "black_other",
                        "Black, Black British, Caribbean or African - Any other Black, Black British or Caribbean background",
                    ),
                    ("other_arab", "Other ethnic group - Arab"),
                    ("other_any", "Other ethnic group - Any other ethnic group"),
                    ("refused", "No data - Refused (the person prefers not to say)"),
                    ("not_stated", "No data - Undeclared or Not known"),
                ],
                default="not_stated",
                max_length=40,
                verbose_name="Ethnic group",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="primary_support_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("physical_access_mobility", "Physical Support: Access & mobility only"),
                    ("physical_personal_care", "Physical Support: Personal care support"),
                    ("sensory_visual", "Sensory Support: Support for visual impairment"),
                    ("sensory_hearing", "Sensory Support: Support for hearing impairment"),
                    ("sensory_dual", "Sensory Support: Support for dual impairment"),
                    ("memory_cognition", "Support with Memory & Cognition"),
                    ("learning_disability", "Learning Disability Support"),
                    ("mental_health", "Mental Health Support"),
                    ("social_substance_misuse", "Social Support: Substance misuse support"),
                    ("social_asylum_seeker", "Social Support: Asylum seeker support"),
                    (
                        "social_isolation_other",
                        "Social Support: Support for Social Isolation/Other",
                    ),
                    (
                        "social_support_to_carer",
                        "Social Support: Support to Carer (the person’s support mainly helps their carer)",
                    ),
                    ("unknown", "Unknown"),
                ],
                default="unknown",
                help_text="A carer’s own record has none",
                max_length=40,
                verbose_name="Primary support reason",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="sex",
            field=models.CharField(
                choices=[("female", "Female"), ("male", "Male"), ("not_known", "Unknown")],
                help_text="As the national return (Client Level Data) records it",
                max_length=20,
                verbose_name="Sex",
            ),
        ),
        migrations.CreateModel(
            name="HistoricalCaringRelationship",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("started", models.DateField(verbose_name="Started caring")),
                ("ended", models.DateField(blank=True, null=True, verbose_name="Stopped caring")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
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
                (
                    "cared_for",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                (
                    "carer",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                (
                    "created_by",
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
            ],
            options={
                "verbose_name": "historical caring relationship",
                "verbose_name_plural": "historical caring relationships",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="CaringRelationship",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("started", models.DateField(verbose_name="Started caring")),
                ("ended", models.DateField(blank=True, null=True, verbose_name="Stopped caring")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                (
                    "cared_for",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cared_for_by",
                        to="people.person",
                    ),
                ),
                (
                    "carer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cares_for",
                        to="people.person",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-started", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("carer", models.F("cared_for")), _negated=True),
                        name="caring_not_for_oneself",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("ended__isnull", True),
                            ("ended__gte", models.F("started")),
                            _connector="OR",
                        ),
                        name="caring_ends_after_it_starts",
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("ended__isnull", True)),
                        fields=("carer", "cared_for"),
                        name="caring_one_open_link",
                    ),
                ],
            },
        ),
    ]
