"""The "Constructs" panel: the review's constructs grouped by order, with coding counts.

Constructs the reviewer pinned carry their number key (1-9). Enter or a click on a construct codes
the current selection with it (``OptionList.OptionSelected`` with the construct id in the option id);
``p`` pins or unpins the highlighted construct (``ConstructPanel.PinToggle``).
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...core.constructs import ORDERS
from ...store.constructs import Construct
from ..colours import ORDER_COLOURS
from .fit import pad, wrap

NAME_LINES = 3  # a construct's name takes at most this many lines of the panel


def construct_option_id(construct_id: int) -> str:
    return f"construct-{construct_id}"


def construct_id_of(option_id: str | None) -> int | None:
    if option_id and option_id.startswith("construct-"):
        return int(option_id.removeprefix("construct-"))
    return None


class ConstructPanel(OptionList):
    BINDINGS = [
        Binding("enter", "select", "Code the selection with the highlighted construct", show=False),
        Binding("p", "pin", "Pin the highlighted construct to the lowest free number key (1-9), or unpin it",
                show=False),
    ]

    class PinToggle(Message):
        """The reviewer asked to pin (or unpin) the highlighted construct."""

        def __init__(self, construct_id: int):
            super().__init__()
            self.construct_id = construct_id

    def __init__(self, *, id: str | None = None):
        super().__init__(id=id)
        self.border_title = "Constructs"
        self._data: tuple[list[Construct], dict[int, int], dict[int, int]] = ([], {}, {})

    def show(self, constructs: list[Construct], counts: dict[int, int], pins: dict[int, int]) -> None:
        """Show the constructs with their counts; ``pins`` maps number keys to construct ids."""
        self._data = (constructs, counts, pins)
        self._render_rows()

    def action_pin(self) -> None:
        option = self.highlighted_option
        construct_id = construct_id_of(option.id) if option is not None else None
        if construct_id is None:
            self.app.notify("Highlight a construct first (up/down), then p pins it.", severity="warning")
            return
        self.post_message(self.PinToggle(construct_id))

    def _render_rows(self) -> None:
        constructs, counts, pins = self._data
        # the scrollbar's column is kept free whether it shows or not: rows made before it appears
        # would otherwise be one cell too wide and wrap where they should not
        width = self.content_region.width - self.styles.scrollbar_size_vertical
        width = width if width > 6 else 28
        quick = {cid: number for number, cid in pins.items()}
        digits = len(str(max([counts.get(c.id, 0) for c in constructs], default=0)))  # the count column
        options: list[Option] = []
        for order, label in ORDERS.items():
            group = [c for c in constructs if c.order == order]
            colours = ORDER_COLOURS[order]
            heading = Text(pad(f"{label} ({len(group)})", width), Style(color=colours.swatch, bold=True))
            options.append(Option(heading, id=f"order-{order}", disabled=True))
            for c in group:
                n = counts.get(c.id, 0)
                key = str(quick[c.id]) if c.id in quick else " "
                right = f" {n:>{digits}}"
                room = width - 2 - len(right)
                lines = wrap(c.name, room, NAME_LINES)
                row = Text(no_wrap=True, end="")
                row.append(key, Style(color="#000000", bgcolor=colours.swatch, bold=True) if key != " " else "")
                row.append(" ")
                row.append(pad(lines[0], room), Style(dim=n == 0))
                row.append(right, Style(dim=n == 0))
                for more in lines[1:]:  # a long name goes on below, indented, rather than cut
                    row.append(f"\n  {more}", Style(dim=n == 0))
                options.append(Option(row, id=construct_option_id(c.id)))
        if constructs and [o.id for o in options] == [o.id for o in self.options]:
            # the same rows: replace only the prompts that changed (no relayout, no scroll jump)
            for index, option in enumerate(options):
                if option.prompt.plain != self.options[index].prompt.plain:
                    self.replace_option_prompt_at_index(index, option.prompt)
            return
        keep = self.highlighted
        self.clear_options()
        self.add_options(options)
        if keep is not None and keep < self.option_count and not self.options[keep].disabled:
            self.highlighted = keep
        if not constructs:
            self.add_option(Option(Text("No constructs yet: select text, c, then type a new name.",
                                        Style(dim=True, italic=True)), disabled=True))
        self.border_title = f"Constructs ({len(constructs)})"

    def on_resize(self) -> None:
        if self._data[0]:
            self._render_rows()

    @property
    def plain(self) -> str:
        """What the panel shows, as plain text (a wrapped name on its lines)."""
        return "\n".join(str(o.prompt) for o in self.options)

    def row_of(self, construct_id: int) -> str:
        """The construct's row as one line of plain text: its number key (or a space), its whole
        name (however many lines it takes) and its count."""
        option = self.get_option(construct_option_id(construct_id))
        lines = str(option.prompt).split("\n")
        first, count = lines[0].rstrip().rsplit(" ", 1)
        return " ".join([first.rstrip(), *(line.strip() for line in lines[1:]), count])
