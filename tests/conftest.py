"""Shared fixtures: projects built through the same store functions the CLI uses."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import SEED_000, SEED_001, SEED_003, seed_record

from workbench.store.project import Project
from workbench.store.studies import add_studies


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
