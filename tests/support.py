"""Paths and builders shared by the tests (importable as `support`)."""
from __future__ import annotations

import sqlite3
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


def run(capsys, *argv) -> tuple[int, str, str]:
    """Run the CLI in-process as a user types it: (exit code, stdout, stderr)."""
    from workbench.cli import main
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows(project: Path, sql: str, args=()) -> list[sqlite3.Row]:
    """Rows read through a fresh connection: what is committed, as another process sees it."""
    conn = sqlite3.connect(project / "project.db")
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def dump(project: Path) -> str:
    """The whole database as SQL: equal dumps mean nothing changed."""
    conn = sqlite3.connect(project / "project.db")
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


KEY_NAMES = {" ": "space", "-": "minus", "*": "asterisk", ".": "full_stop", ",": "comma", "'": "apostrophe"}


def keys_for(text: str) -> list[str]:
    """Pilot key names that type ``text``."""
    return [KEY_NAMES.get(ch, ch) for ch in text]


async def wait_until(pilot, predicate, what: str, tries: int = 500) -> None:
    """Let the app run, one ``pilot.pause()`` at a time, until ``predicate()`` is true.

    For what happens a while after a key (a worker, a timer): no fixed sleep that a slow or busy
    machine can outlast. Each pause is at least 20 ms, so the bound is 10 s or more; past it the
    test fails saying what it waited for."""
    for _ in range(tries):
        if predicate():
            return
        await pilot.pause()
    if not predicate():
        raise AssertionError(f"gave up after {tries} pauses waiting for {what}")


def palette_highlight(app) -> str:
    """The text of the command the open command palette highlights ("" if none or no palette)."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return ""
    option = app.screen.query_one(CommandList).highlighted_option
    return "" if option is None else str(option.hit.text)
