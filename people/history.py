"""A person's change history in words: who changed which fields, from what to what."""

from accounts.models import Team, User

from .models import Person

HIDDEN_FIELDS = {"id", "created_at", "updated_at"}
FK_MODELS = {"team": Team, "representative": User, "user": User}


def _field_label(name: str) -> str:
    field = Person._meta.get_field(name)
    return str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:]


def _display(name: str, value, names: dict) -> str:
    if value is None or value == "":
        return "Not recorded"
    field = Person._meta.get_field(name)
    if name in FK_MODELS:
        return names.get((name, value), f"#{value}")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def history_entries(person: Person) -> list[dict]:
    """Newest first: one entry per saved version, with the fields it changed."""
    records = list(
        person.history.select_related("history_user").order_by("history_date", "history_id")
    )
    diffs = []
    fk_ids = {name: set() for name in FK_MODELS}
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            changes = [c for c in delta.changes if c.field not in HIDDEN_FIELDS]
            for change in changes:
                if change.field in FK_MODELS:
                    fk_ids[change.field].update(v for v in (change.old, change.new) if v)
        diffs.append((record, changes))
        previous = record
    names = {}
    for field, ids in fk_ids.items():
        if ids:
            for obj in FK_MODELS[field].objects.filter(pk__in=ids):
                names[(field, obj.pk)] = str(obj)
    entries = []
    for record, changes in diffs:
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user.display_name if record.history_user else "The system",
                "kind": {"+": "Record created", "~": "Record changed", "-": "Record deleted"}[
                    record.history_type
                ],
                "reason": record.history_change_reason or "",
                "changes": [
                    {
                        "field": _field_label(c.field),
                        "old": _display(c.field, c.old, names),
                        "new": _display(c.field, c.new, names),
                    }
                    for c in changes
                ],
            }
        )
    entries.reverse()
    return entries
