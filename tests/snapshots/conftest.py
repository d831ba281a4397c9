"""Snapshot-test setup: screenshots stored as .svg files, the same colours on every machine.

pytest-textual-snapshot 1.1.0 pins syrupy==4.8.0, which needs pytest<9; we use 1.0.0 (any syrupy
>= 4) with syrupy >= 5 (pytest 9). Its SVG extension names its file extension in
``_file_extension``, which syrupy >= 5 no longer reads (it reads ``file_extension``): without the
line below every snapshot would be written as ``.raw``.
"""
from __future__ import annotations

import pytest
import pytest_textual_snapshot

pytest_textual_snapshot.SVGImageExtension.file_extension = "svg"


@pytest.fixture(autouse=True)
def _same_colours_everywhere(monkeypatch):
    """NO_COLOR in a developer's environment would take the colours out of every screenshot."""
    monkeypatch.delenv("NO_COLOR", raising=False)
