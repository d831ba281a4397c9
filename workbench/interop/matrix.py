"""The construct matrix: long form (one row per coded span) and wide form (studies x constructs).

Tables are a header and an iterable of rows read through the store; writers stream them to CSV or
Markdown through ``files.replacing``, so a failed export never leaves half a file behind.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Collection, Iterable, Sequence

from ..store import codings
from ..store.constructs import all_constructs
from ..store.db import Store
from ..store.studies import titles
from .cells import csv_cell, md_cell
from .files import replacing

LONG_HEADER = ("study_id", "study_title", "year", "reviewer", "order", "construct", "parent_construct",
               "quote", "start", "end", "memo")
_LONG_COLUMNS = ("study_id", "study_title", "year", "reviewer", "order", "construct", "parent", "quote",
                 "start", "end", "memo")
FORMATS = ("csv", "md")


def long_table(db: Store, reviewer_id: int | None = None, memos: bool = True,
               hidden: Collection[int] = ()) -> tuple[tuple[str, ...], Iterable[Sequence]]:
    """One row per live coding, in study order then offset (``LONG_HEADER`` columns).

    The last column, ``memo``, holds the coding's live memos as "reviewer: text" joined with
    " | " (with ``reviewer_id``, only that reviewer's); ``memos=False`` leaves the column out.
    A parent construct in ``hidden`` (one the reviewer does not see coding blind) is left blank.
    """
    header, columns = (LONG_HEADER, _LONG_COLUMNS) if memos else (LONG_HEADER[:-1], _LONG_COLUMNS[:-1])
    found = codings.rows(db, reviewer_id=reviewer_id, columns=columns)
    if not hidden:
        return header, found
    unseen = {c.name for c in all_constructs(db) if c.id in hidden}
    at = columns.index("parent")
    return header, (row[:at] + (None,) + row[at + 1:] if row[at] in unseen else row for row in found)


def wide_table(db: Store, reviewer_id: int | None = None,
               hidden: Collection[int] = ()) -> tuple[tuple[str, ...], list[tuple]]:
    """Every study (in study order) x every construct (by order, then name) but those in
    ``hidden``: counts of live codings."""
    constructs = [c for c in all_constructs(db) if c.id not in hidden]
    counts = codings.counts_by_study(db, reviewer_id)
    header = ("study_id", "study_title", "year") + tuple(c.name for c in constructs)
    rows = [(sid, title, year, *(counts.get(sid, {}).get(c.id, 0) for c in constructs))
            for sid, title, year in titles(db)]
    return header, rows


def write_csv(out: IO[str], header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Header and rows as CSV; a cell that would start a spreadsheet formula is made text
    (``cells.csv_cell``)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)  # csv writes None as an empty field


def write_markdown(out: IO[str], header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Header and rows as a Markdown table (``cells.md_cell``: no raw HTML, no script links)."""
    out.write("| " + " | ".join(md_cell(h) for h in header) + " |\n")
    out.write("|" + "|".join(" --- " for _ in header) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(md_cell(v) for v in row) + " |\n")


def export(db: Store, path: Path, fmt: str, wide: bool = False, reviewer_id: int | None = None,
           memos: bool = True, hidden: Collection[int] = ()) -> int:
    """Write the long (or wide) matrix to ``path`` as ``fmt`` (csv or md); returns the row count.

    CSV gets a UTF-8 byte-order mark so spreadsheet programs read non-Latin quotes correctly.
    ``memos=False`` leaves the long form's memo column out. Constructs in ``hidden`` (what a
    reviewer does not see coding blind, ``store.blind``) are left out.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    header, rows = (wide_table(db, reviewer_id, hidden) if wide
                    else long_table(db, reviewer_id, memos, hidden))
    counted = _Counter(rows)
    with replacing(path, "utf-8-sig" if fmt == "csv" else "utf-8") as out:
        (write_csv if fmt == "csv" else write_markdown)(out, header, counted)
    return counted.n


class _Counter:
    """Passes rows through, counting them."""

    def __init__(self, rows: Iterable[Sequence]):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for self.n, row in enumerate(self.rows, 1):
            yield row
