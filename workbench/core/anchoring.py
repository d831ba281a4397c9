"""Re-anchoring spans when a study's text is replaced by a corrected one (pure: no SQL).

Each span (its stored offsets and its W3C TextQuoteSelector: exact quote, prefix, suffix) is placed
in the new text by the first of these that succeeds:

1. ``position``: the stored offsets, when the new text there is still the quote with its prefix
   and suffix around it (the text did not move under it);
2. ``diff``: the offsets mapped through a diff of the old and the new text (word by word, by
   rapidfuzz's LCS opcodes; a text too long for that is first diffed by lines, then sentences, with
   ``difflib``), when the new text between the mapped start and end is the quote, unless another
   occurrence of the quote agrees better with its prefix and suffix (a diff can pair a short
   quote, a space or a common word, with a chance twin inside an edited stretch);
3. ``quote``: the exact quote found in the new text; of several occurrences the one whose
   surroundings agree longest with the stored prefix and suffix, a tie going to the one nearest
   the old position;
4. ``fuzzy``: the closest stretch of the new text (rapidfuzz), when its similarity to the quote is
   at least ``FUZZY_MIN`` (0-100): the span takes the new text's words, so its quote changes;
5. otherwise ``orphaned``: not placed, kept with its quote for a reviewer to place or drop.

The first three keep the quote character for character (``EXACT_METHODS``); only ``fuzzy`` changes
it, and every placed span satisfies ``new_text[start:end] == quote``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, Sequence

METHODS = ("position", "diff", "quote", "fuzzy", "orphaned")
EXACT_METHODS = frozenset({"position", "diff", "quote"})
FUZZY_MIN = 80.0            # rapidfuzz similarity (0-100) a fuzzy match needs
FUZZY_MIN_LENGTH = 8        # shorter quotes are placed exactly or not at all: a 5-letter near match is chance
NEAR = 2_000                # characters either side of the expected place searched first for a fuzzy match
MAX_HITS = 2_000            # occurrences of a quote scored at most (a one-letter quote in a long text)

_LEVELS = (
    re.compile(r"[^\n]*\n|[^\n]+"),                  # lines
    re.compile(r"[^.!?;\n]*[.!?;]+\s*|[^.!?;\n]+"),  # sentences and clauses within a line
)
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")           # words, spaces and punctuation
_TOKEN_CELLS = 20_000 * 20_000  # token pairs diffed word by word at once (a 50 MB bit matrix)


@dataclass(frozen=True)
class Span:
    """A span as stored: offsets in the old text and its TextQuoteSelector."""

    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placed:
    """Where a span went: ``method`` (one of ``METHODS``), the new offsets and the quote there
    (None for an orphan), and ``score``: the similarity of a fuzzy match or of the best fuzzy
    candidate an orphan missed (0-100), the context agreement of a quote match (0-1)."""

    method: str
    start: int | None
    end: int | None
    exact: str | None
    score: float | None = None
    candidate: tuple[int, int] | None = None   # an orphan's best candidate below FUZZY_MIN

    @property
    def placed(self) -> bool:
        return self.method != "orphaned"


class Reanchorer:
    """Places spans of ``old`` in ``new``; the diff is computed once, at the first span that needs it."""

    def __init__(self, old: str, new: str):
        self.old = old
        self.new = new
        self._blocks: list[tuple[int, int, int]] | None = None  # (old start, old end, new start), equal text
        self._starts: list[int] = []

    # --- the cascade ---------------------------------------------------------------------------------

    def place(self, span: Span) -> Placed:
        """The first method of the cascade that places ``span`` in the new text (see the module)."""
        new, exact = self.new, span.exact
        s, e = span.start, span.end
        if new[s:e] == exact and self._context_holds(span, s, e):
            return Placed("position", s, e, exact)
        mapped = self.map_span(s, e)
        hit = None
        if mapped is not None and new[mapped[0]:mapped[1]] == exact:
            agrees = _context(new, mapped[0], mapped[1], span)
            if agrees == len(span.prefix) + len(span.suffix):
                return Placed("diff", mapped[0], mapped[1], exact)
            hit = self._best_occurrence(span)
            if hit is None or _context(new, hit[0], hit[0] + len(exact), span) <= agrees:
                return Placed("diff", mapped[0], mapped[1], exact)
        hit = hit or self._best_occurrence(span)
        if hit is not None:
            return Placed("quote", hit[0], hit[0] + len(exact), exact, hit[1])
        return self._fuzzy(span)

    def place_all(self, spans: Iterable[Span]) -> list[Placed]:
        return [self.place(span) for span in spans]

    def _context_holds(self, span: Span, s: int, e: int) -> bool:
        return (self.new[max(0, s - len(span.prefix)):s] == span.prefix[-s:] if s else not span.prefix) \
            and self.new[e:e + len(span.suffix)] == span.suffix

    # --- diff mapping --------------------------------------------------------------------------------

    def blocks(self) -> list[tuple[int, int, int]]:
        """Stretches of equal text: ``(old start, old end, new start)``, in old order."""
        if self._blocks is None:
            found: list[tuple[int, int, int]] = []
            _diff(self.old, 0, len(self.old), self.new, 0, len(self.new), 0, found)
            found.sort()
            self._blocks = found
            self._starts = [b[0] for b in found]
        return self._blocks

    def map_offset(self, offset: int, is_end: bool = False) -> int | None:
        """``offset`` of the old text in the new one, when it lies in (a start) or closes (an end) a
        stretch the two texts share; None inside changed text."""
        blocks = self.blocks()
        i = bisect_right(self._starts, offset - 1 if is_end else offset) - 1
        if i < 0:
            return None
        a, b, n = blocks[i]
        if a <= offset < b or (is_end and a < offset <= b):
            return n + offset - a
        return None

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        s, e = self.map_offset(start), self.map_offset(end, is_end=True)
        if s is None or e is None or e <= s:
            return None
        return s, e

    def expected(self, offset: int) -> int:
        """Where ``offset`` most likely is in the new text: mapped through the nearest shared
        stretch before it (for proximity; never used as a place by itself)."""
        blocks = self.blocks()
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return min(offset, len(self.new))
        a, b, n = blocks[i]
        return min(n + min(offset, b) - a, len(self.new))

    # --- exact quote ---------------------------------------------------------------------------------

    def _best_occurrence(self, span: Span) -> tuple[int, float] | None:
        """The start of the occurrence of the quote whose context agrees best, and that agreement (0-1)."""
        new, exact = self.new, span.exact
        hits: list[int] = []
        i = new.find(exact)
        while i != -1 and len(hits) < MAX_HITS:
            hits.append(i)
            i = new.find(exact, i + 1)
        if not hits:
            return None
        near = self.expected(span.start) if len(hits) > 1 else 0
        width = len(span.prefix) + len(span.suffix)
        best = max(hits, key=lambda h: (_context(new, h, h + len(exact), span), -abs(h - near)))
        agreement = _context(new, best, best + len(exact), span)
        return best, round(agreement / width, 3) if width else 1.0

    # --- fuzzy ---------------------------------------------------------------------------------------

    def _fuzzy(self, span: Span) -> Placed:
        exact = span.exact
        if len(exact.strip()) < FUZZY_MIN_LENGTH or not self.new:
            return Placed("orphaned", None, None, None)
        near = self.expected(span.start)
        lo, hi = max(0, near - NEAR - len(exact)), min(len(self.new), near + NEAR + len(exact))
        cut = _cuts(span)
        found = _align(exact, self.new, lo, hi, cut)
        if found is None or found[2] < FUZZY_MIN:
            whole = _align(exact, self.new, 0, len(self.new), cut)
            if whole is not None and (found is None or whole[2] > found[2]):
                found = whole
        if found is None:
            return Placed("orphaned", None, None, None)
        s, e, score = found
        if score < FUZZY_MIN:
            return Placed("orphaned", None, None, None, round(score, 1), (s, e))
        return Placed("fuzzy", s, e, self.new[s:e], round(score, 1))


def reanchor(old: str, new: str, spans: Sequence[Span]) -> list[Placed]:
    """Place each of ``spans`` (offsets and quotes in ``old``) in ``new``, in order (see the module)."""
    return Reanchorer(old, new).place_all(spans)


def best_candidate(text: str, span: Span) -> tuple[int, int, float] | None:
    """The stretch of ``text`` most like the span's quote, at any score: ``(start, end, score)``, for
    a reviewer placing an orphan by hand."""
    if not span.exact.strip() or not text:
        return None
    return _align(span.exact, text, 0, len(text), _cuts(span))


def _cuts(span: Span) -> tuple[bool, bool]:
    """Whether the span's quote starts and ends inside a word (as its prefix and suffix show)."""
    return (span.prefix[-1:].isalnum() and span.exact[:1].isalnum(),
            span.exact[-1:].isalnum() and span.suffix[:1].isalnum())


def _context(text: str, s: int, e: int, span: Span) -> int:
    """How many characters next to ``text[s:e]`` agree with the span's prefix (backwards) and
    suffix (forwards)."""
    n = 0
    prefix = span.prefix
    while n < len(prefix) and s - n - 1 >= 0 and text[s - n - 1] == prefix[-n - 1]:
        n += 1
    m = 0
    suffix = span.suffix
    while m < len(suffix) and e + m < len(text) and text[e + m] == suffix[m]:
        m += 1
    return n + m


def _align(exact: str, text: str, lo: int, hi: int, cut: tuple[bool, bool] = (False, False)
           ) -> tuple[int, int, float] | None:
    """The stretch of ``text[lo:hi]`` most like ``exact``: rapidfuzz's best partial alignment, its
    ends then moved a few characters each way (its ends can be off by one or two) to the pair most
    like the quote, then out to whole words unless ``cut`` says the quote starts or ends inside a
    word. ``(start, end, similarity 0-100)``."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Levenshtein

    window = text[lo:hi]
    if not window:
        return None
    found = fuzz.partial_ratio_alignment(exact, window)
    if found is None or found.dest_end <= found.dest_start:
        return None
    s0, e0 = lo + found.dest_start, lo + found.dest_end
    slack = max(2, min(12, len(exact) // 10))

    def key(s: int, e: int) -> tuple:
        # edit similarity (a changed letter costs one, as a reader counts); of equals, the length
        # nearest the quote's, then the place nearest rapidfuzz's alignment
        return (Levenshtein.normalized_similarity(exact, text[s:e]), -abs(e - s - len(exact)),
                -abs(s - s0) - abs(e - e0))

    best = (key(s0, e0), s0, e0)
    for _ in range(2):  # the start with the end held, then the end with the start held, twice
        e = best[2]
        for s in range(max(lo, s0 - slack), min(e, s0 + slack + 1)):
            best = max(best, (key(s, e), s, e))
        s = best[1]
        for e in range(max(s + 1, e0 - slack), min(hi, e0 + slack) + 1):
            best = max(best, (key(s, e), s, e))
    (similarity, *_), s, e = best
    # whole words: a stretch that cuts a word in two is widened to the word's ends (unless the
    # quote itself cut a word there), and scored again
    ws, we = s, e
    if not cut[0]:
        while ws > lo and text[ws - 1].isalnum() and text[ws].isalnum():
            ws -= 1
    if not cut[1]:
        while we < hi and text[we - 1].isalnum() and text[we].isalnum():
            we += 1
    if (ws, we) != (s, e):
        similarity, s, e = Levenshtein.normalized_similarity(exact, text[ws:we]), ws, we
    return s, e, round(similarity * 100, 1)


def _diff(old: str, a0: int, a1: int, new: str, b0: int, b1: int, level: int, out: list) -> None:
    """Append the equal stretches of ``old[a0:a1]`` and ``new[b0:b1]`` to ``out``: word by word
    (rapidfuzz's LCS opcodes, in C) when the two token lists are small enough for its bit matrix,
    else by the units of ``_LEVELS[level]`` (lines, then sentences: difflib), going finer inside
    each replaced stretch."""
    ta = _TOKENS.findall(old, a0, a1)
    tb = _TOKENS.findall(new, b0, b1)
    if len(ta) * len(tb) <= _TOKEN_CELLS:
        from rapidfuzz.distance import Indel

        pa, pb = _offsets(ta, a0), _offsets(tb, b0)
        for tag, i1, i2, j1, j2 in Indel.opcodes(ta, tb):
            if tag == "equal" and pa[i2] > pa[i1]:
                out.append((pa[i1], pa[i2], pb[j1]))
        return
    if level == len(_LEVELS):
        return  # too long to diff finer: its spans are found by their quotes
    pattern = _LEVELS[level]
    ua = [m.group() for m in pattern.finditer(old, a0, a1)]
    ub = [m.group() for m in pattern.finditer(new, b0, b1)]
    pa, pb = _offsets(ua, a0), _offsets(ub, b0)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ua, ub, autojunk=False).get_opcodes():
        if tag == "equal":
            if pa[i2] > pa[i1]:
                out.append((pa[i1], pa[i2], pb[j1]))
        elif tag == "replace":
            _diff(old, pa[i1], pa[i2], new, pb[j1], pb[j2], level + 1, out)


def _offsets(units: list[str], start: int) -> list[int]:
    found = [start]
    for u in units:
        found.append(found[-1] + len(u))
    return found
