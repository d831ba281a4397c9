"""The app stays open when the database changes underneath it or is busy: another process merges
the construct behind a number key, or holds the write lock. The reviewer is told in words, what
went stale is re-read, and nothing half-done is written."""
from __future__ import annotations

import sqlite3

from support import keys_for, rows, wait_until

from workbench.store import codings, constructs, pins
from workbench.store.project import Project
from workbench.store.restructure import merge
from workbench.tui.screens.constructs import ConstructsScreen
from workbench.tui.screens.memo import MemoScreen

SIZE = (100, 30)
SENTENCE = 232  # "Background: ..." in the first study (Heist 2018)


def seed(project_path):
    """Two second-order constructs; alice coded "Medical" with the first and pinned it to key 1."""
    with Project.open(project_path) as project:
        alice = project.reviewer_id("alice")
        gone = constructs.create(project.db, "Pivotal experiences", 2, alice)
        kept = constructs.create(project.db, "Family over finances", 2, alice)
        codings.add(project.db, 1, gone.id, alice, 0, 7)
        pins.pin(project.db, alice, gone.id, 1)
    return gone, kept


def live(project_path) -> list[tuple[int, int, str]]:
    return [(r["span_start"], r["span_end"], r["name"]) for r in rows(
        project_path, "SELECT c.span_start, c.span_end, k.name FROM coding c JOIN construct k "
                      "ON k.id = c.construct_id WHERE c.removed_at IS NULL ORDER BY c.id")]


async def test_number_key_after_another_process_merged_its_construct(make_app, small_project):
    gone, kept = seed(small_project)
    app = make_app()
    app.live_refresh = False  # a key pressed before the screen's next look at the project
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        assert "1 Pivotal experiences" in screen.construct_panel.plain
        with Project.open(small_project) as other:  # ben, a lead who says so, merges it away in his own process
            merge(other.db, gone.id, kept.id, other.reviewer_id("ben"), lead=True, touching_others=True)
        screen.text_view.move_to_offset(SENTENCE)
        await pilot.press("s", "1")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert app.notices[-1] == ("That construct no longer exists: another reviewer merged or deleted it; "
                                   "the lists are reloaded.")
        assert live(small_project) == [(0, 7, "Family over finances")]  # nothing coded
        panel = screen.construct_panel.plain
        assert "Pivotal experiences" not in panel and "  Family over finances" in panel
        # the pin went with the construct: key 1 is free and codes nothing; the sentence stays selected
        a, b = screen.text_view.selection_offsets()
        assert a == SENTENCE and b > a
        await pilot.press("1")
        await pilot.pause()
        assert app.is_running
        assert live(small_project) == [(0, 7, "Family over finances")]
        assert app.notices[-1].startswith("Nothing is pinned to 1")


async def test_a_change_while_another_process_holds_the_write_lock(make_app, small_project):
    seed(small_project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        app.session.db.execute("PRAGMA busy_timeout = 100")
        lock = sqlite3.connect(small_project / "project.db", isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")
            screen.text_view.move_to_offset(SENTENCE)
            await pilot.press("s", "1")
            await pilot.pause()
            a, b = screen.text_view.selection_offsets()
            assert app.is_running and app.screen is screen
            assert app.notices[-1] == ("Another process is writing to the project; your change was not saved "
                                       "— try again.")
            await pilot.press("t")  # the study's status: refused the same way
            await pilot.pause()
            assert app.is_running and "Another process is writing" in app.notices[-1]
        finally:
            lock.rollback()
            lock.close()
        assert live(small_project) == [(0, 7, "Pivotal experiences")]
        assert rows(small_project, "SELECT count(*) AS n FROM study_status")[0]["n"] == 0
        await pilot.press("1")  # the lock is gone: the same key codes the sentence
        await pilot.pause()
        assert live(small_project) == [(0, 7, "Pivotal experiences"), (a, b, "Pivotal experiences")]
        assert a == SENTENCE and app.notices[-1].startswith("Coded ")


async def test_a_memo_not_saved_for_the_lock_is_kept_for_the_next_opening(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.session.db.execute("PRAGMA busy_timeout = 100")
        lock = sqlite3.connect(small_project / "project.db", isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")
            await pilot.press("M")
            await wait_until(pilot, lambda: isinstance(app.screen, MemoScreen), "the memo editor")
            await pilot.press(*keys_for("Atypical path"), "ctrl+s")
            await wait_until(pilot, lambda: app.screen is app.coding_screen, "the coding screen")
            await pilot.pause()
            assert app.is_running
            assert app.notices[-1] == ("Another process is writing to the project; your change was not saved "
                                       "— try again. Your text is kept: open the memo again to save it.")
        finally:
            lock.rollback()
            lock.close()
        assert rows(small_project, "SELECT count(*) AS n FROM memo")[0]["n"] == 0
        await pilot.press("M")  # the editor opens on the text that was not saved; now it saves
        await wait_until(pilot, lambda: isinstance(app.screen, MemoScreen), "the memo editor")
        assert app.screen.editor.text == "Atypical path"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.notices[-1] == "Memo saved.", "the memo to be saved")
        assert [r["text"] for r in rows(small_project, "SELECT text FROM memo WHERE removed_at IS NULL")] == [
            "Atypical path"]


async def test_renaming_a_construct_another_process_merged_away(make_app, small_project):
    gone, kept = seed(small_project)
    app = make_app()
    app.live_refresh = False  # a rename asked for before the screen's next look at the project
    async with app.run_test(size=SIZE) as pilot:
        app.coding_screen.text_view.move_to_offset(3)  # on alice's coding: k opens the tree there
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, ConstructsScreen), "the constructs tree")
        tree = app.screen
        assert tree.current.name == "Pivotal experiences"
        with Project.open(small_project) as other:
            merge(other.db, gone.id, kept.id, other.reviewer_id("ben"), lead=True, touching_others=True)
        await pilot.press("r")  # r first asks whose work the rename touches: the construct is gone, so it says so
        await wait_until(pilot, lambda: app.notices and app.notices[-1].startswith("That construct"), "the refusal")
        assert app.screen is tree
        assert app.is_running
        assert app.notices[-1] == ("That construct no longer exists: another reviewer merged or deleted it; "
                                   "the lists are reloaded.")
        assert [r["name"] for r in rows(small_project, "SELECT name FROM construct ORDER BY id")] == [
            "Family over finances"]
        assert not any("Pivotal experiences" in line for line in tree.plain_lines)
        assert any(line.strip().startswith("Family over finances") for line in tree.plain_lines)


def test_the_screen_waits_at_most_five_seconds_for_another_writer(small_project):
    """The CLI waits 30 s for the write lock; the TUI, which cannot repaint while it waits, 5 s."""
    from workbench.tui.session import Session

    session = Session.open(small_project, "alice")
    try:
        assert session.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    finally:
        session.close()
