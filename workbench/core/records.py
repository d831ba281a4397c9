"""What an importer hands to the store: one study's metadata and its text."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+", re.IGNORECASE)


@dataclass
class StudyRecord:
    """One study as read from a source file, before it is stored.

    ``text`` is the study's text (abstract or full text) already canonicalised; ``locator`` says where
    in the source the record came from ("record 3", "line 12"), for messages about it.
    """

    title: str
    text: str
    source_file: str
    locator: str = ""
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    journal: str | None = None
    country: str | None = None
    participants: int | None = None
    method: str | None = None


def normalise_doi(value: str | None) -> str | None:
    """Return the bare, lower-cased DOI found in ``value`` (a DOI, a doi.org URL, "doi: ..."), or None."""
    if not value:
        return None
    match = _DOI.search(value)
    if not match:
        return None
    return match.group(0).rstrip(".,;)]").lower()


def surname(author: str) -> str:
    """The family name of an author written "Family, Given" or "Given Family"."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    return author.split()[-1] if author.split() else ""


_ROMAN = re.compile(r"(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def title_markers(title: str) -> frozenset[str]:
    """The words of a title that tell the parts of a series apart: numbers ("Part 2", "Wave 3"),
    roman numerals ("Part II") and single letters other than "a" ("Site B"). Two titles that
    differ in these are never the same study, however alike the rest is."""
    words = re.findall(r"\w+", title.casefold())
    return frozenset(w for w in words if w.isdigit() or (len(w) == 1 and w != "a") or _ROMAN.match(w))
