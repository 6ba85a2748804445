"""Opening a person's record: the visibility check and the access log.

Every page and API endpoint that shows a person goes through `open_person` (one record)
or `log_listing` (many), so no read escapes the log. Each takes the user and a short
`via` (the page or endpoint, e.g. "people:detail"), not the request, so background work
and commands log their reads the same way.

The access log keeps two things apart: `purpose`, a neutral category the person sees
("Direct care: team caseload", "Outside their caseload, for a recorded reason"), and
`reason`, the free text a staff member gave to open a record outside their caseload,
which only staff see: a reason such as "safeguarding concern about the representative"
must never reach the person or their representative.
"""

import functools

from django.db import connection
from django.utils import timezone

from accounts.models import AccessEvent, AccessGrant
from accounts.roles import Role
from core.permissions import is_record_id

from .models import Person

Action = AccessEvent.Action
Purpose = AccessEvent.Purpose

__all__ = ["NotVisible", "is_record_id", "log_denied", "log_listing", "open_person"]


class NotVisible(Exception):
    """The user may not see this record (or it does not exist): answer 404 either way."""


def _purpose_and_reason(user, person: Person) -> tuple[str, str]:
    if person.user_id and person.user_id == user.pk:
        return Purpose.OWN, ""
    if person.representative_id and person.representative_id == user.pk:
        return Purpose.REPRESENTATIVE, ""
    if user.team_id and person.team_id == user.team_id and user.holds_caseload:
        return Purpose.CASELOAD, ""
    reason = (
        AccessGrant.objects.filter(user=user, person=person, expires_at__gt=timezone.now())
        .order_by("-granted_at")
        .values_list("reason", flat=True)
        .first()
    )
    return (Purpose.OUTSIDE_CASELOAD, reason) if reason else (Purpose.OTHER, "")


def open_person(user, pk, *, via: str, action=Action.VIEW, queryset=None) -> Person:
    """The person with this id if the user may see it, with the read logged; else NotVisible."""
    qs = (
        queryset
        if queryset is not None
        else Person.objects.select_related("team", "representative")
    )
    # By primary key, so no ORDER BY (the model's ordering cost ~0.3 ms of Python to compile).
    found = list(qs.visible_to(user).filter(pk=pk).order_by()[:1]) if is_record_id(pk) else []
    person = found[0] if found else None
    if person is None:
        log_denied(user, pk, via=via)
        raise NotVisible(pk)
    purpose, reason = _purpose_and_reason(user, person)
    _write(user, [person.pk], action=action, purpose=purpose, reason=reason, via=via)
    return person


def log_denied(user, ref, *, via: str, reason: str = "") -> None:
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
        purpose=Purpose.NO_RIGHT,
        reason=reason[:500],
        via=via[:300],
    )


def log_listing(
    user, people, *, via: str, action=Action.LIST, purpose: str | None = None, reason: str = ""
) -> None:
    """One row per person shown in a list (people, or their ids), written in a single statement."""
    if purpose is None:
        if user.role in (Role.PERSON, Role.REPRESENTATIVE, Role.CARER):
            purpose = Purpose.OWN_LIST
        else:
            purpose = Purpose.CASELOAD_LIST
    _write(user, people, action=action, purpose=purpose, reason=reason, via=via)


_COLUMNS = ("occurred_at", "user", "person", "requested_ref", "action", "purpose", "reason", "via")


@functools.cache
def _insert_sql() -> str:
    """One INSERT for any number of people: each column but the person's is a single value,
    the people are one array, unnested. The statement's text never changes, so PostgreSQL
    prepares it once per connection (DATABASE_PREPARED_STATEMENTS)."""
    quote = connection.ops.quote_name
    fields = {f.name: f.column for f in AccessEvent._meta.concrete_fields}
    columns = ", ".join(quote(fields[name]) for name in _COLUMNS)
    table = quote(AccessEvent._meta.db_table)
    return (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 - quoted names only; values are parameters
        "SELECT %s, %s, person_id, '', %s, %s, %s, %s FROM unnest(%s::bigint[]) AS person_id"
    )


def _write(user, people, *, action: str, purpose: str, reason: str, via: str) -> None:
    """The access log's rows for these people (people, or their ids), in one statement.

    It runs on the request's connection, so it belongs to whatever transaction the caller is
    in. On PostgreSQL the ids go as one array (INSERT … SELECT unnest): the statement costs
    the same to build and send for 1 or 25 people, far less than the ORM's bulk_create;
    SQLite has no arrays and uses bulk_create, still one INSERT.
    """
    ids = [person if isinstance(person, int) else person.pk for person in people]
    if not ids:
        return
    now = timezone.now()
    reason, via = reason[:500], via[:300]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(), [now, user.pk, action, purpose, reason, via, ids])
        return
    AccessEvent.objects.bulk_create(
        [
            AccessEvent(
                occurred_at=now,
                user_id=user.pk,
                person_id=person_id,
                action=action,
                purpose=purpose,
                reason=reason,
                via=via,
            )
            for person_id in ids
        ]
    )
