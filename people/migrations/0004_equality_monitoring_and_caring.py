"""Equality monitoring, client type and caring relationships (issue 7).

Schema: the protected characteristics the record lacked (Equality Act 2010 s4), visual and
hearing impairment in place of one "sensory impairment" flag, the Client Level Data client
type, and CaringRelationship.

Data, person by person (each changed record gets a history row saying why):

1. Sensory impairment becomes visual and hearing impairment. The primary support reason says
   which where it can: "Support for visual impairment" sets visual, "hearing" sets hearing,
   "dual" sets both. Anyone else flagged with a sensory impairment gets both flags: the old
   flag did not say which, and counting them in both equality groups loses no one (an
   over-count a practitioner corrects at the next contact, where dropping them could not be
   noticed). Undone, either flag sets the old one.
2. Carers are a client type, not a primary support reason (Client Level Data). A person
   whose support reason is "Social Support: Support to Carer", or "Unknown", and who has no
   needs assessment of their own (only carer's assessments, or none) is a carer's own
   record: client type Carer, no support reason. Someone with a needs assessment keeps the
   reason: for a service user it is the return's own category (support that mainly helps
   their carer).
3. Each carer's assessment names the person cared for: it becomes a caring relationship
   (started on the day the assessment started) unless one is already open, and the person
   cared for is marked as having an unpaid carer.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

REASON = "Data migration: {}"


def _history(apps, person, reason, now):
    """A history row for a change the migration made, as a save through an action would."""
    Historical = apps.get_model("people", "HistoricalPerson")
    values = {
        field.attname: getattr(person, field.attname)
        for field in person._meta.concrete_fields
        if field.attname != "updated_at"
    }
    return Historical(
        **values,
        history_date=now,
        history_type="~",
        history_change_reason=REASON.format(reason)[:100],
        history_user_id=None,
    )


def split_sensory_and_make_carers_a_client_type(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Assessment = apps.get_model("assessment", "Assessment")
    CaringRelationship = apps.get_model("people", "CaringRelationship")
    HistoricalCaring = apps.get_model("people", "HistoricalCaringRelationship")
    Historical = apps.get_model("people", "HistoricalPerson")
    now = django.utils.timezone.now()
    changed = {}

    def note(person, reason):
        entry = changed.setdefault(person.pk, [person, []])
        entry[1].append(reason)

    # 1. Sensory impairment: which kind, from the support reason where it says.
    by_reason = {
        "sensory_visual": (True, False),
        "sensory_hearing": (False, True),
        "sensory_dual": (True, True),
    }
    sensory = Person.objects.filter(
        models.Q(has_sensory_impairment=True) | models.Q(primary_support_reason__in=by_reason)
    )
    for person in sensory.iterator(chunk_size=2000):
        visual, hearing = by_reason.get(person.primary_support_reason, (True, True))
        person.has_visual_impairment, person.has_hearing_impairment = visual, hearing
        note(person, "sensory impairment split into visual and hearing")

    # 2. Carers' own records: a client type, with no support reason.
    needs_assessed = Assessment.objects.filter(kind="person").values("person_id")
    carers = Person.objects.filter(
        primary_support_reason__in=["social_support_to_carer", "unknown"]
    ).exclude(pk__in=needs_assessed)
    carer_ids = set(Assessment.objects.filter(kind="carer").values_list("person_id", flat=True))
    for person in carers.iterator(chunk_size=2000):
        if person.primary_support_reason == "unknown" and person.pk not in carer_ids:
            continue  # nothing says they are a carer
        person = changed.get(person.pk, [person])[0]
        person.client_type = "carer"
        person.primary_support_reason = ""
        note(person, "a carer is a client type, not a support reason")

    # 3. Each carer's assessment links the carer and the person cared for.
    links, link_history = [], []
    open_links = set(
        CaringRelationship.objects.filter(ended__isnull=True).values_list(
            "carer_id", "cared_for_id"
        )
    )
    for assessment in (
        Assessment.objects.filter(kind="carer", cared_for__isnull=False)
        .exclude(person_id=models.F("cared_for_id"))
        .order_by("started_at", "pk")
    ):
        pair = (assessment.person_id, assessment.cared_for_id)
        if pair in open_links:
            continue
        open_links.add(pair)
        started = django.utils.timezone.localtime(assessment.started_at).date()
        links.append(
            CaringRelationship(
                carer_id=pair[0], cared_for_id=pair[1], started=started, created_at=now
            )
        )
    CaringRelationship.objects.bulk_create(links, batch_size=2000)
    for link in CaringRelationship.objects.filter(created_at=now):
        link_history.append(
            HistoricalCaring(
                id=link.pk,
                carer_id=link.carer_id,
                cared_for_id=link.cared_for_id,
                started=link.started,
                ended=None,
                created_by_id=None,
                created_at=link.created_at,
                history_date=now,
                history_type="+",
                history_change_reason=REASON.format("from a carer's assessment"),
                history_user_id=None,
            )
        )
    HistoricalCaring.objects.bulk_create(link_history, batch_size=2000)
    cared_for = Person.objects.filter(
        pk__in=[link.cared_for_id for link in links], has_unpaid_carer=False
    )
    for person in cared_for.iterator(chunk_size=2000):
        person = changed.get(person.pk, [person])[0]
        person.has_unpaid_carer = True
        note(person, "has an unpaid carer (from a carer's assessment)")

    rows, history = [], []
    for person, reasons in changed.values():
        person.edit_version += 1
        rows.append(person)
        history.append(_history(apps, person, "; ".join(reasons), now))
    Person.objects.bulk_update(
        rows,
        [
            "has_visual_impairment",
            "has_hearing_impairment",
            "client_type",
            "primary_support_reason",
            "has_unpaid_carer",
            "edit_version",
        ],
        batch_size=2000,
    )
    Historical.objects.bulk_create(history, batch_size=2000)


def keep_sensory_flag(apps, schema_editor):
    """Undone: either new flag sets the old one; carers get back the support reason."""
    Person = apps.get_model("people", "Person")
    Person.objects.filter(
        models.Q(has_visual_impairment=True) | models.Q(has_hearing_impairment=True)
    ).update(has_sensory_impairment=True)
    Person.objects.filter(client_type__in=["carer", "carer_by_association"]).update(
        primary_support_reason="social_support_to_carer"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_person_edit_version"),
        ("assessment", "0002_state_machine_and_edit_version"),
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
        migrations.RunPython(split_sensory_and_make_carers_a_client_type, keep_sensory_flag),
        migrations.RemoveField(
            model_name="historicalperson",
            name="has_sensory_impairment",
        ),
        migrations.RemoveField(
            model_name="person",
            name="has_sensory_impairment",
        ),
    ]
