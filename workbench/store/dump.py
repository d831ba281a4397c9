"""A whole project as JSON Lines in a stable order, and back; and a safe copy of a live database.

A dump holds every row of every table (the full-text indexes excepted: they are rebuilt from the
texts and memos) in table-creation order, rows by primary key, columns in table order, one JSON
object a line, so a project can live in git and a change diffs as the lines it touched. Two forms,
the same lines:

- one file (``*.jsonl``): a header line ``{"workbench_dump": 1, "schema": N}``, the settings line
  ``{"file": "project.yaml", "text": ...}``, then ``{"table": T, "row": {...}}`` lines;
- a directory: ``dump.json`` (the header with the table list), ``project.yaml``, and ``T.jsonl``
  per table with one row object a line.

``restore`` makes a new project from either with identical rows (ids, guids, timestamps and the
event log included), at the dump's schema, then brings it up to date as opening any older
database does. ``backup`` copies a database through SQLite's backup API in one step: a read
snapshot, so a reviewer coding in the TUI meanwhile is neither blocked nor half-copied.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Iterator

from ..core.errors import WorkbenchError
from .db import SCHEMA_VERSION, Store

DUMP_FORMAT = 1
HEADER = "dump.json"
SETTINGS = "project.yaml"
# sqlite-utils' record of applied migrations: when they ran, not what the project holds.
BOOKKEEPING = ("_sqlite_migrations",)


class DumpError(WorkbenchError):
    """A dump that cannot be restored (or a place a dump or backup cannot be written)."""


def tables(db: Store) -> list[str]:
    """The tables a dump holds, in creation order: not the full-text indexes nor their shadows."""
    found = list(db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid"))
    virtual = [r["name"] for r in found if (r["sql"] or "").upper().startswith("CREATE VIRTUAL TABLE")]
    return [r["name"] for r in found
            if not r["name"].startswith("sqlite_") and r["name"] not in BOOKKEEPING
            and r["name"] not in virtual and not any(r["name"].startswith(v + "_") for v in virtual)]


def _order(db: Store, table: str) -> str:
    keys = sorted((r["pk"], r["name"]) for r in db.query(f"PRAGMA table_info({table})") if r["pk"])
    return ", ".join(f'"{name}"' for _, name in keys) if keys else "rowid"


def table_rows(db: Store, table: str) -> Iterator[dict]:
    """Every row of ``table`` by primary key, columns in table order."""
    return db.query(f'SELECT * FROM "{table}" ORDER BY {_order(db, table)}')


def _line(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def dump(db: Store, settings_text: str, out: Path) -> dict[str, int]:
    """Write the dump to ``out`` (a ``.jsonl`` file, else a directory); rows per table.

    Read in one snapshot, so a dump taken while someone codes is one consistent state. The file or
    directory appears whole or not at all (written beside it, then renamed)."""
    out = Path(out)
    if out.exists() and (out.is_file() != (out.suffix == ".jsonl")):
        kind = "a file" if out.is_file() else "a directory"
        raise DumpError(f"{out}: is {kind}; write a dump to a new .jsonl file or a directory")
    temp = out.with_name(f".{out.name}.partial")
    counts: dict[str, int] = {}
    _remove(temp)
    with db.snapshot():
        version = db.execute("PRAGMA user_version").fetchone()[0]
        names = tables(db)
        header = {"workbench_dump": DUMP_FORMAT, "schema": version}
        try:
            if out.suffix == ".jsonl":
                with open(temp, "w", encoding="utf-8", newline="\n") as f:
                    f.write(_line(header) + "\n")
                    f.write(_line({"file": SETTINGS, "text": settings_text}) + "\n")
                    for table in names:
                        counts[table] = 0
                        for row in table_rows(db, table):
                            f.write(_line({"table": table, "row": row}) + "\n")
                            counts[table] += 1
            else:
                temp.mkdir()
                (temp / HEADER).write_text(_line({**header, "tables": names}) + "\n", encoding="utf-8")
                (temp / SETTINGS).write_text(settings_text, encoding="utf-8")
                for table in names:
                    counts[table] = 0
                    with open(temp / f"{table}.jsonl", "w", encoding="utf-8", newline="\n") as f:
                        for row in table_rows(db, table):
                            f.write(_line(row) + "\n")
                            counts[table] += 1
            _remove(out)
            os.replace(temp, out)
        except OSError as exc:
            _remove(temp)
            raise DumpError(f"{out}: cannot write the dump ({exc.strerror or exc})") from None
    return counts


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


# --- reading a dump back ----------------------------------------------------------------------------

class _Dump:
    """A dump read back: its schema, settings text and ``(where, table, row)`` for every row."""

    def __init__(self, source: Path):
        self.source = source
        if source.is_dir():
            header = self._json(source / HEADER, 1, (source / HEADER).read_text(encoding="utf-8")) \
                if (source / HEADER).is_file() else None
            if header is None:
                raise DumpError(f"{source}: not a workbench dump (no {HEADER})")
            self.header = header
            settings = source / SETTINGS
            self.settings = settings.read_text(encoding="utf-8") if settings.is_file() else None
        else:
            with open(source, encoding="utf-8") as f:
                first = f.readline()
                second = f.readline()
            self.header = self._json(source, 1, first) if first.strip() else None
            if not isinstance(self.header, dict) or "workbench_dump" not in self.header:
                raise DumpError(f"{source} line 1: not a workbench dump (no header line "
                                '{"workbench_dump": 1, "schema": N})')
            settings = self._json(source, 2, second) if second.strip() else {}
            self.settings = settings.get("text") if settings.get("file") == SETTINGS else None
        if self.header.get("workbench_dump") != DUMP_FORMAT:
            raise DumpError(f"{source}: dump format {self.header.get('workbench_dump')!r}; this workbench "
                            f"reads format {DUMP_FORMAT}")
        schema = self.header.get("schema")
        if not isinstance(schema, int) or schema < 1:
            raise DumpError(f"{source}: the header gives no schema version")
        if schema > SCHEMA_VERSION:
            raise DumpError(f"{source}: dumped by a newer workbench (database schema {schema}); this workbench "
                            f"reads schema {SCHEMA_VERSION} and older: upgrade the workbench")
        if self.settings is None:
            raise DumpError(f"{source}: the dump has no {SETTINGS}")
        self.schema = schema

    @staticmethod
    def _json(path: Path, line: int, text: str):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise DumpError(f"{path} line {line}: not JSON ({exc.msg} at column {exc.colno})") from None

    def rows(self) -> Iterator[tuple[str, str, dict]]:
        if self.source.is_dir():
            for table in self.header.get("tables", []):
                path = self.source / f"{table}.jsonl"
                if not path.is_file():
                    raise DumpError(f"{self.source}: {HEADER} lists table {table} but {path.name} is missing")
                with open(path, encoding="utf-8") as f:
                    for n, text in enumerate(f, 1):
                        if text.strip():
                            yield f"{path} line {n}", table, self._json(path, n, text)
            return
        with open(self.source, encoding="utf-8") as f:
            for n, text in enumerate(f, 1):
                if n <= 2 or not text.strip():
                    continue
                obj = self._json(self.source, n, text)
                if not isinstance(obj, dict) or "table" not in obj or not isinstance(obj.get("row"), dict):
                    raise DumpError(f"{self.source} line {n}: expected {{\"table\": ..., \"row\": {{...}}}}")
                yield f"{self.source} line {n}", obj["table"], obj["row"]


def restore(source: Path, root: Path) -> dict[str, int]:
    """Make the project ``root`` (which must not be a project yet) from the dump ``source``; rows
    per table. Refuses a damaged dump naming its file and line, leaving nothing behind."""
    from .project import DB_FILE, PROJECT_FILE

    source, root = Path(source), Path(root)
    if not source.exists():
        raise DumpError(f"{source}: no such dump")
    if (root / PROJECT_FILE).exists() or (root / DB_FILE).exists():
        raise DumpError(f"{root}: already a project; restore into a new directory")
    if root.exists() and not root.is_dir():
        raise DumpError(f"{root}: a file of that name exists; a project is a directory")
    found = _Dump(source)
    made_root = not root.exists()
    root.mkdir(parents=True, exist_ok=True)
    partial = root / f".{DB_FILE}.partial"
    _remove(partial)
    try:
        counts = _load(found, partial)
        (root / PROJECT_FILE).write_text(found.settings, encoding="utf-8")
        os.replace(partial, root / DB_FILE)
    except BaseException:
        _remove(partial)
        if made_root:
            shutil.rmtree(root, ignore_errors=True)
        raise
    return counts


def _load(found: _Dump, path: Path) -> dict[str, int]:
    from sqlite_utils import Database

    from .schema import migrations

    names = [m.name for m in migrations._migrations]
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        db = Database(conn)
        migrations.apply(db, stop_before=names[found.schema] if found.schema < len(names) else None)
        conn.execute(f"PRAGMA user_version = {found.schema}")
        store = Store(conn, path)
        known = set(tables(store))
        columns = {t: [r["name"] for r in store.query(f'PRAGMA table_info("{t}")')] for t in known}
        counts: dict[str, int] = {}
        conn.execute("PRAGMA foreign_keys = OFF")  # rows come in table order, not reference order
        conn.execute("BEGIN")
        for where, table, row in found.rows():
            if table not in known:
                raise DumpError(f"{where}: table {table!r} is not in database schema {found.schema}")
            extra = set(row) - set(columns[table])
            if extra:
                raise DumpError(f"{where}: table {table} has no column {sorted(extra)[0]!r}")
            keys = list(row)
            try:
                conn.execute(f'INSERT INTO "{table}" ({", ".join(chr(34) + k + chr(34) for k in keys)}) '
                             f'VALUES ({", ".join("?" * len(keys))})', [row[k] for k in keys])
            except sqlite3.Error as exc:
                raise DumpError(f"{where}: cannot restore this {table} row ({exc})") from None
            counts[table] = counts.get(table, 0) + 1
        broken = conn.execute("PRAGMA foreign_key_check").fetchone()
        if broken:
            raise DumpError(f"{found.source}: a {broken[0]} row (rowid {broken[1]}) refers to a {broken[2]} "
                            "row the dump does not have")
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    return counts


# --- backup -----------------------------------------------------------------------------------------

def backup(db: Store, target: Path) -> dict[str, int | str]:
    """Copy the database to ``target`` with SQLite's backup API (one step, one read snapshot), check
    the copy with ``PRAGMA integrity_check``, then move it into place; what it holds."""
    target = Path(target)
    temp = target.with_name(f".{target.name}.partial")
    _remove(temp)
    try:
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            db.conn.backup(copy)
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if check != "ok":
                raise DumpError(f"{target}: the copy failed SQLite's integrity check ({check}); nothing was written")
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            held = {t: copy.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("study", "coding", "memo")}
        finally:
            copy.close()
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise DumpError(f"{target}: cannot write the backup ({exc.strerror or exc})") from None
    except BaseException:
        _remove(temp)
        raise
    return {**held, "bytes": target.stat().st_size}

