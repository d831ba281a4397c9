"""Sentence units of a canonical text, as ``(start, end)`` code-point offsets.

Each line is segmented on its own (a line break always ends a sentence: headers, affiliations and
list items are units of their own). Lines of running text go through spaCy's rule-based
``sentencizer`` on ``spacy.blank("en")``; lines written without spaces between words (Chinese,
Japanese) are split on their full stops, which spaCy's whitespace tokenizer cannot see. Offsets are
trimmed of surrounding white space, so every unit starts and ends on a visible character.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable

_CJK_STOP = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
_CJK_CHAR = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")
_LINE = re.compile(r"[^\n]+")
_ATTRS = ["IDX", "SENT_START"]


@lru_cache(maxsize=1)
def _nlp():
    import spacy  # heavy: imported only when text is first segmented

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _trimmed(line: str, base: int, start: int, end: int) -> tuple[int, int] | None:
    piece = line[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    return base + start + lead, base + start + lead + len(stripped)


def _is_unspaced(line: str) -> bool:
    cjk = len(_CJK_CHAR.findall(line))
    return cjk > 0 and cjk >= 0.3 * len(line.replace(" ", ""))


def segment_many(texts: Iterable[str], batch_size: int = 512,
                 progress: Callable[[int], None] | None = None) -> list[list[tuple[int, int]]]:
    """Sentence units for each text, in text order; one list per text, sorted, non-overlapping.
    ``progress(n)`` is told now and then that the first ``n`` texts are done."""
    texts = list(texts)
    result: list[list[tuple[int, int]]] = [[] for _ in texts]
    spaced: list[tuple[int, int, str]] = []  # (text index, line offset, line)
    for i, text in enumerate(texts):
        for m in _LINE.finditer(text):
            line = m.group(0)
            if not line.strip():
                continue
            if _is_unspaced(line):
                for s in _CJK_STOP.finditer(line):
                    unit = _trimmed(line, m.start(), s.start(), s.end())
                    if unit:
                        result[i].append(unit)
            else:
                spaced.append((i, m.start(), line))
    if spaced:
        nlp = _nlp()
        for n, ((i, base, line), doc) in enumerate(
                zip(spaced, nlp.pipe((line for _, _, line in spaced), batch_size=batch_size))):
            if progress and n % 2000 == 1999:
                progress(i)
            # token offsets of sentence starts, read as one array (much cheaper than doc.sents)
            array = doc.to_array(_ATTRS)
            starts = array[array[:, 1] == 1, 0].tolist() or [0]
            starts[0] = 0
            for start, end in zip(starts, starts[1:] + [len(line)]):
                unit = _trimmed(line, base, start, end)
                if unit:
                    result[i].append(unit)
    for units in result:
        units.sort()
    if progress:
        progress(len(texts))
    return result


def segment(text: str) -> list[tuple[int, int]]:
    """Sentence units of one text (see ``segment_many``)."""
    return segment_many([text])[0]


def sentence_at(units: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The unit containing ``offset``, else the nearest one after it, else None."""
    import bisect

    i = bisect.bisect_right(units, (offset, float("inf"))) - 1
    if i >= 0 and units[i][0] <= offset < units[i][1]:
        return units[i]
    return units[i + 1] if i + 1 < len(units) else None
