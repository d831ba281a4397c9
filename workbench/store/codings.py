"""Codings: a reviewer attaching a construct to a span of a study's text.

Each coding is committed when it is made, with its event, in one transaction. Removal marks the
coding removed and writes an event. Coding rows leave this table only when their construct is
deleted with its codings explicitly removed; restructure.delete keeps them whole in the event log.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from ..core.text import quote
from . import events
from .db import Store, now
from .studies import get_text


class CodingError(ValueError):
    """A coding operation was refused; the message says why."""


@dataclass(frozen=True)
class Coding:
    id: int
    study_id: int
    construct_id: int
    reviewer_id: int
    start: int
    end: int
    exact: str


def add(db: Store, study_id: int, construct_id: int, reviewer_id: int, start: int, end: int) -> Coding:
    """Code ``[start, end)`` of the study's text with the construct, for the reviewer.

    Stores the exact quote with 32 characters of prefix and suffix and the text's hash. Refuses an
    empty, reversed or out-of-range span (SpanError) and a coding the reviewer already has.
    """
    text, digest = get_text(db, study_id)
    q = quote(text, start, end)
    same = db.execute(
        "SELECT id FROM coding WHERE study_id = ? AND construct_id = ? AND reviewer_id = ? "
        "AND span_start = ? AND span_end = ? AND removed_at IS NULL",
        [study_id, construct_id, reviewer_id, start, end]).fetchone()
    if same:
        raise CodingError(f"this span is already coded with that construct (coding {same[0]})")
    with db.atomic():
        cid = db.execute(
            "INSERT INTO coding (guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, prefix,"
            " suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [str(uuid.uuid4()), study_id, construct_id, reviewer_id, start, end, q.exact, q.prefix,
             q.suffix, digest, now()],
        ).lastrowid
        events.record(db, "coding.add", reviewer_id, {"coding": cid, "study": study_id,
                                                       "construct": construct_id, "start": start, "end": end})
    return Coding(cid, study_id, construct_id, reviewer_id, start, end, q.exact)


def remove(db: Store, coding_id: int, reviewer_id: int) -> Coding:
    """Mark the coding removed (kept in the database) and log who removed it."""
    row = db.execute(
        "SELECT id, study_id, construct_id, reviewer_id, span_start, span_end, exact, removed_at "
        "FROM coding WHERE id = ?", [coding_id]).fetchone()
    if row is None:
        raise CodingError(f"no coding with id {coding_id}")
    if row[7] is not None:
        raise CodingError(f"coding {coding_id} was already removed")
    stamp = now()
    with db.atomic():
        db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?", [stamp, reviewer_id, coding_id])
        events.record(db, "coding.remove", reviewer_id, {"coding": coding_id, "study": row[1],
                                                          "construct": row[2], "removed_at": stamp})
    return Coding(*row[:7])


def for_study(db: Store, study_id: int, reviewer_id: int | None = None) -> list[Coding]:
    """The study's live codings (of one reviewer, or all), sorted by start then end."""
    sql = ("SELECT id, study_id, construct_id, reviewer_id, span_start, span_end, exact FROM coding "
           "WHERE study_id = ? AND removed_at IS NULL")
    args: list = [study_id]
    if reviewer_id is not None:
        sql += " AND reviewer_id = ?"
        args.append(reviewer_id)
    return [Coding(*r) for r in db.execute(sql + " ORDER BY span_start, span_end, id", args)]


ROW_COLUMNS = ("id", "study_id", "study_title", "year", "reviewer", "order", "construct", "parent",
               "quote", "start", "end", "created_at")
_ROW_SQL = {"id": "c.id", "study_id": "s.id", "study_title": "s.title", "year": "s.year", "reviewer": "r.name",
            "order": "k.construct_order", "construct": "k.name", "parent": "p.name", "quote": "c.exact",
            "start": "c.span_start", "end": "c.span_end", "created_at": "c.created_at",
            # the coding's live memos, "reviewer: text" joined with " | " (only the coder's own when
            # the listing is one reviewer's, so a blind export shows no one else's notes)
            "memo": "(SELECT group_concat(who || ': ' || body, ' | ') FROM (SELECT r2.name AS who, m.text AS body "
                    "FROM memo m JOIN reviewer r2 ON r2.id = m.reviewer_id WHERE m.target_kind = 'coding' "
                    "AND m.target_id = c.id AND m.removed_at IS NULL {own} ORDER BY r2.name COLLATE NOCASE, m.id))"}


def rows(db: Store, reviewer_id: int | None = None, study_id: int | None = None,
         columns: tuple[str, ...] = ROW_COLUMNS):
    """Live codings joined with study, reviewer and construct names, in study order then offset.

    Yields tuples of ``columns`` (names from ``ROW_COLUMNS``, or ``memo``: the coding's live memos
    as "reviewer: text" joined with " | "); this is the long form of the construct matrix.
    """
    where = ["c.removed_at IS NULL"]
    args: list = []
    if reviewer_id is not None:
        where.append("c.reviewer_id = ?")
        args.append(reviewer_id)
    if study_id is not None:
        where.append("c.study_id = ?")
        args.append(study_id)
    own = "AND m.reviewer_id = c.reviewer_id" if reviewer_id is not None else ""
    return db.execute(
        f"""SELECT {', '.join(_ROW_SQL[c].replace('{own}', own) for c in columns)}
            FROM coding c JOIN study s ON s.id = c.study_id
            JOIN reviewer r ON r.id = c.reviewer_id
            JOIN construct k ON k.id = c.construct_id
            LEFT JOIN construct p ON p.id = k.parent_id
            WHERE {' AND '.join(where)}
            ORDER BY s.year IS NULL, s.year, s.order_index, c.span_start, c.span_end, c.id""",
        args,
    )


def add_with_construct(db: Store, study_id: int, reviewer_id: int, start: int, end: int, construct: str,
                       order: int | str | None = None, parent: str | None = None):
    """Code the span with the construct called ``construct``, creating it (with ``order`` and
    ``parent``) if it does not exist, all in one transaction: a refused span creates nothing.

    Returns ``(coding, construct, created)``.
    """
    from .constructs import resolve

    with db.atomic():
        found, created = resolve(db, construct, reviewer_id, order, parent)
        return add(db, study_id, found.id, reviewer_id, start, end), found, created
