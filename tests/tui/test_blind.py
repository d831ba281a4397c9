"""Issue 10, item 2: blind coding is blind. Alice loads the shared codebook, then codes Heist &
Torok with a construct of her own, defines it, links it to a codebook construct and writes memos.
Ben, coding blind, sees the codebook and nothing of hers on any screen (picker, Constructs and
At-cursor panels, the tree, search) until he presses v, which is recorded; v again hides it."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import ROOT, dump, keys_for, rows, run, wait_until

from workbench.store import blind
from workbench.store.project import Project
from workbench.tui.screens.constructs import ConstructsScreen
from workbench.tui.screens.picker import ConstructPicker, OrderScreen
from workbench.tui.screens.search import SearchScreen

SIZE = (120, 40)
HEIST = 1
HERS = "Obligation to family"
HER_DEFINITION = "Staying close to ageing parents"


@pytest.fixture
def alices_work(small_project, capsys) -> Path:
    """The worked example's codebook (loaded by alice: still shared), and alice's own construct
    made while coding Heist [0, 17), with a definition, an 'interprets' link to the codebook's
    "Family trumps finances", a memo on it and a study memo; all through the CLI."""
    p = small_project
    for argv in (
        ("codebook", "load", p, ROOT / "codebooks" / "img-return-migration.yaml", "--reviewer", "alice"),
        ("code", p, "--study", HEIST, "--start", 0, "--end", 17, "--construct", HERS, "--order", 2,
         "--reviewer", "alice"),
        ("construct", "edit", p, HERS, "--definition", HER_DEFINITION, "--reviewer", "alice"),
        ("construct", "link", p, HERS, "interprets", "Family trumps finances", "--reviewer", "alice"),
        ("memo", "set", p, "--construct", HERS, "--reviewer", "alice", "--text", "Filial piety again"),
        ("memo", "set", p, "--study", HEIST, "--reviewer", "alice", "--text", "Piety and duty recur here"),
    ):
        code, _, err = run(capsys, *argv)
        assert code == 0, err
    return p


def her_id(project: Path) -> int:
    return rows(project, "SELECT id FROM construct WHERE name = ?", [HERS])[0]["id"]


async def tree_to(pilot, tree: ConstructsScreen, name: str) -> None:
    """Move the tree's cursor down to the construct called ``name``."""
    for _ in range(40):
        if tree.current is not None and tree.current.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"{name!r} is not in the tree")


async def search_for(pilot, app, query: str) -> SearchScreen:
    await pilot.press("slash")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*keys_for(query))
    await wait_until(pilot, lambda: screen.searched == query, f"the hits for {query!r}")
    return screen


async def test_ben_coding_blind_sees_nothing_alice_added_until_v(make_app, alices_work):
    app = make_app("ben")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        assert app.session.study_id == HEIST
        # the Constructs panel: the shared codebook (loaded by alice) but not her construct
        panel = screen.construct_panel.plain
        assert "Family trumps finances" in panel and "Pivotal experiences" in panel
        assert HERS not in panel
        assert screen.construct_panel.border_title == "Constructs (10)"
        # the At-cursor panel on the span she coded: nothing
        screen.text_view.move_to_offset(5)
        await pilot.pause()
        assert "Nothing coded here." in screen.at_cursor.plain and HERS not in screen.at_cursor.plain

        # the picker does not offer it, and ctrl+n with its exact name is refused before any question
        before = dump(alices_work)
        screen.text_view.select_offsets(0, 17)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*keys_for("obligation to family"))
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ConstructPicker)
        assert f"c{her_id(alices_work)}" not in picker.option_ids and picker.option_ids[-1] == "new"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen is screen and not isinstance(app.screen, OrderScreen)
        assert app.notices[-1] == (
            "Construct not created: 'obligation to family' is the name of a construct another reviewer added, "
            "which you do not see while coding blind: give yours another name (the two can be merged when you "
            "reconcile), or show every reviewer's work first (v on the screen, --all-reviewers on the command line)")
        assert dump(alices_work) == before

        # the tree: not listed, and the codebook construct she linked it to shows no link from it
        await pilot.press("escape", "k")
        await pilot.pause()
        tree = app.screen
        assert isinstance(tree, ConstructsScreen)
        assert not any(HERS in line for line in tree.plain_lines)
        await tree_to(pilot, tree, "Family trumps finances")
        assert "interpreted by" not in str(tree.detail.render())
        await pilot.press("escape")
        await pilot.pause()

        # search: study texts, but not her memos
        found = await search_for(pilot, app, "piety")
        assert found.hits == [] and "memo" not in found.plain
        await pilot.press("escape")
        await pilot.pause()
        assert blind.unblinded_at(app.session.db, app.session.reviewer_id) is None

        # v: everything shows, and the unblinding is recorded
        await pilot.press("v")
        await pilot.pause()
        assert app.notices[-1] == "Showing every reviewer's work: codings, constructs, links and memos (recorded)."
        assert [tuple(r) for r in rows(alices_work, "SELECT r.name, e.action FROM event e JOIN reviewer r ON "
                                                    "r.id = e.reviewer_id WHERE e.action LIKE 'view.%'")] == [
            ("ben", "view.unblind")]
        assert blind.unblinded_at(app.session.db, app.session.reviewer_id) is not None
        assert HERS in screen.construct_panel.plain
        assert screen.construct_panel.border_title == "Constructs (11)"
        screen.text_view.move_to_offset(5)
        await pilot.pause()
        at_cursor = screen.at_cursor.plain
        assert HERS in at_cursor and "alice, 0-17" in at_cursor and "Staying close" in at_cursor  # her definition
        await pilot.press("k")
        await pilot.pause()
        tree = app.screen
        assert any(line.strip().startswith(HERS) for line in tree.plain_lines)
        await tree_to(pilot, tree, "Family trumps finances")
        assert f"interpreted by {HERS}" in str(tree.detail.render())
        await pilot.press("escape")
        await pilot.pause()
        found = await search_for(pilot, app, "piety")
        assert [h.kind for h in found.hits] == ["memo", "memo"]
        assert all(h.title.startswith("alice's memo on") for h in found.hits)
        assert "alice's memo on construct 'Obligation to family'" in [h.title for h in found.hits]
        await pilot.press("escape")
        await pilot.pause()

        # v again: blind again (recorded too), her construct gone from the panels
        await pilot.press("v")
        await pilot.pause()
        assert app.notices[-1] == "Showing only your work and the shared codebook (blind coding)."
        assert HERS not in screen.construct_panel.plain
        assert [c.unblinded for c in blind.view_changes(app.session.db)] == [True, False]


async def test_alice_sees_her_own_construct_blind_and_not_bens(make_app, alices_work, capsys):
    code, _, err = run(capsys, "code", alices_work, "--study", HEIST, "--start", 232, "--end", 300,
                       "--construct", "Return as duty", "--order", 1, "--reviewer", "ben")
    assert code == 0, err
    app = make_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        panel = app.coding_screen.construct_panel.plain
        assert HERS in panel and "Return as duty" not in panel
        await pilot.press("k")
        await pilot.pause()
        tree = app.screen
        await tree_to(pilot, tree, "Family trumps finances")
        assert f"interpreted by {HERS}" in str(tree.detail.render())  # her own link
        assert not any("Return as duty" in line for line in tree.plain_lines)


async def test_v_in_the_tree_unblinds_too_and_is_recorded(make_app, alices_work):
    app = make_app("ben")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("k")
        await pilot.pause()
        tree = app.screen
        assert isinstance(tree, ConstructsScreen) and not any(HERS in line for line in tree.plain_lines)
        await pilot.press("v")
        await pilot.pause()
        assert any(line.strip().startswith(HERS) for line in tree.plain_lines)
        assert [tuple(r) for r in rows(alices_work, "SELECT r.name, e.action FROM event e JOIN reviewer r ON "
                                                    "r.id = e.reviewer_id WHERE e.action LIKE 'view.%'")] == [
            ("ben", "view.unblind")]
