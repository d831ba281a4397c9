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
from dataclasses import dataclass

from ..core.errors import WorkbenchError
from .db import Store
from .memos import LIVE_MEMO

_START, _END = "\ue000", "\ue001"  # private-use marks FTS5's highlight() puts around each match
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


def search(db: Store, query: str, limit: int = 100, context: int = 40) -> list[Hit]:
    """Hits for ``query`` in study texts and live memos, at most ``limit``.

    Texts are ranked by FTS5's bm25 (memos and studies together); within a text, hits come in
    order of position. A CJK query is a substring scan (``instr``), texts with more occurrences
    first, then in study order. Raises SearchError when the query has nothing to search for.
    """
    if limit <= 0:
        return []
    if is_cjk(query):
        needle = query.strip()
        return _substring(db, needle, limit, context)
    fts = fts_query(query)
    if not fts:
        raise SearchError(f"nothing to search for in {query!r}: give a word")
    found: list[tuple[float, str, int, str, str, str]] = []  # (rank, kind, id, title, marked, text)
    for sid, title, marked, text, rank in db.execute(
            f"SELECT f.rowid, s.title, highlight(document_fts, 0, '{_START}', '{_END}'), d.text, f.rank "
            "FROM document_fts f JOIN study s ON s.id = f.rowid JOIN document d ON d.study_id = f.rowid "
            "WHERE document_fts MATCH ? ORDER BY f.rank LIMIT ?", [fts, limit]):
        found.append((rank, "study", sid, title, marked, text))
    for mid, marked, text, rank in db.execute(
            f"SELECT f.rowid, highlight(memo_fts, 0, '{_START}', '{_END}'), m.text, f.rank FROM memo_fts f "
            f"JOIN memo m ON m.id = f.rowid WHERE memo_fts MATCH ? AND {LIVE_MEMO} ORDER BY f.rank LIMIT ?",
            [fts, limit]):
        found.append((rank, "memo", mid, _memo_title(db, mid), marked, text))
    found.sort(key=lambda f: f[0])
    hits: list[Hit] = []
    for _, kind, key, title, marked, original in found:
        text, spans = _unmark(marked)
        if text != original:  # the text itself holds a private-use mark: offsets would be wrong
            continue
        for start, end in spans:
            hits.append(_hit(kind, key, title, text, start, end, context))
            if len(hits) >= limit:
                return hits
    return hits


def _unmark(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """The text without highlight marks, and the [start, end) of each marked run."""
    text: list[str] = []
    spans = []
    start = None
    n = 0
    for ch in marked:
        if ch == _START:
            start = n
        elif ch == _END and start is not None:
            spans.append((start, n))
            start = None
        else:
            text.append(ch)
            n += 1
    return "".join(text), spans


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


def _substring(db: Store, needle: str, limit: int, context: int) -> list[Hit]:
    if not needle:
        raise SearchError("nothing to search for")
    found: list[tuple[int, int, str, int, str, list[int]]] = []  # (-count, order, kind, id, title/text...)
    texts: dict[tuple[str, int], tuple[str, str]] = {}
    for position, (sid, title, text) in enumerate(db.execute(
            "SELECT s.id, s.title, d.text FROM document d JOIN study s ON s.id = d.study_id "
            "WHERE instr(d.text, ?) > 0 ORDER BY s.year IS NULL, s.year, s.order_index", [needle])):
        starts = _occurrences(text, needle)
        texts[("study", sid)] = (title, text)
        found.append((-len(starts), position, "study", sid, starts))
    for position, (mid, text) in enumerate(db.execute(
            f"SELECT m.id, m.text FROM memo m WHERE {LIVE_MEMO} AND instr(m.text, ?) > 0 ORDER BY m.id", [needle])):
        starts = _occurrences(text, needle)
        texts[("memo", mid)] = (_memo_title(db, mid), text)
        found.append((-len(starts), 10**9 + position, "memo", mid, starts))
    found.sort(key=lambda f: (f[0], f[1]))
    hits: list[Hit] = []
    for _, _, kind, key, starts in found:
        title, text = texts[(kind, key)]
        for start in starts:
            hits.append(_hit(kind, key, title, text, start, start + len(needle), context))
            if len(hits) >= limit:
                return hits
    return hits


def _occurrences(text: str, needle: str) -> list[int]:
    starts, i = [], text.find(needle)
    while i >= 0:
        starts.append(i)
        i = text.find(needle, i + len(needle))
    return starts
