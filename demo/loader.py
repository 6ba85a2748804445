"""Fast bulk loading of the demo council: PostgreSQL's COPY, or executemany on SQLite.

Building model instances costs more than writing the rows, and the demo council has
close to a million rows at 100,000 people, so rows go in as plain values with their
ids chosen up front (so that foreign keys and history rows can refer to them), and
each table's id sequence is moved past them afterwards. Every row gets its creation
history row, as a save would have made.
"""

import json
import operator
from json.encoder import c_make_encoder, encode_basestring_ascii

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from core import bulk


def _json_encoder():
    """`json.dumps` with its defaults, without its Python layers around the C encoder (three
    calls a value, more than the encoding of a small list or an empty dict costs): the same
    text for every value, and the same TypeError for one JSON cannot hold."""
    if c_make_encoder is None:  # a Python built without the json module's C speedups
        return json.dumps
    default = json.JSONEncoder().default
    encoder = c_make_encoder(
        None, default, encode_basestring_ascii, None, ": ", ", ", False, False, True
    )
    join = "".join

    def dumps(value) -> str:
        return join(encoder(value, 0))

    return dumps


json_dumps = _json_encoder()


def _columns(model) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _specs(fields: list[models.Field], now) -> list[tuple]:
    """Each column's (attname, default, stamp, is_json): its default worked out once for the
    whole load (a timestamp, an empty dict), the load's time for an automatic timestamp."""
    specs = []
    for field in fields:
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        specs.append(
            (
                field.attname,
                field.get_default(),
                now if automatic else None,
                isinstance(field, models.JSONField),
            )
        )
    return specs


def _row_maker(fields: list[models.Field], *, now=None, extra=None, reuse=None):
    """A function turning a row dict into the column values: a missing value takes its
    default, a missing automatic timestamp the load's time, JSON is encoded.

    The function is compiled once a table (a loop over the columns for each of a million
    cells costs more than writing them). `extra` gives columns a constant value; `reuse`
    ((specs, ...) of another table's columns, made from the same row) lets a column whose
    value would be worked out the same way take it from that table's values instead of
    encoding its JSON again: the function then takes (row, other_values)."""
    now = now or timezone.now()
    binary = connection.vendor == "postgresql"
    names = {"json_dumps": json_dumps}
    mine = _specs(fields, now)
    theirs = {spec[0]: (i, spec) for i, spec in enumerate(reuse or ())}
    parts = []
    for i, (attname, default, stamp, is_json) in enumerate(mine):
        names[f"d{i}"], names[f"s{i}"] = default, stamp
        if extra is not None and attname in extra:
            names[f"x{i}"] = extra[attname]
            parts.append(f"x{i}")
            continue
        other = theirs.get(attname)
        if other is not None and other[1] == (attname, default, stamp, is_json):
            parts.append(f"other[{other[0]}]")
            continue
        value = f"row.get({attname!r}, d{i})"
        if is_json:
            # On PostgreSQL in jsonb's binary form (core.bulk.jsonb), without a call for it.
            encoded = f'b"\\x01" + json_dumps(v{i}).encode()' if binary else f"json_dumps(v{i})"
            parts.append(f"(s{i} if (v{i} := {value}) is None else {encoded})")
        elif stamp is None:  # None stays None: no need to look at the value
            parts.append(value if default is not None else f"row.get({attname!r})")
        else:
            parts.append(f"(s{i} if (v{i} := {value}) is None else v{i})")
    arguments = "row, other" if reuse is not None else "row"
    source = f"lambda {arguments}: ({', '.join(parts)},)" if parts else f"lambda {arguments}: ()"
    return eval(source, names), mine  # noqa: S307 - the source is made here, from field names


def _table_rows(fields: list[models.Field], rows: list[dict], now) -> tuple[list, list[tuple]]:
    """The rows' column values, and the fields in the order the values come: `_row_maker`'s
    values, made faster. The columns every row has a plain value for (the first row's keys)
    are taken in one C call (operator.itemgetter) and come first; the others (defaults,
    automatic timestamps, JSON to encode) follow, worked out by `_row_maker`, a constant
    where no row has the key. Should a row lack one of the first row's keys, all of them
    are made by `_row_maker` instead."""
    specs = _specs(fields, now)
    first = rows[0]
    plain = [
        i for i, spec in enumerate(specs) if spec[0] in first and spec[2] is None and not spec[3]
    ]
    others = [i for i in range(len(fields)) if i not in set(plain)]
    seen: set[str] = set()
    for row in rows:
        seen.update(row)
    if len(plain) > 1:
        take = operator.itemgetter(*(specs[i][0] for i in plain))
        ordered = [fields[i] for i in plain] + [fields[i] for i in others]
        variable = [i for i in others if specs[i][0] in seen]
        if not variable:  # every other column has one value for every row
            tail, _ = _row_maker([fields[i] for i in others], now=now)
            constant = tail({})
            try:
                return ordered, [take(row) + constant for row in rows]
            except KeyError:
                pass
        else:
            rest, _ = _row_maker([fields[i] for i in others], now=now)
            try:
                return ordered, [take(row) + rest(row) for row in rows]
            except KeyError:
                pass
    values, _ = _row_maker(fields, now=now)
    return fields, [values(row) for row in rows]


def write(model, rows: list[dict], *, include_pk: bool = True, pipeline=None) -> list[tuple]:
    """Insert rows (dicts keyed by attname) into the model's table, in one go; returns the
    values written."""
    if not rows:
        return []
    fields = [f for f in _columns(model) if include_pk or not f.primary_key]
    values, _specs_ = _row_maker(fields)
    table_rows = [values(row) for row in rows]
    _copy(model, fields, table_rows, pipeline)
    return table_rows


def _copy(model, fields: list[models.Field], table_rows: list[tuple], pipeline) -> None:
    copy = pipeline.copy if pipeline is not None else bulk.copy_rows
    copy(model._meta.db_table, [f.column for f in fields], table_rows)


def write_with_history(
    model, rows: list[dict], *, reason: str, when=None, pipeline: bulk.Pipeline | None = None
) -> None:
    """Insert rows and, when the model keeps history, their creation history rows; with a
    `pipeline`, its worker writes them while this goes on."""
    if not rows:
        return
    now = timezone.now()
    fields, table_rows = _table_rows(_columns(model), rows, now)
    _copy(model, fields, table_rows, pipeline)
    history = getattr(model, "history", None)
    if history is None:
        return
    historical = history.model
    history_fields = [f for f in _columns(historical) if not f.primary_key]
    extra = {
        "history_date": when or now,
        "history_type": "+",
        "history_change_reason": reason,
        "history_user_id": None,
    }
    by_name = {f.attname: f for f in history_fields}
    own = [f.attname for f in fields]
    shared = [i for i, name in enumerate(own) if name in by_name]
    rest = [f for f in history_fields if f.attname not in set(own)]
    if len(shared) > 1 and all(f.attname in extra for f in rest):
        # A creation history row holds the record's values as written (simple_history copies
        # them from the saved instance), then the history's own: the record's tuple and a
        # constant tail, without looking at each value again.
        tail = tuple(extra[f.attname] for f in rest)
        if len(shared) == len(own):
            history_rows = [done + tail for done in table_rows]
        else:
            pick = operator.itemgetter(*shared)
            history_rows = [pick(done) + tail for done in table_rows]
        _copy(historical, [by_name[own[i]] for i in shared] + rest, history_rows, pipeline)
        return
    history_values, _history_specs = _row_maker(
        history_fields, extra=extra, reuse=_specs(fields, now)
    )
    _copy(
        historical,
        history_fields,
        [history_values(row, done) for row, done in zip(rows, table_rows, strict=True)],
        pipeline,
    )


def reset_sequences(*models_: type[models.Model]) -> None:
    """Move each table's id sequence past the ids chosen by hand (PostgreSQL needs this)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def tables(*models_: type[models.Model]) -> list[str]:
    """The models' tables and their history tables."""
    found = []
    for model in models_:
        found.append(model._meta.db_table)
        history = getattr(model, "history", None)
        if history is not None:
            found.append(history.model._meta.db_table)
    return found


def next_id(model) -> int:
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1
