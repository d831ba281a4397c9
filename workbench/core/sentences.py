"""Sentence units of a canonical text, as ``(start, end)`` code-point offsets.

Each line is segmented on its own (a line break always ends a sentence: headers, affiliations and
list items are units of their own). Within a line:

- a **heading line** (at most ``HEADING_MAX`` characters, not ending in sentence punctuation:
  "Results", "Human Resources for Health© The Author(s). 2019", an affiliation) is one unit, never
  split at the full stops of abbreviations or front matter;
- lines of running text are split by the rule of spaCy's rule-based ``sentencizer`` (its own
  stops) on the tokens of ``spacy.blank("en")``;
  lines written without spaces between words (Chinese, Japanese) are split on their full stops,
  which spaCy's whitespace tokenizer cannot see;
- a section label that opens a sentence ("Results: The emerging model ...", "BACKGROUND: ...",
  "结果：...") is a unit of its own, so the sentence after it starts at "The".

Offsets are trimmed of surrounding white space, so every unit starts and ends on a visible
character. Stored units are made at import (``store.studies.add_studies``, through ``Segmenter``:
a worker process for large imports); a project keeps the units its studies were imported with.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Callable, Iterable, Iterator

from .errors import WorkbenchError

_CJK_STOP = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
_CJK_CHAR = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]")
_LINE = re.compile(r"[^\n]+")
_ATTRS = ["IDX", "ORTH", "IS_PUNCT"]

HEADING_MAX = 120  # longer lines without a final stop are taken for paragraphs that lack one
_FINAL = frozenset(".!?…:;。！？：；")
_CLOSERS = "\"'”’»)]}」』）"
# A label: one to five words joined by spaces, commas, slashes or ampersands, then a colon, then text.
_LABEL = re.compile(r"(([^\W\d_][\w'’-]*"  # a word starting with a letter, then up to four more
                    r"(?:(?:[ \t]*[,/&][ \t]*|[ \t]+)[\w'’-]+){0,4}):)[ \t\u00a0]+(?=\S)")
_CJK_LABEL = re.compile(r"((?:摘要|背景|目的|目标|方法|结果|结论|讨论|引言|前言|关键词|材料与方法|研究背景|研究目的"
                        r"|研究方法|研究结果|研究结论)[:：])[ \t\u3000]*(?=\S)")
_LABEL_MAX = 60  # characters a label with its colon can take
_JOINERS = frozenset({"and", "or", "of", "for", "the", "to", "in", "on", "&"})
# Words of structured-abstract and report headings (a label in sentence case must use only these).
_HEADING_WORDS = frozenset("""
    abstract summary background context introduction aim aims objective objectives purpose rationale
    question questions hypothesis hypotheses importance methods method methodology approach design
    setting settings participants population patients subjects sample materials material intervention
    interventions exposure exposures measures measurements main outcome outcomes primary secondary data
    sources source collection analysis analyses extraction synthesis study studies selection eligibility
    criteria inclusion exclusion search strategy appraisal evidence results result findings finding
    discussion conclusion conclusions implications practice policy research limitations strengths
    recommendations relevance significance keywords key words points messages trial registration
    funding conflict conflicts interest interests competing ethics ethical approval acknowledgements
    acknowledgments note notes what is known already this adds
""".split())


@lru_cache(maxsize=1)
def _nlp():
    import spacy  # heavy: imported only when text is first segmented

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@lru_cache(maxsize=1)
def _tokenizer_and_stops():
    """spaCy's English tokenizer, and the ids (orth hashes) of the tokens its ``sentencizer`` ends a
    sentence after."""
    nlp = _nlp()
    return nlp.tokenizer, frozenset(nlp.vocab.strings.add(c) for c in nlp.get_pipe("sentencizer").punct_chars)


def _sentence_starts(doc, stops: frozenset) -> list[int]:
    """Character offsets of the sentences spaCy's ``sentencizer`` finds in a tokenized line: a
    sentence starts at the first token after a stop ("." "!" "?" ...) that is neither a stop nor
    punctuation. The same rule as ``Sentencizer.predict``, read from one array instead of a Token
    object per token (two thirds of the time when the component itself runs)."""
    starts = [0]
    seen_stop = False
    for idx, orth, is_punct in doc.to_array(_ATTRS).tolist():
        if orth in stops:
            seen_stop = True
        elif seen_stop and not is_punct:
            starts.append(idx)
            seen_stop = False
    return starts


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


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip().rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _FINAL


def is_heading(line: str) -> bool:
    """Whether ``line`` is a heading or front-matter line: short, not ending in sentence punctuation."""
    return len(line.strip()) <= HEADING_MAX and not _ends_sentence(line)


def _is_label(label: str, title_case: bool) -> bool:
    """Whether ``label`` (the words before a colon) names a section: every word a heading word
    ("Materials and methods"), or all capitals ("MAIN OUTCOME MEASURES"), or, if ``title_case``,
    Title Case of at most four words ("Lessons Learned", "Participant 3")."""
    words = re.findall(r"[\w'’-]+|&", label)
    if not words[0][0].isupper():
        return False
    if all(w.lower() in _HEADING_WORDS or w.lower() in _JOINERS for w in words):
        return True
    letters = [c for c in label if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return title_case and len(words) <= 4 and all(w[0].isupper() or w[0].isdigit() or w.lower() in _JOINERS
                                                  for w in words)


def _add(line: str, base: int, start: int, end: int, out: list[tuple[int, int]], cjk: bool = False,
         title_case: bool = False) -> None:
    """Append the trimmed unit ``line[start:end]`` to ``out``; a section label opening it becomes a
    unit of its own (a Title Case one only if ``title_case``)."""
    unit = _trimmed(line, 0, start, end)
    if unit is None:
        return
    start, end = unit
    if cjk:
        found = _CJK_LABEL.match(line, start, end)
    else:  # most sentences have no colon near their start: skip the regex for them
        found = _LABEL.match(line, start, end) if 0 <= line.find(":", start, start + _LABEL_MAX) else None
    if found and (cjk or _is_label(found.group(2), title_case)):
        out.append((base + start, base + found.end(1)))
        start = found.end()
    out.append((base + start, base + end))


def segment_many(texts: Iterable[str], batch_size: int = 512,
                 progress: Callable[[int], None] | None = None) -> list[list[tuple[int, int]]]:
    """Sentence units for each text, in text order; one list per text, sorted, non-overlapping,
    none crossing a line break. ``progress(n)`` is told now and then that the first ``n`` texts
    are done."""
    texts = list(texts)
    result: list[list[tuple[int, int]]] = [[] for _ in texts]
    spaced: list[tuple[int, int, str]] = []  # (text index, line offset, line)
    for i, text in enumerate(texts):
        for m in _LINE.finditer(text):
            line = m.group(0)
            if not line.strip():
                continue
            if is_heading(line):
                result[i].append(_trimmed(line, m.start(), 0, len(line)))
            elif _is_unspaced(line):
                for s in _CJK_STOP.finditer(line):
                    _add(line, m.start(), s.start(), s.end(), result[i], cjk=True)
            else:
                spaced.append((i, m.start(), line))
    if spaced:
        tokenizer, stops = _tokenizer_and_stops()
        for n, ((i, base, line), doc) in enumerate(
                zip(spaced, tokenizer.pipe((line for _, _, line in spaced), batch_size=batch_size))):
            if progress and n % 2000 == 1999:
                progress(i)
            starts = _sentence_starts(doc, stops)
            # a long title without a full stop may be in Title Case ("Medical Migration: A ...")
            title_case = _ends_sentence(line)
            for start, end in zip(starts, starts[1:] + [len(line)]):
                _add(line, base, start, end, result[i], title_case=title_case)
    for units in result:
        units.sort()
    if progress:
        progress(len(texts))
    return result


# Fewer texts are segmented in this process: starting the worker (a Python process loading spaCy)
# costs most of a second, which a small import would only wait for.
WORKER_MIN_TEXTS = 1000
CHUNK = 500  # texts sent to the worker at a time: memory stays bounded, and the two processes overlap


class SegmentationError(WorkbenchError, RuntimeError):
    """The sentence segmenter failed; nothing of the import is stored."""


def _serve(conn) -> None:
    """The worker's loop: segment each list of texts received on ``conn`` and send back its units;
    stop at None, at the end of the pipe, or when the parent process is gone."""
    import multiprocessing
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops us
    parent = multiprocessing.parent_process()
    _nlp()
    while True:
        while not conn.poll(0.5):
            if parent is not None and not parent.is_alive():
                return
        try:
            texts = conn.recv()
        except (EOFError, OSError):
            return
        if texts is None:
            return
        try:
            conn.send(("ok", segment_many(texts)))
        except Exception as exc:  # sent to the parent, which raises it in the importing process
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored in this process for the block (a no-op outside the main thread)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class Segmenter:
    """Sentence units of many texts, chunk by chunk (``chunks``), with the same units as
    ``segment_many``. With ``expected`` at least ``WORKER_MIN_TEXTS`` the work is done in a worker
    process, so the caller's work on one chunk (storing it) overlaps the segmentation of the next.

    A context manager: leaving it, normally or on any exception (Ctrl-C too), stops the worker.
    """

    def __init__(self, expected: int) -> None:
        self._conn = self._process = None
        if expected >= WORKER_MIN_TEXTS:
            import multiprocessing

            context = multiprocessing.get_context("spawn")  # a fresh process: none of our memory, no open database
            self._conn, child = context.Pipe()
            self._process = context.Process(target=_serve, args=(child,), name="workbench-segmenter", daemon=True)
            try:
                with _sigint_ignored():  # inherited: a Ctrl-C while the worker starts up is the parent's alone
                    self._process.start()
            except OSError:  # no process to be had (a limit on processes): segment here, only slower
                self._conn.close()
                self._conn = self._process = None
            child.close()

    @property
    def pid(self) -> int | None:
        """The worker's process id, or None when segmenting in this process."""
        return self._process.pid if self._process is not None else None

    def chunks(self, texts: list[str], size: int = CHUNK,
               progress: Callable[[int], None] | None = None) -> Iterator[list[list[tuple[int, int]]]]:
        """For ``texts[0:size]``, ``texts[size:2*size]``, ...: the units of each text of the chunk
        (``segment_many``). ``progress(n)`` is told after each chunk that the first ``n`` are done."""
        starts = range(0, len(texts), size)
        if self._process is None:
            for start in starts:
                units = segment_many(texts[start:start + size])
                if progress:
                    progress(start + len(units))
                yield units
            return
        if starts:
            self._send(texts[:size])
        for start in starts:
            units = self._receive()
            if start + size < len(texts):  # the worker starts on the next chunk while the caller uses this one
                self._send(texts[start + size:start + 2 * size])
            if progress:
                progress(start + len(units))
            yield units

    def _send(self, texts: list[str]) -> None:
        try:
            self._conn.send(texts)
        except OSError:  # the worker has died: its end of the pipe is closed
            raise SegmentationError("the sentence segmenter stopped unexpectedly; nothing was imported") from None

    def _receive(self) -> list[list[tuple[int, int]]]:
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            raise SegmentationError("the sentence segmenter stopped unexpectedly; nothing was imported") from None
        if kind != "ok":
            raise SegmentationError(f"sentence segmentation failed ({value}); nothing was imported")
        return value

    def close(self) -> None:
        """Stop the worker (at once if it is busy) and wait for it to end."""
        if self._process is None:
            return
        try:
            self._conn.send(None)
        except OSError:
            pass
        self._process.join(timeout=1)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._conn.close()
        self._process = None

    def __enter__(self) -> "Segmenter":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None and self._process is not None:
            self._process.terminate()  # busy with a chunk nobody will read
        self.close()


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
