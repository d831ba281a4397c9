"""RIS files (EndNote, Scopus, Zotero, Mendeley, Web of Science, Rayyan exports).

An in-house parser rather than rispy, because error messages must name lines and rispy does not
track them. A record runs from ``TY  - `` to ``ER  - ``; a line inside a record that is not a tag
line continues the previous tag's value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from workbench.core.records import StudyRecord, normalise_doi

from ._common import ImportFailure, clean_field, clean_text, clean_title, make_record, parse_year

# "TY  - JOUR": two characters, two spaces, a hyphen, a space. Exports that trimmed trailing space
# ("ER  -") or use one space before the hyphen are accepted too.
TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: (.*)|\s*)$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# Field -> tags, earliest first. JF is the full journal name by definition; JO is often full too
# (EndNote) and T2 is the journal for articles but a book or series title for other types.
TITLE_TAGS = ("TI", "T1")
ABSTRACT_TAGS = ("AB", "N2")
YEAR_TAGS = ("PY", "Y1", "DA")
AUTHOR_TAGS = ("AU", "A1")
JOURNAL_TAGS = ("JF", "JO", "T2")
# Values of these tags keep their line breaks (paragraphs); others are joined with spaces.
MULTILINE_TAGS = frozenset({"AB", "N2", "N1"})


@dataclass
class RisRecord:
    """One record's tags in file order, and where it starts."""

    number: int
    line: int
    tags: list[tuple[str, str]] = field(default_factory=list)

    def values(self, tag: str) -> list[str]:
        return [v for t, v in self.tags if t == tag and v.strip()]

    def first(self, tags: tuple[str, ...]) -> str:
        for tag in tags:
            found = self.values(tag)
            if found:
                return found[0]
        return ""


def _lines(text: str, piece: int = 1 << 20) -> Iterator[str]:
    """``_LINE_BREAK.split(text)``, made a piece of about ``piece`` characters at a time, so a large
    file is never held as one list of all its lines."""
    start, n = 0, len(text)
    if n == 0:
        yield ""
    while start < n:
        cut = text.find("\n", start + piece)  # a cut after "\n" never parts "\r\n"
        end = n if cut < 0 else cut + 1
        lines = _LINE_BREAK.split(text[start:end])
        if end < n:
            lines.pop()  # the "" after the piece's last line break; the next piece goes on from there
        yield from lines
        start = end


def iter_records(text: str, path: Path) -> Iterator[RisRecord]:
    """RIS text as records of (tag, value) pairs, one at a time, failing on structure errors.

    Fails naming the line for: a non-tag line outside a record, a tag before ``TY``, and a record
    that has no ``ER  - `` (the message gives the line where that record starts).
    """
    current: RisRecord | None = None
    count = 0
    number = 0
    line = ""
    for number, line in enumerate(_lines(text), start=1):
        match = TAG_LINE.match(line)
        if match is None:
            if current is not None and current.tags:
                tag, value = current.tags[-1]
                # An unindented line in an abstract is a new paragraph; an indented one is a wrap.
                wrapped = line[:1] in (" ", "\t") or tag not in MULTILINE_TAGS
                joiner = " " if wrapped else "\n"
                if line.strip() or tag in MULTILINE_TAGS:
                    current.tags[-1] = (tag, value + joiner + line.strip())
            elif line.strip():
                raise ImportFailure(
                    path,
                    message=f"this line is not a RIS tag line ({_excerpt(line)}); "
                    "records start with 'TY  - ' and end with 'ER  - '",
                    line=number,
                )
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                raise _missing_end(path, current, number)
            count += 1
            current = RisRecord(number=count, line=number)
            current.tags.append((tag, value))
        elif current is None:
            raise ImportFailure(
                path,
                message=f"tag {tag} outside a record; each record starts with 'TY  - '",
                line=number,
            )
        elif tag == "ER":
            yield current
            current = None
        else:
            current.tags.append((tag, value))
    if current is not None:
        last_line = number - 1 if line == "" else number
        raise _missing_end(path, current, max(last_line, current.line))


def read_records(text: str, path: Path) -> list[RisRecord]:
    """Every record of ``iter_records``, as a list."""
    return list(iter_records(text, path))


def parse(text: str, path: Path) -> list[StudyRecord]:
    """Return one record per RIS record; each ``locator`` is "record N".

    Title from TI or T1, abstract from AB or N2, year from the first four digits of PY, Y1 or DA,
    authors from AU (else A1) as written, journal from JF, JO or T2, DOI from DO or a DOI in UR.
    A record without a title fails naming the record and the line it starts on; an error in the
    file's structure anywhere is reported before it.
    """
    found: list[StudyRecord] = []
    refused: ImportFailure | None = None
    for record in iter_records(text, path):  # each record made as it is read: the tags of all are never held
        if refused is None:
            try:
                found.append(_to_record(record, path))
            except ImportFailure as exc:
                refused = exc  # raised once the rest of the file's structure has been checked
    if refused is not None:
        raise refused
    if not found:
        raise ImportFailure(path, message="no RIS records found (records start with 'TY  - ')")
    return found


def _to_record(record: RisRecord, path: Path) -> StudyRecord:
    tags: dict[str, list[str]] = {}  # each tag's non-blank values, in file order (RisRecord.values)
    for tag, value in record.tags:
        if value.strip():
            tags.setdefault(tag, []).append(value)

    def first(names: tuple[str, ...]) -> str:
        return next((tags[t][0] for t in names if t in tags), "")

    title = clean_title(first(TITLE_TAGS))
    if not title:
        raise ImportFailure(
            path,
            message=f"record {record.number} has no title (no TI or T1 tag)",
            line=record.line,
            record=record.number,
        )
    authors = next((tags[t] for t in AUTHOR_TAGS if t in tags), [])
    doi = normalise_doi(first(("DO",)))
    if doi is None:
        doi = next((d for d in map(normalise_doi, tags.get("UR", ())) if d), None)
    return make_record(
        path,
        f"record {record.number}",
        title=title,
        text=clean_text(_paragraphs(first(ABSTRACT_TAGS))),
        authors=[clean_title(a) for a in authors],
        year=next((y for y in map(parse_year, (first((t,)) for t in YEAR_TAGS)) if y), None),
        doi=doi,
        journal=clean_field(first(JOURNAL_TAGS)),
    )


def _paragraphs(value: str) -> str:
    """Drop the blank lines a wrapped abstract may carry, keeping one line per paragraph."""
    return "\n".join(line for line in value.split("\n") if line.strip())


def _missing_end(path: Path, record: RisRecord, line: int) -> ImportFailure:
    return ImportFailure(
        path,
        message=f"record {record.number} has no ER  - end tag (it starts at line {record.line})",
        line=line,
        record=record.number,
    )


def _excerpt(line: str, width: int = 60) -> str:
    line = line.strip()
    return repr(line if len(line) <= width else line[:width] + "...")
