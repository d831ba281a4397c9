"""The codebook: a review's constructs as entries, the problems found in them, and their rules.

Pure: no SQL, no UI, no file format. ``check`` applies the rules that relate constructs (unique
names, parents, cycles, link directions); ``ordered`` gives the stable order files are written in.
The formats are in ``interop``: ``codebook_yaml`` (docs/codebook.md) and ``refi_qdc``.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .constructs import LINK_KINDS, ORDERS
from .errors import WorkbenchError

FORMAT = 1
TEXT_FIELDS = ("definition", "when_to_use", "when_not_to_use", "example")
TOP_KEYS = ("format", "title", "description", "constructs")
CONSTRUCT_KEYS = ("name", "order", "parent", "colour", "definition", "when_to_use", "when_not_to_use",
                  "example", "links")
COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")

Pos = tuple[int, int]  # 1-based line and column


def name_key(name: str) -> str:
    """The key names are compared by: spaces collapsed, case folded."""
    return " ".join(name.split()).casefold()


def clean_name(name: str) -> str:
    return " ".join(name.split())


@dataclass
class Entry:
    """One construct of a codebook.

    A field left as None was not given in the file: loading into a project keeps the project's
    value. An empty string (or an empty ``parent``/``colour``) was given as empty.
    """

    name: str
    order: int
    definition: str | None = None
    when_to_use: str | None = None
    when_not_to_use: str | None = None
    example: str | None = None
    colour: str | None = None
    parent: str | None = None
    links: list[tuple[str, str]] | None = None  # (kind, target name)
    guid: str | None = None
    in_project: bool = False  # a construct of the project that the file does not name
    order_given: bool = True  # False: a default (a .qdc without orders); a merge keeps the project's order
    where: dict[str, Pos] = field(default_factory=dict, compare=False, repr=False)

    def pos(self, *keys: str) -> Pos | None:
        for key in keys:
            if key in self.where:
                return self.where[key]
        return None

    def label(self) -> str:
        return f"{self.name!r}" + (" (in the project)" if self.in_project else "")


@dataclass
class Codebook:
    title: str
    entries: list[Entry]
    description: str = ""
    format: int = FORMAT
    notes: list[str] = field(default_factory=list)  # things a reader should know (e.g. REFI sets left out)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a codebook, at a 1-based line and column when known."""

    message: str
    line: int | None = None
    column: int | None = None
    names: frozenset = frozenset()  # keys of the constructs involved

    def format(self, file: str) -> str:
        if self.line is None:
            return f"{file}: {self.message}"
        return f"{file}:{self.line}:{self.column}: {self.message}"


def problem(message: str, pos: Pos | None, *names: str) -> Problem:
    line, column = pos if pos else (None, None)
    return Problem(message, line, column, frozenset(name_key(n) for n in names))


class CodebookError(WorkbenchError, ValueError):
    """A codebook was refused: every problem found, one per line, each with file:line:column."""

    def __init__(self, file: str, problems: Sequence[Problem]):
        self.file = file
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.column or 0))
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [p.format(self.file) for p in self.problems]


def order_label(order: int) -> str:
    return ORDERS.get(order, str(order))


def parse_order_value(value: object) -> int | None:
    """1, 2 or 3 from an int or a label ("third-order", "third"); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in ORDERS else None
    if isinstance(value, str):
        text = value.strip().lower()
        for order, label in ORDERS.items():
            if text in (str(order), label, label.split("-")[0]):
                return order
    return None


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- rules ------------------------------------------------------------------------------------------

def check(entries: Sequence[Entry], known: Sequence[Entry] = (), scope: str = "in this codebook") -> list[Problem]:
    """The problems with how ``entries`` relate to each other and to ``known`` constructs (those of a
    project that the file does not name): duplicate names, unknown or lower-order parents, cycles of
    parents, and links of the wrong direction or to unknown constructs.

    Problems that involve only ``known`` constructs are not reported: they are not the file's. An
    entry of order 0 (an order already refused) is checked for everything but its order.
    """
    problems: list[Problem] = []
    by_key: dict[str, Entry] = {}
    for e in entries:
        key = name_key(e.name)
        first = by_key.get(key)
        if first is not None:
            at = f" (first at line {first.where['name'][0]})" if "name" in first.where else ""
            problems.append(problem(f"duplicate name {e.name!r}: a construct of that name is already defined{at}; "
                                    f"names are unique, ignoring case", e.pos("name", "item"), e.name))
            continue
        by_key[key] = e
    every = dict(by_key)
    for k in known:
        every.setdefault(name_key(k.name), k)

    for e in every.values():
        if e.parent:
            parent = every.get(name_key(e.parent))
            if parent is None:
                problems.append(problem(f"unknown parent {e.parent!r} of {e.name!r}: no construct of that name "
                                        f"{scope}{suggest(e.parent, [x.name for x in every.values()])}",
                                        e.pos("parent"), e.name))
            elif parent is not e and parent.order and e.order and parent.order < e.order:
                problems.append(problem(
                    f"{e.label()} is {order_label(e.order)} and cannot sit under {parent.label()}, which is "
                    f"{order_label(parent.order)}; a parent must be of the same or a higher order",
                    e.pos("parent") or parent.pos("order"), e.name, parent.name))
        for i, (kind, target_name) in enumerate(e.links or ()):
            at = e.pos(f"links.{i}", "order", "item")
            source_order, target_order = LINK_KINDS[kind]
            if e.order and e.order != source_order:
                problems.append(problem(
                    f"{e.label()} is {order_label(e.order)}: only a {order_label(source_order)} construct "
                    f"can have {'an' if kind[0] in 'aeiou' else 'a'} {kind!r} link "
                    f"({kind} goes {source_order} -> {target_order})",
                    at or e.pos("order"), e.name))
                continue
            target = every.get(name_key(target_name))
            if target is None:
                problems.append(problem(f"unknown link target {target_name!r} of {e.name!r}: no construct of that "
                                        f"name {scope}{suggest(target_name, [x.name for x in every.values()])}",
                                        at, e.name))
            elif target.order and e.order and target.order != target_order:
                problems.append(problem(
                    f"{e.label()} {kind} {target.label()}, which is {order_label(target.order)}; {kind!r} links go "
                    f"from a {order_label(source_order)} construct to a {order_label(target_order)} one",
                    at or target.pos("order"), e.name, target.name))
            elif any(kind == k and name_key(target_name) == name_key(t) for k, t in (e.links or ())[:i]):
                problems.append(problem(f"{e.name!r}: the link {kind} {target_name!r} is listed twice", at, e.name))

    problems.extend(_cycles(every))
    file_keys = set(by_key)
    return [p for p in problems if not p.names or p.names & file_keys]


def _cycles(every: dict[str, Entry]) -> list[Problem]:
    """One problem per cycle of parents, at the construct of the cycle that comes first in the file."""
    problems = []
    done: set[str] = set()
    for start in every:
        path: list[str] = []
        seen: dict[str, int] = {}
        key: str | None = start
        while key is not None and key in every and key not in done and key not in seen:
            seen[key] = len(path)
            path.append(key)
            parent = every[key].parent
            key = name_key(parent) if parent else None
        if key is not None and key in seen:
            cycle = path[seen[key]:]
            members = [every[k] for k in cycle]
            first = min(members, key=lambda m: (m.pos("parent") is None, m.pos("parent") or (0, 0)))
            i = cycle.index(name_key(first.name))
            ring = cycle[i:] + cycle[:i] + [cycle[i]]
            shown = " -> ".join(every[k].name for k in ring)
            problems.append(problem(f"cycle of parents: {shown}", first.pos("parent", "name"),
                                    *(m.name for m in members)))
        done.update(path)
    return problems


def ordered(entries: Sequence[Entry]) -> list[Entry]:
    """Entries in export order: by order (1, 2, 3); within an order, the parent hierarchy depth-first
    (a construct whose parent has another order starts a tree of its own), siblings by name."""
    by_key = {name_key(e.name): e for e in entries}
    children: dict[str, list[Entry]] = {}
    roots: list[Entry] = []
    for e in entries:
        parent = by_key.get(name_key(e.parent)) if e.parent else None
        if parent is not None and parent.order == e.order and parent is not e:
            children.setdefault(name_key(parent.name), []).append(e)
        else:
            roots.append(e)
    out: list[Entry] = []
    seen: set[str] = set()

    def walk(e: Entry) -> None:
        key = name_key(e.name)
        if key in seen:
            return
        seen.add(key)
        out.append(e)
        for child in sorted(children.get(key, []), key=_sort_key):
            walk(child)

    for root in sorted(roots, key=lambda e: (e.order, *_sort_key(e))):
        walk(root)
    for e in sorted(entries, key=lambda e: (e.order, *_sort_key(e))):  # anything in a cycle
        walk(e)
    return out


def _sort_key(e: Entry) -> tuple[str, str]:
    return (name_key(e.name), e.name)


def summary(codebook: Codebook) -> str:
    """One line: how many constructs of each order and how many links."""
    counts = {o: 0 for o in ORDERS}
    for e in codebook.entries:
        counts[e.order] = counts.get(e.order, 0) + 1
    links = sum(len(e.links or ()) for e in codebook.entries)
    n = len(codebook.entries)
    by_order = ", ".join(f"{counts[o]} {ORDERS[o]}" for o in ORDERS)
    return (f"{n} construct{'s' if n != 1 else ''} ({by_order}), {links} link{'s' if links != 1 else ''}, "
            f"{sum(1 for e in codebook.entries if e.parent)} under a parent")
