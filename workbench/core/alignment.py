"""Aligning two reviewers' own constructs: which of ben's constructs means which of alice's (pure).

Coding blind, each reviewer makes their own constructs, so alice's "Obligation to family" and ben's
"Family obligations" are two constructs. Before agreement can be measured they have to be paired:
``propose(a, b)`` suggests a one-to-one pairing for a person to confirm or change.

How a pair is scored (0-100, the same on every machine, nothing downloaded):

* Names and definitions are compared as their words' light stems (``suggestions.words``: case,
  stop words, plurals and common suffixes set aside, so "Obligation to family" and "Family
  obligations" are the same two stems).
* ``name_score`` is the mean of rapidfuzz's ``token_set_ratio`` (one name's words inside the
  other's: "Stigma" in "Fear of stigma" gives 100) and ``token_sort_ratio`` (the same words in any
  order, which keeps "Family" from matching "Family obligations" as well as "Family obligations" does).
* ``definition_score`` is the same over the definitions, or None when either has none.
* ``score`` = ``NAME_WEIGHT`` x name score + (1 - ``NAME_WEIGHT``) x definition score, or the name
  score alone when there is no definition score; rounded to 0.1.

Only constructs of the same order are paired (a quote is never a theme). Pairs scoring at least
the threshold are taken greedily, best first (ties by alice's name, then ben's), each construct at
most once; what is left is listed as unaligned, each with its closest candidate, so the person can
pair it by hand.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Sequence

THRESHOLD = 60.0  # a proposed pair scores at least this (0-100)
NAME_WEIGHT = 0.6  # the name's share of the score when both definitions exist


@dataclass(frozen=True)
class Entry:
    """A construct as the alignment reads it; ``key`` names it for the caller (a construct id)."""

    key: Hashable
    name: str
    order: int
    definition: str = ""


@dataclass(frozen=True)
class Pair:
    """``b`` (the second reviewer's construct) counted as ``a`` (the first's), with its score and why."""

    a: Entry
    b: Entry
    score: float
    name_score: float
    definition_score: float | None
    why: str


@dataclass(frozen=True)
class Unaligned:
    """A construct left without a partner, with the closest one of the same order left without one
    too (None if there is none)."""

    entry: Entry
    closest: Pair | None


@dataclass(frozen=True)
class Proposal:
    """Pairs best first; shared constructs (aligned with themselves); what is left on each side."""

    pairs: tuple[Pair, ...]
    shared: tuple[Entry, ...]
    unaligned_a: tuple[Unaligned, ...]
    unaligned_b: tuple[Unaligned, ...]
    threshold: float


@dataclass(frozen=True)
class _Read:
    """An entry's words as the scores compare them: the name's and the definition's stems (joined
    by spaces) and the name's words as written."""

    entry: Entry
    name: str
    stems: tuple[str, ...]
    written: tuple[str, ...]
    definition: str


def _read(entry: Entry) -> _Read:
    from .suggestions import words

    found = words(entry.name)
    stems = tuple(s for s, _ in found)
    # a name of stop words only ("Other") is compared as written
    return _Read(entry, " ".join(stems) or entry.name.lower(), stems, tuple(w for _, w in found),
                 " ".join(s for s, _ in words(entry.definition)) if entry.definition.strip() else "")


def _likeness(fuzz, x: str, y: str) -> float:
    if not x or not y:
        return 0.0
    return (fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y)) / 2


def _parts(fuzz, a: _Read, b: _Read) -> tuple[float, float, float | None]:
    """(score, name score, definition score or None), unrounded."""
    name = _likeness(fuzz, a.name, b.name)
    if not a.definition or not b.definition:
        return name, name, None
    definition = _likeness(fuzz, a.definition, b.definition)
    return NAME_WEIGHT * name + (1 - NAME_WEIGHT) * definition, name, definition


def _pair(a: _Read, b: _Read, parts: tuple[float, float, float | None]) -> Pair:
    total, name, definition = parts
    common = [w for s, w in zip(a.stems, a.written) if s in set(b.stems)]
    why = f"names {name:.0f}% alike"
    if common:
        why += f" (both say {', '.join(dict.fromkeys(common))})"
    why += "; no definition to compare" if definition is None else f"; definitions {definition:.0f}% alike"
    return Pair(a.entry, b.entry, round(total, 1), round(name, 1),
                None if definition is None else round(definition, 1), why)


def score(a: Entry, b: Entry) -> Pair:
    """How alike two constructs are (see the module's docstring), with the parts and a phrase saying why."""
    from rapidfuzz import fuzz

    ra, rb = _read(a), _read(b)
    return _pair(ra, rb, _parts(fuzz, ra, rb))


def propose(a: Sequence[Entry], b: Sequence[Entry], shared: Sequence[Entry] = (),
            threshold: float = THRESHOLD) -> Proposal:
    """A one-to-one pairing of ``b``'s constructs onto ``a``'s, same order only, best pairs first.

    ``shared`` are constructs both reviewers have (the codebook's, or used by both): they are
    aligned with themselves and listed as they are. Greedy on score, ties broken by the names
    (case-insensitive, ``a``'s first), so the answer does not depend on the input's order. Each
    entry's words are read once: 300 x 300 constructs of three orders, with definitions, take
    about a second (the rapidfuzz ratios are the cost)."""
    from rapidfuzz import fuzz

    read_a = [_read(e) for e in a]
    read_b = [_read(e) for e in b]
    scored = []  # (-rounded score, a's name, b's name, i, j, parts)
    for i, x in enumerate(read_a):
        for j, y in enumerate(read_b):
            if x.entry.order == y.entry.order:
                parts = _parts(fuzz, x, y)
                scored.append((-round(parts[0], 1), x.entry.name.casefold(), y.entry.name.casefold(), i, j, parts))
    scored.sort(key=lambda t: t[:3])
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    pairs: list[Pair] = []
    for minus, _, _, i, j, parts in scored:
        if -minus < threshold:
            break
        if i in taken_a or j in taken_b:
            continue
        pairs.append(_pair(read_a[i], read_b[j], parts))
        taken_a.add(i)
        taken_b.add(j)
    closest_a: dict[int, Pair] = {}
    closest_b: dict[int, Pair] = {}
    for _, _, _, i, j, parts in scored:  # best first, so the first seen is the closest one still free
        if i not in taken_a and j not in taken_b and (i not in closest_a or j not in closest_b):
            found = _pair(read_a[i], read_b[j], parts)
            closest_a.setdefault(i, found)
            closest_b.setdefault(j, found)
    by_name = lambda e: (e[1].order, e[1].name.casefold())  # noqa: E731
    return Proposal(
        tuple(pairs), tuple(sorted(shared, key=lambda e: (e.order, e.name.casefold()))),
        tuple(Unaligned(e, closest_a.get(i)) for i, e in sorted(enumerate(a), key=by_name) if i not in taken_a),
        tuple(Unaligned(e, closest_b.get(j)) for j, e in sorted(enumerate(b), key=by_name) if j not in taken_b),
        threshold)
