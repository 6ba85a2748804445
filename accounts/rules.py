"""Business rules for accounts: what no administrator may do to their own account, and who
needs a second factor. Pages and tests look at the codes."""

from core.rules import BusinessRule

# What decides what a user may see and do: nobody changes these on their own account.
ACCESS_FIELDS = (
    "role",
    "team",
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
)


class OwnAccessUnchanged(BusinessRule):
    """You cannot change your own role, team or access. Ask another administrator to do it"""

    code = "ACC-OWN-ACCESS"

    def broken_by(self, user, *, acting_user=None, changed=()) -> bool:
        return bool(
            acting_user is not None
            and getattr(acting_user, "pk", None) == user.pk
            and set(changed) & set(ACCESS_FIELDS)
        )


class NotOwnSecondFactor(BusinessRule):
    """You cannot issue an activation code for yourself or reset your own authenticator app.
    Ask another administrator to do it"""

    code = "ACC-OWN-FACTOR"

    def broken_by(self, user, *, acting_user=None) -> bool:
        return acting_user is not None and getattr(acting_user, "pk", None) == user.pk


class SecondFactorIsForStaff(BusinessRule):
    """Only council staff sign in with an authenticator app, so this account needs no
    activation code"""

    code = "ACC-NOT-STAFF"

    def broken_by(self, user, **context) -> bool:
        return not user.is_council_staff


class ActiveAccount(BusinessRule):
    """This account is switched off. Switch it on before issuing an activation code"""

    code = "ACC-INACTIVE"

    def broken_by(self, user, **context) -> bool:
        return not user.is_active
