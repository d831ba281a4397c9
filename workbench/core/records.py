"""What an importer hands to the store: one study's metadata and its text."""
from __future__ import annotations

import re
import unicodedata
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
    pmid: str | None = None
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


_PMID = re.compile(r"(?<!\d)(\d{1,10})(?!\d)")
_INITIALS = re.compile(r"(?:[A-Z]\.?-?){1,3}")


def normalise_pmid(value: object) -> str | None:
    """The PubMed id in ``value`` ("12345678", "PMID: 12345678", 12345678) as digits without
    leading zeros, or None."""
    if value is None or isinstance(value, bool):
        return None
    match = _PMID.search(str(value))
    if not match or not match.group(1).strip("0"):
        return None
    return match.group(1).lstrip("0")


def surname(author: str) -> str:
    """The family name of an author written "Family, Given", "Given Family" or, as MEDLINE and
    Vancouver write it, "Family Initials" ("Newman R", "Newman RA", "Newman R.A.")."""
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    words = author.split()
    if len(words) >= 2 and _INITIALS.fullmatch(words[-1]):
        return " ".join(words[:-1])
    return words[-1] if words else ""


def surname_key(author: str) -> str:
    """An author's family name for comparison: accents, case and punctuation ignored
    ("Müller, K." and "MULLER K" give "muller")."""
    name = unicodedata.normalize("NFKD", surname(author))
    return "".join(c for c in name.casefold() if c.isalnum())


def title_key(title: str) -> str:
    """A title for comparison: case, accents and punctuation ignored, spaces collapsed
    ("Home, Again: a Study" and "home again - a study" give "home again a study")."""
    text = title.casefold()
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_WORD.findall(text))


_WORD = re.compile(r"\w+")
_ROMAN = re.compile(r"(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def title_markers(title: str) -> frozenset[str]:
    """The words of a title that tell the parts of a series apart: numbers ("Part 2", "Wave 3"),
    roman numerals ("Part II") and single letters other than "a" ("Site B"). Two titles that
    differ in these are never the same study, however alike the rest is."""
    words = _WORD.findall(title.casefold())
    return frozenset(w for w in words if w.isdigit() or (len(w) == 1 and w != "a") or _ROMAN.match(w))
