"""A whole project in and out of the store, for project exchange files (REFI-QDA ``.qdpx``).

``snapshot(db)`` reads everything an exchange file carries: reviewers, the live studies in study
order with their texts, the constructs as codebook entries, the live codings, the live memos and
the translation judgements, each named by its guid.

``bring_in(db, exchange, reviewer_id)`` merges what a file holds (``Exchange``, made by the
format's reader) into the project in one transaction: reviewers matched by name, studies by the
sha256 of their canonical text (the rest imported through ``studies.add_studies``, so duplicates
are judged and sentences cut as for any import), constructs by guid, then by name (merged through
``codebook.load``), codings through ``coding_sets.load`` (one ``codings.load`` event per reviewer,
each undoable), memos through ``memos.set_memo`` and judgements through ``translation.judge``.
Anything refused rolls the whole import back; what cannot be brought in is listed in the report.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..core.codebook import Codebook, Entry, name_key
from ..core.records import StudyRecord
from ..core.text import sha256
from . import events
from .db import Store, now
from .memos import LIVE_MEMO

IMPORTED = "imported"  # the reviewer of work whose creator a file does not name


# --- what an exchange file holds ----------------------------------------------------------------------

@dataclass
class Source:
    """One study of the file: ``key`` is its guid in the file (lower case)."""

    key: str
    record: StudyRecord


@dataclass
class Span:
    """One coding: a span of a source's canonical text coded with a construct (by its name in the
    file's codebook) by a reviewer (by name); ``memos`` are notes on it, ``(reviewer, text)``."""

    source: str
    start: int
    end: int
    construct: str
    reviewer: str
    guid: str | None = None
    memos: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Note:
    """A memo: on the project (``target`` None), a study (a source key), a construct (its name)."""

    kind: str
    target: str | None
    reviewer: str
    text: str


@dataclass
class Judged:
    concept: str
    source: str
    reviewer: str
    kind: str
    note: str = ""


@dataclass
class Exchange:
    """Everything a file brings, already checked and placed in canonical texts; ``left_out`` says,
    in words, each thing of the file that is not brought in, ``notes`` how things were read."""

    file: str
    reviewers: list[tuple[str, str | None]] = field(default_factory=list)  # (name, guid)
    sources: list[Source] = field(default_factory=list)
    codebook: Codebook | None = None
    codings: list[Span] = field(default_factory=list)
    memos: list[Note] = field(default_factory=list)
    judgements: list[Judged] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class BroughtIn:
    """What ``bring_in`` did; every list is of names or phrases a reviewer reads."""

    file: str
    reviewers_added: list[str] = field(default_factory=list)
    studies_added: list[int] = field(default_factory=list)
    studies_matched: list[tuple[str, int]] = field(default_factory=list)  # (source name, existing study)
    constructs_added: int = 0
    constructs_changed: int = 0
    constructs_unchanged: int = 0
    codings_added: int = 0
    codings_present: int = 0
    memos_added: int = 0
    memos_appended: int = 0
    memos_present: int = 0
    judgements_added: int = 0
    judgements_present: int = 0
    left_out: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "reviewers_added": self.reviewers_added, "studies_added": self.studies_added,
            "studies_matched": [{"source": name, "study": sid} for name, sid in self.studies_matched],
            "constructs": {"added": self.constructs_added, "changed": self.constructs_changed,
                           "unchanged": self.constructs_unchanged},
            "codings": {"added": self.codings_added, "present": self.codings_present},
            "memos": {"added": self.memos_added, "appended": self.memos_appended, "present": self.memos_present},
            "judgements": {"added": self.judgements_added, "present": self.judgements_present},
            "left_out": self.left_out, "notes": self.notes,
        }


# --- reading the project -------------------------------------------------------------------------

@dataclass
class Snapshot:
    title: str
    reviewers: list[dict[str, Any]]      # guid, name
    studies: list[dict[str, Any]]        # study columns with authors decoded, text; in study order
    entries: list[Entry]                 # the constructs, with guids
    codings: list[dict[str, Any]]        # guid, study (guid), construct (guid), reviewer (guid), start, end, exact, created_at
    memos: list[dict[str, Any]]          # guid, kind, target (guid or None), reviewer (guid), text, created_at, updated_at
    judgements: list[dict[str, Any]]     # concept (guid), study (guid), reviewer (guid), kind, note, concept_name


def snapshot(db: Store, title: str) -> Snapshot:
    """Everything a project exchange file carries, read in one snapshot of the database."""
    from .codebook import project_entries
    from .studies import ordered_ids

    with db.snapshot():
        reviewers = list(db.query("SELECT guid, name FROM reviewer ORDER BY id"))
        order = {sid: i for i, sid in enumerate(ordered_ids(db))}
        studies = list(db.query(
            "SELECT s.id, s.guid, s.title, s.authors, s.year, s.doi, s.pmid, s.journal, s.country, s.participants, "
            "s.method, s.imported_at, d.text FROM study s JOIN document d ON d.study_id = s.id "
            "WHERE s.removed_at IS NULL"))
        studies.sort(key=lambda s: order.get(s["id"], len(order)))
        for s in studies:
            s["authors"] = json.loads(s["authors"])
        codings = list(db.query(
            "SELECT c.guid, s.guid AS study, k.guid AS construct, r.guid AS reviewer, c.span_start AS start, "
            "c.span_end AS end, c.exact, c.created_at, c.id FROM coding c JOIN study s ON s.id = c.study_id "
            "JOIN construct k ON k.id = c.construct_id JOIN reviewer r ON r.id = c.reviewer_id "
            "WHERE c.removed_at IS NULL AND s.removed_at IS NULL ORDER BY c.study_id, c.span_start, c.span_end, c.id"))
        memos = list(db.query(
            "SELECT m.guid, m.target_kind AS kind, CASE m.target_kind WHEN 'study' THEN s.guid "
            "WHEN 'construct' THEN k.guid WHEN 'coding' THEN c.guid END AS target, r.guid AS reviewer, m.text, "
            "m.created_at, m.updated_at FROM memo m JOIN reviewer r ON r.id = m.reviewer_id "
            "LEFT JOIN study s ON m.target_kind = 'study' AND s.id = m.target_id "
            "LEFT JOIN construct k ON m.target_kind = 'construct' AND k.id = m.target_id "
            "LEFT JOIN coding c ON m.target_kind = 'coding' AND c.id = m.target_id "
            f"WHERE {LIVE_MEMO} AND NOT (m.target_kind = 'study' AND s.removed_at IS NOT NULL) AND NOT "
            "(m.target_kind = 'coding' AND (SELECT removed_at FROM study WHERE id = c.study_id) IS NOT NULL) "
            "ORDER BY m.id"))
        judgements = list(db.query(
            "SELECT k.guid AS concept, k.name AS concept_name, s.guid AS study, r.guid AS reviewer, t.kind, t.note "
            "FROM translation t JOIN construct k ON k.id = t.concept_id JOIN study s ON s.id = t.study_id "
            "JOIN reviewer r ON r.id = t.reviewer_id WHERE s.removed_at IS NULL ORDER BY t.id"))
        entries = project_entries(db)
    return Snapshot(title, reviewers, studies, entries, codings, memos, judgements)


# --- bringing a file in ----------------------------------------------------------------------------

def bring_in(db: Store, exchange: Exchange, reviewer_id: int | None = None) -> BroughtIn:
    """Merge ``exchange`` into the project in one transaction (see the module's docstring); raises
    (nothing written) a CodebookError when its codebook cannot merge with the project's constructs."""
    report = BroughtIn(exchange.file, left_out=list(exchange.left_out), notes=list(exchange.notes))
    with db.atomic():
        reviewers = _reviewers(db, exchange, report)
        studies = _studies(db, exchange, reviewer_id, report)
        renamed = _constructs(db, exchange, reviewer_id, report)
        _codings(db, exchange, studies, reviewers, renamed, report)
        _memos(db, exchange, studies, reviewers, renamed, report)
        _judgements(db, exchange, studies, reviewers, renamed, report)
    return report


def _reviewers(db: Store, exchange: Exchange, report: BroughtIn) -> dict[str, int]:
    """Every reviewer the file names (and ``imported`` when some work has no creator) by name, added
    when new (with the file's guid when the project does not use it)."""
    wanted = list(exchange.reviewers)
    used = {s.reviewer for s in exchange.codings} | {m.reviewer for m in exchange.memos} | {
        j.reviewer for j in exchange.judgements} | {who for s in exchange.codings for who, _ in s.memos}
    if IMPORTED in used and all(name_key(n) != IMPORTED for n, _ in wanted):
        wanted.append((IMPORTED, None))
    ids: dict[str, int] = {}
    taken = {g for (g,) in db.execute("SELECT lower(guid) FROM reviewer")}
    for name, guid in wanted:
        found = db.execute("SELECT id FROM reviewer WHERE name = ?", [name]).fetchone()
        if found is None:
            guid = guid.lower() if guid and guid.lower() not in taken else str(uuid.uuid4())
            taken.add(guid)
            rid = db.execute("INSERT INTO reviewer (guid, name, created_at) VALUES (?,?,?)",
                             [guid, name, now()]).lastrowid
            events.record(db, "reviewer.add", rid, {"name": name})
            report.reviewers_added.append(name)
            found = (rid,)
        ids[name_key(name)] = found[0]
    return ids


def _studies(db: Store, exchange: Exchange, reviewer_id: int | None, report: BroughtIn) -> dict[str, int]:
    """Each source's study: the live study with the same text, else a new one (its guid the file's
    when free). A source judged a definite duplicate of a study with another text is left out."""
    from .studies import add_studies

    live = {}
    for sid, digest in db.execute("SELECT s.id, d.sha256 FROM study s JOIN document d ON d.study_id = s.id "
                                  "WHERE s.removed_at IS NULL ORDER BY s.id DESC"):
        live[digest] = sid
    found: dict[str, int] = {}
    fresh: list[Source] = []
    for source in exchange.sources:
        digest = sha256(source.record.text)
        if digest in live:
            found[source.key] = live[digest]
            report.studies_matched.append((source.record.title, live[digest]))
        else:
            fresh.append(source)
    if not fresh:
        return found
    added = add_studies(db, [s.record for s in fresh], reviewer_id)
    taken = {g for (g,) in db.execute("SELECT lower(guid) FROM study")}
    if added.possible:
        n = len(added.possible)
        report.notes.append(f"{n} new stud{'y was' if n == 1 else 'ies were'} flagged as possible duplicates of "
                            "others: `workbench duplicates PROJECT` lists the pairs")
    for source, outcome in zip(fresh, added.outcomes):
        if outcome.study is not None:
            found[source.key] = outcome.study
            report.studies_added.append(outcome.study)
            if source.key not in taken:
                db.execute("UPDATE study SET guid = ? WHERE id = ?", [source.key, outcome.study])
                taken.add(source.key)
            continue
        other = outcome.duplicate_of
        same = db.execute("SELECT d.sha256, s.removed_at FROM document d JOIN study s ON s.id = d.study_id "
                          "WHERE d.study_id = ?", [other]).fetchone()
        if same is not None and same[0] == sha256(source.record.text) and same[1] is None:
            found[source.key] = other
            report.studies_matched.append((source.record.title, other))
        else:
            report.left_out.append(f"source {source.record.title!r}: a definite duplicate of study {other} "
                                   f"({outcome.match.reason if outcome.match else 'the same study'}) with "
                                   "another text; it and its codings and memos were not imported")
    return found


def _constructs(db: Store, exchange: Exchange, reviewer_id: int | None, report: BroughtIn) -> dict[str, str]:
    """Merge the file's codebook: a code whose guid a construct of the project has is that construct
    (under the project's name), the others are matched by name (``codebook.load``). Returns the
    file's construct names (name keys) mapped to the project's names."""
    from .codebook import load

    book = exchange.codebook
    if book is None or not book.entries:
        return {}
    by_guid = {g.lower(): n for g, n in db.execute("SELECT guid, name FROM construct")}
    renamed: dict[str, str] = {}
    for e in book.entries:
        project_name = by_guid.get((e.guid or "").lower())
        if project_name is not None and project_name != e.name:
            if name_key(project_name) != name_key(e.name):
                report.notes.append(f"code {e.name!r} is the project's construct {project_name!r} (the same guid); "
                                    "the project's name is kept")
            renamed[name_key(e.name)] = project_name
    if renamed:
        for e in book.entries:
            e.name = renamed.get(name_key(e.name), e.name)
            if e.parent:
                e.parent = renamed.get(name_key(e.parent), e.parent)
            if e.links:
                e.links = [(kind, renamed.get(name_key(target), target)) for kind, target in e.links]
    loaded = load(db, book, exchange.file, reviewer_id, "qdpx")
    report.constructs_added = len(loaded.added)
    report.constructs_changed = len(loaded.changed)
    report.constructs_unchanged = len(loaded.unchanged)
    report.notes.extend(loaded.notes)
    return renamed


def _name(renamed: dict[str, str], name: str) -> str:
    return renamed.get(name_key(name), name)


def _codings(db: Store, exchange: Exchange, studies: dict[str, int], reviewers: dict[str, int],
             renamed: dict[str, str], report: BroughtIn) -> None:
    from .coding_sets import NewCoding, load
    from .memos import set_memo

    taken = {g for (g,) in db.execute("SELECT lower(guid) FROM coding")}
    planned: list[NewCoding] = []
    memos: list[tuple[NewCoding, list[tuple[str, str]]]] = []
    skipped: dict[str, int] = {}
    for span in exchange.codings:
        study = studies.get(span.source)
        if study is None:
            skipped[span.source] = skipped.get(span.source, 0) + 1
            continue
        guid = span.guid.lower() if span.guid and span.guid.lower() not in taken else None
        if guid:
            taken.add(guid)
        coding = NewCoding(study, _name(renamed, span.construct), reviewers[name_key(span.reviewer)], span.start,
                           span.end, guid)
        planned.append(coding)
        if span.memos:
            memos.append((coding, span.memos))
    loaded = load(db, exchange.file, planned)
    report.codings_added = len(loaded.added)
    report.codings_present = loaded.skipped
    for coding, notes in memos:
        found = db.execute(
            "SELECT c.id FROM coding c JOIN construct k ON k.id = c.construct_id WHERE c.study_id = ? AND "
            "k.name = ? AND c.reviewer_id = ? AND c.span_start = ? AND c.span_end = ? AND c.removed_at IS NULL",
            [coding.study_id, coding.construct, coding.reviewer_id, coding.start, coding.end]).fetchone()
        for reviewer, text in notes:
            _memo(db, "coding", found[0], reviewers[name_key(reviewer)], text, report, set_memo)


def _memo(db: Store, kind: str, target: int | None, reviewer: int, text: str, report: BroughtIn, set_memo) -> None:
    """The reviewer's memo on the target: made, or the text added below theirs (never replaced)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return
    current = db.execute("SELECT text FROM memo WHERE target_kind = ? AND target_id IS ? AND reviewer_id = ? AND "
                         "removed_at IS NULL ORDER BY id DESC LIMIT 1", [kind, target, reviewer]).fetchone()
    if current is not None and text in current[0]:
        report.memos_present += 1
        return
    set_memo(db, kind, target, reviewer, text if current is None else current[0] + "\n\n" + text)
    if current is None:
        report.memos_added += 1
    else:
        report.memos_appended += 1


def _memos(db: Store, exchange: Exchange, studies: dict[str, int], reviewers: dict[str, int],
           renamed: dict[str, str], report: BroughtIn) -> None:
    from .memos import set_memo

    constructs = {name_key(n): i for i, n in db.execute("SELECT id, name FROM construct")}
    for note in exchange.memos:
        if note.kind == "study":
            target = studies.get(note.target or "")
        elif note.kind == "construct":
            target = constructs.get(name_key(_name(renamed, note.target or "")))
        else:
            target = None
        if note.kind != "project" and target is None:
            continue  # its study was left out, and said so
        _memo(db, note.kind, target, reviewers[name_key(note.reviewer)], note.text, report, set_memo)


def _judgements(db: Store, exchange: Exchange, studies: dict[str, int], reviewers: dict[str, int],
                renamed: dict[str, str], report: BroughtIn) -> None:
    from ..core.translation import TranslationError
    from .translation import judge

    constructs = {name_key(n): i for i, n in db.execute("SELECT id, name FROM construct")}
    for j in exchange.judgements:
        concept = constructs.get(name_key(_name(renamed, j.concept)))
        study = studies.get(j.source)
        if study is None:
            continue
        if concept is None:
            report.left_out.append(f"a translation judgement ({j.kind}) for {j.concept!r}: no such construct")
            continue
        reviewer = reviewers[name_key(j.reviewer)]
        there = db.execute("SELECT kind, note FROM translation WHERE concept_id = ? AND study_id = ? AND "
                           "reviewer_id = ?", [concept, study, reviewer]).fetchone()
        if there is not None and tuple(there) == (j.kind, j.note.strip()):
            report.judgements_present += 1
            continue
        try:
            judge(db, concept, study, reviewer, j.kind, j.note)
        except TranslationError as exc:
            report.left_out.append(f"a translation judgement ({j.kind}) for {j.concept!r}: {exc}")
            continue
        report.judgements_added += 1
