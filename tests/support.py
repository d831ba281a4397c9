"""Paths and builders shared by the tests (importable as `support`)."""
from __future__ import annotations

from pathlib import Path

from workbench.core.records import StudyRecord
from workbench.core.text import canonicalise, decode

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "projects" / "img-return-migration"
SOURCES = DEMO / "sources"

SEED_000 = SOURCES / "newman2025-review.txt"
SEED_001 = SOURCES / "heist2018.txt"
SEED_003 = SOURCES / "frehywot2019.txt"


def seed_record(path: Path, title: str, year: int, doi: str) -> StudyRecord:
    return StudyRecord(title=title, text=canonicalise(decode(path.read_bytes(), path.name)),
                       source_file=path.name, year=year, doi=doi)
