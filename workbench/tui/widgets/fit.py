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


def wrap(text: str, width: int, max_lines: int | None = None) -> list[str]:
    """``text`` on one or more lines of at most ``width`` cells, broken between words (a word
    wider than a line is broken inside, as CJK runs are); with ``max_lines``, the last line kept
    ends in an ellipsis when more was cut."""
    width = max(1, width)
    lines: list[str] = []
    current = ""
    for word in one_line(text).split(" "):
        while cell_len(word) > width:
            if current:
                lines.append(current)
                current = ""
            head, used = [], 0
            for ch in word:
                if used + cell_len(ch) > width:
                    break
                head.append(ch)
                used += cell_len(ch)
            lines.append("".join(head))
            word = word[len(head):]
        if not current:
            current = word
        elif cell_len(current) + 1 + cell_len(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [clip(" ".join(lines[max_lines - 1:]), width)]
    return lines
