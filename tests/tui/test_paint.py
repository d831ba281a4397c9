"""How the study text and notifications are drawn (issue 10, items 3-6): the selection over
highlights, toasts with Chinese text, Chinese lines that hold Latin words and numbers, overlaps of
several orders and reviewers."""
from __future__ import annotations

import re

import pytest
from rich.cells import get_character_cell_size
from support import keys_for, wait_until
from textual.geometry import Region

from workbench.store import constructs
from workbench.store.project import Project
from workbench.tui.app import WorkbenchApp

HEIST, FREHYWOT, NEWMAN = 1, 2, 3  # study ids in import order


def cells(text: str) -> list[str]:
    """A screen line as terminal cells: a wide character, then "" for the cell it also covers."""
    out: list[str] = []
    for ch in text:
        out.append(ch)
        out.extend([""] * (get_character_cell_size(ch) - 1))
    return out


def screen_cells(app) -> list[list[str]]:
    """The whole screen as the terminal shows it after a full redraw, cell by cell."""
    return [cells(strip.text) for strip in app.screen._compositor.render_strips()]


def painted(sequences: str, screen: list[list[str]]) -> set[tuple[int, int]]:
    """Write a partial update (terminal escape sequences) onto ``screen`` as a terminal would; the
    cells it wrote. A wide character written over half a cell pair clears the pair."""
    written: set[tuple[int, int]] = set()
    x = y = 0
    for move, text in re.findall(r"\x1b\[(\d+;\d+H|[0-9;]*[A-Za-z])|([^\x1b]+)", sequences):
        if move.endswith("H") and ";" in move:
            row, column = move[:-1].split(";")
            y, x = int(row) - 1, int(column) - 1
            continue
        for ch in text.replace("\n", ""):
            screen[y][x] = ch
            written.add((x, y))
            if get_character_cell_size(ch) == 2:
                screen[y][x + 1] = ""
                written.add((x + 1, y))
            x += get_character_cell_size(ch)
    return written


def visible(app, widget) -> Region:
    """The part of the screen a widget shows (its region less what its containers clip off)."""
    region, clip = app.screen._compositor.visible_widgets[widget]
    return region.intersection(clip)


def toast_lines(app, toast) -> tuple[list[str], list[str]]:
    """The toast's visible lines as it draws them, and as the composed screen shows them."""
    shown = visible(app, toast)
    own = toast.render_lines(Region(0, shown.y - toast.region.y, toast.region.width, shown.height))
    rows = app.screen._compositor.render_strips()
    return ([strip.text for strip in own],
            [rows[y].crop(shown.x, shown.right).text for y in range(shown.y, shown.bottom)])


# the sentence of the Chinese abstract that holds both phrases the issue saw cut: long enough for
# the toast's quote to run over the panels' edges on every row
SENTENCE = ("本综述中经历的共性表明,虽然回国原因中家庭因素胜过经济因素,但对祖国国家医疗体系的失望促使人们转向"
            "私人执业,也造成了宝贵知识转移的机会浪费。")


def wide_char_cut(app, toast) -> tuple[int, int] | None:
    """A cell (x, y) under the toast where the screen is cut (a widget's edge) between the two
    cells of one of the toast's wide characters, or None."""
    cuts = app.screen._compositor.cuts
    shown = visible(app, toast)
    for row, strip in enumerate(toast.render_lines(toast.region.reset_offset)):
        y = toast.region.y + row
        if y not in range(shown.y, shown.bottom):
            continue
        x = toast.region.x
        for ch in strip.text:
            if get_character_cell_size(ch) == 2 and x + 1 in cuts[y]:
                return x + 1, y
            x += get_character_cell_size(ch)
    return None


@pytest.mark.parametrize(("size", "phrase"), [((80, 24), "家庭因素胜过经济因素"),
                                              ((120, 40), "宝贵知识转移的机会浪费")])
async def test_a_toast_keeps_every_chinese_character(small_project, size, phrase):
    """Coding a sentence of the Chinese abstract with a construct named in Chinese: the toast, over
    the study text and the panels' edges, is on screen exactly as it draws itself, the construct's
    name whole, also after a partial redraw of the text under it."""
    with Project.open(small_project) as project:
        constructs.create(project.db, phrase, 2, project.reviewer_id("alice"))
    app = WorkbenchApp(small_project, "alice")
    try:
        async with app.run_test(size=size, notifications=True) as pilot:
            screen = app.coding_screen
            screen.open_study(NEWMAN)
            start = screen.session.text.index(SENTENCE)
            screen.text_view.select_offsets(start, start + len(SENTENCE))
            await pilot.press("c")
            await pilot.press(*keys_for(phrase), "enter")
            await wait_until(pilot, lambda: app.screen.query("Toast"), "the toast")
            await pilot.pause()
            toast = app.screen.query_one("Toast")
            cut = wide_char_cut(app, toast)
            assert cut is not None  # else this test would show nothing
            own, shown = toast_lines(app, toast)
            assert shown == own
            assert phrase in "".join("".join(line.split()) for line in shown)

            # a partial redraw of a stretch that ends inside one of the toast's wide characters
            # (the one left of the cut): the terminal still shows every character
            full = screen_cells(app)
            terminal = [row[:] for row in full]
            x, y = cut
            assert full[y][x - 3] and not full[y][x - 2]  # a wide character on x-3 and x-2
            compositor = app.screen._compositor
            compositor._dirty_regions.add(Region(0, y, x - 2, 1))
            update = compositor.render_partial_update()
            painted(update.render_segments(app.console), terminal)
            assert terminal == full
    finally:
        app.session.close()
