"""Checks and moves that undo handlers share: can a row be put back, what is in the way.

Each check returns the problems it finds as phrases ("its id 7 is now used by 'Family'"); a
handler collects them and calls ``refuse``, so a refusal names everything in the way at once.
"""
from __future__ import annotations

from typing import Any

from ..core.constructs import ConstructError, check_parent
from .db import Store, chunks, column, insert_row, marks, rows
from .undo import Conflict
from .words import study_name


def refuse(problems: list[str]) -> None:
    """Raise Conflict naming the first three problems (and how many more), if there are any."""
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise Conflict("; ".join(problems[:3]) + more)


def who(db: Store, reviewer_id: int | None) -> str:
    """The reviewer's name, or "someone"."""
    row = db.execute("SELECT name FROM reviewer WHERE id = ?", [reviewer_id]).fetchone()
    return row[0] if row else "someone"


def construct_name(db: Store, construct_id: int | None) -> str:
    """The construct's name, or "a construct deleted since" once it is gone."""
    row = db.execute("SELECT name FROM construct WHERE id = ?", [construct_id]).fetchone()
    return row[0] if row else "a construct deleted since"


def studies_of(db: Store, coding_ids: list[int]) -> set[int]:
    """The studies of these codings (those that exist)."""
    return set(column(db, "coding", "study_id", coding_ids).values())


def live_duplicate(db: Store, coding: dict[str, Any]) -> int | None:
    """A live coding other than ``coding`` with its study, construct, reviewer and span, if any."""
    row = db.execute(
        "SELECT id FROM coding WHERE study_id = ? AND construct_id = ? AND reviewer_id = ? AND span_start = ? "
        "AND span_end = ? AND removed_at IS NULL AND id != ?",
        [coding["study_id"], coding["construct_id"], coding["reviewer_id"], coding["span_start"],
         coding["span_end"], coding["id"]]).fetchone()
    return row[0] if row else None


def check_free(db: Store, values: dict[str, Any], what: str) -> list[str]:
    """Problems that stop a construct row from being put back: its id, guid or name taken, its
    parent gone or of a lower order."""
    problems = []
    taken = db.execute("SELECT name FROM construct WHERE id = ?", [values["id"]]).fetchone()
    if taken:
        problems.append(f"{taken[0]!r} has taken its place in the database")
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
            problems.append("its parent no longer exists")
        else:
            try:
                check_parent(values["construct_order"], parent[1], values["name"], parent[0])
            except ConstructError as exc:
                problems.append(str(exc))
    return problems


def in_use(db: Store, cid: int, name: str, children_ok: set[int] | frozenset[int] = frozenset(),
           links_ok: set[int] | frozenset[int] = frozenset()) -> list[str]:
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
    judged = db.execute("SELECT count(*) FROM translation WHERE concept_id = ?", [cid]).fetchone()[0]
    related = db.execute("SELECT count(*) FROM synthesis_relation WHERE from_id = ? OR to_id = ?", [cid, cid]).fetchone()[0]
    if judged or related:
        problems.append(f"{name!r} has {judged} translation judgement(s) and {related} synthesis relation(s) now")
    return problems


def take_removed_codings(db: Store, construct_ids: list[int], stamp: str) -> tuple[list[dict], list[int]]:
    """Take the (removed) coding rows of constructs about to go out of their table, and mark the
    memos left on them removed: (the coding rows, the memo ids), for a redo to put back."""
    removed: list[dict] = []
    memos: list[int] = []
    for part in chunks(construct_ids):
        removed += rows(db, "coding", f"construct_id IN ({marks(part)})", part)
        memos += [r[0] for r in db.execute(
            "SELECT m.id FROM memo m JOIN coding c ON c.id = m.target_id WHERE m.target_kind = 'coding' "
            f"AND c.construct_id IN ({marks(part)}) AND m.removed_at IS NULL ORDER BY m.id", part)]
        db.execute(f"DELETE FROM coding WHERE construct_id IN ({marks(part)})", part)
    for part in chunks(memos):
        db.execute(f"UPDATE memo SET removed_at = ? WHERE id IN ({marks(part)})", [stamp, *part])
    return removed, memos


def codings_free(db: Store, record: dict[str, Any]) -> list[str]:
    """What stops ``put_back_codings``: coding ids taken since, memos changed since."""
    problems = []
    taken = column(db, "coding", "id", [c["id"] for c in record["codings"]])
    if taken:
        problems.append(f"coding id(s) {', '.join(map(str, sorted(taken)))} are used by other codings now")
    removed_at = column(db, "memo", "removed_at", record.get("memos", []))
    changed = [m for m in record.get("memos", []) if removed_at.get(m) != record.get("at")]
    if changed:
        problems.append(f"memo(s) {', '.join(map(str, changed[:5]))} were changed since")
    problems += moved_texts(db, record["codings"])
    return problems


def moved_texts(db: Store, codings: list[dict[str, Any]]) -> list[str]:
    """Studies whose text was replaced (``store.reanchor``) since these coding rows were taken out:
    their quotes are no longer at their offsets, so putting them back would code the wrong words."""
    problems = []
    for study_id in sorted({c["study_id"] for c in codings}):
        found = db.execute("SELECT text, sha256 FROM document WHERE study_id = ?", [study_id]).fetchone()
        if found is None:
            continue
        text, digest = found
        if any(c["text_sha256"] != digest and text[c["span_start"]:c["span_end"]] != c["exact"]
               for c in codings if c["study_id"] == study_id):
            problems.append(f"the text of {study_name(db, study_id)} was replaced since")
    return problems


def put_back_codings(db: Store, record: dict[str, Any]) -> None:
    """Put back the coding rows and memos ``take_removed_codings`` took."""
    for c in record["codings"]:
        insert_row(db, "coding", c)
    for part in chunks(record.get("memos", [])):
        db.execute(f"UPDATE memo SET removed_at = NULL WHERE id IN ({marks(part)})", part)
