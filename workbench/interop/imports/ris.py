"""RIS files (EndNote, Scopus, Zotero, Mendeley, Web of Science, Rayyan exports).

An in-house parser rather than rispy, because error messages must name lines and rispy does not
track them. A record runs from ``TY  - `` to ``ER  - ``; a line inside a record that is not a tag
line continues the previous tag's value.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

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


def read_records(text: str, path: Path) -> list[RisRecord]:
    """Split RIS text into records of (tag, value) pairs, failing on structure errors.

    Fails naming the line for: a non-tag line outside a record, a tag before ``TY``, and a record
    that has no ``ER  - `` (the message gives the line where that record starts).
    """
    records: list[RisRecord] = []
    current: RisRecord | None = None
    lines = _LINE_BREAK.split(text)
    last_line = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
    for number, line in enumerate(lines, start=1):
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
            current = RisRecord(number=len(records) + 1, line=number)
            current.tags.append((tag, value))
        elif current is None:
            raise ImportFailure(
                path,
                message=f"tag {tag} outside a record; each record starts with 'TY  - '",
                line=number,
            )
        elif tag == "ER":
            records.append(current)
            current = None
        else:
            current.tags.append((tag, value))
    if current is not None:
        raise _missing_end(path, current, max(last_line, current.line))
    return records


def parse(text: str, path: Path) -> list[StudyRecord]:
    """Return one record per RIS record; each ``locator`` is "record N".

    Title from TI or T1, abstract from AB or N2, year from the first four digits of PY, Y1 or DA,
    authors from AU (else A1) as written, journal from JF, JO or T2, DOI from DO or a DOI in UR.
    A record without a title fails naming the record and the line it starts on.
    """
    records = read_records(text, path)
    if not records:
        raise ImportFailure(path, message="no RIS records found (records start with 'TY  - ')")
    return [_to_record(r, path) for r in records]


def _to_record(record: RisRecord, path: Path) -> StudyRecord:
    title = clean_title(record.first(TITLE_TAGS))
    if not title:
        raise ImportFailure(
            path,
            message=f"record {record.number} has no title (no TI or T1 tag)",
            line=record.line,
            record=record.number,
        )
    authors = next((record.values(t) for t in AUTHOR_TAGS if record.values(t)), [])
    doi = normalise_doi(record.first(("DO",)))
    if doi is None:
        doi = next((d for d in map(normalise_doi, record.values("UR")) if d), None)
    return make_record(
        path,
        f"record {record.number}",
        title=title,
        text=clean_text(_paragraphs(record.first(ABSTRACT_TAGS))),
        authors=[clean_title(a) for a in authors],
        year=next((y for y in map(parse_year, (record.first((t,)) for t in YEAR_TAGS)) if y), None),
        doi=doi,
        journal=clean_field(record.first(JOURNAL_TAGS)),
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
