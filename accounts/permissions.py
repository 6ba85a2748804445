"""Who may do what to accounts (django-rules; loaded by core's autodiscovery).

Administrators manage other people's second factor; nobody manages their own, so one
stolen administrator session cannot enrol a new phone for that administrator. Anyone
signed in may change their own password.
"""

import rules

from core.permissions import is_administrator


@rules.predicate
def is_someone_else(user, target) -> bool:
    return target is None or getattr(target, "pk", None) != user.pk


rules.add_perm("accounts.issue_activation_code", is_administrator & is_someone_else)
rules.add_perm("accounts.reset_second_factor", is_administrator & is_someone_else)
rules.add_perm("accounts.change_own_password", rules.is_authenticated)
