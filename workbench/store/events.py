"""The append-only event log: who did what, when. Every change a reviewer makes writes one event
in the same transaction as the change itself."""
from __future__ import annotations

import json
from typing import Any

from .db import Store, chunks, marks, now


def record(db: Store, action: str, reviewer_id: int | None, payload: dict[str, Any]) -> int:
    """Append an event and return its id. Call inside the transaction of the change it describes."""
    cursor = db.execute(
        "INSERT INTO event (at, reviewer_id, action, payload) VALUES (?, ?, ?, ?)",
        [now(), reviewer_id, action, json.dumps(payload, ensure_ascii=False, sort_keys=True)],
    )
    return cursor.lastrowid


def recent(db: Store, limit: int = 50) -> list[dict[str, Any]]:
    """The newest ``limit`` events, newest first, with their payload decoded."""
    rows = db.query(
        "SELECT e.id, e.at, r.name AS reviewer, e.action, e.payload FROM event e "
        "LEFT JOIN reviewer r ON r.id = e.reviewer_id ORDER BY e.id DESC LIMIT ?",
        [limit],
    )
    return [{**row, "payload": json.loads(row["payload"])} for row in rows]


def last_id(db: Store) -> int:
    """The id of the newest event (0 when there is none)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM event").fetchone()[0]


def since(db: Store, after_id: int, limit: int = 1000) -> list[tuple[int, str, dict[str, Any]]]:
    """``(id, action, payload)`` of the events after ``after_id``, oldest first, at most ``limit``."""
    cursor = db.execute("SELECT id, action, payload FROM event WHERE id > ? ORDER BY id LIMIT ?",
                        [after_id, limit])
    return [(eid, action, json.loads(payload)) for eid, action, payload in cursor]


def payloads(db: Store, ids: list[int]) -> dict[int, tuple[str, dict[str, Any]]]:
    """``{id: (action, payload)}`` of those events (the actions an undo or redo names)."""
    found: dict[int, tuple[str, dict[str, Any]]] = {}
    for part in chunks(ids):
        cursor = db.execute(f"SELECT id, action, payload FROM event WHERE id IN ({marks(part)})", part)
        found.update((eid, (action, json.loads(payload))) for eid, action, payload in cursor)
    return found
