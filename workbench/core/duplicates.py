"""Whether a study record is one the review already has, judged on evidence (pure: no database).

Two kinds of match, as systematic-review tools make them (EndNote's author + year + title,
Rayyan's possible duplicates that a person resolves, ASySD's field-by-field comparison):

* **definite**: the same DOI, the same PubMed id, the same canonical text, or the same title (case,
  accents and punctuation ignored) with the same year and the same first author's family name. A
  definite duplicate is not imported again.
* **possible**: titles at least ``TITLE_MATCH`` % alike that no field contradicts: the years are
  the same, a year apart (online first, then in print) or one is unknown; the first authors are the
  same or one is unknown; the DOIs and PubMed ids are not two different ones. A possible duplicate
  is imported and flagged for a person to judge.

Any title-based match needs the same numbers, roman numerals and single letters in both titles
(``title_markers``): Part 1 is never Part 2.

Finding near titles is not quadratic: candidates come from an inverted index on the pairs of each
title's five rarest words (prefix filtering over the words of all titles seen in the run, ordered by
rarity), blocked by the title's markers. Two titles whose word sets differ by at most three words on
each side and share at least two words always share one of those pairs (the first two words they
have in common come within the first five of each), so they are always compared; titles sharing no
pair of rare words are never compared, which keeps the candidates to a handful per record.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable

from .records import title_key, title_markers

TITLE_MATCH = 95  # rapidfuzz ratio (0-100) from which two titles are alike enough to compare further
PREFIX = 5  # rarest words per title whose pairs are indexed: titles differing in up to PREFIX - 2 words meet


@dataclass(eq=False)
class Entry:
    """What the comparison reads of one study. ``key`` names it for the caller (a study id, or a
    position in an import not yet stored); text-less records have ``sha256`` None."""

    key: object
    title: str
    year: int | None = None
    first_author: str = ""  # ``surname_key`` of the first author, "" when unknown
    doi: str | None = None
    pmid: str | None = None
    sha256: str | None = None
    label: str = ""  # how a reviewer names the study ("Newman 2025"), for messages
    title_key: str = field(init=False, repr=False)
    markers: frozenset = field(init=False, repr=False)
    blocks: list | None = field(init=False, repr=False, default=None)  # the index keys, once known

    def __post_init__(self) -> None:
        self.title_key = title_key(self.title)
        self.markers = title_markers(self.title_key)


@dataclass
class Match:
    """A study the record matches: ``kind`` is "definite" or "possible", ``reason`` a phrase for
    the report ("same DOI 10.1/x", "titles 97% alike"), ``evidence`` each field's comparison:
    "same", "different" or "missing" (and "title": the score, 0-100)."""

    other: Entry
    kind: str
    reason: str
    score: float
    evidence: dict = field(default_factory=dict)


def compare(a: Entry, b: Entry, title_score: float | None = None) -> dict:
    """Field-by-field evidence for two entries (what ``duplicates`` shows beside a pair)."""
    def same(x, y):
        if x in (None, "") or y in (None, ""):
            return "missing"
        return "same" if x == y else "different"

    if title_score is None:
        from rapidfuzz import fuzz

        title_score = fuzz.ratio(a.title_key, b.title_key)
    return {
        "title": round(title_score, 1),
        "title_numbers": "same" if a.markers == b.markers else "different",
        "year": same(a.year, b.year),
        "first_author": same(a.first_author, b.first_author),
        "doi": same(a.doi, b.doi),
        "pmid": same(a.pmid, b.pmid),
        "text": same(a.sha256, b.sha256),
    }


class DuplicateIndex:
    """The studies seen so far, and for a new one the study it duplicates, if any.

    ``vocabulary`` is every entry the run will see (stored and incoming), whose title words fix
    the order of rarity that the near-title index relies on; an entry not in it still works, only
    less selectively.
    """

    def __init__(self, vocabulary: Iterable[Entry] = ()):
        counts: Counter[str] = Counter()
        for entry in vocabulary:
            counts.update(set(entry.title_key.split()))
        # each word's place in one global order, rarest first (ties by spelling), as prefix filtering needs
        self._rank = {w: i for i, w in enumerate(sorted(counts, key=lambda w: (counts[w], w)))}
        self.doi: dict[str, Entry] = {}
        self.pmid: dict[str, Entry] = {}
        self.text: dict[str, Entry] = {}
        self.exact: dict[tuple[str, int, str], Entry] = {}
        self.blocks: dict[tuple, list[tuple[str, Entry]]] = {}

    def _blocks(self, entry: Entry) -> list[tuple]:
        """The index keys of a title: its markers with each pair of its rarest words."""
        if entry.blocks is not None:
            return entry.blocks
        words = set(entry.title_key.split())
        try:
            words = sorted(words, key=self._rank.__getitem__)[:PREFIX]
        except KeyError:  # a title the vocabulary did not hold: its unknown words count as rarest
            words = sorted(words, key=lambda w: (self._rank.get(w, -1), w))[:PREFIX]
        markers = entry.markers
        if len(words) < 2:
            entry.blocks = [(markers, *words)]
        else:
            entry.blocks = [(markers, a, b) for a, b in combinations(words, 2)]
        return entry.blocks

    def add(self, entry: Entry) -> None:
        """Remember ``entry``; the first entry with a given DOI, PubMed id, text or title wins."""
        if entry.doi:
            self.doi.setdefault(entry.doi, entry)
        if entry.pmid:
            self.pmid.setdefault(entry.pmid, entry)
        if entry.sha256:
            self.text.setdefault(entry.sha256, entry)
        key = entry.title_key
        if entry.year is not None and entry.first_author:
            self.exact.setdefault((key, entry.year, entry.first_author), entry)
        for block in self._blocks(entry):
            self.blocks.setdefault(block, []).append((key, entry))

    def find(self, entry: Entry) -> Match | None:
        """The study ``entry`` duplicates: a definite match if there is one, else the most alike
        possible match (ties go to the study seen first), else None."""
        for kind, table, value, reason in (
            ("doi", self.doi, entry.doi, f"same DOI {entry.doi}"),
            ("pmid", self.pmid, entry.pmid, f"same PubMed id {entry.pmid}"),
            ("text", self.text, entry.sha256, "same text"),
        ):
            if value and value in table:
                other = table[value]
                return Match(other, "definite", reason, 100.0, compare(entry, other))
        key = entry.title_key
        if entry.year is not None and entry.first_author:
            other = self.exact.get((key, entry.year, entry.first_author))
            if other is not None:
                return Match(other, "definite", "same title, year and first author", 100.0,
                             compare(entry, other, 100.0))
        return self._possible(entry, key)

    def _possible(self, entry: Entry, key: str) -> Match | None:
        from rapidfuzz import fuzz

        # a ratio of 95 needs the shorter title to be at least 95/105 of the longer one
        low, high = len(key) * TITLE_MATCH / (200 - TITLE_MATCH), len(key) * (200 - TITLE_MATCH) / TITLE_MATCH
        best: tuple[float, Entry] | None = None
        seen: set[int] = set()
        for block in self._blocks(entry):
            for other_key, other in self.blocks.get(block, ()):
                if id(other) in seen or not low <= len(other_key) <= high:
                    continue
                seen.add(id(other))
                score = fuzz.ratio(key, other_key, score_cutoff=TITLE_MATCH)
                if score and (best is None or score > best[0]) and not _contradicts(entry, other):
                    best = (score, other)
        if best is None:
            return None
        score, other = best
        evidence = compare(entry, other, score)
        shown = 100 if score == 100 else min(round(score), 99)  # "100%" only for the same words
        return Match(other, "possible", f"titles {shown}% alike" + _agreeing(evidence), score, evidence)


def _contradicts(a: Entry, b: Entry) -> bool:
    """Whether a field says two alike titles are different studies."""
    if a.year is not None and b.year is not None and abs(a.year - b.year) > 1:
        return True
    if a.first_author and b.first_author and a.first_author != b.first_author:
        return True
    if a.doi and b.doi and a.doi != b.doi:
        return True
    return bool(a.pmid and b.pmid and a.pmid != b.pmid)


def _agreeing(evidence: dict) -> str:
    """"; same year and first author", "; same year; no first author to compare" and the like."""
    words = {"year": "year", "first_author": "first author"}
    same = [words[k] for k in words if evidence[k] == "same"]
    missing = [words[k] for k in words if evidence[k] == "missing"]
    different = [words[k] for k in words if evidence[k] == "different"]
    parts = []
    if same:
        parts.append("same " + " and ".join(same))
    if different:
        parts.append("different " + " and ".join(different))
    if missing:
        parts.append("no " + " or ".join(missing) + " to compare")
    return "; " + "; ".join(parts) if parts else ""
