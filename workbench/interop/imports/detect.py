"""Which importer a file needs: by its extension, else by what it contains."""
from __future__ import annotations

import re
from pathlib import Path

from ._common import ImportFailure
from .csv_records import ALIASES, sniff_delimiter

EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".json": "json",
    ".jsonl": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".ris": "ris",
    ".nbib": "medline",
    ".medline": "medline",
}
# Formats people try that we do not read, with what to do instead.
UNSUPPORTED = {
    ".bib": "BibTeX is not supported yet; export the references as RIS or CSV",
    ".pdf": "PDF is not supported; save the study's text as a .txt file (UTF-8)",
    ".docx": "Word files are not supported; save the study's text as a .txt file (UTF-8)",
    ".doc": "Word files are not supported; save the study's text as a .txt file (UTF-8)",
    ".xlsx": "spreadsheets are not supported; save the sheet as CSV (UTF-8)",
    ".xls": "spreadsheets are not supported; save the sheet as CSV (UTF-8)",
    ".enw": "EndNote tagged files are not supported; export the references as RIS",
}

_RIS_START = re.compile(r"^TY {1,2}- ", re.MULTILINE)
_MEDLINE_START = re.compile(r"^PMID- ?\d", re.MULTILINE)
_KNOWN_HEADERS = {name for names in ALIASES.values() for name in names}
_SNIFF_BYTES = 64 * 1024


def detect_format(path: Path, data: bytes) -> str:
    """Return one of ``FORMATS`` for the file ``path`` whose content is ``data``.

    The extension decides (.txt .text .md -> txt, .json .jsonl -> json, .csv .tsv -> csv, .ris -> ris,
    .nbib .medline -> medline), except that a .txt file whose first line opens a RIS record
    (``TY  - ``) or a MEDLINE record (``PMID- ``) is that format, as databases save them as .txt.
    Any other extension is decided by content: JSON, RIS, MEDLINE, or CSV with a recognised header.
    Raises ImportFailure if the format cannot be told.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    head = data[:_SNIFF_BYTES].decode("utf-8-sig", errors="replace").lstrip()
    first_line = head.split("\n", 1)[0]
    if suffix in EXTENSIONS:
        fmt = EXTENSIONS[suffix]
        if fmt == "txt":
            fmt = _structured(first_line) or fmt
        return fmt
    if suffix in UNSUPPORTED:
        raise ImportFailure(path, message=UNSUPPORTED[suffix])
    sniffed = _sniff(head)
    if sniffed is None:
        kind = f"extension {suffix!r}" if suffix else "no extension"
        raise ImportFailure(
            path,
            message=f"cannot tell the format of this file ({kind}, and the content is not JSON, RIS, "
            "MEDLINE or CSV with a header); name it .txt, .json, .csv, .ris or .nbib, "
            "or choose the format (--format)",
        )
    return sniffed


def _structured(first_line: str) -> str | None:
    if _RIS_START.match(first_line):
        return "ris"
    if _MEDLINE_START.match(first_line):
        return "medline"
    return None


def _sniff(head: str) -> str | None:
    if head[:1] in ("{", "["):
        return "json"
    first_line = head.split("\n", 1)[0]
    structured = _structured(first_line)
    if structured:
        return structured
    cells = [c.strip().strip('"').lower() for c in first_line.split(sniff_delimiter(first_line))]
    if len(cells) >= 2 and _KNOWN_HEADERS.intersection(cells):
        return "csv"
    return None
