"""Where two reviewers' codings of one study disagree: the pure part of adjudication.

A *cluster* is a group of codings of one construct in one study, by either of two reviewers A and
B, joined by overlap (half-open spans that share at least one character; spans that only touch
are apart). It is *agreed* when A's spans and B's spans are the same set of offsets, and a
disagreement otherwise (a span only one reviewer has is a cluster with one side empty).

A disagreement is named by its *signature*, the exact state it shows (the two reviewers, the
study, the construct and each side's offsets, or each side's judgement): a decision is stored
against that signature, so when a reviewer later changes a coding in it the signature changes and
the disagreement is open again. Its id is a short hash of the signature, the same in every run.
"""
from __future__ import annotations

import hashlib
import json
from typing import Iterable, NamedTuple

TAKES = ("a", "b", "both", "neither", "edit")
TAKE_WORDS = {"a": "took {a}'s", "b": "took {b}'s", "both": "took both", "neither": "took neither",
              "edit": "edited the span", "agreed": "took what both agree on"}


class Span(NamedTuple):
    """One coding: its id and offsets ``[start, end)``."""

    coding_id: int
    start: int
    end: int


class Cluster:
    """Overlapping codings of one construct by A (``a``) and B (``b``), each sorted by offsets;
    ``offsets_a``/``offsets_b`` each side's distinct ``(start, end)``, ``[start, end)`` the stretch
    the cluster covers."""

    __slots__ = ("construct", "a", "b", "offsets_a", "offsets_b", "start", "end")

    def __init__(self, construct: int, a: tuple[Span, ...], b: tuple[Span, ...]):
        self.construct, self.a, self.b = construct, a, b
        self.offsets_a = tuple(sorted({(s.start, s.end) for s in a}))
        self.offsets_b = tuple(sorted({(s.start, s.end) for s in b}))
        self.start = min(s.start for s in a + b)
        self.end = max(s.end for s in a + b)

    @property
    def agreed(self) -> bool:
        """Whether A and B coded exactly the same spans."""
        return self.offsets_a == self.offsets_b

    def __repr__(self) -> str:
        return f"Cluster({self.construct}, {self.offsets_a}, {self.offsets_b})"


def clusters(a: Iterable[tuple[int, Span]], b: Iterable[tuple[int, Span]]) -> list[Cluster]:
    """Group A's and B's codings ``(construct, span)`` into clusters of overlapping spans of the
    same construct; sorted by start, end, then construct."""
    by_construct: dict[int, list[tuple[int, int, int, Span]]] = {}
    for side, found in ((0, a), (1, b)):
        for construct, span in found:
            by_construct.setdefault(construct, []).append((span.start, span.end, side, span))
    out: list[Cluster] = []
    for construct, spans in by_construct.items():
        spans.sort()
        group: list[tuple[int, int, int, Span]] = []
        reach = -1
        for item in spans:
            if group and item[0] >= reach:
                out.append(_cluster(construct, group))
                group = []
                reach = -1
            group.append(item)
            if item[1] > reach:
                reach = item[1]
        if group:
            out.append(_cluster(construct, group))
    out.sort(key=lambda c: (c.start, c.end, c.construct))
    return out


def _cluster(construct: int, group: list[tuple[int, int, int, Span]]) -> Cluster:
    return Cluster(construct, tuple(g[3] for g in group if g[2] == 0), tuple(g[3] for g in group if g[2] == 1))


def span_signature(reviewers: tuple[int, int], study: int, cluster: Cluster) -> str:
    """The state a decision on a span cluster is keyed on; the same whichever reviewer is A."""
    sides = [cluster.offsets_a, cluster.offsets_b]
    if reviewers[0] > reviewers[1]:
        reviewers, sides = reviewers[::-1], sides[::-1]
    # the JSON of ["span", [A, B], study, construct, A's [[start, end], ...], B's], written directly
    # (whole numbers only; tens of thousands of clusters at scale)
    a, b = ("[" + ", ".join(f"[{s}, {e}]" for s, e in side) + "]" for side in sides)
    return f'["span", [{int(reviewers[0])}, {int(reviewers[1])}], {int(study)}, {int(cluster.construct)}, {a}, {b}]'


def judgement_signature(reviewers: tuple[int, int], study: int, concept: int, kind_a: str | None,
                        kind_b: str | None) -> str:
    """The state a decision on a translation cell is keyed on: each side's kind (None: not judged);
    the same whichever reviewer is A."""
    if reviewers[0] > reviewers[1]:
        reviewers, kind_a, kind_b = reviewers[::-1], kind_b, kind_a
    return json.dumps(["judgement", list(reviewers), study, concept, kind_a, kind_b])


def seen_from(decision: str, swapped: bool) -> str:
    """A stored decision ("a", "b", ...) as seen with the reviewers the other way round when ``swapped``."""
    return {"a": "b", "b": "a"}.get(decision, decision) if swapped else decision


def short_id(signature: str) -> str:
    """The disagreement's id as a reviewer types it: 8 hex digits of the signature's hash."""
    return hashlib.sha256(signature.encode("utf-8")).hexdigest()[:8]


def differing(a: Iterable[tuple[int, int]], b: Iterable[tuple[int, int]], start: int,
              end: int) -> list[tuple[int, int, str]]:
    """The stretches of ``[start, end)`` coded by only one side: ``(from, to, "a"|"b")``, in order;
    what the side-by-side view marks."""
    def covered(spans: Iterable[tuple[int, int]]) -> list[bool]:
        marks = [False] * (end - start)
        for s, e in spans:
            for i in range(max(s, start), min(e, end)):
                marks[i - start] = True
        return marks

    in_a, in_b = covered(a), covered(b)
    out: list[tuple[int, int, str]] = []
    for i in range(end - start):
        side = "a" if in_a[i] and not in_b[i] else "b" if in_b[i] and not in_a[i] else ""
        if not side:
            continue
        if out and out[-1][1] == start + i and out[-1][2] == side:
            out[-1] = (out[-1][0], start + i + 1, side)
        else:
            out.append((start + i, start + i + 1, side))
    return out
