"""Colours mean construct order: one hue per order (hex, so ANSI themes cannot remap them).

How a stretch of study text is painted (``paint_styles``), from the codings shown over it:

- background: the hue of the lowest order coded there, deeper where one order is coded twice;
- text colour, underlined: the hue of each higher order also coded there (a first-order quote in a
  second-order theme: teal underlined text on amber; with all three orders the characters
  alternate teal and violet);
- with every reviewer's codings shown: italic where another reviewer coded, bold where both the
  reviewer and another reviewer did.

The selection is reversed text (``SELECTION``): over any of these it has a light background, which
no highlight has, and keeps the highlight's hue as its text colour.
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from .session import ORDER_SHORT


@dataclass(frozen=True)
class OrderColours:
    name: str  # the hue's name, for the legend and help
    swatch: str  # labels, the legend, and the underlined text of an order coded inside another
    single: str  # background of text that order is coded on once
    overlap: str  # background of text that order is coded on twice or more (deeper)


ORDER_COLOURS = {
    1: OrderColours("amber", "#e0a526", "#5c4300", "#9c6d00"),
    2: OrderColours("teal", "#2fc4b2", "#004f4a", "#00877e"),
    3: OrderColours("violet", "#a883f0", "#3d2867", "#6942b0"),
}

SELECTION = Style(reverse=True)

_STYLES: dict[tuple[frozenset[int], frozenset[int], bool], tuple[Style, ...]] = {}


def _colours(order: int) -> OrderColours:
    return ORDER_COLOURS.get(order, ORDER_COLOURS[1])


def paint_styles(mine: frozenset[int], others: frozenset[int] = frozenset(), depth: int = 1) -> tuple[Style, ...]:
    """The styles of a stretch that ``depth`` codings cover, the reviewer's own of orders ``mine``
    and other reviewers' of orders ``others`` (see above): one style, or two that alternate
    character by character where three orders are coded."""
    twice = depth > len(mine | others)
    key = (mine, others, twice)
    styles = _STYLES.get(key)
    if styles is not None:
        return styles
    present = mine | others
    base = min(present)
    colours = _colours(base)
    style = Style(bgcolor=colours.overlap if twice else colours.single, color="#ffffff" if twice else "#f2f2f2",
                  italic=bool(others), bold=bool(mine and others))
    above = sorted(order for order in present if order > base)
    styles = tuple(style + Style(color=_colours(order).swatch, underline=True) for order in above) or (style,)
    _STYLES[key] = styles
    return styles


def highlight_style(order: int, overlap: bool = False) -> Style:
    """The style of text the reviewer coded with one order (``overlap``: coded twice or more)."""
    return paint_styles(frozenset({order}), frozenset(), 2 if overlap else 1)[0]


def order_badge(order: int) -> Text:
    """``[2]`` on the order's swatch colour."""
    colours = _colours(order)
    return Text(f"[{order}]", style=Style(bgcolor=colours.swatch, color="#000000", bold=True))


def legend(show_all: bool = False) -> Text:
    """One line: a swatch per order, a quote inside a theme, and (``show_all``) other reviewers'
    codings and codings both by the reviewer and by another."""
    text = Text()
    for order in ORDER_COLOURS:
        text.append(f" {ORDER_SHORT[order]} ", highlight_style(order))
        text.append(" ")
    text.append(" 1st in 2nd ", paint_styles(frozenset({1, 2}), frozenset(), 2)[0])
    if show_all:
        text.append(" ")
        text.append(" others ", paint_styles(frozenset(), frozenset({1}))[0])
        text.append(" ")
        text.append(" both ", paint_styles(frozenset({1}), frozenset({1}), 2)[0])
    return text
