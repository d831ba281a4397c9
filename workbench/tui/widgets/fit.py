"""Fitting text into narrow panels."""
from __future__ import annotations

from rich.cells import cell_len


def one_line(text: str) -> str:
    return " ".join(text.split())


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, ending in an ellipsis when cut."""
    text = one_line(text)
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def pad(text: str, width: int) -> str:
    """``text`` clipped, then padded with spaces to exactly ``width`` cells."""
    text = clip(text, width)
    return text + " " * max(0, width - cell_len(text))
