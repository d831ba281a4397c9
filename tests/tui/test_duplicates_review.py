"""Reviewing possible duplicates on the screen (issue 9): the study list marks a flagged study with
≈, the palette opens the review, `d` clears a pair, `s` removes the later study, and `u` brings it
back."""
import json

from support import keys_for, palette_highlight, rows, run, wait_until

from workbench.tui.screens.duplicates import DuplicatesScreen

SIZE = (120, 40)
NEAR = ("Medical migration: a qualitative exploration of the atypical path of Japanese international "
        "medical graduate")  # the seed study's title without its final "s"


def import_near_duplicates(capsys, project, tmp_path) -> tuple[int, int]:
    """Import two records alike the seed studies' titles; returns the ids of the first pair."""
    path = tmp_path / "near.json"
    path.write_text(json.dumps([
        {"title": NEAR, "issued": {"date-parts": [[2018]]}, "abstract": "Another abstract of the same paper."},
        {"title": "Medical diaspora: an underused entity in low and middle income countries health system "
                  "developments", "issued": {"date-parts": [[2019]]}, "abstract": "A second abstract."}]),
        encoding="utf-8")
    code, out, err = run(capsys, "import", project, path, "--json")
    assert code == 0, err
    added = json.loads(out)["added"]
    assert all(a["possible_duplicate_of"] for a in added)
    return added[0]["id"], added[0]["possible_duplicate_of"]


async def open_review(pilot, app) -> DuplicatesScreen:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*keys_for("review possible duplicates"))
    await wait_until(pilot, lambda: palette_highlight(app).startswith("Review possible duplicates"),
                     "the palette to offer the review")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DuplicatesScreen), "the review to open")
    return app.screen


async def test_flagged_studies_are_marked_and_judged_from_the_palette(make_app, small_project, capsys, tmp_path):
    later, earlier = import_near_duplicates(capsys, small_project, tmp_path)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        rows_shown = app.coding_screen.study_list
        assert "≈" in rows_shown.row_text(later) and "≈" in rows_shown.row_text(earlier)
        screen = await open_review(pilot, app)
        lines = screen.plain.splitlines()
        assert lines[0].startswith("2 pairs to review")
        assert lines[1] == ("  1. 2018 no author  Medical migration: a qualitative exploration of the atypical "
                            "path of…  (near.json, 0 codings)")  # the later study first
        assert lines[2].endswith("(heist2018.txt, 0 codings)")
        assert "titles 99% alike; same year; no first author to compare" in screen.plain
        assert "year same · first author missing · DOI missing · PubMed id missing · text different" in screen.plain

        await pilot.press("d")  # the first pair (the most alike): different studies
        await wait_until(pilot, lambda: screen.plain.startswith("1 pair to review"), "the pair to leave the list")
        assert rows(small_project, "SELECT judgement FROM duplicate_pair WHERE study_id = ?", [later])[0][0] \
            == "different"
        assert "≈" not in rows_shown.row_text(later)

        await pilot.press("s")  # the second pair: the same study; the later one is removed
        await wait_until(pilot, lambda: screen.plain.startswith("0 pairs to review"), "the last pair to go")
        removed = rows(small_project, "SELECT id FROM study WHERE removed_at IS NOT NULL")
        assert len(removed) == 1
        assert app.notices[-1] == ("Removed “Medical diaspora: an underused entity i…” (near.json): the same study "
                                   "as “Medical diaspora: an underused entity i…” (frehywot2019.txt), which stays. "
                                   "u undoes.")
        assert removed[0][0] not in [s["id"] for s in app.session.studies]

        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is app.coding_screen, "the coding screen")
        await pilot.press("u")  # undo the removal: the study is back in the list
        await wait_until(pilot, lambda: removed[0][0] in [s["id"] for s in app.session.studies],
                         "the study to come back")
        assert rows(small_project, "SELECT count(*) FROM study WHERE removed_at IS NOT NULL")[0][0] == 0
