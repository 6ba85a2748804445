"""Equality monitoring, client type and caring relationships (issue 7): the data, moved into
the fields 0004 added (the old sensory flag is removed in 0006).

Person by person (each changed record gets a history row saying why):

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

import django.utils.timezone
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
        ("people", "0005_equality_monitoring_and_caring"),
        ("assessment", "0002_state_machine_and_edit_version"),
    ]

    operations = [
        migrations.RunPython(split_sensory_and_make_carers_a_client_type, keep_sensory_flag),
    ]
