"""Changing one construct's fields: rename, edit (definition, guidance, example, colour), move
under another parent, change order. Each is one transaction and one event, undone by writing the
field back after checking that nobody changed it since."""
from __future__ import annotations

from typing import Any, Callable, TypedDict

from ...core.constructs import LINK_KINDS, ORDERS, ConstructError, check_parent, parse_order
from ...core.text import one_line
from .. import events, undo
from ..constructs import Construct, construct_row, descendants, get, names
from ..db import Store, row, update_row
from ..ownership import check as check_others
from ..restore import construct_name

EDITABLE = ("definition", "when_to_use", "when_not_to_use", "example", "colour")


class Renamed(TypedDict):
    """Payload of ``construct.rename``."""

    construct: int
    before: str
    after: str


class Edited(TypedDict):
    """Payload of ``construct.edit``: the changed fields only, before and after."""

    construct: int
    name: str
    before: dict[str, str | None]
    after: dict[str, str | None]


class Moved(TypedDict):
    """Payload of ``construct.move``: the parent id before and after (None: the top level)."""

    construct: int
    name: str
    before: int | None
    after: int | None


class OrderChanged(TypedDict):
    """Payload of ``construct.change_order``."""

    construct: int
    name: str
    before: int
    after: int


def _others(db: Store, construct_id: int, reviewer_id: int | None, doing: str, lead: bool,
            touching_others: bool) -> None:
    check_others(db, [construct_id], reviewer_id, repr(construct_row(db, construct_id)["name"]), doing, lead,
                 touching_others)


def rename(db: Store, construct_id: int, new_name: str, reviewer_id: int | None, *, lead: bool = False,
           touching_others: bool = False) -> Construct:
    """Rename the construct; refuses an empty name, the same name, or one another construct has
    (case-insensitive). A change of case only is allowed. A rename changes everyone's codebook, so
    it follows the rule of a merge: a construct other reviewers coded with is renamed only by a
    lead who says so (``lead``, ``touching_others``). Event ``construct.rename``:
    ``{"construct": id, "before": old name, "after": new name}``."""
    with db.atomic():
        payload = _plan_rename(db, construct_id, new_name)
        _others(db, construct_id, reviewer_id, "renaming", lead, touching_others)
        _set(db, construct_id, "name", payload["after"])
        events.record(db, "construct.rename", reviewer_id, payload)
    return get(db, construct_id)


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


def move(db: Store, construct_id: int, new_parent_id: int | None, reviewer_id: int | None, *, lead: bool = False,
         touching_others: bool = False) -> Construct:
    """Put the construct under ``new_parent_id`` (None: at the top level). Refuses the parent it
    already has, itself or one of its own descendants (a cycle), and a parent of a lower order.
    Event ``construct.move``: ``{"construct", "name", "before": old parent id, "after": new}``.
    A construct other reviewers have live codings with is refused (``OwnershipError``) unless
    ``lead`` and ``touching_others`` (see ``store.ownership``)."""
    with db.atomic():
        payload = _plan_move(db, construct_id, new_parent_id)
        _others(db, construct_id, reviewer_id, "moving", lead, touching_others)
        _set(db, construct_id, "parent_id", payload["after"])
        events.record(db, "construct.move", reviewer_id, payload)
    return get(db, construct_id)


def change_order(db: Store, construct_id: int, new_order: int | str, reviewer_id: int | None, *,
                 lead: bool = False, touching_others: bool = False) -> Construct:
    """Make the construct first-, second- or third-order. Refuses when its parent would be of a
    lower order, a child of a higher order, or a link would join the wrong orders (supports 1 -> 2,
    interprets 2 -> 3), naming each. Event ``construct.change_order``:
    ``{"construct", "name", "before": old order, "after": new order}``.
    A construct other reviewers have live codings with is refused (``OwnershipError``) unless
    ``lead`` and ``touching_others`` (see ``store.ownership``)."""
    with db.atomic():
        payload = _plan_order(db, construct_id, new_order)
        _others(db, construct_id, reviewer_id, "changing the order of", lead, touching_others)
        _set(db, construct_id, "construct_order", payload["after"])
        events.record(db, "construct.change_order", reviewer_id, payload)
    return get(db, construct_id)



def _set(db: Store, construct_id: int, column: str, value: Any) -> None:
    db.execute(f"UPDATE construct SET {column} = ? WHERE id = ?", [value, construct_id])


# --- plans: the checks, no writes (checks, no writes) -----------------------------------------------

def _plan_rename(db: Store, construct_id: int, new_name: str) -> Renamed:
    current = construct_row(db, construct_id)
    name = one_line(new_name)
    if not name:
        raise ConstructError("a construct needs a name")
    if name == current["name"]:
        raise ConstructError(f"{name!r} is already called that")
    taken = db.execute("SELECT id, name FROM construct WHERE name = ? AND id != ?", [name, construct_id]).fetchone()
    if taken:
        raise ConstructError(f"a construct called {taken[1]!r} already exists; merge into it instead")
    return Renamed(construct=construct_id, before=current["name"], after=name)


def _plan_edit(db: Store, construct_id: int, values: dict[str, str | None]) -> Edited:
    from ...core.codebook import COLOUR

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
    return Edited(construct=construct_id, name=current["name"], before={k: current[k] for k in changed},
                  after={k: wanted[k] for k in changed})


def _plan_move(db: Store, construct_id: int, new_parent_id: int | None) -> Moved:
    current = construct_row(db, construct_id)
    if new_parent_id == current["parent_id"]:
        where = "at the top level" if new_parent_id is None else f"under {names(db, [new_parent_id])}"
        raise ConstructError(f"{current['name']!r} is already {where}")
    if new_parent_id is not None:
        _check_parent_of(db, current, new_parent_id, current["construct_order"])
    return Moved(construct=construct_id, name=current["name"], before=current["parent_id"], after=new_parent_id)


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


def _plan_order(db: Store, construct_id: int, new_order: int | str) -> OrderChanged:
    current = construct_row(db, construct_id)
    order = parse_order(new_order)
    if order == current["construct_order"]:
        raise ConstructError(f"{current['name']!r} is already {ORDERS[order]}")
    problems = _order_conflicts(db, current, order)
    if problems:
        raise ConstructError(f"{current['name']!r} cannot become {ORDERS[order]}: " + "; ".join(problems))
    return OrderChanged(construct=construct_id, name=current["name"], before=current["construct_order"], after=order)


# --- undo: rename, move and change_order re-plan the inverse with the same rules; edit writes the
# fields back. One swap serves both directions: undo goes after -> before, redo before -> after. ----

def _swap_field(column: str, plan: Callable[[Store, int, Any], Any], what: Callable[[Store, Any], str]):
    def swap(db: Store, p: Any, now_key: str, then_key: str) -> undo.Change:
        now_value = construct_row(db, p["construct"])[column]
        if now_value != p[now_key]:
            raise undo.Conflict(f"it is {what(db, now_value)} now, changed since")
        _set(db, p["construct"], column, plan(db, p["construct"], p[then_key])["after"])
        return undo.Change({}, set(), {p["construct"]})
    return swap


def _swap_edit(db: Store, p: Edited, now_state: str, then_state: str) -> undo.Change:
    current = construct_row(db, p["construct"])
    if any(current[k] != v for k, v in p[now_state].items()):  # type: ignore[literal-required]
        raise undo.Conflict(f"{current['name']!r} was edited since")
    update_row(db, "construct", {"id": p["construct"], **p[then_state]})  # type: ignore[literal-required]
    return undo.Change({}, set(), {p["construct"]})


def _register(action: str, swap: Callable[..., undo.Change], describe: Callable[[Store, Any], str]) -> None:
    undo.register(action, lambda db, p, *_: swap(db, p, "after", "before"),
                  lambda db, p, *_: swap(db, p, "before", "after"), describe)


def _where(db: Store, parent_id: int | None) -> str:
    return "top level" if parent_id is None else f"under {construct_name(db, parent_id)!r}"


def _describe(label: str, what: Callable[[Store, Any], str]) -> Callable[[Store, Any], str]:
    def describe(db: Store, p: Any) -> str:
        name = p.get("name") or construct_name(db, p["construct"])
        return f"{label} {name!r}: {what(db, p['before'])} -> {what(db, p['after'])}"
    return describe


def _fields(values: dict) -> str:
    return ", ".join(k.replace("_", " ") for k in EDITABLE if k in values)


def _order_label(db: Store, order: int) -> str:
    return ORDERS.get(order, str(order))


_register("construct.rename", _swap_field("name", _plan_rename, lambda db, v: repr(v)),
          lambda db, p: f"renaming {p['before']!r} to {p['after']!r}")
_register("construct.edit", _swap_edit, lambda db, p: f"editing {p['name']!r} ({_fields(p['after'])})")
_register("construct.move", _swap_field("parent_id", _plan_move, _where), _describe("moving", _where))
_register("construct.change_order", _swap_field("construct_order", _plan_order, _order_label),
          _describe("order of", _order_label))
