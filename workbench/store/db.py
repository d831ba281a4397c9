"""Opening a project database: pragmas on every connection, WAL, migrations applied."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlite_utils import Database

from .schema import migrations


def connect(path: Path | str, *, migrate: bool = True) -> Database:
    """Open the database at ``path`` with foreign keys on, WAL and a busy timeout; apply migrations.

    ``synchronous=FULL`` makes every acknowledged commit survive a crash of the process or the
    machine; codings are single small transactions, so the cost is one fsync each.
    """
    db = Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    db.enable_wal()
    db.execute("PRAGMA synchronous = FULL")
    if migrate:
        migrations.apply(db)
    return db


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds, the timestamp format of every table."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
