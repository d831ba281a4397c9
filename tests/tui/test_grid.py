"""The translation grid screen (issue 11, item 3) on the demo as `make demo` builds it: open the grid
(g), move, open a cell's evidence, judge two cells with notes, undo and redo one, link a suggested
construct; after closing and reopening the app all of it is there, and the same in `workbench grid
--json` and `workbench export grid`."""
from __future__ import annotations

import csv
import json
import shutil

import pytest
from support import DEMO, keys_for, palette_highlight, run, wait_until

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
    # these tests judge cells themselves: the worked example's own judgements are left out
    codings = project / "worked-example.yaml"
    text = codings.read_text(encoding="utf-8")
    codings.write_text(text[:text.index("\njudgements:")] + "\n", encoding="utf-8")
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


def row_names(grid: GridScreen) -> list[str]:
    return [r.concept.name for r in grid.grid.rows]


async def test_filters_by_key_and_palette_and_clearing_and_unlinking(demo, capsys):
    code, out, err = run(capsys, "translate", demo, "--concept", WASTED, "--study", "4", "--as", "refutational",
                         "--note", "from the command line", "--reviewer", REVIEWER)
    assert code == 0, err
    app = WorkbenchApp(demo, REVIEWER)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("ctrl+p")
            await pilot.press(*keys_for("grid only concepts with a refutation"))
            wanted = "Translation grid: only concepts with a refutation"
            await wait_until(pilot, lambda: palette_highlight(app) == wanted, f"the palette to offer {wanted!r}")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, GridScreen) and app.screen.grid is not None,
                             "the grid")
            grid = app.screen
            assert row_names(grid) == [WASTED]
            assert "only refuted" in grid.query_one("#grid-title").render().plain
            await pilot.press("R")  # again: every concept
            assert len(row_names(grid)) == 5
            await pilot.press("N")  # only unjudged cells: the judged one is blank
            wasted = next(line for line in grid.table.plain_lines() if line.strip().startswith(WASTED[:20]))
            assert "✗" not in wasted.split("?", 1)[1]
            await pilot.press("a")
            await pilot.press("o")
            await wait_until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the overarching constructs")
            await pilot.press("down", "down", "enter")  # every one, Challenges..., Social...
            await wait_until(pilot, lambda: app.screen is grid, "the grid again")
            assert row_names(grid) == [FAMILY]
            await pilot.press("a")
            assert len(row_names(grid)) == 5

            # the CLI's judgement, taken back with x and put back with u
            await pilot.press("ctrl+home", "home", "down", "down", "right")
            evidence = await open_evidence(pilot)
            assert "✗ refutational — from the command line" in evidence.plain
            await pilot.press("x")
            await wait_until(pilot, lambda: "Judgement: not judged yet" in evidence.plain, "the clearing")
            await pilot.press("u")
            await wait_until(pilot, lambda: "refutational — from the command line" in evidence.plain, "the undo")

            # the link that makes Frehywot's construct reach the concept, taken away with L
            await pilot.press("L")
            await wait_until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the links")
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is evidence, "the evidence again")
            await pilot.pause()
            assert app.notices[-1] == f"Unlinked: “{DESIRE}” interprets “{WASTED}” (u undoes)."
            assert DESIRE not in evidence.plain.split("\n")[1]
            await pilot.press("u")
            await wait_until(pilot, lambda: DESIRE in evidence.plain.split("\n")[1], "the link back")

            # enter on a quote: the study text with the quote selected
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is app.coding_screen, "the coding screen")
            view = app.coding_screen.text_view
            assert app.session.study["title"].startswith("Medical diaspora")
            start, end = view.selection_offsets()
            assert view.text[start:end] == evidence.evidence.spans[0].span.exact
    finally:
        app.session.close()


async def test_blind_shows_only_your_judgements_until_v(demo, capsys):
    for reviewer, kind in ((REVIEWER, "reciprocal"), ("alice", "refutational")):
        code, out, err = run(capsys, "translate", demo, "--concept", WASTED, "--study", "4", "--as", kind,
                             "--reviewer", reviewer)
        assert code == 0, err
    app = WorkbenchApp(demo, "alice")
    try:
        async with app.run_test(size=SIZE) as pilot:
            grid = await open_grid(pilot)
            await pilot.press("down", "down", "right")
            assert grid.status_plain.startswith(f" Frehywot 2019 × {WASTED}: alice refutational.")
            assert "alice's work (blind)" in grid.query_one("#grid-title").render().plain
            await pilot.press("v")
            await wait_until(pilot, lambda: "every reviewer's work" in grid.query_one("#grid-title").render().plain,
                             "every reviewer's work")
            assert grid.status_plain.startswith(f" Frehywot 2019 × {WASTED}: alice refutational; "
                                                f"{REVIEWER} reciprocal.")
            wasted = next(line for line in grid.table.plain_lines() if line.strip().startswith(WASTED[:20]))
            assert "≠ Desire to impro" in wasted  # the reviewers differ

            await pilot.press("question_mark")
            await wait_until(pilot, lambda: app.screen.__class__.__name__ == "HelpScreen", "help")
            help_text = app.screen.plain
            assert "Translation grid (g)" in help_text and "Evidence of a grid cell" in help_text
            assert "Judge the cell refutational: the study contradicts the concept (then a note)" in help_text
            assert "≠  reviewers differ" in help_text or "≠" in help_text
    finally:
        app.session.close()


async def test_what_another_process_writes_shows_in_the_open_grid(demo, capsys):
    app = WorkbenchApp(demo, REVIEWER)
    try:
        async with app.run_test(size=SIZE) as pilot:
            grid = await open_grid(pilot)
            await pilot.press("down", "down", "right")
            assert grid.status_plain.startswith(f" Frehywot 2019 × {WASTED}: not judged.")
            code, out, err = run(capsys, "translate", demo, "--concept", WASTED, "--study", "4", "--as",
                                 "line-of-argument", "--note", "a further part", "--reviewer", REVIEWER)
            assert code == 0, err
            await wait_until(pilot, lambda: grid.status_plain.startswith(
                f" Frehywot 2019 × {WASTED}: worked-example line of argument (“a further part”)."),
                "the app's next look at the project")
    finally:
        app.session.close()


async def test_the_concept_column_and_header_stay_while_the_studies_shift_at_80x24(demo):
    app = WorkbenchApp(demo, REVIEWER)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            grid = await open_grid(pilot)
            header = grid.table.plain_lines()[0]
            assert "Heist 2018" in header and "Newman 2025" not in header
            await pilot.press("end")  # the last study: the columns shift, the concepts stay
            lines = grid.table.plain_lines()
            assert "Newman 2025" in lines[0] and "Heist 2018" not in lines[0]
            assert lines[0].startswith(" Concept (3rd-order)")
            assert lines[2].startswith("   Disillusionment")
            assert grid.status_plain.startswith(" Newman 2025 × Disillusionment with state healthcare systems: "
                                                "not judged. 0 first-order quotes, 2 codings of the concept.")
            await pilot.press("home")
            assert "Heist 2018" in grid.table.plain_lines()[0]
            await pilot.press("ctrl+end")
            assert grid.status_plain.startswith(f" Heist 2018 × {REFLECTIONS}: ")
    finally:
        app.session.close()
