"""What every importer shares: the error type and the rules that turn raw field values into a record."""
from __future__ import annotations

import re
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.records import StudyRecord, normalise_doi, normalise_pmid
from workbench.core.text import canonicalise, one_line
from workbench.interop.html import html_to_text, looks_like_html

_YEAR = re.compile(r"(?<!\d)([12]\d{3})(?!\d)")
_INT = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
# The largest whole number SQLite stores (a signed 64-bit integer).
MAX_INT = 2**63 - 1


class ImportFailure(WorkbenchError, ValueError):
    """A source that cannot be imported, with where the problem is.

    Attributes: ``path`` (the file as a Path, or a string naming some other source such as
    "project.yaml sources entry 2"), ``line`` (1-based, or None), ``record`` (1-based, or None) and
    ``message``. ``str(e)`` is ``"<name>:<line>: <message>"`` when the line is known, else
    ``"<name>: record <n>: <message>"`` or ``"<name>: <message>"``; ``<name>`` is a Path's file name
    or a string as given. For example ``refs.ris:41: record 3 has no ER  - end tag (it starts at
    line 30)`` or ``studies.json: record 2: no title``.
    """

    def __init__(
        self,
        path: Path | str,
        line: int | None = None,
        record: int | None = None,
        message: str = "",
    ) -> None:
        self.path = path
        self.line = line
        self.record = record
        self.message = message
        super().__init__(self._render())

    def _render(self) -> str:
        name = self.path.name if isinstance(self.path, Path) else str(self.path)
        if self.line is not None:
            return f"{name}:{self.line}: {self.message}"
        if self.record is not None:
            return f"{name}: record {self.record}: {self.message}"
        return f"{name}: {self.message}"

    def __str__(self) -> str:
        return self._render()

    def __reduce__(self):
        # Keeps the error intact when it crosses a process boundary (pickle) or is copied.
        return (type(self), (self.path, self.line, self.record, self.message))


def clean_title(value: object) -> str:
    """A title as one line: markup removed, whitespace runs collapsed, NFC; "" for nothing."""
    if value is None:
        return ""
    text = str(value)
    if looks_like_html(text):
        text = html_to_text(text)
    return _SPACE.sub(" ", canonicalise(text)).strip()


def clean_text(value: object) -> str:
    """A study text (abstract or full text): HTML converted to paragraphs, then trimmed.

    Plain text keeps its own line breaks; only leading and trailing whitespace is removed.
    ``make_record`` canonicalises the result.
    """
    if value is None:
        return ""
    text = str(value)
    if looks_like_html(text):
        text = html_to_text(text)
    return text.strip()


def clean_field(value: object) -> str | None:
    """A short metadata value (journal, country, method) on one line, or None if blank."""
    text = clean_title(value)
    return text or None


def parse_year(value: object) -> int | None:
    """The first plausible four-digit year (1000-2999) in ``value`` ("2019///", "2019 Mar 12",
    "2024-06-03", 2018), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1000 <= value <= 2999 else None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def parse_int(value: object) -> int | None:
    """The first whole number in ``value`` ("19", "n = 19", 19), or None. A number of more than 19
    digits is returned as ``MAX_INT + 1`` (too large to store, which ``make_record`` refuses) rather
    than converted."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    match = _INT.search(str(value))
    if match is None:
        return None
    digits = match.group(0).lstrip("0") or "0"
    return int(digits) if len(digits) <= 19 else MAX_INT + 1


def split_authors(value: str) -> list[str]:
    """Split an author string into names, keeping each name as written.

    ``;`` separates names when present, else `` and `` (BibTeX, Rayyan). Otherwise commas separate
    names only when that is unambiguous: every part has two or more words ("Tina Huang, Annabel
    Shepherd", "Heist B.S., Torok H.M."), or every part is one word and they pair up as
    "Family, Given" ("Huang, T., Shepherd, A."). Anything else ("Heist, Brian S.") is one name.
    """
    text = _SPACE.sub(" ", value).strip()
    if not text:
        return []
    if ";" in text:
        return [p.strip() for p in text.split(";") if p.strip()]
    if re.search(r"\s+and\s+", text):
        return [p.strip() for p in re.split(r"\s+and\s+", text) if p.strip()]
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) <= 1:
        return parts
    if all(len(p.split()) >= 2 for p in parts):
        return parts
    if all(len(p.split()) == 1 for p in parts) and len(parts) % 2 == 0:
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
    return [text]


def make_record(
    path: Path,
    locator: str,
    *,
    title: str,
    text: str = "",
    authors: list[str] | None = None,
    year: int | None = None,
    doi: str | None = None,
    pmid: object = None,
    journal: str | None = None,
    country: str | None = None,
    participants: int | None = None,
    method: str | None = None,
) -> StudyRecord:
    """Build a StudyRecord from cleaned values; the DOI and PubMed id are normalised, the text canonicalised and
    every metadata value made one line without control characters. A number of participants too
    large to store is refused naming the record."""
    if participants is not None and not 0 <= participants <= MAX_INT:
        raise ImportFailure(path, message=f"{locator}: the number of participants is out of range "
                            f"(0 to {MAX_INT})")

    def line(value: str | None) -> str | None:
        return one_line(value) or None if value is not None else None

    return StudyRecord(
        title=one_line(title),
        text=canonicalise(text),
        source_file=one_line(path.name),
        locator=locator,
        authors=[one_line(a) for a in (authors or []) if one_line(a)],
        year=year,
        doi=normalise_doi(line(doi)),
        pmid=normalise_pmid(pmid),
        journal=line(journal),
        country=line(country),
        participants=participants,
        method=line(method),
    )
