"""Deleting a construct: refused while constructs sit under it or, unless asked, while it has live
codings. One transaction and one ``construct.delete`` event whose payload (``Deleted``) keeps the
construct row and its coding rows whole, so undo restores them with the same ids and guids."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from ...core.constructs import ConstructError
from .. import events, undo
from ..constructs import Construct, construct_row, from_row, names
from ..db import Store, chunks, column, insert_row, marks, now, row, rows
from ..ownership import check as check_others, others_since
from ..restore import check_free, moved_texts, refuse
from ..translation import check_unjudged


class Deleted(TypedDict):
    """Payload of ``construct.delete`` (and the plan ``preview_delete`` reports)."""

    construct: dict[str, Any]              # the whole row, as it was
    at: str
    remove_codings: bool
    codings: list[dict[str, Any]]          # every coding row of it, whole
    removed: list[int]                     # live codings it marked removed
    links: list[dict[str, Any]]            # whole link rows
    memos: list[int]                       # live memos marked removed


@dataclass(frozen=True)
class DeleteReport:
    """What a delete did (or, from ``preview_delete``, would do)."""

    construct: Construct                   # as it was
    codings_removed: list[int]             # live codings marked removed (only with remove_codings)
    codings_kept: list[int]                # every coding row of it, now kept in the event payload
    links_removed: list[tuple[int, int, str]]
    memos_removed: list[int]               # live memos on it and on its codings, marked removed
    event_id: int | None = None
    others: dict[str, int] = field(default_factory=dict)  # other reviewers' live codings: {name: count}


def delete(db: Store, construct_id: int, reviewer_id: int | None, remove_codings: bool = False, *,
           lead: bool = False, touching_others: bool = False) -> DeleteReport:
    """Delete the construct, in one transaction and one event.

    Refuses while constructs sit under it, and while it has live codings unless
    ``remove_codings`` (then they are marked removed). While other reviewers than ``reviewer_id``
    have live codings with it, refuses (``OwnershipError``, naming them) unless ``lead`` and
    ``touching_others``. Its links are deleted, and live memos on it and on its codings are marked
    removed. The construct row and its coding rows (all removed by then) are deleted from their
    tables and kept whole in the event's payload, so undo restores them with the same ids and guids.
    """
    with db.atomic():
        others = _check_others(db, construct_id, reviewer_id, lead, touching_others)
        payload = _plan_delete(db, construct_id, remove_codings)
        _apply_delete(db, payload, reviewer_id)
        event_id = events.record(db, "construct.delete", reviewer_id, payload)
    return _delete_report(payload, event_id, others)


def preview_delete(db: Store, construct_id: int, remove_codings: bool = False, reviewer_id: int | None = None, *,
                   lead: bool = False, touching_others: bool = False) -> DeleteReport:
    """What ``delete`` would do, without writing anything (raises the same refusals); its
    ``others`` name the other reviewers' codings it would remove."""
    with db.snapshot():
        others = _check_others(db, construct_id, reviewer_id, lead, touching_others)
        return _delete_report(_plan_delete(db, construct_id, remove_codings), None, others)


def _check_others(db: Store, construct_id: int, reviewer_id: int | None, lead: bool,
                  touching_others: bool) -> dict[str, int]:
    return check_others(db, [construct_id], reviewer_id, repr(construct_row(db, construct_id)["name"]),
                        "deleting", lead, touching_others)


# --- the plan (checks, no writes) and its application -----------------------------------------------

def _plan_delete(db: Store, construct_id: int, remove_codings: bool = False, at: str | None = None) -> Deleted:
    current = construct_row(db, construct_id)
    children = [r[0] for r in db.execute("SELECT id FROM construct WHERE parent_id = ? ORDER BY name", [construct_id])]
    if children:
        raise ConstructError(f"{current['name']!r} has {len(children)} construct(s) under it ({names(db, children)}); "
                             "move or delete them first")
    check_unjudged(db, construct_id, "delete")
    codings = rows(db, "coding", "construct_id = ?", [construct_id])
    live = [c for c in codings if c["removed_at"] is None]
    if live and not remove_codings:
        per = {}
        for c in live:
            per[c["reviewer_id"]] = per.get(c["reviewer_id"], 0) + 1
        who = dict(db.execute("SELECT id, name FROM reviewer"))
        detail = ", ".join(f"{who.get(r, r)} {n}" for r, n in sorted(per.items(), key=lambda i: str(who.get(i[0]))))
        raise ConstructError(f"{current['name']!r} has {len(live)} live coding(s) ({detail}); merge it into another "
                             "construct to keep them, or remove them with it (--remove-codings)")
    links = rows(db, "construct_link", "from_id = ? OR to_id = ?", [construct_id, construct_id])
    coding_ids = [c["id"] for c in codings]
    memos = [r[0] for r in db.execute(
        "SELECT id FROM memo WHERE removed_at IS NULL AND target_kind = 'construct' AND target_id = ? ORDER BY id",
        [construct_id])]
    for chunk in range(0, len(coding_ids), 500):
        part = coding_ids[chunk:chunk + 500]
        memos += [r[0] for r in db.execute(
            f"SELECT id FROM memo WHERE removed_at IS NULL AND target_kind = 'coding' AND target_id IN ({marks(part)}) "
            "ORDER BY id", part)]
    return {"construct": current, "at": at or now(), "remove_codings": remove_codings, "codings": codings,
            "removed": [c["id"] for c in live], "links": links, "memos": memos}


def _apply_delete(db: Store, p: Deleted, reviewer_id: int | None) -> None:
    construct_id = p["construct"]["id"]
    for memo_id in p["memos"]:
        db.execute("UPDATE memo SET removed_at = ? WHERE id = ?", [p["at"], memo_id])
    db.execute("DELETE FROM construct_link WHERE from_id = ? OR to_id = ?", [construct_id, construct_id])
    db.execute("DELETE FROM coding WHERE construct_id = ?", [construct_id])
    db.execute("DELETE FROM construct WHERE id = ?", [construct_id])


def _delete_report(p: Deleted, event_id: int | None, others: dict[str, int]) -> DeleteReport:
    return DeleteReport(construct=from_row(p["construct"]), codings_removed=list(p["removed"]),
                        codings_kept=[c["id"] for c in p["codings"]],
                        links_removed=[(l["from_id"], l["to_id"], l["kind"]) for l in p["links"]],
                        memos_removed=list(p["memos"]), event_id=event_id, others=others)


# --- undo puts back the construct, its coding rows, links and memos; redo deletes again (re-planned) --

def _undo_delete(db: Store, p: Deleted, reviewer_id: int, stamp: str) -> undo.Change:
    values = p["construct"]
    problems = check_free(db, values, f"{values['name']!r}")
    taken = column(db, "coding", "id", [c["id"] for c in p["codings"]])
    if taken:
        problems.append(f"{len(taken)} of its codings' places in the database are taken by other codings now")
    for link in p["links"]:
        if db.execute("SELECT 1 FROM construct_link WHERE id = ?", [link["id"]]).fetchone():
            problems.append("one of its links' places in the database is taken by another link now")
        other = link["to_id"] if link["from_id"] == values["id"] else link["from_id"]
        if row(db, "construct", other) is None:
            problems.append(f"a construct linked to {values['name']!r} no longer exists")
    removed_at = column(db, "memo", "removed_at", p["memos"])
    changed = [m for m in p["memos"] if removed_at.get(m) != p["at"]]
    if changed:
        problems.append(f"{len(changed)} of the memos removed with it were changed since")
    problems += moved_texts(db, p["codings"])
    refuse(problems)
    insert_row(db, "construct", values)
    for c in p["codings"]:
        insert_row(db, "coding", c)
    for link in p["links"]:
        insert_row(db, "construct_link", link)
    for part in chunks(p["memos"]):
        db.execute(f"UPDATE memo SET removed_at = NULL WHERE id IN ({','.join('?' * len(part))})", part)
    return undo.Change({}, {c["study_id"] for c in p["codings"]}, {values["id"]})


def _redo_delete(db: Store, p: Deleted, u: dict, reviewer_id: int) -> undo.Change:
    since = others_since(db, [p["construct"]["id"]], reviewer_id, [c["id"] for c in p["codings"]])
    if since:
        raise undo.Conflict(f"{since} coded with {p['construct']['name']!r} since")
    plan = _plan_delete(db, p["construct"]["id"], p.get("remove_codings", False), at=p["at"])
    _apply_delete(db, plan, reviewer_id)
    return undo.Change({"payload": plan}, {c["study_id"] for c in plan["codings"]}, {plan["construct"]["id"]})


def _describe_delete(db: Store, p: Deleted) -> str:
    n = len(p.get("removed", []))
    return f"deleting {p['construct']['name']!r}" + (f" with {n} coding(s)" if n else "")


undo.register("construct.delete", _undo_delete, _redo_delete, _describe_delete)
