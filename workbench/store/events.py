"""The append-only event log: who did what, when. Every change a reviewer makes writes one event
in the same transaction as the change itself."""
from __future__ import annotations

import json
from typing import Any

from .db import Store, now


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
