"""Plain-text study files: the whole file is one study's text."""
from __future__ import annotations

import re
from pathlib import Path

from workbench.core.records import StudyRecord, normalise_doi
from workbench.core.text import canonicalise

from ._common import ImportFailure, make_record

MAX_TITLE = 300


def parse(text: str, path: Path) -> list[StudyRecord]:
    """Return one record whose text is the whole file, canonicalised and otherwise untouched.

    The title is the first non-empty line (whitespace collapsed, at most 300 characters); the DOI is
    the one labelled in the head of the file (``head_doi``). No other metadata is guessed.
    """
    canonical = canonicalise(text)
    title = ""
    for line in canonical.split("\n"):
        if line.strip():
            title = " ".join(line.split())[:MAX_TITLE].rstrip()
            break
    if not title:
        raise ImportFailure(path, message="the file is empty")
    return [
        make_record(path, "record 1", title=title, text=canonical, doi=head_doi(canonical))
    ]


HEAD_LINES = 40  # the head (title, authors, journal line, DOI) of any paper fits in these
PROSE = 150  # a longer line is a paragraph of the body (a journal line with its DOI is about 80)
_LABELLED = re.compile(r"\bdoi\b|doi\.org/", re.IGNORECASE)
_REFERENCES = re.compile(r"\s*(references|reference list|bibliography|literature cited|works cited|notes|"
                         r"参考文献)\s*:?\s*$", re.IGNORECASE)


def head_doi(text: str) -> str | None:
    """The paper's own DOI: one on a labelled line (``doi: …``, ``https://doi.org/…``) of the head
    of the text, which ends at the first paragraph of prose (a line over 150 characters), at a
    heading such as References or Bibliography, or after 40 lines. A DOI the body or the reference
    list cites is never taken for the paper's own."""
    for number, line in enumerate(text.split("\n")):
        if number >= HEAD_LINES or len(line) > PROSE or _REFERENCES.fullmatch(line):
            return None
        if _LABELLED.search(line):
            found = normalise_doi(line)
            if found:
                return found
    return None
