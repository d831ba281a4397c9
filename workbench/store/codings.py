"""Codings: a reviewer attaching a construct to a span of a study's text.

Each coding is committed when it is made, with its event, in one transaction. Removal marks the
coding removed and writes an event. Coding rows leave this table only when their construct is
deleted with its codings explicitly removed; restructure.delete keeps them whole in the event log.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Collection, NotRequired, TypedDict

from ..core.errors import WorkbenchError
from ..core.text import quote
from . import events, undo
from .db import Store, insert_row, now, row
from .restore import (check_free, codings_free, construct_name, in_use, live_duplicate, put_back_codings, refuse,
                      take_removed_codings, who)
from .studies import get_study, get_text
from .words import coding_words, span_words


class CodingError(WorkbenchError, ValueError):
    """A coding operation was refused; the message says why."""


class CodingAdded(TypedDict):
    """Payload of ``coding.add``."""

    coding: int
    study: int
    construct: int
    start: int
    end: int
    # the construct was made for this coding, in the same step (``add_with_construct``): undoing
    # the coding takes the construct back too when nothing else uses it
    created: NotRequired[dict]             # {"name", "order", "parent"}


class CodingRemoved(TypedDict):
    """Payload of ``coding.remove``."""

    coding: int
    study: int
    construct: int
    removed_at: str


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
    return _add(db, study_id, construct_id, reviewer_id, start, end)


def _add(db: Store, study_id: int, construct_id: int, reviewer_id: int, start: int, end: int,
         created: dict | None = None) -> Coding:
    text, digest = get_text(db, study_id)
    q = quote(text, start, end)
    with db.atomic():  # the duplicate check and the insert under one write lock: two processes cannot both pass
        get_study(db, study_id)  # refuses a removed study
        same = db.execute(
            "SELECT id FROM coding WHERE study_id = ? AND construct_id = ? AND reviewer_id = ? "
            "AND span_start = ? AND span_end = ? AND removed_at IS NULL",
            [study_id, construct_id, reviewer_id, start, end]).fetchone()
        if same:
            raise CodingError(f"this span is already coded with {construct_name(db, construct_id)!r} by you")
        cid = db.execute(
            "INSERT INTO coding (guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, prefix,"
            " suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [str(uuid.uuid4()), study_id, construct_id, reviewer_id, start, end, q.exact, q.prefix,
             q.suffix, digest, now()],
        ).lastrowid
        payload = CodingAdded(coding=cid, study=study_id, construct=construct_id, start=start, end=end)
        if created is not None:
            payload["created"] = created
        events.record(db, "coding.add", reviewer_id, payload)
    return Coding(cid, study_id, construct_id, reviewer_id, start, end, q.exact)


def remove(db: Store, coding_id: int, reviewer_id: int) -> Coding:
    """Mark the reviewer's own coding removed (kept in the database) and log it. Refuses another
    reviewer's coding: each reviewer's work is theirs (``store.ownership``)."""
    with db.atomic():  # checked under the write lock, so two processes cannot both remove it
        found = db.execute(
            "SELECT id, study_id, construct_id, reviewer_id, span_start, span_end, exact, removed_at "
            "FROM coding WHERE id = ?", [coding_id]).fetchone()
        if found is None:
            raise CodingError(f"no coding with id {coding_id}")
        if found[3] != reviewer_id:
            raise CodingError(f"{coding_words(db, coding_id, owner=True)} is not yours: a reviewer removes only "
                              "their own codings")
        if found[7] is not None:
            raise CodingError(f"{coding_words(db, coding_id)} was already removed")
        stamp = now()
        db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?", [stamp, reviewer_id, coding_id])
        events.record(db, "coding.remove", reviewer_id, CodingRemoved(coding=coding_id, study=found[1],
                                                                      construct=found[2], removed_at=stamp))
    return Coding(*found[:7])


def get(db: Store, coding_id: int) -> Coding:
    """The coding (live or removed); CodingError if there is none."""
    found = db.execute("SELECT id, study_id, construct_id, reviewer_id, span_start, span_end, exact FROM coding "
                       "WHERE id = ?", [coding_id]).fetchone()
    if found is None:
        raise CodingError(f"no coding with id {coding_id}")
    return Coding(*found)


def for_study(db: Store, study_id: int, reviewer_id: int | None = None) -> list[Coding]:
    """The study's live codings (of one reviewer, or all), sorted by start then end."""
    sql = ("SELECT id, study_id, construct_id, reviewer_id, span_start, span_end, exact FROM coding "
           "WHERE study_id = ? AND removed_at IS NULL")
    args: list = [study_id]
    if reviewer_id is not None:
        sql += " AND reviewer_id = ?"
        args.append(reviewer_id)
    return [Coding(*r) for r in db.execute(sql + " ORDER BY span_start, span_end, id", args)]


def counts_by_study(db: Store, reviewer_id: int | None = None) -> dict[int, dict[int, int]]:
    """Live codings per study id, then per construct id (of one reviewer, or of all)."""
    sql = "SELECT study_id, construct_id, count(*) FROM coding WHERE removed_at IS NULL"
    args: list = []
    if reviewer_id is not None:
        sql += " AND reviewer_id = ?"
        args.append(reviewer_id)
    found: dict[int, dict[int, int]] = {}
    for study_id, construct_id, n in db.execute(sql + " GROUP BY study_id, construct_id", args):
        found.setdefault(study_id, {})[construct_id] = n
    return found


def counts_by_reviewer(db: Store) -> dict[int, dict[int, int]]:
    """Live codings per construct id, then per reviewer id: ``{construct: {reviewer: n}}``."""
    found: dict[int, dict[int, int]] = {}
    for construct_id, reviewer_id, n in db.execute(
            "SELECT construct_id, reviewer_id, count(*) FROM coding WHERE removed_at IS NULL "
            "GROUP BY construct_id, reviewer_id"):
        found.setdefault(construct_id, {})[reviewer_id] = n
    return found


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


def place(db: Store, coding_id: int) -> tuple[int, int, int] | None:
    """``(study_id, start, end)`` of a coding (live or removed), or None."""
    found = db.execute("SELECT study_id, span_start, span_end FROM coding WHERE id = ?", [coding_id]).fetchone()
    return (found[0], found[1], found[2]) if found else None


ROW_COLUMNS = ("id", "study_id", "study_title", "year", "reviewer", "order", "construct", "parent",
               "quote", "start", "end", "created_at")
_ROW_SQL = {"id": "c.id", "study_id": "s.id", "study_title": "s.title", "year": "s.year", "reviewer": "r.name",
            "order": "k.construct_order", "construct": "k.name", "parent": "p.name", "quote": "c.exact",
            "start": "c.span_start", "end": "c.span_end", "created_at": "c.created_at",
            "guid": "c.guid", "prefix": "c.prefix", "suffix": "c.suffix", "study_guid": "s.guid", "doi": "s.doi",
            "construct_guid": "k.guid", "reviewer_guid": "r.guid",
            # the coding's live memos, "reviewer: text" joined with " | " (only the coder's own when
            # the listing is one reviewer's, so a blind export shows no one else's notes)
            "memo": "(SELECT group_concat(who || ': ' || body, ' | ') FROM (SELECT r2.name AS who, m.text AS body "
                    "FROM memo m JOIN reviewer r2 ON r2.id = m.reviewer_id WHERE m.target_kind = 'coding' "
                    "AND m.target_id = c.id AND m.removed_at IS NULL {own} ORDER BY r2.name COLLATE NOCASE, m.id))"}


def rows(db: Store, reviewer_id: int | None = None, study_id: int | None = None,
         columns: tuple[str, ...] = ROW_COLUMNS, ids: Collection[int] | None = None):
    """Live codings joined with study, reviewer and construct names, in study order then offset.

    Yields tuples of ``columns`` (names from ``ROW_COLUMNS``; ``guid``, ``prefix``, ``suffix``,
    ``study_guid``, ``doi``, ``construct_guid``, ``reviewer_guid``; or ``memo``: the coding's live memos
    as "reviewer: text" joined with " | "); this is the long form of the construct matrix.
    ``ids`` keeps only those codings.
    """
    where = ["c.removed_at IS NULL"]
    args: list = []
    if reviewer_id is not None:
        where.append("c.reviewer_id = ?")
        args.append(reviewer_id)
    if study_id is not None:
        where.append("c.study_id = ?")
        args.append(study_id)
    if ids is not None:
        where.append("c.id IN (SELECT value FROM json_each(?))")
        args.append(json.dumps(sorted(ids)))
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
                       order: int | str | None = None, parent: str | None = None, blind: bool = False):
    """Code the span with the construct called ``construct``, creating it (with ``order`` and
    ``parent``) if it does not exist, all in one transaction and one ``coding.add`` event: a
    refused span creates nothing, and undoing the coding takes a construct made for it back too,
    when nothing else uses it by then. With ``blind``, another reviewer's construct the reviewer
    does not see blind is refused.

    Returns ``(coding, construct, created)``.
    """
    from .constructs import resolve

    with db.atomic():
        found, created = resolve(db, construct, reviewer_id, order, parent, blind, record=False)
        made = {"name": found.name, "order": found.order, "parent": found.parent_id} if created else None
        return _add(db, study_id, found.id, reviewer_id, start, end, created=made), found, created


# --- undo: coding.add is undone by marking the coding removed (and, for a coding that made its
# construct, by taking the construct back when nothing else uses it), coding.remove by making it live --

def _coding(db: Store, coding_id: int) -> dict:
    found = row(db, "coding", coding_id)
    if found is None:
        raise undo.Conflict("the coding no longer exists (its construct was deleted)")
    return found


def _others_keep(db: Store, construct_id: int, coding_id: int, reviewer_id: int) -> bool:
    """Whether a coding other than ``coding_id`` keeps the construct: a live one, or a removed one
    that an undo could bring back (one the reviewer's own undo of its adding removed can come back
    only by redo, which puts the construct back first)."""
    return db.execute(
        "SELECT 1 FROM coding c WHERE c.construct_id = ? AND c.id != ? AND NOT (c.removed_at IS NOT NULL "
        "AND c.reviewer_id = ? AND EXISTS (SELECT 1 FROM event u JOIN event a "
        "ON a.id = json_extract(u.payload, '$.event') WHERE u.action = 'undo' AND u.reviewer_id = ? "
        "AND json_extract(u.payload, '$.action') = 'coding.add' AND json_extract(u.payload, '$.removed_at') = "
        "c.removed_at AND json_extract(a.payload, '$.coding') = c.id)) LIMIT 1",
        [construct_id, coding_id, reviewer_id, reviewer_id]).fetchone() is not None


def _undo_add(db: Store, p: CodingAdded, reviewer_id: int, stamp: str) -> undo.Change:
    c = _coding(db, p["coding"])
    if c["removed_at"] is not None:
        raise undo.Conflict(f"it was removed since by {who(db, c['removed_by'])} "
                            f"({c['removed_at'][:16].replace('T', ' ')})")
    db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?", [stamp, reviewer_id, c["id"]])
    record: dict = {"removed_at": stamp}
    k = row(db, "construct", c["construct_id"])
    if p.get("created") and k is not None and not in_use(db, k["id"], k["name"]) \
            and not _others_keep(db, k["id"], c["id"], reviewer_id):
        removed, memos = take_removed_codings(db, [k["id"]], stamp)
        db.execute("DELETE FROM construct WHERE id = ?", [k["id"]])
        record.update({"construct": k, "codings": removed, "memos": memos, "at": stamp})
    return undo.Change(record, {c["study_id"]}, {c["construct_id"]})


def _redo_add(db: Store, p: CodingAdded, u: dict, reviewer_id: int) -> undo.Change:
    if "construct" in u:  # the undo took the construct made for the coding: put it back first
        refuse(check_free(db, u["construct"], repr(u["construct"]["name"])) + codings_free(db, u))
        insert_row(db, "construct", u["construct"])
        put_back_codings(db, u)
    c = _coding(db, p["coding"])
    if c["removed_at"] != u["removed_at"]:
        raise undo.Conflict("it was restored or changed since")
    if live_duplicate(db, c):
        raise undo.Conflict("the span is coded with it again since")
    db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?", [c["id"]])
    return undo.Change({}, {c["study_id"]}, {c["construct_id"]})


def _payload_words(db: Store, p: CodingAdded | CodingRemoved) -> str:
    """The coding in words: from its row, or (its row gone with its construct) from the payload."""
    new = bool(p.get("created"))
    if row(db, "coding", p["coding"]) is not None:
        return coding_words(db, p["coding"], new=new)
    name = p.get("created", {}).get("name") or construct_name(db, p.get("construct"))
    return span_words(db, p.get("study"), p.get("start"), p.get("end"), name, new=new)


def _describe_add(db: Store, p: CodingAdded) -> str:
    return f"your coding {_payload_words(db, p)}"


def _undo_remove(db: Store, p: CodingRemoved, reviewer_id: int, stamp: str) -> undo.Change:
    c = _coding(db, p["coding"])
    if c["removed_at"] is None:
        raise undo.Conflict("it was restored since")
    if p.get("removed_at") and c["removed_at"] != p["removed_at"]:
        raise undo.Conflict("it was restored and removed again since")
    if live_duplicate(db, c):
        raise undo.Conflict("the span is coded with it again since")
    db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?", [c["id"]])
    return undo.Change({"removed_at": c["removed_at"], "removed_by": c["removed_by"]},
                       {c["study_id"]}, {c["construct_id"]})


def _redo_remove(db: Store, p: CodingRemoved, u: dict, reviewer_id: int) -> undo.Change:
    c = _coding(db, p["coding"])
    if c["removed_at"] is not None:
        raise undo.Conflict(f"it was removed since by {who(db, c['removed_by'])}")
    db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?",
               [u["removed_at"], u["removed_by"], c["id"]])
    return undo.Change({}, {c["study_id"]}, {c["construct_id"]})


def _describe_remove(db: Store, p: CodingRemoved) -> str:
    return f"removal of your coding {_payload_words(db, p)}"


undo.register("coding.add", _undo_add, _redo_add, _describe_add)
undo.register("coding.remove", _undo_remove, _redo_remove, _describe_remove)
