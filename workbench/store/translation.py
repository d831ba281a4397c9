"""The translation view's data: the grid, a cell's evidence, spans rolled up along links, each
study's concepts (juxtaposition), and translation judgements (per reviewer, undoable).

API for the screens and the CLI (``reviewer_id`` None means every reviewer's work; a reviewer's id
means only theirs: blind, like codings):

- ``load_grid(db, reviewer_id, rule, index_study_id) -> core.translation.Grid``: one query set
  (constructs, links, coding counts per construct and study, judgements, studies in study order);
  ``rule``/``index_study_id`` are project.yaml's (``order.fallback(project)``), used only while no
  study order is stored. The model's rules are in ``core.translation``. ``rejudged(db, grid,
  concept_id, study_id, reviewer_id)`` re-reads one cell's judgements after a change to them.
- ``cell_evidence(db, concept_id, study_id, reviewer_id) -> Evidence``: every coded span in the
  study that rolls up to the concept, with its order, reviewer and chain, and the judgements.
- ``spans_rolled_up(db, construct_id, reviewer_id) -> list[RolledSpan]``: every coded span of the
  construct and of every construct under it (children, linked constructs, at any depth), each
  marked by how it is reached (``steps``: empty when coded with the construct itself).
- ``study_concepts(db, reviewer_id, study_ids) -> list[StudyConcepts]``: per study, its
  second-order constructs with the first-order constructs under them and counts.
- ``judge(db, concept_id, study_id, reviewer_id, kind, note)`` / ``clear(...)``: record or take
  back a reviewer's judgement; events ``translation.set`` / ``translation.clear`` (``Judged``:
  the judgement row before and after, None where there was none), undone like every change.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any, TypedDict

from ..core.constructs import ConstructError
from ..core.translation import (KIND_WORDS, Column, Grid, GridInputs, Judgement, Node, TranslationError, below,
                                build_grid, parse_kind, reach)
from . import events, undo
from .codings import CodedSpan
from .db import Store, insert_row, now, row
from .restore import construct_name, who
from .studies import get_study, label, ordered_ids

# --- reading: the grid ------------------------------------------------------------------------------

def nodes(db: Store) -> list[Node]:
    """Every construct as a grid ``Node``."""
    return [Node(*r) for r in db.execute("SELECT id, name, construct_order, parent_id FROM construct ORDER BY id")]


def links(db: Store) -> list[tuple[int, int]]:
    """Every link as ``(from_id, to_id)``."""
    return [tuple(r) for r in db.execute("SELECT from_id, to_id FROM construct_link ORDER BY id")]


def columns(db: Store, rule: str = "chronological", index_study_id: int | None = None) -> list[Column]:
    """The studies not removed, in study order, as grid columns labelled "Heist 2018"."""
    found = {r[0]: Column(r[0], label(json.loads(r[1]), r[2], r[3]), r[2])
             for r in db.execute("SELECT id, authors, year, title FROM study WHERE removed_at IS NULL")}
    return [found[i] for i in ordered_ids(db, rule, index_study_id)]


def coding_counts(db: Store, reviewer_id: int | None) -> dict[int, dict[int, int]]:
    """Live codings per construct id, then per study id (one reviewer's, or everybody's)."""
    # the live-identity index holds construct, study and reviewer in that order: a covering scan that
    # groups as it goes, where the reviewer index would look up every row and sort (0.13 s vs 0.23 s
    # for one reviewer's third of 100,000 codings)
    sql = "SELECT construct_id, study_id, count(*) FROM coding INDEXED BY coding_live_identity WHERE removed_at IS NULL"
    args: list = []
    if reviewer_id is not None:
        sql += " AND reviewer_id = ?"
        args.append(reviewer_id)
    found: dict[int, dict[int, int]] = {}
    for construct_id, study_id, n in db.execute(sql + " GROUP BY construct_id, study_id", args):
        found.setdefault(construct_id, {})[study_id] = n
    return found


def judgements(db: Store, reviewer_id: int | None, concept_id: int | None = None,
               study_id: int | None = None) -> dict[tuple[int, int], list[Judgement]]:
    """Judgements per ``(concept_id, study_id)``: one reviewer's, or everybody's; optionally of
    one concept and/or one study."""
    where, args = [], []
    for column, value in (("t.reviewer_id", reviewer_id), ("t.concept_id", concept_id), ("t.study_id", study_id)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    found: dict[tuple[int, int], list[Judgement]] = {}
    for concept, study, rid, name, kind, note in db.execute(
            "SELECT t.concept_id, t.study_id, t.reviewer_id, r.name, t.kind, t.note FROM translation t "
            "JOIN reviewer r ON r.id = t.reviewer_id" + (f" WHERE {' AND '.join(where)}" if where else "")
            + " ORDER BY r.name COLLATE NOCASE", args):
        found.setdefault((concept, study), []).append(Judgement(rid, name, kind, note))
    return found


def grid_inputs(db: Store, reviewer_id: int | None = None, rule: str = "chronological",
                index_study_id: int | None = None) -> GridInputs:
    """Everything ``build_grid`` needs, read in one snapshot. For one reviewer (blind), the
    constructs and links another reviewer added (``blind.hidden``) are left out, as everywhere
    else in blind mode."""
    from .blind import hidden as hidden_from

    with db.snapshot():
        found, pairs = nodes(db), links(db)
        hidden = hidden_from(db, reviewer_id) if reviewer_id is not None else None
        if hidden:
            gone = hidden.constructs
            found = [replace(n, parent_id=None) if n.parent_id in gone else n for n in found if n.id not in gone]
            pairs = [(a, b) for link_id, a, b in db.execute("SELECT id, from_id, to_id FROM construct_link ORDER BY id")
                     if link_id not in hidden.links and a not in gone and b not in gone]
        return GridInputs(found, columns(db, rule, index_study_id), pairs, coding_counts(db, reviewer_id),
                          judgements(db, reviewer_id))


def load_grid(db: Store, reviewer_id: int | None = None, rule: str = "chronological",
              index_study_id: int | None = None) -> Grid:
    """The translation grid (``core.translation``), of one reviewer's work or everybody's."""
    return build_grid(grid_inputs(db, reviewer_id, rule, index_study_id))


def rejudged(db: Store, grid: Grid, concept_id: int, study_id: int, reviewer_id: int | None = None) -> Grid:
    """``grid`` with the judgements of one cell read again (one reviewer's, or everybody's): after
    ``judge``, ``clear``, an undo or a redo of one, in a few milliseconds at any size. A change of
    codings, links or constructs needs ``load_grid`` again."""
    found = judgements(db, reviewer_id, concept_id, study_id).get((concept_id, study_id), [])
    return grid.with_judgements(concept_id, study_id, found)


# --- reading: spans rolled up along links and the hierarchy ------------------------------------------

@dataclass(frozen=True)
class RolledSpan:
    """A coded span reached from a construct: ``construct_id``/``construct``/``order`` are the
    construct it is coded with; ``path`` the names from the construct asked about down to that one;
    ``steps`` how each step goes down ("interprets", "supports", "under"), empty when the span is
    coded with the construct asked about."""

    span: CodedSpan
    construct_id: int
    construct: str
    order: int
    path: tuple[str, ...]
    steps: tuple[str, ...]

    @property
    def direct(self) -> bool:
        return not self.steps

    @property
    def chain(self) -> str:
        """``Family over finances ← Pivotal experiences ← dissatisfaction``: the link chain, from
        the construct asked about down to the one coded."""
        return " ← ".join(self.path)

    @property
    def reached(self) -> str:
        """How a reviewer reads the way it is reached: "coded", or "via 'Pivotal experiences'
        (interprets)" naming the construct one step down and the kind of each step."""
        if not self.steps:
            return "coded"
        return f"via {self.path[1]!r} ({', '.join(self.steps)})"


def _rolled(db: Store, construct_id: int, reviewer_id: int | None, study_id: int | None) -> list[RolledSpan]:
    every = nodes(db)
    named = {n.id: n for n in every}
    if construct_id not in named:
        raise TranslationError(f"no construct with id {construct_id}")
    found = reach(below(every, links(db)), construct_id)
    where = ["c.removed_at IS NULL", "c.construct_id IN (SELECT value FROM json_each(?))"]
    args: list[Any] = [json.dumps(sorted(found))]
    if reviewer_id is not None:
        where.append("c.reviewer_id = ?")
        args.append(reviewer_id)
    if study_id is not None:
        where.append("c.study_id = ?")
        args.append(study_id)
    spans = []
    for r in db.execute(
            "SELECT c.construct_id, c.id, s.id, s.title, s.year, s.authors, c.reviewer_id, r.name, c.span_start, "
            "c.span_end, c.exact, c.prefix, c.suffix FROM coding c JOIN study s ON s.id = c.study_id "
            f"JOIN reviewer r ON r.id = c.reviewer_id WHERE {' AND '.join(where)} AND s.removed_at IS NULL", args):
        span = CodedSpan(r[1], r[2], r[3], r[4], tuple(json.loads(r[5] or "[]")), *r[6:])
        chain = found[r[0]]
        node = named[r[0]]
        spans.append(RolledSpan(span, node.id, node.name, node.order,
                                (named[construct_id].name, *(named[c].name for _, c in chain)),
                                tuple(kind for kind, _ in chain)))
    place = {sid: n for n, sid in enumerate(ordered_ids(db))}
    spans.sort(key=lambda s: (place.get(s.span.study_id, len(place)), s.span.start, s.span.end, len(s.steps),
                              s.span.coding_id))
    return spans


def spans_rolled_up(db: Store, construct_id: int, reviewer_id: int | None = None) -> list[RolledSpan]:
    """Every live coded span (one reviewer's, or everybody's) of the construct and of every
    construct under it, at any depth: its children, the second-order constructs that interpret it,
    the first-order ones that support those. Sorted by study order, then offset; each marked by how
    it is reached (``RolledSpan.steps``, ``reached``)."""
    return _rolled(db, construct_id, reviewer_id, None)


@dataclass(frozen=True)
class Evidence:
    """A grid cell's evidence: the concept, the study (its column), the spans in the study that roll
    up to the concept (by offset), and the judgements shown."""

    concept: Node
    study: Column
    spans: list[RolledSpan]
    judgements: list[Judgement]


def cell_evidence(db: Store, concept_id: int, study_id: int, reviewer_id: int | None = None) -> Evidence:
    """Every live coded span in the study that rolls up to the concept (``spans_rolled_up``), in
    text order, with the judgements of the cell (one reviewer's, or everybody's)."""
    study = get_study(db, study_id)
    with db.snapshot():
        spans = _rolled(db, concept_id, reviewer_id, study_id)
        spans.sort(key=lambda s: (s.span.start, s.span.end, len(s.steps), s.span.coding_id))
        concept = next(n for n in nodes(db) if n.id == concept_id)
        judged = judgements(db, reviewer_id, concept_id, study_id).get((concept_id, study_id), [])
    return Evidence(concept, Column(study_id, label(study["authors"], study["year"], study["title"]), study["year"]),
                    spans, judged)


# --- reading: juxtaposition, each study's concepts ----------------------------------------------------

@dataclass(frozen=True)
class Counted:
    """A construct with its live codings in one study."""

    node: Node
    codings: int


@dataclass(frozen=True)
class SecondOrder:
    """A second-order construct of a study: its own codings there, the first-order constructs under
    it coded there, and their codings in all (each coding once)."""

    node: Node
    codings: int
    first_order: list[Counted]
    first_order_codings: int


@dataclass(frozen=True)
class StudyConcepts:
    """One study's key concepts (phase 4): its second-order constructs, and the first-order
    constructs coded in it that are under none of them (``loose``)."""

    study: Column
    second_order: list[SecondOrder]
    loose: list[Counted]


def study_concepts(db: Store, reviewer_id: int | None = None, study_ids: list[int] | None = None,
                   rule: str = "chronological", index_study_id: int | None = None) -> list[StudyConcepts]:
    """Per study (in study order; only ``study_ids`` if given), its second-order constructs: those
    coded in it, or with a first-order construct under them coded in it. "Under" is the grid's
    rule: a first-order construct supports it (a link) or sits under it in the hierarchy, at any
    depth. Under each, the first-order constructs coded in the study, with counts; constructs by
    name."""
    with db.snapshot():
        inputs = grid_inputs(db, reviewer_id, rule, index_study_id)
    down = below(inputs.constructs, inputs.links)
    named = {n.id: n for n in inputs.constructs}
    counts = inputs.counts

    def by_name(item) -> tuple:
        node = item.node if isinstance(item, (Counted, SecondOrder)) else item
        return node.name.casefold(), node.id

    # sparse: each second-order construct is visited for the studies where it or one under it is coded
    entries: dict[int, list[SecondOrder]] = {}
    placed: dict[int, set[int]] = {}
    for s in sorted((n for n in inputs.constructs if n.order == 2), key=by_name):
        own = counts.get(s.id, {})
        firsts = [c for c in reach(down, s.id) if named[c].order == 1]
        studies = set(own).union(*(counts.get(c, {}) for c in firsts))
        for sid in studies:
            under = sorted((Counted(named[c], counts[c][sid]) for c in firsts if counts.get(c, {}).get(sid)),
                           key=by_name)
            entries.setdefault(sid, []).append(SecondOrder(s, own.get(sid, 0), under, sum(c.codings for c in under)))
            placed.setdefault(sid, set()).update(c.node.id for c in under)
    loose: dict[int, list[Counted]] = {}
    for n in inputs.constructs:
        if n.order == 1:
            for sid, k in counts.get(n.id, {}).items():
                if n.id not in placed.get(sid, ()):
                    loose.setdefault(sid, []).append(Counted(n, k))
    wanted = set(study_ids) if study_ids is not None else None
    return [StudyConcepts(c, entries.get(c.id, []), sorted(loose.get(c.id, []), key=by_name))
            for c in inputs.studies if wanted is None or c.id in wanted]


# --- writing: judgements ------------------------------------------------------------------------------

class Judged(TypedDict):
    """Payload of ``translation.set`` and ``translation.clear``: the judgement's whole row before
    and after (None where there is none)."""

    before: dict[str, Any] | None
    after: dict[str, Any] | None


def check_concept(db: Store, concept_id: int) -> Node:
    """The construct as a concept of the grid; refuses a first-order one, an overarching one (with
    constructs of its order under it), and a second-order one once third-order constructs exist."""
    found = db.execute("SELECT id, name, construct_order, parent_id FROM construct WHERE id = ?", [concept_id]).fetchone()
    if found is None:
        raise TranslationError(f"no construct with id {concept_id}")
    node = Node(*found)
    has_third = db.execute("SELECT 1 FROM construct WHERE construct_order = 3 LIMIT 1").fetchone() is not None
    if node.order == 1 or (node.order == 2 and has_third):
        wanted = "third-order constructs" if has_third else "second-order constructs (no third-order one exists yet)"
        raise TranslationError(f"{node.name!r} is {'first' if node.order == 1 else 'second'}-order: a translation "
                               f"is judged for the review's concepts, its {wanted}")
    under = [r[0] for r in db.execute("SELECT name FROM construct WHERE parent_id = ? AND construct_order = ? "
                                      "ORDER BY name COLLATE NOCASE", [concept_id, node.order])]
    if under:
        raise TranslationError(f"{node.name!r} is an overarching construct ({', '.join(map(repr, under[:3]))} "
                               "sit under it): judge the constructs under it")
    return node


def _current(db: Store, concept_id: int, study_id: int, reviewer_id: int) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM translation WHERE concept_id = ? AND study_id = ? AND reviewer_id = ?",
                         [concept_id, study_id, reviewer_id]), None)


def judge(db: Store, concept_id: int, study_id: int, reviewer_id: int, kind: str, note: str = "") -> Judgement:
    """Record (or change) the reviewer's judgement of how the study translates into the concept:
    reciprocal, refutational, line_of_argument or not_addressed (hyphens or spaces accepted), with a
    note. Refuses a construct that is not a concept of the grid (``check_concept``), a removed
    study, and a judgement the same as the one there. Event ``translation.set``."""
    kind = parse_kind(kind)
    note = note.strip()
    with db.atomic():
        concept = check_concept(db, concept_id)
        study = get_study(db, study_id)
        before = _current(db, concept_id, study_id, reviewer_id)
        if before is not None and (before["kind"], before["note"]) == (kind, note):
            raise TranslationError(f"{who(db, reviewer_id)} has judged {label(study['authors'], study['year'], study['title'])} "
                                   f"{KIND_WORDS[kind]} for {concept.name!r} already, with that note")
        stamp = now()
        if before is None:
            db.execute("INSERT INTO translation (concept_id, study_id, reviewer_id, kind, note, created_at, updated_at) "
                       "VALUES (?,?,?,?,?,?,?)", [concept_id, study_id, reviewer_id, kind, note, stamp, stamp])
        else:
            db.execute("UPDATE translation SET kind = ?, note = ?, updated_at = ? WHERE id = ?",
                       [kind, note, stamp, before["id"]])
        after = _current(db, concept_id, study_id, reviewer_id)
        events.record(db, "translation.set", reviewer_id, Judged(before=before, after=after))
    return Judgement(reviewer_id, who(db, reviewer_id), kind, note)


def clear(db: Store, concept_id: int, study_id: int, reviewer_id: int) -> Judgement:
    """Take back the reviewer's judgement of the cell (the cell is not judged again); refuses when
    there is none. Event ``translation.clear``. Returns the judgement as it was."""
    with db.atomic():
        before = _current(db, concept_id, study_id, reviewer_id)
        if before is None:
            study = get_study(db, study_id, removed=True)
            raise TranslationError(f"{who(db, reviewer_id)} has not judged "
                                   f"{label(study['authors'], study['year'], study['title'])} for "
                                   f"{construct_name(db, concept_id)!r}: nothing to clear")
        db.execute("DELETE FROM translation WHERE id = ?", [before["id"]])
        events.record(db, "translation.clear", reviewer_id, Judged(before=before, after=None))
    return Judgement(reviewer_id, who(db, reviewer_id), before["kind"], before["note"])


# --- undo: the judgement row goes back to how it was before, redo to how it was after ----------------

def _key(p: Judged) -> tuple[int, int, int]:
    r = p["before"] or p["after"]
    return r["concept_id"], r["study_id"], r["reviewer_id"]


def _swap(db: Store, p: Judged, now_key: str, then_key: str) -> undo.Change:
    current = _current(db, *_key(p))
    if current != p[now_key]:
        raise undo.Conflict(f"the judgement of {_cell_words(db, p)} was changed since")
    then = p[then_key]
    if current is not None:
        db.execute("DELETE FROM translation WHERE id = ?", [current["id"]])
    if then is not None:
        if row(db, "translation", then["id"]) is not None:
            raise undo.Conflict(f"judgement id {then['id']} is used by another judgement now")
        insert_row(db, "translation", then)
    return undo.Change({}, {_key(p)[1]}, {_key(p)[0]})


def _undo(db: Store, p: Judged, *_: Any) -> undo.Change:
    return _swap(db, p, "after", "before")


def _redo(db: Store, p: Judged, *_: Any) -> undo.Change:
    return _swap(db, p, "before", "after")


def _cell_words(db: Store, p: Judged) -> str:
    concept, study, _ = _key(p)
    found = db.execute("SELECT authors, year, title FROM study WHERE id = ?", [study]).fetchone()
    name = label(json.loads(found[0]), found[1], found[2]) if found else f"study {study}"
    return f"{name} for {construct_name(db, concept)!r}"


def _describe_set(db: Store, p: Judged) -> str:
    after = p["after"] or {}
    return f"judging {_cell_words(db, p)} {KIND_WORDS.get(after.get('kind'), after.get('kind'))}"


def _describe_clear(db: Store, p: Judged) -> str:
    return f"clearing the judgement of {_cell_words(db, p)}"


undo.register("translation.set", _undo, _redo, _describe_set)
undo.register("translation.clear", _undo, _redo, _describe_clear)


def cell_quotes(db: Store, grid: Grid, reviewer_id: int | None = None, limit: int = 3,
                width: int = 80) -> dict[tuple[int, int], tuple[list[str], int]]:
    """For each cell of ``grid`` (``(concept_id, study_id)``), the quotes it rests on: the live
    codings (one reviewer's, or everybody's) of the first-order constructs the concept reaches and
    of the concept itself. Gives the first ``limit`` quotes in text order (each cut to ``width``
    characters) and how many there are in all; for the translation table's quote references."""
    every = nodes(db)
    down = below(every, links(db))
    first = {n.id for n in every if n.order == 1}
    wanted: dict[int, list[int]] = {}  # construct -> the concepts whose quotes it gives
    for r in grid.rows:
        for cid in reach(down, r.concept.id):
            if cid == r.concept.id or cid in first:
                wanted.setdefault(cid, []).append(r.concept.id)
    sql = ("SELECT construct_id, study_id, substr(exact, 1, ?) FROM coding WHERE removed_at IS NULL "
           "AND construct_id IN (SELECT value FROM json_each(?))")
    args: list[Any] = [width, json.dumps(sorted(wanted))]
    if reviewer_id is not None:
        sql += " AND reviewer_id = ?"
        args.append(reviewer_id)
    found: dict[tuple[int, int], tuple[list[str], int]] = {}
    for construct_id, study_id, exact in db.execute(sql + " ORDER BY study_id, span_start, span_end, id", args):
        for concept in wanted[construct_id]:
            key = (concept, study_id)
            shown, n = found.get(key, ([], 0))
            if n < limit:
                shown.append(exact)
            found[key] = (shown, n + 1)
    return found


def check_unjudged(db: Store, construct_id: int, doing: str) -> None:
    """Refuse ``doing`` ("delete", "merge") to a construct that translation judgements or synthesis
    relations name: they would lose their concept. Says how many, and how to take them back."""
    judged = db.execute("SELECT count(*), count(DISTINCT reviewer_id) FROM translation WHERE concept_id = ?",
                        [construct_id]).fetchone()
    related = db.execute("SELECT count(*) FROM synthesis_relation WHERE from_id = ? OR to_id = ?",
                         [construct_id, construct_id]).fetchone()[0]
    if not judged[0] and not related:
        return
    parts = []
    if judged[0]:
        parts.append(f"{judged[0]} translation judgement(s) of {judged[1]} reviewer(s) "
                     "(`workbench translate --clear` takes one back)")
    if related:
        parts.append(f"{related} synthesis relation(s) (`workbench relate --remove`)")
    raise ConstructError(f"cannot {doing} {construct_name(db, construct_id)!r}: the translation grid records "
                         f"{' and '.join(parts)} for it; take them back first")
