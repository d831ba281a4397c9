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

from pathlib import Path
from typing import Any

from ..core.records import StudyRecord, normalise_doi
from .imports import ImportFailure, parse_file

OVERRIDES = ("title", "authors", "year", "doi", "journal", "country", "participants", "method")


def apply_overrides(record: StudyRecord, values: dict[str, Any], where: str) -> None:
    """Set the given metadata fields on ``record``; ``where`` names the entry for error messages."""
    for key, value in values.items():
        if key not in OVERRIDES or value is None:
            continue
        if key == "authors":
            value = [value] if isinstance(value, str) else [str(a) for a in value]
        elif key in ("year", "participants"):
            try:
                value = int(value)
            except (TypeError, ValueError):
                raise ImportFailure(where, None, None, f"{key} must be a whole number, not {value!r}") from None
        elif key == "doi":
            value = normalise_doi(str(value))
        else:
            value = str(value)
        setattr(record, key, value)


def read_sources(root: Path, sources: list[dict[str, Any]]) -> list[StudyRecord]:
    """Parse every listed source and apply its overrides; ImportFailure on the first bad one."""
    records: list[StudyRecord] = []
    for n, entry in enumerate(sources, 1):
        where = f"project.yaml sources entry {n} ({entry.get('file')})"
        path = root / str(entry["file"])
        if not path.is_file():
            raise ImportFailure(where, None, None, f"no such file: {path}")
        found = parse_file(path, entry.get("format", "auto"))
        overrides = {k: entry[k] for k in OVERRIDES if k in entry}
        if overrides and len(found) != 1:
            raise ImportFailure(where, None, None,
                                f"metadata overrides need a single-record file; {path.name} has {len(found)}")
        for record in found:
            apply_overrides(record, overrides, where)
        records.extend(found)
    return records
