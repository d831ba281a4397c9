"""The "At cursor" panel: every coding under the cursor (or the selection), and who made it."""
from __future__ import annotations

from typing import Collection

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from ..session import ShownCoding
from ..colours import order_badge
from .fit import clip, one_line

QUOTE_CHARS = 60


MEMO_MARK = "✎"


def describe(codings: list[ShownCoding], span: tuple[int, int], width: int = 40,
             height: int | None = None, memos: Collection[int] = ()) -> Text:
    """The panel's text: per coding ``[order] construct``, ``reviewer, start-end`` (marked ``✎``
    when the coding id is in ``memos``), the quote start.

    With a ``height``, codings that do not fit are summarised in a last line ("+ 3 more").
    """
    if not codings:
        text = Text()
        text.append("Nothing coded here.\n", Style(dim=True))
        text.append("Select text (shift+arrows, s, drag), then c to code.", Style(dim=True, italic=True))
        return text
    blocks = [_block(c, width, c.id in memos) for c in codings]
    shown = len(blocks)
    if height is not None:
        used = 0
        for i, block in enumerate(blocks):
            need = len(block.plain.split("\n")) + (1 if i else 0)
            spare = 0 if i == len(blocks) - 1 else 1  # keep a line for the "+ N more" note
            if used + need + spare > height:
                shown = max(1, i)
                break
            used += need
    text = Text("\n").join(blocks[:shown])
    if shown < len(blocks):
        text.append(f"\n+ {len(blocks) - shown} more: o selects each in turn", Style(dim=True, italic=True))
    return text


def _block(c: ShownCoding, width: int, memo: bool = False) -> Text:
    text = Text()
    text.append_text(order_badge(c.order))
    text.append(" ")
    text.append(c.construct, Style(bold=True))
    if c.parent:
        text.append(f"\n    under {clip(c.parent, max(8, width - 10))}", Style(dim=True))
    if memo:  # the mark sits in the indent: the line is as wide as without it
        text.append(f"\n  {MEMO_MARK} ", Style(bold=True))
        text.append(f"{c.reviewer}, {c.start}-{c.end}", Style(dim=True))
    else:
        text.append(f"\n    {c.reviewer}, {c.start}-{c.end}", Style(dim=True))
    quote = clip(one_line(c.exact), min(QUOTE_CHARS, max(8, width - 6)))  # 4 indent + 2 quote marks
    text.append(f"\n    “{quote}”", Style(italic=True))
    if c.definition:
        text.append(f"\n    {clip(c.definition, max(8, width - 4))}", Style(dim=True))
    return text


class AtCursorPanel(Static):
    """The codings at the cursor, in a panel of fixed size: its updates never re-lay-out the
    screen (a relayout repaints every panel, which made coding feel slow on long texts)."""

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "At cursor"
        self.codings: list[ShownCoding] = []
        self.span = (0, 0)
        self.memos: frozenset[int] = frozenset()  # ids of the shown codings that carry a memo
        self._shown: tuple | None = None

    def show(self, codings: list[ShownCoding], span: tuple[int, int], memos: Collection[int] = ()) -> None:
        marked = frozenset(c.id for c in codings if c.id in memos)
        if self._shown is not None and codings == self._shown[0] and marked == self.memos:
            self.span = span  # the text does not depend on where exactly the cursor is
            return
        self.codings, self.span, self.memos = codings, span, marked
        self._shown = (codings, span)
        self._render_body()
        self.border_title = f"At cursor ({len(codings)})" if codings else "At cursor"

    def _room(self) -> tuple[int, int | None]:
        width, height = self.content_region.width, self.content_region.height
        return (width if width > 8 else 40), (height if height > 0 else None)

    def _render_body(self) -> None:
        width, height = self._room()
        self.update(describe(self.codings, self.span, width, height, self.memos), layout=False)

    def on_resize(self) -> None:
        self._render_body()

    @property
    def plain(self) -> str:
        """What the panel says, as plain text."""
        width, height = self._room()
        return describe(self.codings, self.span, width, height, self.memos).plain
