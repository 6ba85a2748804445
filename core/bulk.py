"""Loading many rows at once: PostgreSQL's COPY (executemany elsewhere), and a bulk load's
indexes and foreign keys built once at the end instead of row by row.

For loads into an empty database (the demo council, bench/council.py), where a row-at-a-time
index update and a foreign-key check queued for every row cost more than writing the rows.
On the 100,000-person demo council (about 1.9 million rows, PostgreSQL 15, a shared 2-core
machine) setting them aside took the COPYs from 55 s to 24 s and the commit, where the
deferred foreign-key checks ran, from 22 s to 0.5 s; rebuilding them costs about 7 s.
Writing on a second thread (`Pipeline`) while the demo makes the next rows, and rebuilding
each table's indexes once its rows are in, took the whole seed from 40.7 s to 25.8 s (back
to back, same shared machine).
"""

import contextlib
import queue
import sys
import threading
import time
from collections.abc import Iterable, Sequence

from django.db import connection


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert rows (tuples of values in `columns` order) into `table`: binary COPY on
    PostgreSQL, one executemany elsewhere. Values are Python values as the driver takes them;
    a JSON column's value must already be encoded as JSON text (as the ORM would encode it),
    or on PostgreSQL, faster, given as `jsonb(text)` (then in every row of the column).

    Binary, because turning each value into COPY's text format took the client about four
    times as long (0.55 s against 0.14 s for 100,000 rows of 32 columns) and the server
    then had to parse the text back."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        _copy_binary(connection.connection, table, columns, rows)
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})",  # noqa: S608 - quoted names
            rows if isinstance(rows, list) else list(rows),
        )


def _copy_binary(raw, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Binary COPY on a psycopg connection: Django's own (`raw`)."""
    rows = rows if isinstance(rows, list) else list(rows)
    _send(raw, table, columns, _encode(raw, _types(raw, [table])[table], columns, rows))


def _types(raw, tables: Sequence[str]) -> dict[str, dict[str, int]]:
    """Each table's columns' types (oids), from the catalogue."""
    found: dict[str, dict[str, int]] = {}
    with raw.cursor() as cursor:
        cursor.execute(_COLUMN_TYPES, [list(tables)])
        for table, column, oid in cursor.fetchall():
            found.setdefault(table, {})[column] = oid
    return found


def _encode(raw, types: dict[str, int], columns: Sequence[str], rows: list) -> list[bytes]:
    """The rows in COPY's binary format, in pieces of about a megabyte.

    psycopg's own row encoder (in C) is called directly: `copy.write_row` wraps it in two
    Python calls a row, a good part of the time for a million rows. Encoding needs no
    database, so a `Pipeline` does it in the caller's thread and its worker only sends bytes."""
    from psycopg import _copy_base
    from psycopg.adapt import PyFormat, Transformer
    from psycopg.pq import Format
    from psycopg.types.json import set_json_dumps

    oids = [types[column] for column in columns]
    for i, oid in enumerate(oids):
        # jsonb already in its binary form goes as the bytes it is (bytea's dumper).
        given = next((row[i] for row in rows if row[i] is not None), None)
        if oid == _JSONB and isinstance(given, bytes):
            oids[i] = _BYTEA
    context = raw.cursor()  # only as adapters to configure: nothing is sent
    # JSON arrives encoded: the jsonb dumper is told to send the text as it is.
    set_json_dumps(_as_encoded, context=context)
    # bytea by psycopg's dumper for bytes (in C): the one the type gets by default is the
    # DB-API Binary wrapper's, a Python call for each value.
    context.adapters.register_dumper(bytes, context.adapters.get_dumper(bytes, PyFormat.BINARY))
    transformer = Transformer(context)
    transformer.set_dumper_types(oids, Format.BINARY)
    format_row = _copy_base.format_row_binary
    pieces = []
    buffer = bytearray(_copy_base._binary_signature)
    for row in rows:
        format_row(row, transformer, buffer)
        if len(buffer) > _CHUNK:
            pieces.append(buffer)
            buffer = bytearray()
    buffer += _copy_base._binary_trailer
    pieces.append(buffer)
    context.close()
    return pieces


def _send(raw, table: str, columns: Sequence[str], pieces: list[bytes]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    statement = f"COPY {quote(table)} ({names}) FROM STDIN (FORMAT BINARY)"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for piece in pieces:
            copy.write(piece)


_CHUNK = 1 << 20
SWITCH_INTERVAL = 0.0001  # seconds: sys.setswitchinterval while a Pipeline's worker runs
_JSONB, _BYTEA = 3802, 17


def jsonb(text: str) -> bytes:
    """JSON text in jsonb's binary form (a version byte, then the text), for `copy_rows`:
    sent as it is, with no call into Python for each value while the rows are encoded."""
    return b"\x01" + text.encode()


def _as_encoded(text: str) -> str:
    return text


_COLUMN_TYPES = """
    SELECT t.name, attname, atttypid::int
    FROM unnest(%s::text[]) AS t(name) JOIN pg_attribute ON attrelid = t.name::regclass
    WHERE attnum > 0 AND NOT attisdropped
"""


class Pipeline:
    """The database's part of a load done by a second thread on the same connection, in the
    order it was asked for, so that PostgreSQL takes in one table's rows and builds its
    indexes while Python makes the next table's rows: on a 2-core machine one core each,
    instead of each waiting for the other.

    `copy(...)` and `execute(...)` hand work over and return at once; `wait()` returns when
    all of it is done and raises the first error met (nothing after it is run). Nothing else
    may use the connection until `wait()` has returned: the worker uses the psycopg
    connection under Django's, in the current transaction. Used as a context manager it waits
    at the end, and on an error stops the work not yet started before the transaction rolls
    back. On other databases everything is done at once, in the calling thread.
    """

    def __init__(self, tables: Sequence[str] = ()):
        self.threaded = connection.vendor == "postgresql"
        self.busy = 0.0  # seconds the worker spent on the database's work
        self._tables = list(tables)  # whose column types to look up before the work starts
        self._types: dict[str, dict[str, int]] = {}
        self._error: BaseException | None = None
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Pipeline":
        if self.threaded:
            # The worker needs the interpreter's lock after each wait on the socket, and
            # would wait for the caller to give it up, by default every 5 ms: asked every
            # 0.1 ms, 300 MB sent while the caller runs Python took 2.2-2.4 s, not 2.6-2.7 s
            # (1.4-1.6 s with the caller idle). Put back as it was at the end.
            connection.ensure_connection()
            self._raw = connection.connection
            self._types = _types(self._raw, self._tables)
            self._switch = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_INTERVAL)
            self._thread = threading.Thread(target=self._work, name="bulk-load", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self._thread is None:
            return
        if kind is not None:
            self._error = self._error or error  # skip what is still queued
        self._jobs.put(None)
        self._thread.join()
        self._thread = None
        sys.setswitchinterval(self._switch)
        if kind is None:
            self._raise()

    def copy(self, table: str, columns: Sequence[str], rows: Sequence[Sequence]) -> None:
        """`copy_rows(table, columns, rows)`: the rows are encoded now and sent by the worker
        (the one Python thread at work at a time, so they do not take turns)."""
        if self._thread is None:
            copy_rows(table, columns, rows)
            return
        if table not in self._types:  # not named up front: asked after the work before it
            self.wait()
            self._types.update(_types(self._raw, [table]))
        rows = rows if isinstance(rows, list) else list(rows)
        pieces = _encode(self._raw, self._types[table], columns, rows)
        self._jobs.put((_send, (self._raw, table, columns, pieces)))

    def execute(self, statement: str) -> None:
        if self._thread is None:
            with connection.cursor() as cursor:
                cursor.execute(statement)
        else:
            self._jobs.put((self._raw.execute, (statement,)))

    def wait(self) -> None:
        """Return once everything handed over is done (raising what failed)."""
        if self._thread is not None:
            self._jobs.join()
            self._raise()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            # As Django's own cursor would raise it (django.db.IntegrityError, ...).
            with connection.wrap_database_errors:
                raise error

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    began = time.perf_counter()
                    try:
                        job[0](*job[1])
                    except BaseException as error:  # noqa: BLE001 - handed to the caller
                        self._error = error
                    self.busy += time.perf_counter() - began
            finally:
                self._jobs.task_done()


_INDEXES = """
    SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
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
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), confrelid::regclass::text
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
_NAMES = "SELECT t, t::regclass::text, t::regclass::oid FROM unnest(%s::text[]) AS t"
_CLEAN_GIN = """
    SELECT gin_clean_pending_list(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    WHERE a.amname = 'gin'"""
_ALL_OWNED = """
    SELECT coalesce(bool_and(pg_has_role(relowner, 'USAGE')), true)
    FROM pg_class WHERE oid = ANY(%s::regclass[])
"""


class _Checks:
    """The indexes and foreign keys set aside, and which tables are finished."""

    def __init__(self, names: dict[str, str], indexes, foreign_keys, run):
        self._names = names  # as given -> as the catalogue prints them
        self._indexes = list(indexes)  # (table, name, definition)
        self._foreign_keys = list(foreign_keys)  # (table, name, definition, referenced table)
        self._loading = set(names.values())
        self._run = run

    def finished(self, *tables: str) -> None:
        """The load's rows (or the bulk of them) are in these tables: build their indexes
        now, and each foreign key whose own and referenced tables are both finished (checking
        every row, as ever). Rows written after go in through them, as any insert would."""
        self._loading -= {self._names.get(table, table) for table in tables}
        quote = connection.ops.quote_name
        statements = []
        for table, _name, definition in self._indexes:
            if table not in self._loading:
                statements.append(definition)
        self._indexes = [index for index in self._indexes if index[0] in self._loading]
        waiting = []
        for table, name, definition, referenced in self._foreign_keys:
            if table in self._loading or referenced in self._loading:
                waiting.append((table, name, definition, referenced))
            else:
                statements.append(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        self._foreign_keys = waiting
        for statement in statements:
            self._run(statement)

    def indexed_as_they_go(self, *tables: str) -> None:
        """Build these tables' indexes now (before their rows, so at no cost): their rows are
        then indexed as they go in, in time the database would otherwise wait for the next
        rows. Their foreign keys still wait for `finished`."""
        chosen = {self._names.get(table, table) for table in tables}
        for _table, _name, definition in [i for i in self._indexes if i[0] in chosen]:
            self._run(definition)
        self._indexes = [index for index in self._indexes if index[0] not in chosen]


class _NoChecks:
    def finished(self, *tables: str) -> None:
        pass

    def indexed_as_they_go(self, *tables: str) -> None:
        pass


@contextlib.contextmanager
def checks_at_the_end(tables: Sequence[str], *, pipeline: Pipeline | None = None):
    """Inside the current transaction, set aside the foreign keys and the secondary indexes
    of `tables`, and put each back once its tables are `finished(...)` (all of them at the
    latest at the end), under its own name, from its own definition
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

    With a `pipeline`, the indexes and foreign keys are put back by its worker, after the rows
    handed to it before (the caller waits for the pipeline before the transaction ends).
    """
    if connection.vendor != "postgresql" or not tables:
        yield _NoChecks()
        return
    if not connection.in_atomic_block:
        raise RuntimeError("checks_at_the_end() must run inside a transaction")
    tables = list(tables)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_ALL_OWNED, [tables])
        if not cursor.fetchone()[0]:
            yield _NoChecks()
            return
        cursor.execute(_NAMES, [tables])
        found = cursor.fetchall()
        names = {given: printed for given, printed, _oid in found}
        table_oids = [int(oid) for _given, _printed, oid in found]
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
        for table, name, _definition, _referenced in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for _table, name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        # Index builds sort in memory up to this much (the default, 64 MB, spills to disk).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    checks = _Checks(names, indexes, foreign_keys, pipeline.execute if pipeline else _execute)
    yield checks
    checks.finished(*tables)
    # Rows written through a GIN index once it was built (a name search's trigram indexes,
    # say, for rows added after their table was finished) wait in the index's pending list,
    # which every search reads from end to end until a VACUUM merges it; a manual ANALYZE
    # does not. Merged now, so the load leaves each index as a fresh build would: 86 pages
    # of pending names made a search on the 100,000-person demo council 1.9 ms, not 0.5 ms.
    oids = ", ".join(str(oid) for oid in table_oids)  # whole numbers from the catalogue
    checks._run(f"{_CLEAN_GIN} AND i.indrelid IN ({oids})")


def _execute(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)
