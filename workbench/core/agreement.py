"""Agreement between reviewers: the measures their other tools report, computed from plain data.

Definitions follow ``shared/reference/agreement.md`` (and the papers it cites); the store builds the
inputs (``store.agreement``), so nothing here reads a database or draws a screen. Spans are
half-open ``[start, end)`` code-point offsets, as everywhere in the workbench.

- ``nominal``: predefined units (sentences, studies, grid cells) each given a category or missing by
  every reviewer: percent agreement, Cohen's, Fleiss', Brennan-Prediger's kappa, Gwet's AC1 and
  Krippendorff's nominal alpha.
- ``characters``: NVivo's coding comparison, one construct in one study, over characters.
- ``segments``: MAXQDA's segment comparison, coded segments matched at an overlap threshold.
- ``unitizing``: Krippendorff's unitizing alpha over a continuum.

A measure that is undefined for the data (one category only, no units, a single reviewer) is
``None`` with the reason in words, never a division by zero.
"""
from __future__ import annotations

import bisect
import math
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Hashable, Iterable, Mapping, Sequence

from .errors import WorkbenchError

Span = tuple[int, int]
Segment = tuple[Hashable, int, int]


class AgreementError(WorkbenchError, ValueError):
    """Settings an agreement computation cannot use (a threshold outside (0, 1], ragged ratings)."""


@dataclass(frozen=True)
class Measures:
    """Measure values (``None`` where undefined, with its reason) and the counts they rest on."""

    values: dict[str, float | None]
    reasons: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict:
        """``{measure: value, count: n, "reasons": {measure: why}}``; ``reasons`` only when any."""
        out: dict = {**self.values, **self.counts}
        if self.reasons:
            out["reasons"] = dict(self.reasons)
        return out


class _Values:
    """Collects measure values and the reasons for the undefined ones."""

    def __init__(self) -> None:
        self.values: dict[str, float | None] = {}
        self.reasons: dict[str, str] = {}

    def ratio(self, key: str, numerator: float, denominator: float, reason: str) -> None:
        self.values[key] = numerator / denominator if denominator else None
        if not denominator:
            self.reasons[key] = reason

    def kappa(self, key: str, p_a: float | None, p_e: float | None, reason: str) -> None:
        """``(p_a - p_e) / (1 - p_e)``; None with ``reason`` when chance agreement is certain."""
        if p_a is None or p_e is None:
            self.undefined(key, reason)
        elif math.isclose(p_e, 1.0, rel_tol=0, abs_tol=1e-12):
            self.undefined(key, reason)
        else:
            self.values[key] = (p_a - p_e) / (1.0 - p_e)

    def undefined(self, key: str, reason: str) -> None:
        self.values[key] = None
        self.reasons[key] = reason

    def measures(self, counts: dict[str, int]) -> Measures:
        return Measures(self.values, self.reasons, counts)


# ---------------------------------------------------------------------------------------------
# Predefined units

def nominal(ratings: Iterable[Sequence[Hashable | None]], q: int | None = None,
            weights: Iterable[int] | None = None) -> Measures:
    """Every nominal measure for units rated by the same reviewers (one column each; None = missing).

    ``weights`` gives each row a count (rows standing for many identical units). ``q`` is the number
    of categories a unit could take (the codebook size, plus one for "uncoded" where that is a
    category); it defaults to the categories seen and matters to Brennan-Prediger and Gwet's AC1.

    - ``percent_agreement``: mean over units with two or more values of the share of agreeing pairs;
    - ``cohen_kappa``: two reviewers only, over the units both rated;
    - ``fleiss_kappa``: over the units every reviewer rated;
    - ``brennan_prediger``: chance 1/q, over units with two or more values;
    - ``gwet_ac1``: chance ``sum pi_k (1 - pi_k) / (q - 1)``, pi_k the mean share of k per unit;
    - ``krippendorff_alpha``: nominal, missing values allowed, from the coincidence matrix;
      ``alpha_observed_agreement`` is its ``1 - D_o``; ``cohen_chance_agreement`` is Cohen's p_e.
    """
    patterns: Counter = Counter()
    width: int | None = None
    for index, (row, weight) in enumerate(zip(ratings, weights if weights is not None else _ones())):
        row = tuple(row)
        if width is None:
            width = len(row)
        elif len(row) != width:
            raise AgreementError(f"unit {index + 1} has {len(row)} ratings where the first had {width}")
        if weight:
            patterns[row] += weight
    m = width or 0
    return _nominal(patterns, m, q)


def _ones() -> Iterable[int]:
    while True:
        yield 1


def _nominal(patterns: Counter, m: int, q: int | None) -> Measures:
    seen = {v for row in patterns for v in row if v is not None}
    q = len(seen) if q is None else q
    out = _Values()
    units = sum(patterns.values())
    pairable = 0           # units with >= 2 values
    agree_sum = 0.0        # sum over pairable units of the share of agreeing pairs
    share_sum: Counter = Counter()   # sum over units with >= 1 value of r_k / r (Gwet's pi_k)
    rated = 0              # units with >= 1 value
    pairable_values: Counter = Counter()   # n_c for Krippendorff's alpha
    off_diagonal = 0.0     # sum over c != k of o_ck
    complete = 0           # units every reviewer rated (Fleiss)
    complete_agree = 0.0
    complete_values: Counter = Counter()
    for row, weight in patterns.items():
        present = [v for v in row if v is not None]
        r = len(present)
        if not r:
            continue
        counts = Counter(present)
        rated += weight
        for k, n in counts.items():
            share_sum[k] += weight * n / r
        if r < 2:
            continue
        same = sum(n * (n - 1) for n in counts.values())
        agreement = same / (r * (r - 1))
        pairable += weight
        agree_sum += weight * agreement
        for k, n in counts.items():
            pairable_values[k] += weight * n
        off_diagonal += weight * (r * r - sum(n * n for n in counts.values())) / (r - 1)
        if r == m:
            complete += weight
            complete_agree += weight * agreement
            for k, n in counts.items():
                complete_values[k] += weight * n

    lone = "only one reviewer is compared" if m < 2 else None
    no_pairs = lone or "no unit has values from two reviewers"
    p_a = agree_sum / pairable if pairable else None
    if p_a is None:
        out.undefined("percent_agreement", no_pairs)
    else:
        out.values["percent_agreement"] = p_a

    # Cohen's kappa: two reviewers, the units both rated.
    if m != 2:
        out.undefined("cohen_kappa", lone or f"Cohen's kappa compares two reviewers, not {m} "
                                             "(see fleiss_kappa)")
        out.undefined("cohen_chance_agreement", out.reasons["cohen_kappa"])
    elif not complete:
        out.undefined("cohen_kappa", "no unit was rated by both reviewers")
        out.undefined("cohen_chance_agreement", out.reasons["cohen_kappa"])
    else:
        first: Counter = Counter()
        second: Counter = Counter()
        for (a, b), weight in patterns.items():
            if a is not None and b is not None:
                first[a] += weight
                second[b] += weight
        p_e = sum(first[k] * second[k] for k in first) / (complete * complete)
        out.values["cohen_chance_agreement"] = p_e
        out.kappa("cohen_kappa", complete_agree / complete, p_e,
                  "both reviewers gave every unit the same one category, so chance agreement is certain")

    # Fleiss' kappa: the units every reviewer rated.
    if m < 2:
        out.undefined("fleiss_kappa", lone)
    elif not complete:
        out.undefined("fleiss_kappa", "no unit was rated by every reviewer")
    else:
        p_e = sum((n / (complete * m)) ** 2 for n in complete_values.values())
        out.kappa("fleiss_kappa", complete_agree / complete, p_e,
                  "every rating is the same one category, so chance agreement is certain")

    # Brennan-Prediger and Gwet's AC1 depend on q.
    few = f"q = {q}: a unit can take fewer than two categories"
    if q < 2:
        out.undefined("brennan_prediger", lone or few)
        out.undefined("gwet_ac1", lone or few)
    else:
        out.kappa("brennan_prediger", p_a, 1.0 / q, no_pairs)
        if p_a is None:
            out.undefined("gwet_ac1", no_pairs)
        else:
            p_e = sum((s / rated) * (1 - s / rated) for s in share_sum.values()) / (q - 1)
            out.kappa("gwet_ac1", p_a, p_e, "chance agreement is certain")

    # Krippendorff's alpha (nominal): 1 - (n - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c n_k.
    n = sum(pairable_values.values())
    expected = n * n - sum(v * v for v in pairable_values.values())
    if not n:
        out.undefined("krippendorff_alpha", no_pairs)
        out.undefined("alpha_observed_agreement", no_pairs)
    else:
        out.values["alpha_observed_agreement"] = 1.0 - off_diagonal / n
        if expected <= 0:
            out.undefined("krippendorff_alpha", "every pairable value is the same one category, "
                                                "so no disagreement is expected")
        else:
            out.values["krippendorff_alpha"] = 1.0 - (n - 1) * off_diagonal / expected
    return out.measures({"units": units, "pairable_units": pairable, "reviewers": m, "categories": q})


# ---------------------------------------------------------------------------------------------
# Characters (NVivo)

def union(spans: Iterable[Span], length: int | None = None) -> list[Span]:
    """The spans merged where they overlap or touch, sorted, clipped to ``[0, length)``."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if length is not None:
            start, end = max(0, start), min(end, length)
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _covered(spans: Sequence[Span]) -> int:
    return sum(e - s for s, e in spans)


def _overlap(a: Sequence[Span], b: Sequence[Span]) -> int:
    """Characters in both of two sorted, disjoint span lists."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            total += end - start
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return total


@dataclass(frozen=True)
class CharacterTable:
    """The 2x2 table of characters for one construct: coded by both, by A only, by B only, neither.

    Tables add, so a pooled comparison (all studies, all constructs) is the sum of its parts."""

    both: int = 0
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    def __add__(self, other: CharacterTable) -> CharacterTable:
        return CharacterTable(self.both + other.both, self.only_a + other.only_a,
                              self.only_b + other.only_b, self.neither + other.neither)

    @property
    def characters(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    def measures(self) -> Measures:
        """``percent_agreement`` = (both + neither) / N, ``cohen_kappa`` on the 2x2 table."""
        n = self.characters
        out = _Values()
        out.ratio("percent_agreement", self.both + self.neither, n, "the text has no characters")
        if not n:
            out.undefined("cohen_kappa", "the text has no characters")
        else:
            a = (self.both + self.only_a) / n
            b = (self.both + self.only_b) / n
            p_e = a * b + (1 - a) * (1 - b)
            if not (self.both + self.only_a + self.only_b):
                reason = "neither reviewer coded any of it (NVivo shows kappa 1 here)"
            elif not self.neither and not self.only_a and not self.only_b:
                reason = "both reviewers coded every character (NVivo shows kappa 1 here)"
            else:
                reason = "one reviewer coded every character and the other none or all"
            out.kappa("cohen_kappa", out.values["percent_agreement"], p_e, reason)
        return out.measures({"characters": n, "both": self.both, "only_a": self.only_a,
                             "only_b": self.only_b, "neither": self.neither})


def character_table(length: int, a: Iterable[Span], b: Iterable[Span]) -> CharacterTable:
    """The 2x2 character table of two reviewers' spans of one construct in a text of ``length``."""
    ua, ub = union(a, length), union(b, length)
    both = _overlap(ua, ub)
    only_a, only_b = _covered(ua) - both, _covered(ub) - both
    return CharacterTable(both, only_a, only_b, length - both - only_a - only_b)


def characters(length: int, a: Iterable[Span], b: Iterable[Span]) -> Measures:
    """NVivo's coding comparison of one construct in one study: percent agreement and kappa."""
    return character_table(length, a, b).measures()


# ---------------------------------------------------------------------------------------------
# Segments (MAXQDA)

@dataclass(frozen=True)
class SegmentMatch:
    """Segments paired one to one (with their overlap share of the union), and those left alone."""

    pairs: list[tuple[Segment, Segment, float]]
    only_a: list[Segment]
    only_b: list[Segment]


def match_segments(a: Iterable[Segment], b: Iterable[Segment], threshold: float) -> SegmentMatch:
    """Pair A's and B's segments of the same construct overlapping by at least ``threshold`` of
    their union, one to one, best overlap first (ties: earlier segments first)."""
    if not 0 < threshold <= 1:
        raise AgreementError(f"the overlap threshold must be above 0 and at most 1, not {threshold}")
    a, b = sorted(set(a), key=_segment_key), sorted(set(b), key=_segment_key)
    by_construct: dict = {}
    for side, segs in ((0, a), (1, b)):
        for seg in segs:
            by_construct.setdefault(seg[0], ([], []))[side].append(seg)
    candidates: list[tuple[float, Segment, Segment]] = []
    for mine, theirs in by_construct.values():
        theirs_starts = [s[1] for s in theirs]
        longest = max((s[2] - s[1] for s in theirs), default=0)
        for seg in mine:
            # their segments starting before seg ends and after (seg start - their longest)
            lo = bisect.bisect_left(theirs_starts, seg[1] - longest)
            hi = bisect.bisect_left(theirs_starts, seg[2])
            for other in theirs[lo:hi]:
                inter = min(seg[2], other[2]) - max(seg[1], other[1])
                if inter <= 0:
                    continue
                share = inter / (max(seg[2], other[2]) - min(seg[1], other[1]))
                if share >= threshold:
                    candidates.append((share, seg, other))
    candidates.sort(key=lambda c: (-c[0], _segment_key(c[1]), _segment_key(c[2])))
    used_a: set = set()
    used_b: set = set()
    pairs = []
    for share, seg, other in candidates:
        if seg in used_a or other in used_b:
            continue
        used_a.add(seg)
        used_b.add(other)
        pairs.append((seg, other, share))
    pairs.sort(key=lambda p: _segment_key(p[0]))
    return SegmentMatch(pairs, [s for s in a if s not in used_a], [s for s in b if s not in used_b])


def _segment_key(seg: Segment) -> tuple:
    return (seg[1], seg[2], str(seg[0]))


def segment_measures(agreements: int, only_a: int, only_b: int, q: int) -> Measures:
    """MAXQDA's figures from the counts: percent = agreements / all, kappa with chance 1/q."""
    out = _Values()
    total = agreements + only_a + only_b
    out.ratio("percent_agreement", agreements, total, "neither reviewer coded a segment")
    if q < 2:
        out.undefined("brennan_prediger", f"q = {q}: fewer than two constructs to choose from")
    else:
        out.kappa("brennan_prediger", out.values["percent_agreement"], 1.0 / q,
                  "neither reviewer coded a segment")
    return out.measures({"agreements": agreements, "only_a": only_a, "only_b": only_b,
                         "categories": q})


def segments(a: Iterable[Segment], b: Iterable[Segment], threshold: float, q: int) -> Measures:
    """MAXQDA's segment comparison: agreements, A only, B only, percent and kappa (chance 1/q)."""
    match = match_segments(a, b, threshold)
    return segment_measures(len(match.pairs), len(match.only_a), len(match.only_b), q)


# ---------------------------------------------------------------------------------------------
# Pairs of reviewers

def mean_over_pairs(results: Sequence[Measures]) -> Measures:
    """Each measure averaged over reviewer pairs where it is defined (Light's kappa, for Cohen's);
    counts summed. Undefined where no pair defines it, with the pairs' reasons."""
    out = _Values()
    keys = list(dict.fromkeys(k for r in results for k in r.values))
    for key in keys:
        defined = [r.values[key] for r in results if r.values.get(key) is not None]
        if defined:
            out.values[key] = sum(defined) / len(defined)
        else:
            out.undefined(key, "; ".join(dict.fromkeys(r.reasons.get(key, "undefined")
                                                       for r in results)) or "no pair of reviewers")
    counts: Counter = Counter()
    for r in results:
        counts.update({k: v for k, v in r.counts.items() if k != "categories"})
    if results and "categories" in results[0].counts:
        counts["categories"] = results[0].counts["categories"]
    counts["pairs"] = len(results)
    return out.measures(dict(counts))


def pairs(reviewers: Sequence) -> list[tuple]:
    """Every pair of reviewers, in the order given."""
    return list(combinations(reviewers, 2))


# ---------------------------------------------------------------------------------------------
# Krippendorff's unitizing alpha

@dataclass(frozen=True)
class Unitized:
    """Unitizing alpha per category (with its D_o and D_e) and overall."""

    by_category: dict[Hashable, Measures]
    overall: Measures


def _sections(units: Sequence[Span], length: int) -> list[tuple[int, int, bool]]:
    """An observer's continuum ``[0, length)`` cut into (begin, end, valued) sections."""
    out: list[tuple[int, int, bool]] = []
    at = 0
    for start, end in units:
        if start > at:
            out.append((at, start, False))
        out.append((start, end, True))
        at = end
    if at < length:
        out.append((at, length, False))
    return out


def _distance_sum(first: list[tuple[int, int, bool]], second: list[tuple[int, int, bool]]) -> int:
    """Sum of squared distances over the overlapping sections of two observers' continua."""
    total = i = j = 0
    while i < len(first) and j < len(second):
        bg, eg, vg = first[i]
        bh, eh, vh = second[j]
        if min(eg, eh) > max(bg, bh):
            if vg and vh:
                total += (bg - bh) ** 2 + (eg - eh) ** 2
            elif vg and bh <= bg and eg <= eh:
                total += (eg - bg) ** 2
            elif vh and bg <= bh and eh <= eg:
                total += (eh - bh) ** 2
        if eg <= eh:
            i += 1
        else:
            j += 1
    return total


def unitizing(length: int, observers: Sequence[Mapping[Hashable, Iterable[Span]]]) -> Unitized:
    """Krippendorff's unitizing alpha on the continuum ``[0, length)``.

    ``observers[i]`` maps each category to observer i's units in it (overlapping or touching units
    of one observer in one category are merged first). Per category c, ``D_o(c)`` and ``D_e(c)`` as
    in agreement.md (Krippendorff 2004; DKPro's KrippendorffAlphaUnitizingAgreement); ``alpha_c =
    1 - D_o/D_e``; overall ``alpha_U = 1 - sum D_o / sum D_e``. Categories are those any observer
    used."""
    m = len(observers)
    unions = [{c: union(spans, length) for c, spans in obs.items()} for obs in observers]
    categories = sorted({c for obs in unions for c, spans in obs.items() if spans}, key=str)
    by_category: dict[Hashable, Measures] = {}
    total_o = total_e = 0.0
    big_l = length
    for c in categories:
        out = _Values()
        units = [obs.get(c, []) for obs in unions]
        if m < 2 or big_l <= 1:
            reason = "only one reviewer is compared" if m < 2 else "the text is too short to unitize"
            out.undefined("unitizing_alpha", reason)
            by_category[c] = out.measures({"units": sum(len(u) for u in units), "reviewers": m})
            continue
        sections = [_sections(u, big_l) for u in units]
        observed = 0
        for i, j in combinations(range(m), 2):
            observed += 2 * _distance_sum(sections[i], sections[j])
        d_o = observed / (m * (m - 1) * big_l * big_l)
        lengths = [e - s for u in units for s, e in u]
        gaps = sorted(e - s for sec in sections for s, e, valued in sec if not valued)
        suffix = [0] * (len(gaps) + 1)
        for k in range(len(gaps) - 1, -1, -1):
            suffix[k] = suffix[k + 1] + gaps[k]
        n_c = len(lengths)
        numerator = 0.0
        for lu in lengths:
            k = bisect.bisect_left(gaps, lu)
            fitting = len(gaps) - k
            numerator += (n_c - 1) * (2 * lu ** 3 - 3 * lu ** 2 + lu) / 3
            numerator += lu * lu * (suffix[k] - (lu - 1) * fitting)
        denominator = m * big_l * (m * big_l - 1) - sum(lu * (lu - 1) for lu in lengths)
        d_e = (2 / big_l) * numerator / denominator if denominator else 0.0
        out.values["d_o"] = d_o
        out.values["d_e"] = d_e
        if d_e <= 0:
            out.undefined("unitizing_alpha", "no disagreement is expected for these units")
        else:
            out.values["unitizing_alpha"] = 1 - d_o / d_e
            total_o += d_o
            total_e += d_e
        by_category[c] = out.measures({"units": n_c, "reviewers": m})
    overall = _Values()
    if m < 2:
        overall.undefined("unitizing_alpha", "only one reviewer is compared")
    elif not categories:
        overall.undefined("unitizing_alpha", "no reviewer marked a unit")
    elif total_e <= 0:
        overall.undefined("unitizing_alpha", "no category has an expected disagreement")
    else:
        overall.values["unitizing_alpha"] = 1 - total_o / total_e
    return Unitized(by_category, overall.measures({
        "units": sum(m_.counts.get("units", 0) for m_ in by_category.values()), "reviewers": m,
        "categories": len(categories)}))


# ---------------------------------------------------------------------------------------------
# Sentences

def sentence_categories(sentences: Sequence[Span], codings: Iterable[Segment]) -> list[Hashable | None]:
    """Each sentence's category for one reviewer: the construct covering most of its characters
    (ties: the smaller construct key), None ("uncoded") when no coding covers any of it.

    ``sentences`` are sorted and disjoint; ``codings`` are (construct, start, end). A construct's
    overlapping codings are merged first, so coding a sentence twice does not count twice."""
    starts = [s for s, _ in sentences]
    spans_by_construct: dict[Hashable, list[Span]] = {}
    for construct, start, end in codings:
        spans_by_construct.setdefault(construct, []).append((start, end))
    cover: list[dict[Hashable, int] | None] = [None] * len(sentences)
    for construct, spans in spans_by_construct.items():
        for start, end in union(spans):
            k = max(0, bisect.bisect_right(starts, start) - 1)
            while k < len(sentences) and sentences[k][0] < end:
                s, e = sentences[k]
                inter = min(e, end) - max(s, start)
                if inter > 0:
                    if cover[k] is None:
                        cover[k] = {}
                    cover[k][construct] = cover[k].get(construct, 0) + inter
                k += 1
    return [None if c is None else min(c, key=lambda key: (-c[key], key)) for c in cover]
