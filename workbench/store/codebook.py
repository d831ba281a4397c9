"""Codebooks in and out of a project: read a file (YAML or REFI-QDA ``.qdc``), merge it into the
project's constructs in one transaction, and export the project's constructs as a codebook.

Loading is all or nothing. The file is checked whole, against itself and against the project's
constructs, before anything is written; then one transaction adds the new constructs, updates the
changed fields of existing ones (matched by name, ignoring case) and adds new links, and writes one
``codebook.load`` event. Nothing is ever deleted: a field or link the file leaves out keeps the
project's value. The event keeps the rows it added and the changed rows before and after, so
``workbench undo`` takes a load back (see ``store.undo``).
"""
from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from ..core.codebook import (TEXT_FIELDS, Codebook, CodebookError, Entry, Problem, check, name_key, order_label,
                             problem, to_yaml)
from . import events
from .db import Store, now
from .restructure import row

FIELDS = ("order", "parent", "colour") + TEXT_FIELDS  # the fields a load can change, in report order


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
    from ..core.codebook import read_yaml

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
        from ..interop.refi_qdc import read_qdc

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


# --- the project's constructs as codebook entries -------------------------------------------------

def project_entries(db: Store) -> list[Entry]:
    """Every construct of the project as an Entry: every field given, parents and link targets by
    name, links sorted, ``in_project`` set."""
    rows = db.execute(
        "SELECT id, guid, name, construct_order, parent_id, definition, when_to_use, when_not_to_use, example, "
        "colour FROM construct ORDER BY id").fetchall()
    names = {r[0]: r[2] for r in rows}
    links: dict[int, list[tuple[str, str]]] = {}
    for from_id, to_id, kind in db.execute("SELECT from_id, to_id, kind FROM construct_link ORDER BY id"):
        links.setdefault(from_id, []).append((kind, names[to_id]))
    out = []
    for cid, guid, name, order, parent_id, definition, when, when_not, example, colour in rows:
        out.append(Entry(name=name, order=order, definition=(definition or "").strip(),
                         when_to_use=(when or "").strip(), when_not_to_use=(when_not or "").strip(),
                         example=(example or "").strip(), colour=(colour or "").upper(),
                         parent=names.get(parent_id, "") if parent_id else "",
                         links=sorted(links.get(cid, []), key=lambda l: (l[0], name_key(l[1]))), guid=guid,
                         in_project=True))
    return out


def export_codebook(db: Store, title: str, description: str = "") -> Codebook:
    """The project's constructs as a codebook."""
    entries = project_entries(db)
    for e in entries:
        e.in_project = False
    return Codebook(title=title, description=description, entries=entries)


# --- merge ------------------------------------------------------------------------------------------

@dataclass
class Change:
    name: str
    construct_id: int
    fields: dict[str, tuple[Any, Any]]  # field -> (old, new); "links" -> (links before, links added)
    new_links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Report:
    """What a load did (or, in a dry run, would do)."""

    file: str
    kind: str
    added: list[Entry] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    added_ids: dict[str, int] = field(default_factory=dict)
    event_id: int | None = None

    def as_dict(self) -> dict:
        return {
            "file": self.file, "kind": self.kind,
            "added": [{"name": e.name, "order": e.order, "parent": e.parent or None,
                       "links": [[k, t] for k, t in e.links or ()], "id": self.added_ids.get(name_key(e.name))}
                      for e in self.added],
            "changed": [{"name": c.name, "id": c.construct_id,
                         "fields": {k: {"old": o, "new": n} for k, (o, n) in c.fields.items()}} for c in self.changed],
            "unchanged": self.unchanged, "notes": self.notes, "event": self.event_id,
        }


def _links_text(links) -> list[str]:
    return [f"{kind} {target}" for kind, target in links]


def plan(db: Store, codebook: Codebook, file: str, kind: str = "yaml", problems: Sequence[Problem] = ()) -> Report:
    """What loading ``codebook`` would do, without writing. Raises CodebookError listing every
    problem: a parent or link target that is neither in the file nor in the project, an order change
    of a construct that has codings, and any parent or link the merged constructs would break."""
    existing = {name_key(e.name): e for e in project_entries(db)}
    ids = dict(db.execute("SELECT name, id FROM construct").fetchall())
    ids = {name_key(n): i for n, i in ids.items()}
    coded = dict(db.execute("SELECT construct_id, count(*) FROM coding WHERE removed_at IS NULL "
                            "GROUP BY construct_id").fetchall())
    report = Report(file=file, kind=kind, notes=list(codebook.notes))
    problems = list(problems)
    effective: list[Entry] = []
    named: set[str] = set()
    for f in codebook.entries:
        key = name_key(f.name)
        named.add(key)
        old = existing.get(key)
        if old is None:
            report.added.append(f)
            effective.append(f)
            continue
        if not f.order_given:
            f.order = old.order  # the file had no order for it (a .qdc from another tool): keep the project's
        merged = Entry(name=old.name, order=f.order, guid=old.guid, where=f.where)
        for attr in TEXT_FIELDS + ("colour", "parent"):
            new = getattr(f, attr)
            setattr(merged, attr, getattr(old, attr) if new is None else new)
        file_links = list(f.links or [])
        merged.links = file_links + [l for l in old.links or [] if not _has_link(file_links, l)]
        effective.append(merged)
        changes: dict[str, tuple[Any, Any]] = {}
        if f.order and f.order != old.order:
            n = coded.get(ids[key], 0)
            if n:
                problems.append(problem(
                    f"{old.name!r} is {order_label(old.order)} in the project and has {n} coding{'s' if n != 1 else ''}: "
                    f"its order cannot change to {f.order} by loading a codebook; reassign or remove its codings "
                    f"first, or keep order {old.order} in the file", f.pos("order", "item"), f.name))
            else:
                changes["order"] = (old.order, f.order)
        if name_key(merged.parent or "") != name_key(old.parent or ""):
            changes["parent"] = (old.parent or None, merged.parent or None)
        for attr in ("colour",) + TEXT_FIELDS:
            if (getattr(merged, attr) or "") != (getattr(old, attr) or ""):
                changes[attr] = (getattr(old, attr) or "", getattr(merged, attr) or "")
        new_links = [l for l in file_links if not _has_link(old.links or [], l)]
        if new_links:
            changes["links"] = (_links_text(old.links or []), _links_text(new_links))
        if f.name != old.name:
            report.notes.append(f"{f.name!r} is called {old.name!r} in the project; that name is kept")
        if changes:
            report.changed.append(Change(old.name, ids[key], changes, new_links))
        else:
            report.unchanged.append(old.name)
    known = [e for k, e in existing.items() if k not in named]
    problems.extend(check(effective, known, scope="in this codebook or in the project"))
    # guids of new constructs: keep the file's (a .qdc) unless the project already uses one.
    taken = {g for (g,) in db.execute("SELECT lower(guid) FROM construct")}
    for e in report.added:
        if e.guid and e.guid.lower() in taken:
            report.notes.append(f"{e.name!r}: the guid {e.guid} belongs to another construct of the project; "
                                f"a new guid was given")
            e.guid = None
    if problems:
        raise CodebookError(file, problems)
    return report


def _has_link(links, link) -> bool:
    return any(k == link[0] and name_key(t) == name_key(link[1]) for k, t in links)


def load(db: Store, codebook: Codebook, file: str, reviewer_id: int | None, kind: str = "yaml",
         dry_run: bool = False, problems: Sequence[Problem] = ()) -> Report:
    """Merge ``codebook`` into the project in one transaction with one ``codebook.load`` event.

    Returns the report; with ``dry_run`` nothing is written. Raises CodebookError (nothing written)
    when the codebook cannot be merged, listing ``problems`` (those of its structure, from
    ``read_file``) with the ones found here.
    """
    if dry_run:
        return plan(db, codebook, file, kind, problems)
    with db.atomic():  # the plan is made under the write lock, so no other process changes it midway
        report = plan(db, codebook, file, kind, problems)
        ids = {name_key(n): i for n, i in db.execute("SELECT name, id FROM construct").fetchall()}
        before = {c.construct_id: row(db, "construct", c.construct_id) for c in report.changed}
        at = now()
        for e in report.added:
            cid = db.execute(
                "INSERT INTO construct (guid, name, construct_order, definition, when_to_use, when_not_to_use, "
                "example, colour, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [e.guid or str(uuid.uuid4()), e.name, e.order, e.definition or "", e.when_to_use or "",
                 e.when_not_to_use or "", e.example or "", e.colour or None, reviewer_id, at]).lastrowid
            ids[name_key(e.name)] = cid
            report.added_ids[name_key(e.name)] = cid
        for e in report.added:
            if e.parent:
                db.execute("UPDATE construct SET parent_id = ? WHERE id = ?", [ids[name_key(e.parent)], ids[name_key(e.name)]])
        for c in report.changed:
            for attr, (_, new) in c.fields.items():
                if attr == "links":
                    continue
                if attr == "parent":
                    db.execute("UPDATE construct SET parent_id = ? WHERE id = ?",
                               [ids[name_key(new)] if new else None, c.construct_id])
                elif attr == "order":
                    db.execute("UPDATE construct SET construct_order = ? WHERE id = ?", [new, c.construct_id])
                elif attr == "colour":
                    db.execute("UPDATE construct SET colour = ? WHERE id = ?", [new or None, c.construct_id])
                else:
                    db.execute(f"UPDATE construct SET {attr} = ? WHERE id = ?", [new, c.construct_id])
        link_ids = []
        new_links = [(e.name, e.links or []) for e in report.added] + [(c.name, c.new_links) for c in report.changed]
        for name, links in new_links:
            for kind_, target in links:
                link_ids.append(db.execute(
                    "INSERT INTO construct_link (from_id, to_id, kind, created_by, created_at) VALUES (?,?,?,?,?)",
                    [ids[name_key(name)], ids[name_key(target)], kind_, reviewer_id, at]).lastrowid)
        payload = report.as_dict()
        # whole rows before and after, so that undo can put back exactly the state before
        payload["rows"] = {
            "added": [row(db, "construct", i) for i in report.added_ids.values()],
            "changed": [{"before": old, "after": row(db, "construct", cid)} for cid, old in before.items()],
            "links": [row(db, "construct_link", i) for i in link_ids],
        }
        report.event_id = events.record(db, "codebook.load", reviewer_id, payload)
    return report


# --- export -----------------------------------------------------------------------------------------

def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename, so a
    reader never sees half a file and a crash leaves the old file whole."""
    path = Path(path)
    try:
        mode = path.stat().st_mode & 0o777  # keep the permissions of the file replaced
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask  # as open() would create it (mkstemp makes 0600)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def export_file(db: Store, path: Path | str, title: str) -> tuple[Codebook, str]:
    """Export the project's constructs to ``path``: REFI-QDA for a ``.qdc`` name, YAML otherwise.
    Refuses (CodebookError) a ``.qdc`` of a project without constructs: REFI requires one code."""
    path = Path(path)
    codebook = export_codebook(db, title)
    if path.suffix.lower() == ".qdc":
        from ..interop.refi_qdc import to_qdc

        if not codebook.entries:
            raise CodebookError(str(path), [Problem("the project has no constructs, and a REFI-QDA codebook needs "
                                                    "at least one code; nothing was written")])

        write_atomic(path, to_qdc(codebook))
        return codebook, "qdc"
    write_atomic(path, to_yaml(codebook).encode("utf-8"))
    return codebook, "yaml"
