"""Colours mean construct order: one hue per order (hex, so ANSI themes cannot remap them)."""
from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from .session import ORDER_SHORT


@dataclass(frozen=True)
class OrderColours:
    name: str  # the hue's name, for the legend and help
    swatch: str  # labels and the legend
    single: str  # background of text one coding covers
    overlap: str  # background of text two or more codings cover (deeper), also underlined


ORDER_COLOURS = {
    1: OrderColours("amber", "#e0a526", "#5c4300", "#9c6d00"),
    2: OrderColours("teal", "#2fc4b2", "#004f4a", "#00877e"),
    3: OrderColours("violet", "#a883f0", "#3d2867", "#6942b0"),
}

_STYLES: dict[tuple[int, bool], Style] = {}


def highlight_style(order: int, overlap: bool) -> Style:
    """The style painted on coded text: the order's hue, deeper and underlined where codings overlap."""
    key = (order, overlap)
    style = _STYLES.get(key)
    if style is None:
        colours = ORDER_COLOURS.get(order, ORDER_COLOURS[1])
        if overlap:
            style = Style(bgcolor=colours.overlap, color="#ffffff", bold=True, underline=True)
        else:
            style = Style(bgcolor=colours.single, color="#f2f2f2")
        _STYLES[key] = style
    return style


def order_badge(order: int) -> Text:
    """``[2]`` on the order's swatch colour."""
    colours = ORDER_COLOURS.get(order, ORDER_COLOURS[1])
    return Text(f"[{order}]", style=Style(bgcolor=colours.swatch, color="#000000", bold=True))


def legend() -> Text:
    """One line: a swatch per order and the overlap mark."""
    text = Text()
    for order, colours in ORDER_COLOURS.items():
        text.append(f" {ORDER_SHORT[order]} ", highlight_style(order, False))
        text.append(" ")
    text.append(" overlap ", Style(bgcolor="#555555", color="#ffffff", bold=True, underline=True))
    return text
