"""Studies and their documents: import, listing in study order, text, sentences, status."""
from __future__ import annotations

import gc
import json
import time
import uuid
from dataclasses import dataclass, field
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from ..core.duplicates import DuplicateIndex, Entry, Match
from ..core.records import StudyRecord, normalise_doi, normalise_pmid, surname, surname_key
from ..core.text import clip, sha256
from ..core.errors import WorkbenchError
from . import events
from .db import Store, now

STATUSES = ("todo", "doing", "done")


class StudyError(WorkbenchError, ValueError):
    """A study operation was refused; the message says why."""


@dataclass
class Outcome:
    """What became of one record of an import: ``kind`` is "imported", "duplicate" (a definite
    duplicate, not stored) or "possible duplicate" (stored and flagged); ``study`` is the new
    study's id (None for a definite duplicate) and ``duplicate_of`` the study it matches."""

    record: StudyRecord
    kind: str
    study: int | None = None
    duplicate_of: int | None = None
    match: Match | None = None


@dataclass
class ImportReport:
    """Each record's outcome in input order, and the seconds spent in each step."""

    outcomes: list[Outcome] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def added(self) -> list[int]:
        return [o.study for o in self.outcomes if o.study is not None]

    @property
    def duplicates(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "duplicate"]

    @property
    def possible(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == "possible duplicate"]


def label(authors: list[str], year: int | None, title: str) -> str:
    """How a reviewer names a study in a list: "Newman 2025", "Newman", or the start of its title
    in quotes when no author is known."""
    name = surname(authors[0]) if authors else ""
    if name:
        return f"{name} {year}" if year else name
    return f"“{clip(title, 40)}”"


def naming(authors: list[str], year: int | None, title: str) -> str:
    """How a message names a study: "Newman 2025 “There is no place like…”", or the title alone."""
    name = label(authors, year, title)
    return name if name.startswith("“") else f"{name} “{clip(title, 40)}”"


def _entry(key, title: str, year: int | None, authors: list[str], doi: str | None, pmid: str | None,
           digest: str | None) -> Entry:
    return Entry(key=key, title=title, year=year, first_author=surname_key(authors[0]) if authors else "",
                 doi=doi, pmid=pmid, sha256=digest, label=label(authors, year, title))


def add_studies(db: Store, records: Iterable[StudyRecord], reviewer_id: int | None = None,
                progress: Callable[[str, int, int], None] | None = None) -> ImportReport:
    """Store new studies with their canonical text, hash and sentence units, in one transaction.

    Each record is judged against the stored studies (removed ones too) and the earlier records of
    the same import (``core.duplicates``): a definite duplicate is not stored; a possible one is
    stored and its pair flagged for review (``duplicate_pair``). Either every new study is stored or,
    on any error, none is. ``progress(step, done, total)`` is told how far each step has got.
    """
    records = list(records)
    try:
        return _add_studies(db, records, reviewer_id, progress)
    finally:
        gc.unfreeze()


@contextmanager
def _long_lived_objects() -> Iterator[None]:
    """Make many small objects that live to the end of the import (the duplicate index) without
    Python's cyclic collector rescanning them, over and over, for nothing: collection is paused
    while they are made, and they are frozen (never scanned again) before it resumes."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if collecting:
            gc.enable()


def _judge(db: Store, records: list[StudyRecord], report: ImportReport,
           tell: Callable[[str, int, int], None]) -> tuple[list[Outcome], list[int], list[Entry]]:
    """Judge each record against the stored studies and the earlier records: its outcome goes into
    ``report``; returns the records to store (outcomes and positions) and every record's entry."""
    stored = [_entry(sid, title, year, json.loads(authors), doi, pmid, digest if length else None)
              for sid, title, year, authors, doi, pmid, digest, length in db.execute(
                  "SELECT s.id, s.title, s.year, s.authors, s.doi, s.pmid, d.sha256, length(d.text) FROM study s "
                  "JOIN document d ON d.study_id = s.id ORDER BY s.id")]
    incoming = []
    for position, record in enumerate(records):
        record.doi = normalise_doi(record.doi)
        record.pmid = normalise_pmid(record.pmid)
        incoming.append(_entry(("new", position), record.title, record.year, record.authors, record.doi,
                               record.pmid, sha256(record.text) if record.text else None))
    index = DuplicateIndex(stored + incoming)
    for entry in stored:
        index.add(entry)
    fresh: list[Outcome] = []
    fresh_at: list[int] = []  # each fresh record's position in the import
    for position, (record, entry) in enumerate(zip(records, incoming)):
        match = index.find(entry)
        if match is not None and match.kind == "definite":
            report.outcomes.append(Outcome(record, "duplicate", match=match))
        else:
            index.add(entry)
            outcome = Outcome(record, "possible duplicate" if match else "imported", match=match)
            report.outcomes.append(outcome)
            fresh.append(outcome)
            fresh_at.append(position)
        if position % 500 == 499:
            tell("checking duplicates", position + 1, len(records))
    tell("checking duplicates", len(records), len(records))
    return fresh, fresh_at, incoming


def _add_studies(db: Store, records: list[StudyRecord], reviewer_id: int | None,
                 progress: Callable[[str, int, int], None] | None) -> ImportReport:
    from ..core.sentences import Segmenter

    report = ImportReport()
    tell = progress or (lambda step, done, total: None)
    # Started first, so the worker loads spaCy while the duplicates are judged.
    with Segmenter(len(records)) as segmenter:
        clock = time.perf_counter()
        with _long_lived_objects():
            fresh, fresh_at, incoming = _judge(db, records, report, tell)
        report.seconds["duplicates"] = time.perf_counter() - clock
        _store(db, report, fresh, fresh_at, incoming, segmenter, reviewer_id, tell)
    return report


def _store(db: Store, report: ImportReport, fresh: list[Outcome], fresh_at: list[int], incoming: list[Entry],
           segmenter, reviewer_id: int | None, tell: Callable[[str, int, int], None]) -> None:
    """Store the fresh records with their sentence units in one transaction, chunk by chunk as the
    segmenter yields them; the seconds spent waiting for units go to "segmentation", the rest to
    "insert"."""
    waited = 0.0
    clock = time.perf_counter()
    stamp = now()
    new_ids: dict[object, int] = {}
    texts = [o.record.text for o in fresh]
    with db.atomic():
        next_index = db.execute("SELECT coalesce(max(order_index), 0) + 1 FROM study").fetchone()[0]
        next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM study").fetchone()[0]
        chunks = segmenter.chunks(texts, progress=lambda done: tell("segmenting", done, len(fresh)))
        n = 0
        while n < len(fresh):
            asked = time.perf_counter()
            units = next(chunks)
            waited += time.perf_counter() - asked
            # one statement per table for the whole chunk: the ids are given, not read back one by
            # one (INTEGER PRIMARY KEY takes max + 1 anyway, and the write lock is held)
            studies, documents, sentence_rows = [], [], []
            for sentences in units:
                outcome = fresh[n]
                record = outcome.record
                study_id = next_id + n
                studies.append((study_id, str(uuid.uuid4()), record.title,
                                json.dumps(record.authors, ensure_ascii=False), record.year, record.doi, record.pmid,
                                record.journal, record.country, record.participants, record.method,
                                next_index + n, record.source_file, record.locator, stamp))
                documents.append((study_id, record.text, incoming[fresh_at[n]].sha256 or sha256(record.text),
                                  len(record.text)))
                sentence_rows.extend((study_id, a, b) for a, b in sentences)
                outcome.study = study_id
                new_ids[("new", fresh_at[n])] = study_id
                n += 1
            db.conn.executemany(
                "INSERT INTO study (id, guid, title, authors, year, doi, pmid, journal, country, participants,"
                " method, order_index, source_file, source_locator, imported_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", studies)
            db.conn.executemany("INSERT INTO document (study_id, text, sha256, length) VALUES (?,?,?,?)", documents)
            db.conn.executemany("INSERT INTO sentence (study_id, span_start, span_end) VALUES (?,?,?)",
                                sentence_rows)
            tell("storing", n, len(fresh))
        for outcome in report.outcomes:
            if outcome.match is not None:
                other = outcome.match.other.key
                outcome.duplicate_of = new_ids.get(other) if isinstance(other, tuple) else other
        flagged = [o for o in fresh if o.kind == "possible duplicate"]
        db.conn.executemany(
            "INSERT INTO duplicate_pair (study_id, other_id, score, evidence, reason, flagged_at)"
            " VALUES (?,?,?,?,?,?)",
            [(o.study, o.duplicate_of, o.match.score, json.dumps(o.match.evidence), o.match.reason, stamp)
             for o in flagged])
        if fresh:
            events.record(db, "study.import", reviewer_id, {
                "studies": [o.study for o in fresh],
                "files": sorted({o.record.source_file for o in fresh}),
                "possible_duplicates": [[o.study, o.duplicate_of] for o in flagged],
            })
    tell("storing", len(fresh), len(fresh))
    report.seconds["segmentation"] = waited
    report.seconds["insert"] = time.perf_counter() - clock - waited


def _order_clause(rule: str) -> str:
    if rule == "import":
        return "s.order_index"
    return "s.year IS NULL, s.year, s.order_index"  # chronological; index-first and hand orders start from it


def stored_order(db: Store) -> dict | None:
    """The study order a reviewer set (``workbench order``): its row (``rule`` chronological, index or
    hand, ``index_study_id``, ``reason``, ``set_by``, ``set_at``), or None while none is set."""
    return next(db.query("SELECT rule, index_study_id, reason, set_by, set_at FROM study_order WHERE id = 1"), None)


def arrange(db: Store, rows: list[dict], rule: str = "chronological", index_study_id: int | None = None) -> list[dict]:
    """Sort ``rows`` (dicts with ``id``, already in chronological order, or import order for the
    project.yaml rule "import") into study order, in place, and return them.

    The order stored with ``workbench order`` wins once set: chronological; index (its study first,
    the others chronological); hand (the stored positions, then studies imported since,
    chronologically). While none is stored, project.yaml's ``rule`` and ``index_study_id`` apply.
    """
    stored = stored_order(db)
    if stored is not None:
        if stored["rule"] == "hand":
            place = dict(db.execute("SELECT study_id, position FROM study_position"))
            rows.sort(key=lambda r: (r["id"] not in place, place.get(r["id"], 0)))
        elif stored["rule"] == "index":
            rows.sort(key=lambda r: r["id"] != stored["index_study_id"])
        return rows
    if rule == "index-first" and index_study_id is not None:
        rows.sort(key=lambda r: r["id"] != index_study_id)
    return rows


def ordered_ids(db: Store, rule: str = "chronological", index_study_id: int | None = None) -> list[int]:
    """Ids of the studies not removed, in study order (``arrange``)."""
    order = "s.order_index" if rule == "import" and stored_order(db) is None else _order_clause("chronological")
    found = [{"id": r[0]} for r in db.execute(f"SELECT s.id FROM study s WHERE s.removed_at IS NULL ORDER BY {order}")]
    return [r["id"] for r in arrange(db, found, rule, index_study_id)]


def list_studies(db: Store, reviewer_id: int | None = None, rule: str = "chronological",
                 index_study_id: int | None = None) -> list[dict]:
    """Every study not removed, in study order, with ``codings`` (live codings, all reviewers), ``mine`` (this
    reviewer's), ``status`` (this reviewer's: todo, doing or done) and ``possible_duplicates`` (its
    flagged pairs not yet judged).

    ``rule`` is project.yaml's: chronological (year, then import order), import, or index-first (the
    index study, then chronological); an order stored with ``workbench order`` wins over it (``arrange``).
    """
    if stored_order(db) is not None:
        rule = "chronological"
    rows = list(db.query(
        f"""SELECT s.id, s.title, s.authors, s.year, s.doi, s.journal, s.country, s.participants,
                   s.method, s.source_file, d.length,
                   coalesce(c.n, 0) AS codings, coalesce(c.mine, 0) AS mine,
                   coalesce(st.status, 'todo') AS status, coalesce(dp.n, 0) AS possible_duplicates
            FROM study s JOIN document d ON d.study_id = s.id
            LEFT JOIN (SELECT study_id, count(*) AS n, sum(reviewer_id = :r) AS mine
                       FROM coding WHERE removed_at IS NULL GROUP BY study_id) c ON c.study_id = s.id
            LEFT JOIN study_status st ON st.study_id = s.id AND st.reviewer_id = :r
            LEFT JOIN (SELECT x.id, count(*) AS n FROM (
                           SELECT study_id AS id, other_id AS other FROM duplicate_pair WHERE judgement IS NULL
                           UNION ALL
                           SELECT other_id, study_id FROM duplicate_pair WHERE judgement IS NULL) x
                       JOIN study o ON o.id = x.other AND o.removed_at IS NULL GROUP BY x.id) dp ON dp.id = s.id
            WHERE s.removed_at IS NULL
            ORDER BY {_order_clause(rule)}""",
        {"r": reviewer_id},
    ))
    for row in rows:
        row["authors"] = json.loads(row["authors"])
    return arrange(db, rows, rule, index_study_id)


def titles(db: Store) -> list[tuple[int, str, int | None]]:
    """``(id, title, year)`` of every study not removed, in study order (the stored one, else
    chronological: year, then import order): the light listing exports use."""
    order = _order_clause("chronological")
    found = [{"id": r[0], "row": tuple(r)} for r in db.execute(
        f"SELECT s.id, s.title, s.year FROM study s WHERE s.removed_at IS NULL ORDER BY {order}")]
    return [r["row"] for r in arrange(db, found)]


def find_study(db: Store, key: str) -> int | None:
    """The id of the study named by ``key``: an id (a removed study's too), or the DOI or a unique
    title prefix (any case) of a study not removed."""
    if key.isascii() and key.isdigit():  # not "²": str.isdigit() takes it, int() does not
        if len(key.lstrip("0")) > 19 or int(key) > 2**63 - 1:  # more than SQLite stores: no such id
            return None
        row = next(db.query("SELECT id FROM study WHERE id = ?", [int(key)]), None)
        return row["id"] if row else None
    doi = normalise_doi(key)
    if doi:
        row = next(db.query("SELECT id FROM study WHERE doi = ? AND removed_at IS NULL", [doi]), None)
        return row["id"] if row else None
    rows = list(db.query("SELECT id FROM study WHERE title LIKE ? ESCAPE '\\' AND removed_at IS NULL LIMIT 2",
                         [key.replace("%", "\\%").replace("_", "\\_") + "%"]))
    return rows[0]["id"] if len(rows) == 1 else None


def get_study(db: Store, study_id: int, removed: bool = False) -> dict:
    """The study's metadata; StudyError if there is no such study, or it was removed (unless
    ``removed``)."""
    row = next(db.query("SELECT * FROM study WHERE id = ?", [study_id]), None)
    if row is None:
        raise StudyError(f"no study with id {study_id}")
    if row["removed_at"] and not removed:
        who = naming(json.loads(row["authors"]), row["year"], row["title"])
        raise StudyError(f"{who} was removed from the review; "
                         "`workbench undo` by the reviewer who removed it brings it back")
    row["authors"] = json.loads(row["authors"])
    return row


def briefs(db: Store, ids: list[int]) -> dict[int, dict]:
    """``id``, ``title``, ``year``, ``doi``, ``pmid`` and ``source_file`` of each study in ``ids``
    (removed ones too), by id: what an import report shows of each new study, in one query."""
    if not ids:
        return {}
    wanted = set(ids)
    return {row["id"]: row for row in db.query(
        "SELECT id, title, year, doi, pmid, source_file FROM study WHERE id BETWEEN ? AND ?",
        [min(wanted), max(wanted)]) if row["id"] in wanted}


def get_text(db: Store, study_id: int) -> tuple[str, str]:
    """The study's canonical text and its sha256; StudyError if there is no such study."""
    row = db.execute("SELECT text, sha256 FROM document WHERE study_id = ?", [study_id]).fetchone()
    if row is None:
        raise StudyError(f"no study with id {study_id}")
    return row[0], row[1]


def sentences(db: Store, study_id: int) -> list[tuple[int, int]]:
    """The study's sentence units, sorted by start."""
    return [tuple(r) for r in db.execute(
        "SELECT span_start, span_end FROM sentence WHERE study_id = ? ORDER BY span_start", [study_id])]


def set_status(db: Store, study_id: int, reviewer_id: int, status: str) -> None:
    """Record the reviewer's progress on the study (todo, doing, done) with an event."""
    if status not in STATUSES:
        raise StudyError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    get_study(db, study_id)
    with db.atomic():
        db.execute(
            "INSERT INTO study_status (study_id, reviewer_id, status, updated_at) VALUES (?,?,?,?) "
            "ON CONFLICT (study_id, reviewer_id) DO UPDATE SET status = excluded.status, "
            "updated_at = excluded.updated_at",
            [study_id, reviewer_id, status, now()],
        )
        events.record(db, "study.status", reviewer_id, {"study": study_id, "status": status})


def get_status(db: Store, study_id: int, reviewer_id: int) -> str:
    row = db.execute("SELECT status FROM study_status WHERE study_id = ? AND reviewer_id = ?",
                     [study_id, reviewer_id]).fetchone()
    return row[0] if row else "todo"


def progress(db: Store, study_id: int, reviewer_id: int) -> dict:
    """One study's ``codings`` (live, all reviewers), ``mine`` and ``status`` (this reviewer's),
    as ``list_studies`` gives them for every study; cheap enough to run after each coding."""
    row = db.execute("SELECT count(*), coalesce(sum(reviewer_id = ?), 0) FROM coding "
                     "WHERE study_id = ? AND removed_at IS NULL", [reviewer_id, study_id]).fetchone()
    return {"codings": row[0], "mine": row[1], "status": get_status(db, study_id, reviewer_id)}
