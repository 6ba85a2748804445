"""Concurrent edits are detected, not overwritten (optimistic concurrency).

Editable records carry `edit_version` (core.models.EditVersioned). A form remembers the
version it was opened at; `save_changes` locks the row, and if someone saved it since,
raises `EditConflict` naming who, when and which fields they changed, so the page can
show the second person what happened instead of silently losing the first change.
"""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str


class EditConflict(Exception):
    def __init__(self, record, *, by: str, at, changes: list[FieldChange]):
        self.record = record
        self.by = by
        self.at = at
        self.changes = changes
        fields = ", ".join(c.label.lower() for c in changes) or "the record"
        super().__init__(f"{by} changed {fields} since you opened this page")


def _label(model, name: str) -> str:
    try:
        verbose = str(model._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001 - a field the model no longer has
        verbose = name.replace("_", " ")
    return verbose[:1].upper() + verbose[1:]


def _shown(model, name: str, value) -> str:
    if value is None or value == "":
        return "Not recorded"
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(field, models.ForeignKey):
        target = field.related_model.objects.filter(pk=value).first()
        return str(target) if target else f"#{value}"
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def changes_since(record, version: int) -> tuple[str, object, list[FieldChange]]:
    """Who last changed the record, when, and what differs from how it was at `version`."""
    model = type(record)
    history = getattr(record, "history", None)
    latest = history.order_by("-history_date", "-history_id").first() if history else None
    then = (
        history.filter(edit_version=version).order_by("-history_date", "-history_id").first()
        if history
        else None
    )
    by = "Someone else"
    at = None
    if latest is not None:
        at = latest.history_date
        if latest.history_user_id:
            by = latest.history_user.display_name
    changes = []
    if latest is not None and then is not None:
        delta = latest.diff_against(then, excluded_fields=["edit_version", "updated_at"])
        changes = [
            FieldChange(
                field=c.field,
                label=_label(model, c.field),
                before=_shown(model, c.field, c.old),
                after=_shown(model, c.field, c.new),
            )
            for c in delta.changes
        ]
    return by, at, changes


def lock_at_version(record, expected_version):
    """Lock the row for this transaction; raise EditConflict if it moved past the version."""
    model = type(record)
    current = model.objects.select_for_update().get(pk=record.pk)
    if expected_version is not None and current.edit_version != int(expected_version):
        by, at, changes = changes_since(current, int(expected_version))
        raise EditConflict(current, by=by, at=at, changes=changes)
    return current


def bump(record) -> None:
    record.edit_version = (record.edit_version or 0) + 1
