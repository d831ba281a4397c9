"""Undo and redo, per reviewer, driven by the append-only event log.

The log is the undo stack, so undo works after a restart. An action is undoable when the module
that performs it registers its handlers here with ``register`` (next to the operation itself:
``codings`` registers ``coding.add``, ``restructure.merge`` registers ``construct.merge``, ...).
``handlers()`` imports once every store module that registers, so each registration is found.

Undoing an action writes an ``undo`` event ``{"event": id, "action": ..., ...}`` and redoing it a
``redo`` event; the extra keys (``Change.record``) hold what the inverse needs (e.g. the rows an
undo took out, the timestamp it wrote), so redo puts back exactly the state after the action.

- ``undo`` takes the reviewer's newest action that is not currently undone.
- ``redo`` takes the action of the reviewer's newest pending ``undo``, and only if the reviewer has
  done nothing new since (a new action clears what could be redone, as in an editor).
- Before changing anything a handler checks that the state is still the one the action (or the
  undo) left; if someone has changed it since, it raises a WorkbenchError (usually ``Conflict``)
  saying what changed, and ``undo``/``redo`` refuse with UndoError and write nothing.

Each undo or redo is one transaction: the inverse change and its event.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterator, TypeVar

from ..core.errors import WorkbenchError
from . import events
from .db import Store, now

P = TypeVar("P")  # an action's payload, a TypedDict declared beside the action


class UndoError(WorkbenchError, ValueError):
    """Undo or redo was refused; the message says what changed since."""


class Conflict(WorkbenchError):
    """Raised by a handler: the state has moved on since the action, so inverting it would clobber
    later work. The message says what changed."""


@dataclass(frozen=True)
class Change:
    """What an undo or redo handler did: keys to keep in its event, and what to repaint."""

    record: dict[str, Any] = field(default_factory=dict)
    studies: frozenset[int] | set[int] = frozenset()
    constructs: frozenset[int] | set[int] = frozenset()


@dataclass(frozen=True)
class Undoable(Generic[P]):
    """The handlers of one undoable action.

    ``undo(db, payload, reviewer_id, stamp)`` inverts the action; ``redo(db, payload, undo_record,
    reviewer_id)`` re-applies it, given the ``record`` its undo kept; ``describe(db, payload)`` is
    the phrase history and messages show ("renaming 'A' to 'B'").
    """

    action: str
    undo: Callable[[Store, P, int, str], Change]
    redo: Callable[[Store, P, dict, int], Change]
    describe: Callable[[Store, P], str]


_HANDLERS: dict[str, Undoable] = {}
_loaded = False


def register(action: str, undo: Callable[[Store, Any, int, str], Change],
             redo: Callable[[Store, Any, dict, int], Change], describe: Callable[[Store, Any], str]) -> None:
    """Make ``action`` (an event name) undoable with these handlers; called once, at import, by the
    module that writes the action's events."""
    if action in _HANDLERS:
        raise RuntimeError(f"undo handlers for {action!r} registered twice")
    _HANDLERS[action] = Undoable(action, undo, redo, describe)


def handlers() -> dict[str, Undoable]:
    """Every registered action's handlers, after importing once each store module whose source
    calls ``undo.register`` (found by reading the files, so modules that register nothing, such as
    the schema with its sqlite-utils, are not imported)."""
    global _loaded
    if not _loaded:
        import importlib
        from pathlib import Path

        package = Path(__file__).parent
        for path in sorted(package.rglob("*.py")):
            if "undo.register(" in path.read_text(encoding="utf-8"):
                parts = path.relative_to(package).with_suffix("").parts
                parts = parts[:-1] if parts[-1] == "__init__" else parts
                importlib.import_module(".".join((__package__, *parts)))
        _loaded = True
    return _HANDLERS


def undoable() -> tuple[str, ...]:
    """The actions on a reviewer's undo stack, sorted."""
    return tuple(sorted(handlers()))


@dataclass(frozen=True)
class UndoResult:
    event_id: int                    # the 'undo' or 'redo' event written
    action_event_id: int             # the event of the action undone or redone
    action: str                      # e.g. 'coding.add'
    description: str                 # e.g. "your coding “went home” (Heist 2018) as 'Pivotal experiences'"
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


def _scan(db: Store, reviewer_id: int) -> Iterator[tuple[int, str, str, dict]]:
    """The reviewer's undoable actions and undo/redo events, newest first."""
    kinds = undoable() + ("undo", "redo")
    cursor = db.execute(
        f"SELECT id, at, action, payload FROM event WHERE reviewer_id = ? AND action IN ({','.join('?' * len(kinds))}) "
        "ORDER BY id DESC", [reviewer_id, *kinds])
    for eid, at, action, payload in cursor:
        yield eid, at, action, json.loads(payload)


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
            handler = handlers()[action]
            try:
                change = handler.undo(db, effective, reviewer_id, now())
            except WorkbenchError as exc:
                raise UndoError(f"cannot undo {handler.describe(db, effective)}: {exc}") from None
            undo_id = events.record(db, "undo", reviewer_id, {"event": eid, "action": action, **change.record})
            return UndoResult(undo_id, eid, action, handler.describe(db, effective), False,
                              tuple(sorted(change.studies)), tuple(sorted(change.constructs)))
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
            handler = handlers()[original_action]
            try:
                change = handler.redo(db, original, payload, reviewer_id)
            except WorkbenchError as exc:
                raise UndoError(f"cannot redo {handler.describe(db, original)}: {exc}") from None
            redo_id = events.record(db, "redo", reviewer_id,
                                    {"event": target, "action": original_action, **change.record})
            return UndoResult(redo_id, target, original_action, handler.describe(db, original), True,
                              tuple(sorted(change.studies)), tuple(sorted(change.constructs)))
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
        found.append(HistoryEntry(eid, at, action, handlers()[action].describe(db, payload),
                                  latest.get(eid) == "undo"))
        if len(found) >= limit:
            break
    return found


def _event(db: Store, event_id: int) -> tuple[str, dict]:
    action, payload = db.execute("SELECT action, payload FROM event WHERE id = ?", [event_id]).fetchone()
    return action, json.loads(payload)
