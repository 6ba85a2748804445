"""Loading many rows at once: PostgreSQL's COPY (executemany elsewhere), and a bulk load's
indexes and foreign keys built once at the end instead of row by row.

For loads into an empty database (the demo council, bench/council.py), where a row-at-a-time
index update and a foreign-key check queued for every row cost more than writing the rows.
On the 100,000-person demo council (about 1.9 million rows, PostgreSQL 15, a shared 2-core
machine) setting them aside took the COPYs from 55 s to 24 s and the commit, where the
deferred foreign-key checks ran, from 22 s to 0.5 s; rebuilding them costs about 7 s.
"""

import contextlib
from collections.abc import Iterable, Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows (tuples of values in `columns` order) into `table`: binary COPY on
    PostgreSQL, one executemany elsewhere. Values are Python values as the driver takes them;
    a JSON column's value must already be encoded as JSON text (as the ORM would encode it).

    Binary, because turning each value into COPY's text format took the client about four
    times as long (0.55 s against 0.14 s for 100,000 rows of 32 columns) and the server
    then had to parse the text back."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.types.json import set_json_dumps

            raw = cursor.cursor
            cursor.execute(_COLUMN_TYPES, [table, list(columns)])
            types = dict(cursor.fetchall())
            # JSON arrives encoded: the jsonb dumper is told to send the text as it is.
            set_json_dumps(_as_encoded, context=raw)
            statement = f"COPY {quote(table)} ({names}) FROM STDIN (FORMAT BINARY)"
            with raw.copy(statement) as copy:
                copy.set_types([types[column] for column in columns])
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608 - quoted names
                rows if isinstance(rows, list) else list(rows),
            )


def _as_encoded(text: str) -> str:
    return text


_COLUMN_TYPES = """
    SELECT attname, atttypid::int FROM pg_attribute
    WHERE attrelid = %s::regclass AND attname = ANY(%s) AND attnum > 0 AND NOT attisdropped
"""


_INDEXES = """
    SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i
    WHERE i.indrelid = ANY(%s::regclass[])
      AND i.indpred IS NULL
      AND NOT EXISTS (
        SELECT 1 FROM pg_constraint c
        WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')
      )
    ORDER BY i.indexrelid
"""
_FOREIGN_KEYS = """
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
    FROM pg_constraint
    WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
    ORDER BY oid
"""
# Deferrable constraints checked at once unless told otherwise (Django makes its foreign keys
# INITIALLY DEFERRED, so usually none).
_INITIALLY_IMMEDIATE = """
    SELECT quote_ident(n.nspname) || '.' || quote_ident(c.conname)
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE c.condeferrable AND NOT c.condeferred
      AND n.nspname = ANY(current_schemas(false))
"""
_ALL_OWNED = """
    SELECT coalesce(bool_and(pg_has_role(relowner, 'USAGE')), true)
    FROM pg_class WHERE oid = ANY(%s::regclass[])
"""


@contextlib.contextmanager
def checks_at_the_end(tables: Sequence[str]):
    """Inside the current transaction, set aside the foreign keys and the secondary indexes
    of `tables`, and put each back at the end, under its own name, from its own definition
    as the catalogue gives it (pg_get_constraintdef, pg_get_indexdef): the schema afterwards
    is the schema before (`pg_dump --schema-only` prints the same). Indexes backing a
    primary key, unique or exclusion constraint stay, and so do partial indexes (PostgreSQL
    prints a re-made index's WHERE clause in a different, equivalent, form).

    Why it is safe: it all happens in one transaction, so the drop is never seen by another
    session (they wait on the tables' locks until the commit) and a failure anywhere rolls
    the drop back too. Re-adding a foreign key validates every row in one query, and
    re-creating a unique index checks every row, so a row that breaks either fails the load
    just as a row-at-a-time check would have; primary keys and unique constraints stay in
    place throughout. Why not the alternatives: `session_replication_role = replica` and
    disabling the RI triggers need a superuser and would skip the checks altogether, and
    `SET CONSTRAINTS ALL DEFERRED` only moves the per-row checks to the commit (Django's
    foreign keys are already deferred), where they cost the same.

    Only on PostgreSQL, and only where the database user owns every table (otherwise nothing
    is set aside and the rows are checked one by one as usual). Meant for loads into an empty
    database: ALTER TABLE locks the tables until the commit.
    """
    if connection.vendor != "postgresql" or not tables:
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("checks_at_the_end() must run inside a transaction")
    tables = list(tables)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_ALL_OWNED, [tables])
        if not cursor.fetchone()[0]:
            yield
            return
        cursor.execute(_FOREIGN_KEYS, [tables])
        foreign_keys = cursor.fetchall()
        cursor.execute(_INDEXES, [tables])
        indexes = cursor.fetchall()
        if foreign_keys:
            # ALTER TABLE refuses a table with checks still queued in this transaction: run
            # them now, then put every constraint back to its own initial mode.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(_INITIALLY_IMMEDIATE)
            immediate = [row[0] for row in cursor.fetchall()]
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            if immediate:
                cursor.execute(f"SET CONSTRAINTS {', '.join(immediate)} IMMEDIATE")
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # Index builds sort in memory up to this much (the default, 64 MB, spills to disk).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
