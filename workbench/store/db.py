"""Opening a project database: pragmas on every connection, WAL, migrations applied.

Queries go through ``Store``, a thin wrapper over ``sqlite3``; sqlite-utils (which pulls in numpy,
click and dateutil, a quarter of a second) is imported only to apply pending migrations, so a CLI
command on an up-to-date project starts fast.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator, Sequence

# The number of migrations in schema.py; kept in PRAGMA user_version once they are applied.
SCHEMA_VERSION = 3


class Store:
    """A connection to a project database with foreign keys on and explicit transactions."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

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
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.conn.rollback()
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


def connect(path: Path | str) -> Store:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    Foreign keys are on and a 5 s busy timeout is set on every connection; the file is in WAL mode.
    ``synchronous=FULL`` makes every acknowledged commit survive a crash of the process or the
    machine; a coding is one small transaction, so the cost is one fsync each.
    """
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA synchronous = FULL")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        conn.close()
        raise RuntimeError(f"{path}: made by a newer workbench (schema {version}); upgrade the workbench")
    if version < SCHEMA_VERSION:
        _migrate(conn)
    return Store(conn)


def _migrate(conn: sqlite3.Connection) -> None:
    from sqlite_utils import Database

    from .schema import migrations

    db = Database(conn)
    if db.journal_mode != "wal":
        db.enable_wal()
    migrations.apply(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds, the timestamp format of every table."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
