"""The study order of the translation (Noblit & Hare phase 5): chronological, an index paper first,
or an order set by hand, stored with the reason the reviewers give for it.

Until a reviewer sets one, project.yaml's ``study_order``/``index_study`` decide (``studies.arrange``);
once set, the stored order wins everywhere studies are listed (the study list, the grid's columns,
exports). Every change is one ``study.order`` event (``Ordered``: the whole stored order before and
after) and undoes like any other change.

API for the screens and the CLI:

- ``show(db, rule, index_study_id) -> StudyOrder``: the order in effect, where it comes from, its
  reason, and the study ids in order (``rule``/``index_study_id`` are project.yaml's, see ``fallback``).
- ``set_chronological``, ``set_index``, ``move``: change it (each returns the new ``StudyOrder``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, TypedDict

from ..core.errors import WorkbenchError
from ..core.text import one_line
from . import events, undo
from .db import Store, now
from .restore import who
from .studies import get_study, label, ordered_ids, stored_order

RULE_WORDS = {"chronological": "chronological", "index": "index paper first", "hand": "set by hand",
              "import": "import order", "index-first": "index paper first"}


class OrderError(WorkbenchError, ValueError):
    """A change of the study order was refused; the message says why."""


class Snapshot(TypedDict):
    """The whole stored order: its row (None while none is set) and the hand positions."""

    order: dict[str, Any] | None
    positions: list[list[int]]


class Ordered(TypedDict):
    """Payload of ``study.order``."""

    before: Snapshot
    after: Snapshot


@dataclass(frozen=True)
class StudyOrder:
    """The study order in effect.

    ``source`` is "stored" (set with ``workbench order``), "project.yaml" or "default"; ``rule`` is
    chronological, index, hand (stored) or project.yaml's chronological, import, index-first;
    ``study_ids`` are the studies not removed, in that order.
    """

    rule: str
    source: str
    study_ids: list[int]
    index_study_id: int | None = None
    reason: str = ""
    set_by: str | None = None
    set_at: str | None = None

    @property
    def words(self) -> str:
        """"chronological", "index paper first", "set by hand"..."""
        return RULE_WORDS.get(self.rule, self.rule)


def fallback(project) -> tuple[str, int | None]:
    """project.yaml's rule and index study id (None when it names no study), for ``show`` and the grid."""
    from .studies import find_study

    index = project.settings.index_study
    return project.settings.study_order, (find_study(project.db, str(index)) if index else None)


def show(db: Store, rule: str = "chronological", index_study_id: int | None = None) -> StudyOrder:
    """The order in effect: the stored one, else project.yaml's ``rule`` (``index_study_id`` for
    index-first)."""
    stored = stored_order(db)
    ids = ordered_ids(db, rule, index_study_id)
    if stored is None:
        source = "default" if rule == "chronological" else "project.yaml"
        return StudyOrder(rule, source, ids, index_study_id if rule == "index-first" else None)
    return StudyOrder(stored["rule"], "stored", ids, stored["index_study_id"], stored["reason"],
                      who(db, stored["set_by"]) if stored["set_by"] is not None else None, stored["set_at"])


def set_chronological(db: Store, reviewer_id: int | None, reason: str = "") -> StudyOrder:
    """Store the chronological order (year, then import order). Event ``study.order``."""
    return _store(db, "chronological", None, [], reason, reviewer_id)


def set_index(db: Store, study_id: int, reviewer_id: int | None, reason: str = "") -> StudyOrder:
    """Store the order with ``study_id`` as the index paper, first, the others chronological;
    refuses a removed study. Event ``study.order``."""
    get_study(db, study_id)
    return _store(db, "index", study_id, [], reason, reviewer_id)


def move(db: Store, study_id: int, to: int, reviewer_id: int | None, reason: str | None = None,
         rule: str = "chronological", index_study_id: int | None = None) -> StudyOrder:
    """Move the study to place ``to`` (1 = first) of the order in effect and store the result as a
    hand order. Without a ``reason``, a hand order keeps the reason it had. Refuses a removed study
    and a place outside 1..number of studies. Event ``study.order``."""
    get_study(db, study_id)
    with db.atomic():
        ids = ordered_ids(db, rule, index_study_id)
        if not 1 <= to <= len(ids):
            raise OrderError(f"a study moves to a place from 1 to {len(ids)} (the review has {len(ids)} "
                             f"studies), not {to}")
        ids.remove(study_id)
        ids.insert(to - 1, study_id)
        if reason is None:
            stored = stored_order(db)
            reason = stored["reason"] if stored and stored["rule"] == "hand" else ""
        return _store(db, "hand", None, ids, reason, reviewer_id)


def _store(db: Store, rule: str, index_study_id: int | None, ids: list[int], reason: str,
           reviewer_id: int | None) -> StudyOrder:
    reason = one_line(reason or "")
    with db.atomic():
        before = _snapshot(db)
        after = Snapshot(order={"id": 1, "rule": rule, "index_study_id": index_study_id, "reason": reason,
                                "set_by": reviewer_id, "set_at": now()},
                         positions=[[sid, n] for n, sid in enumerate(ids, 1)])
        _write(db, after)
        events.record(db, "study.order", reviewer_id, Ordered(before=before, after=after))
        return show(db)


def _snapshot(db: Store) -> Snapshot:
    order = next(db.query("SELECT * FROM study_order WHERE id = 1"), None)
    return Snapshot(order=order, positions=[list(r) for r in db.execute(
        "SELECT study_id, position FROM study_position ORDER BY position")])


def _write(db: Store, snap: Snapshot) -> None:
    db.execute("DELETE FROM study_position")
    db.execute("DELETE FROM study_order")
    if snap["order"] is not None:
        o = snap["order"]
        db.execute("INSERT INTO study_order (id, rule, index_study_id, reason, set_by, set_at) VALUES (?,?,?,?,?,?)",
                   [1, o["rule"], o["index_study_id"], o["reason"], o["set_by"], o["set_at"]])
    db.conn.executemany("INSERT INTO study_position (study_id, position) VALUES (?,?)",
                        [tuple(p) for p in snap["positions"]])


# --- undo: the stored order goes back to the snapshot before, redo to the one after -----------------

def _swap(db: Store, p: Ordered, now_key: str, then_key: str) -> undo.Change:
    current = _snapshot(db)
    if current != p[now_key]:
        changed = current["order"]
        by = f" by {who(db, changed['set_by'])}" if changed and changed["set_by"] is not None else ""
        raise undo.Conflict(f"the study order was changed since{by}")
    _write(db, p[then_key])
    return undo.Change({}, set(), set())


def _undo(db: Store, p: Ordered, *_: Any) -> undo.Change:
    return _swap(db, p, "after", "before")


def _redo(db: Store, p: Ordered, *_: Any) -> undo.Change:
    return _swap(db, p, "before", "after")


def _describe(db: Store, p: Ordered) -> str:
    o = p["after"]["order"] or {}
    rule = o.get("rule")
    if rule == "index":
        row = db.execute("SELECT authors, year, title FROM study WHERE id = ?", [o.get("index_study_id")]).fetchone()
        first = label(json.loads(row[0]), row[1], row[2]) if row else "a study"
        return f"setting the study order: {first} as index paper first"
    return f"setting the study order: {RULE_WORDS.get(rule, rule)}"


undo.register("study.order", _undo, _redo, _describe)
