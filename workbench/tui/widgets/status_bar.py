"""The coding screen's top line: who you are, what you see, the open study's status, the colour
legend and the project, fitted to the terminal's width.

What matters most is never cut: the reviewer's name and the whole legend. To fit a narrow
terminal the other parts shorten in turn (the project's title goes first, then "mine (blind)"
becomes "blind", then "◐ in progress" becomes "◐"); the tooltip always says everything in full.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from ..colours import legend
from .fit import clip

SEPARATOR = " │ "
MIN_TITLE = 12  # cells: a project title clipped shorter than this says too little and is left out


@dataclass(frozen=True)
class Status:
    """What the line says."""

    reviewer: str
    show_all: bool
    status_mark: str = ""  # "" when no study is open
    status_words: str = ""
    project: str = ""


def status_line(status: Status, width: int) -> Text:
    """The line for ``status`` in at most ``width`` cells (see the module's docstring for what
    gives way first)."""
    view_long = "all reviewers" if status.show_all else "mine (blind)"
    view_short = "all" if status.show_all else "blind"
    state_long = f"{status.status_mark} {status.status_words}".strip()
    state_short = status.status_mark
    key = legend(status.show_all)
    fixed = cell_len(f" {status.reviewer} ") + cell_len(SEPARATOR) + key.cell_len
    for view, state in ((view_long, state_long), (view_short, state_long), (view_short, state_short)):
        parts = [view] + ([state] if state else [])
        used = fixed + sum(cell_len(p) + cell_len(SEPARATOR) for p in parts)
        if used <= width:
            break
    name = status.reviewer
    if used > width:  # only a very long name in a very narrow terminal: the name gives way last
        name = clip(name, max(4, cell_len(name) - (used - width)))
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(f" {name} ", Style(bold=True, reverse=True))
    for part in parts:
        text.append(SEPARATOR, Style(dim=True))
        text.append(part, Style(bold=part == state))
    text.append(SEPARATOR, Style(dim=True))
    text.append_text(key)
    room = width - text.cell_len - cell_len(SEPARATOR)
    if status.project and room >= MIN_TITLE:
        text.append(SEPARATOR, Style(dim=True))
        text.append(clip(status.project, room), Style(dim=True))
    return text


def status_words(status: Status) -> str:
    """Everything the line says, in full (its tooltip)."""
    view = "every reviewer's codings" if status.show_all else "only your codings (blind coding; v shows all)"
    words = [f"You are {status.reviewer}, seeing {view}."]
    if status.status_words:
        words.append(f"Your status of this study: {status.status_mark} {status.status_words} (t changes it).")
    if status.project:
        words.append(f"Project: {status.project}.")
    return "\n".join(words)


class StatusBar(Static):
    """One line across the top of the coding screen."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        width: 1fr;
        background: $panel;
    }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.status: Status | None = None

    def show(self, status: Status) -> None:
        if status == self.status:
            return
        self.status = status
        self.tooltip = status_words(status)
        self._render_line()

    def _render_line(self) -> None:
        if self.status is not None:
            width = self.content_region.width or self.app.size.width
            self.update(status_line(self.status, width), layout=False)

    def on_resize(self) -> None:
        self._render_line()

    @property
    def plain(self) -> str:
        """What the line says, as plain text."""
        if self.status is None:
            return ""
        return status_line(self.status, self.content_region.width or self.app.size.width).plain
