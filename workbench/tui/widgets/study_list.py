"""The study list: year, first author (or title) and this reviewer's progress per study.

A Line-API widget (``ScrollView`` + ``render_line``): only the visible rows are built, so a review
with 10,000 screened abstracts opens as fast as one with seven studies. Enter or a click posts
``StudyList.Selected`` with the study id.
"""
from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..session import STATUS_MARK, study_label
from .fit import pad

DUPLICATE_STYLE = Style(color="#e0a526", bold=True)
STATUS_STYLE = {"todo": Style(dim=True), "doing": Style(color="#e0a526"), "done": Style(color="#4ec27a")}


def study_row(study: dict, width: int, current: bool = False) -> Text:
    """``2018 Heist    12 ◐``: year, name, this reviewer's codings and status mark, in ``width`` cells;
    ``≈`` before the count marks a study flagged as a possible duplicate of another."""
    count = f"{study['mine']:>2} "
    year = str(study["year"]) if study.get("year") else "----"
    left_width = max(4, width - len(count) - 2)
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(pad(f"{year} {study_label(study)}", left_width), Style(bold=current))
    if study.get("possible_duplicates"):
        text.append("≈", DUPLICATE_STYLE)
    else:
        text.append(" ")
    text.append(count, Style(dim=study["mine"] == 0))
    text.append(STATUS_MARK[study["status"]], STATUS_STYLE[study["status"]])
    return text


class StudyList(ScrollView, can_focus=True):
    """Studies in study order, one row each; the open study is bold and (initially) highlighted."""

    BINDINGS: ClassVar = [
        Binding("up", "cursor(-1)", "Highlight the previous study", show=False),
        Binding("down", "cursor(1)", "Highlight the next study", show=False),
        Binding("pageup", "page(-1)", "Highlight a page up", show=False),
        Binding("pagedown", "page(1)", "Highlight a page down", show=False),
        Binding("home", "first", "Highlight the first study", show=False),
        Binding("end", "last", "Highlight the last study", show=False),
        Binding("enter", "select", "Open the highlighted study", show=False),
    ]

    COMPONENT_CLASSES: ClassVar = {"study-list--cursor"}

    DEFAULT_CSS = """
    StudyList {
        overflow-x: hidden;
        & > .study-list--cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus > .study-list--cursor {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
        }
    }
    """

    cursor: reactive[int] = reactive(0)

    class Selected(Message):
        """The reviewer chose a study (enter or click)."""

        def __init__(self, study_id: int):
            super().__init__()
            self.study_id = study_id

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Studies"
        self.studies: list[dict] = []
        self._current: int | None = None
        self._index: dict[int, int] = {}  # study id -> row
        self._cache: dict[tuple, Strip] = {}

    # --- content ---------------------------------------------------------------------------------
    def show(self, studies: list[dict], current: int | None) -> None:
        """Show these studies (in this order) and highlight the open one."""
        self.studies = studies
        self._index = {s["id"]: i for i, s in enumerate(studies)}
        self._current = current
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(studies))
        self.set_current(current)
        self.refresh()

    def set_current(self, study_id: int | None) -> None:
        """Mark the open study and move the highlight to it."""
        self._current = study_id
        self._cache.clear()
        if study_id in self._index:
            self.cursor = self._index[study_id]
            self._scroll_to_cursor()
        self.refresh()

    def update_row(self, study_id: int) -> None:
        """Redraw one study's row (its dict in ``studies`` was updated), and only that row."""
        index = self._index.get(study_id)
        if index is None:
            return
        for key in [k for k in self._cache if k[0] == index]:
            del self._cache[key]
        y = index - self.scroll_offset.y
        if 0 <= y < self.scrollable_content_region.height:
            self.refresh(Region(0, y, self.scrollable_content_region.width, 1))

    def row_text(self, study_id: int) -> str:
        """The plain text of a study's row (what the reviewer reads)."""
        study = self.studies[self._index[study_id]]
        return study_row(study, self._row_width(), study_id == self._current).plain

    @property
    def study_ids(self) -> list[int]:
        return [s["id"] for s in self.studies]

    @property
    def highlighted_study(self) -> int | None:
        return self.studies[self.cursor]["id"] if self.studies else None

    # --- rendering -------------------------------------------------------------------------------
    def _row_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 4 else 24

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.studies))

    def notify_style_update(self) -> None:
        self._cache.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self._row_width()
        base = self.rich_style
        if index >= len(self.studies):
            return Strip.blank(width, base)
        cursor = index == self.cursor
        key = (index, width, cursor, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            study = self.studies[index]
            text = study_row(study, width, study["id"] == self._current)
            if cursor:
                text.stylize(self.get_component_rich_style("study-list--cursor"))
            segments = list(text.render(self.app.console))
            strip = Strip(segments).adjust_cell_length(width, base).apply_style(base)
            self._cache[key] = strip
        return strip

    def _on_focus(self, event: events.Focus) -> None:
        self._cache.clear()
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self._cache.clear()
        self.refresh()

    # --- moving and choosing ---------------------------------------------------------------------
    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.studies) - 1)) if self.studies else 0

    def watch_cursor(self) -> None:
        self._scroll_to_cursor()
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        if self.is_mounted and self.studies:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True)

    def action_cursor(self, step: int) -> None:
        self.cursor += step

    def action_page(self, step: int) -> None:
        self.cursor += step * max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.studies) - 1

    def action_select(self) -> None:
        if self.studies:
            self.post_message(self.Selected(self.studies[self.cursor]["id"]))

    def _on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - self.gutter.top
        if 0 <= index < len(self.studies):
            self.cursor = index
            self.post_message(self.Selected(self.studies[index]["id"]))
