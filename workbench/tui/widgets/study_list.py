"""The study list: year, first author (or title) and this reviewer's progress per study."""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..session import STATUS_MARK, study_label
from .fit import pad

STATUS_STYLE = {"todo": Style(dim=True), "doing": Style(color="#e0a526"), "done": Style(color="#4ec27a")}


def study_row(study: dict, width: int, current: bool = False) -> Text:
    """``2018 Heist…  12 ◐``: year, name, this reviewer's codings and status mark, in ``width`` cells."""
    right = f" {study['mine']:>2} "
    year = str(study["year"]) if study.get("year") else "----"
    left_width = max(4, width - len(right) - 1)
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(pad(f"{year} {study_label(study)}", left_width), Style(bold=current))
    text.append(right, Style(dim=study["mine"] == 0))
    text.append(STATUS_MARK[study["status"]], STATUS_STYLE[study["status"]])
    return text


def option_id(study_id: int) -> str:
    return f"study-{study_id}"


class StudyList(OptionList):
    """Studies in study order; enter or a click opens one (``OptionList.OptionSelected``)."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Studies"
        self._studies: list[dict] = []
        self._current: int | None = None

    def show(self, studies: list[dict], current: int | None) -> None:
        """Fill the list and highlight the open study."""
        self._studies = studies
        self._current = current
        self._render_rows()

    def _row_width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 4 else 24

    def _render_rows(self) -> None:
        width = self._row_width()
        keep = self.highlighted
        self.clear_options()
        self.add_options(Option(study_row(s, width, s["id"] == self._current), id=option_id(s["id"]))
                         for s in self._studies)
        if self._current is not None:
            try:
                self.highlighted = self.get_option_index(option_id(self._current))
            except Exception:
                self.highlighted = keep
        if self.highlighted is not None:
            self.scroll_to_highlight()

    def on_resize(self) -> None:
        if self._studies:
            self._render_rows()

    def row_text(self, study_id: int) -> str:
        """The plain text of a study's row (what the reviewer reads)."""
        return str(self.get_option(option_id(study_id)).prompt)
