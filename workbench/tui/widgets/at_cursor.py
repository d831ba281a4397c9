"""The "At cursor" panel: every coding under the cursor (or the selection), and who made it."""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..session import ShownCoding
from ..colours import order_badge
from .fit import clip, one_line

QUOTE_CHARS = 60


def describe(codings: list[ShownCoding], span: tuple[int, int], width: int = 40) -> Text:
    """The panel's text: per coding ``[order] construct``, ``reviewer, start-end``, the quote start."""
    text = Text()
    a, b = span
    where = f"{a}" if a == b else f"{a}-{b}"
    if not codings:
        text.append(f"Nothing coded at {where}.\n", Style(dim=True))
        text.append("Select text (shift+arrows, s, drag), then c to code.", Style(dim=True, italic=True))
        return text
    for i, c in enumerate(codings):
        if i:
            text.append("\n")
        text.append_text(order_badge(c.order))
        text.append(" ")
        text.append(c.construct, Style(bold=True))
        text.append(f"\n    {c.reviewer}, {c.start}-{c.end}", Style(dim=True))
        quote = one_line(c.exact)
        quote = clip(quote, min(QUOTE_CHARS, max(8, width - 6)))
        text.append(f"\n    “{quote}”", Style(italic=True))
        if c.definition:
            text.append(f"\n    {clip(c.definition, max(8, width - 4))}", Style(dim=True))
    return text


class AtCursorPanel(VerticalScroll, can_focus=True):
    """Scrollable list of the codings at the cursor; focus it with tab to scroll long lists."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "At cursor"
        self.codings: list[ShownCoding] = []
        self.span = (0, 0)

    def compose(self) -> ComposeResult:
        yield Static(id="at-cursor-body")

    def show(self, codings: list[ShownCoding], span: tuple[int, int]) -> None:
        if codings == self.codings and span == self.span and self.is_mounted:
            return
        self.codings, self.span = codings, span
        width = self.scrollable_content_region.width or 40
        self.query_one("#at-cursor-body", Static).update(describe(codings, span, width))
        self.border_title = f"At cursor ({len(codings)})" if codings else "At cursor"

    @property
    def plain(self) -> str:
        """What the panel says, as plain text."""
        return describe(self.codings, self.span, self.scrollable_content_region.width or 40).plain
