"""Pinned constructs: each reviewer's number keys 1-9, each bound to a construct they chose.

A pin stays until the reviewer changes it (or the construct is deleted or merged away), so the
same key codes with the same construct across codings and restarts. A construct has at most one
number per reviewer: pinning it to another number moves it there. Pins are a reviewer's setting,
not their work, so changing one writes no event and is not undone with ``undo``.
"""
from __future__ import annotations

from ..core.constructs import ORDERS
from ..core.errors import WorkbenchError
from .constructs import Construct, get
from .db import Store, now

SLOTS = range(1, 10)


class PinError(WorkbenchError, ValueError):
    """A pin was refused; the message says why."""


def check_slot(slot: int) -> int:
    """``slot`` if it is a pin number (1 to 9); PinError otherwise."""
    if not isinstance(slot, int) or slot not in SLOTS:
        raise PinError(f"pin numbers are 1 to 9, not {slot!r}")
    return slot


def pins(db: Store, reviewer_id: int) -> dict[int, int]:
    """The reviewer's pins, ``{number: construct id}``, by number."""
    return dict(db.execute("SELECT slot, construct_id FROM pin WHERE reviewer_id = ? ORDER BY slot",
                           [reviewer_id]).fetchall())


def pinned(db: Store, reviewer_id: int) -> list[tuple[int, Construct]]:
    """``(number, construct)`` of each of the reviewer's pins, by number."""
    return [(slot, get(db, construct_id)) for slot, construct_id in pins(db, reviewer_id).items()]


def pin(db: Store, reviewer_id: int, construct_id: int, slot: int | None = None) -> int:
    """Pin the construct to number ``slot`` for the reviewer (None: the lowest free number) and
    return the number. The construct leaves any other number it had; a construct pinned to
    ``slot`` before is unpinned. PinError when every number is taken and none is given."""
    if slot is not None:
        check_slot(slot)
    with db.atomic():
        construct = get(db, construct_id)  # ConstructError if it is gone
        current = pins(db, reviewer_id)
        if slot is None:
            mine = [n for n, c in current.items() if c == construct_id]
            if mine:
                return mine[0]
            free = [n for n in SLOTS if n not in current]
            if not free:
                raise PinError(f"every number 1-9 is pinned already, so “{construct.name}” was not pinned: "
                               "unpin one first")
            slot = free[0]
        db.execute("DELETE FROM pin WHERE reviewer_id = ? AND (slot = ? OR construct_id = ?)",
                   [reviewer_id, slot, construct_id])
        db.execute("INSERT INTO pin (reviewer_id, slot, construct_id, pinned_at) VALUES (?, ?, ?, ?)",
                   [reviewer_id, slot, construct_id, now()])
    return slot


def unpin(db: Store, reviewer_id: int, slot: int) -> int | None:
    """Clear the reviewer's number ``slot``; the construct that was pinned there (None: none was)."""
    check_slot(slot)
    with db.atomic():
        found = db.execute("SELECT construct_id FROM pin WHERE reviewer_id = ? AND slot = ?",
                           [reviewer_id, slot]).fetchone()
        db.execute("DELETE FROM pin WHERE reviewer_id = ? AND slot = ?", [reviewer_id, slot])
    return found[0] if found else None


def unpin_construct(db: Store, reviewer_id: int, construct_id: int) -> int | None:
    """Clear the reviewer's pin of the construct; the number it had (None: it had none)."""
    with db.atomic():
        found = db.execute("SELECT slot FROM pin WHERE reviewer_id = ? AND construct_id = ?",
                           [reviewer_id, construct_id]).fetchone()
        db.execute("DELETE FROM pin WHERE reviewer_id = ? AND construct_id = ?", [reviewer_id, construct_id])
    return found[0] if found else None


def describe(slot: int, construct: Construct) -> str:
    """``3  second-order  Pivotal experiences``: one pin as the CLI lists it."""
    return f"{slot}  {ORDERS[construct.order]:<12}  {construct.name}"
