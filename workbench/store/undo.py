"""Undo and redo, per reviewer, driven by the append-only event log.

The log is the undo stack, so undo works after a restart. A reviewer's undoable actions are their
events ``coding.add``, ``coding.remove``, ``construct.create``, ``construct.rename``,
``construct.edit``, ``construct.merge``, ``construct.move``, ``construct.change_order``,
``construct.delete``, ``construct.link``, ``construct.unlink``, ``memo.set`` and ``codebook.load``
(the keys of ``HANDLERS``). Undoing one writes an ``undo`` event ``{"event": id, "action": ...,
...}`` and redoing it a ``redo`` event; the extra keys hold what the inverse needs (e.g. the rows
an undo took out, the timestamp it wrote), so redo puts back exactly the state after the action.

- ``undo`` takes the reviewer's newest action that is not currently undone.
- ``redo`` takes the action of the reviewer's newest pending ``undo``, and only if the reviewer has
  done nothing new since (a new action clears what could be redone, as in an editor).
- Before changing anything both check that the state is still the one the action (or the undo)
  left; if someone has changed it since, for example removed the coding or moved it on by another
  merge, they refuse with UndoError saying what changed, and write nothing.

Each undo or redo is one transaction: the inverse change and its event.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from ..core.constructs import ORDERS, ConstructError, check_parent
from . import events, restructure as rs
from .db import Store, now

class UndoError(ValueError):
    """Undo or redo was refused; the message says what changed since."""


@dataclass(frozen=True)
class UndoResult:
    event_id: int                    # the 'undo' or 'redo' event written
    action_event_id: int             # the event of the action undone or redone
    action: str                      # e.g. 'coding.add'
    description: str                 # e.g. "coding 17 'Pivotal experiences' in study 3 [41-97]"
    redone: bool                     # False for undo, True for redo
    study_ids: tuple[int, ...]       # studies whose codings changed (to repaint)
    construct_ids: tuple[int, ...]   # constructs that changed, appeared or disappeared


@dataclass(frozen=True)
class HistoryEntry:
    event_id: int
    at: str
    action: str
    description: str
    undone: bool


# --- the stack, read from the log -------------------------------------------------------------------

def _scan(db: Store, reviewer_id: int) -> Iterator[tuple[int, str, str, dict]]:
    """The reviewer's undoable actions and undo/redo events, newest first."""
    kinds = UNDOABLE + ("undo", "redo")
    cursor = db.execute(
        f"SELECT id, at, action, payload FROM event WHERE reviewer_id = ? AND action IN ({','.join('?' * len(kinds))}) "
        "ORDER BY id DESC", [reviewer_id, *kinds])
    for eid, at, action, payload in cursor:
        yield eid, at, action, json.loads(payload)


def _event(db: Store, event_id: int) -> tuple[str, dict]:
    action, payload = db.execute("SELECT action, payload FROM event WHERE id = ?", [event_id]).fetchone()
    return action, json.loads(payload)


def undo(db: Store, reviewer_id: int) -> UndoResult | None:
    """Undo the reviewer's most recent action not yet undone; None when there is none.

    Raises UndoError, writing nothing, when the state has moved on since the action so that
    undoing it would clobber later work.
    """
    with db.atomic():
        latest: dict[int, tuple[str, dict]] = {}  # action event -> its newest undo/redo (kind, payload)
        for eid, _at, action, payload in _scan(db, reviewer_id):
            if action in ("undo", "redo"):
                latest.setdefault(payload["event"], (action, payload))
                continue
            state = latest.get(eid)
            if state and state[0] == "undo":
                continue
            # a redo may have re-planned the action (merge, delete): undo what the redo did
            effective = state[1]["payload"] if state and "payload" in state[1] else payload
            handler = HANDLERS[action]
            try:
                extra, studies_, constructs_ = handler.undo(db, effective, reviewer_id, now())
            except ConstructError as exc:
                raise UndoError(f"cannot undo {handler.describe(db, effective)}: {exc}") from None
            undo_id = events.record(db, "undo", reviewer_id, {"event": eid, "action": action, **extra})
            return UndoResult(undo_id, eid, action, handler.describe(db, effective), False,
                              tuple(sorted(studies_)), tuple(sorted(constructs_)))
    return None


def redo(db: Store, reviewer_id: int) -> UndoResult | None:
    """Re-apply the action of the reviewer's most recent undo; None when there is nothing to redo
    (nothing undone, or the reviewer has done something new since)."""
    with db.atomic():
        seen: set[int] = set()
        for _eid, _at, action, payload in _scan(db, reviewer_id):
            if action not in ("undo", "redo"):
                return None  # a new action since the last undo: nothing to redo
            target = payload["event"]
            if target in seen:
                continue
            seen.add(target)
            if action == "redo":
                continue
            original_action, original = _event(db, target)
            handler = HANDLERS[original_action]
            try:
                extra, studies_, constructs_ = handler.redo(db, original, payload, reviewer_id)
            except ConstructError as exc:
                raise UndoError(f"cannot redo {handler.describe(db, original)}: {exc}") from None
            redo_id = events.record(db, "redo", reviewer_id, {"event": target, "action": original_action, **extra})
            return UndoResult(redo_id, target, original_action, handler.describe(db, original), True,
                              tuple(sorted(studies_)), tuple(sorted(constructs_)))
    return None


def history(db: Store, reviewer_id: int, limit: int = 20) -> list[HistoryEntry]:
    """The reviewer's most recent undoable actions, newest first, each saying whether it is
    currently undone."""
    latest: dict[int, str] = {}
    found: list[HistoryEntry] = []
    for eid, at, action, payload in _scan(db, reviewer_id):
        if action in ("undo", "redo"):
            latest.setdefault(payload["event"], action)
            continue
        found.append(HistoryEntry(eid, at, action, HANDLERS[action].describe(db, payload), latest.get(eid) == "undo"))
        if len(found) >= limit:
            break
    return found


# --- helpers ----------------------------------------------------------------------------------------

def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _column(db: Store, table: str, column: str, ids: list[int]) -> dict[int, Any]:
    """``{id: column}`` for the rows of ``ids`` that exist."""
    out: dict[int, Any] = {}
    for part in _chunks(ids):
        out.update(db.execute(f"SELECT id, {column} FROM {table} WHERE id IN ({','.join('?' * len(part))})", part))
    return out


def _who(db: Store, reviewer_id: int | None) -> str:
    row = db.execute("SELECT name FROM reviewer WHERE id = ?", [reviewer_id]).fetchone()
    return row[0] if row else "someone"


def _construct_name(db: Store, construct_id: int | None) -> str:
    row = db.execute("SELECT name FROM construct WHERE id = ?", [construct_id]).fetchone()
    return row[0] if row else f"construct {construct_id}"


def _refuse(problems: list[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ConstructError("; ".join(problems[:3]) + more)


def _check_free(db: Store, values: dict, what: str) -> list[str]:
    """Problems that stop a construct row from being put back: its id, guid or name taken, its
    parent gone or of a lower order."""
    problems = []
    taken = db.execute("SELECT name FROM construct WHERE id = ?", [values["id"]]).fetchone()
    if taken:
        problems.append(f"its id {values['id']} is now used by {taken[0]!r}")
    elif db.execute("SELECT 1 FROM construct WHERE guid = ?", [values["guid"]]).fetchone():
        problems.append(f"{what} exists again")
    clash = db.execute("SELECT name FROM construct WHERE name = ? AND id != ?",
                       [values["name"], values["id"]]).fetchone()
    if clash:
        problems.append(f"a construct called {clash[0]!r} exists now; rename it first")
    if values["parent_id"] is not None:
        parent = db.execute("SELECT name, construct_order FROM construct WHERE id = ?",
                            [values["parent_id"]]).fetchone()
        if parent is None:
            problems.append(f"its parent (construct {values['parent_id']}) no longer exists")
        else:
            try:
                check_parent(values["construct_order"], parent[1], values["name"], parent[0])
            except ConstructError as exc:
                problems.append(str(exc))
    return problems


def _live_duplicate(db: Store, coding: dict) -> int | None:
    row = db.execute(
        "SELECT id FROM coding WHERE study_id = ? AND construct_id = ? AND reviewer_id = ? AND span_start = ? "
        "AND span_end = ? AND removed_at IS NULL AND id != ?",
        [coding["study_id"], coding["construct_id"], coding["reviewer_id"], coding["span_start"],
         coding["span_end"], coding["id"]]).fetchone()
    return row[0] if row else None


def _studies_of(db: Store, coding_ids: list[int]) -> set[int]:
    return set(_column(db, "coding", "study_id", coding_ids).values())


# --- handlers: one per undoable action --------------------------------------------------------------

@dataclass(frozen=True)
class _Handler:
    # undo(db, payload, reviewer, stamp) -> (extra keys for the undo event, study ids, construct ids)
    undo: Callable[[Store, dict, int, str], tuple[dict, set, set]]
    # redo(db, original payload, undo payload, reviewer) -> (extra keys for the redo event, studies, constructs)
    redo: Callable[[Store, dict, dict, int], tuple[dict, set, set]]
    describe: Callable[[Store, dict], str]


# coding.add: undo marks the coding removed; redo makes it live again

def _coding(db: Store, coding_id: int) -> dict:
    found = rs.row(db, "coding", coding_id)
    if found is None:
        raise ConstructError(f"coding {coding_id} no longer exists (its construct was deleted)")
    return found


def _undo_coding_add(db, p, reviewer_id, stamp):
    c = _coding(db, p["coding"])
    if c["removed_at"] is not None:
        raise ConstructError(f"coding {c['id']} was removed since by {_who(db, c['removed_by'])} "
                             f"({c['removed_at'][:16].replace('T', ' ')})")
    db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?", [stamp, reviewer_id, c["id"]])
    return {"removed_at": stamp}, {c["study_id"]}, {c["construct_id"]}


def _redo_coding_add(db, p, u, reviewer_id):
    c = _coding(db, p["coding"])
    if c["removed_at"] != u["removed_at"]:
        raise ConstructError(f"coding {c['id']} was restored or changed since")
    same = _live_duplicate(db, c)
    if same:
        raise ConstructError(f"the span is coded again since (coding {same})")
    db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?", [c["id"]])
    return {}, {c["study_id"]}, {c["construct_id"]}


def _describe_coding_add(db, p):
    return (f"coding {p['coding']} {_construct_name(db, p.get('construct'))!r} in study {p.get('study')} "
            f"[{p.get('start')}-{p.get('end')}]")


# coding.remove: undo makes the coding live again; redo marks it removed as the action did

def _undo_coding_remove(db, p, reviewer_id, stamp):
    c = _coding(db, p["coding"])
    if c["removed_at"] is None:
        raise ConstructError(f"coding {c['id']} was restored since")
    if p.get("removed_at") and c["removed_at"] != p["removed_at"]:
        raise ConstructError(f"coding {c['id']} was restored and removed again since")
    same = _live_duplicate(db, c)
    if same:
        raise ConstructError(f"the span is coded again since (coding {same})")
    db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?", [c["id"]])
    return {"removed_at": c["removed_at"], "removed_by": c["removed_by"]}, {c["study_id"]}, {c["construct_id"]}


def _redo_coding_remove(db, p, u, reviewer_id):
    c = _coding(db, p["coding"])
    if c["removed_at"] is not None:
        raise ConstructError(f"coding {c['id']} was removed since by {_who(db, c['removed_by'])}")
    db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?",
               [u["removed_at"], u["removed_by"], c["id"]])
    return {}, {c["study_id"]}, {c["construct_id"]}


def _describe_coding_remove(db, p):
    return f"removal of coding {p['coding']} in study {p.get('study')}"


# construct.create: undo deletes the construct (refused once it is in use); its removed codings,
# if any, move whole into the undo event; redo puts the row (and those codings) back

def _undo_construct_create(db, p, reviewer_id, stamp):
    cid = p["construct"]
    current = rs.row(db, "construct", cid)
    if current is None:
        raise ConstructError(f"construct {cid} no longer exists")
    _refuse(_in_use(db, cid, current["name"]))
    removed, memos = _take_removed_codings(db, [cid], stamp)
    db.execute("DELETE FROM construct WHERE id = ?", [cid])
    return ({"construct": current, "codings": removed, "memos": memos, "at": stamp},
            {c["study_id"] for c in removed}, {cid})


def _redo_construct_create(db, p, u, reviewer_id):
    values = u["construct"]
    _refuse(_check_free(db, values, f"{values['name']!r}") + _codings_free(db, u))
    rs.insert_row(db, "construct", values)
    _put_back_codings(db, u)
    return {}, {c["study_id"] for c in u["codings"]}, {values["id"]}


def _in_use(db, cid: int, name: str, children_ok: set[int] = frozenset(),
            links_ok: set[int] = frozenset()) -> list[str]:
    """What stops taking back the making of a construct: live codings, constructs under it (other
    than ``children_ok``), links (other than ``links_ok``) and live memos on it."""
    problems = []
    live = db.execute("SELECT count(*) FROM coding WHERE construct_id = ? AND removed_at IS NULL", [cid]).fetchone()[0]
    if live:
        problems.append(f"{name!r} has {live} live coding(s) now; delete it or merge it instead")
    children = [n for i, n in db.execute("SELECT id, name FROM construct WHERE parent_id = ? ORDER BY name", [cid])
                if i not in children_ok]
    if children:
        problems.append(f"{', '.join(map(repr, children))} sit(s) under {name!r} now")
    links = [i for (i,) in db.execute("SELECT id FROM construct_link WHERE from_id = ? OR to_id = ?", [cid, cid])
             if i not in links_ok]
    if links:
        problems.append(f"{name!r} has {len(links)} link(s) now")
    memos = db.execute("SELECT count(*) FROM memo WHERE target_kind = 'construct' AND target_id = ? "
                       "AND removed_at IS NULL", [cid]).fetchone()[0]
    if memos:
        problems.append(f"{name!r} has {memos} memo(s) now")
    return problems


def _take_removed_codings(db, construct_ids: list[int], stamp: str) -> tuple[list[dict], list[int]]:
    """Take the (removed) coding rows of constructs about to go out of their table, and mark the
    memos left on them removed: (the coding rows, the memo ids), for a redo to put back."""
    removed: list[dict] = []
    memos: list[int] = []
    for part in _chunks(construct_ids):
        marks = ",".join("?" * len(part))
        removed += rs.rows(db, "coding", f"construct_id IN ({marks})", part)
        memos += [r[0] for r in db.execute(
            "SELECT m.id FROM memo m JOIN coding c ON c.id = m.target_id WHERE m.target_kind = 'coding' "
            f"AND c.construct_id IN ({marks}) AND m.removed_at IS NULL ORDER BY m.id", part)]
        db.execute(f"DELETE FROM coding WHERE construct_id IN ({marks})", part)
    for part in _chunks(memos):
        db.execute(f"UPDATE memo SET removed_at = ? WHERE id IN ({','.join('?' * len(part))})", [stamp, *part])
    return removed, memos


def _codings_free(db, u: dict) -> list[str]:
    """What stops ``_put_back_codings``: coding ids taken since, memos changed since."""
    problems = []
    taken = _column(db, "coding", "id", [c["id"] for c in u["codings"]])
    if taken:
        problems.append(f"coding id(s) {', '.join(map(str, sorted(taken)))} are used by other codings now")
    removed_at = _column(db, "memo", "removed_at", u.get("memos", []))
    changed = [m for m in u.get("memos", []) if removed_at.get(m) != u.get("at")]
    if changed:
        problems.append(f"memo(s) {', '.join(map(str, changed[:5]))} were changed since")
    return problems


def _put_back_codings(db, u: dict) -> None:
    for c in u["codings"]:
        rs.insert_row(db, "coding", c)
    for part in _chunks(u.get("memos", [])):
        db.execute(f"UPDATE memo SET removed_at = NULL WHERE id IN ({','.join('?' * len(part))})", part)


def _describe_construct_create(db, p):
    return f"new construct {p.get('name')!r} ({ORDERS.get(p.get('order'), 'order ?')})"


# rename / move / change_order: undo re-plans the inverse with the same rules

def _simple(column: str, plan: Callable, label: str, what: Callable[[Store, Any], str],
            describe: Callable[[Store, dict], str] | None = None) -> _Handler:
    def swap(db, p, now_key: str, then_key: str):
        """Undo (after -> before) or redo (before -> after), re-planned with the same rules."""
        now_value = rs.construct_row(db, p["construct"])[column]
        if now_value != p[now_key]:
            raise ConstructError(f"it is {what(db, now_value)} now, changed since")
        rs._set(db, p["construct"], column, plan(db, p["construct"], p[then_key])["after"])
        return {}, set(), {p["construct"]}

    def describe_(db, p):
        name = p.get("name") or _construct_name(db, p["construct"])
        return f"{label} {name!r}: {what(db, p['before'])} -> {what(db, p['after'])}"

    return _Handler(lambda db, p, *_: swap(db, p, "after", "before"),
                    lambda db, p, *_: swap(db, p, "before", "after"), describe or describe_)


# edit: undo writes the fields as they were, redo as they were made

def _edit_handler() -> _Handler:
    def swap(db, p, now_state: str, then_state: str):
        current = rs.construct_row(db, p["construct"])
        if any(current[k] != v for k, v in p[now_state].items()):
            raise ConstructError(f"{current['name']!r} was edited since")
        rs.update_row(db, "construct", {"id": p["construct"], **p[then_state]})
        return {}, set(), {p["construct"]}

    def describe(db, p):
        return f"editing {p['name']!r} ({', '.join(k.replace('_', ' ') for k in rs.EDITABLE if k in p['after'])})"

    return _Handler(lambda db, p, *_: swap(db, p, "after", "before"),
                    lambda db, p, *_: swap(db, p, "before", "after"), describe)


def _where(db, parent_id):
    return "top level" if parent_id is None else f"under {_construct_name(db, parent_id)!r}"


# merge: undo puts the source back and everything that moved; redo merges again

def _undo_merge(db, p, reviewer_id, stamp):
    src, target, at = p["source"], p["target"], p["at"]
    sid = src["id"]
    problems = _check_free(db, src, f"{src['name']!r}")
    if rs.row(db, "construct", target) is None:
        problems.append(f"{p['target_name']!r} no longer exists")
    where = _column(db, "coding", "construct_id", p["codings"])
    gone = [c for c in p["codings"] if c not in where]
    if gone:
        problems.append(f"coding(s) {', '.join(map(str, gone[:5]))} no longer exist")
    moved = [c for c, k in where.items() if k != target]
    if moved:
        problems.append(f"coding(s) {', '.join(map(str, sorted(moved)[:5]))} were moved to another construct since")
    removed_at = _column(db, "coding", "removed_at", [c for c, _ in p["collapsed"]])
    restored = [c for c, _ in p["collapsed"] if removed_at.get(c) != at]
    if restored:
        problems.append(f"coding(s) {', '.join(map(str, restored[:5]))} were restored or changed since")
    parents = _column(db, "construct", "parent_id", p["children"])
    strays = [c for c in p["children"] if parents.get(c, -1) != target]
    if strays:
        problems.append(f"{rs._names(db, strays) or strays} no longer sit(s) under {p['target_name']!r}")
    for link_id, old_from, old_to in p["links_moved"]:
        new = (target if old_from == sid else old_from, target if old_to == sid else old_to)
        found = db.execute("SELECT from_id, to_id FROM construct_link WHERE id = ?", [link_id]).fetchone()
        if found is None or tuple(found) != new:
            problems.append(f"link {link_id} was changed or removed since")
    for link in p["links_dropped"]:
        if db.execute("SELECT 1 FROM construct_link WHERE id = ?", [link["id"]]).fetchone():
            problems.append(f"link id {link['id']} is used by another link now")
        other = link["to_id"] if link["from_id"] == sid else link["from_id"]
        if other != sid and rs.row(db, "construct", other) is None:
            problems.append(f"construct {other}, linked to {src['name']!r}, no longer exists")
    targets = _column(db, "memo", "target_id", [m[0] for m in p["memos_moved"]])
    for memo_id, _kind, _old, new in p["memos_moved"]:
        if targets.get(memo_id, -1) != new:
            problems.append(f"memo {memo_id} was moved since")
    for c in p["memos_combined"]:
        into = rs.row(db, "memo", c["into"])
        if into is None or into["text"] != c["into_text_after"] or into["removed_at"] is not None:
            problems.append(f"memo {c['into']} was edited since")
        memo = rs.row(db, "memo", c["memo"])
        if memo is None or memo["removed_at"] != at:
            problems.append(f"memo {c['memo']} was changed since")
    _refuse(problems)

    rs.insert_row(db, "construct", src)
    for part in _chunks(p["codings"]):
        db.execute(f"UPDATE coding SET construct_id = ? WHERE id IN ({','.join('?' * len(part))})", [sid, *part])
    for coding_id, _kept in p["collapsed"]:
        db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?", [coding_id])
    for part in _chunks(p["children"]):
        db.execute(f"UPDATE construct SET parent_id = ? WHERE id IN ({','.join('?' * len(part))})", [sid, *part])
    for link_id, old_from, old_to in p["links_moved"]:
        db.execute("UPDATE construct_link SET from_id = ?, to_id = ? WHERE id = ?", [old_from, old_to, link_id])
    for link in p["links_dropped"]:
        rs.insert_row(db, "construct_link", link)
    for memo_id, _kind, old, _new in p["memos_moved"]:
        db.execute("UPDATE memo SET target_id = ? WHERE id = ?", [old, memo_id])
    for c in reversed(p["memos_combined"]):
        db.execute("UPDATE memo SET text = ?, updated_at = ? WHERE id = ?",
                   [c["into_text_before"], c["into_updated_at_before"], c["into"]])
        db.execute("UPDATE memo SET target_id = ?, removed_at = NULL WHERE id = ?", [c["from"], c["memo"]])
    return {}, _studies_of(db, p["codings"]), {sid, target, *p["children"]}


def _redo_merge(db, p, u, reviewer_id):
    plan = rs._plan_merge(db, p["source"]["id"], p["target"], p.get("allow_order_change", False), at=p["at"])
    rs._apply_merge(db, plan, reviewer_id)
    changed = {plan["source"]["id"], plan["target"], *plan["children"]}
    return {"payload": plan}, _studies_of(db, plan["codings"]), changed


def _describe_merge(db, p):
    return f"merging {p['source']['name']!r} into {p['target_name']!r}"


# delete: undo puts back the construct, its coding rows, links and memos; redo deletes again

def _undo_delete(db, p, reviewer_id, stamp):
    values = p["construct"]
    problems = _check_free(db, values, f"{values['name']!r}")
    taken = _column(db, "coding", "id", [c["id"] for c in p["codings"]])
    if taken:
        problems.append(f"coding id(s) {', '.join(map(str, sorted(taken)[:5]))} are used by other codings now")
    for link in p["links"]:
        if db.execute("SELECT 1 FROM construct_link WHERE id = ?", [link["id"]]).fetchone():
            problems.append(f"link id {link['id']} is used by another link now")
        other = link["to_id"] if link["from_id"] == values["id"] else link["from_id"]
        if rs.row(db, "construct", other) is None:
            problems.append(f"construct {other}, linked to {values['name']!r}, no longer exists")
    removed_at = _column(db, "memo", "removed_at", p["memos"])
    changed = [m for m in p["memos"] if removed_at.get(m) != p["at"]]
    if changed:
        problems.append(f"memo(s) {', '.join(map(str, changed[:5]))} were changed since")
    _refuse(problems)
    rs.insert_row(db, "construct", values)
    for c in p["codings"]:
        rs.insert_row(db, "coding", c)
    for link in p["links"]:
        rs.insert_row(db, "construct_link", link)
    for part in _chunks(p["memos"]):
        db.execute(f"UPDATE memo SET removed_at = NULL WHERE id IN ({','.join('?' * len(part))})", part)
    return {}, {c["study_id"] for c in p["codings"]}, {values["id"]}


def _redo_delete(db, p, u, reviewer_id):
    plan = rs._plan_delete(db, p["construct"]["id"], p.get("remove_codings", False), at=p["at"])
    rs._apply_delete(db, plan, reviewer_id)
    return {"payload": plan}, {c["study_id"] for c in plan["codings"]}, {plan["construct"]["id"]}


def _describe_delete(db, p):
    n = len(p.get("removed", []))
    return f"deleting {p['construct']['name']!r}" + (f" with {n} coding(s)" if n else "")


# link / unlink: one puts the link row back (same id), the other takes it out

def _put_link(db, p, *_):
    values = p["link"]
    if rs.row(db, "construct_link", values["id"]) is not None:
        raise ConstructError(f"link id {values['id']} is used by another link now")
    rs.check_link(db, values["from_id"], values["kind"], values["to_id"])
    rs.insert_row(db, "construct_link", values)
    return {}, set(), {values["from_id"], values["to_id"]}


def _take_link(db, p, *_):
    values = p["link"]
    if rs.row(db, "construct_link", values["id"]) != values:
        raise ConstructError("the link was changed or removed since")
    db.execute("DELETE FROM construct_link WHERE id = ?", [values["id"]])
    return {}, set(), {values["from_id"], values["to_id"]}


def _describe_link(verb: str) -> Callable[[Store, dict], str]:
    def describe(db, p):
        values = p["link"]
        return (f"{verb} {_construct_name(db, values['from_id'])!r} {values['kind']} "
                f"{_construct_name(db, values['to_id'])!r}")
    return describe


# codebook.load: undo takes out what the load added and writes the changed rows as they were;
# redo puts the load's rows back. The event keeps whole rows (``rows``) for this.

def _undo_codebook_load(db, p, reviewer_id, stamp):
    rows = p.get("rows")
    if rows is None:
        raise ConstructError("it was loaded by an earlier version of the workbench, which kept no undo record")
    added = {values["id"]: values for values in rows["added"]}
    link_ids = {link["id"] for link in rows["links"]}
    problems = [f"link {link['id']} was changed or removed since"
                for link in rows["links"] if rs.row(db, "construct_link", link["id"]) != link]
    problems += [f"{pair['after']['name']!r} was changed since"
                 for pair in rows["changed"] if rs.row(db, "construct", pair["after"]["id"]) != pair["after"]]
    for cid, values in added.items():
        if rs.row(db, "construct", cid) != values:
            problems.append(f"{values['name']!r} was changed since")
        else:
            problems += _in_use(db, cid, values["name"], set(added), link_ids)
    _refuse(problems)
    for part in _chunks(sorted(link_ids)):
        db.execute(f"DELETE FROM construct_link WHERE id IN ({','.join('?' * len(part))})", part)
    for pair in rows["changed"]:
        rs.update_row(db, "construct", pair["before"])
    removed, memos = _take_removed_codings(db, list(added), stamp)
    for part in _chunks(list(added)):
        marks = ",".join("?" * len(part))
        db.execute(f"UPDATE construct SET parent_id = NULL WHERE id IN ({marks})", part)
        db.execute(f"DELETE FROM construct WHERE id IN ({marks})", part)
    touched = set(added) | {pair["before"]["id"] for pair in rows["changed"]}
    return {"codings": removed, "memos": memos, "at": stamp}, {c["study_id"] for c in removed}, touched


def _redo_codebook_load(db, p, u, reviewer_id):
    rows = p["rows"]
    problems = []
    for values in rows["added"]:  # parents are checked below, once every row is back
        problems += _check_free(db, {**values, "parent_id": None}, repr(values["name"]))
    problems += [f"{pair['before']['name']!r} was changed since"
                 for pair in rows["changed"] if rs.row(db, "construct", pair["before"]["id"]) != pair["before"]]
    problems += [f"link id {link['id']} is used by another link now"
                 for link in rows["links"] if rs.row(db, "construct_link", link["id"]) is not None]
    _refuse(problems + _codings_free(db, u))
    for values in rows["added"]:
        rs.insert_row(db, "construct", {**values, "parent_id": None})
    for values in rows["added"]:
        if values["parent_id"] is not None:
            db.execute("UPDATE construct SET parent_id = ? WHERE id = ?", [values["parent_id"], values["id"]])
    for pair in rows["changed"]:
        rs.update_row(db, "construct", pair["after"])
    for link in rows["links"]:
        rs.insert_row(db, "construct_link", link)
    _put_back_codings(db, u)
    touched = [values["id"] for values in rows["added"]] + [pair["after"]["id"] for pair in rows["changed"]]
    # constructs outside the load may have changed order since: the parents and links must still fit
    for cid in touched:
        values = rs.construct_row(db, cid)
        if values["parent_id"] is not None:
            parent = rs.construct_row(db, values["parent_id"])
            check_parent(values["construct_order"], parent["construct_order"], values["name"], parent["name"])
    for link in rows["links"]:
        rs.check_link_orders(db, link["from_id"], link["kind"], link["to_id"])
    return {}, {c["study_id"] for c in u["codings"]}, set(touched)


def _describe_codebook_load(db, p):
    return (f"loading the codebook {Path(p['file']).name!r} ({len(p['added'])} added, "
            f"{len(p['changed'])} changed)")


# memo.set: undo writes the state before (a new memo is marked removed); redo the state after

def _memo_state(db, memo_id):
    memo = rs.row(db, "memo", memo_id)
    if memo is None:
        raise ConstructError(f"memo {memo_id} no longer exists")
    return memo, {"text": memo["text"], "updated_at": memo["updated_at"], "removed_at": memo["removed_at"]}


def _write_memo(db, memo, state):
    if state["removed_at"] is None:
        from .memos import MemoError, check_target

        try:
            check_target(db, memo["target_kind"], memo["target_id"])
        except MemoError as exc:
            raise ConstructError(str(exc)) from None
        other = db.execute("SELECT id FROM memo WHERE target_kind = ? AND target_id IS ? AND reviewer_id = ? "
                           "AND removed_at IS NULL AND id != ?",
                           [memo["target_kind"], memo["target_id"], memo["reviewer_id"], memo["id"]]).fetchone()
        if other:
            raise ConstructError(f"there is another memo of the same reviewer there now (memo {other[0]})")
    db.execute("UPDATE memo SET text = ?, updated_at = ?, removed_at = ? WHERE id = ?",
               [state["text"], state["updated_at"], state["removed_at"], memo["id"]])


def _memo_studies(db, memo):
    if memo["target_kind"] == "study":
        return {memo["target_id"]}
    if memo["target_kind"] == "coding":
        return _studies_of(db, [memo["target_id"]])
    return set()


def _undo_memo(db, p, reviewer_id, stamp):
    memo, state = _memo_state(db, p["memo"])
    if state != p["after"]:
        raise ConstructError(f"memo {memo['id']} was changed since")
    back = p["before"] or {**p["after"], "removed_at": stamp}
    _write_memo(db, memo, back)
    return {"state": back}, _memo_studies(db, memo), set()


def _redo_memo(db, p, u, reviewer_id):
    memo, state = _memo_state(db, p["memo"])
    if state != u["state"]:
        raise ConstructError(f"memo {memo['id']} was changed since")
    _write_memo(db, memo, p["after"])
    return {}, _memo_studies(db, memo), set()


def _describe_memo(db, p):
    from .memos import describe_target

    verb = "new memo" if p["before"] is None else ("removing memo" if p["after"]["removed_at"] else "editing memo")
    return f"{verb} {p['memo']} on {describe_target(db, p['target_kind'], p['target_id'])}"


HANDLERS: dict[str, _Handler] = {
    "coding.add": _Handler(_undo_coding_add, _redo_coding_add, _describe_coding_add),
    "coding.remove": _Handler(_undo_coding_remove, _redo_coding_remove, _describe_coding_remove),
    "construct.create": _Handler(_undo_construct_create, _redo_construct_create, _describe_construct_create),
    "construct.rename": _simple("name", rs._plan_rename, "renaming", lambda db, v: repr(v),
                                lambda db, p: f"renaming {p['before']!r} to {p['after']!r}"),
    "construct.edit": _edit_handler(),
    "construct.move": _simple("parent_id", rs._plan_move, "moving", _where),
    "construct.change_order": _simple("construct_order", rs._plan_order, "order of",
                                      lambda db, v: ORDERS.get(v, str(v))),
    "construct.merge": _Handler(_undo_merge, _redo_merge, _describe_merge),
    "construct.delete": _Handler(_undo_delete, _redo_delete, _describe_delete),
    "codebook.load": _Handler(_undo_codebook_load, _redo_codebook_load, _describe_codebook_load),
    "construct.link": _Handler(_take_link, _put_link, _describe_link("linking")),
    "construct.unlink": _Handler(_put_link, _take_link, _describe_link("unlinking")),
    "memo.set": _Handler(_undo_memo, _redo_memo, _describe_memo),
}

UNDOABLE = tuple(HANDLERS)  # the actions on a reviewer's undo stack
