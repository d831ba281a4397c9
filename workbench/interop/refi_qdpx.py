"""REFI-QDA project exchange (``.qdpx``, namespace ``urn:QDA-XML:project:1.0``): a whole review out
to NVivo, ATLAS.ti, MAXQDA, QualCoder or the ``qualitative-coding`` package, and theirs in.

A ``.qdpx`` is a ZIP of ``project.qde`` and ``sources/<GUID>.txt``. The export writes:

- ``Users``: the reviewers (their guids);
- ``CodeBook``: the constructs as in a ``.qdc`` (``refi_qdc.add_codes``): the hierarchy as nested
  codes, colours, and a Description whose first line, ``Order: second-order``, carries the order
  (with the definition, when to use, example and the construct links below it); the project's
  ``Sets`` hold one set per order ("First-order constructs", ...) too, so tools that show sets show
  the orders. A construct's memos are ``NoteRef``s in its code;
- ``Variables``: Year, DOI, Authors ("; " between names), Journal, Country, Participants, Method,
  PMID, each with a ``VariableValue`` in the studies that have it;
- ``Sources``: a ``TextSource`` per live study, in study order, named by its title, its canonical
  text in ``sources/<GUID>.txt`` (UTF-8, no BOM, ``\\n``; ``plainTextPath="internal://<GUID>.txt"``,
  no ``richTextPath``); one ``PlainTextSelection`` per coded span (code points, end exclusive,
  named by its quote) holding a ``Coding`` per construct and reviewer (``creatingUser``); a
  study's memos and judgements are its ``NoteRef``s;
- ``Notes``: every live memo (``PlainTextContent``, ``creatingUser`` its reviewer), referenced from
  its target (the project, a study, a construct, a coding), and each translation judgement as a note
  whose text starts ``Translation judgement: reciprocal`` (REFI has no place for one), referenced
  from the concept's code and the study's source.

The import reads that back, and what other tools write (see ``read_qdpx``); it never writes.
Positions in a source are code points of the file as stored; they are mapped to the canonical text.
"""
from __future__ import annotations

import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..core.codebook import Problem, name_key
from ..core.errors import WorkbenchError
from ..core.records import StudyRecord, normalise_doi
from ..core.text import TextDecodeError, canonicalise, clip, decode, one_line
from ..core.translation import KINDS, KIND_WORDS, parse_kind
from ..store.db import Store
from ..store.exchange import IMPORTED, Exchange, Judged, Note, Snapshot, Source, Span, snapshot
from .files import replacing
from .refi_qdc import GUID, ORIGIN, PROJECT_NS, _Node, _parse_xml, add_codes, order_sets, read_codebook

XSD = Path(__file__).with_name("schemas") / "Project.xsd"
QDE = "project.qde"
# Stable guids for what has none in the project (variables, selections, judgement notes).
_NAMESPACE = uuid.UUID("0c3b9f5e-6a1d-5e2f-8b47-93d1a2c4e6f8")
# (variable name, study column, REFI type); the import reads these names and a few others.
VARIABLES = (("Year", "year", "Integer"), ("DOI", "doi", "Text"), ("Authors", "authors", "Text"),
             ("Journal", "journal", "Text"), ("Country", "country", "Text"), ("Participants", "participants", "Integer"),
             ("Method", "method", "Text"), ("PMID", "pmid", "Text"))
_FIELDS = {"year": "year", "publication year": "year", "doi": "doi", "authors": "authors", "author": "authors",
           "journal": "journal", "country": "country", "participants": "participants", "n": "participants",
           "method": "method", "design": "method", "pmid": "pmid", "title": "title"}
JUDGEMENT = "Translation judgement:"
_JUDGEMENT = re.compile(r"Translation judgement:\s*(.+)")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the same bytes for the same project


class QdpxError(WorkbenchError):
    """A .qdpx that cannot be read: every problem with its place (``project.qde:line:column``)."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file, self.problems = file, problems
        lines = [f"{file}: {QDE}" + (f":{p.line}:{p.column}" if p.line else "") + f": {p.message}"
                 for p in problems[:20]]
        if len(problems) > 20:
            lines.append(f"... and {len(problems) - 20} more")
        n = len(problems)
        lines.append(f"{file}: {n} problem{'s' if n != 1 else ''} found; nothing was imported")
        super().__init__("\n".join(lines))


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, ":".join(parts))).upper()


# --- export -------------------------------------------------------------------------------------------

def export_qdpx(db: Store, path: Path | str, title: str, question: str = "") -> Snapshot:
    """Write the project as a ``.qdpx`` to ``path`` (through ``files.replacing``); returns what was
    written. The same project gives the same bytes. ``project.qde`` is written source by source,
    never held whole."""
    snap = snapshot(db, title)
    with replacing(path, encoding=None) as out:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            entry = zipfile.ZipInfo(QDE, _ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(entry, "w", force_zip64=True) as qde:
                for chunk in project_xml(snap, question):
                    qde.write(chunk)
            for s in snap.studies:
                archive.writestr(zipfile.ZipInfo(f"sources/{s['guid'].upper()}.txt", _ZIP_TIME),
                                 s["text"].encode("utf-8"), zipfile.ZIP_DEFLATED)
    return snap


def project_xml(snap: Snapshot, question: str = "") -> Iterator[bytes]:
    """``project.qde`` of the snapshot (UTF-8, no BOM, children in the schema's order), in pieces:
    the head, then each child of ``Project`` (each source on its own)."""
    import xml.etree.ElementTree as ET

    up = str.upper

    def piece(el) -> bytes:
        ET.indent(el, space=" ", level=1)
        return (" " + ET.tostring(el, encoding="unicode") + "\n").encode("utf-8")

    head = ET.Element("Project", {"xmlns": PROJECT_NS, "name": snap.title or "Review", "origin": ORIGIN})
    yield ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(head, encoding="unicode").removesuffix(" />") + ">\n").encode()
    if snap.reviewers:
        users = ET.Element("Users")
        for r in snap.reviewers:
            ET.SubElement(users, "User", {"guid": up(r["guid"]), "name": r["name"]})
        yield piece(users)

    refs: dict[tuple[str, str | None], list[str]] = {}  # (target kind, target guid) -> note guids
    notes: list[tuple[str, str, dict, str]] = []  # (guid, name, attrs, text)
    names = {s["guid"]: s["title"] for s in snap.studies}
    for m in snap.memos:
        refs.setdefault((m["kind"], m["target"]), []).append(up(m["guid"]))
        where = "the project" if m["kind"] == "project" else m["kind"]
        notes.append((up(m["guid"]), f"Memo on {where}", {"creatingUser": up(m["reviewer"]),
                                                         "creationDateTime": m["created_at"],
                                                         "modifiedDateTime": m["updated_at"]}, m["text"]))
    for j in snap.judgements:
        guid = _guid("judgement", j["concept"], j["study"], j["reviewer"])
        refs.setdefault(("construct", j["concept"]), []).append(guid)
        refs.setdefault(("study", j["study"]), []).append(guid)
        text = f"{JUDGEMENT} {KIND_WORDS[j['kind']]}" + (f"\n\n{j['note']}" if j["note"] else "")
        notes.append((guid, f"Translation judgement: {j['concept_name']} / {clip(names.get(j['study'], ''), 60)}",
                      {"creatingUser": up(j["reviewer"])}, text))

    def note_refs(el, kind: str, target: str | None) -> None:
        for guid in refs.get((kind, target), []):
            ET.SubElement(el, "NoteRef", {"targetGUID": guid})

    entries = []
    if snap.entries:
        book = ET.Element("CodeBook")
        entries = add_codes(book, snap.entries, lambda el, e: note_refs(el, "construct", e.guid))
        yield piece(book)
    variables = {name: _guid("variable", name) for name, _, _ in VARIABLES}
    if snap.studies:
        var_el = ET.Element("Variables")
        for name, _, kind in VARIABLES:
            ET.SubElement(var_el, "Variable", {"guid": variables[name], "name": name, "typeOfVariable": kind})
        yield piece(var_el)

    by_study: dict[str, list[dict]] = {}
    for c in snap.codings:
        by_study.setdefault(c["study"], []).append(c)
    if snap.studies:
        yield b" <Sources>\n"
        for s in snap.studies:
            guid = up(s["guid"])
            el = ET.Element("TextSource", {"guid": guid, "name": s["title"], "plainTextPath": f"internal://{guid}.txt",
                                           "creationDateTime": s["imported_at"]})
            spans: dict[tuple[int, int], list[dict]] = {}
            for c in by_study.get(s["guid"], []):
                spans.setdefault((c["start"], c["end"]), []).append(c)
            for (start, end), codings in spans.items():
                first = codings[0]
                sel = ET.SubElement(el, "PlainTextSelection", {
                    "guid": _guid("selection", s["guid"], str(start), str(end)), "name": clip(first["exact"], 80),
                    "startPosition": str(start), "endPosition": str(end), "creatingUser": up(first["reviewer"]),
                    "creationDateTime": first["created_at"]})
                for c in codings:
                    coding = ET.SubElement(sel, "Coding", {"guid": up(c["guid"]), "creatingUser": up(c["reviewer"]),
                                                           "creationDateTime": c["created_at"]})
                    ET.SubElement(coding, "CodeRef", {"targetGUID": up(c["construct"])})
                    note_refs(coding, "coding", c["guid"])
            note_refs(el, "study", s["guid"])
            for name, column, kind in VARIABLES:
                value = s[column]
                if value in (None, "", []):
                    continue
                vv = ET.SubElement(el, "VariableValue")
                ET.SubElement(vv, "VariableRef", {"targetGUID": variables[name]})
                text = "; ".join(value) if column == "authors" else str(value)
                ET.SubElement(vv, "IntegerValue" if kind == "Integer" else "TextValue").text = text
            ET.indent(el, space=" ", level=2)
            yield ("  " + ET.tostring(el, encoding="unicode") + "\n").encode("utf-8")
        yield b" </Sources>\n"
    if notes:
        notes_el = ET.Element("Notes")
        for guid, name, attrs, text in notes:
            note = ET.SubElement(notes_el, "Note", {"guid": guid, "name": name, **attrs})
            ET.SubElement(note, "PlainTextContent").text = text
        yield piece(notes_el)
    sets = order_sets(entries)
    if sets:
        sets_el = ET.Element("Sets")
        for guid, name, description, members in sets:
            set_el = ET.SubElement(sets_el, "Set", {"guid": guid, "name": name})
            ET.SubElement(set_el, "Description").text = description
            for member in members:
                ET.SubElement(set_el, "MemberCode", {"targetGUID": member})
        yield piece(sets_el)
    tail = ET.Element("Tail")
    if question:
        ET.SubElement(tail, "Description").text = question
    note_refs(tail, "project", None)
    for el in tail:
        yield piece(el)
    yield b"</Project>\n"


# --- import: positions --------------------------------------------------------------------------------

_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def offsets(base: str) -> tuple[str, list[int] | range]:
    """``canonicalise(base)`` built piece by piece, with ``at[i]``, the canonical offset of each
    offset ``i`` of ``base`` (0 to ``len(base)``). An offset inside a piece that becomes one
    character (``\\r\\n``, a letter with its combining marks) goes to the piece's start. A text
    that is canonical already (every file this workbench writes) maps to itself."""
    if canonicalise(base) == base:
        return base, range(len(base) + 1)
    out: list[str] = []
    at = [0] * (len(base) + 1)
    n = i = 0
    size = len(base)
    while i < size:
        c = base[i]
        j = i + 1
        if c == "\r":
            j = i + 2 if base.startswith("\r\n", i) else i + 1
            piece = "\n"
        elif c in _BREAKS:
            piece = "\n"
        elif (c == "\ufeff" and i == 0) or _CONTROL.match(c):
            piece = ""
        elif "\ud800" <= c <= "\udfff":
            piece = "\ufffd"
        else:
            while j < size and unicodedata.combining(base[j]):
                j += 1
            piece = unicodedata.normalize("NFC", base[i:j]) if not base[i:j].isascii() else base[i:j]
        for k in range(i, j):
            at[k] = n
        out.append(piece)
        n += len(piece)
        i = j
    at[size] = n
    return "".join(out), at


@dataclass
class _Sel:
    node: _Node
    start: int
    end: int
    label: str  # the selection's name or description: the text some tools write there


def _norm(text: str) -> str:
    return " ".join(text.split())


def _matches(label: str, text: str) -> bool:
    """Whether a selection's name or description is its text (or, cut short, the start of it)."""
    label, text = _norm(label), _norm(text)
    if not label:
        return False
    cut = label.rstrip("…. ")
    return label == text or (len(cut) >= 8 and text.startswith(cut))


def choose_reading(raw: str, had_bom: bool, selections: list[_Sel],
                   origin: str) -> tuple[str, str, list[int] | range]:
    """How a source's positions count: ``(words, canonical text, at)``, ``at[p]`` being the
    canonical offset of the file's position ``p``.

    Line ends ``\\r\\n`` count as two characters (the file as stored, the standard's reading) or as
    one (ATLAS.ti); a BOM as none (the standard) or one. The reading kept is the one under which
    the most selections fit in the text, then the most names or descriptions equal their selected
    text; then the standard's, except for files from ATLAS.ti."""
    readings = [("as stored", raw)]
    if "\r\n" in raw:
        readings.append(("each \\r\\n line end counted as one character", raw.replace("\r\n", "\n")))
    if had_bom:
        readings += [(words + ", the BOM counted as a character", "\ufeff" + text) for words, text in readings]
    atlas = "atlas" in origin.lower()

    def score(item: tuple[int, tuple[str, str]]) -> tuple:
        index, (words, text) = item
        fit = sum(0 <= s.start < s.end <= len(text) for s in selections)
        agree = sum(0 <= s.start < s.end <= len(text) and _matches(s.label, text[s.start:s.end]) for s in selections)
        preferred = -index if not atlas else -(index + (-10 if "one character" in words else 0))
        return fit, agree, preferred

    words, base = max(enumerate(readings), key=score)[1]
    text, at = offsets(base)
    return words, text, at


# --- import: reading the archive ------------------------------------------------------------------------

@dataclass
class _Reader:
    file: str
    archive: zipfile.ZipFile
    origin: str = ""
    problems: list[Problem] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)        # guid -> name
    codes: dict[str, str] = field(default_factory=dict)        # guid -> name
    cases: dict[str, str] = field(default_factory=dict)        # guid -> name
    notes: dict[str, _Node] = field(default_factory=dict)      # guid -> Note
    members: dict[str, str] = field(default_factory=dict)      # lower-case archive name -> name
    selections: dict[str, object] = field(default_factory=dict)  # guid -> its spans, or (source, reviewer)

    def guid(self, node: _Node, attr: str = "guid", required: bool = True) -> str | None:
        """The GUID in ``attr``, lower case; a missing or malformed one is a problem when
        ``required`` (the file is refused), else None (a creator not named, a link not followed)."""
        raw = node.attrs.get(attr, "").strip()
        match = GUID.fullmatch(raw)
        if match and raw.startswith("{") == raw.endswith("}"):
            return match.group(1).lower()
        if required:
            self.problems.append(Problem(f"<{node.tag}> has no {attr}" if not raw else
                                         f"<{node.tag}> {attr}={raw!r} is not a GUID (8-4-4-4-12 hex digits)",
                                         *node.pos))
        return None

    def user(self, *nodes: _Node) -> str:
        """The reviewer who made the first of ``nodes`` that names its creator, else ``imported``."""
        for node in nodes:
            guid = self.guid(node, "creatingUser", required=False)
            if guid:
                return self.users.get(guid, IMPORTED)
        return IMPORTED

    def position(self, node: _Node, attr: str) -> int:
        raw = node.attrs.get(attr, "").strip()
        if not re.fullmatch(r"[+-]?\d+", raw):
            self.problems.append(Problem(f"<{node.tag}> {attr}={raw!r} is not a whole number", *node.pos))
            return -1
        return int(raw)

    def member(self, path: str) -> bytes | None:
        """The bytes of ``internal://`` file ``path`` in the archive (in ``sources/``, any case)."""
        name = path[len("internal://"):] if path.startswith("internal://") else path
        for candidate in (f"sources/{name}", name):
            found = self.members.get(candidate.lower())
            if found is not None:
                return self.archive.read(found)
        return None

    def text_of(self, node: _Node) -> str:
        return "".join(node.text)


def read_qdpx(path: Path | str) -> Exchange:
    """What the ``.qdpx`` at ``path`` brings: its sources with canonical texts and metadata, its
    codebook, codings, memos and translation judgements, and, in words, everything it holds that is
    not brought in. Reads what NVivo, ATLAS.ti, MAXQDA, QualCoder and ``qualitative-coding`` write:
    a BOM before a source; ``\\r\\n`` counted as one or two characters (``choose_reading``); sources
    in UTF-16; selections without a coding (memos on the study); codings that point at a case;
    notes linked to a selection (NVivo's annotations). Refuses (QdpxError, with every problem's
    line and column) a file that is not a REFI-QDA project."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise WorkbenchError(f"{file}: no such file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        reason = "not a ZIP archive" if isinstance(exc, zipfile.BadZipFile) else (exc.strerror or str(exc))
        raise WorkbenchError(f"{file}: {reason}; a .qdpx is a ZIP holding project.qde and sources/") from None
    with archive:
        members = {i.filename.lower(): i.filename for i in archive.infolist() if not i.is_dir()}
        qde = members.get(QDE) or next((n for k, n in members.items() if k.endswith(".qde") and "/" not in k), None)
        if qde is None:
            raise WorkbenchError(f"{file}: no project.qde in the archive; a .qdpx holds project.qde and sources/")
        reader = _Reader(file, archive, members=members)
        try:
            with archive.open(qde) as stream:
                return _read(reader, stream)
        except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
            raise WorkbenchError(f"{file}: {qde} cannot be read from the archive ({exc})") from None


@dataclass
class _Tally:
    """What the sources held that is counted, then reported once."""

    variables: dict[str, str] = field(default_factory=dict)   # variable guid -> study field or "?name"
    other: dict[str, int] = field(default_factory=dict)       # source kinds not imported
    uncoded: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    unknown_variables: dict[str, int] = field(default_factory=dict)
    to_case: int = 0
    dangling: int = 0
    whole: int = 0


def _read(r: _Reader, stream) -> Exchange:
    """Parse ``project.qde`` from ``stream``, one source at a time: each text source is read into
    the exchange as it closes and dropped, so a large project is never held whole as a tree."""
    from ..core.codebook import CodebookError

    ex = Exchange(r.file)
    tally = _Tally()
    refs = _Refs()

    def on_end(node: _Node, stack: list[_Node]) -> bool:
        if len(stack) == 1:
            if node.tag == "Users":
                for u in node.find("User"):
                    guid = r.guid(u)
                    if guid:
                        r.users[guid] = one_line(u.attrs.get("name", "")) or f"user {guid[:8]}"
            elif node.tag == "CodeBook":  # names now, for the codings; orders once the Sets are read
                found, _ = read_codebook(stack[0], r.file, unique_names=True)
                r.codes = {e.guid: e.name for e in found.entries if e.guid} if found else {}
            elif node.tag == "Variables":
                for v in node.find("Variable"):
                    guid = r.guid(v)
                    if guid:
                        name = " ".join(v.attrs.get("name", "").split())
                        tally.variables[guid] = _FIELDS.get(name.casefold(), "?" + name)
            elif node.tag == "Cases":
                for case in node.find("Case"):
                    guid = r.guid(case)
                    if guid:
                        r.cases[guid] = case.attrs.get("name", "") or guid
            return False
        if len(stack) == 2 and stack[1].tag == "Sources":
            r.origin = stack[0].attrs.get("origin", "")
            _source(r, node, ex, tally, refs)
            return True
        return False

    try:
        root = _parse_xml(stream, r.file, on_end)
    except CodebookError as exc:
        raise QdpxError(r.file, list(exc.problems)) from None
    if root.tag != "Project" or not (root.ns == "" or root.ns.startswith("urn:QDA-XML:")):
        shown = f"{{{root.ns}}}{root.tag}" if root.ns else root.tag
        raise QdpxError(r.file, [Problem(f"not a REFI-QDA project: the root element is <{shown}>, not "
                                         f"<Project xmlns=\"{PROJECT_NS}\">", *root.pos)])
    codebook, problems = (None, []) if not root.find("CodeBook") else read_codebook(root, r.file, unique_names=True)
    r.problems.extend(problems)
    if codebook is not None:
        ex.codebook = codebook
        ex.notes[:0] = [note.replace("give --order to choose", "`workbench construct order` changes one")
                        for note in codebook.notes]  # before the sources' notes, as the file has them
        codebook.notes = []
    if r.cases:
        shown = ", ".join(repr(n) for n in list(r.cases.values())[:5]) + (", ..." if len(r.cases) > 5 else "")
        ex.left_out.append(f"{_count(len(r.cases), 'case')} ({shown}): the workbench has no cases; "
                           "each source is a study")
    _summary(ex, tally)
    for notes in root.find("Notes"):
        for note in notes.find("Note"):
            guid = r.guid(note)
            if guid:
                r.notes[guid] = note
    refs.collect(r, root, "project", None)
    for book in root.find("CodeBook"):
        for codes in book.find("Codes"):
            for code in codes.find("Code"):
                refs.codes(r, code)
    _links(r, root, refs, ex)
    _notes(r, ex, refs)
    n = sum(len(g.children) for g in root.find("Graphs"))
    if n:
        ex.left_out.append(f"{_count(n, 'graph')}: the workbench has no graphs")
    if r.problems:
        raise QdpxError(r.file, r.problems)
    known = {name_key(n) for n, _ in ex.reviewers}
    for guid, name in r.users.items():
        if name_key(name) not in known:
            ex.reviewers.append((name, guid))
            known.add(name_key(name))
    return ex


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class _Refs:
    """Who refers to each note: ``[(kind, target)]`` with kind project, construct (code guid),
    study (source guid), coding (its Span) or selection (its Spans, or (source, reviewer) when it
    has no coding)."""

    by_note: dict[str, list[tuple[str, object]]] = field(default_factory=dict)

    def collect(self, r: _Reader, node: _Node, kind: str, target: object) -> None:
        for ref in node.find("NoteRef"):
            guid = r.guid(ref, "targetGUID")
            if guid:
                self.by_note.setdefault(guid, []).append((kind, target))

    def codes(self, r: _Reader, code: _Node) -> None:
        guid = GUID.fullmatch(code.attrs.get("guid", "").strip())
        if guid:
            self.collect(r, code, "construct", guid.group(1).lower())
        for child in code.find("Code"):
            self.codes(r, child)


def _source(r: _Reader, node: _Node, ex: Exchange, tally: _Tally, refs: _Refs) -> None:
    """One source of the file into the exchange: its study, codings and uncoded selections."""
    if node.tag != "TextSource":
        tally.other[node.tag] = tally.other.get(node.tag, 0) + 1
        return
    key = r.guid(node)
    path = node.attrs.get("plainTextPath", "")
    name = (one_line(node.attrs.get("name", "")) or one_line(path.rpartition("/")[2])
            or f"untitled {(key or '?')[:8]}")
    selections = [_Sel(s, r.position(s, "startPosition"), r.position(s, "endPosition"),
                       s.attrs.get("name", "") or "".join("".join(d.text) for d in s.find("Description")))
                  for s in node.find("PlainTextSelection")]
    if key is None:
        return
    raw, had_bom, problem = _source_text(r, node)
    codings = sum(len(s.node.find("Coding")) for s in selections)
    if raw is None:
        ex.left_out.append(f"source {name!r} (line {node.pos[0]}): {problem}; "
                           + (f"it and its {_count(codings, 'coding')} were not imported" if codings else
                              "not imported"))
        return
    if not raw.strip():
        ex.left_out.append(f"source {name!r} (line {node.pos[0]}): its text is empty; not imported")
        return
    words, text, at = choose_reading(raw, had_bom, selections, r.origin)
    if words != "as stored":
        ex.notes.append(f"source {name!r}: positions read with {words} (under that reading every "
                        "selection fits its text)")
    base_len = len(at) - 1
    record = StudyRecord(title=name, text=text, source_file=Path(r.file).name, locator=f"source {name!r}")
    _metadata(r, node, record, tally.variables, tally.unknown_variables, ex)
    ex.sources.append(Source(key, record))
    refs.collect(r, node, "study", key)
    tally.whole += len(node.find("Coding"))
    for s in selections:
        if not (0 <= s.start < s.end <= base_len):
            ex.left_out.append(f"source {name!r}: the selection at line {s.node.pos[0]} "
                               f"({s.start}-{s.end}) is outside its text ({base_len} characters); "
                               f"its {_count(len(s.node.find('Coding')), 'coding')} not imported")
            continue
        start, end = at[s.start], at[s.end]
        if start >= end:
            ex.left_out.append(f"source {name!r}: the selection at line {s.node.pos[0]} ({s.start}-{s.end})"
                               " covers only characters the canonical text drops; not imported")
            continue
        spans: list[Span] = []
        for coding in s.node.find("Coding"):
            target = None
            for ref in coding.find("CodeRef"):
                target = r.guid(ref, "targetGUID")
            if target is None:
                continue
            if target not in r.codes:
                if target in r.cases:
                    tally.to_case += 1
                else:
                    tally.dangling += 1
                continue
            span = Span(key, start, end, r.codes[target], r.user(coding, s.node), r.guid(coding, required=False))
            spans.append(span)
            refs.collect(r, coding, "coding", span)
        ex.codings.extend(spans)
        sel_guid = r.guid(s.node, required=False)
        if spans:
            description = "".join("".join(d.text) for d in s.node.find("Description")).strip()
            if description and not _matches(description, text[start:end]):
                for span in spans:
                    span.memos.append((span.reviewer, description))
            refs.collect(r, s.node, "selection", spans)
            if sel_guid:
                r.selections[sel_guid] = spans
        elif not s.node.find("Coding"):
            said = _norm(s.label) if s.label and not _matches(s.label, text[start:end]) else ""
            line = f"Selection {start}-{end} “{clip(text[start:end], 80)}”" + (f": {said}" if said else "")
            who = r.user(s.node)
            tally.uncoded.setdefault((key, who), []).append(line)
            refs.collect(r, s.node, "selection", (key, who))
            if sel_guid:
                r.selections[sel_guid] = (key, who)


def _summary(ex: Exchange, tally: _Tally) -> None:
    for (key, who), lines in tally.uncoded.items():
        ex.memos.append(Note("study", key, who, "\n".join(lines)))
    n = sum(len(v) for v in tally.uncoded.values())
    if n:
        ex.notes.append(f"{_count(n, 'selection')} without a coding became memos on their studies")
    if tally.to_case:
        ex.left_out.append(f"{_count(tally.to_case, 'coding')} pointing at a case rather than a code: not imported")
    if tally.dangling:
        ex.left_out.append(f"{_count(tally.dangling, 'coding')} pointing at no code of the file: not imported")
    if tally.whole:
        ex.left_out.append(f"{_count(tally.whole, 'coding')} of a whole source (no selection): not imported; "
                           "a coding is of a span")
    for tag, n in tally.other.items():
        ex.left_out.append(f"{_count(n, tag)}: only text sources are imported")
    for name, n in tally.unknown_variables.items():
        ex.left_out.append(f"variable {name!r} ({_count(n, 'value')}): a study has no such field")


def _source_text(r: _Reader, node: _Node) -> tuple[str | None, bool, str]:
    """The text of a TextSource as decoded (BOM dropped), whether it had a BOM, and why not."""
    content = node.find("PlainTextContent")
    if content:
        return r.text_of(content[0]), False, ""
    path = node.attrs.get("plainTextPath", "")
    if not path:
        return None, False, "no plainTextPath and no PlainTextContent"
    if "://" in path and not path.startswith("internal://"):
        return None, False, f"its text {path!r} is outside the archive"
    data = r.member(path)  # a bare file name (older qualitative-coding) is looked for in sources/ too
    if data is None:
        return None, False, f"{path} is missing from the archive"
    try:
        return decode(data, path[len("internal://"):]), data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")), ""
    except TextDecodeError as exc:
        return None, False, str(exc)


def _metadata(r: _Reader, node: _Node, record: StudyRecord, variables: dict[str, str],
              unknown: dict[str, int], ex: Exchange) -> None:
    for vv in node.find("VariableValue"):
        target = None
        for ref in vv.find("VariableRef"):
            target = r.guid(ref, "targetGUID")
        column = variables.get(target or "")
        values = [c for c in vv.children if c.tag.endswith("Value")]
        value = " ".join(r.text_of(values[0]).split()) if values else ""
        if column is None or not value:
            continue
        if column.startswith("?"):
            unknown[column[1:]] = unknown.get(column[1:], 0) + 1
            continue
        if column in ("year", "participants"):
            number = re.fullmatch(r"\d+(?:\.0+)?", value)
            if not number or (column == "year" and not 1000 <= int(float(value)) <= 2999):
                ex.left_out.append(f"source {record.title!r}: {column} {value!r} is not a "
                                   f"{'year' if column == 'year' else 'whole number'}")
                continue
            setattr(record, column, int(float(value)))
        elif column == "authors":
            record.authors = [a.strip() for a in value.split(";") if a.strip()]
        elif column == "doi":
            record.doi = normalise_doi(value) or None
        elif column == "title":
            record.title = value
        else:
            setattr(record, column, value)


def _links(r: _Reader, root: _Node, refs: _Refs, ex: Exchange) -> None:
    """A Link between a note and a code, a source or a selection (NVivo's annotations) refers to
    the note from it; other links are reported."""
    targets: dict[str, tuple[str, object]] = {guid: ("construct", guid) for guid in r.codes}
    targets.update((s.key, ("study", s.key)) for s in ex.sources)
    targets.update((guid, ("selection", made)) for guid, made in r.selections.items())
    other = 0
    for links in root.find("Links"):
        for link in links.find("Link"):
            a, b = r.guid(link, "originGUID", False), r.guid(link, "targetGUID", False)
            note, other_end = (a, b) if a in r.notes else (b, a) if b in r.notes else (None, None)
            if note is None or other_end not in targets:
                other += 1
                continue
            refs.by_note.setdefault(note, []).append(targets[other_end])
            if targets[other_end][0] == "selection":
                ex.notes.append("a note linked to a selection became a memo on "
                                + ("its codings" if isinstance(targets[other_end][1], list) else "its study"))
    if other:
        ex.left_out.append(f"{_count(other, 'link')} between codes, sources or selections: not imported "
                           "(the workbench's construct links travel in the codes' descriptions)")


def _notes(r: _Reader, ex: Exchange, refs: _Refs) -> None:
    """Each note becomes memos on what refers to it; a judgement note (``Translation judgement:``,
    referred to by a code and a source) becomes a translation judgement."""
    unreferenced = 0
    for guid, note in r.notes.items():
        text = _note_text(r, note).replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            continue
        who = r.user(note)
        places = refs.by_note.get(guid, [])
        first, _, rest = text.partition("\n")
        judged = _JUDGEMENT.fullmatch(first.strip())
        concepts = [t for k, t in places if k == "construct"]
        studies = [t for k, t in places if k == "study"]
        if judged and len(concepts) == 1 and len(studies) == 1:
            try:
                kind = parse_kind(judged.group(1))
            except WorkbenchError:
                kind = None
            if kind in KINDS and concepts[0] in r.codes:
                ex.judgements.append(Judged(r.codes[concepts[0]], studies[0], who, kind, rest.strip()))
                continue
        if not places:
            unreferenced += 1
            ex.memos.append(Note("project", None, who, text))
        for kind, target in places:
            if kind == "project":
                ex.memos.append(Note("project", None, who, text))
            elif kind == "construct":
                if target in r.codes:
                    ex.memos.append(Note("construct", r.codes[target], who, text))
            elif kind == "study":
                if target:
                    ex.memos.append(Note("study", target, who, text))
            elif kind == "coding":
                target.memos.append((who, text))
            elif kind == "selection":
                if isinstance(target, list):
                    for span in target:
                        span.memos.append((who, text))
                else:
                    ex.memos.append(Note("study", target[0], who, text))
    if unreferenced:
        ex.notes.append(f"{_count(unreferenced, 'note')} that nothing refers to became project memos")


def _note_text(r: _Reader, note: _Node) -> str:
    content = note.find("PlainTextContent")
    if content:
        return r.text_of(content[0])
    path = note.attrs.get("plainTextPath", "")
    data = r.member(path) if path.startswith("internal://") else None
    if data is not None:
        try:
            return decode(data, path)
        except TextDecodeError:
            pass
    return "".join("".join(d.text) for d in note.find("Description"))
