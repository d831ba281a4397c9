"""The construct tree as plain data (no Textual): order groups, nesting, counts per reviewer.

Constructs are grouped by order (first, second, third). Inside a group a construct sits under its
parent when the parent has the same order (third-order constructs under their overarching
third-order construct, and so on down); a construct whose parent is of another order stays at the
top of its own group and names that parent (``parent_elsewhere``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ..core.constructs import ORDERS
from ..store.constructs import Construct


@dataclass
class ConstructNode:
    construct: Construct
    children: list["ConstructNode"] = field(default_factory=list)
    parent_elsewhere: Construct | None = None  # a parent of another order (not nested under)


@dataclass
class OrderGroup:
    order: int
    label: str
    roots: list[ConstructNode]
    size: int  # every construct of this order, nested or not


def build(constructs: Iterable[Construct]) -> list[OrderGroup]:
    """The three order groups with their constructs nested by same-order parents, names sorted
    case-insensitively at each level. A cycle of parents (which the store refuses) cannot hide a
    construct: the members of a cycle are shown at the top."""
    by_id = {c.id: c for c in constructs}
    nodes = {cid: ConstructNode(c) for cid, c in by_id.items()}
    roots: dict[int, list[ConstructNode]] = {order: [] for order in ORDERS}
    for cid, node in nodes.items():
        c = node.construct
        parent = by_id.get(c.parent_id) if c.parent_id is not None else None
        if parent is not None and parent.order == c.order and not _in_cycle(by_id, cid):
            nodes[parent.id].children.append(node)
        else:
            node.parent_elsewhere = parent
            roots.setdefault(c.order, []).append(node)

    def sort(level: list[ConstructNode]) -> list[ConstructNode]:
        level.sort(key=lambda n: (n.construct.name.casefold(), n.construct.id))
        for n in level:
            sort(n.children)
        return level

    groups = []
    for order, label in ORDERS.items():
        groups.append(OrderGroup(order, label, sort(roots.get(order, [])),
                                 sum(1 for c in by_id.values() if c.order == order)))
    return groups


def _in_cycle(by_id: Mapping[int, Construct], start: int) -> bool:
    seen = {start}
    current = by_id[start].parent_id
    while current is not None and current in by_id:
        if current in seen:
            return True
        seen.add(current)
        current = by_id[current].parent_id
    return False


def walk(groups: list[OrderGroup]) -> Iterable[tuple[int, ConstructNode]]:
    """(depth, node) of every construct, depth-first, groups in order (depth 0 = top of a group)."""
    def visit(node: ConstructNode, depth: int):
        yield depth, node
        for child in node.children:
            yield from visit(child, depth + 1)

    for group in groups:
        for root in group.roots:
            yield from visit(root, 0)


def descendants(construct_id: int, constructs: Iterable[Construct]) -> set[int]:
    """Ids of every construct below ``construct_id`` by parent links (any order), itself excluded."""
    children: dict[int, list[int]] = {}
    for c in constructs:
        if c.parent_id is not None:
            children.setdefault(c.parent_id, []).append(c.id)
    found: set[int] = set()
    todo = list(children.get(construct_id, []))
    while todo:
        cid = todo.pop()
        if cid in found or cid == construct_id:
            continue
        found.add(cid)
        todo.extend(children.get(cid, []))
    return found


def count_words(counts: Mapping[int, int], reviewer_names: Mapping[int, str], reviewer_id: int,
                show_all: bool) -> str:
    """``alice 4 · ben 2``: codings per reviewer. Blind (``show_all`` False): only this reviewer's,
    even when 0. All: every reviewer with codings, this reviewer first; ``no codings`` if none."""
    if not show_all:
        return f"{reviewer_names.get(reviewer_id, '?')} {counts.get(reviewer_id, 0)}"
    others = sorted((rid for rid, n in counts.items() if n and rid != reviewer_id),
                    key=lambda rid: reviewer_names.get(rid, "").casefold())
    ordered = ([reviewer_id] if counts.get(reviewer_id) else []) + others
    if not ordered:
        return "no codings"
    return " · ".join(f"{reviewer_names.get(rid, '?')} {counts[rid]}" for rid in ordered)


def whose_words(counts: Mapping[int, int], reviewer_names: Mapping[int, str], reviewer_id: int,
                show_all: bool) -> str:
    """Who the codings of a construct belong to, for a confirmation: per reviewer when every
    reviewer's work is shown (``alice 2 · ben 1``); in blind mode without naming the others or
    their counts apart (``2 yours, 1 by other reviewers``)."""
    if show_all:
        return count_words(counts, reviewer_names, reviewer_id, True)
    mine = counts.get(reviewer_id, 0)
    others = sum(n for rid, n in counts.items() if rid != reviewer_id)
    return f"{mine} yours" + (f", {others} by other reviewers" if others else "")
