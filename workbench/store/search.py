"""Full-text search over study texts and memos (SQLite FTS5), with keyword-in-context hits.

The user's query is never passed to FTS5 as syntax: each word (or "quoted phrase") becomes a quoted
FTS5 string, so quotes, hyphens, colons or brackets cannot cause a syntax error. Words are matched
after Porter stemming and without diacritics (``returning`` finds ``returned``, ``familia`` finds
``Família``); a word ending in ``*`` matches as a prefix; all words must occur. A query with CJK
characters (Chinese, Japanese, Korean: no spaces between words, so no word tokens to match) is
looked up as a plain substring instead.

Offsets are code points of the canonical text (or of the memo's text), 0-based, end exclusive:
``text[hit.start:hit.end] == hit.match``, so the TUI can jump there.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.errors import WorkbenchError
from .db import Store
from .memos import LIVE_MEMO

_CJK = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3100-\u318f\u31a0-\u31ff\u3400-\u4dbf"
                  "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]")
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')  # a "quoted phrase" (closing quote optional) or a word


class SearchError(WorkbenchError, ValueError):
    """A search was refused (e.g. nothing to search for)."""


@dataclass(frozen=True)
class Hit:
    kind: str                 # 'study' or 'memo'
    study_id: int | None      # the study whose text matched (kind 'study')
    memo_id: int | None       # the memo that matched (kind 'memo')
    title: str                # the study's title, or what the memo is on and whose it is
    start: int                # code points into the text (the memo's text for a memo)
    end: int
    kwic_left: str            # up to ``context`` characters before, blank space folded
    match: str                # text[start:end]
    kwic_right: str
    more: bool = False        # the last hit listed in its text, and the text has more


def fts_query(query: str) -> str:
    """The FTS5 query for what the user typed: every word and "phrase" quoted, all required."""
    parts = []
    for phrase, word in _TOKEN.findall(query):
        term = phrase if phrase else word
        prefix = False
        if not phrase:
            prefix = term.endswith("*")
            term = term.strip("*")
        if not re.search(r"\w", term):
            continue  # punctuation alone matches nothing
        parts.append('"' + term.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(parts)


def is_cjk(query: str) -> bool:
    return bool(_CJK.search(query))


PER_TEXT = 20  # hits listed per text; the last one says when the text has more


def search(db: Store, query: str, limit: int = 100, context: int = 40, per_text: int = PER_TEXT,
           reviewer_id: int | None = None) -> list[Hit]:
    """Hits for ``query`` in study texts and live memos, at most ``limit``, at most ``per_text`` in one text.
    With ``reviewer_id`` (a reviewer coding blind) only that reviewer's memos are searched.

    Texts are ranked by FTS5's bm25 (memos and studies together); within a text, hits come in
    order of position, and the last one listed has ``more`` set when the text holds further hits.
    A CJK query is a substring scan (``instr``), texts with more occurrences first, then in study
    order. Raises SearchError when the query has nothing to search for.

    FTS5 picks and ranks the texts; the hits in a text are then found in Python from the start
    of the text, stopping after ``per_text`` (+1 to know there are more), so a long text costs
    what its first hits cost, not its length (``highlight()`` over a whole 50 MB text took minutes).
    A word is found by its surface forms: words whose letters (case and diacritics folded) start
    like the term's Porter stem, each kept only if SQLite's own tokenizer stems it to the term (or,
    for ``prefix*``, to a stem starting with it). Tokens are runs of letters and digits as in
    ``unicode61``; a phrase is its words one after the other with anything but letters and digits
    between, as FTS5 matches them.
    """
    if limit <= 0:
        return []
    if is_cjk(query):
        needle = query.strip()
        return _substring(db, needle, limit, context, per_text, reviewer_id)
    fts = fts_query(query)
    if not fts:
        raise SearchError(f"nothing to search for in {query!r}: give a word")
    phrases = _phrases(query)
    found: list[tuple[float, str, int]] = []  # (rank, kind, id)
    for sid, rank in db.execute(
            "SELECT f.rowid, f.rank FROM document_fts f JOIN study s ON s.id = f.rowid "
            "WHERE document_fts MATCH ? AND s.removed_at IS NULL ORDER BY f.rank LIMIT ?",
            [fts, limit]):
        found.append((rank, "study", sid))
    for mid, rank in db.execute(
            f"SELECT f.rowid, f.rank FROM memo_fts f JOIN memo m ON m.id = f.rowid "
            f"WHERE memo_fts MATCH ?1 AND {LIVE_MEMO} AND (?3 IS NULL OR m.reviewer_id = ?3) "
            f"ORDER BY f.rank LIMIT ?2", [fts, limit, reviewer_id]):
        found.append((rank, "memo", mid))
    found.sort(key=lambda f: f[0])
    hits: list[Hit] = []
    for _, kind, key in found:
        if kind == "study":
            title, text = db.execute("SELECT s.title, d.text FROM study s JOIN document d ON d.study_id = s.id "
                                     "WHERE s.id = ?", [key]).fetchone()
        else:
            title, text = _memo_title(db, key), db.execute("SELECT text FROM memo WHERE id = ?", [key]).fetchone()[0]
        spans = _find(text, phrases, min(per_text, limit - len(hits)) + 1)
        hits.extend(_hits(kind, key, title, text, spans, context, min(per_text, limit - len(hits))))
        if len(hits) >= limit:
            break
    return hits


def _hits(kind: str, key: int, title: str, text: str, spans: list[tuple[int, int]], context: int,
          most: int) -> list[Hit]:
    """Hits for the first ``most`` spans; the last says ``more`` if there were further spans."""
    hits = [_hit(kind, key, title, text, start, end, context) for start, end in spans[:most]]
    if hits and len(spans) > most:
        hits[-1] = replace(hits[-1], more=True)
    return hits


# --- finding the words of a query in a text, as FTS5 would match them ----------------------------

_WORD = re.compile(r"[^\W_]+")  # a unicode61 token: letters and digits (no underscore, no punctuation)


@dataclass(frozen=True)
class _Phrase:
    stems: tuple[str, ...]   # each token's stem, as FTS5 indexes it
    prefix: bool             # the last token matches as a prefix
    first: re.Pattern        # candidate surface forms of the first token


def _phrases(query: str) -> list[_Phrase]:
    """The query's phrases (a word is a phrase of one token), stemmed by SQLite's tokenizer."""
    parts: list[tuple[list[str], bool]] = []
    for phrase, word in _TOKEN.findall(query):
        term = phrase if phrase else word
        prefix = not phrase and term.endswith("*")
        tokens = _WORD.findall(term.strip("*") if not phrase else term)
        if tokens:
            parts.append((tokens, prefix))
    stems = _stems({t for tokens, _ in parts for t in tokens})
    phrases = []
    for tokens, prefix in parts:
        stemmed = tuple(s for t in tokens for s in stems[t])
        if stemmed:
            phrases.append(_Phrase(stemmed, prefix, _candidates(stemmed[0], prefix and len(stemmed) == 1)))
    return phrases


def _candidates(stem: str, prefix: bool) -> re.Pattern:
    """Words that may stem to ``stem`` (or to a stem starting with it): Porter changes at most
    the last two letters of what it keeps of a word (``sensibility`` -> ``sensibl``,
    ``hoping`` -> ``hope``), so every such word starts with the stem less its last two letters."""
    keep = stem if len(stem) <= 2 else stem[:-1] if len(stem) <= 4 else stem[:-2]
    return re.compile(r"(?<![^\W_])" + "".join(_letter(c) for c in keep) + r"[^\W_]*")


def _letter(c: str) -> str:
    """A regex class of the characters that fold to ``c`` (either case, with any diacritic)."""
    same = {c, c.upper()} | set(_folds().get(c, ()))
    return "[" + "".join(re.escape(x) for x in sorted(same)) + "]"


_FOLDS: dict[str, list[str]] = {}


def _folds() -> dict[str, list[str]]:
    """Letters with diacritics, by the letter they fold to (Latin, Greek, Cyrillic)."""
    if not _FOLDS:
        import unicodedata

        folds: dict[str, list[str]] = {}
        for cp in [*range(0xC0, 0x250), *range(0x370, 0x530), *range(0x1E00, 0x2000)]:
            ch = chr(cp)
            base = "".join(x for x in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(x)).lower()
            if len(base) == 1 and base != ch:
                folds.setdefault(base, []).append(ch)
        _FOLDS.update(folds)  # whole, at once: a second thread sees it empty or complete
    return _FOLDS


def _find(text: str, phrases: list[_Phrase], most: int) -> list[tuple[int, int]]:
    """The [start, end) of the first ``most`` matches of any phrase in ``text``, in order of position.

    Each phrase's candidates are scanned lazily (a regex over the text, stopping once ``most``
    are confirmed), so the characters examined stop soon after the ``most``-th match."""
    cache: dict[str, tuple[str, ...]] = {}
    found: list[tuple[int, int]] = []
    for phrase in phrases:
        found.extend(_find_phrase(text, phrase, most, cache))
    found = sorted(set(found))
    kept: list[tuple[int, int]] = []
    for start, end in found:  # overlapping matches (a word in two phrases) are shown once
        if kept and start < kept[-1][1]:
            if end > kept[-1][1]:
                kept[-1] = (kept[-1][0], end)
            continue
        kept.append((start, end))
    return kept[:most]


def _find_phrase(text: str, phrase: _Phrase, most: int, cache: dict) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pending: list[re.Match] = []

    def stem(word: str) -> tuple[str, ...]:
        if word not in cache:
            cache.update(_stems({word}))
        return cache[word]

    def confirm(m: re.Match) -> tuple[int, int] | None:
        tokens = [m]
        if len(phrase.stems) > 1:
            for nxt in _WORD.finditer(text, m.end()):
                tokens.append(nxt)
                if len(tokens) == len(phrase.stems):
                    break
        got: list[str] = []
        for t in tokens:
            got.extend(stem(t.group()))
        n = len(phrase.stems)
        if len(got) < n:
            return None
        if phrase.prefix:
            ok = tuple(got[:n - 1]) == phrase.stems[:-1] and got[n - 1].startswith(phrase.stems[-1])
        else:
            ok = tuple(got[:n]) == phrase.stems
        return (m.start(), tokens[-1].end()) if ok else None

    batch = 200
    for m in phrase.first.finditer(text):
        pending.append(m)
        if len(pending) >= batch:
            cache.update(_stems({p.group() for p in pending} - cache.keys()))
            spans.extend(s for s in map(confirm, pending) if s)
            pending = []
            if len(spans) >= most:
                return spans[:most]
    cache.update(_stems({p.group() for p in pending} - cache.keys()))
    spans.extend(s for s in map(confirm, pending) if s)
    return spans[:most]


_STEMMER: list = []
_STEMMER_LOCK = threading.Lock()


def _stems(words: set[str]) -> dict[str, tuple[str, ...]]:
    """Each word's tokens as FTS5 indexes them (``porter unicode61 remove_diacritics 2``, as in
    migration m003), from SQLite's own tokenizer on a private in-memory database."""
    if not words:
        return {}
    import sqlite3

    with _STEMMER_LOCK:
        if not _STEMMER:
            conn = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            conn.execute("CREATE VIRTUAL TABLE words USING fts5(word, tokenize='porter unicode61 remove_diacritics 2')")
            conn.execute("CREATE VIRTUAL TABLE temp.word_tokens USING fts5vocab(main, words, instance)")
            _STEMMER.append(conn)
        conn = _STEMMER[0]
        listed = sorted(words)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO words(rowid, word) VALUES (?, ?)", enumerate(listed))
        tokens: dict[str, list[str]] = {w: [] for w in listed}
        for doc, term in conn.execute("SELECT doc, term FROM word_tokens ORDER BY doc, \"offset\""):
            tokens[listed[doc]].append(term)
        conn.execute("DELETE FROM words")
        conn.execute("COMMIT")
    return {w: tuple(t) for w, t in tokens.items()}


def _fold(text: str) -> str:
    return " ".join(text.split()) if text.strip() else ""


def _hit(kind: str, key: int, title: str, text: str, start: int, end: int, context: int) -> Hit:
    left = text[max(0, start - context):start]
    right = text[end:end + context]
    # keep the space next to the match visible after folding
    fl = _fold(left) + (" " if left[-1:].isspace() and left.strip() else "")
    fr = (" " if right[:1].isspace() and right.strip() else "") + _fold(right)
    return Hit(kind, key if kind == "study" else None, key if kind == "memo" else None, title, start, end,
               fl, text[start:end], fr)


def _memo_title(db: Store, memo_id: int) -> str:
    from .memos import describe_target

    kind, target, who = db.execute(
        "SELECT m.target_kind, m.target_id, r.name FROM memo m JOIN reviewer r ON r.id = m.reviewer_id "
        "WHERE m.id = ?", [memo_id]).fetchone()
    return f"{who}'s memo on {describe_target(db, kind, target)}"


def _substring(db: Store, needle: str, limit: int, context: int, per_text: int,
               reviewer_id: int | None = None) -> list[Hit]:
    """CJK: texts holding ``needle`` (SQLite's ``instr``), most occurrences first (``str.count``,
    a scan in C), then the first ``per_text`` occurrences of each located."""
    if not needle:
        raise SearchError("nothing to search for")
    found: list[tuple[int, int, str, int]] = []  # (-count, order, kind, id)
    for position, (sid, count) in enumerate(db.execute(
            "SELECT s.id, (length(d.text) - length(replace(d.text, ?1, ''))) / length(?1) FROM document d "
            "JOIN study s ON s.id = d.study_id WHERE instr(d.text, ?1) > 0 AND s.removed_at IS NULL "
            "ORDER BY s.year IS NULL, s.year, s.order_index", [needle])):
        found.append((-count, position, "study", sid))
    for position, (mid, count) in enumerate(db.execute(
            "SELECT m.id, (length(m.text) - length(replace(m.text, ?1, ''))) / length(?1) FROM memo m "
            f"WHERE {LIVE_MEMO} AND instr(m.text, ?1) > 0 AND (?2 IS NULL OR m.reviewer_id = ?2) ORDER BY m.id",
            [needle, reviewer_id])):
        found.append((-count, 10**9 + position, "memo", mid))
    found.sort(key=lambda f: (f[0], f[1]))
    hits: list[Hit] = []
    for _, _, kind, key in found:
        if kind == "study":
            title, text = db.execute("SELECT s.title, d.text FROM study s JOIN document d ON d.study_id = s.id "
                                     "WHERE s.id = ?", [key]).fetchone()
        else:
            title, text = _memo_title(db, key), db.execute("SELECT text FROM memo WHERE id = ?", [key]).fetchone()[0]
        most = min(per_text, limit - len(hits))
        spans = [(i, i + len(needle)) for i in _occurrences(text, needle, most + 1)]
        hits.extend(_hits(kind, key, title, text, spans, context, most))
        if len(hits) >= limit:
            break
    return hits


def _occurrences(text: str, needle: str, most: int) -> list[int]:
    """The starts of the first ``most`` occurrences of ``needle`` in ``text`` (not overlapping)."""
    starts, i = [], text.find(needle)
    while i >= 0 and len(starts) < most:
        starts.append(i)
        i = text.find(needle, i + len(needle))
    return starts


class Searcher:
    """Search on a read-only connection of its own, for a thread other than the one that writes
    (the TUI searches in a worker while the screen keeps using the project's connection: one SQLite
    connection must not run statements from two threads at once). One search at a time."""

    def __init__(self, path: Path | str):
        self.path = str(path)  # the project's database file
        self._conn = None
        self._lock = threading.Lock()

    def search(self, query: str, **options) -> list[Hit]:
        import sqlite3
        from urllib.parse import quote

        with self._lock:
            if self._conn is None:
                self._conn = sqlite3.connect(f"file:{quote(self.path)}?mode=ro", uri=True,
                                             isolation_level=None, check_same_thread=False)
                self._conn.execute("PRAGMA busy_timeout = 5000")
            return search(Store(self._conn), query, **options)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
