"""Every write to accounts: users, teams, passwords, second factors, activation codes, API
tokens, and the record of administrators reading the access log.

The administration site, the account pages and the commands call these; none of them
saves a user, a team or a device itself (DESIGN.md §7).
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import rules as business_rules
from core.actions import ActionError, action, audit, because

from . import notifications
from .models import ActivationCode, ApiToken, Team, User
from .rules import ActiveAccount, NotOwnSecondFactor, OwnAccessUnchanged, SecondFactorIsForStaff

M2M_FIELDS = ("groups", "user_permissions")
# Letters and digits that cannot be mistaken for each other when read out on the phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits: unguessable in 5 tries, easy to read out in three groups


def _refuse(rule_classes, subject, **context) -> None:
    found = business_rules.problems(rule_classes, subject, **context)
    if found:
        raise ActionError(found[0].message, code=found[0].code)


def _label(field_name: str) -> str:
    if field_name in M2M_FIELDS:
        return field_name.replace("_", " ")
    return str(User._meta.get_field(field_name).verbose_name)


# --- Users ------------------------------------------------------------------------------


@action
def create_user(user: User, *, acting_user, password: str | None = None, groups=()) -> User:
    """Add an account from an unsaved user (the administration site's form builds one, with
    its password already set); or give `password` here. Without either it cannot sign in
    with a password until one is set."""
    if not user._state.adding:
        raise ActionError("That account already exists")
    if password:
        user.set_password(password)
    elif not user.password:
        user.set_unusable_password()
    because("Account created")
    user.save()
    if groups:
        user.groups.set(groups)
    audit(user, f"Created the account {user.username} ({user.role_label})")
    return user


@action
def update_user(user: User, values: dict, *, acting_user) -> list[str]:
    """Change an account's details, role, team or access; nobody changes their own access.

    Returns the names of the fields that changed (none: nothing is written).
    """
    current = User.objects.select_for_update().get(pk=user.pk)
    changed = []
    for name, value in values.items():
        if name in M2M_FIELDS:
            if set(getattr(current, name).all()) != set(value):
                changed.append(name)
        elif getattr(current, name) != value:
            changed.append(name)
    if not changed:
        return []
    _refuse([OwnAccessUnchanged], current, acting_user=acting_user, changed=changed)
    for name in changed:
        if name not in M2M_FIELDS:
            setattr(current, name, values[name])
    because("Account changed")
    current.save()
    for name in changed:
        if name in M2M_FIELDS:
            getattr(current, name).set(values[name])
    audit(current, "Changed " + ", ".join(_label(name) for name in changed))
    user.refresh_from_db()
    return changed


@action
def set_password(user: User, password: str | None, *, acting_user) -> None:
    """An administrator sets (or, with None, switches off) someone's password.

    Every session the user has ends: Django ties a session to a hash of the password.
    """
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    because("Password set by an administrator")
    user.save(update_fields=["password"])
    audit(
        user,
        "Set a new password" if password else "Switched off signing in with a password",
    )


@action
def change_own_password(user: User, password: str, *, acting_user) -> None:
    """The user changes their own password; their other sessions end (the view keeps this one)."""
    if acting_user.pk != user.pk:
        raise ActionError("You can only change your own password here")
    user.set_password(password)
    because("Password changed")
    user.save(update_fields=["password"])
    audit(user, "Changed their own password")
    transaction.on_commit(lambda: notifications.send("password_changed", user))


# --- Teams ------------------------------------------------------------------------------


@action
def create_team(team: Team, *, acting_user) -> Team:
    """Add a team (an unsaved one, as the administration site's form builds it)."""
    if not team._state.adding:
        raise ActionError("That team already exists")
    because("Team created")
    team.save()
    audit(team, f"Created the team {team.name}")
    return team


@action
def update_team(team: Team, values: dict, *, acting_user) -> list[str]:
    changed = [name for name, value in values.items() if getattr(team, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(team, name, values[name])
    because("Team changed")
    team.save()
    audit(
        team,
        "Changed " + ", ".join(str(Team._meta.get_field(name).verbose_name) for name in changed),
    )
    return changed


@action
def delete_team(team: Team, *, acting_user) -> None:
    if team.members.exists() or team.caseload.exists():
        raise ActionError(
            f"The team {team.name} still has staff or people: move them to another team first"
        )
    audit(team, f"Deleted the team {team.name}")
    because("Team deleted")
    team.delete()


# --- Second factor ----------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedCode:
    code: ActivationCode
    raw: str  # shown once to the administrator, never stored

    @property
    def grouped(self) -> str:
        return "-".join(self.raw[i : i + 4] for i in range(0, len(self.raw), 4))


@action
def issue_activation_code(user: User, *, acting_user) -> IssuedCode:
    """A one-time code for `user` to set up an authenticator app, for an administrator to pass
    on by another channel. Any earlier unused code for them stops working."""
    _refuse(
        [SecondFactorIsForStaff, ActiveAccount, NotOwnSecondFactor], user, acting_user=acting_user
    )
    now = timezone.now()
    user.activation_codes.usable().update(revoked_at=now)
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    code = ActivationCode.objects.create(
        user=user,
        code_hash=ActivationCode.hash(raw),
        issued_by=acting_user if getattr(acting_user, "pk", None) else None,
        issued_at=now,
        expires_at=now + settings.ACTIVATION_CODE_DURATION,
    )
    expires = timezone.localtime(code.expires_at)
    audit(
        user,
        f"Issued an activation code for {user.username}, usable until {expires:%d %b %Y %H:%M}",
    )
    return IssuedCode(code=code, raw=raw)


@action
def redeem_activation_code(user: User, raw: str, *, acting_user) -> TOTPDevice | None:
    """Check the code a member of staff typed; if right, use it up and start a new (unconfirmed)
    authenticator for them, whose secret the setup page may now show.

    A wrong code counts against every code they hold (five wrong tries and it stops working)
    and returns None; the count is kept, so this never raises for a wrong code.
    """
    if acting_user.pk != user.pk:
        raise ActionError("An activation code can only be used by the person it was issued to")
    usable = user.activation_codes.usable().select_for_update()
    code = usable.filter(code_hash=ActivationCode.hash(raw)).first()
    if code is None:
        for held in usable:
            held.failed_attempts += 1
            held.save(update_fields=["failed_attempts"])
        audit(user, "Entered an activation code that was not right")
        return None
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    audit(user, "Used an activation code to start setting up an authenticator app")
    return device


@action
def confirm_authenticator(device: TOTPDevice, *, acting_user) -> TOTPDevice:
    """The app gave a right code: it becomes the user's second factor, and they are told."""
    user = device.user
    if acting_user.pk != user.pk:
        raise ActionError("Only the person setting up the app can confirm it")
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=device.pk).delete()
    audit(user, f"Added an authenticator app ({device.name})")
    name = device.name
    transaction.on_commit(lambda: notifications.send("factor_added", user, device_name=name))
    return device


@action
def reset_second_factor(user: User, *, acting_user) -> int:
    """Remove a member of staff's authenticator apps (a lost or replaced phone) and any unused
    activation code; they set up again with a new code. Returns how many apps were removed."""
    _refuse([NotOwnSecondFactor], user, acting_user=acting_user)
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    user.activation_codes.usable().update(revoked_at=timezone.now())
    audit(user, f"Reset the second factor: removed {count} authenticator app(s)")
    if count:
        transaction.on_commit(lambda: notifications.send("factor_removed", user))
    return count


# --- API tokens -------------------------------------------------------------------------


@action
def issue_api_token(user: User, name: str, *, acting_user, days: int | None = 90):
    """A personal API token; returns (token, raw value), the raw value shown once."""
    if acting_user.pk != user.pk:
        raise ActionError("People make their own API tokens")
    if not user.is_council_staff:
        raise ActionError("Only council staff can make API tokens")
    token, raw = ApiToken.issue(user, name, days=days)
    audit(token, f"Made the API token ‘{token.name}’ ({token.prefix}…)")
    return token, raw


@action
def revoke_api_token(token: ApiToken, *, acting_user) -> bool:
    """Stop a token working; False if it already had."""
    if token.revoked_at:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(token, f"Revoked the API token ‘{token.name}’ ({token.prefix}…)")
    return True


# --- Reads of the access log ------------------------------------------------------------


@dataclass(frozen=True)
class _Rows:
    """Stands for the rows of a model an administrator read, for the audit trail."""

    model: type
    ids: tuple

    @property
    def _meta(self):
        return self.model._meta

    @property
    def pk(self) -> str:
        if not self.ids:
            return "none"
        return str(self.ids[0]) if len(self.ids) == 1 else f"{min(self.ids)}-{max(self.ids)}"


@action
def record_admin_read(model, ids, *, acting_user, what: str, person=None) -> None:
    """Note in the audit trail that an administrator read rows of the access log or grants.

    Those rows are themselves a record of reads, so reading them is recorded here (who, which
    rows, when) rather than as more rows of the access log.
    """
    ids = tuple(sorted(ids))
    audit(_Rows(model, ids), what, person=person)
