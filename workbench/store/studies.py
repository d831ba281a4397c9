"""Studies and their documents: import, listing in study order, text, sentences, status."""
from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Iterable

from ..core.records import StudyRecord, normalise_doi, title_markers
from ..core.text import sha256
from ..core.errors import WorkbenchError
from . import events
from .db import Store, now

STATUSES = ("todo", "doing", "done")
TITLE_MATCH = 95  # rapidfuzz ratio (0-100) above which two titles of one year are the same study


class StudyError(WorkbenchError, ValueError):
    """A study operation was refused; the message says why."""


@dataclass
class Duplicate:
    """A record that was not imported because the project (or the same import) already has it."""

    record: StudyRecord
    study_id: int | None  # the existing study, or None when it duplicates an earlier record of this import
    reason: str


@dataclass
class ImportReport:
    added: list[int] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


def _norm_title(title: str) -> str:
    return re.sub(r"\W+", " ", title.casefold()).strip()


class _DuplicateIndex:
    """Finds an existing study with the same DOI, the same normalised title, or a near-identical
    title (rapidfuzz ratio >= TITLE_MATCH) in the same year (or where either year is unknown) whose
    numbers, roman numerals and single letters are the same (``title_markers``)."""

    def __init__(self, db: Store):
        self.doi: dict[str, int | None] = {}
        self.title: dict[tuple[int | None, str], int | None] = {}  # (year, normalised title)
        self.title_any_year: dict[str, int | None] = {}
        self.by_year: dict[int | None, list[tuple[str, int | None]]] = {}
        for row in db.query("SELECT id, doi, title, year FROM study"):
            self.add(row["id"], row["doi"], row["title"], row["year"])

    def add(self, study_id: int | None, doi: str | None, title: str, year: int | None) -> None:
        if doi:
            self.doi.setdefault(doi, study_id)
        norm = _norm_title(title)
        self.title.setdefault((year, norm), study_id)
        self.title_any_year.setdefault(norm, study_id)
        self.by_year.setdefault(year, []).append((norm, study_id))

    def find(self, record: StudyRecord) -> tuple[int | None, str] | None:
        if record.doi and record.doi in self.doi:
            return self.doi[record.doi], f"same DOI {record.doi}"
        title = _norm_title(record.title)
        for key in ([(record.year, title), (None, title)] if record.year is not None else []):
            if key in self.title:
                return self.title[key], "same title"
        if record.year is None and title in self.title_any_year:
            return self.title_any_year[title], "same title"
        years = list(self.by_year) if record.year is None else [record.year, None]
        # ratio >= 95 needs lengths within about 10% of each other: skip the rest cheaply
        low, high = 0.9 * len(title), 1.1 * len(title) + 1
        candidates = [c for y in years for c in self.by_year.get(y, []) if low <= len(c[0]) <= high]
        markers = title_markers(title)
        candidates = [c for c in candidates if title_markers(c[0]) == markers]  # Part 1 is not Part 2
        if candidates:
            from rapidfuzz import fuzz, process

            hit = process.extractOne(title, [t for t, _ in candidates], scorer=fuzz.ratio,
                                     score_cutoff=TITLE_MATCH)
            if hit:
                return candidates[hit[2]][1], f"near-identical title ({hit[1]:.0f}% alike)"
        return None


def add_studies(db: Store, records: Iterable[StudyRecord], reviewer_id: int | None = None) -> ImportReport:
    """Store new studies with their canonical text, hash and sentence units, in one transaction.

    Records that duplicate a stored study (same DOI, or a near-identical title of the same year) or
    an earlier record of the same batch are not stored but reported. Either every new study is
    stored or, on any error, none is.
    """
    from ..core.sentences import segment_many

    records = list(records)
    report = ImportReport()
    index = _DuplicateIndex(db)
    fresh: list[StudyRecord] = []
    for record in records:
        record.doi = normalise_doi(record.doi)
        found = index.find(record)
        if found:
            report.duplicates.append(Duplicate(record, found[0], found[1]))
            continue
        index.add(None, record.doi, record.title, record.year)
        fresh.append(record)
    units = segment_many(r.text for r in fresh)
    stamp = now()
    with db.atomic():
        next_index = db.execute("SELECT coalesce(max(order_index), 0) + 1 FROM study").fetchone()[0]
        for i, (record, sentences) in enumerate(zip(fresh, units)):
            study_id = db.execute(
                "INSERT INTO study (guid, title, authors, year, doi, journal, country, participants, method,"
                " order_index, source_file, source_locator, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [str(uuid.uuid4()), record.title, json.dumps(record.authors, ensure_ascii=False), record.year,
                 record.doi, record.journal, record.country, record.participants, record.method,
                 next_index + i, record.source_file, record.locator, stamp],
            ).lastrowid
            db.execute("INSERT INTO document (study_id, text, sha256, length) VALUES (?,?,?,?)",
                       [study_id, record.text, sha256(record.text), len(record.text)])
            db.conn.executemany("INSERT INTO sentence (study_id, span_start, span_end) VALUES (?,?,?)",
                                [(study_id, s, e) for s, e in sentences])
            report.added.append(study_id)
        if report.added:
            events.record(db, "study.import", reviewer_id, {
                "studies": report.added,
                "files": sorted({r.source_file for r in fresh}),
            })
    return report


def _order_clause(rule: str) -> str:
    if rule == "chronological":
        return "s.year IS NULL, s.year, s.order_index"
    return "s.order_index"


def list_studies(db: Store, reviewer_id: int | None = None, rule: str = "chronological",
                 index_study_id: int | None = None) -> list[dict]:
    """Every study in study order with ``codings`` (live codings, all reviewers), ``mine`` (this
    reviewer's) and ``status`` (this reviewer's: todo, doing or done).

    ``rule`` is chronological (year, then import order), import, or index-first (the index study,
    then chronological).
    """
    rows = list(db.query(
        f"""SELECT s.id, s.title, s.authors, s.year, s.doi, s.journal, s.country, s.participants,
                   s.method, s.source_file, d.length,
                   coalesce(c.n, 0) AS codings, coalesce(c.mine, 0) AS mine,
                   coalesce(st.status, 'todo') AS status
            FROM study s JOIN document d ON d.study_id = s.id
            LEFT JOIN (SELECT study_id, count(*) AS n, sum(reviewer_id = :r) AS mine
                       FROM coding WHERE removed_at IS NULL GROUP BY study_id) c ON c.study_id = s.id
            LEFT JOIN study_status st ON st.study_id = s.id AND st.reviewer_id = :r
            ORDER BY {_order_clause(rule)}""",
        {"r": reviewer_id},
    ))
    for row in rows:
        row["authors"] = json.loads(row["authors"])
    if rule == "index-first" and index_study_id is not None:
        rows.sort(key=lambda r: r["id"] != index_study_id)
    return rows


def titles(db: Store) -> list[tuple[int, str, int | None]]:
    """``(id, title, year)`` of every study in chronological study order (year, then import order):
    the light listing exports use."""
    order = _order_clause("chronological")
    return [tuple(r) for r in db.execute(f"SELECT s.id, s.title, s.year FROM study s ORDER BY {order}")]


def find_study(db: Store, key: str) -> int | None:
    """The id of the study named by ``key``: an id, a DOI, or a unique title prefix (any case)."""
    if key.isascii() and key.isdigit():  # not "²": str.isdigit() takes it, int() does not
        if len(key.lstrip("0")) > 19 or int(key) > 2**63 - 1:  # more than SQLite stores: no such id
            return None
        row = next(db.query("SELECT id FROM study WHERE id = ?", [int(key)]), None)
        return row["id"] if row else None
    doi = normalise_doi(key)
    if doi:
        row = next(db.query("SELECT id FROM study WHERE doi = ?", [doi]), None)
        return row["id"] if row else None
    rows = list(db.query("SELECT id FROM study WHERE title LIKE ? ESCAPE '\\' LIMIT 2",
                         [key.replace("%", "\\%").replace("_", "\\_") + "%"]))
    return rows[0]["id"] if len(rows) == 1 else None


def get_study(db: Store, study_id: int) -> dict:
    """The study's metadata; StudyError if there is no such study."""
    row = next(db.query("SELECT * FROM study WHERE id = ?", [study_id]), None)
    if row is None:
        raise StudyError(f"no study with id {study_id}")
    row["authors"] = json.loads(row["authors"])
    return row


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
