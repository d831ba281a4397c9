"""The translation grid as a table: concept rows (under their overarching constructs) x study columns.

A Line-API widget (``ScrollView`` + ``render_line``): only the lines on screen are built, and of
them only the columns in view, so 200 concepts x 100 studies moves as fast as the demo's 5 x 5.
The concept column and the row summary beside it stay at the left, the study header at the top,
while the cells scroll under them. Arrows move the cursor cell, home/end go to the first/last
study, pgup/pgdn a page of concepts, ctrl+home/ctrl+end the first/last concept; a click puts the
cursor on a cell. Each move posts ``GridTable.Moved``; enter posts ``GridTable.Chosen``.
"""
from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.translation import Cell, Grid, Row
from ..colours import ORDER_COLOURS
from .fit import clip, pad

# one mark and colour per judgement; "mixed" when the reviewers shown judged a cell differently
MARKS: dict[str | None, tuple[str, str]] = {
    "reciprocal": ("≡", "#4ec27a"),
    "refutational": ("✗", "#e5534b"),
    "line_of_argument": ("→", "#5fa8f5"),
    "not_addressed": ("∅", "#a0a0a0"),
    "mixed": ("≠", "#e0a526"),
    None: ("·", "#707070"),
}
MARK_WORDS = {"reciprocal": "reciprocal", "refutational": "refutational", "line_of_argument": "line of argument",
              "not_addressed": "not addressed", "mixed": "reviewers differ", None: "not judged"}
SUMMARY_WIDTH = 12  # "  3✓ 1✗  2? "


def cell_mark(cell: Cell) -> str | None:
    """The key of the cell's mark: its one kind, "mixed" when the reviewers shown differ, None."""
    kinds = cell.kinds
    if not kinds:
        return None
    return next(iter(kinds)) if len(kinds) == 1 else "mixed"


def legend() -> Text:
    """One line: each mark in its colour with its meaning, and what the numbers count."""
    text = Text()
    for key in ("reciprocal", "refutational", "line_of_argument", "not_addressed", None, "mixed"):
        mark, colour = MARKS[key]
        text.append(mark, Style(color=colour, bold=True))
        text.append(f" {MARK_WORDS[key]}  ")
    text.append("2q", Style(bold=True))
    text.append(" first-order quotes  ")
    text.append("1c", Style(bold=True))
    text.append(" codings of the concept  ")
    text.append("✓ ✗ ?", Style(bold=True))
    text.append(" studies contributing, refuting, not judged")
    return text


def grid_mark_rows() -> list[tuple[str, str]]:
    """(mark, meaning) for the help screen."""
    return [(MARKS[k][0], MARK_WORDS[k]) for k in ("reciprocal", "refutational", "line_of_argument", "not_addressed",
                                                   None, "mixed")] + [
        ("2q 1c", "first-order quotes under the study's second-order constructs; codings of the concept itself"),
        ("✓ ✗ ?", "per concept: studies contributing, refuting, not judged")]


def cell_text(cell: Cell, width: int, hidden: bool = False) -> Text:
    """The cell in ``width`` cells: its mark, its second-order constructs' names (cut to fit) and
    the counts (``2q`` first-order quotes, ``1c`` codings of the concept). ``hidden``: a judged
    cell while only unjudged ones are shown (blank)."""
    text = Text(no_wrap=True, end="")
    if hidden:
        text.append(" " * width)
        return text
    key = cell_mark(cell)
    mark, colour = MARKS[key]
    text.append(" ")
    text.append(mark, Style(color=colour, bold=key is not None))
    counts = " ".join(part for part in (f"{cell.first_order_codings}q" if cell.first_order_codings else "",
                                        f"{cell.concept_codings}c" if cell.concept_codings else "") if part)
    room = width - 3 - (cell_len(counts) + 1 if counts else 0)
    names = "; ".join(n.name for n in cell.second_order)
    text.append(" ")
    text.append(pad(names, max(0, room)), Style(color=ORDER_COLOURS[2].swatch))
    if counts:
        text.append(" " + counts, Style(dim=True))
    text.append(" " * max(0, width - text.cell_len))
    return text


def summary_text(row: Row) -> Text:
    s = row.summary
    text = Text(no_wrap=True, end="")
    text.append(f"{s.contributing:>3}✓", Style(color=MARKS["reciprocal"][1]))
    text.append(f"{s.refuting:>2}✗", Style(color=MARKS["refutational"][1], bold=bool(s.refuting)))
    text.append(f"{s.unjudged:>3}?", Style(dim=not s.unjudged))
    text.append(" " * (SUMMARY_WIDTH - text.cell_len))
    return text


class GridTable(ScrollView, can_focus=True):
    """The grid's cells under a frozen header, right of a frozen concept column."""

    BINDINGS: ClassVar = [
        Binding("up", "move(0, -1)", "Previous concept", show=False),
        Binding("down", "move(0, 1)", "Next concept", show=False),
        Binding("left", "move(-1, 0)", "Previous study", show=False),
        Binding("right", "move(1, 0)", "Next study", show=False),
        Binding("home", "edge(-1)", "First study", show=False),
        Binding("end", "edge(1)", "Last study", show=False),
        Binding("ctrl+home", "top(-1)", "First concept", show=False),
        Binding("ctrl+end", "top(1)", "Last concept", show=False),
        Binding("pageup", "page(-1)", "A page of concepts up", show=False),
        Binding("pagedown", "page(1)", "A page of concepts down", show=False),
        Binding("enter", "choose", "Evidence of the cell: its quotes, judgements and links", show=False),
    ]

    COMPONENT_CLASSES: ClassVar = {"grid-table--cursor"}

    DEFAULT_CSS = """
    GridTable {
        overflow-x: hidden;
        & > .grid-table--cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus > .grid-table--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
    }
    """

    class Moved(Message):
        """The cursor is on another cell."""

    class Chosen(Message):
        """Enter (or a click on the cursor cell): open the cell's evidence."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.grid: Grid | None = None
        self.row = 0  # cursor: index into grid.rows
        self.left = 0  # the first study column in view
        self.column = 0  # cursor: index into grid.columns
        self.empty_words = "No concepts yet."
        self._lines: list[tuple[str, int]] = []  # ("group", index into groups) or ("row", index into rows)
        self._line_of_row: list[int] = []
        self._groups: list = []
        self._cache: dict[tuple, Strip] = {}  # whole lines
        self._pieces: dict[tuple, Strip] = {}  # a row's frozen part, and each cell
        self._known_width = 80  # the width as last read (reading it is not free, and a line needs it often)

    # --- content ---------------------------------------------------------------------------------
    def show(self, grid: Grid, concept_id: int | None = None, study_id: int | None = None) -> None:
        """Show ``grid``; the cursor goes to the concept and study given (if shown), else stays
        where it was as far as the new grid allows."""
        self.grid = grid
        self._groups = grid.groups()
        self._lines, self._line_of_row = [], []
        index = 0
        several = len(self._groups) > 1 or (self._groups and self._groups[0][0] is not None)
        for g, (group, rows) in enumerate(self._groups):
            if several:
                self._lines.append(("group", g))
            for _ in rows:
                self._line_of_row.append(len(self._lines))
                self._lines.append(("row", index))
                index += 1
        rows = [r.concept.id for r in grid.rows]
        columns = [c.id for c in grid.columns]
        if concept_id in rows:
            self.row = rows.index(concept_id)
        if study_id in columns:
            self.column = columns.index(study_id)
        self.row = max(0, min(self.row, len(rows) - 1))
        self.column = max(0, min(self.column, len(columns) - 1))
        self._cache.clear()
        self._pieces.clear()
        self._size_up()
        self.refresh()
        self.call_after_refresh(self._scroll_to_cursor)

    @property
    def current_row(self) -> Row | None:
        return self.grid.rows[self.row] if self.grid and self.grid.rows else None

    @property
    def current_cell(self) -> Cell | None:
        row = self.current_row
        return row.cells[self.column] if row is not None and self.grid.columns else None

    # --- geometry ----------------------------------------------------------------------------------
    @property
    def concept_width(self) -> int:
        return 22 if self._known_width < 100 else 32

    @property
    def cell_width(self) -> int:
        return 15 if self._known_width < 100 else 19

    @property
    def frozen_width(self) -> int:
        return self.concept_width + SUMMARY_WIDTH

    def _width(self) -> int:
        width = self.scrollable_content_region.width
        self._known_width = width if width > 10 else 80
        return self._known_width

    def _size_up(self) -> None:
        self._width()
        columns = len(self.grid.columns) if self.grid else 0
        # no horizontal scrolling of the widget: the columns shift under the frozen part by
        # ``left`` (a repaint of the lines on screen, cheaper than Textual's scroll and re-layout)
        self.virtual_size = Size(self._known_width, len(self._lines) + 1)

    def on_resize(self) -> None:
        self._cache.clear()
        self._pieces.clear()
        if self.grid is not None:
            self._size_up()
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        self._cache.clear()
        self._pieces.clear()
        super().notify_style_update()

    # --- rendering ---------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self._width()
        base = self.rich_style
        if self.grid is None:
            return Strip.blank(width, base)
        scroll_x, scroll_y = self.left * self.cell_width, int(self.scroll_offset.y)
        if y == 0:
            key = ("header", scroll_x, width, self.column)
        else:
            line = scroll_y + y - 1
            if line >= len(self._lines):
                if line == 0 and not self.grid.rows:
                    return self._strip(Text(" " + self.empty_words, Style(italic=True, dim=True)), width, base)
                return Strip.blank(width, base)
            kind, index = self._lines[line]
            on_cursor = kind == "row" and index == self.row
            key = (kind, index, scroll_x, width, self.column if on_cursor else -1, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._build(key, width, scroll_x, base)
            self._cache[key] = strip
        return strip

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        return Strip(list(text.render(self.app.console))).adjust_cell_length(width, base).apply_style(base)

    def _build(self, key: tuple, width: int, scroll_x: int, base: Style) -> Strip:
        grid = self.grid
        kind = key[0]
        cw, fw = self.cell_width, self.frozen_width
        area = max(0, width - fw)
        first = scroll_x // cw
        offset = scroll_x - first * cw
        last = min(len(grid.columns), first + (area + offset) // cw + 2)
        frozen = Text(no_wrap=True, end="")
        cells = Text(no_wrap=True, end="")
        if kind == "header":
            order = "3rd" if grid.concept_order == 3 else "2nd"
            frozen.append(" " + pad(f"Concept ({order}-order)", self.concept_width - 1), Style(bold=True))
            frozen.append("   ✓  ✗   ? ", Style(bold=True))
            for i in range(first, last):
                label = " " + pad(grid.columns[i].label, cw - 1)
                cells.append(label, Style(bold=True, underline=True, reverse=i == self.column))
        elif kind == "group":
            group = self._groups[key[1]][0]
            name = group.name if group is not None else "(no overarching construct)"
            frozen.append(pad(f"▾ {name}", fw + area), Style(bold=True, color=ORDER_COLOURS[3].swatch))
            return self._strip(frozen, width, base)
        else:
            index = key[1]
            on_cursor = key[4] >= 0
            left = self._frozen_strip(index, on_cursor)
            # each cell's strip is kept: a move that scrolls joins strips instead of rendering text
            right = Strip.join([self._cell_strip(index, i, on_cursor and i == self.column)
                                for i in range(first, last)]).crop(offset, offset + area)
            return Strip.join([left, right]).adjust_cell_length(width, base).apply_style(base)
        left = self._strip(frozen, fw, Style())
        right = Strip(list(cells.render(self.app.console))).crop(offset, offset + area)
        return Strip.join([left, right]).adjust_cell_length(width, base).apply_style(base)

    def _frozen_strip(self, index: int, on_cursor: bool) -> Strip:
        key = ("frozen", index, on_cursor, self.concept_width)
        strip = self._pieces.get(key)
        if strip is None:
            row = self.grid.rows[index]
            frozen = Text(no_wrap=True, end="")
            indent = "   " if len(self._lines) > len(self.grid.rows) else " "
            frozen.append(indent + pad(row.concept.name, self.concept_width - 1 - len(indent)) + " ",
                          Style(bold=on_cursor))
            frozen.append_text(summary_text(row))
            strip = self._pieces[key] = self._strip(frozen, self.frozen_width, Style())
        return strip

    def _cell_strip(self, index: int, column: int, cursor: bool) -> Strip:
        key = (index, column, cursor, self.cell_width, cursor and self.has_focus)
        strip = self._pieces.get(key)
        if strip is None:
            cell = self.grid.rows[index].cells[column]
            text = cell_text(cell, self.cell_width, hidden=self.grid.unjudged_only and cell.judged)
            if cursor:
                text.stylize(self.get_component_rich_style("grid-table--cursor"))
            strip = self._pieces[key] = self._strip(text, self.cell_width, Style())
        return strip

    def _on_focus(self, event: events.Focus) -> None:
        self._cache.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._cache.clear()
        self.refresh()

    # --- moving ------------------------------------------------------------------------------------
    def move_to(self, row: int, column: int) -> None:
        """Put the cursor on a cell (clamped), repaint only what changed, and keep it in view."""
        if self.grid is None or not self.grid.rows:
            return
        row = max(0, min(row, len(self.grid.rows) - 1))
        column = max(0, min(column, len(self.grid.columns) - 1))
        if (row, column) == (self.row, self.column):
            return
        old_row, old_column = self.row, self.column
        self.row, self.column = row, column
        if not self._scroll_to_cursor():
            for r in {old_row, row}:
                self._refresh_line(self._line_of_row[r] + 1 - int(self.scroll_offset.y))
            if old_column != column:
                self._refresh_line(0)
        self.post_message(self.Moved())

    def _refresh_line(self, y: int) -> None:
        if 0 <= y < self.scrollable_content_region.height:
            self.refresh(Region(0, y, self._width(), 1))

    def _scroll_to_cursor(self) -> bool:
        """Scroll so that the cursor cell is in view; whether it scrolled."""
        if self.grid is None or not self.grid.rows or not self.is_mounted:
            return False
        height = max(1, self.scrollable_content_region.height - 1)  # under the header
        line = self._line_of_row[self.row]
        y = int(self.scroll_offset.y)
        new_y = y
        if line < y + (1 if line and self._lines[line - 1][0] == "group" else 0):
            new_y = line - 1 if line and self._lines[line - 1][0] == "group" else line
        elif line >= y + height:
            new_y = line - height + 1
        area = max(1, self._width() - self.frozen_width)
        in_view = max(1, area // self.cell_width)
        left = self.left
        if self.column < left:
            left = self.column
        elif self.column >= left + in_view:
            left = self.column - in_view + 1
        left = max(0, min(left, max(0, len(self.grid.columns) - in_view)))
        if (left, new_y) == (self.left, y):
            return False
        self.left = left
        if new_y != y:
            self.scroll_to(None, new_y, animate=False, force=True, immediate=True)
        self.refresh()
        return True

    def action_move(self, dx: int, dy: int) -> None:
        self.move_to(self.row + dy, self.column + dx)

    def action_edge(self, direction: int) -> None:
        self.move_to(self.row, 0 if direction < 0 else len(self.grid.columns) - 1 if self.grid else 0)

    def action_top(self, direction: int) -> None:
        self.move_to(0 if direction < 0 else len(self.grid.rows) - 1 if self.grid else 0, self.column)

    def action_page(self, direction: int) -> None:
        self.move_to(self.row + direction * max(1, self.scrollable_content_region.height - 2), self.column)

    def action_choose(self) -> None:
        if self.current_cell is not None:
            self.post_message(self.Chosen())

    def _on_click(self, event: events.Click) -> None:
        if self.grid is None:
            return
        line = int(self.scroll_offset.y) + event.y - 1
        if event.y < 1 or not 0 <= line < len(self._lines) or self._lines[line][0] != "row":
            return
        row = self._lines[line][1]
        column = self.column
        if event.x >= self.frozen_width:
            column = self.left + (event.x - self.frozen_width) // self.cell_width
            if column >= len(self.grid.columns):
                return
        if (row, column) == (self.row, self.column):
            self.action_choose()
        else:
            self.move_to(row, column)

    # --- what the reviewer reads ---------------------------------------------------------------
    def plain_lines(self) -> list[str]:
        """Every line as plain text as wide as the widget (the header first), for tests and logs."""
        saved = self._cache
        self._cache = {}
        try:
            height = len(self._lines) + 1
            y0 = int(self.scroll_offset.y)
            out = []
            for line in range(height):
                y = 0 if line == 0 else line - y0
                if line and not 1 <= y < self.scrollable_content_region.height:
                    continue
                out.append("".join(seg.text for seg in self.render_line(y)).rstrip())
            return out
        finally:
            self._cache = saved
