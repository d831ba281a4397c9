"""One reviewer's coding session: the state behind the TUI, in plain Python (no Textual here).

The session calls the same store functions as the CLI and keeps what the screen shows: the study
list, the open study's text, sentence units and codings (only this reviewer's in blind mode),
the constructs (in blind mode only the shared codebook and this reviewer's own, see
``store.blind``) and the recently used ones. Every change is written (and committed) by the store
before the session reloads what it shows.
"""
from __future__ import annotations

import sqlite3
from bisect import bisect_right, insort
from dataclasses import dataclass
from pathlib import Path

from ..core.constructs import ORDERS, ConstructError
from ..core.errors import WorkbenchError
from ..core.records import surname
from ..core.text import line_starts
from ..store import blind, codings, constructs, events, memos, pins, search, studies
from ..store.constructs import Construct
from ..store.db import data_version
from ..store.project import Project

STATUS_NEXT = {"todo": "doing", "doing": "done", "done": "todo"}
STATUS_MARK = {"todo": "○", "doing": "◐", "done": "●"}
STATUS_WORDS = {"todo": "to do", "doing": "in progress", "done": "done"}
ORDER_SHORT = {1: "1st", 2: "2nd", 3: "3rd"}
RECENT_LIMIT = 9


TUI_LOCK_WAIT = 5.0  # seconds a change made on the screen waits for another process's write
CATCH_UP_EVENTS = 1000  # more new events than this from other processes: re-read everything
# what another process's event changes on the screen: codings or a status of one study, or memos;
# any other action (restructuring, a codebook load, an import, a new reviewer) re-reads everything
STUDY_ACTIONS = ("coding.add", "coding.remove", "study.status")


class StaleError(WorkbenchError):
    """What the screen shows is out of date: another process changed the project underneath it
    (the TUI re-reads what it shows and says so). Raised before anything is written."""


CONSTRUCT_GONE = "That construct no longer exists: another reviewer merged or deleted it"


def study_label(study: dict) -> str:
    """The study's short name for lists: the first author's surname, else its title."""
    authors = study.get("authors") or []
    return (surname(authors[0]) if authors else "") or study["title"]


@dataclass(frozen=True)
class Outside:
    """What other processes changed since the session last looked, and it has re-read."""

    everything: bool = False  # constructs, studies or reviewers: everything was re-read
    studies: frozenset[int] = frozenset()  # studies whose codings or statuses changed
    codings: bool = False  # codings changed (counts per construct too)
    memos: bool = False


@dataclass(frozen=True)
class ShownCoding:
    """A coding with the names the screen shows beside it."""

    id: int
    start: int
    end: int
    construct_id: int
    construct: str
    order: int
    definition: str
    reviewer_id: int
    reviewer: str
    exact: str
    parent: str | None = None  # the construct's parent construct, if it has one


class Session:
    """The open project seen by one reviewer."""

    def __init__(self, project: Project, reviewer: str):
        self.project = project
        self.db = project.db
        self.reviewer_id = project.reviewer_id(reviewer)  # ProjectError names the known reviewers
        self.reviewer_names: dict[int, str] = {}
        self._load_reviewers()
        self.reviewer = self.reviewer_names[self.reviewer_id]
        self.lead = project.is_lead(self.reviewer_id)  # may change other reviewers' work, after saying so
        self.show_all = False  # blind coding: only this reviewer's work by default
        self.hidden = blind.NOTHING  # what another reviewer added, not shown in blind mode
        self._counts: dict[int, int] | None = None
        self.constructs: dict[int, Construct] = {}
        self.reload_constructs()
        self.recent: list[int] = constructs.recent_ids(self.db, self.reviewer_id, RECENT_LIMIT)
        self.pins: dict[int, int] = pins.pins(self.db, self.reviewer_id)  # number key -> construct id
        self.studies: list[dict] = []
        self.reload_studies()
        self.study: dict | None = None
        self.text = ""
        self.starts: list[int] = [0]
        self.units: list[tuple[int, int]] = []
        self.codings: list[ShownCoding] = []
        self.coding_memos: set[int] = set()  # ids of shown codings that carry a memo
        self.study_memo = False  # whether the open study carries a memo
        self._by_reviewer: dict[int, dict[int, int]] | None = None
        self._seen = data_version(self.db)  # the database as it was when everything was last read
        self._last_event = events.last_id(self.db)  # the newest event the session has taken in
        self._searcher = search.Searcher(project.db.path)  # its own connection, for the search worker

    @classmethod
    def open(cls, project_path: Path | str, reviewer: str) -> "Session":
        project = Project.open(project_path)
        # the screen cannot move while a write waits for the lock: give up sooner than the CLI's
        # 30 s and say so (the reviewer's text or selection is kept to try again)
        project.db.set_busy_timeout(TUI_LOCK_WAIT)
        try:
            return cls(project, reviewer)
        except Exception:
            project.close()
            raise

    def close(self) -> None:
        self._searcher.close()
        self.project.close()

    # --- loading -------------------------------------------------------------------------------
    def _load_reviewers(self) -> None:
        self.reviewer_names = {rid: name for name, rid in self.project.reviewers().items()}

    def reload_constructs(self) -> None:
        """Re-read the constructs shown: every one when every reviewer's work is shown, else the
        shared codebook and this reviewer's own (``store.blind.hidden`` says which are not)."""
        self.hidden = blind.NOTHING if self.show_all else blind.hidden(self.db, self.reviewer_id)
        self.constructs = {c.id: c for c in constructs.all_constructs(self.db)
                           if c.id not in self.hidden.constructs}

    def reload_studies(self) -> None:
        settings = self.project.settings
        index_id = None
        if settings.study_order == "index-first" and settings.index_study:
            index_id = studies.find_study(self.db, str(settings.index_study))
        self.studies = studies.list_studies(self.db, self.reviewer_id, settings.study_order, index_id)

    def refresh_study_row(self, study_id: int | None = None) -> dict | None:
        """Re-read one study's progress into its row of ``studies`` (and return the row)."""
        row = self.study_row(study_id)
        if row is not None:
            row.update(studies.progress(self.db, row["id"], self.reviewer_id))
        return row

    def open_study(self, study_id: int) -> None:
        """Make ``study_id`` the open study: its metadata, text, line starts, sentences, codings."""
        self.study = studies.get_study(self.db, study_id)
        self.text, _ = studies.get_text(self.db, study_id)
        self.starts = line_starts(self.text)
        self.units = studies.sentences(self.db, study_id)
        self._counts = self._by_reviewer = None
        self.refresh_study_row(study_id)
        self.reload_codings()

    def reload_codings(self) -> None:
        if self.study is None:
            self.codings = []
            return
        who = None if self.show_all else self.reviewer_id
        rows = codings.for_study(self.db, self.study["id"], who)
        if any(r.construct_id not in self.constructs for r in rows):
            self.reload_constructs()
        if any(r.reviewer_id not in self.reviewer_names for r in rows):
            self._load_reviewers()
        shown = [self._shown(r) for r in rows]
        self.codings = shown
        self.reload_memo_marks()

    def reload_memo_marks(self) -> None:
        """Which shown codings, and whether the open study, carry a memo (this reviewer's in blind
        mode, anyone's otherwise): one query per study, not per coding."""
        if self.study is None:
            self.coding_memos, self.study_memo = set(), False
            return
        who = None if self.show_all else self.reviewer_id
        self.coding_memos = memos.coded_memo_ids(self.db, self.study["id"], who)
        self.study_memo = memos.has_memo(self.db, "study", self.study["id"], who)

    def _shown(self, r: codings.Coding) -> ShownCoding:
        k = self.constructs[r.construct_id]
        parent = self.constructs.get(k.parent_id) if k.parent_id else None
        return ShownCoding(r.id, r.start, r.end, k.id, k.name, k.order, k.definition, r.reviewer_id,
                           self.reviewer_names.get(r.reviewer_id, "?"), r.exact, parent.name if parent else None)

    # --- where things are ----------------------------------------------------------------------
    @property
    def study_id(self) -> int | None:
        return self.study["id"] if self.study else None

    def study_row(self, study_id: int | None = None) -> dict | None:
        study_id = self.study_id if study_id is None else study_id
        return next((s for s in self.studies if s["id"] == study_id), None)

    def neighbour_study(self, step: int) -> int | None:
        """The study ``step`` places after (or before) the open one in study order, or None."""
        ids = [s["id"] for s in self.studies]
        if not ids:
            return None
        if self.study_id not in ids:
            return ids[0]
        i = ids.index(self.study_id) + step
        return ids[i] if 0 <= i < len(ids) else None

    def offset(self, location: tuple[int, int]) -> int:
        """Code-point offset of a (row, column) location of the text (columns are code points)."""
        row, column = location
        return self.starts[row] + column

    def location(self, offset: int) -> tuple[int, int]:
        """(row, column) of a code-point offset."""
        row = bisect_right(self.starts, offset) - 1
        return row, offset - self.starts[row]

    def codings_at(self, start: int, end: int | None = None) -> list[ShownCoding]:
        """Shown codings under the character at ``start``, or overlapping ``[start, end)`` when
        that is a non-empty selection; highest order first, then by position."""
        if end is None or end <= start:
            found = [c for c in self.codings if c.start <= start < c.end]
        else:
            found = [c for c in self.codings if c.start < end and c.end > start]
        return sorted(found, key=lambda c: (-c.order, c.start, c.end, c.id))

    def counts(self) -> dict[int, int]:
        """Live codings per construct: this reviewer's in blind mode, everybody's otherwise
        (re-read after this reviewer's changes and when a study is opened)."""
        if self._counts is None:
            self._counts = constructs.counts(self.db, None if self.show_all else self.reviewer_id)
        return self._counts

    def quick_construct(self, number: int) -> Construct | None:
        """The construct this reviewer pinned to number key ``number`` (None: nothing pinned)."""
        construct_id = self.pins.get(number)
        return self.constructs.get(construct_id) if construct_id is not None else None

    def toggle_pin(self, construct_id: int) -> tuple[int, bool]:
        """Pin the construct to this reviewer's lowest free number, or unpin it if it has one;
        ``(number, now pinned)``. PinError when every number is taken."""
        self.check_constructs(construct_id)
        number = pins.unpin_construct(self.db, self.reviewer_id, construct_id)
        pinned = number is None
        if pinned:
            number = pins.pin(self.db, self.reviewer_id, construct_id)
        self.pins = pins.pins(self.db, self.reviewer_id)
        return number, pinned

    # --- changes (each written and committed by the store) -------------------------------------
    def code(self, start: int, end: int, construct_id: int, made: codings.Coding | None = None) -> ShownCoding:
        """Code ``[start, end)`` of the open study; SpanError / CodingError leave nothing written.
        (``made``: the coding is written already, by ``code_new``; only show it.)"""
        if self.study is None:
            raise codings.CodingError("no study is open")
        if made is None:
            self.check_constructs(construct_id)
            try:
                made = codings.add(self.db, self.study["id"], construct_id, self.reviewer_id, start, end)
            except sqlite3.IntegrityError:
                self.check_constructs(construct_id)  # gone between the check and the write: say so
                raise
        self.recent = [construct_id] + [c for c in self.recent if c != construct_id][: RECENT_LIMIT - 1]
        if construct_id not in self.constructs:
            self.reload_constructs()
        shown = self._shown(made)
        # the store sorts a study's codings by (start, end, id); keep that order without re-reading
        insort(self.codings, shown, key=lambda c: (c.start, c.end, c.id))
        if self._counts is not None:
            self._counts[construct_id] = self._counts.get(construct_id, 0) + 1
        if self._by_reviewer is not None:
            mine = self._by_reviewer.setdefault(construct_id, {})
            mine[self.reviewer_id] = mine.get(self.reviewer_id, 0) + 1
        self.refresh_study_row()
        return shown

    def check_constructs(self, *construct_ids: int | None) -> None:
        """StaleError if one of the constructs (None: no construct) no longer exists in the
        database: another process merged or deleted it since the session read the constructs."""
        for construct_id in construct_ids:
            if construct_id is None:
                continue
            try:
                constructs.get(self.db, construct_id)
            except ConstructError:
                raise StaleError(CONSTRUCT_GONE) from None

    def is_stale(self) -> bool:
        """Whether another process has changed the project since everything was last read."""
        return data_version(self.db) != self._seen

    def catch_up(self) -> Outside | None:
        """Re-read what other processes (another reviewer, the CLI) changed since the session last
        looked, and say what that was; None, after one cheap check, when nothing changed.

        The new events say what changed: codings and statuses re-read only their studies' rows
        (and the open study's codings), memos only the open study's marks; anything else re-reads
        everything. Pins, which write no event, are re-read on every change."""
        version = data_version(self.db)
        if version == self._seen:
            return None
        new = events.since(self.db, self._last_event, CATCH_UP_EVENTS + 1)
        if len(new) > CATCH_UP_EVENTS:
            self.reload_all()
            return Outside(everything=True)
        named = events.payloads(self.db, [p["event"] for _, action, p in new if action in ("undo", "redo")])
        touched: set[int] = set()
        coded = memo = False
        for _, action, payload in new:
            if action in ("undo", "redo"):
                action, payload = named.get(payload["event"], ("", {}))
            if action in STUDY_ACTIONS and "created" not in payload:  # a coding that made its construct: all
                touched.add(payload["study"])
                coded = coded or action != "study.status"
            elif action == "memo.set":
                memo = True
            else:
                self.reload_all()
                return Outside(everything=True)
        if new:
            self._last_event = new[-1][0]
        self.pins = pins.pins(self.db, self.reviewer_id)
        if coded:
            self._counts = self._by_reviewer = None
        for study_id in touched:
            self.refresh_study_row(study_id)
        if self.study_id in touched:
            self.reload_codings()
        elif memo:
            self.reload_memo_marks()
        self._seen = version  # only now: a read that failed above is tried again at the next look
        return Outside(studies=frozenset(touched), codings=coded, memos=memo)

    def check_new_name(self, name: str) -> None:
        """In blind mode, ``blind.BlindError`` if ``name`` is the name of a construct another
        reviewer added (not shown): the message says only that the name is taken, and what to do."""
        if not self.show_all:
            taken = constructs.by_name(self.db, name)
            if taken is not None:
                blind.check_usable(self.db, self.reviewer_id, taken.id, name.strip())

    def code_new(self, start: int, end: int, name: str, order: int,
                 parent_id: int | None = None) -> tuple[ShownCoding, Construct]:
        """Code ``[start, end)`` of the open study with a new construct ``name`` (of ``order``,
        under ``parent_id``), both in one transaction and one undoable step: a refused span
        creates nothing, and undo takes the construct back with the coding."""
        if self.study is None:
            raise codings.CodingError("no study is open")
        self.check_constructs(parent_id)
        self.check_new_name(name)
        parent = self.constructs[parent_id].name if parent_id is not None else None
        made, construct, _created = codings.add_with_construct(self.db, self.study["id"], self.reviewer_id, start,
                                                               end, name, order, parent)
        self.reload_constructs()
        return self.code(start, end, construct.id, made=made), construct

    def remove(self, coding_id: int) -> codings.Coding:
        removed = codings.remove(self.db, coding_id, self.reviewer_id)
        self._counts = self._by_reviewer = None
        self.reload_codings()
        self.refresh_study_row()
        return removed

    def cycle_status(self) -> str:
        """Move this reviewer's status of the open study on: todo -> doing -> done -> todo."""
        if self.study is None:
            raise studies.StudyError("no study is open")
        new = STATUS_NEXT[studies.get_status(self.db, self.study["id"], self.reviewer_id)]
        studies.set_status(self.db, self.study["id"], self.reviewer_id, new)
        self.refresh_study_row()
        return new

    def toggle_show_all(self) -> bool:
        """Show every reviewer's work (unblind), or again only this reviewer's and the shared
        codebook (blind). The switch is recorded first (``view.unblind`` / ``view.blind``), so an
        unblinding that could not be recorded does not happen."""
        blind.record_view(self.db, self.reviewer_id, not self.show_all)
        self.show_all = not self.show_all
        self._counts = None
        self.reload_constructs()
        self.reload_codings()
        return self.show_all

    # --- constructs tree and spans ---------------------------------------------------------------
    def reviewer_counts(self) -> dict[int, dict[int, int]]:
        """Live codings per construct and reviewer, ``{construct: {reviewer: n}}``, of every
        reviewer (the tree filters them for blind mode); re-read after changes."""
        if self._by_reviewer is None:
            self._by_reviewer = codings.counts_by_reviewer(self.db)
        return self._by_reviewer

    def spans_of(self, construct_id: int) -> list[codings.CodedSpan]:
        """The live codings with the construct across studies (this reviewer's in blind mode),
        in study order, then by offset."""
        who = None if self.show_all else self.reviewer_id
        found = codings.spans_of(self.db, construct_id, who)
        position = {s["id"]: i for i, s in enumerate(self.studies)}
        return sorted(found, key=lambda c: (position.get(c.study_id, len(position)), c.start, c.end,
                                            c.coding_id))

    # --- memos (each written and committed by the store) -----------------------------------------
    def memo_text(self, target_kind: str, target_id: int | None) -> str:
        """This reviewer's memo on the target (``project`` with id None, ``study``, ``construct``,
        ``coding``), or "" if there is none."""
        found = memos.get_memo(self.db, target_kind, target_id, self.reviewer_id)
        return found[-1].text if found else ""

    def other_memos(self, target_kind: str, target_id: int | None) -> list[tuple[str, str]]:
        """``(reviewer, text)`` of the other reviewers' memos on the target: shown when every
        reviewer's work is shown, never in blind mode."""
        if not self.show_all:
            return []

        return [(m.reviewer, m.text) for m in memos.get_memo(self.db, target_kind, target_id)
                if m.reviewer_id != self.reviewer_id]

    def set_memo(self, target_kind: str, target_id: int | None, text: str):
        """Save this reviewer's memo on the target (empty text removes it) and update the marks."""
        made = memos.set_memo(self.db, target_kind, target_id, self.reviewer_id, text)
        self.reload_memo_marks()
        return made

    # --- restructuring, undo and redo (the store writes; the session re-reads what it shows) -----
    def reload_all(self) -> None:
        """Re-read everything shown after a change that can touch any study or construct (a
        restructuring, an undo or a redo): reviewers, constructs, recent and pinned ones, the study
        list, the open study's codings and memo marks."""
        self._seen = data_version(self.db)
        self._last_event = events.last_id(self.db)
        self._load_reviewers()
        self.reload_constructs()
        self.recent = constructs.recent_ids(self.db, self.reviewer_id, RECENT_LIMIT)
        self.pins = pins.pins(self.db, self.reviewer_id)
        self._counts = self._by_reviewer = None
        self.reload_studies()
        if self.study is not None and self.study_row() is None:
            self.study = None  # cannot happen today (studies are never deleted), but stay safe
        if self.study is not None:  # its text may have been replaced (workbench reimport, or its undo)
            text, _ = studies.get_text(self.db, self.study["id"])
            if text != self.text:
                self.text, self.starts = text, line_starts(text)
                self.units = studies.sentences(self.db, self.study["id"])
        self.reload_codings()

    def others_on(self, construct_id: int, doing: str) -> dict[str, int]:
        """Other reviewers' live codings with the construct, ``{name: count}``, for a lead to
        confirm ``doing`` (``renaming`` ...) it; refuses a reviewer who is not a lead, naming them
        (``store.ownership``)."""
        from ..store import ownership

        self.check_constructs(construct_id)
        return ownership.check(self.db, [construct_id], self.reviewer_id, repr(self.constructs[construct_id].name),
                               doing, lead=self.lead, touching_others=True)

    def rename(self, construct_id: int, new_name: str, touching_others: bool = False) -> Construct:
        from ..store import restructure

        self.check_constructs(construct_id)
        made = restructure.rename(self.db, construct_id, new_name, self.reviewer_id, lead=self.lead,
                                  touching_others=touching_others)
        self.reload_all()
        return made

    def edit(self, construct_id: int, values: dict[str, str]) -> Construct:
        from ..store import restructure

        self.check_constructs(construct_id)
        made = restructure.edit(self.db, construct_id, values, self.reviewer_id)
        self.reload_constructs()
        return made

    def merge(self, source_id: int, target_id: int, allow_order_change: bool = False, touching_others: bool = False):
        from ..store import restructure

        self.check_constructs(source_id, target_id)
        report = restructure.merge(self.db, source_id, target_id, self.reviewer_id,
                                   allow_order_change=allow_order_change, lead=self.lead,
                                   touching_others=touching_others)
        self.reload_all()
        return report

    def move(self, construct_id: int, new_parent_id: int | None, touching_others: bool = False) -> Construct:
        from ..store import restructure

        self.check_constructs(construct_id, new_parent_id)
        made = restructure.move(self.db, construct_id, new_parent_id, self.reviewer_id, lead=self.lead,
                                touching_others=touching_others)
        self.reload_all()
        return made

    def change_order(self, construct_id: int, new_order: int, touching_others: bool = False) -> Construct:
        from ..store import restructure

        self.check_constructs(construct_id)
        made = restructure.change_order(self.db, construct_id, new_order, self.reviewer_id, lead=self.lead,
                                        touching_others=touching_others)
        self.reload_all()
        return made

    def links_of(self, construct_id: int):
        """The links from and to the construct (``store.restructure.Link``) this reviewer sees:
        in blind mode none another reviewer made after blind coding began."""
        from ..store import restructure

        return [x for x in restructure.links(self.db, construct_id) if x.id not in self.hidden.links]

    def link(self, from_id: int, kind: str, to_id: int):
        """Link two constructs (nothing the session holds changes: no reload)."""
        from ..store import restructure

        self.check_constructs(from_id, to_id)
        return restructure.link(self.db, from_id, kind, to_id, self.reviewer_id)

    def unlink(self, link_id: int):
        from ..store import restructure

        return restructure.unlink(self.db, link_id, self.reviewer_id)

    def preview_merge(self, source_id: int, target_id: int, allow_order_change: bool = False):
        """What merging would do (or the store's refusal), without writing anything; for a lead
        its ``others`` name the other reviewers whose codings would move (to confirm)."""
        from ..store import restructure

        self.check_constructs(source_id, target_id)
        return restructure.preview_merge(self.db, source_id, target_id, allow_order_change, self.reviewer_id,
                                         lead=self.lead, touching_others=True)

    def preview_delete(self, construct_id: int, remove_codings: bool = False):
        """What deleting would do (or the store's refusal), without writing anything; for a lead
        its ``others`` name the other reviewers whose codings would go (to confirm)."""
        from ..store import restructure

        self.check_constructs(construct_id)
        return restructure.preview_delete(self.db, construct_id, remove_codings, self.reviewer_id, lead=self.lead,
                                          touching_others=True)

    def delete_construct(self, construct_id: int, remove_codings: bool = False, touching_others: bool = False):
        from ..store import restructure

        self.check_constructs(construct_id)
        report = restructure.delete(self.db, construct_id, self.reviewer_id, remove_codings=remove_codings,
                                    lead=self.lead, touching_others=touching_others)
        self.reload_all()
        return report

    def undo(self):
        """Undo this reviewer's last undoable action (None: nothing to undo)."""
        from ..store import undo

        result = undo.undo(self.db, self.reviewer_id)
        if result is not None:
            self._after_undo(result)
        return result

    def redo(self):
        """Redo this reviewer's last undone action (None: nothing to redo)."""
        from ..store import undo

        result = undo.redo(self.db, self.reviewer_id)
        if result is not None:
            self._after_undo(result)
        return result

    def _after_undo(self, result) -> None:
        """Re-read what an undo or redo changed: for a coding or a memo only the studies it
        touched (a 10,000-study list is not re-read), for a construct change everything."""
        if self.touches_constructs(result):
            self.reload_all()
            return
        if result.action == "memo.set":
            self.reload_memo_marks()
            return
        self._counts = self._by_reviewer = None
        # undoing a coding that made its construct takes the construct too (redo brings it back)
        if any(c not in self.constructs for c in result.construct_ids) or \
                constructs.missing(self.db, result.construct_ids):
            self.reload_constructs()
            self.recent = [c for c in self.recent if c in self.constructs]
        for study_id in result.study_ids:
            self.refresh_study_row(study_id)
        if self.study_id in result.study_ids:
            self.reload_codings()

    @staticmethod
    def touches_constructs(result) -> bool:
        """Whether an undo or redo changed constructs (not only codings or memos)."""
        return result.action not in ("coding.add", "coding.remove", "memo.set")

    # --- search ----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 100):
        """Full-text hits over study texts and memos (the store's FTS5 search), best first.

        In blind mode memo hits are only this reviewer's memos (study texts are everyone's).
        Safe to call from a worker thread: it reads through a read-only connection of its own."""
        return self._searcher.search(query, limit=limit, reviewer_id=None if self.show_all else self.reviewer_id)


    # --- orphaned codings (a study's text replaced: store.reanchor) -------------------------------
    def orphans(self) -> list:
        """This reviewer's orphaned codings, each with its best candidate in the new text."""
        from ..store import reanchor

        return reanchor.orphans(self.db, reviewer_id=self.reviewer_id)

    def study_text(self, study_id: int) -> str:
        return studies.get_text(self.db, study_id)[0]

    def place_orphan(self, coding_id: int, start: int, end: int) -> dict:
        """Put this reviewer's orphaned coding on ``[start, end)`` of its study's text (undoable)."""
        from ..store import reanchor

        placed = reanchor.place(self.db, coding_id, start, end, self.reviewer_id)
        self.reload_all()
        return placed

    def drop_orphan(self, coding_id: int) -> None:
        """Take this reviewer's orphaned coding off the list; it stays removed (undoable)."""
        from ..store import reanchor

        reanchor.drop(self.db, coding_id, self.reviewer_id)
        self.reload_all()

    # --- possible duplicates ---------------------------------------------------------------------
    def duplicate_pairs(self) -> list[dict]:
        """The flagged pairs still to judge, most alike first (``store.duplicates.pairs``)."""
        from ..store import duplicates

        return duplicates.pairs(self.db)

    def judge_duplicates(self, study_id: int, other_id: int, judgement: str) -> None:
        """Record this reviewer's judgement of a flagged pair (same or different) and re-read the
        two studies' rows."""
        from ..store import duplicates

        duplicates.judge(self.db, study_id, other_id, judgement, self.reviewer_id)
        self.reload_studies()

    # --- aligning two reviewers' own constructs -------------------------------------------------------
    def alignment_partners(self) -> list[tuple[int, str]]:
        """The other reviewers, those with live codings first, then by name: whose constructs this
        reviewer's may be aligned with."""
        from ..store import alignment

        return alignment.partners(self.db, self.reviewer_id)

    def alignment(self, other_id: int):
        """The other reviewer's constructs against this reviewer's (``store.alignment.proposed``:
        this reviewer is A, whose constructs the other's are counted as)."""
        from ..store import alignment

        return alignment.proposed(self.db, self.reviewer_id, other_id)

    def align_pair(self, construct_id: int, counted_as_id: int, other_id: int) -> None:
        """Count the other reviewer's construct as this reviewer's (or a shared) one; an undoable event."""
        from ..store import alignment

        alignment.pair(self.db, construct_id, counted_as_id, self.reviewer_id, other_id, self.reviewer_id)

    def align_confirm(self, other_id: int) -> list:
        """Confirm every pair proposed between the other reviewer's constructs and this reviewer's."""
        from ..store import alignment

        return alignment.confirm(self.db, self.reviewer_id, other_id, self.reviewer_id)

    def align_unpair(self, construct_id: int) -> dict:
        """Stop counting the construct as another (``store.alignment.unpair``)."""
        from ..store import alignment

        return alignment.unpair(self.db, construct_id, self.reviewer_id)

    def remove_study(self, study_id: int) -> dict:
        """Remove a study (refused while it has codings), re-read the list, and open a neighbour
        if it was the open one. Returns the removed study's summary."""
        from ..store import duplicates

        removed = duplicates.remove_study(self.db, study_id, self.reviewer_id)
        was_open = self.study_id == study_id
        neighbour = self.neighbour_study(1) or self.neighbour_study(-1) if was_open else None
        self.reload_studies()
        if was_open:
            self.study = None
            if neighbour is not None:
                self.open_study(neighbour)
        return removed


def order_label(order: int) -> str:
    return ORDERS.get(order, str(order))
