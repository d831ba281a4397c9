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

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, TypedDict

from ..core.codebook import (TEXT_FIELDS, Codebook, CodebookError, Entry, Problem, check, name_key, order_label,
                             problem)
from ..core.constructs import check_parent
from . import events, undo
from .blind import NOTHING, Hidden
from .constructs import construct_row
from .db import Store, chunks, insert_row, marks, now, row, update_row
from .restore import check_free, codings_free, in_use, put_back_codings, refuse, take_removed_codings
from .restructure import check_link_orders

FIELDS = ("order", "parent", "colour") + TEXT_FIELDS  # the fields a load can change, in report order


class LoadedRows(TypedDict):
    added: list[dict[str, Any]]            # whole construct rows the load added
    changed: list[dict[str, dict[str, Any]]]  # {"before": row, "after": row} of each changed construct
    links: list[dict[str, Any]]            # whole link rows the load added


class CodebookLoaded(TypedDict, total=False):
    """Payload of ``codebook.load``: the report (``Report.as_dict``) and the whole rows undo needs
    (``rows``; missing from loads written before undo of a load existed)."""

    file: str
    kind: str
    added: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    unchanged: list[str]
    notes: list[str]
    event: int | None
    rows: LoadedRows


# --- the project's constructs as codebook entries -------------------------------------------------

def project_entries(db: Store, hidden: Hidden = NOTHING) -> list[Entry]:
    """Every construct of the project as an Entry: every field given, parents and link targets by
    name, links sorted, ``in_project`` set. Constructs and links in ``hidden`` (what a reviewer
    does not see coding blind) are left out, and a parent among them is left blank."""
    rows = [r for r in db.execute(
        "SELECT id, guid, name, construct_order, parent_id, definition, when_to_use, when_not_to_use, example, "
        "colour FROM construct ORDER BY id").fetchall() if r[0] not in hidden.constructs]
    names = {r[0]: r[2] for r in rows}
    links: dict[int, list[tuple[str, str]]] = {}
    for link_id, from_id, to_id, kind in db.execute(
            "SELECT id, from_id, to_id, kind FROM construct_link ORDER BY id"):
        if link_id in hidden.links or from_id not in names or to_id not in names:
            continue
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


def export_codebook(db: Store, title: str, description: str = "", hidden: Hidden = NOTHING) -> Codebook:
    """The project's constructs as a codebook (without those in ``hidden``)."""
    entries = project_entries(db, hidden)
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
        payload = CodebookLoaded(**report.as_dict())  # type: ignore[typeddict-item]
        # whole rows before and after, so that undo can put back exactly the state before
        payload["rows"] = LoadedRows(
            added=[row(db, "construct", i) for i in report.added_ids.values()],
            changed=[{"before": old, "after": row(db, "construct", cid)} for cid, old in before.items()],
            links=[row(db, "construct_link", i) for i in link_ids],
        )
        report.event_id = events.record(db, "codebook.load", reviewer_id, payload)
    return report


# --- undo takes out what the load added and writes the changed rows as they were; redo puts the
# load's rows back. The event keeps whole rows (``rows``) for this. -----------------------------------

def _undo_load(db: Store, p: CodebookLoaded, reviewer_id: int, stamp: str) -> undo.Change:
    kept = p.get("rows")
    if kept is None:
        raise undo.Conflict("it was loaded by an earlier version of the workbench, which kept no undo record")
    added = {values["id"]: values for values in kept["added"]}
    link_ids = {link["id"] for link in kept["links"]}
    problems = ["a link it made was changed or removed since"
                for link in kept["links"] if row(db, "construct_link", link["id"]) != link]
    problems += [f"{pair['after']['name']!r} was changed since"
                 for pair in kept["changed"] if row(db, "construct", pair["after"]["id"]) != pair["after"]]
    for cid, values in added.items():
        if row(db, "construct", cid) != values:
            problems.append(f"{values['name']!r} was changed since")
        else:
            problems += in_use(db, cid, values["name"], set(added), link_ids)
    refuse(problems)
    for part in chunks(sorted(link_ids)):
        db.execute(f"DELETE FROM construct_link WHERE id IN ({marks(part)})", part)
    for pair in kept["changed"]:
        update_row(db, "construct", pair["before"])
    removed, memos = take_removed_codings(db, list(added), stamp)
    for part in chunks(list(added)):
        db.execute(f"UPDATE construct SET parent_id = NULL WHERE id IN ({marks(part)})", part)
        db.execute(f"DELETE FROM construct WHERE id IN ({marks(part)})", part)
    touched = set(added) | {pair["before"]["id"] for pair in kept["changed"]}
    return undo.Change({"codings": removed, "memos": memos, "at": stamp}, {c["study_id"] for c in removed}, touched)


def _redo_load(db: Store, p: CodebookLoaded, u: dict, reviewer_id: int) -> undo.Change:
    kept = p["rows"]
    problems = []
    for values in kept["added"]:  # parents are checked below, once every row is back
        problems += check_free(db, {**values, "parent_id": None}, repr(values["name"]))
    problems += [f"{pair['before']['name']!r} was changed since"
                 for pair in kept["changed"] if row(db, "construct", pair["before"]["id"]) != pair["before"]]
    problems += [f"link id {link['id']} is used by another link now"
                 for link in kept["links"] if row(db, "construct_link", link["id"]) is not None]
    refuse(problems + codings_free(db, u))
    for values in kept["added"]:
        insert_row(db, "construct", {**values, "parent_id": None})
    for values in kept["added"]:
        if values["parent_id"] is not None:
            db.execute("UPDATE construct SET parent_id = ? WHERE id = ?", [values["parent_id"], values["id"]])
    for pair in kept["changed"]:
        update_row(db, "construct", pair["after"])
    for link in kept["links"]:
        insert_row(db, "construct_link", link)
    put_back_codings(db, u)
    touched = [values["id"] for values in kept["added"]] + [pair["after"]["id"] for pair in kept["changed"]]
    # constructs outside the load may have changed order since: the parents and links must still fit
    for cid in touched:
        values = construct_row(db, cid)
        if values["parent_id"] is not None:
            parent = construct_row(db, values["parent_id"])
            check_parent(values["construct_order"], parent["construct_order"], values["name"], parent["name"])
    for link in kept["links"]:
        check_link_orders(db, link["from_id"], link["kind"], link["to_id"])
    return undo.Change({}, {c["study_id"] for c in u["codings"]}, set(touched))


def _describe_load(db: Store, p: CodebookLoaded) -> str:
    return (f"loading the codebook {Path(p['file']).name!r} ({len(p['added'])} added, "
            f"{len(p['changed'])} changed)")


undo.register("codebook.load", _undo_load, _redo_load, _describe_load)
