"""Orphaned codings on the screen (issue 13, item 5): a study's text replaced from the command line
reaches the open coding screen; the palette's "Orphaned codings" lists the reviewer's own orphans
with their best candidate; enter opens the new text where the reviewer selects the words and
places the orphan there, ``b`` places it on the candidate, ``x`` drops it, and ``u`` undoes each."""
import json

from support import keys_for, palette_highlight, rows, run, wait_until

from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.orphans import OrphansScreen, PlaceOrphanScreen

SIZE = (120, 40)
OLD = ("Japanese doctors abroad: why they return\n"
       "Background. Doctors returned home for their famlies. Pay was lower at home.\n"
       "They missed their parents and the food of home.\n"
       "Some went back abroad after a year, others stayed for good.\n")
NEW = ("Japanese doctors abroad: why they return\n"
       "Background. Doctors returned home for their families. Pay was lower at home.\n"
       "Some went back abroad after a year.\n"
       "They missed their parents and the cooking.\n")


def cli(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def code(capsys, root, reviewer: str, quote: str, construct: str) -> int:
    start = OLD.index(quote)
    return json.loads(cli(capsys, "code", root, "--study", "1", "--start", start, "--end", start + len(quote),
                          "--construct", construct, "--order", "2", "--reviewer", reviewer, "--all-reviewers",
                          "--json"))["id"]


def project(tmp_path, capsys):
    root = tmp_path / "review"
    cli(capsys, "init", root, "--reviewer", "alice", "--reviewer", "bob")
    (tmp_path / "heist2018.txt").write_text(OLD, encoding="utf-8")
    cli(capsys, "import", root, tmp_path / "heist2018.txt", "--title", "Japanese doctors abroad", "--authors",
        "Heist, Ana", "--year", "2018")
    ids = {"pay": code(capsys, root, "alice", "Pay was lower at home.", "Pay"),
           "stayed": code(capsys, root, "alice", "others stayed for good", "Staying"),
           "food": code(capsys, root, "bob", "the food of home", "Food")}
    (tmp_path / "corrected.txt").write_text(NEW, encoding="utf-8")
    return root, ids


async def open_orphans(pilot, app) -> OrphansScreen:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*keys_for("orphaned codings"))
    await wait_until(pilot, lambda: palette_highlight(app).startswith("Orphaned codings"),
                     "the palette to offer the orphaned codings")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, OrphansScreen), "the orphaned codings to open")
    return app.screen


async def back_and_undo(pilot, app) -> None:
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is app.coding_screen, "the coding screen")
    await pilot.press("u")
    await wait_until(pilot, lambda: app.notices and app.notices[-1].startswith("Undone"), "the undo")


async def test_orphans_are_placed_by_selecting_the_words_dropped_and_undone(tmp_path, capsys):
    root, ids = project(tmp_path, capsys)
    app = WorkbenchApp(root, "alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert app.coding_screen.text_view.text == OLD
            # another process replaces the text: the open screen shows the new one
            cli(capsys, "reimport", root, "--study", "1", tmp_path / "corrected.txt", "--reviewer", "bob")
            await wait_until(pilot, lambda: app.coding_screen.text_view.text == NEW, "the new text on the screen")

            screen = await open_orphans(pilot, app)
            lines = screen.plain.splitlines()
            assert lines[0] == ("1 orphaned coding of yours — a study's text was replaced and the quote was not "
                                "found in it")  # bob's orphan is his
            assert lines[1:3] == ["  1. Heist 2018 · Staying",
                                  "     …went back abroad after a year, «others stayed for good».…"]
            assert lines[3].startswith("     best candidate ")

            await pilot.press("enter")  # the new text, to select the words in
            await wait_until(pilot, lambda: isinstance(app.screen, PlaceOrphanScreen), "the new text")
            area = app.screen.query_one("#place-text")
            area.move_cursor((2, 0))
            await pilot.press("shift+end")
            await pilot.press("enter")
            await wait_until(pilot, lambda: screen.plain.startswith("0 orphaned codings"), "the orphan to be placed")
            assert app.notices[-1] == ("Placed “others stayed for good” (Heist 2018) on “Some went back abroad "
                                       "after a year.”. u undoes.")
            assert [tuple(r) for r in rows(root, "SELECT span_start, span_end, exact, anchor, removed_at FROM coding "
                                           "WHERE id = ?", [ids["stayed"]])] == [
                (118, 153, "Some went back abroad after a year.", "hand", None)]

            await back_and_undo(pilot, app)  # the orphan is back on the list
            screen = await open_orphans(pilot, app)
            assert screen.plain.startswith("1 orphaned coding")
            await pilot.press("x")
            await wait_until(pilot, lambda: screen.plain.startswith("0 orphaned codings"), "the orphan to be dropped")
            assert rows(root, "SELECT coding_id FROM orphan WHERE coding_id = ?", [ids["stayed"]]) == []
            assert rows(root, "SELECT removed_at IS NOT NULL FROM coding WHERE id = ?", [ids["stayed"]])[0][0] == 1

            await back_and_undo(pilot, app)
            screen = await open_orphans(pilot, app)
            candidate = app.session.orphans()[0].candidate
            await pilot.press("b")  # on the best candidate
            await wait_until(pilot, lambda: screen.plain.startswith("0 orphaned codings"), "the orphan to be placed")
            assert [tuple(r) for r in rows(root, "SELECT span_start, span_end FROM coding WHERE id = ?",
                                           [ids["stayed"]])] == [candidate[:2]]
            assert ids["stayed"] in [c.id for c in app.session.codings]
    finally:
        app.session.close()


async def test_undo_of_a_reimport_on_the_screen_puts_the_old_text_back(tmp_path, capsys):
    root, ids = project(tmp_path, capsys)
    cli(capsys, "reimport", root, "--study", "1", tmp_path / "corrected.txt", "--reviewer", "alice")
    app = WorkbenchApp(root, "alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            assert app.coding_screen.text_view.text == NEW
            assert {c.id: (c.start, c.end) for c in app.session.codings} == {ids["pay"]: (95, 117)}
            await pilot.press("u")
            await wait_until(pilot, lambda: app.coding_screen.text_view.text == OLD, "the old text")
            assert {c.id: (c.start, c.end) for c in app.session.codings} == {ids["pay"]: (94, 116),
                                                                              ids["stayed"]: (201, 223)}
            assert app.notices[-1] == ("Undone: replacing the text of Heist 2018 from corrected.txt, "
                                       "2 codings orphaned")

            await pilot.press("question_mark")  # the help lists the orphans' keys
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
            shown = app.screen.plain
            start = shown.index("Orphaned codings (palette")
            assert [" ".join(line.split()) for line in shown[start:].splitlines()[:8]] == [
                "Orphaned codings (palette; up/down to move, enter to select the words in the new text)",
                "b Place the orphan on its best candidate",
                "x Drop the orphan (it stays removed, with its quote, in the log)",
                "esc / q Back to coding", "", "Placing an orphan: select the words",
                "⏎ Place the orphan on the selected words", "esc Back to the orphaned codings"]
    finally:
        app.session.close()
