"""Plain-text study files: the whole file is one study's text."""
from __future__ import annotations

from pathlib import Path

from workbench.core.records import StudyRecord, normalise_doi
from workbench.core.text import canonicalise

from ._common import ImportFailure, make_record

MAX_TITLE = 300


def parse(text: str, path: Path) -> list[StudyRecord]:
    """Return one record whose text is the whole file, canonicalised and otherwise untouched.

    The title is the first non-empty line (whitespace collapsed, at most 300 characters); the DOI is
    the first DOI anywhere in the text. No other metadata is guessed.
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
        make_record(path, "record 1", title=title, text=canonical, doi=normalise_doi(canonical))
    ]
