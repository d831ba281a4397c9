"""The golden-file shape for imported records, shared by the import tests.

A golden file ``<fixture>.expected.json`` holds, per record: where it came from, its metadata, and the
first 80 characters, length and sha256 of its text.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


def summarise(record) -> dict:
    """The golden view of one StudyRecord."""
    return {
        "source_file": record.source_file,
        "locator": record.locator,
        "title": record.title,
        "authors": record.authors,
        "year": record.year,
        "doi": record.doi,
        "journal": record.journal,
        "text_start": record.text[:80],
        "text_length": len(record.text),
        "text_sha256": hashlib.sha256(record.text.encode("utf-8")).hexdigest(),
    }
