"""Who may see and change what: the shared predicates and the one guard views use.

Each app keeps its own rules in `<app>/permissions.py` (django-rules predicates and
permissions) and gives every model people read a `visible_to(user)` queryset. Views fetch
a record through `get_for_user`, which answers 404 (the same whether or not the record
exists) and says whether this user may change it, the way healthchecks' views do.
"""

import rules
from django.http import Http404

from accounts.roles import CASELOAD_ROLES, CITIZEN_ROLES, RECORD_EDITOR_ROLES, STAFF_ROLES, Role


def is_record_id(value) -> bool:
    """A value that can name a row: a positive whole number that fits a bigint."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False
    return 0 < number < 2**63


def _role_in(roles):
    def check(user) -> bool:
        return bool(
            user is not None
            and getattr(user, "is_authenticated", False)
            and user.is_active
            and user.role in roles
        )

    return check


is_staff_member = rules.predicate(_role_in(STAFF_ROLES), name="is_staff_member")
holds_caseload = rules.predicate(_role_in(CASELOAD_ROLES), name="holds_caseload")
edits_records = rules.predicate(_role_in(RECORD_EDITOR_ROLES), name="edits_records")
is_citizen = rules.predicate(_role_in(CITIZEN_ROLES), name="is_citizen")
is_commissioner = rules.predicate(_role_in({Role.COMMISSIONER}), name="is_commissioner")
is_approver = rules.predicate(_role_in({Role.APPROVER}), name="is_approver")
is_finance = rules.predicate(_role_in({Role.FINANCE}), name="is_finance")
is_administrator = rules.predicate(_role_in({Role.ADMIN}), name="is_administrator")


def get_for_user(queryset, user, pk, *, change_permission: str | None = None):
    """(record, may_change) for a record the user may see; Http404 otherwise.

    `queryset` must offer `visible_to(user)`; `change_permission` names the rules permission
    that decides whether the user may change it.
    """
    if not is_record_id(pk):
        raise Http404
    record = queryset.visible_to(user).filter(pk=pk).first()
    if record is None:
        raise Http404
    may_change = bool(change_permission) and user.has_perm(change_permission, record)
    return record, may_change
