"""The review's constructs: named once, usable in every study."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypedDict

from ..core.constructs import ORDERS, ConstructError, check_parent, parse_order
from ..core.text import one_line
from . import events, undo
from .db import Store, insert_row, marks, now, row
from .restore import check_free, codings_free, in_use, put_back_codings, refuse, take_removed_codings


@dataclass(frozen=True)
class Construct:
    id: int
    guid: str
    name: str
    order: int
    parent_id: int | None
    definition: str
    colour: str | None
    when_to_use: str = ""
    when_not_to_use: str = ""
    example: str = ""


class ConstructCreated(TypedDict):
    """Payload of ``construct.create``."""

    construct: int
    name: str
    order: int
    parent: int | None


_COLUMNS = "id, guid, name, construct_order, parent_id, definition, colour, when_to_use, when_not_to_use, example"


def _row(row) -> Construct:
    return Construct(*row)


def get(db: Store, construct_id: int) -> Construct:
    row = db.execute(f"SELECT {_COLUMNS} FROM construct WHERE id = ?", [construct_id]).fetchone()
    if row is None:
        raise ConstructError("that construct no longer exists (deleted or merged away)")
    return _row(row)


def construct_row(db: Store, construct_id: int) -> dict[str, Any]:
    """Every column of the construct's row; ConstructError if there is none."""
    found = row(db, "construct", construct_id)
    if found is None:
        raise ConstructError(f"no construct with id {construct_id}")
    return found


def from_row(values: dict[str, Any]) -> Construct:
    """The Construct of a whole row (as ``construct_row`` gives, or an event payload kept)."""
    return Construct(values["id"], values["guid"], values["name"], values["construct_order"], values["parent_id"],
                     values["definition"], values["colour"], values.get("when_to_use", ""),
                     values.get("when_not_to_use", ""), values.get("example", ""))


def names(db: Store, ids) -> str:
    """The constructs' names quoted and joined with ", " (``construct N`` for one that is gone)."""
    ids = list(ids)
    if not ids:
        return ""
    found = dict(db.execute(f"SELECT id, name FROM construct WHERE id IN ({marks(ids)})", ids))
    return ", ".join(repr(found[i]) if i in found else "a deleted construct" for i in ids)


def missing(db: Store, ids) -> set[int]:
    """Those of the construct ids that no longer exist (deleted, merged away, or taken back by an undo)."""
    ids = set(ids)
    if not ids:
        return set()
    return ids - {r[0] for r in db.execute(f"SELECT id FROM construct WHERE id IN ({marks(list(ids))})", list(ids))}


def descendants(db: Store, construct_id: int) -> set[int]:
    """Ids of every construct under ``construct_id``, at any depth."""
    found = db.execute(
        "WITH RECURSIVE d(id) AS (SELECT id FROM construct WHERE parent_id = ? "
        "UNION SELECT c.id FROM construct c JOIN d ON c.parent_id = d.id) SELECT id FROM d",
        [construct_id]).fetchall()
    return {r[0] for r in found}


def by_name(db: Store, name: str) -> Construct | None:
    """The construct called ``name`` (case-insensitive, surrounding spaces ignored), or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM construct WHERE name = ?", [name.strip()]).fetchone()
    return _row(row) if row else None


def all_constructs(db: Store) -> list[Construct]:
    """Every construct, by order then name."""
    return [_row(r) for r in db.execute(
        f"SELECT {_COLUMNS} FROM construct ORDER BY construct_order, name COLLATE NOCASE")]


def counts(db: Store, reviewer_id: int | None = None) -> dict[int, int]:
    """Live codings per construct id, of one reviewer or of all."""
    sql = "SELECT construct_id, count(*) FROM coding WHERE removed_at IS NULL"
    args: list = []
    if reviewer_id is not None:
        sql += " AND reviewer_id = ?"
        args.append(reviewer_id)
    return dict(db.execute(sql + " GROUP BY construct_id", args).fetchall())


def create(db: Store, name: str, order: int | str, reviewer_id: int | None, parent: str | None = None,
           definition: str = "", record: bool = True) -> Construct:
    """Add a construct; refuses an empty or taken name, a bad order, or an unknown or lower-order parent.
    Without ``record`` no ``construct.create`` event is written: the caller's own event, in the
    same transaction, says the construct was made (``codings.add_with_construct``)."""
    name = one_line(name)
    if not name:
        raise ConstructError("a construct needs a name")
    order = parse_order(order)
    if by_name(db, name):
        raise ConstructError(f"a construct called {name!r} already exists")
    parent_id = None
    if parent:
        found = by_name(db, parent)
        if found is None:
            raise ConstructError(f"no construct called {parent!r} to put {name!r} under")
        check_parent(order, found.order, name, found.name)
        parent_id = found.id
    with db.atomic():
        cid = db.execute(
            "INSERT INTO construct (guid, name, construct_order, parent_id, definition, created_by, created_at)"
            " VALUES (?,?,?,?,?,?,?)",
            [str(uuid.uuid4()), name, order, parent_id, definition, reviewer_id, now()],
        ).lastrowid
        if record:
            events.record(db, "construct.create", reviewer_id,
                          ConstructCreated(construct=cid, name=name, order=order, parent=parent_id))
    return get(db, cid)


def resolve(db: Store, name: str, reviewer_id: int | None, order: int | str | None = None,
            parent: str | None = None, blind: bool = False, record: bool = True) -> tuple[Construct, bool]:
    """The construct called ``name``, created with ``order`` and ``parent`` if it does not exist.

    Returns ``(construct, created)``. For an existing construct a given order or parent must match
    what it has, so a typo cannot silently code under the wrong order. With ``blind``, a construct
    (or parent) that another reviewer added and ``reviewer_id`` does not see blind is refused
    (``blind.BlindError``), without saying anything about it but that it exists. ``record`` as for
    ``create``.
    """
    found = by_name(db, name)
    if blind and reviewer_id is not None:
        from .blind import check_usable

        for typed, named in ((name, found), (parent, by_name(db, parent) if parent else None)):
            if named is not None:
                check_usable(db, reviewer_id, named.id, typed.strip())  # as typed: not even its case shows
    if found is None:
        if order is None:
            raise ConstructError(f"no construct called {name!r}; give its order (1, 2 or 3) to create it")
        return create(db, name, order, reviewer_id, parent, record=record), True
    if order is not None and parse_order(order) != found.order:
        raise ConstructError(f"construct {found.name!r} is order {found.order}, not {order}")
    if parent:
        want = by_name(db, parent)
        if want is None or want.id != found.parent_id:
            raise ConstructError(f"construct {found.name!r} exists and is not under {parent!r}")
    return found, False


def recent_ids(db: Store, reviewer_id: int, limit: int = 9) -> list[int]:
    """The constructs the reviewer coded with most recently (live or removed codings), newest first."""
    found = db.execute(
        "SELECT construct_id FROM coding WHERE reviewer_id = ? GROUP BY construct_id "
        "ORDER BY max(id) DESC LIMIT ?", [reviewer_id, limit]).fetchall()
    return [r[0] for r in found]


# --- undo: construct.create is undone by deleting the construct (refused once it is in use); its
# removed codings, if any, move whole into the undo event, and redo puts the row and them back ------

def _undo_create(db: Store, p: ConstructCreated, reviewer_id: int, stamp: str) -> undo.Change:
    cid = p["construct"]
    current = row(db, "construct", cid)
    if current is None:
        raise undo.Conflict(f"{p.get('name')!r} no longer exists")
    refuse(in_use(db, cid, current["name"]))
    removed, memos = take_removed_codings(db, [cid], stamp)
    db.execute("DELETE FROM construct WHERE id = ?", [cid])
    return undo.Change({"construct": current, "codings": removed, "memos": memos, "at": stamp},
                       {c["study_id"] for c in removed}, {cid})


def _redo_create(db: Store, p: ConstructCreated, u: dict, reviewer_id: int) -> undo.Change:
    values = u["construct"]
    refuse(check_free(db, values, f"{values['name']!r}") + codings_free(db, u))
    insert_row(db, "construct", values)
    put_back_codings(db, u)
    return undo.Change({}, {c["study_id"] for c in u["codings"]}, {values["id"]})


def _describe_create(db: Store, p: ConstructCreated) -> str:
    return f"new construct {p.get('name')!r} ({ORDERS.get(p.get('order'), 'order ?')})"


undo.register("construct.create", _undo_create, _redo_create, _describe_create)
