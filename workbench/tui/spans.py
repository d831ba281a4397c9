"""Codings as line segments for painting: a per-line index and a boundary sweep (no Textual here).

The study text view asks, for one visible line at a time, which stretches of it are covered by
codings, how many codings cover each stretch, and which construct orders the reviewer's own and
other reviewers' codings there have. ``SpanIndex`` answers in O(spans on the line + boundaries) and caches the answer per line.
"""
from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Span:
    """One coding as painted: ``[start, end)`` in code points, its construct order, a recency key
    (the coding id) and whether it is the reviewer's own (False: another reviewer's, shown)."""

    start: int
    end: int
    order: int
    key: int
    mine: bool = True


@dataclass(frozen=True)
class Segment:
    """A stretch of one line, in line-relative code-point columns ``[start, end)``."""

    start: int
    end: int
    order: int  # the order of the newest coding covering it
    depth: int  # how many codings cover it (> 1: an overlap)
    key: int  # the id of that newest coding
    mine: frozenset[int] = frozenset()  # the orders of the reviewer's own codings covering it
    others: frozenset[int] = frozenset()  # the orders of other reviewers' codings covering it


class SpanIndex:
    """Spans grouped by the lines they touch, with the boundary sweep of each line cached."""

    def __init__(self, line_starts: list[int], text_length: int, spans: Iterable[Span] = ()):
        self.line_starts = line_starts
        self.text_length = text_length
        self._per_line: dict[int, list[Span]] = {}
        self._segments: dict[int, list[Segment]] = {}
        self.count = 0
        for span in spans:
            if span.end <= span.start:
                continue
            self.count += 1
            first = bisect_right(line_starts, span.start) - 1
            last = bisect_right(line_starts, span.end - 1) - 1
            for line in range(first, last + 1):
                self._per_line.setdefault(line, []).append(span)

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Absolute ``[start, end)`` of the line's characters (its newline excluded)."""
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else self.text_length
        return start, end

    def spans_on(self, line: int) -> list[Span]:
        return self._per_line.get(line, [])

    def segments(self, line: int) -> list[Segment]:
        """The covered stretches of ``line``, left to right, each with its depth, the newest coding's
        order and the orders of the own and the other reviewers' codings covering it."""
        cached = self._segments.get(line)
        if cached is not None:
            return cached
        spans = self._per_line.get(line)
        if not spans:
            return []
        base, limit = self.line_bounds(line)
        events: list[tuple[int, int, int]] = []  # (column, 0 = end / 1 = start, span number)
        for number, span in enumerate(spans):
            a = max(span.start, base) - base
            b = min(span.end, limit) - base
            if a < b:
                events.append((a, 1, number))
                events.append((b, 0, number))
        events.sort()
        result: list[Segment] = []
        active: set[int] = set()
        newest: list[tuple[int, int]] = []  # heap of (-key, span number); ended spans dropped lazily
        previous = 0
        for column, is_start, number in events:
            if active and column > previous:
                while newest[0][1] not in active:
                    heappop(newest)
                top = spans[newest[0][1]]
                covering = [spans[n] for n in active]
                result.append(Segment(previous, column, top.order, len(active), top.key,
                                      frozenset(s.order for s in covering if s.mine),
                                      frozenset(s.order for s in covering if not s.mine)))
            if is_start:
                active.add(number)
                heappush(newest, (-spans[number].key, number))
            else:
                active.discard(number)
            previous = column
        self._segments[line] = result
        return result
