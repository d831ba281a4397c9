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


def _stems(text: str) -> tuple[list[str], list[str]]:
    from .suggestions import words

    found = words(text)
    return [s for s, _ in found], [w for _, w in found]


def _likeness(x: str, y: str) -> float:
    from rapidfuzz import fuzz

    if not x or not y:
        return 0.0
    return (fuzz.token_set_ratio(x, y) + fuzz.token_sort_ratio(x, y)) / 2


def score(a: Entry, b: Entry) -> Pair:
    """How alike two constructs are (see the module's docstring), with the parts and a phrase saying why."""
    a_stems, a_words = _stems(a.name)
    b_stems, _ = _stems(b.name)
    # a name of stop words only ("Other") is compared as written
    name = _likeness(" ".join(a_stems) or a.name.lower(), " ".join(b_stems) or b.name.lower())
    definition: float | None = None
    if a.definition.strip() and b.definition.strip():
        definition = _likeness(" ".join(_stems(a.definition)[0]), " ".join(_stems(b.definition)[0]))
    total = name if definition is None else NAME_WEIGHT * name + (1 - NAME_WEIGHT) * definition
    common = [w for s, w in zip(a_stems, a_words) if s in set(b_stems)]
    why = f"names {name:.0f}% alike"
    if common:
        why += f" (both say {', '.join(dict.fromkeys(common))})"
    why += "; no definition to compare" if definition is None else f"; definitions {definition:.0f}% alike"
    return Pair(a, b, round(total, 1), round(name, 1), None if definition is None else round(definition, 1), why)


def propose(a: Sequence[Entry], b: Sequence[Entry], shared: Sequence[Entry] = (),
            threshold: float = THRESHOLD) -> Proposal:
    """A one-to-one pairing of ``b``'s constructs onto ``a``'s, same order only, best pairs first.

    ``shared`` are constructs both reviewers have (the codebook's, or used by both): they are
    aligned with themselves and listed as they are. Greedy on score, ties broken by the names
    (case-insensitive, ``a``'s first), so the answer does not depend on the input's order."""
    scored = [score(x, y) for x in a for y in b if x.order == y.order]
    scored.sort(key=lambda p: (-p.score, p.a.name.casefold(), p.b.name.casefold()))
    taken_a: set = set()
    taken_b: set = set()
    pairs: list[Pair] = []
    for p in scored:
        if p.score < threshold:
            break
        if p.a.key in taken_a or p.b.key in taken_b:
            continue
        pairs.append(p)
        taken_a.add(p.a.key)
        taken_b.add(p.b.key)
    closest_a: dict = {}
    closest_b: dict = {}
    for p in scored:  # best first, so the first seen is the closest one still free
        if p.a.key not in taken_a and p.b.key not in taken_b:
            closest_a.setdefault(p.a.key, p)
            closest_b.setdefault(p.b.key, p)
    by_name = lambda e: (e.order, e.name.casefold())  # noqa: E731
    return Proposal(
        tuple(pairs), tuple(sorted(shared, key=by_name)),
        tuple(Unaligned(e, closest_a.get(e.key)) for e in sorted(a, key=by_name) if e.key not in taken_a),
        tuple(Unaligned(e, closest_b.get(e.key)) for e in sorted(b, key=by_name) if e.key not in taken_b),
        threshold)
