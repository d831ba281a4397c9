"""Links between constructs: a first-order construct ``supports`` a second-order one, a
second-order one ``interprets`` a third-order one. Linking and unlinking are one event each
(``construct.link``, ``construct.unlink``: ``{"link": the whole row}``) and undo each other."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypedDict

from ...core.constructs import LINK_KINDS, ORDERS, ConstructError
from .. import events, undo
from ..constructs import construct_row
from ..db import Store, insert_row, now, row
from ..restore import construct_name


class Linked(TypedDict):
    """Payload of ``construct.link`` and ``construct.unlink``: the link's whole row."""

    link: dict[str, Any]


@dataclass(frozen=True)
class Link:
    """A link between two constructs: ``from_name`` supports/interprets ``to_name``."""

    id: int
    kind: str
    from_id: int
    from_name: str
    to_id: int
    to_name: str


def link(db: Store, from_id: int, kind: str, to_id: int, reviewer_id: int | None) -> Link:
    """Link two constructs: a first-order one ``supports`` a second-order one, a second-order one
    ``interprets`` a third-order one. Refuses another kind, the wrong orders and a link that is
    there already. Event ``construct.link``: ``{"link": the new link row}``."""
    with db.atomic():
        check_link(db, from_id, kind, to_id)
        link_id = db.execute("INSERT INTO construct_link (from_id, to_id, kind, created_by, created_at) "
                             "VALUES (?,?,?,?,?)", [from_id, to_id, kind, reviewer_id, now()]).lastrowid
        events.record(db, "construct.link", reviewer_id, Linked(link=row(db, "construct_link", link_id)))
    return get_link(db, link_id)


def unlink(db: Store, link_id: int, reviewer_id: int | None) -> Link:
    """Remove a link (the constructs and their codings stay). Event ``construct.unlink``:
    ``{"link": the link row as it was}``."""
    with db.atomic():
        gone = get_link(db, link_id)
        values = row(db, "construct_link", link_id)
        db.execute("DELETE FROM construct_link WHERE id = ?", [link_id])
        events.record(db, "construct.unlink", reviewer_id, Linked(link=values))
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



# --- undo: one puts the link row back (same id), the other takes it out -------------------------------

def _put_link(db: Store, p: Linked, *_: Any) -> undo.Change:
    values = p["link"]
    if row(db, "construct_link", values["id"]) is not None:
        raise undo.Conflict(f"link id {values['id']} is used by another link now")
    check_link(db, values["from_id"], values["kind"], values["to_id"])
    insert_row(db, "construct_link", values)
    return undo.Change({}, set(), {values["from_id"], values["to_id"]})


def _take_link(db: Store, p: Linked, *_: Any) -> undo.Change:
    values = p["link"]
    if row(db, "construct_link", values["id"]) != values:
        raise undo.Conflict("the link was changed or removed since")
    db.execute("DELETE FROM construct_link WHERE id = ?", [values["id"]])
    return undo.Change({}, set(), {values["from_id"], values["to_id"]})


def _describe_link(verb: str) -> Callable[[Store, Linked], str]:
    def describe(db: Store, p: Linked) -> str:
        values = p["link"]
        return (f"{verb} {construct_name(db, values['from_id'])!r} {values['kind']} "
                f"{construct_name(db, values['to_id'])!r}")
    return describe


undo.register("construct.link", _take_link, _put_link, _describe_link("linking"))
undo.register("construct.unlink", _put_link, _take_link, _describe_link("unlinking"))
