"""Read-only queries the TUI needs that the store does not offer (plain SQL, no Textual).

They read the same tables as ``workbench.store`` and never write. A memo counts as present when
its row is live (``removed_at IS NULL``) and its text is not empty, whichever way the store marks
a removed memo.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..store.db import Store

_LIVE_MEMO = "m.removed_at IS NULL AND m.text <> ''"


@dataclass(frozen=True)
class CodedSpan:
    """One live coding of a construct, with what is needed to show its quote in context."""

    coding_id: int
    study_id: int
    study_title: str
    year: int | None
    authors: tuple[str, ...]
    reviewer_id: int
    reviewer: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def counts_by_reviewer(db: Store) -> dict[int, dict[int, int]]:
    """Live codings per construct id, then per reviewer id: ``{construct: {reviewer: n}}``."""
    found: dict[int, dict[int, int]] = {}
    for construct_id, reviewer_id, n in db.execute(
            "SELECT construct_id, reviewer_id, count(*) FROM coding WHERE removed_at IS NULL "
            "GROUP BY construct_id, reviewer_id"):
        found.setdefault(construct_id, {})[reviewer_id] = n
    return found


def spans_of(db: Store, construct_id: int, reviewer_id: int | None = None) -> list[CodedSpan]:
    """Every live coding with the construct (of one reviewer, or of all), each with its study's
    title, year and authors, the reviewer's name, the offsets, the exact quote and the stored
    prefix and suffix; sorted by study id, then start, end and coding id (callers put the studies
    in study order)."""
    sql = ("SELECT c.id, s.id, s.title, s.year, s.authors, c.reviewer_id, r.name, c.span_start, c.span_end, "
           "c.exact, c.prefix, c.suffix FROM coding c JOIN study s ON s.id = c.study_id "
           "JOIN reviewer r ON r.id = c.reviewer_id WHERE c.construct_id = ? AND c.removed_at IS NULL")
    args: list = [construct_id]
    if reviewer_id is not None:
        sql += " AND c.reviewer_id = ?"
        args.append(reviewer_id)
    sql += " ORDER BY s.id, c.span_start, c.span_end, c.id"
    return [CodedSpan(r[0], r[1], r[2], r[3], tuple(json.loads(r[4] or "[]")), *r[5:])
            for r in db.execute(sql, args)]


def coded_memo_ids(db: Store, study_id: int, reviewer_id: int | None = None) -> set[int]:
    """Ids of the study's codings that carry a memo (of one reviewer, or of anyone)."""
    sql = (f"SELECT DISTINCT m.target_id FROM memo m JOIN coding c ON c.id = m.target_id "
           f"WHERE m.target_kind = 'coding' AND c.study_id = ? AND {_LIVE_MEMO}")
    args: list = [study_id]
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return {r[0] for r in db.execute(sql, args)}


def has_memo(db: Store, target_kind: str, target_id: int | None, reviewer_id: int | None = None) -> bool:
    """Whether the target (``project`` with id None, ``study``, ``construct``, ``coding``) has a memo."""
    sql = f"SELECT 1 FROM memo m WHERE m.target_kind = ? AND m.target_id IS ? AND {_LIVE_MEMO}"
    args: list = [target_kind, target_id]
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return db.execute(sql + " LIMIT 1", args).fetchone() is not None


def memo_ids_of(db: Store, target_kind: str, reviewer_id: int | None = None) -> set[int]:
    """Ids of the targets of one kind (e.g. every construct) that carry a memo."""
    sql = f"SELECT DISTINCT m.target_id FROM memo m WHERE m.target_kind = ? AND {_LIVE_MEMO}"
    args: list = [target_kind]
    if reviewer_id is not None:
        sql += " AND m.reviewer_id = ?"
        args.append(reviewer_id)
    return {r[0] for r in db.execute(sql, args) if r[0] is not None}


def memo_target(db: Store, memo_id: int) -> tuple[str, int | None] | None:
    """``(target_kind, target_id)`` of a memo, or None if there is no such memo."""
    row = db.execute("SELECT target_kind, target_id FROM memo WHERE id = ?", [memo_id]).fetchone()
    return (row[0], row[1]) if row else None


def coding_place(db: Store, coding_id: int) -> tuple[int, int, int] | None:
    """``(study_id, start, end)`` of a coding (live or removed), or None."""
    row = db.execute("SELECT study_id, span_start, span_end FROM coding WHERE id = ?", [coding_id]).fetchone()
    return (row[0], row[1], row[2]) if row else None
