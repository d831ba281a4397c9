"""How the study text and notifications are drawn (issue 10, items 3-6): the selection over
highlights, toasts with Chinese text, Chinese lines that hold Latin words and numbers, overlaps of
several orders and reviewers."""
from __future__ import annotations

import re
from itertools import combinations

import pytest
from rich.cells import cell_len, get_character_cell_size
from rich.color import ColorSystem
from rich.style import Style
from support import keys_for, wait_until
from textual.geometry import Region

from workbench.store import codings, constructs
from workbench.store.project import Project
from workbench.tui.app import WorkbenchApp
from workbench.tui.colours import ORDER_COLOURS, SELECTION, paint_styles
from workbench.tui.wide_chars import wrap_offsets

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


# --- the selection over highlights (item 3) ---------------------------------------------------------
ORDER_SETS = [frozenset(c) for n in range(4) for c in combinations((1, 2, 3), n)]
PLAIN = Style(color="#e0e0e0", bgcolor="#1e1e1e")  # the text view's own colours (any dark theme)


def seen(style: Style) -> tuple[str, str]:
    """The (text, background) colours a style shows over plain text, in hex (reverse swapped)."""
    shown = PLAIN + style
    fg, bg = shown.color.get_truecolor().hex, shown.bgcolor.get_truecolor().hex
    return (bg, fg) if shown.reverse else (fg, bg)


def eight_bit(hex_colour: str) -> int:
    """The colour number a 256-colour terminal shows for ``hex_colour``."""
    return Style.parse(hex_colour).color.downgrade(ColorSystem.EIGHT_BIT).number


def every_highlight() -> list[Style]:
    """Each style a stretch of coded text can have: any orders of the reviewer's own and of other
    reviewers' codings, each order coded once or more."""
    styles = []
    for mine in ORDER_SETS:
        for others in ORDER_SETS:
            if mine or others:
                for depth in range(len(mine | others), len(mine | others) + 3):
                    styles.extend(paint_styles(mine, others, depth))
    return styles


def test_the_selection_differs_from_every_highlight():
    """Selected text, coded or not, has a background no highlight has, in true colour and in a
    256-colour terminal (where the old selection and second-order text were both colour 23)."""
    highlights = every_highlight()
    assert len(set(highlights)) > 20
    backgrounds = {seen(style)[1] for style in highlights} | {seen(Style())[1]}
    for style in [Style(), *highlights]:
        selected = seen(style + SELECTION)[1]
        assert selected not in backgrounds
        assert eight_bit(selected) not in {eight_bit(bg) for bg in backgrounds}


def drawn(view, offset: int) -> tuple[str, Style]:
    """The character at ``offset`` of the study text and its style, as the view renders it."""
    place = view.wrapped_document.location_to_offset(view.location_of(offset))
    x = 0
    for segment in view.render_line(place.y - int(view.scroll_y)):
        for ch in segment.text:
            if x == place.x:
                return ch, segment.style
            x += get_character_cell_size(ch)
    raise AssertionError(f"offset {offset} is not on screen")


async def test_a_selection_inside_a_second_order_coding_shows(small_project):
    """Heist 2018 opens first; a second-order coding over its first words, then a few words
    selected inside it: the selected characters are drawn reversed (a light background), the rest
    of the coding keeps its teal background."""
    with Project.open(small_project) as project:
        alice = project.reviewer_id("alice")
        theme = constructs.create(project.db, "Pivotal experiences", 2, alice)
        codings.add(project.db, HEIST, theme.id, alice, 0, 40)
    app = WorkbenchApp(small_project, "alice")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            view = app.coding_screen.text_view
            assert view.text.startswith("Medical migration: A qualitative")
            view.select_offsets(8, 17)  # "migration"
            await pilot.pause()
            teal = ORDER_COLOURS[2].single
            for offset in range(40):
                ch, style = drawn(view, offset)
                assert ch == view.text[offset]
                fg, bg = seen(style)
                if 8 <= offset < 17:
                    assert style.reverse and bg not in (teal, PLAIN.bgcolor.name), (offset, ch)
                elif offset != 17:  # the cursor sits after the selection
                    assert not style.reverse and bg == teal, (offset, ch)
    finally:
        app.session.close()


# --- overlaps: every order, and whose (item 6) --------------------------------------------------------
def test_overlaps_show_every_order_present():
    amber, teal, violet = (ORDER_COLOURS[n] for n in (1, 2, 3))
    (alone,) = paint_styles(frozenset({2}))
    assert seen(alone) == ("#f2f2f2", teal.single) and not alone.underline
    # a first-order quote inside a second-order theme: amber behind, teal underlined text
    (quote,) = paint_styles(frozenset({1, 2}), frozenset(), 2)
    assert seen(quote) == (teal.swatch, amber.single) and quote.underline
    # all three orders: amber behind, the characters alternate teal and violet, underlined
    stripes = paint_styles(frozenset({1, 2, 3}), frozenset(), 3)
    assert [seen(s) for s in stripes] == [(teal.swatch, amber.single), (violet.swatch, amber.single)]
    # one order coded twice: deeper
    (twice,) = paint_styles(frozenset({2}), frozenset(), 2)
    assert seen(twice)[1] == teal.overlap
    # other reviewers' codings: italic; the reviewer's and another's on the same text: bold too
    (theirs,) = paint_styles(frozenset(), frozenset({2}))
    (both,) = paint_styles(frozenset({2}), frozenset({2}), 2)
    assert theirs.italic and not theirs.bold and not alone.italic
    assert both.italic and both.bold and seen(both)[1] == teal.overlap


async def test_overlapping_orders_and_reviewers_on_screen(small_project):
    """Heist 2018: alice's second-order theme over 0-40 with her first-order quote on 8-17 and a
    third-order coding on 11-14; ben's second-order coding on 19-32. Blind, ben's is not painted;
    with every reviewer shown (v) it is, in italic, bold where alice's is there too, and the
    legend says so."""
    with Project.open(small_project) as project:
        alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
        theme = constructs.create(project.db, "Pivotal experiences", 2, alice)
        quote = constructs.create(project.db, "Migration as a path", 1, alice, parent="Pivotal experiences")
        concept = constructs.create(project.db, "Reintegration", 3, alice)
        codings.add(project.db, HEIST, theme.id, alice, 0, 40)
        codings.add(project.db, HEIST, quote.id, alice, 8, 17)
        codings.add(project.db, HEIST, concept.id, alice, 11, 14)
        codings.add(project.db, HEIST, theme.id, ben, 19, 50)
    app = WorkbenchApp(small_project, "alice")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            view = app.coding_screen.text_view
            view.move_to_offset(60)
            await pilot.pause()
            amber, teal, violet = (ORDER_COLOURS[n] for n in (1, 2, 3))
            style = {offset: drawn(view, offset)[1] for offset in range(55)}
            assert seen(style[2]) == ("#f2f2f2", teal.single)  # theme only
            assert seen(style[9]) == (teal.swatch, amber.single) and style[9].underline  # quote in theme
            assert [seen(style[c]) for c in (11, 12, 13)] == [(violet.swatch, amber.single),
                                                             (teal.swatch, amber.single),
                                                             (violet.swatch, amber.single)]
            assert not any(s.italic for s in style.values())
            assert style[45].bgcolor is None or seen(style[45])[1] not in (teal.single, teal.overlap)  # ben's: hidden
            assert "others" not in app.coding_screen.status_plain

            await pilot.press("v")
            await wait_until(pilot, lambda: app.coding_screen.session.show_all, "every reviewer shown")
            await pilot.pause()
            style = {offset: drawn(view, offset)[1] for offset in range(55)}
            assert not style[2].italic  # alice's alone
            assert style[25].italic and style[25].bold  # alice's theme and ben's
            assert seen(style[25])[1] == teal.overlap  # second-order coded twice
            assert style[45].italic and not style[45].bold  # ben's alone
            assert seen(style[45]) == ("#f2f2f2", teal.single)
            assert "others" in app.coding_screen.status_plain and "both" in app.coding_screen.status_plain
    finally:
        app.session.close()


# --- CJK lines wrap between CJK characters, never inside a Latin word or number (item 5) ------------
def test_cjk_wraps_between_characters_and_keeps_latin_words_and_numbers_whole():
    text = "数据库(Ovid、Medline)以及1975年"
    # Textual alone folds the whole line at 8 cells: "数据库(O" / "vid、Med" / ...
    assert wrap_offsets(text, 8, 4) == [3, 9, 17, 23]  # 数据库 / (Ovid、 / Medline) / 以及1975 / 年
    assert wrap_offsets(text, 12, 4) == [3, 9, 19]  # 数据库 / (Ovid、 / Medline)以及 / 1975年
    assert wrap_offsets("Returning doctors bring skills", 12, 4) == [10, 18]  # as Textual wraps it


WHOLE = ["Ovid", "ProQuest", "Medline", "Scopus", "EBSCOhost", "1975", "2019", "134", "10个", "(IMG)", "(LMIC)"]


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_the_chinese_abstract_wraps_at_word_boundaries(small_project, size):
    """The review's Chinese abstract (the seed's translation): every wrapped row fits the view,
    no row starts with closing punctuation, and no Latin word or number is cut."""
    app = WorkbenchApp(small_project, "alice")
    try:
        async with app.run_test(size=size) as pilot:
            screen = app.coding_screen
            screen.open_study(NEWMAN)
            await pilot.pause()
            view = screen.text_view
            line = next(i for i, row in enumerate(view.text.split("\n")) if row.startswith("医学人才迁移"))
            rows = view.wrapped_document.lines[line]
            assert len(rows) > 5 and "".join(rows) == view.document.get_line(line)
            for row in rows:
                assert cell_len(row.rstrip()) <= view.wrap_width
                assert row[0] not in ",.:;!?)、。，：；）"
            for word in WHOLE:
                assert any(word in row for row in rows), word
            # and on screen: the row with "Medline" in it shows it whole
            view.move_to_offset(view.starts[line] + view.document.get_line(line).index("Medline"))
            await pilot.pause()
            on_screen = ["".join(row) for row in screen_cells(app)]
            assert any("Medline" in row for row in on_screen)
    finally:
        app.session.close()
