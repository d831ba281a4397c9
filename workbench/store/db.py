"""Opening a project database: pragmas on every connection, WAL, migrations applied.

Queries go through ``Store``, a thin wrapper over ``sqlite3``; sqlite-utils (which pulls in numpy,
click and dateutil, a quarter of a second) is imported only to apply pending migrations, so a CLI
command on an up-to-date project starts fast.
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..core.errors import WorkbenchError

# The number of the last migration in schema.py; kept in PRAGMA user_version once they are applied.
SCHEMA_VERSION = 11

# How long a connection waits for another process's write transaction before giving up (BusyError).
BUSY_TIMEOUT_MS = 30_000


class SchemaError(WorkbenchError):
    """The database was made by a newer workbench than this one."""


class BusyError(WorkbenchError):
    """Another process held the write lock for longer than the busy timeout; nothing was written."""


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "database is locked" in text or "database is busy" in text


class Store:
    """A connection to a project database with foreign keys on and explicit transactions."""

    def __init__(self, conn: sqlite3.Connection, path: Path | str | None = None):
        self.conn = conn
        self.path = path

    def busy_error(self) -> BusyError:
        """The refusal for a write lock not had within the busy timeout (read from the connection)."""
        waited = self.conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
        return BusyError(f"another process is writing to {self.path or 'the project database'}; tried for "
                         f"{waited:g} s to get the write lock: try again when it has finished")

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Sequence[Any] | dict = ()) -> Iterator[dict]:
        """Rows of a SELECT as dicts, lazily."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))

    @contextmanager
    def atomic(self) -> Iterator["Store"]:
        """One transaction (``BEGIN IMMEDIATE``: the write lock is taken up front, so two
        reviewers' processes queue instead of failing half-way); nested blocks are savepoints."""
        if self.conn.in_transaction:
            self.conn.execute("SAVEPOINT nested")
            try:
                yield self
            except BaseException:
                self.conn.execute("ROLLBACK TO nested")
                self.conn.execute("RELEASE nested")
                raise
            self.conn.execute("RELEASE nested")
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise self.busy_error() from None
            raise
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator["Store"]:
        """A read transaction: every query inside sees one consistent state of the database, while
        other processes go on writing (WAL). Inside a transaction already, just that transaction."""
        if self.conn.in_transaction:
            yield self
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield self
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def set_busy_timeout(self, seconds: float) -> None:
        """Wait at most ``seconds`` for another process's write lock before BusyError."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def close(self) -> None:
        self.conn.close()


def connect(path: Path | str) -> Store:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date; a
    database of a newer schema is refused (SchemaError) and left as it is.

    Foreign keys are on and a 30 s busy timeout is set on every connection (a write that cannot get
    the lock in that time is refused with BusyError); the file is in WAL mode.
    ``synchronous=FULL`` makes every acknowledged commit survive a crash of the process or the
    machine; a coding is one small transaction, so the cost is one fsync each.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = FULL")
    store = Store(conn, path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        _check_version(path, version)
        if version < SCHEMA_VERSION:
            _migrate(store)
    except BaseException:
        conn.close()
        raise
    return store


def _check_version(path: Path | str, version: int) -> None:
    if version > SCHEMA_VERSION:
        raise SchemaError(f"{path}: made by a newer workbench (database schema {version}); this workbench reads "
                          f"schema {SCHEMA_VERSION} and older: upgrade the workbench")


def _migrate(store: Store) -> None:
    """Apply pending migrations holding the write lock, so two processes opening a new (or old)
    database at once do not both migrate it: the second waits, then finds the schema current."""
    from sqlite_utils import Database

    from .schema import migrations

    conn = store.conn
    db = Database(conn)
    # WAL is switched on outside a transaction. The switch needs every other connection out of the
    # file and SQLite answers "locked" at once (no busy wait) when another process is opening it
    # too, so it is retried (the other process has usually switched it meanwhile) for the busy timeout.
    deadline = time.monotonic() + conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
    while db.journal_mode != "wal":
        try:
            db.enable_wal()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            if time.monotonic() > deadline:
                raise store.busy_error() from None
            time.sleep(0.01)
    with store.atomic():  # BEGIN IMMEDIATE; the migrations' own transactions become savepoints
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        _check_version(store.path, version)
        if version < SCHEMA_VERSION:
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds, the timestamp format of every table."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


# --- whole rows: snapshots that undo puts back exactly ------------------------------------------------

def marks(values: Sequence[Any]) -> str:
    """``?,?,?``: one placeholder per value, for ``IN (...)``."""
    return ",".join("?" * len(values))


def chunks(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    """``ids`` in lists of at most ``size``, under SQLite's limit on placeholders."""
    for i in range(0, len(ids), size):
        yield list(ids[i:i + size])


def row(db: Store, table: str, row_id: int) -> dict[str, Any] | None:
    """Every column of one row of ``table`` as a dict, or None."""
    return next(db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]), None)


def rows(db: Store, table: str, where: str, args: Sequence[Any]) -> list[dict[str, Any]]:
    """Every column of the rows of ``table`` matching ``where``, by id."""
    return list(db.query(f"SELECT * FROM {table} WHERE {where} ORDER BY id", args))


def column(db: Store, table: str, name: str, ids: Sequence[int]) -> dict[int, Any]:
    """``{id: value of column name}`` for those rows of ``ids`` that exist."""
    out: dict[int, Any] = {}
    for part in chunks(ids):
        out.update(db.execute(f"SELECT id, {name} FROM {table} WHERE id IN ({marks(part)})", part))
    return out


def insert_row(db: Store, table: str, values: dict[str, Any]) -> None:
    """Insert a snapshot taken by ``row``/``rows`` back, with the same id. A snapshot with a column
    the table no longer has (written by another version) is refused with WorkbenchError."""
    columns = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
    unknown = set(values) - columns
    if unknown:
        raise WorkbenchError(f"cannot restore a {table} row: unknown column(s) {', '.join(sorted(unknown))}")
    names = list(values)
    db.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks(names)})", [values[n] for n in names])


def update_row(db: Store, table: str, values: dict[str, Any]) -> None:
    """Write the columns of ``values`` over the row with its id."""
    names = [n for n in values if n != "id"]
    db.execute(f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
               [values[n] for n in names] + [values["id"]])


def data_version(db: Store) -> int:
    """A number that changes when another connection (another process) commits a change to the
    database, and not for this connection's own commits (SQLite's ``PRAGMA data_version``): equal
    readings mean nothing this connection read has been changed by anyone else since."""
    return db.execute("PRAGMA data_version").fetchone()[0]
