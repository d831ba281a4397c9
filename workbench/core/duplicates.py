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

Finding near titles is not quadratic: candidates come from an inverted index on each title's four
rarest words (prefix filtering over the words of all titles seen in the run, ordered by rarity),
blocked by the title's markers. Two titles whose word sets differ by at most three words on each
side always share one of those indexed words, so they are always compared; others are not.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from .records import title_key, title_markers

TITLE_MATCH = 95  # rapidfuzz ratio (0-100) from which two titles are alike enough to compare further
PREFIX = 4  # indexed words per title: titles differing in at most PREFIX - 1 words meet


@dataclass(frozen=True)
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

        title_score = fuzz.ratio(title_key(a.title), title_key(b.title))
    return {
        "title": round(title_score, 1),
        "title_numbers": "same" if title_markers(a.title) == title_markers(b.title) else "different",
        "year": same(a.year, b.year),
        "first_author": same(a.first_author, b.first_author),
        "doi": same(a.doi, b.doi),
        "pmid": same(a.pmid, b.pmid),
        "text": same(a.sha256, b.sha256),
    }


class DuplicateIndex:
    """The studies seen so far, and for a new one the study it duplicates, if any.

    ``vocabulary`` is every title the run will see (stored and incoming), which fixes the order of
    rarity that the near-title index relies on; a title not in it still works, only less
    selectively.
    """

    def __init__(self, vocabulary: Iterable[str] = ()):
        self._rarity: Counter[str] = Counter()
        for title in vocabulary:
            self._rarity.update(set(title_key(title).split()))
        self.doi: dict[str, Entry] = {}
        self.pmid: dict[str, Entry] = {}
        self.text: dict[str, Entry] = {}
        self.exact: dict[tuple[str, int, str], Entry] = {}
        self.blocks: dict[tuple[frozenset, str], list[tuple[str, Entry]]] = {}

    def _prefix(self, key: str) -> tuple[frozenset, list[str]]:
        words = sorted(set(key.split()), key=lambda w: (self._rarity.get(w, 0), w))
        return title_markers(key), words[:PREFIX]

    def add(self, entry: Entry) -> None:
        """Remember ``entry``; the first entry with a given DOI, PubMed id, text or title wins."""
        if entry.doi:
            self.doi.setdefault(entry.doi, entry)
        if entry.pmid:
            self.pmid.setdefault(entry.pmid, entry)
        if entry.sha256:
            self.text.setdefault(entry.sha256, entry)
        key = title_key(entry.title)
        if entry.year is not None and entry.first_author:
            self.exact.setdefault((key, entry.year, entry.first_author), entry)
        markers, words = self._prefix(key)
        for word in words:
            self.blocks.setdefault((markers, word), []).append((key, entry))

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
        key = title_key(entry.title)
        if entry.year is not None and entry.first_author:
            other = self.exact.get((key, entry.year, entry.first_author))
            if other is not None:
                return Match(other, "definite", "same title, year and first author", 100.0,
                             compare(entry, other, 100.0))
        return self._possible(entry, key)

    def _possible(self, entry: Entry, key: str) -> Match | None:
        markers, words = self._prefix(key)
        seen: set[int] = set()
        candidates: list[tuple[str, Entry]] = []
        for word in words:
            for item in self.blocks.get((markers, word), ()):
                if id(item[1]) not in seen and not _contradicts(entry, item[1]):
                    seen.add(id(item[1]))
                    candidates.append(item)
        if not candidates:
            return None
        from rapidfuzz import fuzz, process

        hits = process.extract(key, [c[0] for c in candidates], scorer=fuzz.ratio,
                               score_cutoff=TITLE_MATCH, limit=None)
        if not hits:
            return None
        _, score, index = max(hits, key=lambda h: (h[1], -h[2]))
        other = candidates[index][1]
        evidence = compare(entry, other, score)
        # rounded down: "100% alike" only for titles that are the same (punctuation and case aside)
        return Match(other, "possible", f"titles {int(score)}% alike" + _agreeing(evidence), score, evidence)


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
