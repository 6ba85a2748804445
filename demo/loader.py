"""Fast bulk loading of the demo council: PostgreSQL's COPY, or executemany on SQLite.

Building model instances costs more than writing the rows, and the demo council has
close to a million rows at 100,000 people, so rows go in as plain values with their
ids chosen up front (so that foreign keys and history rows can refer to them), and
each table's id sequence is moved past them afterwards. Every row gets its creation
history row, as a save would have made.
"""

import json

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone


def _columns(model) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _row_maker(fields: list[models.Field]):
    """A function turning a row dict into the column values, with each field's default,
    its automatic timestamp and its JSON encoding worked out once, not once a cell."""
    now = timezone.now()
    specs = []
    for field in fields:
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        specs.append(
            (
                field.attname,
                field.get_default(),  # one value for the whole load (a timestamp, an empty dict)
                now if automatic else None,
                isinstance(field, models.JSONField),
            )
        )

    def values(row: dict) -> list:
        out = []
        for attname, default, stamp, is_json in specs:
            value = row.get(attname, default)
            if value is None:
                value = stamp
            elif is_json:
                value = json.dumps(value)
            out.append(value)
        return out

    return values


def write(model, rows: list[dict], *, include_pk: bool = True) -> None:
    """Insert rows (dicts keyed by attname) into the model's table, in one go."""
    if not rows:
        return
    fields = [f for f in _columns(model) if include_pk or not f.primary_key]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = _row_maker(fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names are ours
                [values(row) for row in rows],
            )


def write_with_history(model, rows: list[dict], *, reason: str, when=None) -> None:
    """Insert rows and, when the model keeps history, their creation history rows."""
    write(model, rows)
    history = getattr(model, "history", None)
    if history is None:
        return
    historical = history.model
    stamp = when or timezone.now()
    history_rows = [
        {
            **row,
            "history_date": stamp,
            "history_type": "+",
            "history_change_reason": reason,
            "history_user_id": None,
        }
        for row in rows
    ]
    write(historical, history_rows, include_pk=False)


def reset_sequences(*models_: type[models.Model]) -> None:
    """Move each table's id sequence past the ids chosen by hand (PostgreSQL needs this)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
