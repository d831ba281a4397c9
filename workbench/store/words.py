"""Things named in the reviewer's words for messages: a study by its first author and year, a
coding by its quote, study and construct, reviewers' work by name and count. Never an internal id."""
from __future__ import annotations

import json

from ..core.records import surname
from ..core.text import clip
from .db import Store

QUOTE_WIDTH = 40


def study_name(db: Store, study_id: int | None) -> str:
    """``Newman 2025`` (first author's surname and year), else the title cut short with its year;
    ``a study`` when there is no such study."""
    found = db.execute("SELECT authors, year, title FROM study WHERE id = ?", [study_id]).fetchone()
    if found is None:
        return "a study"
    authors, year, title = found
    first = json.loads(authors or "[]")
    name = (surname(first[0]) if first else "") or short_title(title)
    return f"{name} {year}" if year else name


def short_title(title: str, width: int = 40) -> str:
    """The title before its colon, cut after a whole word to ``width`` characters (with "…")."""
    head = clip(title, 10_000).split(":")[0].strip() or clip(title, 10_000)
    if len(head) <= width:
        return head
    cut = head[:width].rsplit(" ", 1)[0] if " " in head[:width] else head[:width - 1]
    return cut.rstrip(" ,;.-") + "…"


def coding_words(db: Store, coding_id: int | None, owner: bool = False, new: bool = False) -> str:
    """``“quote…” (Newman 2025) as 'Family first'`` for a coding live or removed (``a coding``
    when its row is gone); with ``owner`` the coder's name leads (``alice's coding “…” …``), with
    ``new`` the construct is called new (``as new construct 'Family first'``)."""
    found = db.execute(
        "SELECT c.exact, c.study_id, k.name, r.name FROM coding c JOIN construct k ON k.id = c.construct_id "
        "JOIN reviewer r ON r.id = c.reviewer_id WHERE c.id = ?", [coding_id]).fetchone()
    if found is None:
        return "a coding"
    exact, study_id, construct, reviewer = found
    words = _words(exact, study_name(db, study_id), construct, new)
    return f"{reviewer}'s coding {words}" if owner else words


def span_words(db: Store, study_id: int | None, start: int | None, end: int | None, construct: str,
               new: bool = False) -> str:
    """As ``coding_words``, for a coding whose row is gone: the quote read from the study's text."""
    exact = ""
    if start is not None and end is not None:
        found = db.execute("SELECT substr(text, ? + 1, ? - ?) FROM document WHERE study_id = ?",
                           [start, end, start, study_id]).fetchone()  # substr counts code points
        exact = found[0] if found and found[0] else ""
    return _words(exact, study_name(db, study_id), construct, new)


def _words(exact: str, study: str, construct: str, new: bool) -> str:
    quoted = f"“{clip(exact, QUOTE_WIDTH)}” " if exact else ""
    return f"{quoted}({study}) as {'new construct ' if new else ''}{construct!r}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def whose(counts: dict[str, int]) -> str:
    """``alice (3 codings) and chloe (1)``: reviewers with their live codings, most first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    parts = [f"{name} ({plural(n, 'coding') if i == 0 else n})" for i, (name, n) in enumerate(ordered)]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
