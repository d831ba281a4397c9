"""Builders and a normalised dump shared by the restructure, memo, undo and search tests."""
from __future__ import annotations

from workbench.store import codings, constructs
from workbench.store.db import Store, now
from workbench.store.studies import get_text

TABLES = ("construct", "coding", "construct_link", "memo")


def state(db: Store) -> dict[str, list[tuple]]:
    """Every row of the construct, coding, construct_link and memo tables, by id."""
    return {t: db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def live(db: Store) -> dict[str, list[tuple]]:
    """Live rows only (constructs, live codings, links, live memos): what a reviewer sees."""
    return {"construct": db.execute("SELECT * FROM construct ORDER BY id").fetchall(),
            "coding": db.execute("SELECT * FROM coding WHERE removed_at IS NULL ORDER BY id").fetchall(),
            "construct_link": db.execute("SELECT * FROM construct_link ORDER BY id").fetchall(),
            "memo": db.execute("SELECT id, target_kind, target_id, reviewer_id, text FROM memo "
                               "WHERE removed_at IS NULL ORDER BY id").fetchall()}


def link(db: Store, from_id: int, to_id: int, kind: str, reviewer_id: int | None = None) -> int:
    with db.atomic():
        return db.execute("INSERT INTO construct_link (from_id, to_id, kind, created_by, created_at) "
                          "VALUES (?,?,?,?,?)", [from_id, to_id, kind, reviewer_id, now()]).lastrowid


def code(db: Store, study_id: int, construct_id: int, reviewer_id: int, phrase: str, nth: int = 0):
    """Code the ``nth`` occurrence of ``phrase`` in the study's text."""
    text, _ = get_text(db, study_id)
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return codings.add(db, study_id, construct_id, reviewer_id, start, start + len(phrase))


def construct(db: Store, name: str, order: int, reviewer_id: int, parent: str | None = None):
    return constructs.create(db, name, order, reviewer_id, parent=parent)
