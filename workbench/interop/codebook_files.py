"""Codebook files: which format a file is, reading it with every problem found, and writing the
project's constructs as a codebook (REFI-QDA for a ``.qdc`` name, YAML otherwise)."""
from __future__ import annotations

from pathlib import Path

from ..core.codebook import Codebook, CodebookError, Problem, check
from ..store.blind import NOTHING, Hidden
from ..store.codebook import export_codebook
from ..store.db import Store
from .codebook_yaml import read_yaml, to_yaml
from .files import write_bytes, write_text
from .refi_qdc import read_qdc, to_qdc


def kind_of(path: Path, data: bytes) -> str:
    """"qdc" or "yaml": by the extension, else by the content (XML starts with ``<``)."""
    suffix = path.suffix.lower()
    if suffix in (".qdc", ".xml", ".qde"):
        return "qdc"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return "qdc" if head == b"<" else "yaml"


def read_file(path: Path | str, order: int | None = None) -> tuple[Codebook | None, str, list[Problem]]:
    """The codebook in ``path``, its kind ("yaml" or "qdc") and the problems with its structure
    (keys, types, orders, colours, XML), every one found. The rules that relate constructs (parents,
    links, duplicate names) are checked by ``validate_file`` or, against a project, by ``plan``.

    ``order`` (1, 2 or 3) sets the order of every construct of a ``.qdc``; a YAML codebook names
    each construct's order and refuses it.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        return None, "", [Problem("no such file")]
    data = path.read_bytes()
    if path.suffix.lower() == ".qdpx" or data[:4] == b"PK\x03\x04":
        return None, "", [Problem("a ZIP file (a REFI-QDA project, .qdpx?): export its codebook as .qdc "
                                  "from the tool that wrote it, and load that")]
    kind = kind_of(path, data)
    if kind == "qdc":
        return _with_kind(read_qdc(data, name, order), kind)
    if order is not None:
        return None, kind, [Problem("--order applies to a .qdc file; a YAML codebook gives each construct's order")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, kind, [Problem("not UTF-8 text: save the file as UTF-8", line, column)]
    if "\x00" in text:
        return None, kind, [Problem("a binary file, not a YAML codebook")]
    return _with_kind(read_yaml(text, name), kind)


def _with_kind(found: tuple[Codebook | None, list[Problem]], kind: str) -> tuple[Codebook | None, str, list[Problem]]:
    return found[0], kind, found[1]


def validate_file(path: Path | str, order: int | None = None) -> tuple[Codebook, str]:
    """The codebook in ``path`` and its kind, checked whole as a codebook of its own (every parent
    and link target in the file). Raises CodebookError with every problem found."""
    codebook, kind, problems = read_file(path, order)
    if codebook is not None:
        problems = problems + check(codebook.entries)
    if problems:
        raise CodebookError(str(path), problems)
    assert codebook is not None
    return codebook, kind




def export_file(db: Store, path: Path | str, title: str, fmt: str | None = None,
                hidden: Hidden = NOTHING) -> tuple[Codebook, str]:
    """Export the project's constructs to ``path`` as ``fmt`` ("yaml" or "qdc"; when None,
    REFI-QDA for a ``.qdc`` name, YAML otherwise); returns the codebook and the format written.
    Constructs and links in ``hidden`` (what a reviewer does not see coding blind) are left out.
    Refuses (CodebookError) a ``.qdc`` of a project without constructs: REFI requires one code."""
    path = Path(path)
    codebook = export_codebook(db, title, hidden=hidden)
    if (fmt or ("qdc" if path.suffix.lower() == ".qdc" else "yaml")) == "qdc":
        if not codebook.entries:
            raise CodebookError(str(path), [Problem("the project has no constructs, and a REFI-QDA codebook needs "
                                                    "at least one code; nothing was written")])
        write_bytes(path, to_qdc(codebook))
        return codebook, "qdc"
    write_text(path, to_yaml(codebook))
    return codebook, "yaml"
