"""The translation table as published meta-ethnographies show it (``export grid``): one row per
concept (third-order construct, under its overarching construct), one column per study in study
order, then the row's summary.

A cell's text has up to three lines: the study's second-order constructs that interpret the concept
(joined with "; "); quote references, the start of up to ``QUOTES`` first-order quotes (or codings of
the concept itself) in text order, with "+N more"; and the judgement ("reciprocal: note", or
"alice: reciprocal: note; ben: refutational" when every reviewer's are shown). An empty cell: the
study has no evidence and no judgement. CSV cells join the lines with a line break; Markdown with
``<br>``. Every cell goes through ``cells`` (``matrix.write_csv``/``write_markdown``).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ..core.text import clip
from ..core.translation import KIND_WORDS, Cell, Grid
from ..store.db import Store
from ..store.translation import cell_quotes, load_grid
from .files import replacing
from .matrix import FORMATS, write_csv, write_markdown

QUOTES = 3
QUOTE_WIDTH = 40


def cell_text(cell: Cell, quotes: list[str], total: int, one_reviewer: bool) -> str:
    """The text of one cell of the translation table (see the module docstring): ``quotes`` are the
    first quotes in text order, ``total`` how many there are."""
    lines = []
    if cell.second_order:
        lines.append("; ".join(n.name for n in cell.second_order))
    if quotes:
        shown = "; ".join(f"“{clip(q, QUOTE_WIDTH)}”" for q in quotes[:QUOTES])
        more = total - min(len(quotes), QUOTES)
        lines.append(shown + (f"; +{more} more" if more > 0 else ""))
    judged = []
    for j in cell.judgements:
        words = KIND_WORDS[j.kind] + (f": {j.note}" if j.note else "")
        judged.append(words if one_reviewer else f"{j.reviewer}: {words}")
    if judged:
        lines.append("; ".join(judged))
    return "\n".join(lines)


def grid_table(db: Store, reviewer_id: int | None = None, rule: str = "chronological",
               index_study_id: int | None = None, grid: Grid | None = None) -> tuple[tuple[str, ...], list[tuple]]:
    """The header and rows of the translation table (one reviewer's work, or everybody's)."""
    grid = grid or load_grid(db, reviewer_id, rule, index_study_id)
    quotes = cell_quotes(db, grid, reviewer_id, QUOTES, QUOTE_WIDTH * 2)  # room for clip to see it is longer
    header = ("overarching", "concept", *(c.label for c in grid.columns), "contributing", "refuting", "not judged")
    rows = []
    for r in grid.rows:
        texts = [cell_text(cell, *quotes.get((r.concept.id, cell.study_id), ([], 0)), reviewer_id is not None)
                 for cell in r.cells]
        rows.append((r.group.name if r.group else "", r.concept.name, *texts, r.summary.contributing,
                     r.summary.refuting, r.summary.unjudged))
    return header, rows


def export_grid(db: Store, path: Path, fmt: str, reviewer_id: int | None = None, rule: str = "chronological",
                index_study_id: int | None = None) -> int:
    """Write the translation table to ``path`` as ``fmt`` (csv, with a byte-order mark, or md)
    through ``files.replacing``; returns the number of concept rows."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    header, rows = grid_table(db, reviewer_id, rule, index_study_id)
    _write(path, fmt, header, rows)
    return len(rows)


def _write(path: Path, fmt: str, header: Sequence[str], rows: list[tuple]) -> None:
    with replacing(path, "utf-8-sig" if fmt == "csv" else "utf-8") as out:
        (write_csv if fmt == "csv" else write_markdown)(out, header, rows)
