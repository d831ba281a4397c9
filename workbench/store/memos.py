"""Memos: a reviewer's notes on the project, a study, a construct or a coding.

Each reviewer has at most one live memo per target; ``set_memo`` creates or replaces it, and empty
text removes it (the row is kept, marked removed). Every change writes one ``memo.set`` event:
``{"memo": id, "target_kind", "target_id", "before": state or null, "after": state}`` where a state
is ``{"text", "updated_at", "removed_at"}`` (``before`` is null when the memo was created), so undo
can put the previous state back exactly.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import events
from .db import Store, now

TARGET_KINDS = ("project", "study", "construct", "coding")


class MemoError(ValueError):
    """A memo operation was refused; the message says why."""


@dataclass(frozen=True)
class Memo:
    id: int
    guid: str
    target_kind: str
    target_id: int | None
    reviewer_id: int
    reviewer: str
    text: str
    created_at: str
    updated_at: str
    removed_at: str | None = None


_SELECT = ("SELECT m.id, m.guid, m.target_kind, m.target_id, m.reviewer_id, r.name, m.text, m.created_at, "
           "m.updated_at, m.removed_at FROM memo m JOIN reviewer r ON r.id = m.reviewer_id")
# A memo is shown while it is not removed and, for a memo on a coding, while that coding is live:
# the memo of a removed coding comes back with the coding (undo), so it is kept, not removed.
LIVE_MEMO = ("m.removed_at IS NULL AND NOT (m.target_kind = 'coding' AND EXISTS "
             "(SELECT 1 FROM coding lc WHERE lc.id = m.target_id AND lc.removed_at IS NOT NULL))")
_KIND_RANK = "CASE m.target_kind WHEN 'project' THEN 0 WHEN 'study' THEN 1 WHEN 'construct' THEN 2 ELSE 3 END"


def _memo(db: Store, memo_id: int) -> Memo:
    return Memo(*db.execute(_SELECT + " WHERE m.id = ?", [memo_id]).fetchone())


def check_target(db: Store, target_kind: str, target_id: int | None) -> None:
    """Refuse an unknown kind, a missing target, or a removed coding."""
    if target_kind not in TARGET_KINDS:
        raise MemoError(f"a memo is on the project, a study, a construct or a coding, not {target_kind!r}")
    if target_kind == "project":
        if target_id is not None:
            raise MemoError("the project memo has no target id")
        return
    if target_id is None:
        raise MemoError(f"which {target_kind}? give its id")
    table = {"study": "study", "construct": "construct", "coding": "coding"}[target_kind]
    found = db.execute(f"SELECT {'removed_at' if table == 'coding' else 'NULL'} FROM {table} WHERE id = ?",
                       [target_id]).fetchone()
    if found is None:
        raise MemoError(f"no {target_kind} with id {target_id}")
    if found[0] is not None:
        raise MemoError(f"coding {target_id} was removed; a memo goes on a live coding")


def _state(row) -> dict:
    return {"text": row["text"], "updated_at": row["updated_at"], "removed_at": row["removed_at"]}


def set_memo(db: Store, target_kind: str, target_id: int | None, reviewer_id: int, text: str) -> Memo:
    """Create or replace this reviewer's memo on the target; empty (or blank) text removes it.

    Line endings become ``\\n`` and surrounding blank space is dropped. Setting the text the memo
    already has writes nothing. Removing a memo that does not exist is refused (MemoError).
    Returns the memo as it now is (``removed_at`` set when it was removed).
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    with db.atomic():
        check_target(db, target_kind, target_id)
        current = next(db.query(
            "SELECT * FROM memo WHERE target_kind = ? AND target_id IS ? AND reviewer_id = ? AND removed_at IS NULL "
            "ORDER BY id DESC LIMIT 1", [target_kind, target_id, reviewer_id]), None)
        stamp = now()
        if current is None:
            if not text:
                raise MemoError(f"no memo of yours on {describe_target(db, target_kind, target_id)} to remove")
            memo_id = db.execute(
                "INSERT INTO memo (guid, target_kind, target_id, reviewer_id, text, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?)",
                [str(uuid.uuid4()), target_kind, target_id, reviewer_id, text, stamp, stamp]).lastrowid
            before = None
        else:
            memo_id = current["id"]
            if text == current["text"]:
                return _memo(db, memo_id)
            before = _state(current)
            if text:
                db.execute("UPDATE memo SET text = ?, updated_at = ? WHERE id = ?", [text, stamp, memo_id])
            else:
                db.execute("UPDATE memo SET removed_at = ? WHERE id = ?", [stamp, memo_id])
        after = _state(next(db.query("SELECT * FROM memo WHERE id = ?", [memo_id])))
        events.record(db, "memo.set", reviewer_id, {"memo": memo_id, "target_kind": target_kind,
                                                     "target_id": target_id, "before": before, "after": after})
    return _memo(db, memo_id)


def get_memo(db: Store, target_kind: str, target_id: int | None, reviewer_id: int | None = None) -> list[Memo]:
    """The live memos on one target (of one reviewer, or of all, by reviewer name)."""
    sql = _SELECT + " WHERE m.target_kind = ? AND m.target_id IS ? AND m.removed_at IS NULL"
    args: list = [target_kind, target_id]
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return [Memo(*r) for r in db.execute(sql + " ORDER BY r.name COLLATE NOCASE, m.id", args)]


def all_memos(db: Store, target_kind: str | None = None, reviewer_id: int | None = None) -> list[Memo]:
    """Every live memo (of one kind and/or one reviewer): project, studies, constructs, codings,
    each by target id then reviewer name. Memos on removed codings are left out (they come back
    if the coding is restored)."""
    sql = _SELECT + f" WHERE {LIVE_MEMO}"
    args: list = []
    if target_kind is not None:
        if target_kind not in TARGET_KINDS:
            raise MemoError(f"a memo is on the project, a study, a construct or a coding, not {target_kind!r}")
        sql += " AND m.target_kind = ?"
        args.append(target_kind)
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return [Memo(*r) for r in db.execute(
        sql + f" ORDER BY {_KIND_RANK}, m.target_id, r.name COLLATE NOCASE, m.id", args)]


def describe_target(db: Store, target_kind: str, target_id: int | None) -> str:
    """``the project``, ``study 3 'Title'``, ``construct 'Name'``, ``coding 17 (study 3, 'Name')``."""
    if target_kind == "project":
        return "the project"
    if target_kind == "study":
        found = db.execute("SELECT title FROM study WHERE id = ?", [target_id]).fetchone()
        return f"study {target_id}" + (f" {_clip(found[0], 50)!r}" if found else "")
    if target_kind == "construct":
        found = db.execute("SELECT name FROM construct WHERE id = ?", [target_id]).fetchone()
        return f"construct {found[0]!r}" if found else f"construct {target_id}"
    found = db.execute("SELECT c.study_id, k.name FROM coding c JOIN construct k ON k.id = c.construct_id "
                       "WHERE c.id = ?", [target_id]).fetchone()
    return f"coding {target_id}" + (f" (study {found[0]}, {found[1]!r})" if found else "")


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def export_markdown(db: Store, path: Path | str, reviewer_id: int | None = None, *, title: str | None = None) -> int:
    """Write every live memo (or one reviewer's) to ``path`` as Markdown; returns how many.

    Grouped as the project, then studies (in chronological study order), constructs (by order, then
    name) and codings (in study order, then offset, each with its quote). The file is replaced only
    once it is completely written.
    """
    memos = all_memos(db, reviewer_id=reviewer_id)
    by_target: dict[tuple[str, int | None], list[Memo]] = {}
    for m in memos:
        by_target.setdefault((m.target_kind, m.target_id), []).append(m)
    out: list[str] = [f"# Memos{': ' + title if title else ''}\n"]

    def block(items: list[Memo]) -> None:
        for m in items:
            out.append(f"**{m.reviewer}** ({m.updated_at[:16].replace('T', ' ')}):\n")
            out.append(m.text + "\n")

    if ("project", None) in by_target:
        out.append("## Project\n")
        block(by_target[("project", None)])
    studies = [r for r in db.execute("SELECT id, title, year FROM study ORDER BY year IS NULL, year, order_index")
               if ("study", r[0]) in by_target]
    if studies:
        out.append("## Studies\n")
        for sid, stitle, year in studies:
            out.append(f"### {stitle}{f' ({year})' if year else ''} [study {sid}]\n")
            block(by_target[("study", sid)])
    constructs = [r for r in db.execute(
        "SELECT id, name, construct_order FROM construct ORDER BY construct_order, name COLLATE NOCASE")
        if ("construct", r[0]) in by_target]
    if constructs:
        out.append("## Constructs\n")
        for cid, name, order in constructs:
            out.append(f"### {name} (order {order})\n")
            block(by_target[("construct", cid)])
    coded = [k[1] for k in by_target if k[0] == "coding"]
    if coded:
        out.append("## Codings\n")
        rows = []
        for i in range(0, len(coded), 500):
            part = coded[i:i + 500]
            rows += db.execute(
                "SELECT c.id, s.title, s.year, s.order_index, k.name, c.span_start, c.span_end, c.exact, r.name "
                "FROM coding c JOIN study s ON s.id = c.study_id JOIN construct k ON k.id = c.construct_id "
                f"JOIN reviewer r ON r.id = c.reviewer_id WHERE c.id IN ({','.join('?' * len(part))})", part).fetchall()
        rows.sort(key=lambda r: (r[2] is None, r[2] or 0, r[3], r[5], r[6], r[0]))
        for cid, stitle, year, _, name, start, end, exact, coder in rows:
            out.append(f"### {name}: {_clip(stitle, 60)}{f' ({year})' if year else ''} [{start}-{end}], "
                       f"coding {cid} by {coder}\n")
            out.append("> " + exact.replace("\n", "\n> ") + "\n")
            block(by_target[("coding", cid)])
    _write_atomically(Path(path), "\n".join(out))
    return len(memos)


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it over ``path``: a failed
    export never leaves half a file behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
