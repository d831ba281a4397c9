"""Issue 11 in the TUI, on the worked-example demo: spans rolled up along links in the constructs
tree (item 3), the study order shown in the study list and changed from the palette (item 1), the
juxtaposition screen (item 2) and the synthesis screen with its relations (item 5). Expected texts
are written by hand from the demo's codings file (worked-example.yaml) and codebook."""
from __future__ import annotations

import json
import shutil

import pytest
from support import DEMO, keys_for, palette_highlight, rows, wait_until

from workbench.cli import main
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.concepts import ConceptsScreen
from workbench.tui.screens.constructs import ConstructsScreen
from workbench.tui.screens.memo import MemoScreen
from workbench.tui.screens.modals import ChooseScreen, InputScreen
from workbench.tui.screens.spans import SpansScreen
from workbench.tui.screens.synthesis import SynthesisScreen

SIZE = (120, 40)
SOCIAL = "Social and cultural connection to home countries"


@pytest.fixture
def demo(tmp_path, capsys):
    project = tmp_path / "img-return-migration"
    shutil.copytree(DEMO, project, ignore=shutil.ignore_patterns("project.db*"))
    assert main(["build", str(project)]) == 0
    capsys.readouterr()
    return project


@pytest.fixture
def open_app(demo):
    made: list[WorkbenchApp] = []

    def make(reviewer: str = "worked-example") -> WorkbenchApp:
        app = WorkbenchApp(demo, reviewer)
        made.append(app)
        return app

    yield make
    for app in made:
        app.session.close()


def construct_id(app, name: str) -> int:
    return next(c.id for c in app.session.constructs.values() if c.name == name)


async def palette(pilot, app, typed: str, wanted: str) -> None:
    """Run the palette command ``wanted``, found by typing ``typed``."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*keys_for(typed))
    await wait_until(pilot, lambda: palette_highlight(app) == wanted, f"the palette to highlight {wanted!r}")
    await pilot.press("enter")
    await pilot.pause()


def cli_json(capsys, *args) -> dict | list:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


async def test_spans_of_a_third_order_construct_roll_up_along_links_marked_by_route(open_app):
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        app.show_constructs(select=construct_id(app, SOCIAL))
        await pilot.pause()
        tree = app.screen
        assert isinstance(tree, ConstructsScreen) and tree.current.name == SOCIAL
        await pilot.press("j")
        await wait_until(pilot, lambda: isinstance(app.screen, SpansScreen), "the spans to open")
        spans = app.screen
        heading = str(spans.query_one(".dialog-body").render())
        # coded twice itself (the review's two abstracts); seven more through its constructs
        assert heading == (f"[3] {SOCIAL}: 9 coded spans (yours), in study order; 2 coded with it, "
                           "7 reached through links")
        lines = spans.plain.split("\n")
        routes = [line.strip() for line in lines if line.strip().startswith("↳")]
        assert routes == [
            f"↳ via “Sentimental and material links with the homeland” interprets “{SOCIAL}”",
            f"↳ via “Sentimental and material links with the homeland” interprets “{SOCIAL}”",
            f"↳ via “Professional ties with the country of origin” interprets “{SOCIAL}”",
            f"↳ via “Indebted and obliged to help” supports “Professional ties with the country of origin” "
            f"interprets “{SOCIAL}”",
            f"↳ via “Indebted and obliged to help” supports “Professional ties with the country of origin” "
            f"interprets “{SOCIAL}”",
            f"↳ via “Family trumps finances” is under “{SOCIAL}”",
            f"↳ via “Family trumps finances” is under “{SOCIAL}”",
        ]
        assert lines[0].startswith("  1. 2019 Frehywot") and "«maintain strong sentimental and material" in lines[1]
        # the fourth span (Frehywot's first-order "indebted" quote): enter opens the study there
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        assert app.screen is app.coding_screen
        view = app.coding_screen.text_view
        assert app.session.study["year"] == 2019
        assert view.selected_text.startswith("felt indebted to their countries of orig")


async def test_study_order_shown_in_the_list_and_changed_from_the_palette_undoably(open_app, demo, capsys):
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        studies = app.coding_screen.study_list
        assert studies.border_subtitle == "chronological"
        first = [app.session.study_row(i)["year"] for i in studies.study_ids]
        assert first == [2018, 2019, 2023, 2024, 2025]
        for _ in range(4):
            await pilot.press("n")
        assert app.session.study["year"] == 2025  # the review, Newman & Rashid
        await palette(pilot, app, "index paper", "Study order: the open study as the index paper")
        assert studies.border_subtitle == "index: Newman 2025"
        assert [app.session.study_row(i)["year"] for i in studies.study_ids] == [2025, 2018, 2019, 2023, 2024]

        await palette(pilot, app, "open study down", "Study order: move the open study down")
        assert studies.border_subtitle == "by hand"
        assert [app.session.study_row(i)["year"] for i in studies.study_ids] == [2018, 2025, 2019, 2023, 2024]
        await palette(pilot, app, "give its reason", "Study order: give its reason")
        assert isinstance(app.screen, InputScreen)
        await pilot.press(*keys_for("the richest primary study first"), "enter")
        await pilot.pause()
        assert studies.border_subtitle == "by hand: the richest primary study first"
        assert [dict(r) for r in rows(demo, "SELECT rule, reason FROM study_order")] == [
            {"rule": "hand", "reason": "the richest primary study first"}]

        await palette(pilot, app, "open study up", "Study order: move the open study up")
        assert [app.session.study_row(i)["year"] for i in studies.study_ids] == [2025, 2018, 2019, 2023, 2024]
        await pilot.press("u")  # undone: one place down again, the reason kept
        await pilot.pause()
        assert studies.border_subtitle == "by hand: the richest primary study first"
        assert [app.session.study_row(i)["year"] for i in studies.study_ids] == [2018, 2025, 2019, 2023, 2024]
        await palette(pilot, app, "chronological", "Study order: chronological")
        assert studies.border_subtitle == "chronological"
        assert [app.session.study_row(i)["year"] for i in studies.study_ids] == [2018, 2019, 2023, 2024, 2025]
        # the open study cannot go past the end: refused in words, nothing written
        await palette(pilot, app, "open study down", "Study order: move the open study down")
        assert app.notices[-1] == "Study order not changed: Newman 2025 is last in the study order already"

        # set from the command line meanwhile: the list follows by itself
        assert main(["order", str(demo), "--index", "Medical diaspora", "--reason", "the widest account",
                     "--reviewer", "alice"]) == 0
        await wait_until(pilot, lambda: studies.border_subtitle == "index: Frehywot 2019 (the widest account)",
                         "the study list to follow the order set outside")
        assert [app.session.study_row(i)["year"] for i in studies.study_ids] == [2019, 2018, 2023, 2024, 2025]
    shown = cli_json(capsys, "order", str(demo))  # the CLI twin reads the same order
    assert (shown["rule"], [s["label"] for s in shown["studies"]]) == (
        "index", ["Frehywot 2019", "Heist 2018", "Wu 2023", "Huang 2024", "Newman 2025"])


async def test_juxtaposition_lists_each_studys_concepts_and_enter_opens_their_spans(open_app):
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConceptsScreen)
        lines = [line.rstrip() for line in screen.plain.split("\n")]
        assert lines[0] == ("Key concepts of each study (juxtaposition) · your codings · study order: chronological")
        frehywot = lines.index("Frehywot 2019  6 second-order constructs")
        assert lines[frehywot + 5:frehywot + 7] == [
            "  [2] Professional ties with the country of origin  1 coding; 2 first-order codings under it",
            "      [1] Indebted and obliged to help  2",
        ]
        assert lines[-2:] == ["Newman 2025  0 second-order constructs",
                              "    no second- or first-order constructs coded"]
        assert "Huang 2024  2 second-order constructs" in lines
        # the cursor starts on Heist's first construct; to Frehywot's "Professional ties"
        options = screen.options
        options.highlighted = next(i for i, o in enumerate(options.options)
                                   if "Professional ties" in str(o.prompt))
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SpansScreen), "the spans to open")
        heading = str(app.screen.query_one(".dialog-body").render())
        assert heading == ("[2] Professional ties with the country of origin: 3 coded spans (yours), in Frehywot "
                           "2019, in text order; 1 coded with it, 2 reached through links")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.coding_screen
        assert app.session.study["year"] == 2019
        assert app.coding_screen.text_view.selected_text.startswith("felt indebted to their countries")

        # the palette opens it too, and the synthesis; escape goes back to the coding screen
        await palette(pilot, app, "key concepts",
                      "Each study's key concepts: its second-order constructs with the first-order ones under them")
        assert isinstance(app.screen, ConceptsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.coding_screen
        await palette(pilot, app, "synthesis line of argument",
                      "The synthesis: third-order constructs with their studies, and the line of argument")
        assert isinstance(app.screen, SynthesisScreen)


async def test_a_blind_reviewer_sees_only_their_own_concepts_until_v(open_app, demo):
    # ben, coding, makes a third-order construct of his own: alice, blind, does not see it
    assert main(["code", str(demo), "--study", "1", "--start", "0", "--end", "10", "--construct", "Ben's theme",
                 "--order", "3", "--reviewer", "ben"]) == 0
    app = open_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("J")
        await pilot.pause()
        screen = app.screen
        assert screen.plain.count("no second- or first-order constructs coded") == 5
        await pilot.press("Y")
        await pilot.pause()
        assert isinstance(app.screen, SynthesisScreen)
        assert "Ben's theme" not in app.screen.plain
        assert "Family trumps finances  contributing: —" in app.screen.plain  # alice coded nothing yet
        await pilot.press("J")
        await pilot.pause()
        screen = app.screen
        await pilot.press("v")
        await pilot.pause()
        assert "every reviewer’s codings" in screen.plain
        assert "Frehywot 2019  6 second-order constructs" in screen.plain
        await pilot.press("Y")
        await pilot.pause()
        assert "Ben's theme  contributing: Newman 2025" in app.screen.plain


async def test_synthesis_shows_the_hierarchy_and_relates_constructs_undoably(open_app, demo, capsys):
    app = open_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("Y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SynthesisScreen)
        lines = [line.rstrip() for line in screen.plain.split("\n")]
        assert lines[0] == ("Synthesis · 2 overarching and 5 other third-order constructs, 0 relations · your "
                            "codings and judgements · m: the line of argument")
        assert lines[1] == ("[3] Challenges associated with professional reintegration  studies: Heist 2018, "
                            "Frehywot 2019, Wu 2023, Newman 2025")
        assert lines[2] == ("  [3] Disillusionment with state healthcare systems  contributing: Frehywot 2019, "
                            "Newman 2025")
        assert lines[3] == "    [2] Dissatisfaction with the state at home  (Frehywot 2019)"
        assert "  [3] Family trumps finances  contributing: Newman 2025" in lines
        assert "under no overarching construct  studies: Heist 2018, Newman 2025" in lines

        # r on "Disillusionment...": leads to, then "Drive to private practice"
        screen.tree.move_cursor(screen.tree.get_node_at_line(1))
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseScreen), "the kinds to open")
        await pilot.press("enter")  # the first: leads to
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseScreen)
                         and app.screen.dialog_title.endswith("which construct?"), "the constructs to open")
        choices = app.screen.items
        await pilot.press(*["down"] * next(i for i, (_, n) in enumerate(choices) if n == "Drive to private practice"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, "the synthesis again")
        assert app.notices[-1] == ("Related: Disillusionment with state healthcare systems leads to Drive to "
                                   "private practice (u undoes).")
        assert "    → leads to Drive to private practice" in screen.plain.split("\n")
        assert ", 1 relation ·" in screen.plain

        # u takes it back, U puts it again; x on the relation removes it
        await pilot.press("u")
        await pilot.pause()
        assert "→ leads to" not in screen.plain
        await pilot.press("U")
        await pilot.pause()
        assert "    → leads to Drive to private practice" in screen.plain.split("\n")
        assert [dict(r) for r in rows(demo, "SELECT kind FROM synthesis_relation")] == [{"kind": "leads_to"}]
        screen.tree.move_cursor(next(screen.tree.get_node_at_line(n) for n in range(screen.tree.last_line + 1)
                                     if str(screen.tree.get_node_at_line(n).label).startswith("→")))
        await pilot.press("x")
        await pilot.pause()
        assert "→ leads to" not in screen.plain
        assert [dict(r) for r in rows(demo, "SELECT kind FROM synthesis_relation")] == []
        assert app.notices[-1].startswith("Removed: Disillusionment with state healthcare systems leads to")

        # enter on a construct: its spans, rolled up along links (the tree stays unfolded)
        tree = screen.tree
        wasted = next(tree.get_node_at_line(n) for n in range(tree.last_line + 1)
                      if "Wasted opportunity" in str(tree.get_node_at_line(n).label))
        tree.move_cursor(wasted)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SpansScreen), "the spans to open")
        assert str(app.screen.query_one(".dialog-body").render()) == (
            "[3] Wasted opportunity for knowledge transfer: 12 coded spans (yours), in study order; 2 coded with "
            "it, 10 reached through links")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and wasted.is_expanded

        # m: the line-of-argument narrative, the project memo
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, MemoScreen), "the memo editor")
        await pilot.press(*keys_for("Disillusionment leads to private practice."), "ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, "the synthesis again")
        assert [dict(r) for r in rows(demo, "SELECT text FROM memo WHERE target_kind = 'project'")] == [
            {"text": "Disillusionment leads to private practice."}]
