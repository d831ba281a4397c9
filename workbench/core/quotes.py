"""Finding an exact quote in a study's canonical text: where a coding written as words (a codings
file, a quote typed by a reviewer) lies, as offsets.

Pure: the text and the quote in, code-point offsets out. A quote that occurs more than once is
placed by ``occurrence`` (1-based, in text order) or by a ``prefix`` that ends right before it.
"""
from __future__ import annotations

from .errors import WorkbenchError
from .text import canonicalise


class QuoteError(WorkbenchError, ValueError):
    """The quote cannot be placed in the text; the message says why (in words, without offsets)."""


def occurrences(text: str, quote: str) -> list[int]:
    """The start of every place ``quote`` occurs in ``text``, overlapping ones included, in order."""
    found: list[int] = []
    at = text.find(quote)
    while at != -1:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def locate(text: str, quote: str, occurrence: int | None = None, prefix: str | None = None) -> tuple[int, int]:
    """``(start, end)`` of ``quote`` in ``text`` (canonical), the quote canonicalised first.

    A quote found once needs nothing more; one found several times needs ``occurrence`` (the Nth,
    counting from 1) or a ``prefix`` that only one of them follows. Raises QuoteError when the
    quote is empty, absent, or not placed by what was given.
    """
    quote = canonicalise(quote)
    if not quote.strip():
        raise QuoteError("the quote is empty")
    starts = occurrences(text, quote)
    if not starts:
        raise QuoteError("the quote is not in the study's text (it must be copied exactly, with the same "
                         "spaces and punctuation)")
    if prefix:
        prefix = canonicalise(prefix)
        starts = [s for s in starts if text[:s].endswith(prefix)]
        if not starts:
            raise QuoteError(f"the quote occurs in the text, but never right after the prefix {prefix!r}")
    if occurrence is not None:
        if not 1 <= occurrence <= len(starts):
            times = "once" if len(starts) == 1 else f"{len(starts)} times"
            raise QuoteError(f"occurrence {occurrence} asked for, but the quote occurs {times}"
                             + (" after that prefix" if prefix else ""))
        start = starts[occurrence - 1]
    elif len(starts) > 1:
        raise QuoteError(f"the quote occurs {len(starts)} times in the text; say which with 'occurrence: N' "
                         "(1 is the first) or a 'prefix:' of the words right before it")
    else:
        start = starts[0]
    return start, start + len(quote)
