"""The coding screen and the constructs tree at 80x24 (a laptop's default terminal, or SSH): who
you are, the study and its memo mark, the whole colour legend, construct names and the tree's
link and key lines are readable, and the text gets a fair share of the width."""
from __future__ import annotations

import re

from support import rows, wait_until

from workbench.store import codings, constructs, memos, restructure
from workbench.store.project import Project
from workbench.tui.colours import legend
from workbench.tui.screens.constructs import ConstructsScreen
from workbench.tui.widgets.status_bar import Status, status_line

HEIST = 1
LONG_TITLE = "There is no place like home: the return migration of international medical graduates"
LONG_NAME = "Disillusionment with state healthcare systems"


def screen_lines(app) -> list[str]:
    """The terminal as the reviewer sees it, one string per row."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def seed(project_path):
    """The demo's long project title; a long third-order construct coded by alice, a second-order
    one that interprets it; alice's memo on the first study; ben, whose name is longer."""
    yaml_path = project_path / "project.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(re.sub(r"(?m)^title: .*$", f'title: "{LONG_TITLE}"', text), encoding="utf-8")
    with Project.open(project_path) as project:
        alice = project.reviewer_id("alice")
        long = constructs.create(project.db, LONG_NAME, 3, alice)
        theme = constructs.create(project.db, "Pivotal experiences", 2, alice)
        codings.add(project.db, HEIST, long.id, alice, 0, 17)
        codings.add(project.db, HEIST, theme.id, alice, 0, 7)
        restructure.link(project.db, theme.id, "interprets", long.id, alice)
        memos.set_memo(project.db, "study", HEIST, alice, "Atypical path: compare with Frehywot.")
    return long, theme


def test_the_top_line_gives_way_in_order_and_keeps_the_name_and_the_legend():
    status = Status("alice", False, "◐", "in progress", LONG_TITLE)
    key = " 1st   2nd   3rd   1st in 2nd "
    assert status_line(status, 120).plain == (
        f" alice  │ mine (blind) │ ◐ in progress │ {key} │ There is no place like home: the return migra…")
    # at 84 the title would get fewer than 12 cells: it goes
    assert status_line(status, 84).plain == f" alice  │ mine (blind) │ ◐ in progress │ {key}"
    assert status_line(status, 80).plain == f" alice  │ mine (blind) │ ◐ in progress │ {key}"
    assert status_line(status, 66).plain == f" alice  │ blind │ ◐ in progress │ {key}"
    assert status_line(status, 60).plain == f" alice  │ blind │ ◐ │ {key}"
    every = f"{key}  others   both "  # with every reviewer shown, whose codings are whose
    assert status_line(Status("ben", True), 62).plain == f" ben  │ all │ {every}"  # no study open


async def test_the_80x24_coding_screen_shows_the_reviewer_the_legend_and_whole_names(make_app, small_project):
    long, theme = seed(small_project)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.coding_screen
        await pilot.pause()
        lines = screen_lines(app)
        top = lines[0]
        # the reviewer first, the whole legend, the status; the long project title gives way
        assert top.startswith(" alice  │ mine (blind) │ ○ to do │  1st ")
        assert legend().plain in top
        assert all(word in top for word in (" 1st ", " 2nd ", " 3rd ", " 1st in 2nd "))
        assert top.endswith("1st in 2nd  │ There is no…")  # the long project title gave way
        # the study's memo mark comes first in the pane's title, before the cut
        assert lines[1].startswith("╭─ ✎ 2018 Medical migration")
        # the text pane: 46 of 80 columns
        assert screen.text_view.size.width == 46
        # construct names are whole: a long one goes on to the next line of the panel
        assert screen.construct_panel.row_of(long.id) == f"  {LONG_NAME} 1"
        panel = "\n".join(line[48:] for line in lines)
        assert "Disillusionment with state" in panel and "healthcare systems" in panel
        assert "…" not in screen.construct_panel.plain
        assert "[3] Disillusionment with state" in screen.at_cursor.plain  # the cursor is on both codings
        # the tooltip says it all in words
        assert screen.status_bar.tooltip.startswith("You are alice, seeing only your codings")


async def test_a_long_reviewer_name_and_every_reviewers_view_still_fit(make_app, small_project):
    seed(small_project)
    with Project.open(small_project) as project:
        project.ensure_reviewer("Alexandra Fitzgerald-Okonkwo")
    app = make_app("Alexandra Fitzgerald-Okonkwo")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("v")
        await pilot.pause()
        top = screen_lines(app)[0]
        # every reviewer's legend (with "others" and "both") is 46 cells: the status words go first,
        # then a 28-character name is shortened, never the legend
        assert top.startswith(" Alexandra Fitzgera…  │ all │ ○ │  1st ")
        assert legend(True).plain in top and "There is" not in top


async def test_the_80x24_tree_wraps_links_and_keys_instead_of_cutting_them(make_app, small_project):
    long, theme = seed(small_project)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.coding_screen.text_view.move_to_offset(3)  # on both codings: the highest order first
        await pilot.press("k")
        await wait_until(pilot, lambda: isinstance(app.screen, ConstructsScreen), "the constructs tree")
        tree = app.screen
        tree.tree.move_cursor(next(n for n in tree._tree_nodes() if n.data == ("construct", theme.id)))
        await pilot.pause()
        text = "\n".join(line.strip() for line in screen_lines(app))
        assert f"interpreted by" not in text  # the theme interprets the long one, not the other way
        assert f"interprets {LONG_NAME}" in text
        assert "also: M move  o order  L unlink  u undo  ? every key" in text
        assert "…" not in "\n".join(screen_lines(app)[-8:])
        tree.tree.move_cursor(next(n for n in tree._tree_nodes() if n.data == ("construct", long.id)))
        await pilot.pause()
        text = "\n".join(line.strip() for line in screen_lines(app))
        assert f"interpreted by Pivotal experiences" in text
    assert rows(small_project, "SELECT count(*) AS n FROM construct_link")[0]["n"] == 1
