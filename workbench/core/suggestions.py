"""Which concepts a construct may translate into, ranked by the words they share (pure: no database).

While translating, a reviewer asks of a study's second-order construct "which of the review's
concepts does this express?", and of an empty grid cell "which of this study's constructs speak to
this concept?". Both are the same question: one **query** item against many **candidate** items,
each with a name, a definition and coded quotes. ``Index(candidates).rank(query)`` answers it.

How the score is made (no model, nothing downloaded; the same answer on every machine):

* Words are lower-cased, stop words dropped, and cut to a light stem (``stem``: plural and common
  suffixes off, so "training", "trained" and "trainees" meet, as do "family" and "families").
* Each field (name, definition, quotes) is a vector of its stems weighted by rarity among the
  candidates (a word every concept uses, like "doctors", counts little; one only a single concept
  uses counts much), scaled to length 1 and weighted: name 3, definition 2, quotes 1. An item is the
  sum of its fields. The word score is the cosine of the query's and the candidate's vectors.
* A query word no candidate uses is matched to a candidate word of the same spelling bar a letter
  or two (rapidfuzz ratio at least ``NEAR_WORD``: "practise" and "practice", "organisation" and
  "organization"), at half weight.
* The names are also compared whole (rapidfuzz ``token_set_ratio`` on their stems), which lifts a
  candidate whose name says the same in the same words.
* ``score`` = 100 x (0.8 x word score + 0.2 x name likeness), rounded to 0.1; a candidate that shares
  no word with the query is not suggested at all.

Each suggestion says why: the shared words, as the query writes them, grouped by the fields they
join ("name ~ definition": a word of the query's name is in the candidate's definition).

Ranking is an inverted-index walk over the query's words, so 500 queries against 200 concepts take
a fraction of a second (tests/unit/test_suggestions.py times it).
"""
from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Hashable, Iterable, Sequence

FIELDS = ("name", "definition", "quotes")
WEIGHTS = {"name": 3.0, "definition": 2.0, "quotes": 1.0}
NEAR_WORD = 88  # rapidfuzz ratio from which two stems of 5+ letters count as one word misspelt
NEAR_WEIGHT = 0.5
WORD_SHARE, NAME_SHARE = 0.8, 0.2

STOP_WORDS = frozenset("""
a about above after again against all also although am among an and any are aren't as at be because
been before being below between both but by can cannot could did do does doing down during each
either else etc even ever every few for from further had has have having he her here hers herself him
himself his how however i if in into is isn't it its itself just may might more most much must my
myself neither no nor not of off often on once one only or other others our ours ourselves out over
own per rather same shall she should since so some such than that the their theirs them themselves
then there these they this those though through thus to too under until up upon us very via was we
were what when where whether which while whilst who whom whose why will with within without would
yet you your yours yourself yourselves et al eg ie vs
""".split())

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SUFFIXES = ("isations", "izations", "isation", "ization", "ational", "ations", "ation", "ators", "ator",
             "ments", "ment", "nesses", "ness", "ities", "ity", "ingly", "ings", "ing", "ially", "ial",
             "ively", "ive", "ants", "ant", "ates", "ate", "edly", "ed", "ly", "als", "al", "ic")
_VOWELS = frozenset("aeiouy")


def stem(word: str) -> str:
    """A light stem of one lower-case word: possessive and plural off, then the longest common
    suffix that leaves at least three letters (twice), then final "e"s or "y" and a doubled consonant.
    Not Porter: it only has to make the forms of one word meet, and rarely join two words."""
    w = word.replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for _ in range(2):  # "clinical" -> "clinic" -> "clin", as "clinics" and "clinic"
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 3:
                w = w[:-len(suffix)]
                break
    while len(w) > 3 and w[-1] in "ey":
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in _VOWELS and w[-1] not in "ls":
        w = w[:-1]
    return w


def words(text: str) -> list[tuple[str, str]]:
    """The (stem, word as written) pairs of ``text``'s words that are not stop words, in order."""
    found = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if word in STOP_WORDS or len(word) < 2:
            continue
        found.append((stem(word), match.group()))
    return found


@dataclass(frozen=True)
class Item:
    """A construct as the ranking reads it. ``key`` names it for the caller (a construct id)."""

    key: Hashable
    name: str
    definition: str = ""
    quotes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shared:
    """Words that join a field of the query to a field of the candidate, as the query writes them
    ("practise≈practice" for a near spelling), strongest first."""

    query_field: str
    candidate_field: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.query_field} ~ {self.candidate_field}: {', '.join(self.words)}"


@dataclass(frozen=True)
class Suggestion:
    """One ranked candidate: its key and name, a score from 0 to 100, and why."""

    key: Hashable
    name: str
    score: float
    shared: tuple[Shared, ...]
    name_likeness: int  # rapidfuzz token_set_ratio of the two names' stems, 0-100

    @property
    def words(self) -> tuple[str, ...]:
        """Every shared word once, strongest first."""
        seen: dict[str, None] = {}
        for group in self.shared:
            for w in group.words:
                seen.setdefault(w, None)
        return tuple(seen)

    def reason(self, most: int = 8) -> str:
        """Why, in one line, at most ``most`` words: "name ~ name: training; definition ~ quotes:
        private, practice" (a word of the query's name is in the candidate's name, ...)."""
        parts, left = [], most
        for group in self.shared:
            if left <= 0:
                break
            parts.append(f"{group.query_field} ~ {group.candidate_field}: {', '.join(group.words[:left])}")
            left -= len(group.words[:left])
        return "; ".join(parts) or "no shared words"


class _Fields:
    """An item's stems per field, with the first written form of each stem."""

    def __init__(self, item: Item) -> None:
        self.stems: dict[str, dict[str, int]] = {}
        self.written: dict[str, str] = {}
        for name, text in (("name", item.name), ("definition", item.definition), ("quotes", "\n".join(item.quotes))):
            counts: dict[str, int] = defaultdict(int)
            for s, w in words(text):
                counts[s] += 1
                self.written.setdefault(s, w)
            self.stems[name] = dict(counts)
        self.name_key = " ".join(sorted(set(self.stems["name"])))


def _vector(fields: _Fields, idf: dict[str, float], default: float) -> dict[str, dict[str, float]]:
    """Per field, stem -> weight: (1 + log count) x rarity, the field scaled to length WEIGHTS[field]."""
    out = {}
    for name in FIELDS:
        raw = {s: (1.0 + math.log(n)) * idf.get(s, default) for s, n in fields.stems[name].items()}
        norm = math.sqrt(sum(v * v for v in raw.values()))
        out[name] = {s: WEIGHTS[name] * v / norm for s, v in raw.items()} if norm else {}
    return out


def _total(vector: dict[str, dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = defaultdict(float)
    for per_field in vector.values():
        for s, v in per_field.items():
            total[s] += v
    return total


class Index:
    """The candidates, read once; ``rank`` then answers any number of queries against them."""

    def __init__(self, candidates: Iterable[Item], background: Iterable[Item] = ()) -> None:
        """``background``: further items (the project's other constructs) whose words count, with
        the candidates', in how rare a word is; a word all of one study's constructs use then
        weighs little. They are never suggested."""
        self.items: list[Item] = list(candidates)
        self._fields = [_Fields(item) for item in self.items]
        df: dict[str, int] = defaultdict(int)
        n = 0
        for f in self._fields + [_Fields(item) for item in background]:
            n += 1
            for s in set().union(*(f.stems[name] for name in FIELDS)):
                df[s] += 1
        self._idf = {s: math.log(1.0 + n / d) for s, d in df.items()}
        self._vectors = []
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, f in enumerate(self._fields):
            vector = _vector(f, self._idf, 0.0)
            self._vectors.append(vector)
            total = _total(vector)
            norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
            for s, v in total.items():
                self._postings[s].append((i, v / norm))
        self._postings = dict(self._postings)
        self._vocabulary = sorted(s for s in self._postings if len(s) >= 5)
        self._names = [f.name_key for f in self._fields]
        self._near: dict[str, str | None] = {}

    def _near_word(self, s: str) -> str | None:
        """The candidates' stem spelt like ``s`` bar a letter or two, if ``s`` is not theirs."""
        if s not in self._near:
            found = None
            if len(s) >= 5 and self._vocabulary:
                from rapidfuzz import fuzz, process

                best = process.extractOne(s, self._vocabulary, scorer=fuzz.ratio, score_cutoff=NEAR_WORD)
                found = best[0] if best else None
            self._near[s] = found
        return self._near[s]

    def rank(self, query: Item, limit: int = 5, exclude: Iterable[Hashable] = ()) -> list[Suggestion]:
        """The candidates most like ``query``, best first, at most ``limit``; a candidate whose key
        is the query's or in ``exclude`` is left out, and so is one sharing no word with it. Ties
        keep the candidates' order."""
        if limit <= 0 or not self.items:
            return []
        fields = _Fields(query)
        # A query word the candidates do not use has no rarity of its own: give it the rarest
        # weight, so it lengthens the query as a distinct word would; its near spelling stands in.
        rarest = max(self._idf.values(), default=1.0)
        near = {s: self._near_word(s) for f in FIELDS for s in fields.stems[f] if s not in self._postings}
        vector = _vector(fields, self._idf, rarest)
        total = _total(vector)
        norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
        scores: dict[int, float] = defaultdict(float)
        for s, v in total.items():
            target, weight = (s, 1.0) if s in self._postings else (near.get(s), NEAR_WEIGHT)
            if target is None:
                continue
            for i, w in self._postings.get(target, ()):
                scores[i] += weight * v / norm * w
        skip = set(exclude) | {query.key}
        scored = [i for i, score in scores.items() if score > 0 and self.items[i].key not in skip]
        if not scored:
            return []
        likeness = self._likeness(fields.name_key, scored)
        ranked = [(round(100 * (WORD_SHARE * min(scores[i], 1.0) + NAME_SHARE * likeness[i] / 100), 1), -i)
                  for i in scored]
        return [Suggestion(self.items[i].key, self.items[i].name, score, self._why(fields, vector, near, i),
                           likeness[i])
                for score, i in ((score, -minus_i) for score, minus_i in heapq.nlargest(limit, ranked))]

    def _likeness(self, name_key: str, among: list[int]) -> dict[int, int]:
        """rapidfuzz token_set_ratio of the query's name stems to each candidate's in ``among``."""
        if not name_key:
            return dict.fromkeys(among, 0)
        from rapidfuzz import fuzz

        names = self._names
        return {i: round(fuzz.token_set_ratio(name_key, names[i])) for i in among}

    def _why(self, query: _Fields, vector, near: dict[str, str | None], i: int) -> tuple[Shared, ...]:
        """The shared words, each under the (query field, candidate field) pair where it weighs
        most; the strongest pair first, and within a pair the strongest word first."""
        theirs = self._vectors[i]
        best: dict[str, tuple[float, str, str]] = {}
        for qf in FIELDS:
            for s, v in vector[qf].items():
                target = s if s in self._postings else near.get(s)
                for cf in FIELDS:
                    if target is not None and target in theirs[cf]:
                        weight = v * theirs[cf][target]
                        if s not in best or weight > best[s][0]:
                            best[s] = (weight, qf, cf)
        groups: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
        for s, (weight, qf, cf) in best.items():
            target = s if s in self._postings else near[s]
            written = query.written[s] + ("" if target == s else "≈" + self._fields[i].written[target])
            groups[qf, cf].append((weight, written))
        ordered = sorted(groups.items(), key=lambda g: -sum(w for w, _ in g[1]))
        return tuple(Shared(qf, cf, tuple(w for _, w in sorted(found, key=lambda x: -x[0])))
                     for (qf, cf), found in ordered)


def rank(query: Item, candidates: Sequence[Item], limit: int = 5, exclude: Iterable[Hashable] = ()) -> list[Suggestion]:
    """``Index(candidates).rank(query, limit, exclude)``, for one query."""
    return Index(candidates).rank(query, limit, exclude)
