"""The construct matrix: long form (one row per coded span) and wide form (studies x constructs).

Tables are lists of rows with a header; writers turn them into CSV or Markdown. Files are written
to a temporary name and renamed, so a failed export never leaves half a file behind.
"""
from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import Iterable, Sequence

from ..store import codings
from ..store.db import Store

LONG_HEADER = ("study_id", "study_title", "year", "reviewer", "order", "construct", "parent_construct",
               "quote", "start", "end")
FORMATS = ("csv", "md")


def long_table(db: Store, reviewer_id: int | None = None) -> tuple[tuple[str, ...], list[tuple]]:
    """One row per live coding, in study order then offset (``LONG_HEADER`` columns)."""
    pick = [codings.ROW_COLUMNS.index(c) for c in
            ("study_id", "study_title", "year", "reviewer", "order", "construct", "parent", "quote", "start", "end")]
    return LONG_HEADER, [tuple(row[i] for i in pick) for row in codings.rows(db, reviewer_id=reviewer_id)]


def wide_table(db: Store, reviewer_id: int | None = None) -> tuple[tuple[str, ...], list[tuple]]:
    """Every study (in study order) x every construct (by order, then name): counts of live codings."""
    constructs = db.execute(
        "SELECT id, name FROM construct ORDER BY construct_order, name COLLATE NOCASE").fetchall()
    column = {cid: i for i, (cid, _) in enumerate(constructs)}
    sql = "SELECT study_id, construct_id, count(*) FROM coding WHERE removed_at IS NULL"
    args: list = []
    if reviewer_id is not None:
        sql += " AND reviewer_id = ?"
        args.append(reviewer_id)
    counts: dict[int, list[int]] = {}
    for study_id, construct_id, n in db.execute(sql + " GROUP BY study_id, construct_id", args):
        counts.setdefault(study_id, [0] * len(constructs))[column[construct_id]] = n
    header = ("study_id", "study_title", "year") + tuple(name for _, name in constructs)
    rows = [(sid, title, year, *counts.get(sid, [0] * len(constructs))) for sid, title, year in db.execute(
        "SELECT id, title, year FROM study ORDER BY year IS NULL, year, order_index")]
    return header, rows


def to_csv(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(("" if v is None else v for v in row) for row in rows)
    return out.getvalue()


def _md_cell(value) -> str:
    if value is None:
        return ""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def to_markdown(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    lines = ["| " + " | ".join(_md_cell(h) for h in header) + " |",
             "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write(path: Path, text: str, fmt: str) -> None:
    """Write ``text`` to ``path`` atomically. CSV gets a UTF-8 BOM so that spreadsheet programs
    read non-Latin quotes (the Chinese of seed 000) correctly."""
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def export(db: Store, path: Path, fmt: str, wide: bool = False, reviewer_id: int | None = None) -> int:
    """Write the long (or wide) matrix to ``path`` as ``fmt`` (csv or md); returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    header, rows = (wide_table if wide else long_table)(db, reviewer_id)
    write(path, to_csv(header, rows) if fmt == "csv" else to_markdown(header, rows), fmt)
    return len(rows)
