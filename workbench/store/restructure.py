"""Restructuring the codebook without losing anything: rename, edit the definition and guidance,
merge, move, change order, delete, link and unlink.

Each operation is one transaction that writes one event (``construct.rename``, ``construct.edit``,
``construct.merge``, ``construct.move``, ``construct.change_order``, ``construct.delete``,
``construct.link``, ``construct.unlink``) whose payload records exactly
what changed, so that ``store.undo`` can invert it and redo re-apply it. Refusals raise
``ConstructError`` with a message that names what is in the way, and write nothing.

Deleting (and merging, which retires the source) removes the construct *row*; its complete row, and
everything that pointed at it, is kept in the event's payload, so undo puts it back with the same id
and guid. Coding rows must point at an existing construct (a foreign key), so the coding rows of a
deleted construct (all of them removed by then) move whole into the ``construct.delete`` payload
too; undo restores them exactly. Codings of a merged construct are never deleted: they move, with
their ids, to the target.

``preview_merge`` and ``preview_delete`` say what ``merge`` and ``delete`` would do (or raise the
refusal) without writing anything, for a confirmation prompt.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..core.constructs import LINK_KINDS, ORDERS, ConstructError, check_parent, parse_order
from . import events
from .constructs import Construct, get
from .db import Store, now


# --- reports ----------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class Link:
    """A link between two constructs: ``from_name`` supports/interprets ``to_name``."""

    id: int
    kind: str
    from_id: int
    from_name: str
    to_id: int
    to_name: str


@dataclass(frozen=True)
class DeleteReport:
    """What a delete did (or, from ``preview_delete``, would do)."""

    construct: Construct                   # as it was
    codings_removed: list[int]             # live codings marked removed (only with remove_codings)
    codings_kept: list[int]                # every coding row of it, now kept in the event payload
    links_removed: list[tuple[int, int, str]]
    memos_removed: list[int]               # live memos on it and on its codings, marked removed
    event_id: int | None = None


# --- public operations ------------------------------------------------------------------------------

def rename(db: Store, construct_id: int, new_name: str, reviewer_id: int | None) -> Construct:
    """Rename the construct; refuses an empty name, the same name, or one another construct has
    (case-insensitive). A change of case only is allowed. Event ``construct.rename``:
    ``{"construct": id, "before": old name, "after": new name}``."""
    with db.atomic():
        payload = _plan_rename(db, construct_id, new_name)
        _set(db, construct_id, "name", payload["after"])
        events.record(db, "construct.rename", reviewer_id, payload)
    return get(db, construct_id)


EDITABLE = ("definition", "when_to_use", "when_not_to_use", "example", "colour")


def edit(db: Store, construct_id: int, values: dict[str, str | None], reviewer_id: int | None) -> Construct:
    """Set the construct's definition, when to use, when not to use, example and colour (any of
    them; a text is trimmed, an empty colour means none). Refuses an unknown field, a colour that is
    not ``#RRGGBB``, and a change that changes nothing. Event ``construct.edit``:
    ``{"construct", "name", "before": {field: old}, "after": {field: new}}`` (changed fields only)."""
    with db.atomic():
        payload = _plan_edit(db, construct_id, values)
        update_row(db, "construct", {"id": construct_id, **payload["after"]})
        events.record(db, "construct.edit", reviewer_id, payload)
    return get(db, construct_id)


def move(db: Store, construct_id: int, new_parent_id: int | None, reviewer_id: int | None) -> Construct:
    """Put the construct under ``new_parent_id`` (None: at the top level). Refuses the parent it
    already has, itself or one of its own descendants (a cycle), and a parent of a lower order.
    Event ``construct.move``: ``{"construct", "name", "before": old parent id, "after": new}``."""
    with db.atomic():
        payload = _plan_move(db, construct_id, new_parent_id)
        _set(db, construct_id, "parent_id", payload["after"])
        events.record(db, "construct.move", reviewer_id, payload)
    return get(db, construct_id)


def change_order(db: Store, construct_id: int, new_order: int | str, reviewer_id: int | None) -> Construct:
    """Make the construct first-, second- or third-order. Refuses when its parent would be of a
    lower order, a child of a higher order, or a link would join the wrong orders (supports 1 -> 2,
    interprets 2 -> 3), naming each. Event ``construct.change_order``:
    ``{"construct", "name", "before": old order, "after": new order}``."""
    with db.atomic():
        payload = _plan_order(db, construct_id, new_order)
        _set(db, construct_id, "construct_order", payload["after"])
        events.record(db, "construct.change_order", reviewer_id, payload)
    return get(db, construct_id)


def merge(db: Store, source_id: int, target_id: int, reviewer_id: int | None,
          allow_order_change: bool = False) -> MergeReport:
    """Merge the source construct into the target, in one transaction and one event.

    Every coding row of the source (all reviewers, live and removed) moves to the target keeping
    its id; a live source coding identical to a live target coding (same study, reviewer and span)
    is marked removed instead of duplicating it, and its memos move to the kept coding. The
    source's links are re-pointed to the target (a link the target already has, or one between
    source and target, is dropped and kept in the payload), its memos move to the target (a
    reviewer's memo is appended to that reviewer's memo on the target if there is one), its
    children move under the target, and the source is retired (its row is deleted; the payload
    keeps it). Refuses merging a construct into itself or into one of its descendants, and into a
    construct of another order unless ``allow_order_change``.
    """
    with db.atomic():
        payload = _plan_merge(db, source_id, target_id, allow_order_change)
        _apply_merge(db, payload, reviewer_id)
        event_id = events.record(db, "construct.merge", reviewer_id, payload)
    return _merge_report(db, payload, event_id)


def preview_merge(db: Store, source_id: int, target_id: int, allow_order_change: bool = False) -> MergeReport:
    """What ``merge`` would do, without writing anything (raises the same refusals)."""
    return _merge_report(db, _plan_merge(db, source_id, target_id, allow_order_change), None)


def delete(db: Store, construct_id: int, reviewer_id: int | None, remove_codings: bool = False) -> DeleteReport:
    """Delete the construct, in one transaction and one event.

    Refuses while constructs sit under it, and while it has live codings unless
    ``remove_codings`` (then they are marked removed). Its links are deleted, and live memos on it
    and on its codings are marked removed. The construct row and its coding rows (all removed by
    then) are deleted from their tables and kept whole in the event's payload, so undo restores
    them with the same ids and guids.
    """
    with db.atomic():
        payload = _plan_delete(db, construct_id, remove_codings)
        _apply_delete(db, payload, reviewer_id)
        event_id = events.record(db, "construct.delete", reviewer_id, payload)
    return _delete_report(payload, event_id)


def preview_delete(db: Store, construct_id: int, remove_codings: bool = False) -> DeleteReport:
    """What ``delete`` would do, without writing anything (raises the same refusals)."""
    return _delete_report(_plan_delete(db, construct_id, remove_codings), None)


def link(db: Store, from_id: int, kind: str, to_id: int, reviewer_id: int | None) -> Link:
    """Link two constructs: a first-order one ``supports`` a second-order one, a second-order one
    ``interprets`` a third-order one. Refuses another kind, the wrong orders and a link that is
    there already. Event ``construct.link``: ``{"link": the new link row}``."""
    with db.atomic():
        check_link(db, from_id, kind, to_id)
        link_id = db.execute("INSERT INTO construct_link (from_id, to_id, kind, created_by, created_at) "
                             "VALUES (?,?,?,?,?)", [from_id, to_id, kind, reviewer_id, now()]).lastrowid
        events.record(db, "construct.link", reviewer_id, {"link": row(db, "construct_link", link_id)})
    return get_link(db, link_id)


def unlink(db: Store, link_id: int, reviewer_id: int | None) -> Link:
    """Remove a link (the constructs and their codings stay). Event ``construct.unlink``:
    ``{"link": the link row as it was}``."""
    with db.atomic():
        gone = get_link(db, link_id)
        values = row(db, "construct_link", link_id)
        db.execute("DELETE FROM construct_link WHERE id = ?", [link_id])
        events.record(db, "construct.unlink", reviewer_id, {"link": values})
    return gone


def links(db: Store, construct_id: int | None = None) -> list[Link]:
    """Every link (or those from or to ``construct_id``), by kind and then the names they join."""
    if construct_id is None:
        return _links(db, "", {})
    return _links(db, "WHERE l.from_id = :c OR l.to_id = :c", {"c": construct_id})


def get_link(db: Store, link_id: int) -> Link:
    found = _links(db, "WHERE l.id = :l", {"l": link_id})
    if not found:
        raise ConstructError(f"no link with id {link_id}")
    return found[0]


def _links(db: Store, where: str, args: dict) -> list[Link]:
    return [Link(*r) for r in db.execute(
        "SELECT l.id, l.kind, l.from_id, a.name, l.to_id, b.name FROM construct_link l "
        f"JOIN construct a ON a.id = l.from_id JOIN construct b ON b.id = l.to_id {where} "
        "ORDER BY l.kind, a.name COLLATE NOCASE, b.name COLLATE NOCASE", args)]


def check_link(db: Store, from_id: int, kind: str, to_id: int) -> None:
    """Refuse a link of an unknown kind, between the wrong orders, or one that exists already."""
    source, target = check_link_orders(db, from_id, kind, to_id)
    if db.execute("SELECT 1 FROM construct_link WHERE from_id = ? AND to_id = ? AND kind = ?",
                  [from_id, to_id, kind]).fetchone():
        raise ConstructError(f"{source['name']!r} {kind} {target['name']!r} already")


def check_link_orders(db: Store, from_id: int, kind: str, to_id: int) -> tuple[dict, dict]:
    """Refuse a link of an unknown kind or between the wrong orders; the two construct rows."""
    source, target = construct_row(db, from_id), construct_row(db, to_id)
    want = LINK_KINDS.get(kind)
    if want is None:
        raise ConstructError(f"a link is {' or '.join(map(repr, LINK_KINDS))}, not {kind!r}")
    orders = (source["construct_order"], target["construct_order"])
    if orders != want:
        turned = f": link {target['name']!r} {kind} {source['name']!r}" if orders[::-1] == want else ""
        raise ConstructError(
            f"{source['name']!r} {kind} {target['name']!r} would join {ORDERS[orders[0]]} to {ORDERS[orders[1]]}; "
            f"{kind} links join {ORDERS[want[0]]} to {ORDERS[want[1]]}{turned}")
    return source, target


def descendants(db: Store, construct_id: int) -> set[int]:
    """Ids of every construct under ``construct_id``, at any depth."""
    rows = db.execute(
        "WITH RECURSIVE d(id) AS (SELECT id FROM construct WHERE parent_id = ? "
        "UNION SELECT c.id FROM construct c JOIN d ON c.parent_id = d.id) SELECT id FROM d",
        [construct_id]).fetchall()
    return {r[0] for r in rows}


# --- rows: whole-row snapshots for exact restores ---------------------------------------------------

def row(db: Store, table: str, row_id: int) -> dict[str, Any] | None:
    """Every column of one row of ``table`` as a dict, or None."""
    return next(db.query(f"SELECT * FROM {table} WHERE id = ?", [row_id]), None)


def rows(db: Store, table: str, where: str, args: list) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT * FROM {table} WHERE {where} ORDER BY id", args))


def insert_row(db: Store, table: str, values: dict[str, Any]) -> None:
    """Insert a snapshot taken by ``row``/``rows`` back, with the same id."""
    columns = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
    unknown = set(values) - columns
    if unknown:
        raise ConstructError(f"cannot restore a {table} row: unknown column(s) {', '.join(sorted(unknown))}")
    names = list(values)
    db.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
               [values[n] for n in names])


def update_row(db: Store, table: str, values: dict[str, Any]) -> None:
    """Write a snapshot taken by ``row`` over the row with its id."""
    names = [n for n in values if n != "id"]
    db.execute(f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE id = ?",
               [values[n] for n in names] + [values["id"]])


def construct_row(db: Store, construct_id: int) -> dict[str, Any]:
    found = row(db, "construct", construct_id)
    if found is None:
        raise ConstructError(f"no construct with id {construct_id}")
    return found


def _construct(values: dict[str, Any]) -> Construct:
    return Construct(values["id"], values["guid"], values["name"], values["construct_order"], values["parent_id"],
                     values["definition"], values["colour"], values.get("when_to_use", ""),
                     values.get("when_not_to_use", ""), values.get("example", ""))


def _set(db: Store, construct_id: int, column: str, value: Any) -> None:
    db.execute(f"UPDATE construct SET {column} = ? WHERE id = ?", [value, construct_id])


def _names(db: Store, ids) -> str:
    ids = list(ids)
    if not ids:
        return ""
    found = dict(db.execute(f"SELECT id, name FROM construct WHERE id IN ({','.join('?' * len(ids))})", ids))
    return ", ".join(repr(found.get(i, f"construct {i}")) for i in ids)


# --- rename / move / order: plans (checks, no writes) -----------------------------------------------

def _plan_rename(db: Store, construct_id: int, new_name: str) -> dict:
    current = construct_row(db, construct_id)
    name = " ".join(str(new_name).split())
    if not name:
        raise ConstructError("a construct needs a name")
    if name == current["name"]:
        raise ConstructError(f"{name!r} is already called that")
    taken = db.execute("SELECT id, name FROM construct WHERE name = ? AND id != ?", [name, construct_id]).fetchone()
    if taken:
        raise ConstructError(f"a construct called {taken[1]!r} already exists (id {taken[0]}); merge into it instead")
    return {"construct": construct_id, "before": current["name"], "after": name}


def _plan_edit(db: Store, construct_id: int, values: dict[str, str | None]) -> dict:
    from ..core.codebook import COLOUR

    current = construct_row(db, construct_id)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise ConstructError(f"a construct has no field {', '.join(sorted(unknown))}; "
                             f"these can be edited: {', '.join(EDITABLE)}")
    wanted = {k: (v or "").strip() for k, v in values.items()}
    if "colour" in wanted:
        if wanted["colour"] and not COLOUR.fullmatch(wanted["colour"]):
            raise ConstructError(f"a colour is written #RRGGBB (like #1B9E77), not {wanted['colour']!r}")
        wanted["colour"] = wanted["colour"].upper() or None
    changed = [k for k in EDITABLE if k in wanted and wanted[k] != current[k]]
    if not changed:
        raise ConstructError(f"nothing to change: {current['name']!r} has these values already")
    return {"construct": construct_id, "name": current["name"], "before": {k: current[k] for k in changed},
            "after": {k: wanted[k] for k in changed}}


def _plan_move(db: Store, construct_id: int, new_parent_id: int | None) -> dict:
    current = construct_row(db, construct_id)
    if new_parent_id == current["parent_id"]:
        where = "at the top level" if new_parent_id is None else f"under {_names(db, [new_parent_id])}"
        raise ConstructError(f"{current['name']!r} is already {where}")
    if new_parent_id is not None:
        _check_parent_of(db, current, new_parent_id, current["construct_order"])
    return {"construct": construct_id, "name": current["name"], "before": current["parent_id"],
            "after": new_parent_id}


def _check_parent_of(db: Store, child: dict, parent_id: int, child_order: int) -> None:
    parent = row(db, "construct", parent_id)
    if parent is None:
        raise ConstructError(f"no construct with id {parent_id} to put {child['name']!r} under")
    if parent_id == child["id"]:
        raise ConstructError(f"{child['name']!r} cannot sit under itself")
    if parent_id in descendants(db, child["id"]):
        raise ConstructError(f"{child['name']!r} cannot sit under {parent['name']!r}, which is under it "
                             "(that would make a cycle)")
    check_parent(child_order, parent["construct_order"], child["name"], parent["name"])


def _order_conflicts(db: Store, current: dict, order: int) -> list[str]:
    """Every parent, child and link that ``order`` would break, as phrases."""
    problems = []
    if current["parent_id"] is not None:
        parent = construct_row(db, current["parent_id"])
        if parent["construct_order"] < order:
            problems.append(f"its parent {parent['name']!r} is {ORDERS[parent['construct_order']]}")
    for cid, name, child_order in db.execute(
            "SELECT id, name, construct_order FROM construct WHERE parent_id = ? ORDER BY name", [current["id"]]):
        if child_order > order:
            problems.append(f"its child {name!r} is {ORDERS[child_order]}")
    for kind, from_id, to_id, other, other_order in db.execute(
            "SELECT l.kind, l.from_id, l.to_id, o.name, o.construct_order FROM construct_link l "
            "JOIN construct o ON o.id = CASE WHEN l.from_id = :c THEN l.to_id ELSE l.from_id END "
            "WHERE l.from_id = :c OR l.to_id = :c ORDER BY l.id", {"c": current["id"]}):
        orders = (order, other_order) if from_id == current["id"] else (other_order, order)
        if orders != LINK_KINDS[kind]:
            if from_id == current["id"]:
                problems.append(f"its link {kind} {other!r} ({ORDERS[other_order]})")
            else:
                problems.append(f"the link {other!r} ({ORDERS[other_order]}) {kind} it")
    return problems


def _plan_order(db: Store, construct_id: int, new_order: int | str) -> dict:
    current = construct_row(db, construct_id)
    order = parse_order(new_order)
    if order == current["construct_order"]:
        raise ConstructError(f"{current['name']!r} is already {ORDERS[order]}")
    problems = _order_conflicts(db, current, order)
    if problems:
        raise ConstructError(f"{current['name']!r} cannot become {ORDERS[order]}: " + "; ".join(problems))
    return {"construct": construct_id, "name": current["name"], "before": current["construct_order"],
            "after": order}


# --- merge ------------------------------------------------------------------------------------------

def _plan_merge(db: Store, source_id: int, target_id: int, allow_order_change: bool = False,
                at: str | None = None) -> dict:
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
    collapsed = [list(r) for r in db.execute(
        "SELECT s.id, min(t.id) FROM coding s JOIN coding t ON t.construct_id = ? AND t.study_id = s.study_id "
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
            label = source["name"] if kind == "construct" else f"coding {old}"
            after = f"{into_text}\n\n[from {label}] {memo['text']}"
            memos_combined.append({"memo": memo["id"], "kind": kind, "from": old, "to": new, "into": into_id,
                                   "into_text_before": before["text"], "into_updated_at_before": before["updated_at"],
                                   "into_text_after": after})
            live_there[memo["reviewer_id"]] = (into_id, after)
    return {"source": source, "target": target_id, "target_name": target["name"], "at": at or now(),
            "allow_order_change": allow_order_change, "codings": codings, "collapsed": collapsed,
            "children": children, "links_moved": links_moved, "links_dropped": links_dropped,
            "memos_moved": memos_moved, "memos_combined": memos_combined}


def _in(ids) -> str:
    return ",".join("?" * len(ids))


def _apply_merge(db: Store, p: dict, reviewer_id: int | None) -> None:
    source, target, at = p["source"]["id"], p["target"], p["at"]
    for link in p["links_dropped"]:
        db.execute("DELETE FROM construct_link WHERE id = ?", [link["id"]])
    for link_id, old_from, old_to in p["links_moved"]:
        db.execute("UPDATE construct_link SET from_id = ?, to_id = ? WHERE id = ?",
                   [target if old_from == source else old_from, target if old_to == source else old_to, link_id])
    db.execute("UPDATE coding SET construct_id = ? WHERE construct_id = ?", [target, source])  # = p["codings"]
    for coding_id, _kept in p["collapsed"]:
        db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?", [at, reviewer_id, coding_id])
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


def _merge_report(db: Store, p: dict, event_id: int | None) -> MergeReport:
    live: dict[int, int] = {}
    collapsed = {s for s, _ in p["collapsed"]}
    for i in range(0, len(p["codings"]), 500):
        part = p["codings"][i:i + 500]
        for cid, reviewer, removed in db.execute(
                f"SELECT id, reviewer_id, removed_at FROM coding WHERE id IN ({_in(part)})", part):
            if removed is None and cid not in collapsed:
                live[reviewer] = live.get(reviewer, 0) + 1
    return MergeReport(
        source=_construct(p["source"]), target=get(db, p["target"]),
        codings_moved=list(p["codings"]), live_by_reviewer=live,
        collapsed=[tuple(c) for c in p["collapsed"]], children_moved=list(p["children"]),
        links_moved=[m[0] for m in p["links_moved"]],
        links_dropped=[(l["from_id"], l["to_id"], l["kind"]) for l in p["links_dropped"]],
        memos_moved=[m[0] for m in p["memos_moved"]],
        memos_combined=[(c["memo"], c["into"]) for c in p["memos_combined"]], event_id=event_id)


# --- delete -----------------------------------------------------------------------------------------

def _plan_delete(db: Store, construct_id: int, remove_codings: bool = False, at: str | None = None) -> dict:
    current = construct_row(db, construct_id)
    children = [r[0] for r in db.execute("SELECT id FROM construct WHERE parent_id = ? ORDER BY name", [construct_id])]
    if children:
        raise ConstructError(f"{current['name']!r} has {len(children)} construct(s) under it ({_names(db, children)}); "
                             "move or delete them first")
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
            f"SELECT id FROM memo WHERE removed_at IS NULL AND target_kind = 'coding' AND target_id IN ({_in(part)}) "
            "ORDER BY id", part)]
    return {"construct": current, "at": at or now(), "remove_codings": remove_codings, "codings": codings,
            "removed": [c["id"] for c in live], "links": links, "memos": memos}


def _apply_delete(db: Store, p: dict, reviewer_id: int | None) -> None:
    construct_id = p["construct"]["id"]
    for memo_id in p["memos"]:
        db.execute("UPDATE memo SET removed_at = ? WHERE id = ?", [p["at"], memo_id])
    db.execute("DELETE FROM construct_link WHERE from_id = ? OR to_id = ?", [construct_id, construct_id])
    db.execute("DELETE FROM coding WHERE construct_id = ?", [construct_id])
    db.execute("DELETE FROM construct WHERE id = ?", [construct_id])


def _delete_report(p: dict, event_id: int | None) -> DeleteReport:
    return DeleteReport(construct=_construct(p["construct"]), codings_removed=list(p["removed"]),
                        codings_kept=[c["id"] for c in p["codings"]],
                        links_removed=[(l["from_id"], l["to_id"], l["kind"]) for l in p["links"]],
                        memos_removed=list(p["memos"]), event_id=event_id)
