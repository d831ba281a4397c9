"""Memos: a reviewer's notes on the project, a study, a construct or a coding.

Each reviewer has at most one live memo per target; ``set_memo`` creates or replaces it, and empty
text removes it (the row is kept, marked removed). Every change writes one ``memo.set`` event:
``{"memo": id, "target_kind", "target_id", "before": state or null, "after": state}`` where a state
is ``{"text", "updated_at", "removed_at"}`` (``before`` is null when the memo was created), so undo
can put the previous state back exactly.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TypedDict

from ..core.errors import WorkbenchError
from . import events, undo
from .db import Store, now, row
from .restore import studies_of
from .words import coding_words, study_name

TARGET_KINDS = ("project", "study", "construct", "coding")


class MemoError(WorkbenchError, ValueError):
    """A memo operation was refused; the message says why."""


class MemoState(TypedDict):
    text: str
    updated_at: str
    removed_at: str | None


class MemoSet(TypedDict):
    """Payload of ``memo.set``; ``before`` is None when the memo was created."""

    memo: int
    target_kind: str
    target_id: int | None
    before: MemoState | None
    after: MemoState


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
        raise MemoError(f"the coding {coding_words(db, target_id)} was removed; a memo goes on a live coding")


def _state(values: dict) -> MemoState:
    return MemoState(text=values["text"], updated_at=values["updated_at"], removed_at=values["removed_at"])


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
        events.record(db, "memo.set", reviewer_id, MemoSet(memo=memo_id, target_kind=target_kind,
                                                           target_id=target_id, before=before, after=after))
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


# The coding screen marks a target as having a memo while the memo's row is live and its text not
# empty, whichever way a removed memo is marked.
_PRESENT = "m.removed_at IS NULL AND m.text <> ''"


def coded_memo_ids(db: Store, study_id: int, reviewer_id: int | None = None) -> set[int]:
    """Ids of the study's codings that carry a memo (of one reviewer, or of anyone)."""
    sql = (f"SELECT DISTINCT m.target_id FROM memo m JOIN coding c ON c.id = m.target_id "
           f"WHERE m.target_kind = 'coding' AND c.study_id = ? AND {_PRESENT}")
    args: list = [study_id]
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return {r[0] for r in db.execute(sql, args)}


def has_memo(db: Store, target_kind: str, target_id: int | None, reviewer_id: int | None = None) -> bool:
    """Whether the target (``project`` with id None, ``study``, ``construct``, ``coding``) has a memo."""
    sql = f"SELECT 1 FROM memo m WHERE m.target_kind = ? AND m.target_id IS ? AND {_PRESENT}"
    args: list = [target_kind, target_id]
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return db.execute(sql + " LIMIT 1", args).fetchone() is not None


def memo_ids_of(db: Store, target_kind: str, reviewer_id: int | None = None) -> set[int]:
    """Ids of the targets of one kind (e.g. every construct) that carry a memo."""
    sql = f"SELECT DISTINCT m.target_id FROM memo m WHERE m.target_kind = ? AND {_PRESENT}"
    args: list = [target_kind]
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return {r[0] for r in db.execute(sql, args) if r[0] is not None}


def memo_target(db: Store, memo_id: int) -> tuple[str, int | None] | None:
    """``(target_kind, target_id)`` of a memo, or None if there is no such memo."""
    found = db.execute("SELECT target_kind, target_id FROM memo WHERE id = ?", [memo_id]).fetchone()
    return (found[0], found[1]) if found else None


def describe_target(db: Store, target_kind: str, target_id: int | None) -> str:
    """In the reviewer's words: ``the project``, ``the study Heist 2018``, ``construct 'Name'``,
    ``the coding “quote…” (Heist 2018) as 'Name'``."""
    if target_kind == "project":
        return "the project"
    if target_kind == "study":
        return f"the study {study_name(db, target_id)}"
    if target_kind == "construct":
        found = db.execute("SELECT name FROM construct WHERE id = ?", [target_id]).fetchone()
        return f"construct {found[0]!r}" if found else "a construct deleted since"
    return f"the coding {coding_words(db, target_id)}"



# --- undo writes the state before (a new memo is marked removed); redo the state after ---------------

def _memo_state(db: Store, memo_id: int) -> tuple[dict, MemoState]:
    memo = row(db, "memo", memo_id)
    if memo is None:
        raise undo.Conflict("the memo no longer exists")
    return memo, _state(memo)


def _write_memo(db: Store, memo: dict, state: MemoState) -> None:
    if state["removed_at"] is None:
        check_target(db, memo["target_kind"], memo["target_id"])
        other = db.execute("SELECT id FROM memo WHERE target_kind = ? AND target_id IS ? AND reviewer_id = ? "
                           "AND removed_at IS NULL AND id != ?",
                           [memo["target_kind"], memo["target_id"], memo["reviewer_id"], memo["id"]]).fetchone()
        if other:
            raise undo.Conflict("there is another memo of the same reviewer there now")
    db.execute("UPDATE memo SET text = ?, updated_at = ?, removed_at = ? WHERE id = ?",
               [state["text"], state["updated_at"], state["removed_at"], memo["id"]])


def _memo_studies(db: Store, memo: dict) -> set[int]:
    if memo["target_kind"] == "study":
        return {memo["target_id"]}
    if memo["target_kind"] == "coding":
        return studies_of(db, [memo["target_id"]])
    return set()


def _undo_memo(db: Store, p: MemoSet, reviewer_id: int, stamp: str) -> undo.Change:
    memo, state = _memo_state(db, p["memo"])
    if state != p["after"]:
        raise undo.Conflict("the memo was changed since")
    back = p["before"] or MemoState(text=p["after"]["text"], updated_at=p["after"]["updated_at"], removed_at=stamp)
    _write_memo(db, memo, back)
    return undo.Change({"state": back}, _memo_studies(db, memo))


def _redo_memo(db: Store, p: MemoSet, u: dict, reviewer_id: int) -> undo.Change:
    memo, state = _memo_state(db, p["memo"])
    if state != u["state"]:
        raise undo.Conflict("the memo was changed since")
    _write_memo(db, memo, p["after"])
    return undo.Change({}, _memo_studies(db, memo))


def _describe_memo(db: Store, p: MemoSet) -> str:
    verb = "new memo" if p["before"] is None else ("removing memo" if p["after"]["removed_at"] else "editing memo")
    return f"{verb} on {describe_target(db, p['target_kind'], p['target_id'])}"


undo.register("memo.set", _undo_memo, _redo_memo, _describe_memo)
