"""Reviewing possible duplicates: the flagged pairs with their evidence, a reviewer's judgement of a
pair (the same study, or different ones), and removing a study, soft and undoable.

Events: ``duplicate.judge`` (``{"study", "other", "before", "after"}``: the judgement before and
after, each ``{"judgement", "judged_by", "judged_at"}``), and ``study.remove``
(``{"study", "codings", "removed_at"}``: the study, the ids of the live codings removed with it).
"""
from __future__ import annotations

import json
from typing import Any, TypedDict

from ..core.errors import WorkbenchError
from . import events, undo
from .db import Store, now
from .studies import label, naming

JUDGEMENTS = ("same", "different")


class DuplicateError(WorkbenchError, ValueError):
    """A judgement or removal was refused; the message says why."""


class Judged(TypedDict):
    """Payload of ``duplicate.judge``."""

    study: int
    other: int
    before: dict[str, Any]
    after: dict[str, Any]


class Removed(TypedDict):
    """Payload of ``study.remove``: the study and the live codings removed with it."""

    study: int
    codings: list[int]
    removed_at: str


def _summary(db: Store, study_id: int) -> dict:
    row = db.execute("SELECT s.id, s.title, s.authors, s.year, s.doi, s.pmid, s.source_file, s.removed_at, "
                     "(SELECT count(*) FROM coding c WHERE c.study_id = s.id AND c.removed_at IS NULL) "
                     "FROM study s WHERE s.id = ?", [study_id]).fetchone()
    if row is None:
        raise DuplicateError(f"no study with id {study_id}")
    authors = json.loads(row[2])
    return {"id": row[0], "label": label(authors, row[3], row[1]), "naming": naming(authors, row[3], row[1]),
            "title": row[1], "authors": authors,
            "year": row[3], "doi": row[4], "pmid": row[5], "source_file": row[6], "removed": row[7] is not None,
            "codings": row[8]}


def pairs(db: Store, include_judged: bool = False) -> list[dict]:
    """Flagged pairs, most alike first: ``study`` (the later one) and ``other`` (the earlier one)
    as summaries (id, label, title, authors, year, doi, pmid, source_file, removed, codings),
    ``score``, ``reason``, ``evidence`` (each field same / different / missing; the title score)
    and ``judgement`` (None until judged). Pairs judged, or with a study removed, are left out
    unless ``include_judged``."""
    where = "" if include_judged else (
        "WHERE p.judgement IS NULL AND NOT EXISTS (SELECT 1 FROM study s WHERE s.id IN (p.study_id, p.other_id) "
        "AND s.removed_at IS NOT NULL)")
    found = []
    for study, other, score, evidence, reason, judgement, judged_by, judged_at in db.execute(
            "SELECT p.study_id, p.other_id, p.score, p.evidence, p.reason, p.judgement, r.name, p.judged_at "
            f"FROM duplicate_pair p LEFT JOIN reviewer r ON r.id = p.judged_by {where} "
            "ORDER BY p.score DESC, p.other_id, p.study_id").fetchall():
        found.append({"study": _summary(db, study), "other": _summary(db, other), "score": score,
                      "reason": reason, "evidence": json.loads(evidence), "judgement": judgement,
                      "judged_by": judged_by, "judged_at": judged_at})
    return found


def _pair_key(db: Store, a: int, b: int) -> tuple[int, int]:
    for key in ((a, b), (b, a)):
        if db.execute("SELECT 1 FROM duplicate_pair WHERE study_id = ? AND other_id = ?", key).fetchone():
            return key
    raise DuplicateError(f"studies {a} and {b} are not flagged as possible duplicates "
                         "(`workbench duplicates PROJECT` lists the flagged pairs)")


def _state(db: Store, key: tuple[int, int]) -> dict[str, Any]:
    row = db.execute("SELECT judgement, judged_by, judged_at FROM duplicate_pair WHERE study_id = ? AND "
                     "other_id = ?", key).fetchone()
    return {"judgement": row[0], "judged_by": row[1], "judged_at": row[2]}


def _set_state(db: Store, key: tuple[int, int], state: dict[str, Any]) -> None:
    db.execute("UPDATE duplicate_pair SET judgement = ?, judged_by = ?, judged_at = ? WHERE study_id = ? "
               "AND other_id = ?", [state["judgement"], state["judged_by"], state["judged_at"], *key])


def judge(db: Store, a: int, b: int, judgement: str, reviewer_id: int) -> dict:
    """Record that studies ``a`` and ``b`` (a flagged pair, in either order) are the same study or
    different ones; the pair leaves the list to review. Event ``duplicate.judge``. Returns the
    pair as ``pairs`` lists it."""
    if judgement not in JUDGEMENTS:
        raise DuplicateError(f"a judgement is same or different, not {judgement!r}")
    with db.atomic():
        key = _pair_key(db, a, b)
        before = _state(db, key)
        after = {"judgement": judgement, "judged_by": reviewer_id, "judged_at": now()}
        _set_state(db, key, after)
        events.record(db, "duplicate.judge", reviewer_id,
                      Judged(study=key[0], other=key[1], before=before, after=after))
    return next(p for p in pairs(db, include_judged=True) if (p["study"]["id"], p["other"]["id"]) == key)


def remove_study(db: Store, study_id: int, reviewer_id: int, with_codings: bool = False) -> dict:
    """Remove a study from the review (soft: its rows stay, marked removed, so ``undo`` brings it
    back with the same id). Refused while it has live codings unless ``with_codings``, which
    removes them with it. Event ``study.remove``. Returns the study's summary as it was."""
    with db.atomic():
        study = _summary(db, study_id)
        if study["removed"]:
            raise DuplicateError(f"{study['naming']} is removed already")
        codings = [r[0] for r in db.execute("SELECT id FROM coding WHERE study_id = ? AND removed_at IS NULL "
                                            "ORDER BY id", [study_id])]
        if codings and not with_codings:
            coders = ", ".join(f"{name} {n}" for name, n in db.execute(
                "SELECT r.name, count(*) FROM coding c JOIN reviewer r ON r.id = c.reviewer_id WHERE c.study_id = ? "
                "AND c.removed_at IS NULL GROUP BY r.name ORDER BY r.name", [study_id]))
            raise DuplicateError(
                f"{study['naming']} has {len(codings)} coding"
                f"{'' if len(codings) == 1 else 's'} ({coders}); say what becomes of them: "
                "--with-codings removes them with the study (undo brings both back)")
        stamp = now()
        _remove(db, study_id, codings, reviewer_id, stamp)
        events.record(db, "study.remove", reviewer_id, Removed(study=study_id, codings=codings, removed_at=stamp))
    return study


def _remove(db: Store, study_id: int, codings: list[int], reviewer_id: int, stamp: str) -> None:
    db.execute("UPDATE study SET removed_at = ?, removed_by = ? WHERE id = ?", [stamp, reviewer_id, study_id])
    db.conn.executemany("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?",
                        [(stamp, reviewer_id, c) for c in codings])


# --- undo -----------------------------------------------------------------------------------------------

def _undo_judge(db: Store, p: Judged, *_: Any) -> undo.Change:
    key = (p["study"], p["other"])
    if _state(db, key) != p["after"]:
        raise undo.Conflict("the pair was judged again since")
    _set_state(db, key, p["before"])
    return undo.Change({}, {p["study"], p["other"]})


def _redo_judge(db: Store, p: Judged, *_: Any) -> undo.Change:
    key = (p["study"], p["other"])
    if _state(db, key) != p["before"]:
        raise undo.Conflict("the pair was judged again since")
    _set_state(db, key, p["after"])
    return undo.Change({}, {p["study"], p["other"]})


def _describe_judge(db: Store, p: Judged) -> str:
    a, b = _summary(db, p["study"]), _summary(db, p["other"])
    verdict = "the same study" if p["after"]["judgement"] == "same" else "different studies"
    return f"judging {a['naming']} and {b['naming']} {verdict}"


def _undo_remove(db: Store, p: Removed, *_: Any) -> undo.Change:
    stamp = p["removed_at"]
    if db.execute("SELECT removed_at FROM study WHERE id = ?", [p["study"]]).fetchone()[0] != stamp:
        raise undo.Conflict("the study was restored or removed again since")
    if p["codings"]:
        marks = db.execute(f"SELECT count(*) FROM coding WHERE removed_at = ? AND id IN "
                           f"({','.join('?' * len(p['codings']))})", [stamp, *p["codings"]]).fetchone()[0]
        if marks != len(p["codings"]):
            raise undo.Conflict("a coding removed with the study was changed since")
    db.execute("UPDATE study SET removed_at = NULL, removed_by = NULL WHERE id = ?", [p["study"]])
    db.conn.executemany("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?",
                        [(c,) for c in p["codings"]])
    return undo.Change({}, {p["study"]})


def _redo_remove(db: Store, p: Removed, _record: dict, reviewer_id: int) -> undo.Change:
    if db.execute("SELECT removed_at FROM study WHERE id = ?", [p["study"]]).fetchone()[0] is not None:
        raise undo.Conflict("the study was removed again since")
    live = {r[0] for r in db.execute("SELECT id FROM coding WHERE study_id = ? AND removed_at IS NULL",
                                     [p["study"]])}
    if live != set(p["codings"]):
        raise undo.Conflict("the study's codings changed since it was brought back")
    _remove(db, p["study"], p["codings"], reviewer_id, p["removed_at"])
    return undo.Change({}, {p["study"]})


def _describe_remove(db: Store, p: Removed) -> str:
    study = _summary(db, p["study"])
    n = len(p["codings"])
    codings = f" and its {n} coding{'' if n == 1 else 's'}" if n else ""
    return f"removal of {study['naming']}{codings}"


undo.register("duplicate.judge", _undo_judge, _redo_judge, _describe_judge)
undo.register("study.remove", _undo_remove, _redo_remove, _describe_remove)
