"""Users, roles, teams, API tokens, and the append-only record of who saw whose record."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from core.historical import HistoricalRecords
from core.models import AppendOnlyModel, AppendOnlyQuerySet

from .roles import (
    CASELOAD_ROLES,
    CITIZEN_ROLES,
    RECORD_EDITOR_ROLES,
    ROLE_LABELS,
    STAFF_ROLES,
    Role,
)

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]


class Team(models.Model):
    """A practitioners' team; its caseload is the people assigned to it."""

    name = models.CharField(max_length=100, unique=True)
    code = models.SlugField(max_length=30, unique=True)
    area = models.CharField(
        max_length=200, blank=True, help_text="The part of the council it covers."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class SelfdirectUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Anyone who signs in: people who use services, their representatives, staff and providers."""

    role = models.CharField(max_length=20, choices=ROLE_CHOICES, default=Role.PERSON)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_title = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = SelfdirectUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def role_label(self) -> str:
        return self.get_role_display()

    @property
    def is_council_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def holds_caseload(self) -> bool:
        return self.role in CASELOAD_ROLES and self.team_id is not None

    @property
    def edits_records(self) -> bool:
        return self.role in RECORD_EDITOR_ROLES

    @property
    def is_citizen(self) -> bool:
        return self.role in CITIZEN_ROLES


def _hash_token(raw: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A user sees their own tokens (never their values: those are shown once)."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal API token: shown once when made, stored only as a hash."""

    PREFIX = "sdk_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=16, help_text="The start of the token, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user, name: str, days: int | None = 90) -> tuple["ApiToken", str]:
        """Make a token; return it with the raw value, which is never stored."""
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=raw[:12],
            key_hash=_hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days) if days else None,
        )
        return token, raw

    @classmethod
    def user_for(cls, raw: str):
        """The active user a raw token belongs to, or None."""
        if not raw or not raw.startswith(cls.PREFIX):
            return None
        token = (
            cls.objects.active()
            .select_related("user")
            .filter(key_hash=_hash_token(raw), user__is_active=True)
            .first()
        )
        if token is None:
            return None
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    @property
    def is_active(self) -> bool:
        if self.revoked_at:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class AccessEventQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        """Reads of the records this user may see (each page shows one person's)."""
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))


class AccessEvent(AppendOnlyModel):
    """One read of a person's record (or a refused attempt): who, whose, when, and why.

    `purpose` is a neutral category, which the person sees; `reason` is the free text a
    staff member gave to open a record outside their caseload, which only staff see.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Opened the record"
        LIST = "list", "Saw the record in a caseload list"
        API_READ = "api_read", "Read the record through the API"
        API_LIST = "api_list", "Read the record in an API list"
        BREAK_GLASS = "break_glass", "Opened the record outside their caseload"
        DENIED = "denied", "Was refused access"

    class Purpose(models.TextChoices):
        OWN = "own", "Their own record"
        OWN_LIST = "own_list", "Their own records"
        REPRESENTATIVE = "representative", "As the person’s representative"
        CASELOAD = "caseload", "Direct care: team caseload"
        CASELOAD_LIST = "caseload_list", "Caseload list"
        OUTSIDE_CASELOAD = "outside_caseload", "Outside their caseload, for a recorded reason"
        MODELLING = "modelling", "Checking how a proposed change to budgets affects people"
        FUNDING = "funding", "Checking the reserve that pays for budgets above the usual amount"
        ADMINISTRATION = "administration", "Account administration"
        OTHER = "other", "Access granted"
        NO_RIGHT = "no_right", "No right to this record"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # The log is written on every page that shows a person (a caseload page: 25 rows at a
    # time), so its references are not checked by the database on each row: PostgreSQL's
    # checks looked up, and locked, the user and each person again at every insert (about
    # 0.45 ms of its CPU a caseload page, measured). The ids come from records just read;
    # Django still refuses to delete a user or a person the log names (PROTECT), and the
    # indexes below that start with each lead to its rows.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="access_events",
        db_constraint=False,
        db_index=False,
    )
    requested_ref = models.CharField(
        max_length=64, blank=True, help_text="What was asked for, when it names no record."
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    purpose = models.CharField(max_length=500, help_text="A neutral category the person sees")
    reason = models.TextField(
        blank=True, help_text="Staff only: the reason given to open the record, if any"
    )
    via = models.CharField(max_length=300, blank=True, help_text="The page or endpoint")

    objects = AccessEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-occurred_at"], name="access_person_when"),
            models.Index(fields=["user", "-occurred_at"], name="access_user_when"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.person_id}"

    @property
    def purpose_label(self) -> str:
        """The neutral purpose, in words. Older rows stored free text here: a row that did
        (a break-glass reason) shows only the neutral category, never the text."""
        if self.purpose in self.Purpose.values:
            return self.Purpose(self.purpose).label
        if self.action == self.Action.BREAK_GLASS or self.purpose.startswith("Break-glass"):
            return self.Purpose.OUTSIDE_CASELOAD.label
        if self.purpose.startswith("RAS model run"):
            return self.Purpose.MODELLING.label
        known = {label: label for label in self.Purpose.labels}
        return known.get(self.purpose, self.Purpose.OTHER.label)


class AccessGrant(AppendOnlyModel):
    """A break-glass opening: a staff member's stated reason to see a record outside their caseload."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_grants"
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="access_grants"
    )
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="grant_user_expiry")]

    def __str__(self):
        return f"{self.user_id} → {self.person_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class ActivationCodeQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            failed_attempts__lt=ActivationCode.MAX_FAILED_ATTEMPTS,
        )


class ActivationCode(models.Model):
    """A one-time code an administrator issues so a staff member can set up their second factor.

    The administrator sees the code once and passes it on by another channel (a phone call,
    in person); only a keyed hash is stored. It works once, for a short while, and for only
    the member of staff it was issued to: a password alone no longer enrols an authenticator.
    """

    MAX_FAILED_ATTEMPTS = 5

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activation_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when issued from the server's command line",
    )
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    objects = ActivationCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self):
        return f"Activation code for user {self.user_id}, issued {self.issued_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def hash(raw: str) -> str:
        """Keyed with the secret key: a copy of the database alone cannot test guesses."""
        from django.utils.crypto import salted_hmac

        normalised = "".join(raw.split()).replace("-", "").upper()
        return salted_hmac("selfdirect.activation-code", normalised, algorithm="sha256").hexdigest()

    @property
    def status(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "withdrawn"
        if self.failed_attempts >= self.MAX_FAILED_ATTEMPTS:
            return "too many wrong tries"
        if self.expires_at <= timezone.now():
            return "expired"
        return "unused"
