"""JSON study records: one object, a list, a wrapper object holding a list, or JSON Lines.

Three record shapes are understood, field by field, so mixtures work too:
- the simple form ``{title, authors, year, doi, abstract, journal, country, participants, method}``;
- CSL-JSON (Zotero, Mendeley, DOI content negotiation): ``author`` as ``[{family, given} | {literal}]``,
  ``issued.date-parts``, ``DOI``, ``container-title``, ``abstract``;
- search-tool exports such as seed 002 (Semantic Scholar via a Chinese portal): ``authors`` as one
  comma-separated string, ``journal`` as ``{name}``, ``publicationDate`` "2024-06-03", and a string
  field (``resultStr``) holding a JSON copy of the same record.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path

from workbench.core.records import StudyRecord, normalise_doi
from workbench.core.text import line_starts

from ._common import (
    ImportFailure,
    clean_field,
    clean_text,
    clean_title,
    make_record,
    parse_int,
    parse_year,
    split_authors,
)

WRAPPER_KEYS = ("records", "items", "data", "results")

# Field -> keys tried in order (case-insensitively). Full text wins over an abstract when both exist,
# because the workbench codes the fullest text a source gives.
KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "article_title", "articleTitle", "primary_title"),
    "authors": ("authors", "author", "creators"),
    "year": ("year", "issued", "publicationDate", "publication_date", "published", "date", "pubdate"),
    "doi": ("doi",),
    "pmid": ("pmid", "pubmed_id", "pubmedId"),
    "doi_url": ("DOIUrl", "URL", "url", "link", "ListUrlMain"),
    "text": ("full_text", "fulltext", "text", "body", "abstract", "abstractNote", "abstract_text"),
    "journal": (
        "journal",
        "container-title",
        "journal_title",
        "journalTitle",
        "publicationTitle",
        "journalName",
        "venue",
        "PeriodicalName",
    ),
    "country": ("country",),
    "participants": ("participants", "sample_size"),
    "method": ("method", "methods", "methodology"),
}

_WS = " \t\n\r"
_KINDS = {
    list: "list", str: "string", int: "number", float: "number", bool: "true/false", type(None): "null"
}
_decoder = json.JSONDecoder()


def parse(text: str, path: Path) -> list[StudyRecord]:
    """Return the records of a JSON or JSON Lines document.

    Invalid or truncated JSON fails with the line and column of the problem; text after the first JSON
    value that is not JSON Lines fails naming its line; a record without a title fails naming the
    record and its line. Each record's ``locator`` is "record N" (or "line N" for JSON Lines).
    """
    starts = line_starts(text)

    def line_of(offset: int) -> int:
        return bisect_right(starts, offset)

    try:
        located = _load(text, path, line_of)
    except ImportFailure:
        raise
    except RecursionError:
        raise ImportFailure(path, message="the JSON is nested too deeply to read (lists or objects hundreds "
                            "of levels deep); a study record is an object of fields") from None
    except ValueError as exc:  # json's limit on the digits of a whole number (4300)
        raise ImportFailure(path, message=f"cannot read the JSON: {str(exc).split(';')[0]}") from None
    if not located:
        raise ImportFailure(path, message="no records found (the JSON holds an empty list)")
    records = []
    for number, (line, obj, jsonl) in enumerate(located, start=1):
        if not isinstance(obj, dict):
            kind = _KINDS.get(type(obj), type(obj).__name__)
            raise ImportFailure(
                path, message=f"record {number} is not a JSON object (it is a {kind})", line=line, record=number
            )
        locator = f"line {line}" if jsonl else f"record {number}"
        records.append(_to_record(obj, path, locator, number, line))
    return records


def _load(text: str, path: Path, line_of) -> list[tuple[int, object, bool]]:
    """(line, value, is_json_lines) for each record-candidate value in the document."""
    start = _skip(text, 0)
    try:
        value, end = _decoder.raw_decode(text, start)
    except json.JSONDecodeError as exc:
        raise _syntax_error(path, text, exc) from None
    rest = _skip(text, end)
    if rest < len(text):
        return _load_lines(text, path, value, start, end, line_of)
    if isinstance(value, dict):
        key = _wrapper_key(value)
        if key is None:
            return [(line_of(start), value, False)]
        offsets = _array_items(text, _member_offset(text, start, key))
        return [(line_of(o), v, False) for o, v in zip(offsets, value[key])]
    if isinstance(value, list):
        return [(line_of(o), v, False) for o, v in zip(_array_items(text, start), value)]
    raise ImportFailure(
        path, message="expected a JSON object or a list of objects", line=line_of(start)
    )


def _load_lines(
    text: str, path: Path, first: object, start: int, end: int, line_of
) -> list[tuple[int, object, bool]]:
    """Parse JSON Lines, or explain why the text after the first JSON value is not allowed.

    It is JSON Lines only if the first value is an object that sits on one line.
    """
    first_line = line_of(start)
    if line_of(end - 1) != first_line or not isinstance(first, dict):
        bad = line_of(_skip(text, end))
        raise ImportFailure(
            path,
            message=f"unexpected text after the JSON value that ends on line {line_of(end - 1)}: "
            f"{_excerpt(text, bad)} (a JSON file holds one JSON value)",
            line=bad,
        )
    located = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if number < first_line or not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ImportFailure(
                path,
                message=f"this line is not JSON ({exc.msg} at column {exc.colno}): {_excerpt(text, number)}; "
                "a JSON file holds one JSON value, or one JSON object per line (JSON Lines)",
                line=number,
            ) from None
        located.append((number, obj, True))
    return located


def _syntax_error(path: Path, text: str, exc: json.JSONDecodeError) -> ImportFailure:
    truncated = exc.pos >= len(text.rstrip(_WS)) or exc.msg.startswith("Unterminated string")
    hint = "; the file ends before the JSON does (is it truncated?)" if truncated else ""
    return ImportFailure(
        path, message=f"not valid JSON at column {exc.colno}: {exc.msg}{hint}", line=exc.lineno
    )


def _excerpt(text: str, line: int, width: int = 60) -> str:
    raw = text.split("\n")[line - 1].strip()
    return repr(raw if len(raw) <= width else raw[:width] + "...")


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _wrapper_key(obj: dict) -> str | None:
    for key in WRAPPER_KEYS:
        if isinstance(obj.get(key), list):
            return key
    return None


def _array_items(text: str, i: int) -> list[int]:
    """Offsets at which the items of the (already validated) JSON array at ``text[i]`` start."""
    offsets = []
    i = _skip(text, i + 1)
    while text[i] != "]":
        offsets.append(i)
        _, i = _decoder.raw_decode(text, i)
        i = _skip(text, i)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return offsets


def _member_offset(text: str, i: int, wanted: str) -> int:
    """Offset of the value of key ``wanted`` in the (validated) JSON object at ``text[i]``.

    The last occurrence wins, as in ``json.loads``.
    """
    found = -1
    i = _skip(text, i + 1)
    while text[i] != "}":
        key, i = _decoder.raw_decode(text, i)
        i = _skip(text, _skip(text, i) + 1)  # past the colon
        if key == wanted:
            found = i
        _, i = _decoder.raw_decode(text, i)
        i = _skip(text, i)
        if text[i] == ",":
            i = _skip(text, i + 1)
    return found


def _to_record(obj: dict, path: Path, locator: str, number: int, line: int) -> StudyRecord:
    fields = _fields(obj)
    doi = fields["doi"]
    if doi:
        for nested in _nested_copies(obj, doi):
            for name, value in _fields(nested).items():
                if not fields.get(name):
                    fields[name] = value
    if not fields["title"]:
        raise ImportFailure(path, message=f"record {number} has no title", line=line, record=number)
    return make_record(path, locator, **fields)


def _nested_copies(obj: dict, doi: str) -> list[dict]:
    """String fields that are themselves a JSON record of the same study (same DOI)."""
    copies = []
    for value in obj.values():
        if isinstance(value, str) and value.lstrip().startswith("{"):
            try:
                nested = json.loads(value)
            except (ValueError, RecursionError):  # not JSON, a number too long, nested too deeply
                continue
            if isinstance(nested, dict) and _fields(nested)["doi"] == doi:
                copies.append(nested)
    return copies


def _get(obj: dict, field: str) -> object:
    """The first non-empty value among the keys for ``field``, matched case-insensitively."""
    lowered = {k.lower(): v for k, v in obj.items() if isinstance(k, str)}
    for key in KEYS[field]:
        value = lowered.get(key.lower())
        if value not in (None, "", [], {}):
            return value
    return None


def _first(value: object) -> object:
    """Crossref-style single-item lists ("title": ["..."]) -> their first item."""
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _fields(obj: dict) -> dict:
    """The record's metadata and text as cleaned values (keys are make_record's arguments)."""
    journal = _first(_get(obj, "journal"))
    if isinstance(journal, dict):
        journal = journal.get("name") or journal.get("title")
    doi = _get(obj, "doi")
    doi = normalise_doi(str(_first(doi))) if doi else None
    if doi is None:
        url = _first(_get(obj, "doi_url"))
        doi = normalise_doi(str(url)) if isinstance(url, str) else None
    return {
        "title": clean_title(_first(_get(obj, "title"))),
        "text": clean_text(_get(obj, "text")),
        "authors": _authors(_get(obj, "authors")),
        "year": _year(_get(obj, "year")),
        "doi": doi,
        "pmid": _first(_get(obj, "pmid")),
        "journal": clean_field(journal) if isinstance(journal, str) else None,
        "country": clean_field(_get(obj, "country")),
        "participants": parse_int(_get(obj, "participants")),
        "method": clean_field(_get(obj, "method")),
    }


def _authors(value: object) -> list[str]:
    """Authors from a string, a list of strings, or a list of CSL/Zotero/Semantic Scholar objects."""
    if isinstance(value, str):
        return split_authors(value)
    if not isinstance(value, list):
        return []
    names = []
    for item in value:
        if isinstance(item, str):
            name = item
        elif isinstance(item, dict):
            family = item.get("family") or item.get("lastName") or ""
            given = item.get("given") or item.get("firstName") or ""
            if family:
                name = f"{family}, {given}" if given else family
            else:
                name = item.get("literal") or item.get("name") or given
        else:
            continue
        name = clean_title(name)
        if name:
            names.append(name)
    return names


def _year(value: object) -> int | None:
    """A year from 2019, "2019", "2024-06-03" or CSL ``{"date-parts": [[2019, 7, 15]]}``."""
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return parse_year(parts[0][0])
        return parse_year(value.get("raw") or value.get("literal"))
    return parse_year(_first(value))
