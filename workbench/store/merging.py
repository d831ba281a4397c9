"""Merging another copy of the project into this one: a reviewer who coded in their own copy (a
laptop on a train) brings their work back with ``workbench merge PROJECT OTHER``.

What comes in: OTHER's reviewers (matched by name), their codings and memos (matched by guid), study
statuses and translation judgements (matched by study, reviewer and concept), and the constructs
those need (matched by guid, then by name ignoring case), with the links of the constructs it adds.
Studies are matched by the sha256 of their text. Everything is one transaction and one undoable
``project.merge`` event (``Merged``); merging the same copy again adds nothing.

Conflicts are reported, never guessed, and this project's side is kept:

- a construct renamed differently in both copies (its codings come in, on this project's construct);
  one renamed in OTHER only keeps its name here, with a note;
- a construct of OTHER whose name here is another construct's or one of another order, or that
  was deleted here: what needs it is not brought (one merged away here goes to what it was merged
  into, with a note);
- a study of OTHER that this project lacks (no study with its text): nothing of it is brought;
- a coding whose quote is not this project's text at its span;
- a status, memo or judgement changed differently in both copies.

Which copy changed a status, memo or judgement is read from the two event logs: they are equal up
to the moment the copies parted (``parted_at``). A value set in one copy only since then is taken
from that copy (so ben's statuses from ben's copy are his; a value a merge wrote into either copy
counts as the other copy's, not as a change, so copies can be merged back and forth); set in both
since then, differently, it is a conflict. When
the copies share no history (two projects that imported the same texts), every difference is a
conflict. A coding or memo removed in either copy stays removed: a removal is a later, deliberate
act. A judgement cleared in OTHER since the copies parted, and not changed here, is cleared here.

OTHER is never written: its database is read through a read-only connection into a private copy
(brought up to date there if OTHER is older); a database of a newer workbench is refused.
"""
from __future__ import annotations

import json
import sqlite3
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, TypedDict

from ..core.constructs import ORDERS, ConstructError, check_parent
from ..core.errors import WorkbenchError
from ..core.text import clip
from . import events, undo
from .db import SCHEMA_VERSION, Store, chunks, connect, marks, now
from .restore import refuse
from .words import plural, study_name

DB_FILE = "project.db"

# What a merge brings, in report order, with the word for one of each.
KINDS = {"reviewers": "reviewer", "constructs": "construct", "links": "link", "codings": "coding",
         "removals": "coding removal", "statuses": "status", "memos": "memo", "judgements": "judgement",
         "cleared": "cleared judgement"}
# The tables a merge writes, in the order rows go in (a row's references first); undo goes backwards.
TABLES = ("reviewer", "construct", "construct_link", "coding", "memo", "study_status", "translation")
KEYS = {"study_status": ("study_id", "reviewer_id")}  # every other table: ("id",)


class MergeError(WorkbenchError):
    """The merge was refused (OTHER cannot be read, is this project, is newer); nothing was written."""


@dataclass(frozen=True)
class Clash:
    """A conflict the merge reported and did not resolve: ``kind`` (``renamed``, ``name taken``,
    ``construct deleted``, ``study missing``, ``quote``, ``status``, ``memo``, ``judgement``) and
    the sentence a reviewer reads."""

    kind: str
    message: str


@dataclass
class MergeReport:
    """What a merge did (or, with ``dry_run``, would do)."""

    other: str
    dry_run: bool
    parted_at: str | None                  # the last event both copies share; None: no shared history
    brought: dict[str, int]                # KINDS -> how many came in
    already: dict[str, int]                # KINDS -> how many were here already (or kept as here)
    conflicts: list[Clash] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    event_id: int | None = None

    @property
    def changed(self) -> bool:
        return any(self.brought.values())

    def as_json(self) -> dict[str, Any]:
        return {"other": self.other, "dry_run": self.dry_run, "parted_at": self.parted_at,
                "brought": self.brought, "already": self.already,
                "conflicts": [{"kind": c.kind, "message": c.message} for c in self.conflicts],
                "notes": self.notes, "event": self.event_id}


class Merged(TypedDict):
    """Payload of ``project.merge``: the whole rows it added (``inserted``), the rows it changed
    (``updated``: ``{"before", "after"}``) and took out (``deleted``), per table."""

    other: str
    at: str
    brought: dict[str, int]
    inserted: dict[str, list[dict[str, Any]]]
    updated: dict[str, list[dict[str, dict[str, Any]]]]
    deleted: dict[str, list[dict[str, Any]]]


# --- reading OTHER --------------------------------------------------------------------------------

@contextmanager
def other_copy(other: Path | str, here: Path | str | None = None) -> Iterator[Store]:
    """OTHER's database as a private, up-to-date copy, opened; OTHER's files are only read.

    Refuses (MergeError) a directory without a project database, this project itself, a file that
    is not a workbench database and a database of a newer workbench."""
    import tempfile  # here: undo imports this module to find its handlers, and needs none of it

    root = Path(other)
    path = root / DB_FILE
    if not path.is_file():
        raise MergeError(f"{root}: not a project to merge from (no {DB_FILE}); give the other copy's directory")
    if here is not None and Path(here).exists() and path.resolve() == Path(here).resolve():
        raise MergeError(f"{root} is this project itself; give the other copy's directory")
    side = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    existed = [p.exists() for p in side]
    with tempfile.TemporaryDirectory(prefix="workbench-merge-") as tmp:
        copy = Path(tmp) / DB_FILE
        try:
            source = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
            try:
                version = source.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if version > SCHEMA_VERSION:
                    raise MergeError(f"{path}: made by a newer workbench (database schema {version}); this workbench "
                                     f"reads schema {SCHEMA_VERSION} and older: upgrade the workbench, then merge")
                if version == 0 or "reviewer" not in tables:
                    raise MergeError(f"{path}: not a workbench project database")
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)
                finally:
                    target.close()
            finally:
                source.close()
                _tidy(side, existed)
        except sqlite3.DatabaseError as exc:
            raise MergeError(f"{path}: cannot read the other copy's database ({exc})") from None
        store = connect(copy)  # brings an older schema up to date, in the private copy only
        try:
            yield store
        finally:
            store.close()


def _tidy(side: list[Path], existed: list[bool]) -> None:
    """Take back the WAL side files a read-only connection had to make next to OTHER's database
    (SQLite leaves them): only those that were not there before, and the log only while empty
    (no other process has written through it meanwhile)."""
    wal, shm = side
    if not existed[0] and wal.exists() and wal.stat().st_size == 0:
        wal.unlink(missing_ok=True)
    if not existed[1] and shm.exists() and not wal.exists():
        shm.unlink(missing_ok=True)


def parted_at(here: Store, other: Store) -> str | None:
    """When the two copies parted: the time of the newest event both event logs hold alike (the
    logs are append-only, so they agree up to the copy and differ after). None when they share none."""
    found = _parted(here, other)
    return None if found is None else found[1]


def _parted(here: Store, other: Store) -> tuple[int, str] | None:
    """(id, time) of the newest event both logs hold alike; None when they share none."""
    def event(db: Store, k: int):
        return db.execute("SELECT at, action, payload FROM event WHERE id = ?", [k]).fetchone()

    top = min(events.last_id(here), events.last_id(other))
    if top == 0 or event(here, 1) != event(other, 1):
        return None
    low, high = 1, top  # event(low) agrees; find the last that does
    while low < high:
        mid = (low + high + 1) // 2
        if event(here, mid) == event(other, mid):
            low = mid
        else:
            high = mid - 1
    return low, event(here, low)[0]


def renamed_since(db: Store, after_event: int) -> set[str]:
    """The guids of the constructs renamed (or a rename of which was undone or redone) in this copy
    after event ``after_event``."""
    ids: set[int] = set()
    for action, payload in db.execute("SELECT action, payload FROM event WHERE id > ? AND action IN "
                                      "('construct.rename', 'undo', 'redo')", [after_event]):
        p = json.loads(payload)
        if action == "construct.rename":
            ids.add(p["construct"])
        elif p.get("action") == "construct.rename":
            original = db.execute("SELECT payload FROM event WHERE id = ?", [p["event"]]).fetchone()
            if original:
                ids.add(json.loads(original[0])["construct"])
    return {g for (g,) in db.execute(f"SELECT guid FROM construct WHERE id IN ({marks(list(ids))})", list(ids))} \
        if ids else set()


def rows_merges_wrote(db: Store) -> set[tuple[str, str]]:
    """(table, row as JSON) of every status, memo and judgement a merge wrote into this copy: such a
    row, while unchanged, is another copy's value, not a change made in this one."""
    wrote: set[tuple[str, str]] = set()
    tables = ("study_status", "memo", "translation")
    paths = ", ".join(f"json_extract(payload, '$.inserted.{t}'), json_extract(payload, '$.updated.{t}')"
                      for t in tables)  # SQLite picks these out: a payload may hold 100,000 codings
    for found in db.execute(f"SELECT {paths} FROM event WHERE action = 'project.merge'"):
        for i, table in enumerate(tables):
            for values in json.loads(found[2 * i] or "[]"):
                wrote.add((table, _frozen(values)))
            for pair in json.loads(found[2 * i + 1] or "[]"):
                wrote.add((table, _frozen(pair["after"])))
    return wrote


def _all(db: Store, table: str) -> list[dict[str, Any]]:
    return list(db.query(f"SELECT * FROM {table} ORDER BY {', '.join(KEYS.get(table, ('id',)))}"))


# --- the merge ------------------------------------------------------------------------------------

class _DryRun(Exception):
    def __init__(self, report: MergeReport):
        self.report = report


def merge(db: Store, other: Path | str, reviewer_id: int | None, dry_run: bool = False,
          here: Path | str | None = None) -> MergeReport:
    """Bring OTHER's work into this project in one transaction and one ``project.merge`` event of
    ``reviewer_id`` (none when nothing is new). With ``dry_run`` the same merge is worked out and
    rolled back: the report says what would come in. ``here`` is this project's database file (to
    refuse merging a project into itself)."""
    with other_copy(other, here) as source:
        try:
            with db.atomic():
                report, payload = _Merger(db, source, str(other), dry_run).run()
                if dry_run:
                    raise _DryRun(report)
                if report.changed:
                    report.event_id = events.record(db, "project.merge", reviewer_id, payload)
        except _DryRun as done:
            return done.report
    return report


class _Merger:
    """One merge, planned and written row by row inside the caller's transaction."""

    def __init__(self, db: Store, other: Store, name: str, dry_run: bool):
        self.db, self.other, self.name = db, other, name
        fork = _parted(db, other)
        self.parted = None if fork is None else fork[1]
        self.renamed = None if fork is None else (renamed_since(db, fork[0]), renamed_since(other, fork[0]))
        self.report = MergeReport(name, dry_run, self.parted, {k: 0 for k in KINDS}, {k: 0 for k in KINDS})
        self.inserted: dict[str, list[dict]] = defaultdict(list)
        self.updated: dict[str, list[dict]] = defaultdict(list)
        self.deleted: dict[str, list[dict]] = defaultdict(list)
        self.next_id: dict[str, int] = {}
        self.pending: list[dict[str, Any]] = []
        self.merged_rows = rows_merges_wrote(db)
        self.merged_there = rows_merges_wrote(other)

    # -- writing, remembered for undo --

    def _insert(self, table: str, values: dict[str, Any], later: bool = False) -> dict[str, Any]:
        """Add a row (with the next free id); ``later`` keeps it for ``_flush``, which writes many
        at once (codings: a merge may bring 100,000)."""
        if table not in KEYS:
            if table not in self.next_id:
                self.next_id[table] = self.db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0]
            values = {**values, "id": self.next_id[table]}
            self.next_id[table] += 1
        if later:
            self.pending.append(values)
        else:
            _insert_rows(self.db, table, [values])
        self.inserted[table].append(values)
        return values

    def _flush(self, table: str) -> None:
        _insert_rows(self.db, table, self.pending)
        self.pending = []

    def _update(self, table: str, before: dict[str, Any], changes: dict[str, Any]) -> None:
        after = {**before, **changes}
        _write_over(self.db, table, after)
        self.updated[table].append({"before": before, "after": after})

    def _delete(self, table: str, values: dict[str, Any]) -> None:
        _delete_rows(self.db, table, [values])
        self.deleted[table].append(values)

    def _changed_here(self, table: str, values: dict[str, Any], stamp: str) -> bool:
        if (table, _frozen(values)) in self.merged_rows:
            return False
        return self.parted is None or stamp > self.parted

    def _changed_there(self, table: str, values: dict[str, Any], stamp: str) -> bool:
        if (table, _frozen(values)) in self.merged_there:
            return False
        return self.parted is None or stamp > self.parted

    def clash(self, kind: str, message: str) -> None:
        self.report.conflicts.append(Clash(kind, message))

    # -- the steps --

    def run(self) -> tuple[MergeReport, Merged]:
        self._reviewers()
        self._studies()
        self._constructs()
        self._codings()
        self._memos()
        self._statuses()
        self._judgements()
        self._links()
        self._report_unplaced()
        payload = Merged(other=self.name, at=now(), brought=dict(self.report.brought),
                         inserted=dict(self.inserted), updated=dict(self.updated), deleted=dict(self.deleted))
        return self.report, payload

    def _reviewers(self) -> None:
        here = {name.casefold(): rid for rid, name in self.db.execute("SELECT id, name FROM reviewer")}
        guids = {g for (g,) in self.db.execute("SELECT guid FROM reviewer")}
        self.rmap: dict[int, int] = {}
        self.rname: dict[int, str] = {}
        for r in _all(self.other, "reviewer"):
            self.rname[r["id"]] = r["name"]
            found = here.get(r["name"].casefold())
            if found is not None:
                self.rmap[r["id"]] = found
                self.report.already["reviewers"] += 1
                continue
            guid = r["guid"] if r["guid"] not in guids else str(uuid.uuid4())
            self.rmap[r["id"]] = self._insert("reviewer", {**r, "guid": guid})["id"]
            self.report.brought["reviewers"] += 1

    def _studies(self) -> None:
        by_hash: dict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
        for sid, guid, removed, sha in self.db.execute(
                "SELECT s.id, s.guid, s.removed_at, d.sha256 FROM study s JOIN document d ON d.study_id = s.id "
                "ORDER BY s.removed_at IS NOT NULL, s.id"):
            by_hash[sha].append((sid, guid, removed))
        self.smap: dict[int, int] = {}
        self.missing: dict[int, Counter] = {}
        for sid, guid, sha in self.other.execute(
                "SELECT s.id, s.guid, d.sha256 FROM study s LEFT JOIN document d ON d.study_id = s.id ORDER BY s.id"):
            found = by_hash.get(sha or "")
            if not found:
                self.missing[sid] = Counter()
                continue
            same = [f for f in found if f[1] == guid]
            self.smap[sid] = (same or found)[0][0]
        self.texts: dict[int, str] = {}

    def _text(self, study_id: int) -> str:
        if study_id not in self.texts:
            self.texts[study_id] = self.db.execute("SELECT text FROM document WHERE study_id = ?",
                                                   [study_id]).fetchone()[0]
        return self.texts[study_id]

    def _study(self, other_study: int, what: str) -> int | None:
        """This project's study for OTHER's; None (counting ``what`` as not brought) when it has none."""
        if other_study in self.smap:
            return self.smap[other_study]
        self.missing.setdefault(other_study, Counter())[what] += 1
        return None

    def _constructs(self) -> None:
        """Decide where each of OTHER's constructs goes: ``place`` maps it to a construct here
        (matched, or the one it was merged into here: ``redirected``), ``blocked`` holds the reason
        one cannot be placed (reported with what it kept out); any other is added when needed."""
        here = {r["id"]: r for r in _all(self.db, "construct")}
        by_guid = {r["guid"]: r for r in here.values()}
        by_name = {r["name"].casefold(): r for r in here.values()}
        retired = self._retired()
        self.others = {r["id"]: r for r in _all(self.other, "construct")}
        self.place: dict[int, int] = {}
        self.redirected: dict[int, Counter] = {}  # merged into another here: what went there
        self.blocked: dict[int, str] = {}
        self.kept_out: dict[int, Counter] = defaultdict(Counter)
        self.added_constructs: set[int] = set()  # OTHER's ids of the constructs this merge adds
        claimed = {by_guid[r["guid"]]["id"] for r in self.others.values() if r["guid"] in by_guid}
        for oid, r in self.others.items():
            mine = by_guid.get(r["guid"])
            if mine is not None:
                self.place[oid] = mine["id"]
                self.report.already["constructs"] += 1
                if mine["name"] != r["name"]:
                    self._renamed(mine, r, by_name)
                continue
            if r["guid"] in retired:
                kind, target = retired[r["guid"]]
                if kind == "merged" and target in here:
                    self.place[oid] = target
                    self.redirected[oid] = Counter()
                else:
                    self.blocked[oid] = f"{r['name']!r} was deleted in this project"
                continue
            same = by_name.get(r["name"].casefold())
            if same is None:
                continue
            if same["id"] in claimed:
                theirs = next(o["name"] for o in self.others.values() if o["guid"] == same["guid"])
                self.blocked[oid] = (f"{r['name']!r} in {self.name} has the name of another construct here "
                                     f"({same['name']!r}, which {self.name} calls {theirs!r})")
            elif same["construct_order"] != r["construct_order"]:
                self.blocked[oid] = (f"{r['name']!r} is {ORDERS[r['construct_order']]} in {self.name}, but "
                                     f"{same['name']!r} here is {ORDERS[same['construct_order']]}")
            else:
                self.place[oid] = same["id"]
                self.report.already["constructs"] += 1

    def _renamed(self, mine: dict[str, Any], theirs: dict[str, Any], by_name: dict[str, dict]) -> None:
        """One construct, two names. Renamed here only: this project's newer name, nothing to say.
        Renamed in OTHER only: a note (a rename changes every reviewer's codings' label, so it is
        not brought). Renamed in both, or no shared history to tell: a conflict."""
        here_renamed, there_renamed = self.renamed or (set(), set())
        if self.renamed is not None and mine["guid"] not in there_renamed:
            return
        if self.renamed is not None and mine["guid"] not in here_renamed:
            self.report.notes.append(f"{mine['name']!r} was renamed {theirs['name']!r} in {self.name}; kept "
                                     f"{mine['name']!r} here (rename it here if that is wanted)")
            return
        owner = by_name.get(theirs["name"].casefold())
        taken = ", the name of another construct here" if owner is not None and owner["id"] != mine["id"] else ""
        self.clash("renamed", f"{mine['name']!r} here is called {theirs['name']!r} in {self.name}{taken}; kept "
                   f"{mine['name']!r}, and brought its codings to it")

    def _retired(self) -> dict[str, tuple[str, int | None]]:
        """guid -> ("merged", the construct here it lives on in) or ("deleted", None), for the
        constructs this project merged away or deleted (read from its event log)."""
        gone: dict[str, tuple[str, int | None]] = {}
        by_id: dict[int, int] = {}
        for action, payload in self.db.execute(
                "SELECT action, payload FROM event WHERE action IN ('construct.merge', 'construct.delete') "
                "ORDER BY id"):
            p = json.loads(payload)
            if action == "construct.merge":
                gone[p["source"]["guid"]] = ("merged", p["target"])
                by_id[p["source"]["id"]] = p["target"]
            else:
                gone[p["construct"]["guid"]] = ("deleted", None)
        for guid, (kind, target) in gone.items():  # a target merged away later: follow it on
            seen = 0
            while kind == "merged" and target in by_id and seen < 1000:
                target, seen = by_id[target], seen + 1
            gone[guid] = (kind, target)
        return gone

    def need(self, oid: int, what: str | None = None) -> int | None:
        """This project's construct for OTHER's construct ``oid``, adding it (and its parents) when
        it is new; None when it is blocked (``what`` counted as kept out by it)."""
        if oid in self.place:
            if oid in self.redirected and what is not None:
                self.redirected[oid][what] += 1
            return self.place[oid]
        if oid in self.blocked:
            if what is not None:
                self.kept_out[oid][what] += 1
            return None
        r = self.others[oid]
        parent = None
        if r["parent_id"] is not None:
            parent = self.need(r["parent_id"])
            if parent is None:
                self.report.notes.append(f"{r['name']!r} came in without its parent "
                                         f"{self.others[r['parent_id']]['name']!r}, which could not be placed here")
            else:
                order = self.db.execute("SELECT construct_order, name FROM construct WHERE id = ?", [parent]).fetchone()
                try:
                    check_parent(r["construct_order"], order[0], r["name"], order[1])
                except ConstructError:
                    self.report.notes.append(f"{r['name']!r} came in without its parent: {order[1]!r} is of a "
                                             "lower order here")
                    parent = None
        made = self._insert("construct", {
            **r, "parent_id": parent, "study_id": self.smap.get(r["study_id"]) if r["study_id"] else None,
            "created_by": self.rmap.get(r["created_by"]) if r["created_by"] else None})
        self.place[oid] = made["id"]
        self.added_constructs.add(oid)
        self.report.brought["constructs"] += 1
        return made["id"]

    def _codings(self) -> None:
        here = {g: (cid, removed) for cid, g, removed in self.db.execute("SELECT id, guid, removed_at FROM coding")}
        live = {tuple(r[1:]): r[0] for r in self.db.execute(
            "SELECT id, construct_id, study_id, reviewer_id, span_start, span_end FROM coding "
            "WHERE removed_at IS NULL")}
        self.cmap: dict[int, int] = {}
        for c in _all(self.other, "coding"):
            mine = here.get(c["guid"])
            if mine is not None:
                self.cmap[c["id"]] = mine[0]
                if c["removed_at"] is not None and mine[1] is None:
                    before = next(self.db.query("SELECT * FROM coding WHERE id = ?", [mine[0]]))
                    self._update("coding", before, {"removed_at": c["removed_at"],
                                                    "removed_by": self.rmap.get(c["removed_by"])})
                    self.report.brought["removals"] += 1
                else:
                    self.report.already["codings"] += 1
                continue
            if c["removed_at"] is not None:
                continue  # made and taken back in OTHER: nothing to see
            study = self._study(c["study_id"], "coding")
            if study is None:
                continue
            text = self._text(study)
            if text[c["span_start"]:c["span_end"]] != c["exact"]:
                self.clash("quote", f"{self.rname[c['reviewer_id']]}'s coding “{clip(c['exact'], 40)}” "
                           f"({study_name(self.db, study)}) as {self.others[c['construct_id']]['name']!r} does not "
                           f"match this project's text at {c['span_start']}-{c['span_end']} "
                           f"(“{clip(text[c['span_start']:c['span_end']], 40)}”): not brought")
                continue
            construct = self.need(c["construct_id"], "coding")
            if construct is None:
                continue
            reviewer = self.rmap[c["reviewer_id"]]
            same = live.get((construct, study, reviewer, c["span_start"], c["span_end"]))
            if same is not None:
                self.cmap[c["id"]] = same
                self.report.already["codings"] += 1
                continue
            made = self._insert("coding", {**c, "study_id": study, "construct_id": construct, "reviewer_id": reviewer,
                                           "removed_by": None}, later=True)
            self.cmap[c["id"]] = made["id"]
            live[(construct, study, reviewer, c["span_start"], c["span_end"])] = made["id"]
            self.report.brought["codings"] += 1
        self._flush("coding")

    def _target(self, m: dict[str, Any]) -> tuple[bool, int | None]:
        """(placed, this project's target id) of OTHER's memo ``m``."""
        kind, target = m["target_kind"], m["target_id"]
        if kind == "project":
            return True, None
        if kind == "study":
            found = self._study(target, "memo")
        elif kind == "construct":
            found = self.need(target, "memo")
        else:
            found = self.cmap.get(target)
        return found is not None, found

    def _memos(self) -> None:
        here = {r["guid"]: r for r in _all(self.db, "memo")}
        live = {(r["target_kind"], r["target_id"], r["reviewer_id"]): r
                for r in here.values() if r["removed_at"] is None}
        for m in _all(self.other, "memo"):
            mine = here.get(m["guid"])
            if mine is None and m["removed_at"] is not None:
                continue
            placed, target = self._target(m)
            if not placed:
                continue
            reviewer = self.rmap[m["reviewer_id"]]
            where = self._memo_words(m["target_kind"], target)
            if mine is None:
                other = live.get((m["target_kind"], target, reviewer))
                if other is None:
                    made = self._insert("memo", {**m, "target_id": target, "reviewer_id": reviewer})
                    live[(m["target_kind"], target, reviewer)] = made
                    self.report.brought["memos"] += 1
                elif other["text"] == m["text"]:
                    self.report.already["memos"] += 1
                else:
                    self.clash("memo", f"{self.rname[m['reviewer_id']]}'s memo on {where} differs between the copies "
                               f"(“{clip(other['text'], 30)}” here, “{clip(m['text'], 30)}” in {self.name}); "
                               "kept this project's")
                continue
            if (mine["text"], mine["removed_at"] is None) == (m["text"], m["removed_at"] is None):
                self.report.already["memos"] += 1
                continue
            here_changed = self._changed_here("memo", mine, max(mine["updated_at"], mine["removed_at"] or ""))
            who = self.rname[m["reviewer_id"]]
            if mine["removed_at"] is not None:
                self.report.already["memos"] += 1  # removed here: stays removed
            elif m["removed_at"] is not None and here_changed:
                self.clash("memo", f"{who}'s memo on {where} was removed in {self.name} and changed here; "
                           "kept this project's")
            elif m["removed_at"] is not None or not here_changed:
                self._update("memo", mine, {"text": m["text"], "updated_at": m["updated_at"],
                                            "removed_at": m["removed_at"]})
                self.report.brought["memos"] += 1
            elif not self._changed_there("memo", m, m["updated_at"]):
                self.report.already["memos"] += 1
            else:
                self.clash("memo", f"{who}'s memo on {where} was changed in both copies "
                           f"(“{clip(mine['text'], 30)}” here, “{clip(m['text'], 30)}” in {self.name}); "
                           "kept this project's")

    def _memo_words(self, kind: str, target: int | None) -> str:
        if kind == "project":
            return "the project"
        if kind == "study":
            return study_name(self.db, target)
        if kind == "construct":
            return repr(self.db.execute("SELECT name FROM construct WHERE id = ?", [target]).fetchone()[0])
        found = self.db.execute("SELECT exact, study_id FROM coding WHERE id = ?", [target]).fetchone()
        return f"the coding “{clip(found[0], 30)}” ({study_name(self.db, found[1])})"

    def _three_way(self, table: str, mine: dict, theirs: dict, same: bool, changes: dict, kind: str,
                   clash: str, words: str) -> None:
        """Settle one status or judgement both copies hold: equal -> already here; changed in OTHER
        only -> taken; changed here only -> kept; changed in both -> a conflict, this project's kept."""
        if same:
            self.report.already[kind] += 1
        elif not self._changed_here(table, mine, mine["updated_at"]):
            self._update(table, mine, changes)
            self.report.brought[kind] += 1
        elif not self._changed_there(table, theirs, theirs["updated_at"]):
            self.report.already[kind] += 1
        else:
            self.clash(clash, words)

    def _statuses(self) -> None:
        here = {(r["study_id"], r["reviewer_id"]): r for r in _all(self.db, "study_status")}
        for s in _all(self.other, "study_status"):
            study = self._study(s["study_id"], "status")
            if study is None:
                continue
            reviewer = self.rmap[s["reviewer_id"]]
            mine = here.get((study, reviewer))
            if mine is None:
                here[(study, reviewer)] = self._insert("study_status",
                                                       {**s, "study_id": study, "reviewer_id": reviewer})
                self.report.brought["statuses"] += 1
                continue
            who = self.rname[s["reviewer_id"]]
            self._three_way("study_status", mine, s, mine["status"] == s["status"],
                            {"status": s["status"], "updated_at": s["updated_at"]}, "statuses", "status",
                            f"{who}'s status of {study_name(self.db, study)} is {mine['status']!r} here and "
                            f"{s['status']!r} in {self.name}, set in both since the copies parted; "
                            f"kept {mine['status']!r}")

    def _judgements(self) -> None:
        here = {(r["concept_id"], r["study_id"], r["reviewer_id"]): r for r in _all(self.db, "translation")}
        seen: set[tuple[int, int, int]] = set()
        for j in _all(self.other, "translation"):
            study = self._study(j["study_id"], "judgement")
            if study is None:
                continue
            concept = self.need(j["concept_id"], "judgement")
            if concept is None:
                continue
            key = (concept, study, self.rmap[j["reviewer_id"]])
            if key in seen:  # two of OTHER's concepts are one here (merged here): the first one's judgement
                continue
            seen.add(key)
            mine = here.get(key)
            if mine is None:
                if self.parted is not None and j["updated_at"] <= self.parted:
                    self.report.already["judgements"] += 1  # cleared here since the copies parted: stays cleared
                    continue
                self._insert("translation", {**j, "concept_id": concept, "study_id": study, "reviewer_id": key[2]})
                self.report.brought["judgements"] += 1
                continue
            concept_name = self.db.execute("SELECT name FROM construct WHERE id = ?", [concept]).fetchone()[0]
            self._three_way("translation", mine, j, (mine["kind"], mine["note"]) == (j["kind"], j["note"]),
                            {"kind": j["kind"], "note": j["note"], "updated_at": j["updated_at"]},
                            "judgements", "judgement",
                            f"{self.rname[j['reviewer_id']]}'s judgement of {study_name(self.db, study)} for "
                            f"{concept_name!r} is {mine['kind']} here and {j['kind']} in {self.name}, set in both "
                            f"since the copies parted; kept {mine['kind']}")
        if self.parted is None:
            return
        # a judgement here from before the copies parted that OTHER no longer has was cleared there
        back_s = {v: k for k, v in self.smap.items()}
        back_r = {v: k for k, v in self.rmap.items()}
        placed = set(self.place.values())
        for key, mine in here.items():
            if key in seen or mine["updated_at"] > self.parted:
                continue
            if key[0] in placed and key[1] in back_s and key[2] in back_r:
                self._delete("translation", mine)
                self.report.brought["cleared"] += 1

    def _links(self) -> None:
        """The links of the constructs the merge added (to constructs now here)."""
        if not self.added_constructs:
            return
        exists = {(a, b, k) for a, b, k in self.db.execute("SELECT from_id, to_id, kind FROM construct_link")}
        for link in _all(self.other, "construct_link"):
            if link["from_id"] not in self.added_constructs and link["to_id"] not in self.added_constructs:
                continue
            a, b = self.place.get(link["from_id"]), self.place.get(link["to_id"])
            if a is None or b is None:
                continue
            if (a, b, link["kind"]) in exists:
                self.report.already["links"] += 1
                continue
            orders = [self.db.execute("SELECT construct_order FROM construct WHERE id = ?", [i]).fetchone()[0]
                      for i in (a, b)]
            ends = (self.others[link["from_id"]], self.others[link["to_id"]])
            if orders != [ends[0]["construct_order"], ends[1]["construct_order"]]:
                self.report.notes.append(f"the link {ends[0]['name']!r} {link['kind']} {ends[1]['name']!r} "
                                         "was not brought: the orders differ here")
                continue
            self._insert("construct_link", {**link, "from_id": a, "to_id": b,
                                            "created_by": self.rmap.get(link["created_by"])
                                            if link["created_by"] else None})
            exists.add((a, b, link["kind"]))
            self.report.brought["links"] += 1

    def _report_unplaced(self) -> None:
        """Conflicts for what could not be placed (blocked constructs, missing studies), and notes
        for what went to the construct its own was merged into here."""
        for oid, went in self.redirected.items():
            if went:
                name, target = self.others[oid]["name"], self.db.execute(
                    "SELECT name FROM construct WHERE id = ?", [self.place[oid]]).fetchone()[0]
                self.report.notes.append(f"{name!r} was merged into {target!r} here: {_counted(went)} "
                                         f"with it in {self.name} went to {target!r}")
        for oid, reason in self.blocked.items():
            kept = self.kept_out.get(oid)
            if not kept:
                continue
            kind = "construct deleted" if reason.endswith("deleted in this project") else "name taken"
            self.clash(kind, f"{reason}: {_counted(kept)} with it not brought")
        for sid, kept in sorted(self.missing.items()):
            name = study_name(self.other, sid)
            title = self.other.execute("SELECT title FROM study WHERE id = ?", [sid]).fetchone()[0]
            what = f"{_counted(kept)} not brought" if kept else "nothing of it brought"
            self.clash("study missing", f"{name} (“{clip(title, 60)}”) is not in this project (no study has its "
                       f"text): {what}; import it, then merge again")


def _counted(kept: Counter) -> str:
    parts = [plural(n, what) if what != "status" else f"{n} status{'es' if n != 1 else ''}"
             for what, n in kept.items()]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _frozen(values: dict[str, Any]) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False)


# --- rows by key, for undo and redo -----------------------------------------------------------------

def _where(table: str) -> str:
    return " AND ".join(f"{k} = ?" for k in KEYS.get(table, ("id",)))


def _key(table: str, values: dict[str, Any]) -> list[Any]:
    return [values[k] for k in KEYS.get(table, ("id",))]


def _current(db: Store, table: str, values: dict[str, Any]) -> dict[str, Any] | None:
    return next(db.query(f"SELECT * FROM {table} WHERE {_where(table)}", _key(table, values)), None)


def _write_over(db: Store, table: str, values: dict[str, Any]) -> None:
    names = [n for n in values if n not in KEYS.get(table, ("id",))]
    db.execute(f"UPDATE {table} SET {', '.join(f'{n} = ?' for n in names)} WHERE {_where(table)}",
               [values[n] for n in names] + _key(table, values))


def _delete_rows(db: Store, table: str, rows: list[dict[str, Any]]) -> None:
    if table in KEYS:
        db.conn.executemany(f"DELETE FROM {table} WHERE {_where(table)}", [_key(table, r) for r in rows])
        return
    for part in chunks([r["id"] for r in rows]):
        db.execute(f"DELETE FROM {table} WHERE id IN ({marks(part)})", part)


def _insert_rows(db: Store, table: str, rows: list[dict[str, Any]]) -> None:
    """Insert whole rows, in order (rows with the same columns in one statement)."""
    i = 0
    while i < len(rows):
        names = list(rows[i])
        j = i
        while j < len(rows) and list(rows[j]) == names:
            j += 1
        db.conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks(names)})",
                            [[r[n] for n in names] for r in rows[i:j]])
        i = j


def _unchanged(db: Store, table: str, expected: list[dict[str, Any]]) -> int:
    """How many of ``expected`` rows are no longer exactly as given."""
    if table in KEYS:
        return sum(_current(db, table, r) != r for r in expected)
    changed = 0
    for part in chunks(expected):
        found = {r["id"]: r for r in db.query(f"SELECT * FROM {table} WHERE id IN ({marks(part)})",
                                              [r["id"] for r in part])}
        changed += sum(found.get(r["id"]) != r for r in part)
    return changed


WORDS = {"reviewer": "reviewer", "construct": "construct", "construct_link": "link", "coding": "coding",
         "memo": "memo", "study_status": "status", "translation": "judgement"}


def _touched(p: Merged) -> tuple[set[int], set[int]]:
    rows = [r for t in ("coding", "study_status", "translation") for r in p["inserted"].get(t, [])]
    rows += [pair["after"] for t in ("coding", "study_status", "translation") for pair in p["updated"].get(t, [])]
    rows += p["deleted"].get("translation", [])
    studies = {r["study_id"] for r in rows}
    constructs = {r["id"] for r in p["inserted"].get("construct", [])}
    constructs |= {r.get("construct_id") or r.get("concept_id") for r in rows if "study_id" in r} - {None}
    return studies, constructs


def _used_since(db: Store, p: Merged) -> list[str]:
    """Work done since the merge on what it brought in (which taking it back would orphan)."""
    problems = []
    ins = p["inserted"]
    codings = {r["id"] for r in ins.get("coding", [])}
    constructs = {r["id"]: r["name"] for r in ins.get("construct", [])}
    memos = {r["id"] for r in ins.get("memo", [])}
    links = {r["id"] for r in ins.get("construct_link", [])}
    for rid in (r["id"] for r in ins.get("reviewer", [])):
        name = db.execute("SELECT name FROM reviewer WHERE id = ?", [rid]).fetchone()
        if name and db.execute("SELECT 1 FROM event WHERE reviewer_id = ? LIMIT 1", [rid]).fetchone():
            problems.append(f"{name[0]} has worked in this project since")
    for part in chunks(list(constructs)):
        others = [cid for (cid,) in db.execute(f"SELECT id FROM coding WHERE construct_id IN ({marks(part)})", part)
                  if cid not in codings]
        if others:
            problems.append(f"{plural(len(others), 'coding')} made since use(s) a construct it brought")
        under = [n for i, n in db.execute(f"SELECT id, name FROM construct WHERE parent_id IN ({marks(part)})", part)
                 if i not in constructs]
        if under:
            problems.append(f"{', '.join(map(repr, under))} sit(s) under a construct it brought")
        joined = [i for (i,) in db.execute(f"SELECT id FROM construct_link WHERE from_id IN ({marks(part)}) "
                                           f"OR to_id IN ({marks(part)})", part + part) if i not in links]
        if joined:
            problems.append(f"{plural(len(joined), 'link')} made since join(s) a construct it brought")
    for kind, ids in (("construct", list(constructs)), ("coding", sorted(codings))):
        for part in chunks(ids):
            later = [i for (i,) in db.execute(f"SELECT id FROM memo WHERE target_kind = ? AND target_id IN "
                                              f"({marks(part)})", [kind, *part]) if i not in memos]
            if later:
                problems.append(f"{plural(len(later), 'memo')} written since on what it brought")
    return problems


def _undo_merge(db: Store, p: Merged, reviewer_id: int, stamp: str) -> undo.Change:
    problems = [f"{plural(n, WORDS[t])} it brought or changed {'was' if n == 1 else 'were'} changed since"
                for t in TABLES
                for n in [_unchanged(db, t, p["inserted"].get(t, [])) +
                          _unchanged(db, t, [pair["after"] for pair in p["updated"].get(t, [])])] if n]
    gone_back = sum(_current(db, "translation", r) is not None or
                    db.execute("SELECT 1 FROM translation WHERE concept_id = ? AND study_id = ? AND reviewer_id = ?",
                               [r["concept_id"], r["study_id"], r["reviewer_id"]]).fetchone() is not None
                    for r in p["deleted"].get("translation", []))
    if gone_back:
        problems.append(f"{plural(gone_back, 'judgement')} it cleared {'was' if gone_back == 1 else 'were'} made again")
    refuse(problems + _used_since(db, p))
    try:
        for table in reversed(TABLES):
            rows = p["inserted"].get(table, [])
            if table == "construct":
                db.conn.executemany("UPDATE construct SET parent_id = NULL WHERE id = ?", [[r["id"]] for r in rows])
            _delete_rows(db, table, rows)
            for pair in p["updated"].get(table, []):
                _write_over(db, table, pair["before"])
        _insert_rows(db, "translation", p["deleted"].get("translation", []))
    except sqlite3.IntegrityError:
        raise undo.Conflict("work done since uses what the merge brought in") from None
    studies, constructs = _touched(p)
    return undo.Change({}, studies, constructs)


def _redo_merge(db: Store, p: Merged, u: dict, reviewer_id: int) -> undo.Change:
    problems = []
    for table in TABLES:
        taken = sum(_current(db, table, r) is not None for r in p["inserted"].get(table, []))
        if taken:
            problems.append(f"{plural(taken, WORDS[table])} it brought {'has' if taken == 1 else 'have'} "
                            "its place taken now")
        changed = _unchanged(db, table, [pair["before"] for pair in p["updated"].get(table, [])])
        if changed:
            problems.append(f"{plural(changed, WORDS[table])} it changed {'was' if changed == 1 else 'were'} "
                            "changed since")
    changed = _unchanged(db, "translation", p["deleted"].get("translation", []))
    if changed:
        problems.append(f"{plural(changed, 'judgement')} it cleared {'was' if changed == 1 else 'were'} changed since")
    refuse(problems)
    try:
        for table in TABLES:
            rows = p["inserted"].get(table, [])
            if table == "construct":  # parents may come after their children in id order: set them after
                _insert_rows(db, table, [{**r, "parent_id": None} for r in rows])
                db.conn.executemany("UPDATE construct SET parent_id = ? WHERE id = ?",
                                    [[r["parent_id"], r["id"]] for r in rows if r["parent_id"] is not None])
            else:
                _insert_rows(db, table, rows)
            for pair in p["updated"].get(table, []):
                _write_over(db, table, pair["after"])
        _delete_rows(db, "translation", p["deleted"].get("translation", []))
    except sqlite3.IntegrityError as exc:
        raise undo.Conflict(f"the project has changed since in a way that stops it ({exc})") from None
    studies, constructs = _touched(p)
    return undo.Change({}, studies, constructs)


def _describe_merge(db: Store, p: Merged) -> str:
    brought = [plural(n, KINDS[k]) if k != "statuses" else f"{n} status{'es' if n != 1 else ''}"
               for k in KINDS for n in [p["brought"].get(k, 0)] if n]
    what = ", ".join(brought[:-1]) + " and " + brought[-1] if len(brought) > 1 else (brought or ["nothing"])[0]
    return f"merging {what} from {p['other']}"


undo.register("project.merge", _undo_merge, _redo_merge, _describe_merge)
