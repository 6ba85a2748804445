"""Opening a person's record: the visibility check, break-glass, and the access log.

Every page and API endpoint that shows a person goes through `open_person` (one
record) or `log_listing` (many), so no read escapes the log.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import AccessEvent, AccessGrant
from accounts.roles import Role

from .models import Person

Action = AccessEvent.Action


class NotVisible(Exception):
    """The user may not see this record (or it does not exist): answer 404 either way."""


def _purpose(user, person: Person) -> str:
    if person.user_id and person.user_id == user.pk:
        return "Their own record"
    if person.representative_id and person.representative_id == user.pk:
        return "As the person's representative"
    if user.team_id and person.team_id == user.team_id and user.holds_caseload:
        return "Direct care: team caseload"
    grant = (
        AccessGrant.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-granted_at")
        .values_list("reason", flat=True)
        .first()
    )
    return f"Break-glass: {grant}" if grant else "Access granted"


def open_person(request, user, pk, *, action=Action.VIEW, queryset=None) -> Person:
    """The person with this id if the user may see it, with the read logged; else NotVisible."""
    qs = (
        queryset
        if queryset is not None
        else Person.objects.select_related("team", "representative")
    )
    person = qs.visible_to(user).filter(pk=pk).first() if is_record_id(pk) else None
    if person is None:
        log_denied(request, user, pk)
        raise NotVisible(pk)
    AccessEvent.objects.create(
        user=user,
        person=person,
        action=action,
        purpose=_purpose(user, person),
        path=request.path[:300],
    )
    return person


def log_denied(request, user, ref, purpose="No right to this record") -> None:
    existing = (
        Person.objects.filter(pk=ref).values_list("pk", flat=True).first()
        if is_record_id(ref)
        else None
    )
    AccessEvent.objects.create(
        user=user,
        person_id=existing,
        requested_ref=str(ref)[:64],
        action=Action.DENIED,
        purpose=purpose[:500],
        path=request.path[:300],
    )


def log_listing(request, user, people, *, action=Action.LIST, purpose: str | None = None) -> None:
    """One row per person shown in a list (people, or their ids), written in a single statement."""
    if purpose is None:
        if user.role in (Role.PERSON, Role.REPRESENTATIVE):
            purpose = "Their own records"
        else:
            purpose = "Caseload list" if action == Action.LIST else "API list"
    now = timezone.now()
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                occurred_at=now,
                user=user,
                person_id=person if isinstance(person, int) else person.pk,
                action=action,
                purpose=purpose[:500],
                path=request.path[:300],
            )
            for person in people
        ]
    )


def break_glass(request, user, person: Person, reason: str) -> AccessGrant:
    """Open a record outside the caseload for a while, for a stated reason; logged."""
    if not user.is_council_staff:
        raise NotVisible(person.pk)
    now = timezone.now()
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            user=user,
            person=person,
            reason=reason,
            granted_at=now,
            expires_at=now + settings.BREAK_GLASS_DURATION,
        )
        AccessEvent.objects.create(
            user=user,
            person=person,
            action=Action.BREAK_GLASS,
            purpose=f"Break-glass: {reason}"[:500],
            path=request.path[:300],
            occurred_at=now,
        )
    return grant


def is_record_id(value) -> bool:
    """A value that can name a row: a positive whole number that fits a bigint."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return 0 < number < 2**63
