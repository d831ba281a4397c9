"""REFI-QDA codebook exchange (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``).

Export: ``CodeBook > Codes > Code`` with the hierarchy as nested ``Code`` elements, the construct's
guid (upper case), name, ``isCodable="true"`` and colour; the ``Description`` holds the definition,
when to use, when not to use, the example and the links in a readable layout whose first line,
``Order: third-order``, carries the construct order (REFI has no field for it). One ``Set`` per order
("First-order constructs", ...) lists its members, so tools that show sets show the orders too.

Import reads codebooks written by NVivo, ATLAS.ti, MAXQDA, QualCoder and this workbench: names,
descriptions, colours and the hierarchy. The order of each construct is, in this precedence, the
``--order`` given, the ``Order:`` marker of its description, membership of an order set, else 3.
Problems name ``file:line:column``. The XSD of the format is ``schemas/Codebook.xsd`` beside this file.
"""
from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..core.codebook import (Codebook, CodebookError, Entry, Pos, Problem, clean_name,
                             name_key, order_label, ordered, parse_order_value)
from ..core.constructs import LINK_KINDS, ORDERS

NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"
ORIGIN = "synthesis-workbench"
XSD = Path(__file__).with_name("schemas") / "Codebook.xsd"
GUID = re.compile(r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?")
RGB = re.compile(r"#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})")
SET_NAMES = {order: f"{label.capitalize()} constructs" for order, label in ORDERS.items()}
# Stable guids for the order sets, so that two exports of one codebook are identical.
_SET_NAMESPACE = uuid.UUID("6f1d3c52-8a4e-5b7d-9c10-2e4f6a8b0c1d")

_LABELS = (("when_not_to_use", "When not to use:"), ("when_to_use", "When to use:"), ("example", "Example:"))
_LINK_LABELS = {kind: kind.capitalize() + ":" for kind in LINK_KINDS}
_MARKER = re.compile(r"Order:\s*(\S+)\s*", re.IGNORECASE)


# --- the Description layout -------------------------------------------------------------------------

def describe(e: Entry) -> str:
    """The Description of a construct: ``Order: <label>``, the definition, then labelled paragraphs."""
    parts = [f"Order: {order_label(e.order)}" + (f"\n{e.definition.strip()}" if e.definition else "")]
    for key, label in (("when_to_use", "When to use:"), ("when_not_to_use", "When not to use:"),
                       ("example", "Example:")):
        value = (getattr(e, key) or "").strip()
        if value:
            parts.append(f"{label} {value}")
    links = [f"{_LINK_LABELS[kind]} {target}" for kind, target in sorted(e.links or (), key=lambda l: (l[0], name_key(l[1])))]
    if links:
        parts.append("\n".join(links))
    return "\n\n".join(parts)


@dataclass
class Described:
    order: int | None = None
    definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    example: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


def parse_description(text: str) -> Described:
    """Read a Description back. Without the ``Order:`` marker on its first line (a code written by
    another tool) the whole text is the definition; with it, the labelled paragraphs are read back."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    first, _, rest = text.partition("\n")
    marker = _MARKER.fullmatch(first.strip())
    order = parse_order_value(marker.group(1)) if marker else None
    if order is None:
        return Described(definition=text)
    out = Described(order=order)
    current = "definition"
    sections: dict[str, list[str]] = {"definition": []}
    for paragraph in re.split(r"\n[ \t]*\n", rest.strip()) if rest.strip() else []:
        lines = paragraph.split("\n")
        if all(any(line.startswith(label) for label in _LINK_LABELS.values()) for line in lines):
            for line in lines:
                kind = next(k for k, label in _LINK_LABELS.items() if line.startswith(label))
                target = clean_name(line[len(_LINK_LABELS[kind]):])
                if target:
                    out.links.append((kind, target))
            current = "links"
            continue
        label = next(((key, lab) for key, lab in _LABELS if paragraph.startswith(lab)), None)
        if label:
            current = label[0]
            sections.setdefault(current, []).append(paragraph[len(label[1]):].strip())
        elif current == "links":
            sections["definition"].append(paragraph)  # text after the links: keep it somewhere visible
        else:
            sections.setdefault(current, []).append(paragraph)
    for key, paragraphs in sections.items():
        setattr(out, key, "\n\n".join(paragraphs).strip())
    return out


# --- export -----------------------------------------------------------------------------------------

def to_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA ``.qdc`` document (UTF-8, no BOM), the same bytes for the same
    codebook. Every entry needs a guid."""
    import xml.etree.ElementTree as ET

    # The default namespace is declared on the root as an attribute (ElementTree's default_namespace
    # option refuses the unqualified attributes REFI uses).
    root = ET.Element("CodeBook", {"xmlns": NS, "origin": ORIGIN})
    entries = add_codes(root, codebook.entries)
    sets = order_sets(entries)
    if sets:
        sets_el = ET.SubElement(root, "Sets")
        for guid, name, description, members in sets:
            s = ET.SubElement(sets_el, "Set", {"guid": guid, "name": name})
            ET.SubElement(s, "Description").text = description
            for member in members:
                ET.SubElement(s, "MemberCode", {"guid": member})
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def add_codes(parent_el, entries: list[Entry], after_description=None) -> list[Entry]:
    """Append ``Codes > Code`` to ``parent_el`` (a ``CodeBook``, of a codebook or of a project): the
    hierarchy as nested codes, each with its upper-case guid, name, ``isCodable="true"``, colour and
    the ``describe`` Description, then whatever ``after_description(element, entry)`` adds (a
    project's ``NoteRef``s), then the codes under it. Returns the entries in the order written."""
    import xml.etree.ElementTree as ET

    entries = ordered(entries)
    by_key = {name_key(e.name): e for e in entries}
    children: dict[str, list[Entry]] = {}
    roots: list[Entry] = []
    for e in entries:
        parent = by_key.get(name_key(e.parent)) if e.parent else None
        if parent is not None and parent is not e:
            children.setdefault(name_key(parent.name), []).append(e)
        else:
            roots.append(e)
    codes = ET.SubElement(parent_el, "Codes")
    emitted: set[str] = set()

    def add(parent_el, e: Entry) -> None:
        if name_key(e.name) in emitted:
            return
        emitted.add(name_key(e.name))
        attrs = {"guid": e.guid.upper(), "name": e.name, "isCodable": "true"}
        if e.colour:
            attrs["color"] = e.colour.upper()
        el = ET.SubElement(parent_el, "Code", attrs)
        ET.SubElement(el, "Description").text = describe(e)
        if after_description is not None:
            after_description(el, e)
        for child in children.get(name_key(e.name), []):
            add(el, child)

    for e in roots + entries:  # then anything a cycle of parents kept from being reached
        add(codes, e)
    return entries


def order_sets(entries: list[Entry]) -> list[tuple[str, str, str, list[str]]]:
    """One set per construct order that has members: ``(guid, name, description, member guids)``,
    with stable guids, so that two exports of one codebook are identical."""
    found = []
    for order in ORDERS:
        group = [e.guid.upper() for e in entries if e.order == order]
        if group:
            found.append((str(uuid.uuid5(_SET_NAMESPACE, f"order-{order}")).upper(), SET_NAMES[order],
                          f"The {ORDERS[order]} constructs of this codebook (REFI-QDA has no field for a "
                          f"construct's order).", group))
    return found


# --- import -----------------------------------------------------------------------------------------

@dataclass(slots=True)
class _Node:
    ns: str
    tag: str
    attrs: dict[str, str]
    pos: Pos
    children: list["_Node"] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def find(self, tag: str) -> list["_Node"]:
        return [c for c in self.children if c.tag == tag]


def _parse_xml(data, file: str, on_end=None) -> _Node:
    """A small element tree with the line and column of every element (expat); no DTDs or entities.

    ``data`` is bytes or a binary file (read in chunks). ``on_end(node, stack)`` is called as each
    element closes, ``stack`` holding its ancestors; when it returns True the element is dropped
    from the tree (a large document is then handled piece by piece, never held whole)."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Node] = []
    result: list[_Node] = []

    class Refused(Exception):
        pass

    def start(name: str, attrs: dict) -> None:
        ns, _, tag = name.rpartition(" ")
        if " " in "".join(attrs):  # a namespaced attribute (rare): keep its local name
            attrs = {k.rpartition(" ")[2]: v for k, v in attrs.items()}
        node = _Node(ns, tag, attrs, (parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
        (stack[-1].children if stack else result).append(node)
        stack.append(node)

    def end(name: str) -> None:
        node = stack.pop()
        if on_end is not None and on_end(node, stack):
            (stack[-1].children if stack else result).pop()  # the element that closed is the last child

    def chars(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    def doctype(*args) -> None:
        raise Refused("a DOCTYPE declaration: REFI-QDA files have none, and this reader accepts none")

    def where_doctype() -> tuple[int, int]:
        at = data.find(b"<!DOCTYPE") if isinstance(data, bytes) else -1
        if at < 0:
            return parser.CurrentLineNumber, parser.CurrentColumnNumber + 1
        return data.count(b"\n", 0, at) + 1, at - (data.rfind(b"\n", 0, at) + 1) + 1

    parser.buffer_text = True  # one call per run of text, not one per line
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    try:
        if isinstance(data, bytes):
            parser.Parse(data, True)
        else:
            parser.ParseFile(data)
    except expat.ExpatError as exc:
        raise CodebookError(file, [Problem(f"not well-formed XML: {expat.ErrorString(exc.code)}",
                                           exc.lineno, exc.offset + 1)]) from None
    except Refused as exc:
        raise CodebookError(file, [Problem(str(exc), *where_doctype())]) from None
    return result[0]


def read_qdc(data: bytes, file: str, order: int | None = None) -> tuple[Codebook | None, list[Problem]]:
    """The codebook of a ``.qdc`` file (or of the ``CodeBook`` inside a REFI project document) and
    the problems with its structure (not yet the rules of ``check``), every one of them.

    ``order`` overrides the order of every construct.
    """
    try:
        root = _parse_xml(data, file)
    except CodebookError as exc:
        return None, list(exc.problems)
    return read_codebook(root, file, order)


def read_codebook(root: _Node, file: str, order: int | None = None,
                  unique_names: bool = False) -> tuple[Codebook | None, list[Problem]]:
    """``read_qdc`` of a parsed document: a ``CodeBook`` root, or a ``Project`` root whose
    ``CodeBook`` is read with the order sets among the project's ``Sets``. With ``unique_names``
    a code named as an earlier one (NVivo allows "Other" under two parents) is renamed "Other
    (Parent)", with a note, rather than refused."""
    problems: list[Problem] = []
    book = root
    sets_parent = root
    if root.tag == "Project":
        book = next(iter(root.find("CodeBook")), None)
        if book is None:
            return None, [Problem("a REFI-QDA project without a CodeBook", *root.pos)]
    else:
        sets_parent = book
    # Accept the codebook and project namespaces, none, and variants seen in the wild
    # (a writer for NVivo 12 for Mac declares "urn:QDA-XML:codebook:1:0").
    if book.tag != "CodeBook" or not (book.ns == "" or book.ns.startswith("urn:QDA-XML:")):
        shown = f"{{{book.ns}}}{book.tag}" if book.ns else book.tag
        return None, [Problem(f"not a REFI-QDA codebook: the root element is <{shown}>, "
                              f"not <CodeBook xmlns=\"{NS}\">", *book.pos)]
    codes = book.find("Codes")
    if not codes:
        problems.append(Problem("the CodeBook has no <Codes> element", *book.pos))

    # Order sets: the workbench's own ("Second-order constructs") or any set named by an order.
    set_order: dict[str, int] = {}
    notes: list[str] = []
    for sets in sets_parent.find("Sets"):
        for s in sets.find("Set"):
            name = s.attrs.get("name", "")
            match = re.fullmatch(r"\s*(first|second|third)[- ]order(?: constructs?)?\s*", name, re.IGNORECASE)
            members = [m.attrs.get("guid") or m.attrs.get("targetGUID") or "" for m in s.find("MemberCode")]
            if match:
                which = parse_order_value(match.group(1))
                for guid in members:
                    if GUID.fullmatch(guid.strip()):
                        set_order.setdefault(GUID.fullmatch(guid.strip()).group(1).lower(), which)
            else:
                notes.append(f"set {name!r} ({len(members)} code{'s' if len(members) != 1 else ''}) was not "
                             f"imported: the workbench has no sets; its codes were")

    entries: list[Entry] = []
    seen_guids: dict[str, Pos] = {}
    groups = defaulted = dropped_links = 0

    names_used: set[str] = set()

    def walk(node: _Node, parent: str | None) -> None:
        nonlocal groups, defaulted, dropped_links
        where: dict[str, Pos] = {"item": node.pos, "name": node.pos, "parent": node.pos, "order": node.pos,
                                 "colour": node.pos}
        name = clean_name(node.attrs.get("name", ""))
        if unique_names and name and name_key(name) in names_used:
            new, n = f"{name} ({parent})" if parent else f"{name} (2)", 2
            while name_key(new) in names_used:
                n += 1
                new = f"{name} ({n})"
            notes.append(f"a second code called {name!r} (line {node.pos[0]}) became {new!r}")
            name = new
        names_used.add(name_key(name))
        if not name:
            problems.append(Problem("a <Code> without a name", *node.pos))
        raw_guid = node.attrs.get("guid", "").strip()
        match = GUID.fullmatch(raw_guid)
        guid = None
        if not raw_guid:
            problems.append(Problem(f"code {name!r} has no guid", *node.pos))
        elif not match or (raw_guid.startswith("{") != raw_guid.endswith("}")):
            problems.append(Problem(f"code {name!r}: {raw_guid!r} is not a GUID (8-4-4-4-12 hex digits)", *node.pos))
        else:
            guid = match.group(1).lower()
            if guid in seen_guids:
                problems.append(Problem(f"code {name!r}: guid {raw_guid} is used twice "
                                        f"(first at line {seen_guids[guid][0]})", *node.pos))
            seen_guids[guid] = node.pos
        codable = node.attrs.get("isCodable", "true").strip().lower()
        if codable in ("false", "0"):
            groups += 1
        colour = None
        raw_colour = node.attrs.get("color")
        if raw_colour is not None:
            found = RGB.fullmatch(raw_colour.strip())
            if not found:
                problems.append(Problem(f"code {name!r}: colour {raw_colour!r} is not #RRGGBB or #RGB", *node.pos))
            else:
                digits = found.group(1)
                colour = "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits)).upper()
        descriptions = node.find("Description")
        described = parse_description("".join("".join(d.text) for d in descriptions))
        # A description in the workbench's layout (its 'Order:' line) gives every field, empty ones
        # included. Another tool's gives only the definition, and only when there is one: the
        # fields REFI cannot carry are left as not given, so a merge keeps the project's.
        ours = described.order is not None
        given = (lambda value: value) if ours else (lambda value: None)
        entry_order = order or described.order or (set_order.get(guid) if guid else None)
        order_given = entry_order is not None
        if entry_order is None:
            entry_order, defaulted = 3, defaulted + 1
        links = described.links
        if order and described.links:
            dropped_links += len(links)  # an order given for all: links made for other orders no longer fit
            links = []
        for i in range(len(links)):
            where[f"links.{i}"] = node.pos
        if name:
            entries.append(Entry(name=name, order=entry_order,
                                 definition=described.definition if ours or descriptions else None,
                                 when_to_use=given(described.when_to_use),
                                 when_not_to_use=given(described.when_not_to_use), example=given(described.example),
                                 colour=colour if colour or not ours else "", parent=parent or "",
                                 links=links if ours else None, guid=guid, order_given=order_given, where=where))
        for child in node.find("Code"):
            walk(child, name or parent)

    for group in codes:
        for code in group.find("Code"):
            walk(code, None)
    if groups:
        notes.append(f"{groups} grouping code{'s' if groups != 1 else ''} (isCodable=\"false\") became constructs, "
                     f"to keep the hierarchy")
    if dropped_links:
        notes.append(f"{dropped_links} link{'s' if dropped_links != 1 else ''} written in the descriptions "
                     f"{'were' if dropped_links != 1 else 'was'} left out: --order gives every construct one order")
    if defaulted:
        notes.append(f"{defaulted} code{'s' if defaulted != 1 else ''} had no order (no 'Order:' line in the "
                     f"description, no order set): new constructs among them are third-order, existing ones keep "
                     f"theirs; give --order to choose")
    return Codebook(title=Path(file).stem, entries=entries, notes=notes), problems

