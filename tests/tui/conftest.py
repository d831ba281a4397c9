"""TUI test fixtures: apps on the small project, closed after the test."""
from __future__ import annotations

import pytest

from workbench.tui.app import WorkbenchApp


@pytest.fixture
def make_app(small_project):
    """``make_app(reviewer="alice")`` -> a WorkbenchApp on the small project."""
    made: list[WorkbenchApp] = []

    def make(reviewer: str = "alice") -> WorkbenchApp:
        app = WorkbenchApp(small_project, reviewer)
        made.append(app)
        return app

    yield make
    for app in made:
        app.session.close()
