"""PubMed / MEDLINE files (``.nbib`` from "Send to > Citation manager", or "PubMed format" text).

Tags are 2-4 capital letters padded to four characters, then ``- ``; long values wrap onto lines
indented by six spaces. Records are separated by blank lines and start with ``PMID-``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.records import StudyRecord, normalise_doi

from ._common import ImportFailure, clean_field, clean_text, clean_title, make_record, parse_year

TAG_LINE = re.compile(r"^([A-Z]{2,4})\s*- (.*)$")
# "PMID-" with nothing after it still starts a record; some tools trim the trailing space.
_BARE_TAG = re.compile(r"^([A-Z]{2,4})\s*-\s*$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class MedlineRecord:
    """One record's tags in file order, and where it starts."""

    number: int
    line: int
    tags: list[tuple[str, str]] = field(default_factory=list)

    def values(self, tag: str) -> list[str]:
        return [v for t, v in self.tags if t == tag and v.strip()]

    def first(self, *tags: str) -> str:
        for tag in tags:
            found = self.values(tag)
            if found:
                return found[0]
        return ""


def read_records(text: str, path: Path) -> list[MedlineRecord]:
    """Split MEDLINE text into records of (tag, value) pairs; continuations join with a space.

    A blank line ends a record, and so does a second ``PMID-`` (files whose blank lines were lost).
    Fails naming the line for a line that is neither a tag line nor a continuation of one.
    """
    records: list[MedlineRecord] = []
    current: MedlineRecord | None = None
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if not line.strip():
            current = None
            continue
        match = TAG_LINE.match(line) or _BARE_TAG.match(line)
        if match is None:
            if current is not None and current.tags and line[:1] in (" ", "\t"):
                tag, value = current.tags[-1]
                current.tags[-1] = (tag, f"{value} {line.strip()}".strip())
                continue
            raise ImportFailure(
                path,
                message=f"this line is not a MEDLINE tag line or an indented continuation ({_excerpt(line)})",
                line=number,
            )
        tag = match.group(1)
        value = match.group(2).strip() if match.re is TAG_LINE else ""
        if current is None or (tag == "PMID" and current.values("PMID")):
            current = MedlineRecord(number=len(records) + 1, line=number)
            records.append(current)
        current.tags.append((tag, value))
    return records


def parse(text: str, path: Path) -> list[StudyRecord]:
    """Return one record per MEDLINE record; each ``locator`` is "record N".

    Title from TI (else BTI or TT), abstract from AB, authors from FAU (else AU), year from DP,
    DOI from the LID or AID value marked ``[doi]``, journal from JT (else TA). A record without a
    title fails naming the record and the line it starts on.
    """
    records = read_records(text, path)
    if not records:
        raise ImportFailure(path, message="no MEDLINE records found (records start with 'PMID- ')")
    return [_to_record(r, path) for r in records]


def _to_record(record: MedlineRecord, path: Path) -> StudyRecord:
    title = clean_title(record.first("TI", "BTI", "TT"))
    if not title:
        raise ImportFailure(
            path,
            message=f"record {record.number} has no title (no TI tag)",
            line=record.line,
            record=record.number,
        )
    authors = record.values("FAU") or record.values("AU")
    ids = record.values("LID") + record.values("AID")
    doi = next((normalise_doi(v) for v in ids if v.rstrip().endswith("[doi]")), None)
    return make_record(
        path,
        f"record {record.number}",
        title=title,
        text=clean_text(record.first("AB")),
        authors=[clean_title(a) for a in authors],
        year=parse_year(record.first("DP")),
        doi=doi,
        pmid=record.first("PMID"),
        journal=clean_field(record.first("JT", "TA")),
    )


def _excerpt(line: str, width: int = 60) -> str:
    line = line.strip()
    return repr(line if len(line) <= width else line[:width] + "...")
