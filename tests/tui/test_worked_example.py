"""The README's walk through the worked example (issue 11, item 6): the demo built as `make demo`
builds it opens coded, the constructs tree shows the studies' constructs that interpret the review's,
and a reviewer coding blind sees the worked example only with `v`."""
from __future__ import annotations

import shutil

import pytest
from support import DEMO

from workbench.cli import main
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.constructs import ConstructsScreen

SIZE = (120, 40)


@pytest.fixture
def demo(tmp_path, capsys):
    project = tmp_path / "img-return-migration"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("project.db*"))
    assert main(["build", str(project)]) == 0
    capsys.readouterr()
    return project


async def test_the_worked_example_opens_coded_and_its_links_show_in_the_tree(demo):
    app = WorkbenchApp(demo, "worked-example")
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.coding_screen
            view = screen.text_view
            assert view.text.startswith("Medical migration: A qualitative exploration")  # Heist 2018, first
            assert view.span_count == 5
            view.move_to_offset(view.text.index("pivotal experiences that often include") + 5)
            await pilot.pause()
            assert "[2] Pivotal experiences" in screen.at_cursor.plain
            assert "worked-example" in screen.at_cursor.plain

            for _ in range(4):  # to the review itself, last in chronological order
                await pilot.press("n")
            assert screen.session.study["year"] == 2025
            assert view.span_count == 14
            view.move_to_offset(view.text.index("宝贵知识转移的机会浪费") + 2)
            await pilot.pause()
            assert "[3] Wasted opportunity for knowledge transfer" in screen.at_cursor.plain

            await pilot.press("k")
            await pilot.pause()
            tree = app.screen
            assert isinstance(tree, ConstructsScreen)
            assert tree.current.name == "Wasted opportunity for knowledge transfer"
            # the lines under the tree: the second-order constructs that interpret it (wrapped, not cut)
            detail = " ".join(str(tree.detail.render()).split())
            assert ("interpreted by Desire to improve Japanese clinical training, Desire to improve medical "
                    "resources at home, Diasp") in detail and "Knowledge exchange networks" in detail
            assert any(line.strip().startswith("Knowledge exchange networks  worked-example 3")
                       for line in tree.plain_lines)
    finally:
        app.session.close()


async def test_a_blind_reviewer_sees_the_worked_example_only_with_v(demo):
    app = WorkbenchApp(demo, "alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            view = app.coding_screen.text_view
            assert view.span_count == 0
            await pilot.press("v")
            await pilot.pause()
            assert view.span_count == 5
    finally:
        app.session.close()
