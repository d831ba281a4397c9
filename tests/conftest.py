"""Shared fixtures: projects built through the same store functions the CLI uses."""
from __future__ import annotations

from pathlib import Path

import pytest

from workbench.core.records import StudyRecord
from workbench.core.text import canonicalise, decode
from workbench.store.project import Project
from workbench.store.studies import add_studies

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "projects" / "img-return-migration"
SOURCES = DEMO / "sources"

SEED_000 = SOURCES / "newman2025-review.txt"
SEED_001 = SOURCES / "heist2018.txt"
SEED_003 = SOURCES / "frehywot2019.txt"


def seed_record(path: Path, title: str, year: int, doi: str) -> StudyRecord:
    return StudyRecord(title=title, text=canonicalise(decode(path.read_bytes(), path.name)),
                       source_file=path.name, year=year, doi=doi)


@pytest.fixture
def small_project(tmp_path) -> Path:
    """A project with three seed texts (the review abstract with its Chinese translation, Heist &
    Torok 2018, Frehywot 2019) and reviewers alice and ben. Returns the project directory."""
    root = tmp_path / "review"
    with Project.create(root, title="Test review", reviewers=["alice", "ben"]) as project:
        add_studies(project.db, [
            seed_record(SEED_001, "Medical migration: a qualitative exploration of the atypical path of "
                        "Japanese international medical graduates", 2018, "10.1080/0142159X.2017.1370081"),
            seed_record(SEED_003, "Medical diaspora: an underused entity in low- and middle-income "
                        "countries' health system development", 2019, "10.1186/s12960-019-0393-1"),
            seed_record(SEED_000, "Return migration of international medical graduates: a meta-ethnography",
                        2025, "10.1111/tct.70188"),
        ])
    return root
