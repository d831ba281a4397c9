"""Which concepts a construct may translate into, ranked by the words they share (pure: no database).

While translating, a reviewer asks of a study's second-order construct "which of the review's
concepts does this express?", and of an empty grid cell "which of this study's constructs speak to
this concept?". Both are the same question: one **query** item against many **candidate** items,
each with a name, a definition and coded quotes. ``Index(candidates).rank(query)`` answers it.

How the score is made (no model, nothing downloaded; the same answer on every machine):

* Words are lower-cased, stop words dropped, and cut to a light stem (``stem``: plural and common
  suffixes off, so "training", "trained" and "trainees" meet, as do "family" and "families").
* Each field (name, definition, quotes) is a vector of its stems weighted by rarity among the
  candidates and the ``background`` items (the project's other constructs): a word every item
  uses, like "doctors", counts little; one only a single item uses counts much. Each field is
  scaled to length 1 and weighted: name 3, definition 2, quotes 1. An item is the sum of its fields. The word score is the cosine of the query's and the candidate's vectors,
  over the query's ``QUERY_WORDS`` strongest words (the long tail of many quotes changes little
  and costs much).
* A query word no candidate uses is matched to a candidate word of the same spelling bar a letter
  or two (rapidfuzz ratio at least ``NEAR_WORD``: "practise" and "practice", "paediatric" and
  "pediatric"), at half weight.
* Names that share a word are also compared whole (rapidfuzz ``token_set_ratio`` on their stems),
  which lifts a candidate whose name says the same in the same words.
* ``score`` = 100 x (0.8 x word score + 0.2 x name likeness), rounded to 0.1; a candidate that shares
  no word with the query is not suggested at all.

Each suggestion says why: the shared words, as the query writes them, grouped by the fields they
join ("name ~ definition": a word of the query's name is in the candidate's definition).

Ranking is an inverted-index walk over the query's words, so 500 queries against 200 concepts take
about half a second of CPU (tests/unit/test_suggestions.py bounds it; benchmarks/suggest.py).
"""
from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from functools import lru_cache
from operator import itemgetter
from dataclasses import dataclass
from typing import Hashable, Iterable, Sequence

FIELDS = ("name", "definition", "quotes")
WEIGHTS = {"name": 3.0, "definition": 2.0, "quotes": 1.0}
NEAR_WORD = 85  # rapidfuzz ratio from which two stems of 6+ letters count as one word spelt two ways
NEAR_WEIGHT = 0.5
WORD_SHARE, NAME_SHARE = 0.8, 0.2
QUERY_WORDS = 48  # a query's strongest stems that are looked up

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


@lru_cache(maxsize=65536)
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
    """Words that join a field of the query to a field of the candidate, as the query writes them (lower-cased)
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
        # Items read once, by the item: a query that is a candidate or in the background is not read again.
        self._read: dict[Item, _Fields] = dict(zip(self.items, self._fields))
        for item in background:
            if item not in self._read:
                self._read[item] = _Fields(item)
        df: dict[str, int] = defaultdict(int)
        for f in self._read.values():
            for s in set().union(*(f.stems[name] for name in FIELDS)):
                df[s] += 1
        n = len(self._read)
        self._idf = {s: math.log(1.0 + n / d) for s, d in df.items()}
        self._rarest = max(self._idf.values(), default=1.0)
        self._vectors = []
        self._stems: list[set[str]] = []
        self._postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, f in enumerate(self._fields):
            vector = _vector(f, self._idf, 0.0)
            self._vectors.append(vector)
            self._stems.append(set().union(*vector.values()))
            total = _total(vector)
            norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
            for s, v in total.items():
                self._postings[s].append((i, v / norm))
        self._postings = dict(self._postings)
        self._vocabulary: dict[tuple[str, int], list[str]] = defaultdict(list)  # by first letter and length
        for stem_ in sorted(self._postings):
            if len(stem_) >= 6:
                self._vocabulary[stem_[0], len(stem_)].append(stem_)
        self._names = [f.name_key for f in self._fields]
        self._name_postings: dict[str, list[int]] = defaultdict(list)
        for i, f in enumerate(self._fields):
            for stem_ in f.stems["name"]:
                self._name_postings[stem_].append(i)
        self._near: dict[str, str | None] = {}
        self._queried: dict[Item, tuple] = {}

    def _near_word(self, s: str) -> str | None:
        """The candidates' stem spelt like ``s`` bar a letter or two (same first letter, length
        within two), if ``s`` is not theirs."""
        if s not in self._near:
            found = None
            if len(s) >= 6:
                from rapidfuzz import fuzz, process

                near = [w for n in range(len(s) - 2, len(s) + 3) for w in self._vocabulary.get((s[0], n), ())]
                best = process.extractOne(s, near, scorer=fuzz.ratio, score_cutoff=NEAR_WORD) if near else None
                found = best[0] if best else None
            self._near[s] = found
        return self._near[s]

    def _query_vector(self, query: Item, fields: _Fields):
        """The query's field vectors, its strongest QUERY_WORDS stems with their weights, and the
        length of its whole vector; kept for an item the index has read (asked again, not redone)."""
        found = self._queried.get(query)
        if found is None:
            vector = _vector(fields, self._idf, self._rarest)
            total = _total(vector)
            norm = math.sqrt(sum(v * v for v in total.values())) or 1.0
            if len(total) > QUERY_WORDS:  # the strongest words decide; the long tail of quotes only costs time
                total = dict(heapq.nlargest(QUERY_WORDS, total.items(), key=itemgetter(1)))
            found = (vector, total, norm)
            if query in self._read:
                self._queried[query] = found
        return found

    def rank(self, query: Item, limit: int = 5, exclude: Iterable[Hashable] = ()) -> list[Suggestion]:
        """The candidates most like ``query``, best first, at most ``limit``; a candidate whose key
        is the query's or in ``exclude`` is left out, and so is one sharing no word with it. Ties
        keep the candidates' order."""
        if limit <= 0 or not self.items:
            return []
        fields = self._read.get(query) or _Fields(query)
        # A query word the candidates do not use has no rarity of its own: give it the rarest
        # weight, so it lengthens the query as a distinct word would; its near spelling stands in.
        postings = self._postings
        near = {s: self._near_word(s) for f in FIELDS for s in fields.stems[f] if s not in postings}
        vector, total, norm = self._query_vector(query, fields)
        scores: dict[int, float] = defaultdict(float)
        for s, v in total.items():
            found = postings.get(s)
            if found is None:
                target = near.get(s)
                if target is None:
                    continue
                found, v = postings[target], v * NEAR_WEIGHT
            v /= norm
            for i, w in found:
                scores[i] += v * w
        skip = set(exclude) | {query.key}
        # Names are compared whole only where they share a word: elsewhere a likeness of letters is noise.
        likeness: dict[int, int] = {}
        if fields.name_key:
            from rapidfuzz import fuzz

            hits = {i for s in fields.stems["name"]
                    for i in self._name_postings.get(s if s in postings else near.get(s), ())}
            likeness = {i: round(fuzz.token_set_ratio(fields.name_key, self._names[i])) for i in hits}
        # Only a name likeness lifts one candidate over another of more word score: the best by word
        # score, enough of them to stand in for any left out, and those with a likeness are scored.
        contenders = set(likeness) | {i for i, _ in heapq.nlargest(limit + len(skip) + len(likeness),
                                                                   scores.items(), key=itemgetter(1))}
        ranked = [(round(100 * (WORD_SHARE * min(scores[i], 1.0) + NAME_SHARE * likeness.get(i, 0) / 100), 1), -i)
                  for i in contenders if i in scores and self.items[i].key not in skip]
        best = heapq.nlargest(limit, ranked)
        return [Suggestion(self.items[i].key, self.items[i].name, score, self._why(fields, vector, total, near, i),
                           likeness.get(i, 0))
                for score, i in ((score, -minus_i) for score, minus_i in best)]

    def _why(self, query: _Fields, vector, looked_up, near: dict[str, str | None], i: int) -> tuple[Shared, ...]:
        """The shared words (of those ``looked_up``), each under the (query field, candidate field)
        pair where it weighs most; the strongest pair first, and within a pair the strongest word first."""
        theirs, mine = self._vectors[i], self._stems[i]
        groups: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
        for s in looked_up:
            target = s if s in mine else near.get(s)
            if target is None or target not in mine:
                continue
            weight, qf, cf = max((vector[qf][s] * theirs[cf][target], qf, cf)
                                 for qf in FIELDS if s in vector[qf] for cf in FIELDS if target in theirs[cf])
            written = query.written[s] + ("" if target == s else "≈" + self._fields[i].written[target])
            groups[qf, cf].append((weight, written))
        ordered = sorted(groups.items(), key=lambda g: -sum(w for w, _ in g[1]))
        return tuple(Shared(qf, cf, tuple(w for _, w in sorted(found, key=lambda x: -x[0])))
                     for (qf, cf), found in ordered)


def rank(query: Item, candidates: Sequence[Item], limit: int = 5, exclude: Iterable[Hashable] = ()) -> list[Suggestion]:
    """``Index(candidates).rank(query, limit, exclude)``, for one query."""
    return Index(candidates).rank(query, limit, exclude)
