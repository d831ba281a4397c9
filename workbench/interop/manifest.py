"""The ``sources:`` list of ``project.yaml``: files to import, each with the metadata a reviewer
checked by hand (a plain-text study carries no reliable title, authors or year).

```yaml
sources:
  - file: sources/001_heist2018.txt     # relative to the project directory
    format: txt                         # optional; detected from the file otherwise
    title: "Medical migration: ..."     # optional overrides, for single-record files
    authors: [Heist, Brian S., ...]
    year: 2018
    doi: 10.1080/0142159X.2017.1370081
```
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..core.records import StudyRecord, normalise_doi
from ..core.text import one_line
from .imports import ImportFailure, parse_file
from .imports._common import MAX_INT

OVERRIDES = ("title", "authors", "year", "doi", "journal", "country", "participants", "method")


def apply_overrides(record: StudyRecord, values: dict[str, Any], where: str) -> None:
    """Set the given metadata fields on ``record``; ``where`` names the entry for error messages.

    Text values are made one line without control characters; a blank title, a year outside
    1000-2999 and a number of participants SQLite cannot store are refused."""
    for key, value in values.items():
        if key not in OVERRIDES or value is None:
            continue
        if key == "authors":
            names = value if isinstance(value, list) else [value]
            value = [one_line(a) for a in names if one_line(a)]
        elif key in ("year", "participants"):
            value = _whole_number(key, value, where)
        elif key == "doi":
            value = normalise_doi(one_line(value))
        elif key == "title":
            value = one_line(value)
            if not value:
                raise ImportFailure(where, None, None, "the title is empty; a study needs a title")
        else:
            value = one_line(value) or None
        setattr(record, key, value)


_WHOLE = re.compile(r"[+-]?[0-9]+")


def _whole_number(key: str, value: object, where: str) -> int:
    """``value`` (a number, or text of one) as an int in the range of ``key``; numbers of more than
    19 digits are refused unconverted (int() refuses 4300 and more)."""
    low, high = (1000, 2999) if key == "year" else (0, MAX_INT)
    if isinstance(value, int) and not isinstance(value, bool):
        if low <= value <= high:
            return value
        shown = str(value) if value.bit_length() < 200 else "a number that long"
    else:
        text = str(value).strip()
        shown = repr(text if len(text) <= 30 else text[:30] + "...")
        if not isinstance(value, str) or not _WHOLE.fullmatch(text):
            raise ImportFailure(where, None, None, f"{key} must be a whole number, not {shown}")
        if len(text.lstrip("+-").lstrip("0")) <= 19 and low <= int(text) <= high:
            return int(text)
    raise ImportFailure(where, None, None, f"{key} must be between {low} and {high}, not {shown}")


def read_sources(root: Path, sources: list[dict[str, Any]]) -> list[StudyRecord]:
    """Parse every listed source and apply its overrides; ImportFailure on the first bad one, and
    on a source outside ``root`` (after resolving symbolic links and ``..``)."""
    records: list[StudyRecord] = []
    for n, entry in enumerate(sources, 1):
        where = f"project.yaml sources entry {n} ({one_line(entry.get('file'))})"  # without escapes
        path = root / str(entry["file"])
        inside = root.resolve()
        try:
            resolved = path.resolve()
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL in the name, a loop of links
            raise ImportFailure(where, None, None, f"not a usable file name ({exc})") from None
        if not resolved.is_relative_to(inside):
            raise ImportFailure(where, None, None,
                                f"the file is outside the project directory {inside}; copy it into the "
                                "project (e.g. into sources/) and name it relative to the project")
        if not path.is_file():
            raise ImportFailure(where, None, None, f"no such file: {one_line(str(path))}")
        found = parse_file(path, entry.get("format", "auto"))
        overrides = {k: entry[k] for k in OVERRIDES if k in entry}
        if overrides and len(found) != 1:
            raise ImportFailure(where, None, None,
                                f"metadata overrides need a single-record file; {path.name} has {len(found)}")
        for record in found:
            apply_overrides(record, overrides, where)
        records.extend(found)
    return records
