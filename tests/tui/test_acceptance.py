"""Issue 2's acceptance path, end to end: the demo project built as `make demo` builds it, opened
as `workbench open` opens it, coded by keyboard and by mouse in three orders (one span in the
Chinese abstract of the review), quit, reopened; then the same codings from `workbench codings
--json` and the matrix export, with the exact quotes."""
from __future__ import annotations

import csv
import json
import shutil

from support import DEMO

from workbench.cli import main
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.picker import ConstructPicker, OrderScreen

SIZE = (100, 30)


def typed(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


async def create_and_code(pilot, app, name: str, order: str, parent: str | None = None) -> None:
    """c, type a new construct's name, ctrl+n (enter would pick the best existing match), choose
    its order, then its parent (or none)."""
    await pilot.press("c")
    await pilot.pause()
    assert isinstance(app.screen, ConstructPicker)
    await pilot.press(*typed(name), "ctrl+n")
    await pilot.pause()
    assert isinstance(app.screen, OrderScreen)
    await pilot.press(order)
    await pilot.pause()
    if isinstance(app.screen, ConstructPicker):  # the parent step, offered when a parent is possible
        await pilot.press(*(typed(parent) if parent else []), "enter")  # "(no parent)" comes first
        await pilot.pause()
    assert app.screen is app.coding_screen


async def test_demo_is_coded_in_three_orders_and_the_codings_survive_and_export(tmp_path, capsys):
    project = tmp_path / "img-return-migration"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("project.db*"))
    assert main(["build", str(project)]) == 0

    app = WorkbenchApp(project, "alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = app.coding_screen
            listed = [row["title"] for row in screen.session.studies]
            assert len(listed) == 5 and listed[0].startswith("Medical migration: A qualitative exploration")
            view = screen.text_view
            assert view.text.startswith("Medical migration: A qualitative exploration")

            # keyboard: the word "Medical" (ctrl+shift+right), a first-order construct
            view.move_to_offset(0)
            await pilot.press("ctrl+shift+right")
            assert view.selected_text == "Medical"
            await create_and_code(pilot, app, "Medicine as migration", "2")

            # mouse drag over "migration" on the first row: a first-order construct under it
            left, top = view.gutter.left, view.gutter.top
            await pilot.mouse_down(view, offset=(left + 8, top))
            await pilot.hover(view, offset=(left + 17, top))
            await pilot.mouse_up(view, offset=(left + 17, top))
            assert view.selected_text == "migration"
            await create_and_code(pilot, app, "Migration in the title", "1", parent="Medicine as migration")

            # the review itself (2025, last in chronological order): a phrase of its Chinese abstract
            for _ in range(4):
                await pilot.press("n")
            assert screen.session.study["year"] == 2025
            start = view.text.index("家庭因素胜过经济因素")
            view.move_to_offset(start)
            await pilot.press(*["shift+right"] * 10)
            assert view.selected_text == "家庭因素胜过经济因素"
            await create_and_code(pilot, app, "Family over finances", "3")
            await pilot.press("q")
    finally:
        app.session.close()

    again = WorkbenchApp(project, "alice")
    try:
        async with again.run_test(size=SIZE) as pilot:
            screen = again.coding_screen
            assert screen.text_view.span_count == 2  # Heist 2018, open first, has two codings
            screen.text_view.move_to_offset(3)
            await pilot.pause()
            assert "[2] Medicine as migration" in screen.at_cursor.plain
            assert "alice, 0-7" in screen.at_cursor.plain
            screen.text_view.move_to_offset(10)
            await pilot.pause()
            assert "[1] Migration in the title" in screen.at_cursor.plain
            assert "alice, 8-17" in screen.at_cursor.plain
            for _ in range(4):
                await pilot.press("n")
            assert screen.text_view.span_count == 1
    finally:
        again.session.close()

    capsys.readouterr()
    assert main(["codings", str(project), "--json"]) == 0
    everyone = json.loads(capsys.readouterr().out)  # the demo comes with the worked example's codings
    assert len(everyone) == 43 and sum(c["reviewer"] == "worked-example" for c in everyone) == 40
    assert main(["codings", str(project), "--reviewer", "alice", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    expected = [(2018, 2, "Medicine as migration", None, "Medical"),
                (2018, 1, "Migration in the title", "Medicine as migration", "migration"),
                (2025, 3, "Family over finances", None, "家庭因素胜过经济因素")]
    assert [(c["year"], c["order"], c["construct"], c["parent"], c["quote"]) for c in found] == expected
    assert all(c["reviewer"] == "alice" for c in found)

    out = tmp_path / "matrix.csv"
    assert main(["export", "matrix", str(project), "--format", "csv", "--out", str(out), "--reviewer", "alice"]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert [(int(r["year"]), int(r["order"]), r["construct"], r["parent_construct"] or None, r["quote"])
            for r in rows] == expected
    assert [(int(r["start"]), int(r["end"])) for r in rows] == [(c["start"], c["end"]) for c in found]
