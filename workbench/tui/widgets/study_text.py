"""The study text: a read-only TextArea that paints codings and knows sentence steps.

TextArea gives the cursor, shift+arrow and word selection, mouse drag, scrolling, soft wrap and
wide characters. This subclass adds the coding highlights (``get_line`` + ``SpanIndex``, painted
as ``colours`` says), a selection that shows over them (reversed text), sentence
moves over the study's stored units, and conversions between TextArea (row, column) locations
and code-point offsets of the canonical text (columns are code points, lines split on ``\\n``).
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Selection, TextAreaTheme

from ...core.text import line_starts
from .. import units as sentence_units
from ..colours import SELECTION, paint_styles
from ..spans import Span, SpanIndex

# TextArea bindings that edit text: they do nothing in a read-only view, so help leaves them out.
EDITING_ACTIONS = frozenset({
    "delete_left", "delete_word_left", "delete_right", "delete_word_right", "cut", "paste",
    "delete_to_start_of_line", "delete_to_end_of_line_or_delete_line", "delete_line", "undo", "redo",
})


class StudyText(TextArea):
    """Read-only view of one study's canonical text with its codings painted by construct order."""

    BINDINGS = [
        Binding("enter", "screen.code", "Code the selection (as c)", show=False),
        Binding("s", "select_sentence", "Sentence", tooltip="Select the sentence at the cursor"),
        Binding("alt+shift+right", "extend_sentence(1)", "Extend selection to the next sentence end",
                show=False),
        Binding("alt+shift+left", "extend_sentence(-1)", "Extend selection to the previous sentence start",
                show=False),
        Binding("right_parenthesis", "sentence_start(1)", "Cursor to the next sentence start", show=False),
        Binding("left_parenthesis", "sentence_start(-1)", "Cursor to the previous sentence start",
                show=False),
        Binding("escape", "collapse", "Clear the selection", show=False),
    ]

    class SentenceMissing(Message):
        """A sentence step found no unit to go to."""

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__("", read_only=True, soft_wrap=True, highlight_cursor_line=False,
                         show_line_numbers=False, show_cursor=True, id=id, classes=classes)
        self.cursor_blink = False
        # the theme's other styles come from the CSS, as with TextArea's own "css" theme
        self.register_theme(TextAreaTheme(name="workbench", selection_style=SELECTION))
        self.theme = "workbench"
        self.units: list[tuple[int, int]] = []
        self.starts: list[int] = [0]
        self.length = 0
        self._index = SpanIndex([0], 0)

    # --- content ---------------------------------------------------------------------------------
    def load_study(self, text: str, units: list[tuple[int, int]], spans: Iterable[Span] = ()) -> None:
        """Show a new text (cursor to the top) with its sentence units and coding spans."""
        self.units = list(units)
        self.starts = line_starts(text)
        self.length = len(text)
        self.load_text(text)
        self.set_spans(spans)
        self.move_cursor((0, 0))
        self.scroll_home(animate=False)

    def set_spans(self, spans: Iterable[Span]) -> None:
        """Replace the painted codings and repaint (the TextArea caches rendered lines)."""
        self._index = SpanIndex(self.starts, self.length, spans)
        self.notify_style_update()
        self.refresh()

    @property
    def span_count(self) -> int:
        return self._index.count

    def get_line(self, line_index: int) -> Text:
        """The line with its codings painted: one stylize per segment of the boundary sweep (per
        character where three orders alternate)."""
        line = Text(self.document.get_line(line_index), end="", no_wrap=True)
        for seg in self._index.segments(line_index):
            styles = paint_styles(seg.mine, seg.others, seg.depth)
            if len(styles) == 1:
                line.stylize(styles[0], seg.start, seg.end)
            else:
                for column in range(seg.start, seg.end):
                    line.stylize(styles[column % len(styles)], column, column + 1)
        return line

    # --- offsets ---------------------------------------------------------------------------------
    def offset_of(self, location: tuple[int, int]) -> int:
        """Code-point offset of a (row, column) location; same as document.get_index_from_location."""
        row, column = location
        return self.starts[row] + column

    def location_of(self, offset: int) -> tuple[int, int]:
        """(row, column) of a code-point offset; same as document.get_location_from_index."""
        offset = max(0, min(offset, self.length))
        row = bisect_right(self.starts, offset) - 1
        return row, offset - self.starts[row]

    @property
    def cursor_offset(self) -> int:
        return self.offset_of(self.selection.end)

    def selection_offsets(self) -> tuple[int, int]:
        """The selection as sorted ``(start, end)`` offsets (equal when nothing is selected)."""
        a, b = sorted(self.selection)
        return self.offset_of(a), self.offset_of(b)

    def select_offsets(self, start: int, end: int) -> None:
        """Select ``[start, end)``, the cursor at the end, scrolled into view."""
        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.record_cursor_width()

    def move_to_offset(self, offset: int) -> None:
        self.move_cursor(self.location_of(offset))

    # --- sentence moves ------------------------------------------------------------------------
    def action_select_sentence(self) -> None:
        unit = sentence_units.unit_at(self.units, self.cursor_offset)
        if unit is None:
            self.post_message(self.SentenceMissing())
            return
        self.select_offsets(*unit)

    def action_extend_sentence(self, direction: int) -> None:
        here = self.cursor_offset
        target = (sentence_units.next_end(self.units, here) if direction > 0
                  else sentence_units.previous_start(self.units, here))
        if target is None:
            target = self.length if direction > 0 else 0
        self.selection = Selection(self.selection.start, self.location_of(target))
        self.record_cursor_width()

    def action_sentence_start(self, direction: int) -> None:
        here = self.cursor_offset
        target = (sentence_units.next_start(self.units, here) if direction > 0
                  else sentence_units.previous_start(self.units, here))
        if target is None:
            self.post_message(self.SentenceMissing())
            return
        self.move_to_offset(target)

    def action_collapse(self) -> None:
        self.selection = Selection.cursor(self.selection.end)
