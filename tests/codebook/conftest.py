from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # cb_helpers.py

from workbench.store.project import Project  # noqa: E402


@pytest.fixture
def new_project(tmp_path):
    """A factory of empty projects (reviewers alice and ben)."""
    made = []

    def make(name: str = "review") -> Path:
        root = tmp_path / f"{name}{len(made)}"
        Project.create(root, title="Codebook test", reviewers=["alice", "ben"]).close()
        made.append(root)
        return root

    return make
