"""One row by its key, as plain SQL: for the few reads every request makes.

Signed in, every page first reads the session, the user and the second-factor device. Built
by the ORM, each of those cost 0.3-0.4 ms of Python a request (compiling the query, mostly),
as much as the database took to answer all three; as a fixed statement with the model made
by `from_db`, about 0.1 ms (measured in process on the 100,000-person council, bench/load.py).

Only on PostgreSQL, whose driver gives every plain column the Python value the ORM would, and
only for models whose fields convert nothing on the way out (no `from_db_value`); otherwise
the ORM reads the row, so the answer is the same model either way.
"""

import functools

from django.db import connection


@functools.cache
def _plan(model, equal: tuple[str, ...], greater: tuple[str, ...]):
    """The statement and its field names, or None where the ORM must read the row."""
    fields = model._meta.concrete_fields
    if any(field.get_db_converters(connection) for field in fields):
        return None
    quote = connection.ops.quote_name
    column = {field.name: quote(field.column) for field in fields}
    column["pk"] = quote(model._meta.pk.column)
    where = [f"{column[name]} = %s" for name in equal] + [
        f"{column[name]} > %s" for name in greater
    ]
    sql = (
        f"SELECT {', '.join(column[field.name] for field in fields)} "  # noqa: S608 - quoted names only
        f"FROM {quote(model._meta.db_table)} WHERE {' AND '.join(where)} LIMIT 1"
    )
    return sql, [field.attname for field in fields]


def get_row(model, *, equal: dict, greater: dict | None = None):
    """The row where each `equal` field equals its value and each `greater` field is greater
    (at most one row: `equal` names a unique key), or None. Values must already be of the
    field's type (an int for an integer key)."""
    greater = greater or {}
    plan = _plan(model, tuple(equal), tuple(greater)) if connection.vendor == "postgresql" else None
    if plan is None:
        lookups = {**equal, **{f"{name}__gt": value for name, value in greater.items()}}
        return model._base_manager.filter(**lookups).first()
    sql, names = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, [*equal.values(), *greater.values()])
        row = cursor.fetchone()
    return model.from_db(connection.alias, names, row) if row is not None else None


@functools.cache
def _first_plan(model, fields: tuple[str, ...], equal: tuple[str, ...], order: tuple[str, ...]):
    # In the model's own field order: from_db fills the fields it is not given as deferred,
    # walking the model's fields and taking the values in turn.
    wanted = {model._meta.get_field(name).attname for name in fields}
    chosen = [field for field in model._meta.concrete_fields if field.attname in wanted]
    if any(field.get_db_converters(connection) for field in chosen):
        return None
    quote = connection.ops.quote_name
    column = {field.name: quote(field.column) for field in model._meta.concrete_fields}
    where = " AND ".join(f"{column[name]} = %s" for name in equal)
    ordering = ", ".join(
        f"{column[name.lstrip('-')]} {'DESC' if name.startswith('-') else 'ASC'}" for name in order
    )
    sql = (
        f"SELECT {', '.join(column[field.name] for field in chosen)} "  # noqa: S608 - quoted names only
        f"FROM {quote(model._meta.db_table)} WHERE {where}"
        + (f" ORDER BY {ordering}" if ordering else "")
        + " LIMIT 1"
    )
    return sql, [field.attname for field in chosen]


def first_row(model, *, fields: tuple[str, ...], equal: dict, order: tuple[str, ...] = ()):
    """The first row in `order` where each `equal` field (by name, e.g. "person") equals its
    value, with only `fields` read (the primary key among them; the rest are deferred, as
    .only() leaves them), or None."""
    plan = (
        _first_plan(model, tuple(fields), tuple(equal), tuple(order))
        if connection.vendor == "postgresql"
        else None
    )
    if plan is None:
        queryset = model._base_manager.filter(**equal).only(*fields)
        return (queryset.order_by(*order) if order else queryset).first()
    sql, names = plan
    with connection.cursor() as cursor:
        cursor.execute(sql, list(equal.values()))
        row = cursor.fetchone()
    return model.from_db(connection.alias, names, row) if row is not None else None
