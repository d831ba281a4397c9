"""The translation grid screen (issue 11, item 3) on the demo as `make demo` builds it: open the grid
(g), move, open a cell's evidence, judge two cells with notes, undo and redo one, link a suggested
construct; after closing and reopening the app all of it is there, and the same in `workbench grid
--json` and `workbench export grid`."""
from __future__ import annotations

import csv
import json
import shutil

import pytest
from support import DEMO, keys_for, run, wait_until

from workbench.cli import main
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.evidence import EvidenceScreen, NoteScreen
from workbench.tui.screens.grid import GridScreen
from workbench.tui.screens.modals import ChooseScreen

SIZE = (120, 40)
REVIEWER = "worked-example"
WASTED = "Wasted opportunity for knowledge transfer"
REFLECTIONS = "Reflections on personal development"
FAMILY = "Family trumps finances"
DESIRE = "Desire to improve medical resources at home"


@pytest.fixture
def demo(tmp_path, capsys):
    project = tmp_path / "img-return-migration"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("project.db*"))
    assert main(["build", str(project)]) == 0
    capsys.readouterr()
    return project


async def open_grid(pilot) -> GridScreen:
    await pilot.press("g")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, GridScreen), "the grid")
    await pilot.pause()
    return pilot.app.screen


async def open_evidence(pilot) -> EvidenceScreen:
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvidenceScreen), "the cell's evidence")
    await pilot.pause()
    return pilot.app.screen


async def judge(pilot, key: str, note: str) -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NoteScreen), "the note prompt")
    await pilot.press(*keys_for(note), "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, EvidenceScreen), "the evidence again")
    await pilot.pause()


async def test_judging_and_linking_in_the_grid_is_kept_and_is_what_the_cli_shows(demo, capsys):
    app = WorkbenchApp(demo, REVIEWER)
    try:
        async with app.run_test(size=SIZE) as pilot:
            grid = await open_grid(pilot)
            lines = grid.table.plain_lines()
            header = lines[0]
            # studies in chronological order across the top (the fifth is further right)
            assert header.split()[-4:] == ["Heist", "2018", "Frehywot", "2019", "Wu", "2023", "Huang", "2024"][-4:]
            assert [header.index(s) for s in ("Heist 2018", "Frehywot 2019", "Wu 2023", "Huang 2024")] \
                == sorted(header.index(s) for s in ("Heist 2018", "Frehywot 2019", "Wu 2023", "Huang 2024"))
            names = [line.strip() for line in lines[1:]]
            assert names[0].startswith("▾ Challenges associated with professional reintegration")
            assert any(line.startswith("▾ Social and cultural connection to home countries") for line in names)
            assert grid.status_plain.startswith(" Heist 2018 × Disillusionment with state healthcare systems: "
                                                "not judged.")

            await pilot.press("down", "down", "right")  # Wasted opportunity x Frehywot 2019
            assert grid.status_plain.startswith(f" Frehywot 2019 × {WASTED}: not judged. Second-order: {DESIRE}; ")
            evidence = await open_evidence(pilot)
            assert f"{WASTED}  in  Frehywot 2019" in evidence.plain
            assert f"{WASTED} ← {DESIRE}  (interprets)" in evidence.plain
            assert "Judgement: not judged yet" in evidence.plain

            await judge(pilot, "r", "the same loss of skills in other words")
            assert "≡ reciprocal — the same loss of skills in other words" in evidence.plain
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is grid, "the grid again")
            assert "worked-example reciprocal (“the same loss of skills in other words”)" in grid.status_plain

            await pilot.press("down", "down", "left")  # Reflections x Heist 2018
            assert grid.status_plain.startswith(f" Heist 2018 × {REFLECTIONS}: not judged.")
            evidence = await open_evidence(pilot)
            await judge(pilot, "f", "growth is felt as loss here")
            assert "✗ refutational — growth is felt as loss here" in evidence.plain

            await pilot.press("u")
            await wait_until(pilot, lambda: "Judgement: not judged yet" in evidence.plain, "the undo")
            assert app.notices[-1].startswith("Undone: judging Heist 2018 for 'Reflections on personal development'")
            await pilot.press("U")
            await wait_until(pilot, lambda: "refutational — growth is felt as loss here" in evidence.plain, "the redo")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is grid, "the grid again")
            assert "worked-example refutational" in grid.status_plain

            await pilot.press("up", "right")  # Family trumps finances x Frehywot 2019: nothing reaches it yet
            assert grid.status_plain.startswith(f" Frehywot 2019 × {FAMILY}: not judged. Nothing coded in it")
            evidence = await open_evidence(pilot)
            await pilot.press("s")
            await wait_until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the suggestions")
            await pilot.press("enter")  # the best suggestion
            await wait_until(pilot, lambda: app.screen is evidence, "the evidence again")
            await pilot.pause()
            assert app.notices[-1] == f"Linked: “{DESIRE}” interprets “{FAMILY}” (u undoes)."
            assert f"Second-order constructs of the study reaching it: {DESIRE}" in evidence.plain
            assert f"{FAMILY} ← {DESIRE}  (interprets)" in evidence.plain
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is grid, "the grid again")
            assert f"Second-order: {DESIRE}." in grid.status_plain
    finally:
        app.session.close()

    again = WorkbenchApp(demo, REVIEWER)
    try:
        async with again.run_test(size=SIZE) as pilot:
            grid = await open_grid(pilot)
            cells = {(r.concept.name, c.label): cell for r in grid.grid.rows for c, cell in zip(grid.grid.columns,
                                                                                                  r.cells)}
            assert [(j.reviewer, j.kind, j.note) for j in cells[WASTED, "Frehywot 2019"].judgements] == [
                (REVIEWER, "reciprocal", "the same loss of skills in other words")]
            assert [(j.kind, j.note) for j in cells[REFLECTIONS, "Heist 2018"].judgements] == [
                ("refutational", "growth is felt as loss here")]
            assert [n.name for n in cells[FAMILY, "Frehywot 2019"].second_order] == [DESIRE]
            lines = grid.table.plain_lines()
            wasted = next(line for line in lines if line.strip().startswith(WASTED[:20]))
            assert "≡ Desire to impro" in wasted
            reflections = next(line for line in lines if line.strip().startswith(REFLECTIONS[:20]))
            assert "1✗" in reflections and "✗ Pivotal experie" in reflections
    finally:
        again.session.close()

    code, out, err = run(capsys, "grid", demo, "--reviewer", REVIEWER, "--json")
    assert code == 0, err
    shown = json.loads(out)
    labels = {s["id"]: s["label"] for s in shown["studies"]}
    cli = {(r["concept"], labels[c["study"]]): c for r in shown["rows"] for c in r["cells"]}
    assert cli[WASTED, "Frehywot 2019"]["judgements"] == [
        {"reviewer": REVIEWER, "kind": "reciprocal", "note": "the same loss of skills in other words"}]
    assert cli[REFLECTIONS, "Heist 2018"]["judgements"] == [
        {"reviewer": REVIEWER, "kind": "refutational", "note": "growth is felt as loss here"}]
    assert cli[FAMILY, "Frehywot 2019"]["second_order"] == [DESIRE]
    reflections = next(r for r in shown["rows"] if r["concept"] == REFLECTIONS)
    assert reflections["summary"]["refuting"] == 1

    out_file = demo.parent / "grid.csv"
    code, out, err = run(capsys, "export", "grid", demo, "--format", "csv", "--out", out_file)
    assert code == 0, err
    table = list(csv.reader(out_file.open(encoding="utf-8-sig")))
    text = "\n".join(",".join(row) for row in table)
    assert "the same loss of skills in other words" in text
    assert "growth is felt as loss here" in text
    family = next(row for row in table if FAMILY in row)
    assert any(DESIRE in cell for cell in family)
