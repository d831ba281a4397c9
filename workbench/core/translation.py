"""The translation grid (Noblit & Hare phase 5) as a pure model: concepts x studies.

Built by ``build_grid(GridInputs)`` from plain data that ``store.translation.grid_inputs`` reads in
one query set; the TUI screen, ``workbench grid`` and ``export grid`` all show this one model.

**Rows (concepts).** While the review has third-order constructs, every third-order construct that
has no third-order construct under it is a row, grouped under its parent (its overarching
construct); rows without a parent form the last group (``group`` None). While there is none, the
second-order constructs are the rows, by the same rule. Groups are sorted by name, rows by name in
their group.

**What a concept reaches.** Evidence rolls up along links and the hierarchy: from a construct,
``reach`` walks down to the constructs under it (``parent_id``) and to those linked to it (a
second-order one that ``interprets`` it, a first-order one that ``supports`` that), at any depth,
keeping for each the shortest chain of steps from the concept.

**Columns** are the studies in study order (``store.studies.arrange``).

**A cell** (concept C, study S) holds:

- ``second_order``: the second-order constructs C reaches that are expressed in S: coded in S, or
  with a first-order construct under them (as ``reach`` finds it) coded in S;
- ``first_order_codings``: codings in S of the first-order constructs C reaches (each coding once);
- ``concept_codings``: codings of C itself in S;
- ``judgements``: the translation judgements of the reviewers shown (one per reviewer): reciprocal,
  refutational, line_of_argument or not_addressed, with a note. None means not yet judged.

**A row's summary** counts studies: ``contributing`` (the cell has evidence, a second-order
construct or a coding, or is judged reciprocal or line of argument), ``refuting`` (judged
refutational), ``not_addressed`` (judged so) and ``unjudged`` (no judgement shown). With several
reviewers shown, a cell counts under each kind its reviewers chose.

**Filters** (``Grid.filtered``): one overarching construct (rows under it, at any depth), only rows
with a refutation, only unjudged cells (rows with one; ``Grid.visible_cells`` then leaves judged
cells out).
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace
from typing import Iterable

from .errors import WorkbenchError

KINDS = ("reciprocal", "refutational", "line_of_argument", "not_addressed")
KIND_WORDS = {"reciprocal": "reciprocal", "refutational": "refutational", "line_of_argument": "line of argument",
              "not_addressed": "not addressed"}
CONTRIBUTING = ("reciprocal", "line_of_argument")
ORDER_WORDS = {1: "first-order", 2: "second-order", 3: "third-order"}


class TranslationError(WorkbenchError, ValueError):
    """A translation judgement or grid request was refused; the message says why."""


def parse_kind(text: str) -> str:
    """The stored kind for what a reviewer typed: "line-of-argument", "line of argument" and
    "line_of_argument" are all ``line_of_argument``; refuses anything else, listing the kinds."""
    key = "_".join(str(text).strip().lower().replace("-", " ").replace("_", " ").split())
    if key not in KINDS:
        raise TranslationError(f"a translation is {', '.join(k.replace('_', '-') for k in KINDS)}, not {text!r}")
    return key


@dataclass(frozen=True)
class Node:
    """A construct as the grid needs it."""

    id: int
    name: str
    order: int
    parent_id: int | None


@dataclass(frozen=True)
class Column:
    """A study column: ``label`` as a reviewer names the study ("Heist 2018")."""

    id: int
    label: str
    year: int | None = None


@dataclass(frozen=True)
class Judgement:
    reviewer_id: int
    reviewer: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Cell:
    concept_id: int
    study_id: int
    second_order: tuple[Node, ...] = ()
    first_order_codings: int = 0
    concept_codings: int = 0
    judgements: tuple[Judgement, ...] = ()

    @property
    def has_evidence(self) -> bool:
        return bool(self.second_order or self.first_order_codings or self.concept_codings)

    @property
    def judged(self) -> bool:
        return bool(self.judgements)

    @property
    def kinds(self) -> set[str]:
        return {j.kind for j in self.judgements}


@dataclass(frozen=True)
class Summary:
    contributing: int = 0
    refuting: int = 0
    not_addressed: int = 0
    unjudged: int = 0


@dataclass(frozen=True)
class Row:
    concept: Node
    group: Node | None
    cells: tuple[Cell, ...]          # one per column, in column order
    summary: Summary


@dataclass(frozen=True)
class Grid:
    """Concept rows x study columns. ``concept_order`` is 3 (third-order rows) or 2."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    concept_order: int
    constructs: dict[int, Node] = field(default_factory=dict, repr=False)
    unjudged_only: bool = False

    def groups(self) -> list[tuple[Node | None, list[Row]]]:
        """The rows in their groups, in row order."""
        out: list[tuple[Node | None, list[Row]]] = []
        for row in self.rows:
            if not out or out[-1][0] != row.group:
                out.append((row.group, []))
            out[-1][1].append(row)
        return out

    def cell(self, concept_id: int, study_id: int) -> Cell:
        """The cell of a concept and a study; TranslationError if either is not in the grid."""
        for row in self.rows:
            if row.concept.id == concept_id:
                for column, cell in zip(self.columns, row.cells):
                    if column.id == study_id:
                        return cell
                raise TranslationError(f"study {study_id} is not a column of the grid")
        raise TranslationError(f"{self.constructs[concept_id].name!r} is not a concept of the grid"
                               if concept_id in self.constructs else f"construct {concept_id} is not a concept")

    def visible_cells(self, row: Row) -> list[tuple[Column, Cell]]:
        """The row's cells with their columns; with ``unjudged_only``, only the unjudged ones."""
        return [(c, cell) for c, cell in zip(self.columns, row.cells) if not (self.unjudged_only and cell.judged)]

    def filtered(self, overarching: int | None = None, refuted: bool = False, unjudged: bool = False) -> "Grid":
        """The grid with only the rows under the construct ``overarching`` (at any depth, or that
        construct's own row), only rows with a refutational cell (``refuted``), only rows with an
        unjudged cell and only such cells visible (``unjudged``)."""
        rows = list(self.rows)
        if overarching is not None:
            node = self.constructs.get(overarching)
            if node is None or node.order < self.concept_order:
                groups = ", ".join(repr(g.name) for g, _ in self.groups() if g is not None) or "none yet"
                what = f"{node.name!r} is {ORDER_WORDS[node.order]}" if node else f"construct {overarching} is unknown"
                raise TranslationError(f"{what}: filter by an overarching construct of the grid ({groups})")
            rows = [r for r in rows if r.concept.id == overarching or overarching in self.ancestors(r.concept.id)]
        if refuted:
            rows = [r for r in rows if r.summary.refuting]
        if unjudged:
            rows = [r for r in rows if r.summary.unjudged]
        return replace(self, rows=tuple(rows), unjudged_only=self.unjudged_only or unjudged)

    def with_judgements(self, concept_id: int, study_id: int, judgements: Iterable[Judgement]) -> "Grid":
        """The grid with one cell's judgements replaced and its row's summary recounted: what a
        screen needs after a judgement is recorded or cleared, without building the grid again."""
        rows = []
        for r in self.rows:
            if r.concept.id == concept_id:
                ordered = tuple(sorted(judgements, key=lambda j: j.reviewer.casefold()))
                cells = tuple(replace(c, judgements=ordered) if c.study_id == study_id else c for c in r.cells)
                r = replace(r, cells=cells, summary=summarise(cells))
            rows.append(r)
        return replace(self, rows=tuple(rows))

    def ancestors(self, construct_id: int) -> list[int]:
        """Ids of the constructs above ``construct_id`` in the hierarchy, nearest first."""
        out: list[int] = []
        node = self.constructs.get(construct_id)
        while node is not None and node.parent_id is not None and node.parent_id not in out:
            out.append(node.parent_id)
            node = self.constructs.get(node.parent_id)
        return out


@dataclass
class GridInputs:
    """What the grid is built from (``store.translation.grid_inputs`` reads it).

    ``links`` are ``(from_id, to_id)`` pairs (supports and interprets alike: the orders tell them
    apart); ``counts[construct_id][study_id]`` are live codings of the reviewers shown;
    ``judgements[(concept_id, study_id)]`` the judgements of the reviewers shown.
    """

    constructs: list[Node]
    studies: list[Column]
    links: list[tuple[int, int]] = field(default_factory=list)
    counts: dict[int, dict[int, int]] = field(default_factory=dict)
    judgements: dict[tuple[int, int], list[Judgement]] = field(default_factory=dict)


def below(constructs: Iterable[Node], links: Iterable[tuple[int, int]]) -> dict[int, list[tuple[str, int]]]:
    """For each construct id, the steps down from it: ``("under", child)`` for each construct whose
    parent it is, ``("interprets"|"supports", source)`` for each construct linked to it; sorted by
    kind then id so walks are repeatable."""
    nodes = {n.id: n for n in constructs}
    down: dict[int, list[tuple[str, int]]] = {}
    for n in nodes.values():
        if n.parent_id is not None and n.parent_id in nodes:
            down.setdefault(n.parent_id, []).append(("under", n.id))
    for source, target in links:
        if source in nodes and target in nodes:
            kind = "supports" if nodes[source].order == 1 else "interprets"
            down.setdefault(target, []).append((kind, source))
    for steps in down.values():
        steps.sort()
    return down


def reach(down: dict[int, list[tuple[str, int]]], start: int) -> dict[int, tuple[tuple[str, int], ...]]:
    """Every construct reached from ``start`` going down (``below``), with the shortest chain of
    steps that reaches it; ``start`` itself with the empty chain. Safe against loops."""
    found: dict[int, tuple[tuple[str, int], ...]] = {start: ()}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        for step in down.get(here, ()):
            if step[1] not in found:
                found[step[1]] = found[here] + (step,)
                queue.append(step[1])
    return found


def concept_rows(constructs: list[Node]) -> tuple[int, list[Node]]:
    """``(order, rows)``: the third-order constructs with no third-order construct under them, or
    the second-order ones (same rule) while no third-order construct exists."""
    order = 3 if any(n.order == 3 for n in constructs) else 2
    parents = {n.parent_id for n in constructs if n.order == order}
    return order, [n for n in constructs if n.order == order and n.id not in parents]


def summarise(cells: Iterable[Cell]) -> Summary:
    """The row summary of these cells (see the module docstring)."""
    contributing = refuting = not_addressed = unjudged = 0
    for cell in cells:
        kinds = cell.kinds
        contributing += cell.has_evidence or bool(kinds & set(CONTRIBUTING))
        refuting += "refutational" in kinds
        not_addressed += "not_addressed" in kinds
        unjudged += not kinds
    return Summary(contributing, refuting, not_addressed, unjudged)


def build_grid(inputs: GridInputs) -> Grid:
    """The grid of ``inputs`` (rules in the module docstring)."""
    nodes = {n.id: n for n in inputs.constructs}
    down = below(inputs.constructs, inputs.links)
    order, concepts = concept_rows(inputs.constructs)
    counts = inputs.counts
    # the studies in which each second-order construct is expressed (coded, or a first-order one under it)
    expressed: dict[int, set[int]] = {}

    def expressed_in(construct_id: int) -> set[int]:
        if construct_id not in expressed:
            studies: set[int] = set()
            for cid in reach(down, construct_id):
                if cid == construct_id or nodes[cid].order == 1:
                    studies.update(counts.get(cid, ()))
            expressed[construct_id] = studies
        return expressed[construct_id]

    def sort_key(n: Node | None) -> tuple:
        return (n is None, n.name.casefold() if n else "", n.id if n else 0)

    rows: list[Row] = []
    for concept in sorted(concepts, key=lambda n: (sort_key(nodes.get(n.parent_id)), n.name.casefold(), n.id)):
        reached = reach(down, concept.id)
        seconds = sorted((nodes[c] for c in reached if c != concept.id and nodes[c].order == 2),
                         key=lambda n: (n.name.casefold(), n.id))
        firsts = [c for c in reached if nodes[c].order == 1]
        # sparse sums over what is coded, then one lookup per column
        in_study: dict[int, list[Node]] = {}
        for s in seconds:
            for sid in expressed_in(s.id):
                in_study.setdefault(sid, []).append(s)
        quotes: dict[int, int] = {}
        for c in firsts:
            for sid, n in counts.get(c, {}).items():
                quotes[sid] = quotes.get(sid, 0) + n
        own = counts.get(concept.id, {})
        cells = []
        for column in inputs.studies:
            sid = column.id
            judged = inputs.judgements.get((concept.id, sid))
            cells.append(Cell(concept.id, sid, tuple(in_study.get(sid, ())), quotes.get(sid, 0), own.get(sid, 0),
                              tuple(sorted(judged, key=lambda j: j.reviewer.casefold())) if judged else ()))
        rows.append(Row(concept, nodes.get(concept.parent_id), tuple(cells), summarise(cells)))
    return Grid(tuple(inputs.studies), tuple(rows), order, nodes)
