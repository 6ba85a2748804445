"""Every write to a person's record, and opening one outside the caseload (break-glass)."""

from django.conf import settings
from django.utils import timezone

from accounts.models import AccessEvent, AccessGrant
from core.actions import ActionError, action, audit, because
from core.concurrency import bump, lock_at_version

from . import rules
from .codes import CONDITION_FLAGS
from .models import CaringRelationship, Person

FLAG_FIELDS = tuple(name for name, _label in CONDITION_FLAGS)


@action
def create_person(values: dict, *, acting_user) -> Person:
    """Add a person to the council's records."""
    person = Person(**values)
    rules.check_person(person)
    because("Record created")
    person.save()
    audit(person, f"Added {person.council_person_id} to the records")
    return person


@action
def update_person(person: Person, values: dict, *, acting_user, expected_version=None) -> list[str]:
    """Change a person's record; refuse (EditConflict) if someone saved it since it was opened.

    Returns the names of the fields that changed (none: nothing is written).
    """
    current = lock_at_version(person, expected_version)
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(current, name, values[name])
    rules.check_person(current)
    bump(current)
    because("Record changed")
    current.save()
    labels = ", ".join(
        str(Person._meta.get_field(name).verbose_name).lower() for name in changed[:8]
    )
    audit(current, f"Changed {labels}")
    person.refresh_from_db()
    return changed


@action
def break_glass(person: Person, reason: str, *, acting_user, via: str) -> AccessGrant:
    """Open a record outside the caseload for a while, for a stated reason; logged.

    The reason is kept for staff and auditors; the person sees only that their record was
    opened outside the team's caseload, by whom and when (people.access).
    """
    if not acting_user.is_council_staff:
        raise ActionError("Only council staff can open a record outside their caseload")
    reason = reason.strip()
    if len(reason) < 10:
        raise ActionError("Enter why you need to open this record (at least 10 characters)")
    now = timezone.now()
    grant = AccessGrant.objects.create(
        user=acting_user,
        person=person,
        reason=reason,
        granted_at=now,
        expires_at=now + settings.BREAK_GLASS_DURATION,
    )
    AccessEvent.objects.create(
        user=acting_user,
        person=person,
        action=AccessEvent.Action.BREAK_GLASS,
        purpose=AccessEvent.Purpose.OUTSIDE_CASELOAD,
        reason=reason,
        via=via[:300],
        occurred_at=now,
    )
    audit(grant, "Opened the record outside their caseload, with a recorded reason", person=person)
    return grant


@action
def record_caring_relationship(
    carer: Person, cared_for: Person, started, *, acting_user
) -> CaringRelationship:
    """Record that one person cares, unpaid, for another: both records show the link.

    The person cared for is marked as having an unpaid carer (the Client Level Data's "Has
    unpaid carer"), and the change is kept in their history.
    """
    link = CaringRelationship(
        carer=carer,
        cared_for=cared_for,
        started=started,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    rules.check_caring(link)
    because("Caring relationship recorded")
    link.save()
    audit(
        link,
        f"Recorded that {carer.council_person_id} cares for {cared_for.council_person_id}",
        person=cared_for,
    )
    audit(link, f"Recorded that they care for {cared_for.council_person_id}", person=carer)
    if not cared_for.has_unpaid_carer and link.ended is None:
        current = Person.objects.select_for_update().get(pk=cared_for.pk)
        current.has_unpaid_carer = True
        bump(current)
        because("An unpaid carer was recorded")
        current.save()
        audit(current, "Marked as having an unpaid carer")
        cared_for.refresh_from_db()
    return link


@action
def end_caring_relationship(link: CaringRelationship, ended, *, acting_user) -> CaringRelationship:
    """Record the day a carer stopped caring; the link stays on both records, ended."""
    current = CaringRelationship.objects.select_for_update().get(pk=link.pk)
    if current.ended is not None:
        raise ActionError(
            "This caring relationship has already ended", code="PPL-CARE-ALREADY-ENDED"
        )
    current.ended = ended
    rules.check_caring(current)
    because("Caring relationship ended")
    current.save()
    audit(
        current,
        f"Recorded that {current.carer.council_person_id} stopped caring for "
        f"{current.cared_for.council_person_id} on {ended:%-d %B %Y}",
        person=current.cared_for,
    )
    link.refresh_from_db()
    return current
