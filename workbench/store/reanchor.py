"""Replacing a study's text by a corrected one, re-anchoring every coding on it, and the orphans.

``reimport`` swaps the document (text, sha256, length; the full-text index follows through its
triggers), recomputes the sentence units and places every coding of the study (live and removed,
so undoing a removal later puts a coding back where its quote now is) by ``core.anchoring``. A
placed coding takes its new offsets, prefix, suffix and text hash; a fuzzy one also the new
words, its old quote kept in ``old_exact``. A coding that cannot be placed becomes an **orphan**:
marked removed (no live query sees a span of the old text) and listed in ``orphan``; its quote,
prefix and suffix stay on its row. One event, ``study.reimport``, holds the state before and
after (texts, sentences, the changed coding and orphan rows), so undo and redo swap them whole.

``place`` puts an orphan on a span a reviewer chose (event ``orphan.place``), ``drop`` takes it
off the list, leaving the coding removed (``orphan.drop``); both are undoable.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from ..core.anchoring import METHODS, Reanchorer, Span, best_candidate
from ..core.errors import WorkbenchError
from ..core.text import quote, sha256
from . import events, undo
from .db import Store, insert_row, marks, now
from .restore import refuse
from .studies import get_study
from .words import coding_words, plural, study_name

# The coding columns a re-anchoring (or placing an orphan) changes; undo puts exactly these back.
COLUMNS = ("id", "span_start", "span_end", "exact", "prefix", "suffix", "text_sha256", "removed_at", "removed_by",
           "anchor", "anchor_score", "old_exact")
ORPHAN_COLUMNS = ("coding_id", "study_id", "orphaned_at", "orphaned_by", "was_removed_at", "was_removed_by")


class ReanchorError(WorkbenchError, ValueError):
    """Replacing a text or placing an orphan was refused; the message says why."""


class State(TypedDict):
    """One side of a ``study.reimport``: the document, its sentences, the study's codings (the
    ``COLUMNS`` of each) and its orphan rows."""

    text: str
    sha256: str
    sentences: list[list[int]]
    codings: list[dict[str, Any]]
    orphans: list[dict[str, Any]]


class Reimported(TypedDict):
    """Payload of ``study.reimport``."""

    study: int
    file: str | None
    counts: dict[str, int]
    before: State
    after: State


class Placed(TypedDict):
    """Payload of ``orphan.place``: the coding's columns before and after, the orphan row taken."""

    coding: int
    study: int
    before: dict[str, Any]
    after: dict[str, Any]
    orphan: dict[str, Any]


class Dropped(TypedDict):
    """Payload of ``orphan.drop``: the orphan row taken (the coding stays removed)."""

    coding: int
    study: int
    orphan: dict[str, Any]


@dataclass
class Report:
    """What a re-anchoring did: counts by method of the codings that were live (``counts``) and of
    those already removed (``removed``), the event written, and each coding's outcome."""

    study_id: int
    event_id: int
    counts: dict[str, int]
    removed: dict[str, int]
    outcomes: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Orphan:
    """An orphaned coding: its quote and context as stored, and the best stretch of the study's
    current text for it (``candidate``: start, end, similarity 0-100; None when there is none)."""

    coding_id: int
    study_id: int
    study: str
    reviewer: str
    construct: str
    exact: str
    prefix: str
    suffix: str
    orphaned_at: str
    candidate: tuple[int, int, float] | None
    candidate_text: str | None


# --- replacing a text ---------------------------------------------------------------------------------

def reimport(db: Store, study_id: int, text: str, reviewer_id: int | None, source: str | None = None) -> Report:
    """Replace the study's text by ``text`` (canonical already: ``core.text``) and re-anchor every
    coding on it, in one transaction and one undoable event. Refuses a removed or unknown study,
    an empty text and a text equal to the one stored."""
    from ..core.sentences import segment

    study = get_study(db, study_id)
    if not text.strip():
        raise ReanchorError(f"{source or 'the new text'}: the file is empty; {study_name(db, study_id)} keeps its text")
    units = [list(u) for u in segment(text)]  # before the write lock: spaCy may take a second to load
    with db.snapshot():
        before = _state(db, study_id)
    if before["text"] == text:
        raise ReanchorError(f"{source or 'the new text'} is the text {study_name(db, study_id)} has already: "
                            "nothing to re-anchor")
    plan = _plan(study_id, before, text, units, reviewer_id)
    with db.atomic():
        if _state(db, study_id) != before:  # someone coded meanwhile: plan again under the lock
            before = _state(db, study_id)
            plan = _plan(study_id, before, text, units, reviewer_id)
        after, counts, removed, outcomes = plan
        _apply(db, study_id, before, after)
        event = events.record(db, "study.reimport", reviewer_id, Reimported(
            study=study["id"], file=source, counts=counts, before=before, after=after))
    return Report(study_id, event, counts, removed, outcomes)


def _plan(study_id: int, before: State, text: str, units: list[list[int]], reviewer_id: int | None):
    """The state after re-anchoring ``before``'s codings in ``text``: (state, counts of the live
    codings by method, counts of the removed ones, each coding's outcome)."""
    stamp = now()
    digest = sha256(text)
    anchorer = Reanchorer(before["text"], text)
    orphans = {o["coding_id"]: o for o in before["orphans"]}
    counts = dict.fromkeys(METHODS, 0)
    removed = dict.fromkeys(METHODS, 0)
    codings, new_orphans, outcomes = [], [], []
    for c in before["codings"]:
        old = orphans.get(c["id"])
        was_live = c["removed_at"] is None if old is None else old["was_removed_at"] is None
        placed = anchorer.place(Span(c["span_start"], c["span_end"], c["exact"], c["prefix"], c["suffix"]))
        (counts if was_live else removed)[placed.method] += 1
        outcomes.append({"coding": c["id"], "method": placed.method, "start": placed.start, "end": placed.end,
                         "score": placed.score, "live": was_live, "quote": placed.exact, "old_quote": c["exact"]})
        new = dict(c)
        if placed.placed:
            q = quote(text, placed.start, placed.end)
            new.update(span_start=placed.start, span_end=placed.end, exact=q.exact, prefix=q.prefix,
                       suffix=q.suffix, text_sha256=digest, anchor=placed.method, anchor_score=placed.score,
                       old_exact=c["exact"] if q.exact != c["exact"] else c["old_exact"])
            if old is not None:  # an orphan of an earlier text found again: back as it was before
                new.update(removed_at=old["was_removed_at"], removed_by=old["was_removed_by"])
        else:
            new.update(anchor="orphaned", anchor_score=placed.score)
            if old is None:
                new.update(removed_at=stamp, removed_by=reviewer_id)
                new_orphans.append({"coding_id": c["id"], "study_id": study_id, "orphaned_at": stamp,
                                    "orphaned_by": reviewer_id, "was_removed_at": c["removed_at"],
                                    "was_removed_by": c["removed_by"]})
            else:
                new_orphans.append(old)
        codings.append(new)
    after = State(text=text, sha256=digest, sentences=units, codings=codings, orphans=new_orphans)
    return after, counts, removed, outcomes


def _state(db: Store, study_id: int) -> State:
    text, digest = db.execute("SELECT text, sha256 FROM document WHERE study_id = ?", [study_id]).fetchone()
    sentences = [list(r) for r in db.execute(
        "SELECT span_start, span_end FROM sentence WHERE study_id = ? ORDER BY span_start", [study_id])]
    codings = list(db.query(
        f"SELECT {', '.join(COLUMNS)} FROM coding WHERE study_id = ? ORDER BY id", [study_id]))
    orphans = list(db.query(f"SELECT {', '.join(ORPHAN_COLUMNS)} FROM orphan WHERE study_id = ? ORDER BY coding_id",
                            [study_id]))
    return State(text=text, sha256=digest, sentences=sentences, codings=codings, orphans=orphans)


def _apply(db: Store, study_id: int, before: State, after: State) -> None:
    """Write ``after`` over the study's rows (which are ``before``)."""
    db.execute("UPDATE document SET text = ?, sha256 = ?, length = ? WHERE study_id = ?",
               [after["text"], after["sha256"], len(after["text"]), study_id])
    db.execute("DELETE FROM sentence WHERE study_id = ?", [study_id])
    db.conn.executemany("INSERT INTO sentence (study_id, span_start, span_end) VALUES (?,?,?)",
                        [(study_id, a, b) for a, b in after["sentences"]])
    was = {c["id"]: c for c in before["codings"]}
    changed = [c for c in after["codings"] if was.get(c["id"]) != c]
    names = [n for n in COLUMNS if n != "id"]
    db.conn.executemany(f"UPDATE coding SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
                        [[c[n] for n in names] + [c["id"]] for c in changed])
    db.execute("DELETE FROM orphan WHERE study_id = ?", [study_id])
    for o in after["orphans"]:
        insert_row(db, "orphan", o)


def _check_state(db: Store, study_id: int, expected: State, what: str) -> None:
    """Conflict unless the study's text, codings and orphans are still ``expected``."""
    now_state = _state(db, study_id)
    problems = []
    if now_state["sha256"] != expected["sha256"]:
        problems.append(f"the text of {study_name(db, study_id)} was replaced again since")
    want = {c["id"]: c for c in expected["codings"]}
    for c in now_state["codings"]:
        if c["id"] not in want:
            problems.append(f"{coding_words(db, c['id'], owner=True)} was coded on {what} since")
        elif want[c["id"]] != c:
            problems.append(f"{coding_words(db, c['id'], owner=True)} was changed since")
    if now_state["orphans"] != expected["orphans"] and not problems:
        problems.append("an orphaned coding was placed or dropped since")
    refuse(problems)


def _undo_reimport(db: Store, p: Reimported, *_: Any) -> undo.Change:
    _check_state(db, p["study"], p["after"], "the new text")
    _apply(db, p["study"], p["after"], p["before"])
    return undo.Change({}, {p["study"]}, set())


def _redo_reimport(db: Store, p: Reimported, *_: Any) -> undo.Change:
    _check_state(db, p["study"], p["before"], "the old text")
    _apply(db, p["study"], p["before"], p["after"])
    return undo.Change({}, {p["study"]}, set())


def _describe_reimport(db: Store, p: Reimported) -> str:
    orphaned = p["counts"].get("orphaned", 0)
    tail = f", {plural(orphaned, 'coding')} orphaned" if orphaned else ""
    return f"replacing the text of {study_name(db, p['study'])}{' from ' + p['file'] if p.get('file') else ''}{tail}"


# --- orphans ------------------------------------------------------------------------------------------

def orphans(db: Store, study_id: int | None = None, reviewer_id: int | None = None) -> list[Orphan]:
    """The orphaned codings that were live (of one study, of one reviewer, or all), by study and
    place in the old text, each with the best candidate stretch of the study's current text."""
    where, args = ["o.was_removed_at IS NULL"], []
    if study_id is not None:
        where.append("o.study_id = ?")
        args.append(study_id)
    if reviewer_id is not None:
        where.append("c.reviewer_id = ?")
        args.append(reviewer_id)
    found = list(db.query(
        "SELECT c.id, c.study_id, r.name AS reviewer, k.name AS construct, c.exact, c.prefix, c.suffix, "
        "c.span_start, c.span_end, o.orphaned_at FROM orphan o JOIN coding c ON c.id = o.coding_id "
        "JOIN reviewer r ON r.id = c.reviewer_id JOIN construct k ON k.id = c.construct_id "
        f"WHERE {' AND '.join(where)} ORDER BY c.study_id, c.span_start, c.id", args))
    texts: dict[int, str] = {}
    out = []
    for r in found:
        if r["study_id"] not in texts:
            texts[r["study_id"]] = db.execute("SELECT text FROM document WHERE study_id = ?",
                                              [r["study_id"]]).fetchone()[0]
        span = Span(r["span_start"], r["span_end"], r["exact"], r["prefix"], r["suffix"])
        best = best_candidate(texts[r["study_id"]], span)
        out.append(Orphan(r["id"], r["study_id"], study_name(db, r["study_id"]), r["reviewer"], r["construct"],
                          r["exact"], r["prefix"], r["suffix"], r["orphaned_at"], best,
                          texts[r["study_id"]][best[0]:best[1]] if best else None))
    return out


def _orphan_row(db: Store, coding_id: int, reviewer_id: int, doing: str) -> tuple[dict, dict]:
    """The orphan row and the coding's columns; refuses a coding that is no orphan, or another
    reviewer's."""
    o = next(db.query(f"SELECT {', '.join(ORPHAN_COLUMNS)} FROM orphan WHERE coding_id = ?", [coding_id]), None)
    c = next(db.query(f"SELECT {', '.join(COLUMNS)}, reviewer_id, study_id FROM coding WHERE id = ?",
                      [coding_id]), None)
    if o is None or c is None or o["was_removed_at"] is not None:
        raise ReanchorError(f"{coding_words(db, coding_id) if c else 'that coding'} is not an orphaned coding: "
                            "`workbench orphans PROJECT` lists them")
    if c["reviewer_id"] != reviewer_id:
        raise ReanchorError(f"{coding_words(db, coding_id, owner=True)} is not yours: a reviewer {doing} only "
                            "their own orphaned codings")
    return o, c


def place(db: Store, coding_id: int, start: int, end: int, reviewer_id: int) -> dict[str, Any]:
    """Put the reviewer's orphaned coding on ``[start, end)`` of its study's current text: live
    again, with the quote there (the old one kept in ``old_exact``). Event ``orphan.place``."""
    with db.atomic():
        o, c = _orphan_row(db, coding_id, reviewer_id, "places")
        text, digest = db.execute("SELECT text, sha256 FROM document WHERE study_id = ?", [c["study_id"]]).fetchone()
        q = quote(text, start, end)  # SpanError for an empty, reversed or out-of-range span
        before = {k: c[k] for k in COLUMNS}
        after = dict(before, span_start=start, span_end=end, exact=q.exact, prefix=q.prefix, suffix=q.suffix,
                     text_sha256=digest, removed_at=None, removed_by=None, anchor="hand", anchor_score=None,
                     old_exact=c["exact"] if q.exact != c["exact"] else c["old_exact"])
        _write_coding(db, after)
        db.execute("DELETE FROM orphan WHERE coding_id = ?", [coding_id])
        events.record(db, "orphan.place", reviewer_id, Placed(coding=coding_id, study=c["study_id"], before=before,
                                                              after=after, orphan=o))
    return after


def drop(db: Store, coding_id: int, reviewer_id: int) -> None:
    """Take the reviewer's orphaned coding off the list: it stays removed (its quote in the
    database and the event log). Event ``orphan.drop``."""
    with db.atomic():
        o, c = _orphan_row(db, coding_id, reviewer_id, "drops")
        db.execute("DELETE FROM orphan WHERE coding_id = ?", [coding_id])
        events.record(db, "orphan.drop", reviewer_id, Dropped(coding=coding_id, study=c["study_id"], orphan=o))


def _write_coding(db: Store, values: dict[str, Any]) -> None:
    names = [n for n in COLUMNS if n != "id"]
    db.execute(f"UPDATE coding SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
               [values[n] for n in names] + [values["id"]])


def _coding_is(db: Store, values: dict[str, Any]) -> bool:
    found = next(db.query(f"SELECT {', '.join(COLUMNS)} FROM coding WHERE id = ?", [values["id"]]), None)
    return found == values


def _orphan_free(db: Store, coding_id: int) -> None:
    if db.execute("SELECT 1 FROM orphan WHERE coding_id = ?", [coding_id]).fetchone():
        raise undo.Conflict("the coding is listed as an orphan again")


def _undo_place(db: Store, p: Placed, *_: Any) -> undo.Change:
    if not _coding_is(db, p["after"]):
        raise undo.Conflict(f"{coding_words(db, p['coding'])} was changed since")
    _orphan_free(db, p["coding"])
    _write_coding(db, p["before"])
    insert_row(db, "orphan", p["orphan"])
    return undo.Change({}, {p["study"]}, set())


def _redo_place(db: Store, p: Placed, *_: Any) -> undo.Change:
    if not _coding_is(db, p["before"]) or _orphan(db, p["coding"]) != p["orphan"]:
        raise undo.Conflict(f"{coding_words(db, p['coding'])} was changed since")
    _write_coding(db, p["after"])
    db.execute("DELETE FROM orphan WHERE coding_id = ?", [p["coding"]])
    return undo.Change({}, {p["study"]}, set())


def _orphan(db: Store, coding_id: int) -> dict | None:
    return next(db.query(f"SELECT {', '.join(ORPHAN_COLUMNS)} FROM orphan WHERE coding_id = ?", [coding_id]), None)


def _undo_drop(db: Store, p: Dropped, *_: Any) -> undo.Change:
    _orphan_free(db, p["coding"])
    removed = db.execute("SELECT removed_at FROM coding WHERE id = ?", [p["coding"]]).fetchone()
    if removed is None or removed[0] != p["orphan"]["orphaned_at"]:
        raise undo.Conflict(f"{coding_words(db, p['coding'])} was changed since")
    insert_row(db, "orphan", p["orphan"])
    return undo.Change({}, {p["study"]}, set())


def _redo_drop(db: Store, p: Dropped, *_: Any) -> undo.Change:
    if _orphan(db, p["coding"]) != p["orphan"]:
        raise undo.Conflict(f"{coding_words(db, p['coding'])} was changed since")
    db.execute("DELETE FROM orphan WHERE coding_id = ?", [p["coding"]])
    return undo.Change({}, {p["study"]}, set())


def _describe_place(db: Store, p: Placed) -> str:
    return f"placing the orphaned coding {coding_words(db, p['coding'])}"


def _describe_drop(db: Store, p: Dropped) -> str:
    return f"dropping the orphaned coding {coding_words(db, p['coding'])}"


def orphan_counts(db: Store, study_ids: list[int]) -> dict[int, int]:
    """Listed orphans per study, for those of ``study_ids`` that have any."""
    if not study_ids:
        return {}
    return dict(db.execute(f"SELECT study_id, count(*) FROM orphan WHERE was_removed_at IS NULL "
                           f"AND study_id IN ({marks(study_ids)}) GROUP BY study_id", study_ids).fetchall())


undo.register("study.reimport", _undo_reimport, _redo_reimport, _describe_reimport)
undo.register("orphan.place", _undo_place, _redo_place, _describe_place)
undo.register("orphan.drop", _undo_drop, _redo_drop, _describe_drop)
