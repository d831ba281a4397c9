"""Issue 12, item 3 on the screen: alice opens "Align reviewers' constructs" from the palette, shows
every reviewer's work, and pairs ben's own constructs with hers: one proposed pair with enter, the
rest with c, one by choosing, one unpaired with x; u on the coding screen takes the last back."""
from __future__ import annotations

import sqlite3

from support import keys_for, palette_highlight, run, wait_until

from workbench.tui.screens.alignment import AlignmentScreen
from workbench.tui.screens.modals import ChooseScreen

SIZE = (120, 40)
HEIST = 1
CODED = [  # reviewer, construct, order, start, end: each codes Heist 2018 blind with their own names
    ("alice", "Obligation to family", 2, 0, 17),
    ("alice", "Stigma", 1, 45, 60),
    ("alice", "Critical incidents", 2, 61, 70),
    ("ben", "Family obligations", 2, 0, 17),
    ("ben", "Fear of stigma", 1, 45, 60),
    ("ben", "Turning points", 2, 61, 70),
]


def pairs_in(project) -> set[tuple[str, str]]:
    conn = sqlite3.connect(project / "project.db")
    try:
        return set(conn.execute("SELECT a.name, b.name FROM construct_alignment x JOIN construct a ON "
                                "a.id = x.construct_id JOIN construct b ON b.id = x.counted_as_id"))
    finally:
        conn.close()


def lines(screen: AlignmentScreen) -> list[str]:
    return [line.rstrip() for line in screen.plain.splitlines()]


async def highlight(pilot, screen: AlignmentScreen, text: str) -> None:
    """Move the list's highlight to the row whose label starts with ``text`` (after its marks)."""
    from textual.widgets import OptionList

    options = screen.query_one("#alignment", OptionList)
    for i, option in enumerate(options.options):
        if str(option.prompt).split("\n")[0].strip().lstrip("✓ ").split(" ", 1)[-1].lstrip("[0123] ").startswith(text):
            options.highlighted = i
            await pilot.pause()
            return
    raise AssertionError(f"no row {text!r} in {lines(screen)}")


async def test_align_bens_constructs_with_alices_on_the_screen(make_app, small_project, capsys):
    for who, name, order, start, end in CODED:
        code, _, err = run(capsys, "code", small_project, "--study", HEIST, "--start", start, "--end", end,
                           "--construct", name, "--order", order, "--reviewer", who)
        assert code == 0, err
    app = make_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*keys_for("align reviewers"))
        await wait_until(pilot, lambda: palette_highlight(app) == "Align reviewers' constructs", "the palette entry")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, AlignmentScreen), "the alignment screen")
        screen = app.screen
        # coding blind, ben's constructs are not shown until alice shows every reviewer's work
        assert lines(screen)[0] == "ben's own constructs are hidden while you code blind."
        assert "Family obligations" not in screen.plain
        await pilot.press("v")
        await wait_until(pilot, lambda: "Proposed" in screen.plain, "the proposal")
        assert app.session.show_all
        assert lines(screen)[:9] == [
            "ben's constructs counted as yours (alice): 0 confirmed, 2 proposed, 0 shared; unaligned: 1 of yours, "
            "1 of ben's",
            "Proposed (score 60 or more; enter confirms one, c all)",
            "  100.0 [2] Family obligations → Obligation to family",
            "        names 100% alike (both say obligation, family); no definition to compare",
            "   85.3 [1] Fear of stigma → Stigma",
            "        names 85% alike (both say stigma); no definition to compare",
            "ben's, unaligned (enter or p: pair with one of yours)",
            "        [2] Turning points   closest: Critical incidents (34.8)",
            "Yours, unaligned (enter or p: pair with one of theirs)"]

        await highlight(pilot, screen, "Fear of stigma")
        await pilot.press("enter")  # confirms the highlighted pair only
        await wait_until(pilot, lambda: "Confirmed (x unpairs)" in screen.plain, "the pair to be confirmed")
        assert pairs_in(small_project) == {("Fear of stigma", "Stigma")}
        assert "✓  85.3 [1] Fear of stigma → Stigma" in lines(screen)

        await pilot.press("c")  # every proposed pair: the one left
        await wait_until(pilot, lambda: len(pairs_in(small_project)) == 2, "the rest to be confirmed")
        assert "Proposed" not in screen.plain

        await highlight(pilot, screen, "Turning points")
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the choice of alice's constructs")
        await pilot.press("enter")  # the only one of alice's of the same order left: Critical incidents
        await wait_until(pilot, lambda: len(pairs_in(small_project)) == 3, "the pair by choosing")
        assert ("Turning points", "Critical incidents") in pairs_in(small_project)
        assert lines(screen)[0].startswith("ben's constructs counted as yours (alice): 3 confirmed, 0 proposed")

        await highlight(pilot, screen, "Family obligations")
        await pilot.press("x")
        await wait_until(pilot, lambda: len(pairs_in(small_project)) == 2, "the unpairing")
        assert ("Family obligations", "Obligation to family") not in pairs_in(small_project)
        assert "  100.0 [2] Family obligations → Obligation to family" in lines(screen)  # proposed again

        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.coding_screen, "the coding screen")
        await pilot.press("u")  # the unpairing undone
        await wait_until(pilot, lambda: len(pairs_in(small_project)) == 3, "the undo")
