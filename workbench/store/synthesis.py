"""The synthesis (Noblit & Hare phase 6): the third-order hierarchy with each construct's
contributing studies, and relations between third-order constructs for the line of argument.

API for the screens and the CLI:

- ``relate(db, from_id, kind, to_id, reviewer_id, note)``: ``from`` leads to / shapes / contrasts
  with ``to`` (both third-order); event ``synthesis.relate`` (``Related``: the whole row).
- ``unrelate(db, relation_id, reviewer_id)``: event ``synthesis.unrelate``; both undo each other.
- ``relations(db) -> list[Relation]``; ``find_relation(db, from_id, kind, to_id)``.
- ``synthesis(db, reviewer_id, rule, index_study_id) -> list[Group]``: the grid's groups
  (``core.translation``), each concept with its contributing and refuting studies (the grid's row
  rule: a study contributes when its cell has evidence, following links and codings down, or is
  judged reciprocal or line of argument), its second-order constructs with the studies expressing
  them, and its relations. ``reviewer_id`` None: everybody's codings and judgements.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, TypedDict

from ..core.errors import WorkbenchError
from ..core.text import one_line
from ..core.translation import CONTRIBUTING, Column, Node
from . import events, undo
from .constructs import construct_row
from .db import Store, insert_row, now, row
from .restore import construct_name
from .translation import load_grid

RELATION_KINDS = ("leads_to", "shapes", "contrasts_with")
RELATION_WORDS = {"leads_to": "leads to", "shapes": "shapes", "contrasts_with": "contrasts with"}
_NOT = {"leads_to": "lead to", "shapes": "shape", "contrasts_with": "contrast with"}


class SynthesisError(WorkbenchError, ValueError):
    """A synthesis change was refused; the message says why."""


def parse_relation(text: str) -> str:
    """The stored kind for "leads-to", "leads to", "contrasts_with"...; refuses anything else."""
    key = "_".join(str(text).strip().lower().replace("-", " ").replace("_", " ").split())
    if key not in RELATION_KINDS:
        raise SynthesisError(f"a relation is {', '.join(k.replace('_', '-') for k in RELATION_KINDS)}, not {text!r}")
    return key


class Related(TypedDict):
    """Payload of ``synthesis.relate`` and ``synthesis.unrelate``: the relation's whole row."""

    relation: dict[str, Any]


@dataclass(frozen=True)
class Relation:
    id: int
    from_id: int
    from_name: str
    kind: str
    to_id: int
    to_name: str
    note: str

    @property
    def words(self) -> str:
        return f"{self.from_name} {RELATION_WORDS[self.kind]} {self.to_name}"


def relate(db: Store, from_id: int, kind: str, to_id: int, reviewer_id: int | None, note: str = "") -> Relation:
    """Record that one third-order construct leads to, shapes or contrasts with another; refuses
    other orders, a construct related to itself and a relation that is there already."""
    kind = parse_relation(kind)
    with db.atomic():
        _check(db, from_id, kind, to_id)
        rid = db.execute("INSERT INTO synthesis_relation (from_id, to_id, kind, note, created_by, created_at) "
                         "VALUES (?,?,?,?,?,?)", [from_id, to_id, kind, one_line(note), reviewer_id, now()]).lastrowid
        events.record(db, "synthesis.relate", reviewer_id, Related(relation=row(db, "synthesis_relation", rid)))
    return get_relation(db, rid)


def unrelate(db: Store, relation_id: int, reviewer_id: int | None) -> Relation:
    """Remove a relation. Event ``synthesis.unrelate``."""
    with db.atomic():
        gone = get_relation(db, relation_id)
        values = row(db, "synthesis_relation", relation_id)
        db.execute("DELETE FROM synthesis_relation WHERE id = ?", [relation_id])
        events.record(db, "synthesis.unrelate", reviewer_id, Related(relation=values))
    return gone


def relations(db: Store) -> list[Relation]:
    """Every relation, by the names it joins."""
    return _relations(db, "", [])


def get_relation(db: Store, relation_id: int) -> Relation:
    found = _relations(db, "WHERE x.id = ?", [relation_id])
    if not found:
        raise SynthesisError(f"no relation with id {relation_id}")
    return found[0]


def find_relation(db: Store, from_id: int, kind: str, to_id: int) -> Relation:
    """The relation ``from kind to``; refuses (naming it) when there is none."""
    kind = parse_relation(kind)
    found = _relations(db, "WHERE x.from_id = ? AND x.kind = ? AND x.to_id = ?", [from_id, kind, to_id])
    if not found:
        raise SynthesisError(f"{construct_name(db, from_id)!r} does not {_NOT[kind]} {construct_name(db, to_id)!r} "
                             "in the synthesis: nothing to remove")
    return found[0]


def _relations(db: Store, where: str, args: list) -> list[Relation]:
    return [Relation(*r) for r in db.execute(
        "SELECT x.id, x.from_id, a.name, x.kind, x.to_id, b.name, x.note FROM synthesis_relation x "
        f"JOIN construct a ON a.id = x.from_id JOIN construct b ON b.id = x.to_id {where} "
        "ORDER BY a.name COLLATE NOCASE, x.kind, b.name COLLATE NOCASE", args)]


def _check(db: Store, from_id: int, kind: str, to_id: int) -> None:
    source, target = construct_row(db, from_id), construct_row(db, to_id)
    for c in (source, target):
        if c["construct_order"] != 3:
            raise SynthesisError(f"{c['name']!r} is not third-order: the line of argument relates the review's "
                                 "third-order constructs")
    if from_id == to_id:
        raise SynthesisError(f"{source['name']!r} cannot be related to itself")
    if db.execute("SELECT 1 FROM synthesis_relation WHERE from_id = ? AND to_id = ? AND kind = ?",
                  [from_id, to_id, kind]).fetchone():
        raise SynthesisError(f"{source['name']!r} {RELATION_WORDS[kind]} {target['name']!r} already")


# --- reading: the hierarchy with contributing studies -------------------------------------------------

@dataclass(frozen=True)
class Expressed:
    """A second-order construct and the studies (in study order) whose cells show it."""

    node: Node
    studies: list[Column]


@dataclass(frozen=True)
class Concept:
    node: Node
    contributing: list[Column]
    refuting: list[Column]
    second_order: list[Expressed]
    relations: list[Relation]           # from this construct


@dataclass(frozen=True)
class Group:
    """An overarching construct (None: concepts under none) with its concepts and the studies that
    contribute to any of them."""

    overarching: Node | None
    concepts: list[Concept]
    contributing: list[Column]


def synthesis(db: Store, reviewer_id: int | None = None, rule: str = "chronological",
              index_study_id: int | None = None) -> list[Group]:
    """The synthesis hierarchy (see the module docstring)."""
    with db.snapshot():
        grid = load_grid(db, reviewer_id, rule, index_study_id)
        out_of: dict[int, list[Relation]] = {}
        for r in relations(db):
            out_of.setdefault(r.from_id, []).append(r)
    groups = []
    for group, rows in grid.groups():
        concepts, anywhere = [], set()
        for r in rows:
            contributing, refuting, seconds = [], [], {}
            for column, cell in zip(grid.columns, r.cells):
                if cell.has_evidence or cell.kinds & set(CONTRIBUTING):
                    contributing.append(column)
                    anywhere.add(column.id)
                if "refutational" in cell.kinds:
                    refuting.append(column)
                for n in cell.second_order:
                    seconds.setdefault(n.id, (n, []))[1].append(column)
            expressed = [Expressed(n, cols) for n, cols in sorted(seconds.values(), key=lambda x: x[0].name.casefold())]
            concepts.append(Concept(r.concept, contributing, refuting, expressed, out_of.get(r.concept.id, [])))
        groups.append(Group(group, concepts, [c for c in grid.columns if c.id in anywhere]))
    return groups


# --- undo: one puts the relation row back (same id), the other takes it out -------------------------

def _put(db: Store, p: Related, *_: Any) -> undo.Change:
    values = p["relation"]
    if row(db, "synthesis_relation", values["id"]) is not None:
        raise undo.Conflict(f"relation id {values['id']} is used by another relation now")
    _check(db, values["from_id"], values["kind"], values["to_id"])
    insert_row(db, "synthesis_relation", values)
    return undo.Change({}, set(), {values["from_id"], values["to_id"]})


def _take(db: Store, p: Related, *_: Any) -> undo.Change:
    values = p["relation"]
    if row(db, "synthesis_relation", values["id"]) != values:
        raise undo.Conflict("the relation was changed or removed since")
    db.execute("DELETE FROM synthesis_relation WHERE id = ?", [values["id"]])
    return undo.Change({}, set(), {values["from_id"], values["to_id"]})


def _describe(verb: str) -> Callable[[Store, Related], str]:
    def describe(db: Store, p: Related) -> str:
        v = p["relation"]
        return (f"{verb} {construct_name(db, v['from_id'])!r} {RELATION_WORDS.get(v['kind'], v['kind'])} "
                f"{construct_name(db, v['to_id'])!r}")
    return describe


undo.register("synthesis.relate", _take, _put, _describe("relating"))
undo.register("synthesis.unrelate", _put, _take, _describe("unrelating"))
