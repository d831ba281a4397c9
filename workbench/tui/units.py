"""Sentence steps over a study's stored sentence units (sorted ``(start, end)`` offsets)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from ..core.sentences import sentence_at

Units = list[tuple[int, int]]


def next_end(units: Units, offset: int) -> int | None:
    """The first sentence end after ``offset``."""
    ends = [e for _, e in units]
    i = bisect_right(ends, offset)
    return ends[i] if i < len(ends) else None


def previous_start(units: Units, offset: int) -> int | None:
    """The last sentence start before ``offset``."""
    starts = [s for s, _ in units]
    i = bisect_left(starts, offset) - 1
    return starts[i] if i >= 0 else None


def next_start(units: Units, offset: int) -> int | None:
    """The first sentence start after ``offset``."""
    starts = [s for s, _ in units]
    i = bisect_right(starts, offset)
    return starts[i] if i < len(starts) else None


def unit_at(units: Units, offset: int) -> tuple[int, int] | None:
    """The sentence containing ``offset``; else the last one ending at it (the cursor just past a
    sentence's full stop); else the next one."""
    found = sentence_at(units, offset)
    if found and found[0] <= offset:
        return found
    i = bisect_right(units, (offset, float("inf"))) - 1
    if i >= 0 and units[i][1] == offset:
        return units[i]
    return found
