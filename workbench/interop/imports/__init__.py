"""Turn source files into study records (pure functions: no database, no UI).

``parse_file(path)`` reads a file, decodes it as UTF-8, picks the importer for its format and returns
``StudyRecord`` objects whose ``text`` is canonical. Every problem with the input is raised as
``ImportFailure``, whose message names the file and the line or record.
"""
from __future__ import annotations

import re
from pathlib import Path

from workbench.core.records import StudyRecord
from workbench.core.text import TextDecodeError, decode

from . import csv_records, json_records, medline, ris, txt
from ._common import ImportFailure
from .detect import UNSUPPORTED, detect_format

__all__ = ["FORMATS", "ImportFailure", "detect_format", "parse_file", "parse_text"]

FORMATS = ("txt", "json", "csv", "ris", "medline")

_PARSERS = {
    "txt": txt.parse,
    "json": json_records.parse,
    "ris": ris.parse,
    "medline": medline.parse,
}


def parse_file(
    path: Path, fmt: str = "auto", column_map: dict[str, str] | None = None
) -> list[StudyRecord]:
    """Read ``path`` and return its study records, in file order (at least one).

    The file is UTF-8 (a BOM is dropped), or UTF-16 with a byte order mark; a NUL byte anywhere
    in UTF-8 makes it binary. ``fmt`` is one of ``FORMATS`` or "auto" (see ``detect_format``).
    ``column_map`` (our field -> the file's column header) applies to CSV only and overrides the
    header aliases. Raises
    ImportFailure for an unreadable, binary, non-UTF-8 or empty file, an unknown format, and any
    malformed or title-less record.
    """
    path = Path(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise ImportFailure(path, message=f"unknown format {fmt!r}; choose one of auto, {', '.join(FORMATS)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(path, message=f"cannot read the file: {exc.strerror or exc}") from None
    if fmt == "auto" and path.suffix.lower() in UNSUPPORTED:
        raise ImportFailure(path, message=UNSUPPORTED[path.suffix.lower()])
    text = _decode(path, data)
    if fmt == "auto":
        # Detection reads UTF-8 bytes: give it the decoded start of a UTF-16 file as UTF-8.
        fmt = detect_format(path, data if data[:2] not in (b"\xff\xfe", b"\xfe\xff")
                            else text[:65536].encode("utf-8"))
    del data  # a large file is not held twice (bytes and text) while it is parsed
    return parse_text(text, path, fmt, column_map)


def parse_text(
    text: str, path: Path, fmt: str, column_map: dict[str, str] | None = None
) -> list[StudyRecord]:
    """Parse already decoded ``text`` as format ``fmt``; ``path`` names the source in records and
    messages. Raises ImportFailure as ``parse_file`` does (an all-whitespace text is "empty")."""
    path = Path(path)
    if not text.strip():
        raise ImportFailure(path, message="the file is empty")
    if fmt == "csv":
        return csv_records.parse(text, path, column_map)
    if fmt not in _PARSERS:
        raise ImportFailure(path, message=f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return _PARSERS[fmt](text, path)


def _decode(path: Path, data: bytes) -> str:
    """``decode`` with its TextDecodeError turned into an ImportFailure carrying the same message."""
    name = path.name
    try:
        return decode(data, name)
    except TextDecodeError as exc:
        message = str(exc)
        match = re.match(re.escape(name) + r"(?::(\d+))?: (.*)", message, re.DOTALL)
        if match is None:
            raise ImportFailure(path, message=message) from None
        line = int(match.group(1)) if match.group(1) else None
        if line is None and "binary file" in message and b"\x00" in data:
            # decode() names no line for binary input; the first NUL byte's line still helps.
            line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ImportFailure(path, message=match.group(2), line=line) from None
