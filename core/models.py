"""What every app shares in the database: append-only rows, the audit trail, and edit versions."""

import functools

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

from .context import VIA_CHOICES


@functools.cache
def _labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


def choice_label(field, value):
    """What `get_<field>_display()` gives for this value: the choice's label, or the value
    itself if it is not a choice. The labels are put in a dictionary once per process, where
    Django's own method builds it again from the field's choices on every call (a plan page
    asks 120 times, over lists of up to 40 service types). Choices given by a callable may
    change, so those are looked up afresh each time."""
    if isinstance(field.choices, list | tuple):
        labels = _labels(field)
    else:
        labels = dict(make_hashable(field.flatchoices))
    return force_str(labels.get(make_hashable(value), value), strings_only=True)


class ChoiceLabels(models.Model):
    """A model whose `get_<field>_display()` methods read core.models.choice_label."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field):  # noqa: N802 - Django's name, overridden
        return choice_label(field, getattr(self, field.attname))


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(f"{self.model.__name__} rows are never changed.")

    def delete(self):
        raise PermissionError(f"{self.model.__name__} rows are never deleted.")


class AppendOnlyModel(models.Model):
    """Rows are written once. PostgreSQL enforces the same with a trigger (see the migrations)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(f"{type(self).__name__} rows are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{type(self).__name__} rows are never deleted.")


class AuditEventQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        """Administrators read the whole trail; other staff the writes about people they may
        see; nobody else reads it (people see their own record's history in words)."""
        from accounts.roles import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if not user.is_council_staff:
            return self.none()
        from people.models import Person

        return self.filter(person__in=Person.objects.visible_to(user))

    def for_record(self, record):
        return self.filter(record_type=record._meta.label_lower, record_id=str(record.pk))


class AuditEvent(AppendOnlyModel):
    """One write: who did what to which record, when, how it reached us, and in short what."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty only for the system itself (a migration or the demo loader)",
    )
    action = models.CharField(max_length=80, help_text="The action's name, e.g. people.update")
    record_type = models.CharField(max_length=60, help_text="app_label.model of the record")
    record_id = models.CharField(max_length=40)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Whose record this write concerns, if anyone's",
    )
    summary = models.CharField(max_length=300)
    via = models.CharField(max_length=10, choices=VIA_CHOICES, default="system")
    request_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="audit_record"),
            models.Index(fields=["person", "-occurred_at"], name="audit_person_when"),
            models.Index(fields=["actor", "-occurred_at"], name="audit_actor_when"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.record_type}#{self.record_id}"


class EditVersioned(models.Model):
    """Optimistic concurrency: every saved change bumps `edit_version`.

    A form carries the version it was opened at; `core.concurrency.save_changes` writes only
    if the row still has it, so the second of two people editing at once is told, not lost.
    """

    edit_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True
