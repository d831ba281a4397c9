"""The coding screen driven as a reviewer drives it: keys and mouse, then what the database and
the panels say."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from rich.console import Console
from support import keys_for, palette_highlight, rows, wait_until

from workbench.store import codings, constructs, pins
from workbench.store.project import Project
from workbench.tui.colours import ORDER_COLOURS
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.modals import ChooseScreen, ConfirmScreen
from workbench.tui.screens.picker import ConstructPicker, OrderScreen
from workbench.tui.widgets.study_text import StudyText

HEIST, FREHYWOT, NEWMAN = 1, 2, 3  # study ids in import order (chronological order too)
SIZE = (100, 30)


def live_codings(project: Path) -> list[sqlite3.Row]:
    return rows(project, "SELECT c.*, k.name AS construct, k.construct_order AS k_order, r.name AS reviewer "
                         "FROM coding c JOIN construct k ON k.id = c.construct_id "
                         "JOIN reviewer r ON r.id = c.reviewer_id WHERE c.removed_at IS NULL ORDER BY c.id")


def study_text(project: Path, study_id: int) -> str:
    return rows(project, "SELECT text FROM document WHERE study_id = ?", [study_id])[0]["text"]


def seed_constructs(project_path, reviewer="alice", pin: bool = False):
    """Two constructs made through the store, as the CLI would (with ``pin``, the second-order one
    pinned to number key 1, as ``workbench pins --set 1`` does)."""
    with Project.open(project_path) as project:
        rid = project.reviewer_id(reviewer)
        theme = constructs.create(project.db, "Pivotal experiences", 2, rid)
        quote = constructs.create(project.db, "Dissatisfaction with training", 1, rid, parent="Pivotal experiences")
        if pin:
            pins.pin(project.db, rid, theme.id, 1)
    return theme, quote


def bg_at(view: StudyText, offset: int) -> str | None:
    """Background colour (hex) painted on the character at ``offset``."""
    row, col = view.location_of(offset)
    style = view.get_line(row).get_style_at_offset(Console(), col)
    return style.bgcolor.get_truecolor().hex if style.bgcolor else None


async def test_study_list_shows_studies_with_progress(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        assert screen.study_list.study_ids == [HEIST, FREHYWOT, NEWMAN]  # chronological: 2018, 2019, 2025
        first = screen.study_list.row_text(HEIST)
        assert first.startswith("2018 Medical mig") and first.rstrip().endswith("0 ○")
        assert screen.study_list.row_text(NEWMAN).startswith("2025 Return mig")
        # code twice and mark in progress: the row says 2 and ◐
        theme, _ = seed_constructs(small_project)
        screen.text_view.select_offsets(0, 7)
        screen.apply(0, 7, theme.id)
        screen.text_view.select_offsets(8, 17)
        screen.apply(8, 17, theme.id)
        await pilot.press("t")
        await pilot.pause()
        assert screen.study_list.row_text(HEIST).rstrip().endswith("2 ◐")
        assert "◐ in progress" in screen.status_plain
        # a click on a row opens that study
        await pilot.click(screen.study_list, offset=(3, 2))  # border, then rows 2018, 2019
        await pilot.pause()
        assert screen.session.study_id == FREHYWOT
        assert screen.text_view.text == study_text(small_project, FREHYWOT)
        assert app.focused is screen.text_view
        # by keyboard: shift+tab to the list, down, enter
        await pilot.press("shift+tab")
        assert app.focused is screen.study_list
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.session.study_id == NEWMAN and app.focused is screen.text_view
        # tab walks the panels that take keys: text -> constructs -> study list (the at-cursor
        # panel only shows what is under the cursor)
        await pilot.press("tab")
        assert app.focused is screen.construct_panel
        await pilot.press("tab")
        assert app.focused is screen.study_list


async def test_keyboard_selection_then_code_with_existing_construct(make_app, small_project):
    theme, quote = seed_constructs(small_project, pin=True)
    text = study_text(small_project, HEIST)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = app.coding_screen.text_view
        assert app.focused is view
        # shift+right x7 selects "Medical"; ctrl+shift+right extends by a word
        await pilot.press(*["shift+right"] * 7)
        assert view.selected_text == "Medical"
        await pilot.press("ctrl+shift+right")
        assert view.selection_offsets() == (0, len("Medical migration"))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConstructPicker)
        await pilot.press(*keys_for("pivot"))
        assert app.screen.option_ids[0] == f"c{theme.id}"  # best match first
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.coding_screen
        made = live_codings(small_project)
        assert [(r["span_start"], r["span_end"], r["exact"], r["construct"]) for r in made] == [
            (0, 17, "Medical migration", "Pivotal experiences")]
        assert any("Coded 0-17" in n for n in app.notices)
        # the highlight is painted with the second-order hue, the panel says what is there
        assert bg_at(view, 3) == ORDER_COLOURS[2].single
        assert bg_at(view, 20) is None
        assert "Pivotal experiences" in app.coding_screen.at_cursor.plain
        assert "alice, 0-17" in app.coding_screen.at_cursor.plain

        # ")" goes to the next sentence start, "s" selects the sentence, number key 1 codes it
        await pilot.press("right_parenthesis", "right_parenthesis", "right_parenthesis", "right_parenthesis")
        assert view.cursor_offset == 232  # "Background:", a unit of its own
        await pilot.press("right_parenthesis")
        assert view.cursor_offset == 244  # "International Medical Graduates ..."
        await pilot.press("s")
        a, b = view.selection_offsets()
        assert (a, text[a:b].split()[0]) == (244, "International") and text[b - 1] == "."
        await pilot.press("1")  # pinned to 1: Pivotal experiences
        await pilot.pause()
        made = live_codings(small_project)
        assert made[-1]["exact"] == text[a:b] and made[-1]["construct"] == "Pivotal experiences"
        # construct panel counts follow
        assert "1 Pivotal experiences" in app.coding_screen.construct_panel.plain.replace("  ", " ")


async def highlight_construct(pilot, panel, construct_id: int) -> None:
    """Move the Constructs panel's highlight down to the construct (the panel has focus)."""
    for _ in range(panel.option_count):
        option = panel.highlighted_option
        if option is not None and option.id == f"construct-{construct_id}":
            return
        await pilot.press("down")
    raise AssertionError(f"construct {construct_id} is not in the panel")


async def test_pinned_number_keys_code_with_the_same_construct_until_the_pins_change(make_app, small_project):
    theme, quote = seed_constructs(small_project)
    text = study_text(small_project, HEIST)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        panel = screen.construct_panel
        await pilot.press("tab")
        assert app.focused is panel
        await highlight_construct(pilot, panel, theme.id)
        await pilot.press("p")  # in the Constructs panel, p pins (not "previous study")
        await pilot.pause()
        assert app.notices[-1] == "Pinned “Pivotal experiences” to 1: 1 codes the selection with it."
        assert panel.row_of(theme.id) == "1 Pivotal experiences 0"
        assert screen.session.study_id == HEIST
        # code a sentence with 1, then another construct through the picker, then the next sentence with 1
        screen.text_view.focus()
        screen.text_view.move_to_offset(232)
        await pilot.press("s", "1")
        await pilot.pause()
        await pilot.press("right_parenthesis", "s", "c", *keys_for("dissatisfaction"), "enter")
        await pilot.pause()
        await pilot.press("right_parenthesis", "s", "1")
        await pilot.pause()
        made = [(r["span_start"], r["construct"]) for r in live_codings(small_project)]
        assert [name for _, name in made] == ["Pivotal experiences", "Dissatisfaction with training",
                                              "Pivotal experiences"]
        assert made[0][0] == 232 and made[2][0] > made[1][0] > 232
        # p on the pinned construct unpins it: 1 codes nothing any more
        await pilot.press("tab")
        await highlight_construct(pilot, panel, theme.id)
        await pilot.press("p")
        await pilot.pause()
        assert app.notices[-1] == "Unpinned “Pivotal experiences”: 1 is free."
        assert panel.row_of(theme.id) == "  Pivotal experiences 2"
        await highlight_construct(pilot, panel, quote.id)
        await pilot.press("p")
        await pilot.pause()
        assert panel.row_of(quote.id) == "1 Dissatisfaction with training 1"
    # the pins are the reviewer's, kept in the project: a new session has them
    again = make_app()
    async with again.run_test(size=SIZE):
        assert again.coding_screen.construct_panel.row_of(quote.id) == "1 Dissatisfaction with training 1"
        assert again.session.quick_construct(1).name == "Dissatisfaction with training"
    assert make_app("ben").session.pins == {}


async def test_sentence_steps_extend_the_selection(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = app.coding_screen.text_view
        view.move_to_offset(244)
        await pilot.press("alt+shift+right")
        assert view.selection_offsets() == (244, 435)  # to the end of the sentence
        await pilot.press("alt+shift+right")
        assert view.selection_offsets() == (244, 516)  # and the next
        await pilot.press("alt+shift+left")
        assert view.selection_offsets() == (244, 436)  # back to the start of the second sentence
        await pilot.press("escape")
        assert view.selection_offsets() == (436, 436)
        await pilot.press("left_parenthesis")
        assert view.cursor_offset == 244
        await pilot.press("left_parenthesis")
        assert view.cursor_offset == 232  # "Background:"


async def test_text_cannot_be_edited(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = app.coding_screen.text_view
        view.select_offsets(232, 300)
        await pilot.press("backspace", "delete", "ctrl+k", "ctrl+shift+k", "ctrl+x", "ctrl+w", "ctrl+u",
                          "ctrl+v", "ctrl+z", "ctrl+y", "space", "tab")
        await pilot.pause()
        assert view.text == study_text(small_project, HEIST)


async def test_mouse_drag_selection_then_create_first_order_construct(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = app.coding_screen.text_view
        left = view.gutter.left  # border + padding
        top = view.gutter.top
        await pilot.mouse_down(view, offset=(left + 0, top))
        await pilot.hover(view, offset=(left + 7, top))
        await pilot.mouse_up(view, offset=(left + 7, top))
        assert view.selected_text == "Medical"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*keys_for("in vivo medical"))
        picker = app.screen
        assert picker.option_ids == ["new"]  # nothing matches: only "new construct"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OrderScreen)
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is app.coding_screen  # no construct could be a parent: no parent step
        made = live_codings(small_project)
        assert [(r["exact"], r["construct"], r["k_order"]) for r in made] == [("Medical", "in vivo medical", 1)]
        assert bg_at(view, 0) == ORDER_COLOURS[1].single


async def test_create_second_and_third_order_constructs_with_parents(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        view = screen.text_view

        async def code_new(span, name, order, parent_query=None):
            view.select_offsets(*span)
            await pilot.press("c")
            await pilot.pause()
            await pilot.press(*keys_for(name), "ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, OrderScreen)
            await pilot.press(str(order))
            await pilot.pause()
            if parent_query is not None:
                assert isinstance(app.screen, ConstructPicker) and app.screen.mode == "parent"
                await pilot.press(*keys_for(parent_query))
                await pilot.pause()
                await pilot.press("enter")
                await pilot.pause()
            assert app.screen is screen

        # an overarching third-order construct (nothing to sit under yet)
        await code_new((232, 435), "Reintegration", 3)
        # a third-order construct under it
        await code_new((436, 516), "Wasted skills", 3, parent_query="reint")
        # a second-order construct under the third-order one
        await code_new((517, 602), "Improve training", 2, parent_query="waste")
        k = {r["name"]: r for r in rows(small_project, "SELECT * FROM construct")}
        assert k["Reintegration"]["parent_id"] is None
        assert k["Wasted skills"]["parent_id"] == k["Reintegration"]["id"]
        assert k["Improve training"]["parent_id"] == k["Wasted skills"]["id"]
        assert k["Improve training"]["construct_order"] == 2
        assert [r["construct"] for r in live_codings(small_project)] == [
            "Reintegration", "Wasted skills", "Improve training"]
        assert bg_at(view, 240) == ORDER_COLOURS[3].single
        assert bg_at(view, 520) == ORDER_COLOURS[2].single
        panel = screen.construct_panel.plain
        assert panel.index("second-order (1)") < panel.index("Improve training") < panel.index("third-order (2)")
        assert panel.index("third-order (2)") < panel.index("Reintegration")


async def test_parent_picker_offers_only_allowed_parents(make_app, small_project):
    seed_constructs(small_project)  # a 2nd-order and a 1st-order construct
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.coding_screen.text_view.select_offsets(0, 7)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*keys_for("Brand new theme"), "ctrl+n")
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        picker = app.screen
        assert picker.mode == "parent"
        names = [str(o.prompt) for o in picker.query_one("#matches").options]
        assert names[0] == "(no parent)"
        assert any("Pivotal experiences" in n for n in names)
        assert not any("Dissatisfaction" in n for n in names)  # first-order: cannot be a parent
        await pilot.press("escape")  # cancels the whole creation
        await pilot.pause()
        assert app.screen is app.coding_screen
        assert rows(small_project, "SELECT count(*) AS n FROM construct")[0]["n"] == 2
        assert live_codings(small_project) == []


async def test_codings_survive_quit_and_reopen(make_app, small_project):
    theme, quote = seed_constructs(small_project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.coding_screen.text_view.select_offsets(10, 40)
        app.coding_screen.apply(10, 40, theme.id)
        app.coding_screen.text_view.select_offsets(20, 30)
        app.coding_screen.apply(20, 30, quote.id)
        await pilot.press("q")
    assert app.return_code == 0
    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        view = again.coding_screen.text_view
        assert view.span_count == 2
        assert bg_at(view, 12) == ORDER_COLOURS[2].single
        # the quote inside the theme: the lower order's hue behind, the higher order's in the text, underlined
        assert bg_at(view, 25) == ORDER_COLOURS[1].single
        inside = view.get_line(0).get_style_at_offset(Console(), 25)
        assert inside.underline and inside.color.get_truecolor().hex == ORDER_COLOURS[2].swatch
        # and on screen: the first rendered row carries the painted background
        strip = view.render_line(0)
        painted = {seg.style.bgcolor.get_truecolor().hex for seg in strip if seg.style and seg.style.bgcolor}
        assert ORDER_COLOURS[2].single in painted and ORDER_COLOURS[1].single in painted
        view.move_to_offset(25)
        await pilot.pause()
        panel = again.coding_screen.at_cursor.plain
        assert "[2] Pivotal experiences" in panel and "[1] Dissatisfaction with training" in panel
        assert "alice, 10-40" in panel and "alice, 20-30" in panel
        assert panel.index("[2]") < panel.index("[1]")


async def test_chinese_span_offsets_are_code_points(make_app, small_project):
    text = study_text(small_project, NEWMAN)
    phrase = "国际医学毕业生"
    start = text.index(phrase)
    with Project.open(small_project) as project:
        constructs.create(project.db, "Challenges of reintegration", 3, project.reviewer_id("alice"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")  # 2018 -> 2019 -> 2025, the review with its Chinese abstract
        view = app.coding_screen.text_view
        assert app.coding_screen.session.study_id == NEWMAN
        # TextArea locations and our offsets agree with the Document's own conversion
        for offset in (0, start, start + 3, len(text)):
            loc = view.location_of(offset)
            assert view.document.get_location_from_index(offset) == loc
            assert view.document.get_index_from_location(loc) == offset
        view.move_to_offset(start)
        await pilot.press(*["shift+right"] * len(phrase))
        assert view.selected_text == phrase
        assert view.selection_offsets() == (start, start + len(phrase))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*keys_for("challenges"), "enter")
        await pilot.pause()
        made = live_codings(small_project)
        assert len(made) == 1
        assert (made[0]["span_start"], made[0]["span_end"]) == (start, start + len(phrase))
        assert made[0]["exact"] == text[start:start + len(phrase)] == phrase
        # painted on exactly those characters (each two cells wide on screen)
        assert bg_at(view, start) == ORDER_COLOURS[3].single
        assert bg_at(view, start + len(phrase) - 1) == ORDER_COLOURS[3].single
        assert bg_at(view, start - 1) is None and bg_at(view, start + len(phrase)) is None


async def test_mouse_drag_over_wide_characters_selects_code_points(make_app, small_project):
    text = study_text(small_project, NEWMAN)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.coding_screen.open_study(NEWMAN)
        view = app.coding_screen.text_view
        chinese_line = next(i for i, line in enumerate(text.split("\n")) if line.startswith("医学"))
        view.move_to_offset(view.starts[chinese_line])
        view.scroll_to(y=view.wrapped_document.location_to_offset((chinese_line, 0)).y, animate=False)
        await pilot.pause()
        y = view.wrapped_document.location_to_offset((chinese_line, 0)).y - int(view.scroll_y) + view.gutter.top
        left = view.gutter.left
        await pilot.mouse_down(view, offset=(left, y))
        await pilot.hover(view, offset=(left + 8, y))  # 8 cells = 4 wide characters
        await pilot.mouse_up(view, offset=(left + 8, y))
        a, b = view.selection_offsets()
        assert (a, b) == (view.starts[chinese_line], view.starts[chinese_line] + 4)
        assert view.selected_text == text[a:b] == "医学人才"


async def test_remove_coding_keeps_the_row(make_app, small_project):
    theme, quote = seed_constructs(small_project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        screen.text_view.select_offsets(0, 17)
        screen.apply(0, 17, theme.id)
        screen.text_view.select_offsets(8, 17)
        screen.apply(8, 17, quote.id)
        screen.text_view.move_to_offset(3)  # only the first coding is here
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # changed my mind
        await pilot.pause()
        assert len(live_codings(small_project)) == 2
        screen.text_view.move_to_offset(10)  # two codings here: choose, then confirm
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("down", "enter")  # the second listed: the first-order one
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        all_rows = rows(small_project, "SELECT id, construct_id, removed_at, removed_by FROM coding ORDER BY id")
        assert len(all_rows) == 2  # nothing deleted
        removed = [r for r in all_rows if r["removed_at"] is not None]
        assert [r["construct_id"] for r in removed] == [quote.id] and removed[0]["removed_by"] == 1
        assert rows(small_project, "SELECT count(*) AS n FROM event WHERE action = 'coding.remove'")[0]["n"] == 1
        assert screen.text_view.span_count == 1
        assert "Dissatisfaction" not in screen.at_cursor.plain


async def test_remove_refuses_other_reviewers_codings(make_app, small_project):
    theme, _ = seed_constructs(small_project)
    with Project.open(small_project) as project:
        codings.add(project.db, HEIST, theme.id, project.reviewer_id("ben"), 0, 17)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")  # show every reviewer's codings
        await pilot.pause()
        assert "ben, 0-17" in app.coding_screen.at_cursor.plain
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is app.coding_screen
        assert "only your own" in app.notices[-1]
        assert len(live_codings(small_project)) == 1


async def test_blind_mode_hides_other_reviewers_until_v(make_app, small_project):
    theme, _ = seed_constructs(small_project)
    with Project.open(small_project) as project:
        codings.add(project.db, HEIST, theme.id, project.reviewer_id("ben"), 0, 17)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = app.coding_screen.text_view
        assert view.span_count == 0 and bg_at(view, 3) is None
        assert "Nothing coded" in app.coding_screen.at_cursor.plain
        await pilot.press("v")
        await pilot.pause()
        assert view.span_count == 1 and bg_at(view, 3) == ORDER_COLOURS[2].single
        assert "all reviewers" in app.coding_screen.status_plain
        await pilot.press("v")
        assert view.span_count == 0


async def test_o_cycles_through_overlapping_codings(make_app, small_project):
    theme, quote = seed_constructs(small_project)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        screen.text_view.select_offsets(0, 40)
        screen.apply(0, 40, theme.id)
        screen.text_view.select_offsets(8, 17)
        screen.apply(8, 17, quote.id)
        screen.text_view.move_to_offset(10)
        await pilot.press("o")
        first = screen.text_view.selection_offsets()
        await pilot.press("o")
        second = screen.text_view.selection_offsets()
        await pilot.press("o")
        assert {first, second} == {(0, 40), (8, 17)}
        assert screen.text_view.selection_offsets() == first  # and round again


async def test_t_cycles_status(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        seen = []
        for _ in range(3):
            await pilot.press("t")
            await pilot.pause()
            seen.append(rows(small_project, "SELECT status FROM study_status WHERE study_id = ? AND "
                                            "reviewer_id = 1", [HEIST])[0]["status"])
        assert seen == ["doing", "done", "todo"]
        assert rows(small_project, "SELECT count(*) AS n FROM event WHERE action = 'study.status'")[0]["n"] == 3
        await pilot.press("t", "t")
        await pilot.pause()
        assert app.coding_screen.study_list.row_text(HEIST).rstrip().endswith("●")


async def test_errors_are_notifications_and_nothing_is_written(make_app, small_project):
    seed_constructs(small_project, pin=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")  # nothing selected
        await pilot.pause()
        assert app.screen is app.coding_screen
        assert app.notices[-1] == "Select some text first (shift+arrows or the mouse), or press s for the sentence."
        await pilot.press("5")  # nothing pinned to 5
        assert "Nothing is pinned to 5" in app.notices[-1]
        # coding the same span with the same construct twice: CodingError, shown
        screen = app.coding_screen
        theme = next(c for c in screen.session.constructs.values() if c.order == 2)
        screen.text_view.select_offsets(0, 7)
        screen.apply(0, 7, theme.id)
        screen.text_view.select_offsets(0, 7)
        await pilot.press("1")
        await pilot.pause()
        assert "already coded" in app.notices[-1]
        assert len(live_codings(small_project)) == 1
        # escape in the picker writes nothing
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*keys_for("x"), "escape")
        await pilot.pause()
        assert app.screen is screen and len(live_codings(small_project)) == 1


async def test_help_lists_every_binding(make_app):
    from dataclasses import replace

    from textual.binding import Binding

    from workbench.tui.screens.coding import CodingScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        plain = app.screen.plain
        for cls in (CodingScreen, StudyText, ConstructPicker, OrderScreen):
            for b in Binding.make_bindings(cls.BINDINGS):
                assert (b.tooltip or b.description) in plain, b
                if not b.key.isdigit():
                    assert app.get_key_display(replace(b, key_display=None)) in plain, b
        for text in ("Extend selection to the next sentence end", "Cursor right select", "Cursor word right",
                     "Command palette", "1-9"):
            assert text in plain
        # editing keys do nothing in the read-only text ("Delete" alone is the constructs tree's d)
        assert "Delete character" not in plain and "Delete line" not in plain and "Paste" not in plain
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.coding_screen


async def test_palette_goes_to_study(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*keys_for("go to study return migration"))
        wanted = "Go to study: Return migration"
        await wait_until(pilot, lambda: palette_highlight(app).startswith(wanted),
                         f"the palette to highlight {wanted!r}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.coding_screen.session.study_id == NEWMAN, "the study to open")
        assert app.coding_screen.session.study_id == NEWMAN
        assert app.screen is app.coding_screen
        assert app.coding_screen.text_view.text.startswith("Newman Rhiannon")


async def test_palette_runs_actions(make_app, small_project):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*keys_for("cycle your status"))
        wanted = "Cycle your status"
        await wait_until(pilot, lambda: palette_highlight(app).startswith(wanted),
                         f"the palette to highlight {wanted!r}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: rows(small_project, "SELECT status FROM study_status"),
                         "the status to be written")
        assert rows(small_project, "SELECT status FROM study_status")[0]["status"] == "doing"


async def test_small_terminal_80x24(make_app, small_project):
    """At 80x24 the study list is folded away (n/p, the palette and [ still reach every study):
    the text gets 46 columns, the side panels 32; [ shows the list, ] hides the side panels."""
    theme, _ = seed_constructs(small_project)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.coding_screen
        assert screen.has_class("-narrow")
        assert not screen.study_list.display
        widths = {w: screen.query_one(f"#{w}").region.width for w in ("text", "at-cursor", "constructs")}
        assert widths == {"text": 48, "at-cursor": 32, "constructs": 32}  # with their borders
        assert screen.text_view.size.width == 46  # inside
        assert screen.query_one("#constructs").size.height >= 5
        assert screen.position == "study 1 of 3  [ shows the list"
        await pilot.press("s", "enter")  # enter codes, as c does
        await pilot.pause()
        await pilot.press(*keys_for("pivotal"), "enter")
        await pilot.pause()
        assert live_codings(small_project)[0]["exact"] == "Medical migration: A qualitative exploration of the " \
                                                          "atypical path of Japanese international medical graduates"
        assert screen.study_list.row_text(HEIST).rstrip().endswith("1 ○")
        # [ shows the study list (the text gives way), ] hides the side panels for a wider text
        before = screen.text_view.size.width
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.study_list.display and screen.study_list.region.width == 24
        assert screen.text_view.size.width == before - 24
        assert screen.position == "study 1 of 3"
        await pilot.press("left_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert screen.text_view.size.width == 78  # the whole width inside its border
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert screen.text_view.size.width == before


async def test_large_terminal(make_app):
    app = make_app()
    async with app.run_test(size=(180, 50)):
        screen = app.coding_screen
        assert screen.has_class("-wide")
        assert screen.text_view.size.width > 90
        assert screen.study_list.row_text(HEIST).startswith("2018 Medical migration: a")


def test_unknown_reviewer_fails_fast(small_project):
    from workbench.store.project import ProjectError
    from workbench.tui.app import WorkbenchApp, run

    with pytest.raises(ProjectError, match="unknown reviewer 'carol'.*alice, ben"):
        WorkbenchApp(small_project, "carol")
    with pytest.raises(SystemExit, match="unknown reviewer 'carol'"):
        run(small_project, "carol")
