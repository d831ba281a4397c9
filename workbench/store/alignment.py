"""Aligned constructs: one reviewer's own construct counted as another's when agreement is measured.

Coding blind, alice makes "Obligation to family" and ben "Family obligations". A confirmed
alignment (a ``construct_alignment`` row: ben's construct ``counted_as`` alice's) makes every
agreement computation count ben's codings as alice's construct (``canonical``); nothing else
changes: both constructs, their names and codings stay as they are.

Whose constructs are whose follows the blind rules (``store.blind``): between reviewers A and B,
A's own constructs are those A made or codes with that B does not see coding blind; B's likewise.
Every other construct either codes with (the codebook's, or one both code with) is *shared*: it is
aligned with itself and needs no pairing.

Pairing is one-to-one between two reviewers: B's construct is counted as at most one construct,
which is A's or shared, of the same order, not itself counted as another, and no other construct of
B's is counted as it. With a third reviewer, C's constructs are aligned onto A's the same way, so
three reviewers' constructs meet on A's. Deleting or merging away a construct takes its alignment
with it (the database's ON DELETE CASCADE; undoing the deletion does not bring the alignment back).

Each change is one event: ``alignment.pair`` (one pair, by hand or the screen's enter),
``alignment.confirm`` (every proposed pair at once), ``alignment.unpair``; all three carry
``{"rows": [the whole construct_alignment rows]}`` and undo each other.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, TypedDict

from ..core.alignment import THRESHOLD, Entry, Pair, Proposal, propose, score
from ..core.constructs import ORDERS, ConstructError
from . import blind, events, undo
from .db import Store, now
from .restore import construct_name, who

PAIR, CONFIRM, UNPAIR = "alignment.pair", "alignment.confirm", "alignment.unpair"
_COLUMNS = ("construct_id", "counted_as_id", "confirmed_by", "confirmed_at")


class AlignmentError(ConstructError):
    """A pairing was refused; the message names the constructs and says what to do."""


class AlignedRows(TypedDict):
    """Payload of ``alignment.pair``, ``alignment.confirm`` and ``alignment.unpair``: the whole rows."""

    rows: list[dict[str, Any]]


def canonical(db: Store) -> dict[int, int]:
    """Construct id -> the id it is counted as, for every aligned construct; a construct not in the
    dict counts as itself. What every agreement computation maps codings through."""
    return dict(db.execute("SELECT construct_id, counted_as_id FROM construct_alignment"))


@dataclass(frozen=True)
class Sides:
    """The constructs of two reviewers A and B, as alignment sees them (see the module's docstring)."""

    own_a: tuple[Entry, ...]
    own_b: tuple[Entry, ...]
    shared: tuple[Entry, ...]


def _entries(db: Store, ids: set[int]) -> tuple[Entry, ...]:
    if not ids:
        return ()
    found = db.execute("SELECT id, name, construct_order, definition FROM construct WHERE id IN "
                       "(SELECT value FROM json_each(?)) ORDER BY construct_order, name COLLATE NOCASE",
                       [_json(ids)]).fetchall()
    return tuple(Entry(*r) for r in found)


def _json(ids) -> str:
    return json.dumps(sorted(ids))


def sides(db: Store, reviewer_a: int, reviewer_b: int) -> Sides:
    """A's own constructs, B's own constructs, and the shared ones either codes with."""
    if reviewer_a == reviewer_b:
        raise AlignmentError(f"alignment pairs two reviewers' constructs: name two reviewers, not "
                             f"{who(db, reviewer_a)} twice")

    def used(r: int) -> set[int]:
        return {i for (i,) in db.execute(
            "SELECT DISTINCT construct_id FROM coding WHERE reviewer_id = ? AND removed_at IS NULL", [r])}

    def made(r: int) -> set[int]:
        return {i for (i,) in db.execute("SELECT id FROM construct WHERE created_by = ?", [r])}

    used_a, used_b = used(reviewer_a), used(reviewer_b)
    own_a = (used_a | made(reviewer_a)) & blind.hidden(db, reviewer_b).constructs
    own_b = (used_b | made(reviewer_b)) & blind.hidden(db, reviewer_a).constructs
    return Sides(_entries(db, own_a), _entries(db, own_b), _entries(db, (used_a | used_b) - own_a - own_b))


def partners(db: Store, reviewer_id: int) -> list[tuple[int, str]]:
    """``(id, name)`` of every other reviewer, those with live codings first, then by name."""
    return [(r, n) for r, n, _ in db.execute(
        "SELECT r.id, r.name, EXISTS (SELECT 1 FROM coding c WHERE c.reviewer_id = r.id AND c.removed_at IS NULL) "
        "AS coded FROM reviewer r WHERE r.id != ? ORDER BY coded DESC, r.name COLLATE NOCASE", [reviewer_id])]


@dataclass(frozen=True)
class Confirmed:
    """A confirmed pair: ``pair.b`` is counted as ``pair.a``; who confirmed it and when."""

    pair: Pair
    confirmed_by: str
    confirmed_at: str


@dataclass(frozen=True)
class Alignment:
    """What the alignment screen and ``workbench align`` show for two reviewers A and B."""

    reviewer_a: str
    reviewer_b: str
    sides: Sides
    confirmed: tuple[Confirmed, ...]  # either way round: B's counted as A's (or shared), or A's as B's
    proposal: Proposal  # over the constructs not paired yet

    def owner(self, entry: Entry) -> str | None:
        """Whose construct it is: A's or B's name, None for a shared one."""
        if entry in self.sides.own_a:
            return self.reviewer_a
        if entry in self.sides.own_b:
            return self.reviewer_b
        return None


def proposed(db: Store, reviewer_a: int, reviewer_b: int, threshold: float = THRESHOLD) -> Alignment:
    """The confirmed pairs between A's and B's constructs (each scored), and a proposal for the rest."""
    with db.snapshot():
        return _proposed(db, reviewer_a, reviewer_b, threshold)


def _proposed(db: Store, reviewer_a: int, reviewer_b: int, threshold: float) -> Alignment:
    found = sides(db, reviewer_a, reviewer_b)
    rows = list(db.query(
        "SELECT a.construct_id, a.counted_as_id, a.confirmed_at, r.name AS confirmed_by FROM construct_alignment a "
        "LEFT JOIN reviewer r ON r.id = a.confirmed_by"))
    known = {e.key: e for e in found.own_a + found.own_b + found.shared}
    side = {**{e.key: "a" for e in found.own_a}, **{e.key: "b" for e in found.own_b}}
    confirmed = []
    for r in rows:
        x, y = r["construct_id"], r["counted_as_id"]
        if side.get(x) and y in known and side.get(y) != side[x]:
            confirmed.append(Confirmed(score(known[y], known[x]), r["confirmed_by"] or "someone", r["confirmed_at"]))
    confirmed.sort(key=lambda c: (c.pair.a.order, c.pair.a.name.casefold(), c.pair.b.name.casefold()))
    # a construct paired, or counted as one outside these two reviewers' constructs, is not offered again
    paired = {r["construct_id"] for r in rows} | {k for c in confirmed for k in (c.pair.a.key, c.pair.b.key)}
    proposal = propose([e for e in found.own_a if e.key not in paired],
                       [e for e in found.own_b if e.key not in paired], found.shared, threshold)
    return Alignment(who(db, reviewer_a), who(db, reviewer_b), found, tuple(confirmed), proposal)


# --- changes ---------------------------------------------------------------------------------------

def _name(db: Store, construct_id: int) -> tuple[str, int]:
    found = db.execute("SELECT name, construct_order FROM construct WHERE id = ?", [construct_id]).fetchone()
    if found is None:
        raise AlignmentError("that construct no longer exists (deleted or merged away)")
    return found[0], found[1]


def check_structure(db: Store, construct_id: int, counted_as_id: int) -> None:
    """Refuse a pair that is not one construct onto another of the same order, or that would chain:
    the construct paired already, the target counted as another, or another construct counted as
    the construct."""
    name, order = _name(db, construct_id)
    target, target_order = _name(db, counted_as_id)
    if construct_id == counted_as_id:
        raise AlignmentError(f"{name!r} cannot be paired with itself: pair it with another reviewer's construct")
    if order != target_order:
        raise AlignmentError(f"{name!r} is {ORDERS[order]} and {target!r} is {ORDERS[target_order]}: only "
                             f"constructs of the same order are paired (a participant's quote is never an author's theme)")
    now_as = db.execute("SELECT counted_as_id FROM construct_alignment WHERE construct_id = ?", [construct_id]).fetchone()
    if now_as is not None:
        raise AlignmentError(f"{name!r} is counted as {construct_name(db, now_as[0])!r} already: unpair it first")
    onto = [n for (n,) in db.execute(
        "SELECT c.name FROM construct_alignment a JOIN construct c ON c.id = a.construct_id "
        "WHERE a.counted_as_id = ? ORDER BY c.name COLLATE NOCASE", [construct_id])]
    if onto:
        raise AlignmentError(f"{', '.join(map(repr, onto))} {'is' if len(onto) == 1 else 'are'} counted as "
                             f"{name!r}: unpair {'it' if len(onto) == 1 else 'them'} first, or pair the other way round")
    further = db.execute("SELECT counted_as_id FROM construct_alignment WHERE construct_id = ?", [counted_as_id]).fetchone()
    if further is not None:
        raise AlignmentError(f"{target!r} is itself counted as {construct_name(db, further[0])!r}: pair {name!r} "
                             f"with {construct_name(db, further[0])!r} instead")


def _check_sides(db: Store, construct_id: int, counted_as_id: int, reviewer_a: int, reviewer_b: int) -> None:
    """Refuse a pair whose first construct is not B's own, or whose second is B's too, or a second
    construct of B's counted as the same construct of A's (one-to-one)."""
    found = sides(db, reviewer_a, reviewer_b)
    a, b = who(db, reviewer_a), who(db, reviewer_b)
    own_a = {e.key for e in found.own_a}
    own_b = {e.key for e in found.own_b}
    shared = {e.key for e in found.shared}
    name, _ = _name(db, construct_id)
    target, _ = _name(db, counted_as_id)
    if construct_id not in own_b:
        if construct_id in own_a and counted_as_id in own_b:
            raise AlignmentError(f"{name!r} is {a}'s and {target!r} is {b}'s: write {b}'s construct first, "
                                 f"\"{target}={name}\"")
        if construct_id in shared:
            raise AlignmentError(f"{name!r} is shared: both {a} and {b} see it coding blind, so it is already "
                                 f"counted as itself")
        raise AlignmentError(f"{name!r} is not one of {b}'s own constructs (those {b} made or codes with that "
                             f"{a} does not see coding blind)")
    if counted_as_id in own_b:
        raise AlignmentError(f"{name!r} and {target!r} are both {b}'s: pair {b}'s construct with one of {a}'s")
    if counted_as_id not in own_a and counted_as_id not in shared:
        raise AlignmentError(f"{target!r} is not one of {a}'s constructs nor a shared one: pair {name!r} with a "
                             f"construct {a} codes with")
    clash = [n for i, n in db.execute(
        "SELECT c.id, c.name FROM construct_alignment a JOIN construct c ON c.id = a.construct_id "
        "WHERE a.counted_as_id = ? ORDER BY c.name COLLATE NOCASE", [counted_as_id]) if i in own_b]
    if clash:
        raise AlignmentError(f"{b}'s {clash[0]!r} is counted as {target!r} already: each of {b}'s constructs "
                             f"pairs with one of {a}'s; unpair {clash[0]!r} first")


def _insert(db: Store, construct_id: int, counted_as_id: int, reviewer_id: int | None) -> dict[str, Any]:
    values = {"construct_id": construct_id, "counted_as_id": counted_as_id, "confirmed_by": reviewer_id,
              "confirmed_at": now()}
    db.execute("INSERT INTO construct_alignment (construct_id, counted_as_id, confirmed_by, confirmed_at) "
               "VALUES (:construct_id, :counted_as_id, :confirmed_by, :confirmed_at)", values)
    return values


def pair(db: Store, construct_id: int, counted_as_id: int, reviewer_a: int, reviewer_b: int,
         reviewer_id: int | None) -> dict[str, Any]:
    """Count B's construct ``construct_id`` as A's (or a shared) ``counted_as_id``; refuses, in
    words, a construct with itself, different orders, a chain, a construct that is not B's, or a
    second of B's onto the same one. Event ``alignment.pair``; returns the row."""
    with db.atomic():
        check_structure(db, construct_id, counted_as_id)
        _check_sides(db, construct_id, counted_as_id, reviewer_a, reviewer_b)
        values = _insert(db, construct_id, counted_as_id, reviewer_id)
        events.record(db, PAIR, reviewer_id, AlignedRows(rows=[values]))
    return values


def confirm(db: Store, reviewer_a: int, reviewer_b: int, reviewer_id: int | None,
            threshold: float = THRESHOLD) -> list[Pair]:
    """Confirm every pair proposed now between A's and B's constructs (at ``threshold``), in one
    event ``alignment.confirm``; returns the pairs confirmed (none when nothing is proposed, and no event)."""
    with db.atomic():
        pairs = list(_proposed(db, reviewer_a, reviewer_b, threshold).proposal.pairs)
        if not pairs:
            return []
        rows = []
        for p in pairs:
            check_structure(db, p.b.key, p.a.key)
            rows.append(_insert(db, p.b.key, p.a.key, reviewer_id))
        events.record(db, CONFIRM, reviewer_id, AlignedRows(rows=rows))
    return pairs


def unpair(db: Store, construct_id: int, reviewer_id: int | None) -> dict[str, Any]:
    """Stop counting a construct as another. ``construct_id`` is the construct counted as another,
    or the one it is counted as when exactly one construct is; refuses otherwise, naming them.
    Event ``alignment.unpair``; returns the row as it was."""
    with db.atomic():
        name, _ = _name(db, construct_id)
        found = next(db.query("SELECT * FROM construct_alignment WHERE construct_id = ?", [construct_id]), None)
        if found is None:
            onto = list(db.query("SELECT a.*, c.name FROM construct_alignment a JOIN construct c "
                                 "ON c.id = a.construct_id WHERE a.counted_as_id = ? ORDER BY c.name COLLATE NOCASE",
                                 [construct_id]))
            if not onto:
                raise AlignmentError(f"{name!r} is not paired with any construct")
            if len(onto) > 1:
                raise AlignmentError(f"{', '.join(repr(r['name']) for r in onto)} are counted as {name!r}: "
                                     f"unpair one of them by its name")
            found = {k: onto[0][k] for k in _COLUMNS}
        db.execute("DELETE FROM construct_alignment WHERE construct_id = ?", [found["construct_id"]])
        events.record(db, UNPAIR, reviewer_id, AlignedRows(rows=[found]))
    return found


# --- undo: pairing and confirming take their rows out again, unpairing puts its row back ----------------

def _put(db: Store, p: AlignedRows, *_: Any) -> undo.Change:
    for values in p["rows"]:
        try:
            check_structure(db, values["construct_id"], values["counted_as_id"])
        except AlignmentError as exc:
            raise undo.Conflict(str(exc)) from None
        db.execute("INSERT INTO construct_alignment (construct_id, counted_as_id, confirmed_by, confirmed_at) "
                   "VALUES (?, ?, ?, ?)", [values[k] for k in _COLUMNS])
    return undo.Change({}, set(), _ids(p))


def _take(db: Store, p: AlignedRows, *_: Any) -> undo.Change:
    for values in p["rows"]:
        now_row = next(db.query("SELECT * FROM construct_alignment WHERE construct_id = ?",
                                [values["construct_id"]]), None)
        if now_row != values:
            raise undo.Conflict(f"{construct_name(db, values['construct_id'])!r} was unpaired or paired again since")
    for values in p["rows"]:
        db.execute("DELETE FROM construct_alignment WHERE construct_id = ?", [values["construct_id"]])
    return undo.Change({}, set(), _ids(p))


def _ids(p: AlignedRows) -> set[int]:
    return {v["construct_id"] for v in p["rows"]} | {v["counted_as_id"] for v in p["rows"]}


def _describe(verb: str) -> Callable[[Store, AlignedRows], str]:
    def describe(db: Store, p: AlignedRows) -> str:
        shown = [f"{construct_name(db, v['construct_id'])!r} as {construct_name(db, v['counted_as_id'])!r}"
                 for v in p["rows"][:3]]
        more = f" and {len(p['rows']) - 3} more" if len(p["rows"]) > 3 else ""
        return f"{verb} {', '.join(shown)}{more}"
    return describe


undo.register(PAIR, _take, _put, _describe("counting"))
undo.register(CONFIRM, _take, _put, _describe("confirming"))
undo.register(UNPAIR, _put, _take, _describe("no longer counting"))
