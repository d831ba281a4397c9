"""Many codings at once: a codings file (the demo's worked example, docs/codings.md) loaded in one
transaction, with one ``codings.load`` event per reviewer, which undo takes back whole.

The file is read and placed in ``interop.codings_file``; this module stores what it planned.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TypedDict

from ..core.text import quote
from . import events, undo
from .constructs import by_name, create
from .db import Store, chunks, marks, now
from .restore import construct_name, who
from .studies import get_study, get_text
from .words import study_name


class CodingsLoaded(TypedDict):
    """Payload of ``codings.load``: the file and the codings it added for this event's reviewer."""

    file: str
    codings: list[int]
    studies: list[int]
    constructs: list[int]


@dataclass(frozen=True)
class NewCoding:
    """A coding to add: the construct by name (it exists, or is among those the load creates)."""

    study_id: int
    construct: str
    reviewer_id: int
    start: int
    end: int
    guid: str | None = None  # kept from an exchange file; a new one when None


@dataclass(frozen=True)
class NewConstruct:
    name: str
    order: int
    parent: str | None
    reviewer_id: int


@dataclass
class LoadReport:
    added: list[int] = field(default_factory=list)        # coding ids
    skipped: int = 0                                      # codings the reviewer already had, live
    constructs: list[int] = field(default_factory=list)   # constructs created
    events: list[int] = field(default_factory=list)


def studies_by_source(db: Store) -> dict[str, list[int]]:
    """Ids of the live studies imported from each source file name (``heist2018.txt``)."""
    found: dict[str, list[int]] = {}
    for sid, name in db.execute("SELECT id, source_file FROM study WHERE removed_at IS NULL AND source_file "
                                "IS NOT NULL ORDER BY id"):
        found.setdefault(name, []).append(sid)
    return found


def reviewers_with_codings(db: Store, reviewer_ids: Sequence[int]) -> list[str]:
    """Names of those reviewers who have any coding, live or removed."""
    ids = list(reviewer_ids)
    return [name for (name,) in db.execute(
        f"SELECT name FROM reviewer WHERE id IN ({marks(ids)}) AND EXISTS "
        "(SELECT 1 FROM coding WHERE reviewer_id = reviewer.id) ORDER BY name", ids)] if ids else []


def load(db: Store, file: str, codings: Sequence[NewCoding], constructs: Sequence[NewConstruct] = ()) -> LoadReport:
    """Create ``constructs`` (parents before children; each its own ``construct.create`` event) and
    add ``codings`` in one transaction, writing one ``codings.load`` event per reviewer. A coding
    the reviewer already has (same study, construct and span, live) is skipped; anything refused
    (a removed study, a span out of range) leaves the project as it was."""
    report = LoadReport()
    with db.atomic():
        pending = list(constructs)
        while pending:
            ready = [c for c in pending if not c.parent or by_name(db, c.parent) is not None]
            for c in ready or pending[:1]:  # none ready: create() names the missing parent
                report.constructs.append(create(db, c.name, c.order, c.reviewer_id, c.parent).id)
                pending.remove(c)
        ids = {name.casefold(): cid for cid, name in db.execute("SELECT id, name FROM construct")}
        texts: dict[int, tuple[str, str]] = {}
        stamp = now()
        mine: dict[int, list[tuple[int, int, int]]] = {}  # reviewer -> (coding, study, construct)
        for c in codings:
            if c.study_id not in texts:
                get_study(db, c.study_id)  # refuses a removed study
                texts[c.study_id] = get_text(db, c.study_id)
            text, digest = texts[c.study_id]
            construct_id = ids[" ".join(c.construct.split()).casefold()]
            same = db.execute(
                "SELECT 1 FROM coding WHERE study_id = ? AND construct_id = ? AND reviewer_id = ? AND span_start = ? "
                "AND span_end = ? AND removed_at IS NULL", [c.study_id, construct_id, c.reviewer_id, c.start, c.end]
            ).fetchone()
            if same:
                report.skipped += 1
                continue
            q = quote(text, c.start, c.end)
            cid = db.execute(
                "INSERT INTO coding (guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, prefix,"
                " suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                [c.guid or str(uuid.uuid4()), c.study_id, construct_id, c.reviewer_id, c.start, c.end, q.exact, q.prefix,
                 q.suffix, digest, stamp]).lastrowid
            report.added.append(cid)
            mine.setdefault(c.reviewer_id, []).append((cid, c.study_id, construct_id))
        for reviewer_id, added in mine.items():
            report.events.append(events.record(db, "codings.load", reviewer_id, CodingsLoaded(
                file=file, codings=[a[0] for a in added], studies=sorted({a[1] for a in added}),
                constructs=sorted({a[2] for a in added}))))
    return report


# --- undo marks the load's codings removed; redo makes them live again ---------------------------------

def _rows(db: Store, ids: list[int]) -> list[tuple]:
    found: list[tuple] = []
    for part in chunks(ids):
        found += db.execute(f"SELECT id, study_id, construct_id, reviewer_id, span_start, span_end, removed_at, "
                            f"removed_by FROM coding WHERE id IN ({marks(part)})", part).fetchall()
    return found


def _undo_load(db: Store, p: CodingsLoaded, reviewer_id: int, stamp: str) -> undo.Change:
    rows = _rows(db, p["codings"])
    if len(rows) != len(p["codings"]):
        raise undo.Conflict("some of its codings no longer exist (their construct was deleted)")
    gone = [r for r in rows if r[6] is not None]
    if gone:
        n = len(gone)
        raise undo.Conflict(f"{n} of its codings {'was' if n == 1 else 'were'} removed since (one of "
                            f"{construct_name(db, gone[0][2])!r} in {study_name(db, gone[0][1])}, by "
                            f"{who(db, gone[0][7])})")
    for part in chunks(p["codings"]):
        db.execute(f"UPDATE coding SET removed_at = ?, removed_by = ? WHERE id IN ({marks(part)})",
                   [stamp, reviewer_id, *part])
    return undo.Change({"removed_at": stamp}, {r[1] for r in rows}, {r[2] for r in rows})


def _redo_load(db: Store, p: CodingsLoaded, u: dict, reviewer_id: int) -> undo.Change:
    rows = _rows(db, p["codings"])
    if len(rows) != len(p["codings"]) or any(r[6] != u["removed_at"] for r in rows):
        raise undo.Conflict("some of its codings were restored or changed since")
    for r in rows:
        same = db.execute(
            "SELECT id FROM coding WHERE study_id = ? AND construct_id = ? AND reviewer_id = ? AND span_start = ? "
            "AND span_end = ? AND removed_at IS NULL", list(r[1:6])).fetchone()
        if same:
            raise undo.Conflict(f"a span it coded with {construct_name(db, r[2])!r} in {study_name(db, r[1])} "
                                "is coded again since")
    for part in chunks(p["codings"]):
        db.execute(f"UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id IN ({marks(part)})", part)
    return undo.Change({}, {r[1] for r in rows}, {r[2] for r in rows})


def _describe_load(db: Store, p: CodingsLoaded) -> str:
    n = len(p["codings"])
    studies = len(p.get("studies", []))
    return (f"loading the codings file {Path(p['file']).name!r} "
            f"({n} coding{'s' if n != 1 else ''} in {studies} stud{'ies' if studies != 1 else 'y'})")


undo.register("codings.load", _undo_load, _redo_load, _describe_load)
