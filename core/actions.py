"""Every write of a domain record goes through an action (DESIGN.md §7; zulip's `do_*`).

    @action
    def update_person(person, changes, *, acting_user, expected_version):
        ...
        audit(person, "Changed the address", person=person)

An action takes the acting user as a keyword, runs in one transaction, makes
django-simple-history record that user (and the reason given with `because`) on every
history row written inside it, and must write at least one AuditEvent (with `audit`) in
the same transaction: an action that writes none fails loudly. Side effects (tasks,
messages) go in `transaction.on_commit`, so they happen only if the write does.
"""

import contextvars
import functools
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from . import context


@dataclass
class _Frame:
    name: str
    user: object
    reason: str = ""
    events: list = field(default_factory=list)


_stack: contextvars.ContextVar[tuple[_Frame, ...]] = contextvars.ContextVar(
    "selfdirect_actions", default=()
)


class ActionError(Exception):
    """Something the user can put right; the message says what, in words."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


class IllegalTransition(ActionError):
    """A lifecycle step the record's state does not allow (HTTP 409 in the API)."""

    def __init__(self, refused: TransitionNotAllowed):
        record = getattr(refused, "object", None)
        method = getattr(refused, "method", None)
        step = getattr(method, "__name__", "that").strip("_").replace("_", " ")
        state = ""
        if record is not None:
            field = next(
                (f for f in record._meta.concrete_fields if f.name in ("status", "state")), None
            )
            if field is not None:
                value = getattr(record, field.attname)
                state = str(dict(field.flatchoices).get(value, value)).lower()
        kind = record._meta.verbose_name if record is not None else "record"
        message = f"This {kind} is {state}, so it cannot {step} now" if state else str(refused)
        super().__init__(message, code="ILLEGAL-TRANSITION")


def action(fn):
    """Make `fn` an action: keyword-only `acting_user`, one transaction, history and audit."""
    name = f"{fn.__module__.split('.')[0]}.{fn.__name__.removeprefix('do_')}"

    @functools.wraps(fn)
    def wrapper(*args, acting_user, **kwargs):
        frame = _Frame(name=name, user=acting_user)
        with transaction.atomic():
            token = _stack.set((*_stack.get(), frame))
            try:
                result = fn(*args, acting_user=acting_user, **kwargs)
                if not frame.events:
                    raise ImproperlyConfigured(f"The action {name} wrote no audit event")
            except TransitionNotAllowed as refused:
                raise IllegalTransition(refused) from refused
            except ConcurrentTransition as clash:
                raise ActionError(
                    "Someone else changed this record's status at the same time. "
                    "Reload the page to see where it is now.",
                    code="CONCURRENT-TRANSITION",
                ) from clash
            finally:
                _stack.reset(token)
        return result

    wrapper.action_name = name
    return wrapper


def current():
    """The innermost action running now, or None."""
    stack = _stack.get()
    return stack[-1] if stack else None


def acting_user():
    frame = current()
    return frame.user if frame else None


def because(reason: str) -> None:
    """The change reason for history rows written from here on in this action."""
    frame = current()
    if frame is None:
        raise ImproperlyConfigured("because() is only meaningful inside an action")
    frame.reason = reason[:100]


def audit(record, summary: str, *, person=None, action_name: str | None = None):
    """Write the AuditEvent for a record changed by the running action."""
    from .models import AuditEvent

    stack = _stack.get()
    if not stack:
        raise ImproperlyConfigured("audit() must be called inside an action")
    frame = stack[-1]
    user = frame.user if getattr(frame.user, "pk", None) else None
    if person is None and record._meta.label_lower == "people.person":
        person = record
    event = AuditEvent.objects.create(
        actor=user,
        action=action_name or frame.name,
        record_type=record._meta.label_lower,
        record_id=str(record.pk),
        person=person,
        summary=summary[:300],
        via=context.via(),
        request_id=context.request_id(),
    )
    for outer in stack:
        outer.events.append(event.pk)
    return event


def audit_bulk(model, ids, summary: str):
    """One AuditEvent for a bulk write of many rows of one model (an import or a load),
    naming the range of ids written, instead of one row per record."""
    ids = list(ids)
    if not ids:
        return None
    from .models import AuditEvent

    stack = _stack.get()
    if not stack:
        raise ImproperlyConfigured("audit_bulk() must be called inside an action")
    frame = stack[-1]
    label = f"{min(ids)}-{max(ids)}" if len(ids) > 1 else str(ids[0])
    event = AuditEvent.objects.create(
        actor=frame.user if getattr(frame.user, "pk", None) else None,
        action=frame.name,
        record_type=model._meta.label_lower,
        record_id=label[:40],
        summary=summary[:300],
        via=context.via(),
        request_id=context.request_id(),
    )
    for outer in stack:
        outer.events.append(event.pk)
    return event
