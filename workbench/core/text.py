"""Canonical study text: the one form every offset refers to.

Offsets are Unicode code points of the canonical text, 0-based, end exclusive (Python slicing).
Canonical text is decoded with ``utf-8-sig``, has ``\\n`` line endings, is NFC, and has none of the
other characters ``str.splitlines()`` breaks on, so a line/column view and offsets always agree.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from .errors import WorkbenchError

CONTEXT_CHARS = 32

# Characters str.splitlines() treats as line breaks besides \n and \r.
_EXTRA_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NEWLINES = re.compile(r"\r\n?")
# Terminal control characters: C0 (but tab, line feed and carriage return), DEL and C1 (but NEL, a
# line break above). They carry no text and an escape sequence reaching a terminal changes it.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
# A lone UTF-16 surrogate (JSON "\ud800") is no character: it cannot be stored as UTF-8.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Any character one of the four above would change: most texts have none, and one scan is cheaper than four.
_TO_FIX = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


class TextDecodeError(WorkbenchError, ValueError):
    """Raised when bytes are not UTF-8 text; the message names the line and the offending byte."""


def decode(data: bytes, name: str = "<bytes>") -> str:
    """Decode ``data`` as UTF-8 (a BOM is dropped), or as UTF-16 when it starts with a UTF-16 byte
    order mark, refusing binary and other input.

    A NUL byte anywhere in UTF-8 data means a binary file. The error message names ``name`` and the
    line of the first bad byte, so a Latin-1 file is reported where a reviewer can find it.
    """
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise TextDecodeError(f"{name}: UTF-32 text is not supported; save the file as UTF-8 and import it again")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # the BOM says which byte order, and is dropped
        except UnicodeDecodeError as exc:
            raise TextDecodeError(
                f"{name}: not valid UTF-16 text (bad bytes at offset {exc.start}); save the file as UTF-8 "
                "and import it again"
            ) from None
    if b"\x00" in data:
        raise TextDecodeError(f"{name}: this is a binary file, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TextDecodeError(
            f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8 and import it again"
        ) from None


def canonicalise(text: str) -> str:
    """Return the canonical form of ``text``: ``\\n`` line endings, NFC, no stray line separators,
    no terminal control characters.

    Vertical tab, form feed, file/group/record separators, NEL, LS and PS become ``\\n`` (they are
    paragraph-like breaks in real inputs). Other control characters (C0 but tab and line feed, DEL,
    C1) are removed, so an escape sequence in a source never reaches a terminal; a lone surrogate
    becomes U+FFFD. A leading BOM is dropped. Idempotent.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    if _TO_FIX.search(text):
        text = _NEWLINES.sub("\n", text)
        text = _EXTRA_BREAKS.sub("\n", text)
        text = _CONTROL.sub("", text)
        text = _SURROGATE.sub("\ufffd", text)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def one_line(text: object) -> str:
    """``text`` as a one-line value (a title, an author, a construct name): canonical (so without
    control characters), every line break and tab a space, runs of blank space one space, trimmed."""
    return " ".join(canonicalise(str(text)).split())


def sha256(text: str) -> str:
    """Hex sha256 of the UTF-8 encoding of ``text``."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Quote:
    """A W3C TextQuoteSelector: the exact quote and up to 32 code points either side."""

    exact: str
    prefix: str
    suffix: str


class SpanError(WorkbenchError, ValueError):
    """Raised for a span that is empty, reversed or outside the text."""


def check_span(text: str, start: int, end: int) -> None:
    """Raise SpanError unless ``0 <= start < end <= len(text)``; the message says which rule failed."""
    n = len(text)
    if start < 0 or end < 0:
        raise SpanError(f"span {start}-{end} has a negative offset; offsets run from 0 to {n}")
    if end == start:
        raise SpanError(f"span {start}-{end} is empty; the end must be greater than the start")
    if end < start:
        raise SpanError(f"span {start}-{end} is reversed; the end must be greater than the start")
    if end > n:
        raise SpanError(f"span {start}-{end} runs past the end of the text ({n} characters)")


def quote(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Quote:
    """Return the TextQuoteSelector for ``text[start:end]``, checking the span first."""
    check_span(text, start, end)
    return Quote(text[start:end], text[max(0, start - context) : start], text[end : end + context])


def line_starts(text: str) -> list[int]:
    """Offsets at which each line of the canonical ``text`` begins (the first is always 0)."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return starts


def clip(text: object, width: int) -> str:
    """``text`` on one line (control characters removed, runs of blank space one space), cut to
    ``width`` characters with a final "…" when it is longer."""
    text = " ".join(_SURROGATE.sub("\ufffd", _CONTROL.sub("", str(text))).split())
    return text if len(text) <= width else text[: width - 1] + "…"
