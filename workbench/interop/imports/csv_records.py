"""CSV and TSV study lists (Rayyan, Covidence, Scopus, Web of Science, spreadsheets)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench.core.records import StudyRecord

from ._common import (
    ImportFailure,
    clean_field,
    clean_text,
    clean_title,
    make_record,
    parse_int,
    parse_year,
    split_authors,
)

# Our field -> header names that mean it, compared case-insensitively; earlier names win.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "article title", "ti", "primary title", "document title"),
    "authors": ("authors", "author", "author(s)", "au", "author full names"),
    "year": ("year", "publication year", "published year", "py", "date"),
    "doi": ("doi",),
    "pmid": ("pmid", "pubmed id", "pubmed_id", "pubmedid"),
    "abstract": ("abstract", "ab", "text", "full text"),
    "journal": ("journal", "source title", "source", "publication title", "journal/book"),
    "country": ("country",),
    "participants": ("participants",),
    "method": ("method",),
}
FIELDS = tuple(ALIASES)
DELIMITERS = (",", ";", "\t")
# The longest field read (Python's csv module stops at 128 KiB; a full text can be longer).
FIELD_LIMIT = 64 * 1024 * 1024


def sniff_delimiter(header_line: str) -> str:
    """The delimiter (comma, semicolon or tab) that occurs most often in the header line.

    The header is sniffed rather than the body because abstracts are full of commas and semicolons
    while headers rarely quote a delimiter. Ties and no delimiter at all give a comma.
    """
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def map_columns(
    header: list[str], column_map: dict[str, str] | None, path: Path, line: int = 1
) -> dict[str, int]:
    """Field -> column index, from ``column_map`` (field -> header) first, then the aliases.

    Fails at the header's ``line`` for an unknown field in ``column_map``, a mapped column that is
    not in the file, or a file with no title column.
    """
    lowered = [h.strip().lower() for h in header]
    found = ", ".join(repr(h.strip()) for h in header)
    mapping: dict[str, int] = {}
    for field, column in (column_map or {}).items():
        if field == "text":
            field = "abstract"
        if field not in ALIASES:
            raise ImportFailure(
                path, message=f"cannot map {field!r}: the fields are {', '.join(FIELDS)}", line=line
            )
        if column.strip().lower() not in lowered:
            raise ImportFailure(
                path, message=f"no column {column!r} to map to {field}; the columns are {found}", line=line
            )
        mapping[field] = lowered.index(column.strip().lower())
    for field, names in ALIASES.items():
        if field in mapping:
            continue
        for name in names:
            if name in lowered:
                mapping[field] = lowered.index(name)
                break
    if "title" not in mapping:
        raise ImportFailure(
            path,
            message=f"no title column; the columns are {found}. Say which column holds the title with "
            "column_map={'title': COLUMN} (on the command line: --map title=COLUMN)",
            line=line,
        )
    return mapping


def parse(text: str, path: Path, column_map: dict[str, str] | None = None) -> list[StudyRecord]:
    """Return one record per non-blank row of a CSV/TSV with a header row.

    The delimiter is sniffed from the header (a ``.tsv`` file is tab-separated). Errors name the CSV
    line where the row starts (a quoted field can span lines). Authors are split on ";" or " and ".
    Each record's ``locator`` is "line N", the line its row starts on.
    A field may be up to ``FIELD_LIMIT`` (64 MiB) long.
    """
    header_text = next((line for line in io.StringIO(text) if line.strip()), "")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(header_text)
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = _rows(reader, path)
    if not rows:
        raise ImportFailure(path, message="the file is empty")
    header_line, header = rows[0]
    mapping = map_columns(header, column_map, path, header_line)
    records = []
    for number, (line, row) in enumerate(rows[1:], start=1):
        if len(row) > len(header):
            raise ImportFailure(
                path,
                message=f"this row has {len(row)} fields but the header has {len(header)} "
                "(is a field with a delimiter in it missing its quotes?)",
                line=line,
                record=number,
            )
        records.append(_to_record(row, mapping, path, line, number))
    if not records:
        raise ImportFailure(
            path, message="no records found: the file has a header row and nothing else", line=header_line
        )
    return records


def _rows(reader, path: Path) -> list[tuple[int, list[str]]]:
    """(first line, cells) for each row that has any non-blank cell."""
    rows = []
    previous_end = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            start = previous_end + 1
            if "end of data" in str(exc):
                message = f"a quoted field in the row starting on line {start} is never closed"
            elif "field larger than field limit" in str(exc):
                message = (f"a field in the row starting on line {start} is longer than "
                           f"{FIELD_LIMIT // (1024 * 1024)} MiB (is a quote missing?)")
            else:
                message = f"bad CSV quoting ({exc}) in the row starting on line {start}"
            raise ImportFailure(path, message=message, line=reader.line_num) from None
        start, previous_end = previous_end + 1, reader.line_num
        if any(cell.strip() for cell in row):
            rows.append((start, row))


def _to_record(
    row: list[str], mapping: dict[str, int], path: Path, line: int, number: int
) -> StudyRecord:
    def cell(field: str) -> str:
        index = mapping.get(field)
        return row[index] if index is not None and index < len(row) else ""

    title = clean_title(cell("title"))
    if not title:
        raise ImportFailure(path, message=f"record {number} has an empty title", line=line, record=number)
    return make_record(
        path,
        f"line {line}",
        title=title,
        text=clean_text(cell("abstract")),
        authors=split_authors(cell("authors")),
        year=parse_year(cell("year")),
        doi=cell("doi"),
        pmid=cell("pmid"),
        journal=clean_field(cell("journal")),
        country=clean_field(cell("country")),
        participants=parse_int(cell("participants")),
        method=clean_field(cell("method")),
    )
