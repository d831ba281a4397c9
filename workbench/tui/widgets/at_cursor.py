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
    if not codings:
        text.append("Nothing coded here.\n", Style(dim=True))
        text.append("Select text (shift+arrows, s, drag), then c to code.", Style(dim=True, italic=True))
        return text
    for i, c in enumerate(codings):
        if i:
            text.append("\n")
        text.append_text(order_badge(c.order))
        text.append(" ")
        text.append(c.construct, Style(bold=True))
        if c.parent:
            text.append(f"\n    under {clip(c.parent, max(8, width - 10))}", Style(dim=True))
        text.append(f"\n    {c.reviewer}, {c.start}-{c.end}", Style(dim=True))
        quote = one_line(c.exact)
        quote = clip(quote, min(QUOTE_CHARS, max(8, width - 6)))  # 4 indent + 2 quote marks
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
        self._shown: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="at-cursor-body")

    def show(self, codings: list[ShownCoding], span: tuple[int, int]) -> None:
        if self._shown is not None and codings == self._shown[0]:
            self.span = span  # the text does not depend on where exactly the cursor is
            return
        self.codings, self.span = codings, span
        self._shown = (codings, span)
        self._render_body()
        self.border_title = f"At cursor ({len(codings)})" if codings else "At cursor"

    def _width(self) -> int:
        width = self.scrollable_content_region.width
        return width if width > 8 else 40

    def _render_body(self) -> None:
        self.query_one("#at-cursor-body", Static).update(describe(self.codings, self.span, self._width()))

    def on_resize(self) -> None:
        self._render_body()

    @property
    def plain(self) -> str:
        """What the panel says, as plain text."""
        return describe(self.codings, self.span, self._width()).plain
