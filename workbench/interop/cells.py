"""What goes into a cell of an exported table or a line of exported Markdown, made harmless.

Spreadsheets run a CSV cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula. As OWASP recommends, such a cell is written with a leading
apostrophe, which Excel, LibreOffice and Google Sheets show as text and hide: the cell reads as the
quote did. Numbers are written as numbers.

Markdown renders HTML and follows links: text from studies, names and memos is written with ``&``,
``<`` and ``>`` as entities and with the colon of a ``javascript:``, ``vbscript:`` or ``data:``
scheme as ``&#58;``, so a quote can neither run a script nor become a link that does; everything else
(emphasis a reviewer typed in a memo, say) stays as written.
"""
from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SCHEME = re.compile(r"\b(javascript|vbscript|data)\s*:", re.IGNORECASE)


def csv_cell(value: object) -> object:
    """``value`` as a CSV cell a spreadsheet shows as text: strings that would start a formula get
    a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def md_text(text: str) -> str:
    """``text`` for a Markdown document: HTML characters as entities, script and data link
    schemes broken."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SCHEME.sub(lambda m: m.group(1) + "&#58;", text)


def md_cell(value: object) -> str:
    """``value`` for a cell of a Markdown table: ``md_text`` with ``|`` and ``\\`` escaped and line
    breaks as ``<br>``; None is empty."""
    if value is None:
        return ""
    return md_text(str(value).replace("\\", "\\\\").replace("|", "\\|")).replace("\r\n", "\n").replace(
        "\n", "<br>")
