"""Merging one construct into another: every coding (ids kept), link, memo and child of the source
moves to the target, and the source is retired. One transaction and one ``construct.merge`` event
whose payload (``Merged``) keeps everything undo needs to put the source back."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, TypedDict

from ...core.constructs import LINK_KINDS, ORDERS, ConstructError
from .. import events, undo
from ..constructs import Construct, construct_row, descendants, from_row, get, names
from ..db import Store, chunks, column, insert_row, marks, now, row, rows
from ..ownership import check as check_others, others_since
from ..restore import check_free, refuse, studies_of


class Merged(TypedDict):
    """Payload of ``construct.merge`` (and the plan ``preview_merge`` reports)."""

    source: dict[str, Any]                 # the source's whole row, as it was
    target: int
    target_name: str
    at: str
    allow_order_change: bool
    codings: list[int]                     # every coding row of the source, live and removed
    collapsed: list[list[int]]             # [source coding marked removed, identical target coding kept]
    children: list[int]
    links_moved: list[list[int]]           # [link id, old from, old to]
    links_dropped: list[dict[str, Any]]    # whole link rows
    memos_moved: list[list[Any]]           # [memo id, kind, old target, new target]
    memos_combined: list[dict[str, Any]]


@dataclass(frozen=True)
class MergeReport:
    """What a merge did (or, from ``preview_merge``, would do)."""

    source: Construct                      # as it was; its row is gone after the merge
    target: Construct
    codings_moved: list[int]               # every coding row of the source (live and removed), ids kept
    live_by_reviewer: dict[int, int]       # reviewer id -> live codings moved
    collapsed: list[tuple[int, int]]       # (source coding marked removed, identical target coding kept)
    children_moved: list[int]              # constructs that were under the source, now under the target
    links_moved: list[int]                 # link ids re-pointed from the source to the target
    links_dropped: list[tuple[int, int, str]]  # (from, to, kind) that the target already had, or source<->target
    memos_moved: list[int]                 # memo ids re-targeted (on the source construct, on collapsed codings)
    memos_combined: list[tuple[int, int]]  # (memo, memo of the same reviewer it was appended to)
    event_id: int | None = None            # None for a preview
    others: dict[str, int] = field(default_factory=dict)  # other reviewers' live codings it moves: {name: n}


def merge(db: Store, source_id: int, target_id: int, reviewer_id: int | None,
          allow_order_change: bool = False, *, lead: bool = False, touching_others: bool = False) -> MergeReport:
    """Merge the source construct into the target, in one transaction and one event.

    Every coding row of the source (all reviewers, live and removed) moves to the target keeping
    its id; a live source coding identical to a live target coding (same study, reviewer and span)
    is marked removed instead of duplicating it, and its memos move to the kept coding. The
    source's links are re-pointed to the target (a link the target already has, or one between
    source and target, is dropped and kept in the payload), its memos move to the target (a
    reviewer's memo is appended to that reviewer's memo on the target if there is one), its
    children move under the target, and the source is retired (its row is deleted; the payload
    keeps it). Refuses merging a construct into itself or into one of its descendants, and into a
    construct of another order unless ``allow_order_change``. While reviewers other than
    ``reviewer_id`` have live codings with the source or a construct under it (their codings would
    move, or their construct change its parent), refuses (``OwnershipError``, naming them) unless
    ``lead`` and ``touching_others``.
    """
    # The plan is read in a read transaction, so other reviewers' processes go on coding meanwhile;
    # under the write lock a cheap look at what the plan read (constructs, the two constructs'
    # links and memos, counts and id sums of their codings) decides whether it still holds, and only
    # if something changed is it planned again there. The write itself is a few set-based statements.
    with db.snapshot():
        payload = _plan_merge(db, source_id, target_id, allow_order_change)
        seen = _inputs(db, source_id, target_id)
    with db.atomic():
        if _inputs(db, source_id, target_id) != seen:
            payload = _plan_merge(db, source_id, target_id, allow_order_change)
        others = _check_others(db, payload, reviewer_id, lead, touching_others)
        _apply_merge(db, payload, reviewer_id)
        event_id = events.record(db, "construct.merge", reviewer_id, payload)
    return _merge_report(db, payload, event_id, others)


def preview_merge(db: Store, source_id: int, target_id: int, allow_order_change: bool = False,
                  reviewer_id: int | None = None, *, lead: bool = False, touching_others: bool = False) -> MergeReport:
    """What ``merge`` would do, without writing anything (raises the same refusals); its
    ``others`` name the other reviewers' codings it would move."""
    with db.snapshot():
        payload = _plan_merge(db, source_id, target_id, allow_order_change)
        others = _check_others(db, payload, reviewer_id, lead, touching_others)
        return _merge_report(db, payload, None, others)


def _check_others(db: Store, p: Merged, reviewer_id: int | None, lead: bool, touching_others: bool) -> dict[str, int]:
    name = repr(p["source"]["name"])
    subject = f"{name} and the constructs under it" if p["children"] else name
    return check_others(db, [p["source"]["id"], *p["children"]], reviewer_id, subject,
                        "merging", lead, touching_others)


def _inputs(db: Store, source_id: int, target_id: int) -> tuple:
    """What a merge plan of source into target depends on, cheaply: every construct row (names,
    orders, parents), the links and memos of the two constructs and of their codings, and per
    construct the count, greatest id and id sums of its codings, all and live (spans, studies and
    reviewers of a coding never change; a coding added, removed, restored or moved changes these)."""
    pair = [source_id, target_id]
    return (
        db.execute("SELECT * FROM construct ORDER BY id").fetchall(),
        db.execute("SELECT * FROM construct_link WHERE from_id IN (?, ?) OR to_id IN (?, ?) ORDER BY id",
                   pair + pair).fetchall(),
        db.execute("SELECT * FROM memo m WHERE (m.target_kind = 'construct' AND m.target_id IN (?, ?)) "
                   "OR (m.target_kind = 'coding' AND (SELECT c.construct_id FROM coding c WHERE c.id = m.target_id) "
                   "IN (?, ?)) ORDER BY m.id", pair + pair).fetchall(),
        db.execute("SELECT construct_id, count(*), max(id), total(id), total(id * id) FROM coding "
                   "INDEXED BY coding_construct WHERE construct_id IN (?, ?) "
                   "GROUP BY construct_id ORDER BY construct_id", pair).fetchall(),
        db.execute("SELECT construct_id, count(*), max(id), total(id), total(id * id) FROM coding "
                   "INDEXED BY coding_live_identity WHERE construct_id IN (?, ?) AND removed_at IS NULL "
                   "GROUP BY construct_id ORDER BY construct_id", pair).fetchall(),
    )


# --- the plan (checks, no writes) and its application -----------------------------------------------

def _plan_merge(db: Store, source_id: int, target_id: int, allow_order_change: bool = False,
                at: str | None = None) -> Merged:
    source = construct_row(db, source_id)
    target = construct_row(db, target_id)
    if source_id == target_id:
        raise ConstructError(f"cannot merge {source['name']!r} into itself")
    s_order, t_order = source["construct_order"], target["construct_order"]
    if s_order != t_order and not allow_order_change:
        raise ConstructError(
            f"{source['name']!r} is {ORDERS[s_order]} and {target['name']!r} is {ORDERS[t_order]}: merging "
            "would change the order of its codings; allow an order change (--allow-order-change) to go ahead")
    if target_id in descendants(db, source_id):
        raise ConstructError(f"cannot merge {source['name']!r} into {target['name']!r}, which sits under it; "
                             f"move {target['name']!r} out first")
    problems = []
    children = [r[0] for r in db.execute("SELECT id FROM construct WHERE parent_id = ? ORDER BY id", [source_id])]
    if s_order != t_order:
        for cid, name, order in db.execute(
                "SELECT id, name, construct_order FROM construct WHERE parent_id = ? ORDER BY name", [source_id]):
            if order > t_order:
                problems.append(f"its child {name!r} is {ORDERS[order]}")
    codings = [r[0] for r in db.execute("SELECT id FROM coding WHERE construct_id = ? ORDER BY id", [source_id])]
    # one probe of the live-identity index per live source coding (linear in the codings)
    collapsed = [list(r) for r in db.execute(
        "SELECT s.id, min(t.id) FROM coding s INDEXED BY coding_live_identity "
        "JOIN coding t INDEXED BY coding_live_identity ON t.construct_id = ? AND t.study_id = s.study_id "
        "AND t.reviewer_id = s.reviewer_id AND t.span_start = s.span_start AND t.span_end = s.span_end "
        "AND t.removed_at IS NULL WHERE s.construct_id = ? AND s.removed_at IS NULL GROUP BY s.id ORDER BY s.id",
        [target_id, source_id])]

    # links: re-point, dropping those that would become a self-link or a duplicate
    orders = dict(db.execute("SELECT id, construct_order FROM construct"))
    names = dict(db.execute("SELECT id, name FROM construct"))
    existing = {(f, t, k) for f, t, k in db.execute(
        "SELECT from_id, to_id, kind FROM construct_link WHERE (from_id = :t OR to_id = :t) "
        "AND from_id != :s AND to_id != :s", {"t": target_id, "s": source_id})}
    links_moved, links_dropped = [], []
    for link in rows(db, "construct_link", "from_id = ? OR to_id = ?", [source_id, source_id]):
        new_from = target_id if link["from_id"] == source_id else link["from_id"]
        new_to = target_id if link["to_id"] == source_id else link["to_id"]
        key = (new_from, new_to, link["kind"])
        if new_from == new_to or key in existing:
            links_dropped.append(link)
            continue
        existing.add(key)
        links_moved.append([link["id"], link["from_id"], link["to_id"]])
        if (orders[new_from], orders[new_to]) != LINK_KINDS[link["kind"]]:
            problems.append(f"the link {names[new_from]!r} {link['kind']} {names[new_to]!r} would join "
                            f"{ORDERS[orders[new_from]]} to {ORDERS[orders[new_to]]}")
    if problems:
        raise ConstructError(f"cannot merge {source['name']!r} into {target['name']!r} "
                             f"({ORDERS[t_order]}): " + "; ".join(problems))

    # memos: on the source construct -> the target; on collapsed codings -> the coding kept
    memos_moved, memos_combined = [], []
    moves = [("construct", source_id, target_id)] + [("coding", s, t) for s, t in collapsed]
    for kind, old, new in moves:
        live_there = {r: (mid, text) for mid, r, text in db.execute(
            "SELECT id, reviewer_id, text FROM memo WHERE target_kind = ? AND target_id = ? AND removed_at IS NULL "
            "ORDER BY id", [kind, new])}
        for memo in rows(db, "memo", "target_kind = ? AND target_id = ?", [kind, old]):
            into = live_there.get(memo["reviewer_id"]) if memo["removed_at"] is None else None
            if into is None:
                memos_moved.append([memo["id"], kind, old, new])
                if memo["removed_at"] is None:
                    live_there[memo["reviewer_id"]] = (memo["id"], memo["text"])
                continue
            into_id, into_text = into
            before = row(db, "memo", into_id)
            label = source["name"] if kind == "construct" else f"the same span coded {source['name']!r}"
            after = f"{into_text}\n\n[from {label}] {memo['text']}"
            memos_combined.append({"memo": memo["id"], "kind": kind, "from": old, "to": new, "into": into_id,
                                   "into_text_before": before["text"], "into_updated_at_before": before["updated_at"],
                                   "into_text_after": after})
            live_there[memo["reviewer_id"]] = (into_id, after)
    return {"source": source, "target": target_id, "target_name": target["name"], "at": at or now(),
            "allow_order_change": allow_order_change, "codings": codings, "collapsed": collapsed,
            "children": children, "links_moved": links_moved, "links_dropped": links_dropped,
            "memos_moved": memos_moved, "memos_combined": memos_combined}


def _apply_merge(db: Store, p: Merged, reviewer_id: int | None) -> None:
    source, target, at = p["source"]["id"], p["target"], p["at"]
    for link in p["links_dropped"]:
        db.execute("DELETE FROM construct_link WHERE id = ?", [link["id"]])
    for link_id, old_from, old_to in p["links_moved"]:
        db.execute("UPDATE construct_link SET from_id = ?, to_id = ? WHERE id = ?",
                   [target if old_from == source else old_from, target if old_to == source else old_to, link_id])
    # the collapsed codings are marked removed before the move, so no two live codings are ever identical
    db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id IN (SELECT value FROM json_each(?))",
               [at, reviewer_id, json.dumps([c for c, _kept in p["collapsed"]])])
    db.execute("UPDATE coding SET construct_id = ? WHERE construct_id = ?", [target, source])  # = p["codings"]
    db.execute("UPDATE construct SET parent_id = ? WHERE parent_id = ?", [target, source])  # = p["children"]
    for memo_id, _kind, _old, new in p["memos_moved"]:
        db.execute("UPDATE memo SET target_id = ? WHERE id = ?", [new, memo_id])
    for c in p["memos_combined"]:
        db.execute("UPDATE memo SET text = ?, updated_at = ? WHERE id = ?", [c["into_text_after"], at, c["into"]])
        db.execute("UPDATE memo SET target_id = ?, removed_at = ? WHERE id = ?", [c["to"], at, c["memo"]])
    left = db.execute("SELECT count(*) FROM coding WHERE construct_id = ?", [source]).fetchone()[0]
    if left:  # cannot happen inside one transaction; the foreign key would refuse the delete anyway
        raise ConstructError(f"{left} codings of {p['source']['name']!r} were added during the merge; try again")
    db.execute("DELETE FROM construct WHERE id = ?", [source])


def _merge_report(db: Store, p: Merged, event_id: int | None, others: dict[str, int]) -> MergeReport:
    live: dict[int, int] = {}
    collapsed = {s for s, _ in p["collapsed"]}
    for i in range(0, len(p["codings"]), 500):
        part = p["codings"][i:i + 500]
        for cid, reviewer, removed in db.execute(
                f"SELECT id, reviewer_id, removed_at FROM coding WHERE id IN ({marks(part)})", part):
            if removed is None and cid not in collapsed:
                live[reviewer] = live.get(reviewer, 0) + 1
    return MergeReport(
        source=from_row(p["source"]), target=get(db, p["target"]),
        codings_moved=list(p["codings"]), live_by_reviewer=live,
        collapsed=[tuple(c) for c in p["collapsed"]], children_moved=list(p["children"]),
        links_moved=[m[0] for m in p["links_moved"]],
        links_dropped=[(l["from_id"], l["to_id"], l["kind"]) for l in p["links_dropped"]],
        memos_moved=[m[0] for m in p["memos_moved"]],
        memos_combined=[(c["memo"], c["into"]) for c in p["memos_combined"]], event_id=event_id, others=others)


# --- undo puts the source back and everything that moved; redo merges again (re-planned) ---------------

def _codings(n: int) -> str:
    return "1 of its codings" if n == 1 else f"{n} of its codings"


def _undo_merge(db: Store, p: Merged, reviewer_id: int, stamp: str) -> undo.Change:
    src, target, at = p["source"], p["target"], p["at"]
    sid = src["id"]
    problems = check_free(db, src, f"{src['name']!r}")
    if row(db, "construct", target) is None:
        problems.append(f"{p['target_name']!r} no longer exists")
    where = column(db, "coding", "construct_id", p["codings"])
    gone = [c for c in p["codings"] if c not in where]
    if gone:
        problems.append(f"{_codings(len(gone))} no longer exist")
    moved = [c for c, k in where.items() if k != target]
    if moved:
        problems.append(f"{_codings(len(moved))} were moved to another construct since")
    removed_at = column(db, "coding", "removed_at", [c for c, _ in p["collapsed"]])
    restored = [c for c, _ in p["collapsed"] if removed_at.get(c) != at]
    if restored:
        problems.append(f"{_codings(len(restored))} were restored or changed since")
    parents = column(db, "construct", "parent_id", p["children"])
    strays = [c for c in p["children"] if parents.get(c, -1) != target]
    if strays:
        problems.append(f"{names(db, strays) or strays} no longer sit(s) under {p['target_name']!r}")
    for link_id, old_from, old_to in p["links_moved"]:
        new = (target if old_from == sid else old_from, target if old_to == sid else old_to)
        found = db.execute("SELECT from_id, to_id FROM construct_link WHERE id = ?", [link_id]).fetchone()
        if found is None or tuple(found) != new:
            problems.append(f"a link of {src['name']!r} was changed or removed since")
    for link in p["links_dropped"]:
        if db.execute("SELECT 1 FROM construct_link WHERE id = ?", [link["id"]]).fetchone():
            problems.append("a dropped link's place in the database is taken by another link now")
        other = link["to_id"] if link["from_id"] == sid else link["from_id"]
        if other != sid and row(db, "construct", other) is None:
            problems.append(f"a construct linked to {src['name']!r} no longer exists")
    targets = column(db, "memo", "target_id", [m[0] for m in p["memos_moved"]])
    for memo_id, _kind, _old, new in p["memos_moved"]:
        if targets.get(memo_id, -1) != new:
            problems.append("a memo it moved was moved since")
    for c in p["memos_combined"]:
        into = row(db, "memo", c["into"])
        if into is None or into["text"] != c["into_text_after"] or into["removed_at"] is not None:
            problems.append(f"a memo on {p['target_name']!r} that took in another was edited since")
        memo = row(db, "memo", c["memo"])
        if memo is None or memo["removed_at"] != at:
            problems.append("a memo it combined was changed since")
    refuse(problems)

    insert_row(db, "construct", src)
    db.execute("UPDATE coding SET construct_id = ? WHERE id IN (SELECT value FROM json_each(?))",
               [sid, json.dumps(p["codings"])])
    db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id IN (SELECT value FROM json_each(?))",
               [json.dumps([c for c, _kept in p["collapsed"]])])
    for part in chunks(p["children"]):
        db.execute(f"UPDATE construct SET parent_id = ? WHERE id IN ({','.join('?' * len(part))})", [sid, *part])
    for link_id, old_from, old_to in p["links_moved"]:
        db.execute("UPDATE construct_link SET from_id = ?, to_id = ? WHERE id = ?", [old_from, old_to, link_id])
    for link in p["links_dropped"]:
        insert_row(db, "construct_link", link)
    for memo_id, _kind, old, _new in p["memos_moved"]:
        db.execute("UPDATE memo SET target_id = ? WHERE id = ?", [old, memo_id])
    for c in reversed(p["memos_combined"]):
        db.execute("UPDATE memo SET text = ?, updated_at = ? WHERE id = ?",
                   [c["into_text_before"], c["into_updated_at_before"], c["into"]])
        db.execute("UPDATE memo SET target_id = ?, removed_at = NULL WHERE id = ?", [c["from"], c["memo"]])
    return undo.Change({}, studies_of(db, p["codings"]), {sid, target, *p["children"]})


def _redo_merge(db: Store, p: Merged, u: dict, reviewer_id: int) -> undo.Change:
    plan = _plan_merge(db, p["source"]["id"], p["target"], p.get("allow_order_change", False), at=p["at"])
    since = others_since(db, [plan["source"]["id"]], reviewer_id, p["codings"])
    if since:
        raise undo.Conflict(f"{since} coded with {p['source']['name']!r} since")
    _apply_merge(db, plan, reviewer_id)
    changed = {plan["source"]["id"], plan["target"], *plan["children"]}
    return undo.Change({"payload": plan}, studies_of(db, plan["codings"]), changed)


def _describe_merge(db: Store, p: Merged) -> str:
    return f"merging {p['source']['name']!r} into {p['target_name']!r}"


undo.register("construct.merge", _undo_merge, _redo_merge, _describe_merge)
