"""The database schema, as numbered migrations applied in order (sqlite-utils ``Migrations``).

Add a new migration for every change; never edit one that has shipped. Column names avoid SQL
keywords (``span_start``/``span_end``/``construct_order``) so that no query needs quoting.
"""
from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("workbench")  # keep db.SCHEMA_VERSION equal to their number


@migrations()
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE reviewer (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE study (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            authors TEXT NOT NULL DEFAULT '[]',      -- JSON list of names
            year INTEGER,
            doi TEXT,
            journal TEXT,
            country TEXT,
            participants INTEGER,
            method TEXT,
            order_index INTEGER NOT NULL,            -- position in import order
            source_file TEXT,
            source_locator TEXT,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX study_doi ON study(doi);
        CREATE TABLE document (
            study_id INTEGER PRIMARY KEY REFERENCES study(id),
            text TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            length INTEGER NOT NULL
        );
        CREATE TABLE sentence (
            study_id INTEGER NOT NULL REFERENCES study(id),
            span_start INTEGER NOT NULL,
            span_end INTEGER NOT NULL,
            PRIMARY KEY (study_id, span_start)
        ) WITHOUT ROWID;
        CREATE TABLE study_status (
            study_id INTEGER NOT NULL REFERENCES study(id),
            reviewer_id INTEGER NOT NULL REFERENCES reviewer(id),
            status TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done')),
            updated_at TEXT NOT NULL,
            PRIMARY KEY (study_id, reviewer_id)
        ) WITHOUT ROWID;
        CREATE TABLE construct (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            construct_order INTEGER NOT NULL CHECK (construct_order IN (1, 2, 3)),
            parent_id INTEGER REFERENCES construct(id),
            study_id INTEGER REFERENCES study(id),   -- the study whose authors coined it, if any
            definition TEXT NOT NULL DEFAULT '',
            colour TEXT,
            created_by INTEGER REFERENCES reviewer(id),
            created_at TEXT NOT NULL,
            CHECK (parent_id IS NULL OR parent_id != id)
        );
        CREATE INDEX construct_parent ON construct(parent_id);
        CREATE TABLE coding (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            study_id INTEGER NOT NULL REFERENCES study(id),
            construct_id INTEGER NOT NULL REFERENCES construct(id),
            reviewer_id INTEGER NOT NULL REFERENCES reviewer(id),
            span_start INTEGER NOT NULL CHECK (span_start >= 0),
            span_end INTEGER NOT NULL CHECK (span_end > span_start),
            exact TEXT NOT NULL,
            prefix TEXT NOT NULL,
            suffix TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            removed_at TEXT,                         -- removal is an event, never a DELETE
            removed_by INTEGER REFERENCES reviewer(id)
        );
        CREATE INDEX coding_live_study ON coding(study_id, span_start) WHERE removed_at IS NULL;
        CREATE INDEX coding_construct ON coding(construct_id);
        CREATE INDEX coding_reviewer ON coding(reviewer_id);
        CREATE TABLE event (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            reviewer_id INTEGER REFERENCES reviewer(id),
            action TEXT NOT NULL,
            payload TEXT NOT NULL                    -- JSON
        );
        CREATE TRIGGER event_no_update BEFORE UPDATE ON event
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER event_no_delete BEFORE DELETE ON event
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        """
    )


@migrations()
def m002_listing_indexes(db: Database) -> None:
    # Counts per study/reviewer and per construct read only live codings; covering partial
    # indexes answer them without touching the coding rows (10x faster at 100,000 codings).
    # document(study_id, length) lets the study list read lengths without paging through texts.
    db.executescript(
        """
        CREATE INDEX coding_live_study_reviewer ON coding(study_id, reviewer_id) WHERE removed_at IS NULL;
        CREATE INDEX coding_live_construct ON coding(construct_id, reviewer_id) WHERE removed_at IS NULL;
        CREATE INDEX coding_live_reviewer_construct ON coding(reviewer_id, construct_id) WHERE removed_at IS NULL;
        CREATE INDEX document_length ON document(study_id, length);
        """
    )


@migrations()
def m003_codebook_memos_search(db: Database) -> None:
    # Codebook fields of a construct, links between orders, memos, and full-text search over
    # study texts and memos (FTS5, external content kept in step by triggers).
    db.executescript(
        """
        ALTER TABLE construct ADD COLUMN when_to_use TEXT NOT NULL DEFAULT '';
        ALTER TABLE construct ADD COLUMN when_not_to_use TEXT NOT NULL DEFAULT '';
        ALTER TABLE construct ADD COLUMN example TEXT NOT NULL DEFAULT '';

        CREATE TABLE construct_link (
            id INTEGER PRIMARY KEY,
            from_id INTEGER NOT NULL REFERENCES construct(id),
            to_id INTEGER NOT NULL REFERENCES construct(id),
            kind TEXT NOT NULL CHECK (kind IN ('supports', 'interprets')),
            created_by INTEGER REFERENCES reviewer(id),
            created_at TEXT NOT NULL,
            UNIQUE (from_id, to_id, kind),
            CHECK (from_id != to_id)
        );
        CREATE INDEX construct_link_to ON construct_link(to_id);

        CREATE TABLE memo (
            id INTEGER PRIMARY KEY,
            guid TEXT NOT NULL UNIQUE,
            target_kind TEXT NOT NULL CHECK (target_kind IN ('project', 'study', 'construct', 'coding')),
            target_id INTEGER,                       -- NULL for the project memo
            reviewer_id INTEGER NOT NULL REFERENCES reviewer(id),
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            removed_at TEXT,
            CHECK ((target_kind = 'project') = (target_id IS NULL))
        );
        CREATE INDEX memo_target ON memo(target_kind, target_id);

        CREATE VIRTUAL TABLE document_fts USING fts5(
            text, content='document', content_rowid='study_id', tokenize='porter unicode61 remove_diacritics 2');
        CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN
            INSERT INTO document_fts(rowid, text) VALUES (new.study_id, new.text);
        END;
        CREATE TRIGGER document_fts_delete AFTER DELETE ON document BEGIN
            INSERT INTO document_fts(document_fts, rowid, text) VALUES ('delete', old.study_id, old.text);
        END;
        CREATE TRIGGER document_fts_update AFTER UPDATE OF text ON document BEGIN
            INSERT INTO document_fts(document_fts, rowid, text) VALUES ('delete', old.study_id, old.text);
            INSERT INTO document_fts(rowid, text) VALUES (new.study_id, new.text);
        END;
        INSERT INTO document_fts(document_fts) VALUES ('rebuild');

        CREATE VIRTUAL TABLE memo_fts USING fts5(
            text, content='memo', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
        CREATE TRIGGER memo_fts_insert AFTER INSERT ON memo BEGIN
            INSERT INTO memo_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER memo_fts_delete AFTER DELETE ON memo BEGIN
            INSERT INTO memo_fts(memo_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;
        CREATE TRIGGER memo_fts_update AFTER UPDATE OF text ON memo BEGIN
            INSERT INTO memo_fts(memo_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO memo_fts(rowid, text) VALUES (new.id, new.text);
        END;
        """
    )


@migrations()
def m004_live_coding_identity(db: Database) -> None:
    # A live coding's identity (construct, study, reviewer, span): merge finds the source codings
    # identical to a target coding with one index probe each (linear, not a self-join scan of the
    # reviewer's codings), and codings.add finds a duplicate with one probe. Not UNIQUE: a project
    # coded before the duplicate check moved inside the write transaction may hold duplicates, and
    # this migration must not fail on them.
    db.executescript(
        """
        CREATE INDEX coding_live_identity
            ON coding(construct_id, study_id, reviewer_id, span_start, span_end) WHERE removed_at IS NULL;
        """
    )


@migrations()
def m005_duplicates_and_study_removal(db: Database) -> None:
    # Duplicate detection on evidence (issue 9): a study's PubMed id, an index on document hashes
    # (the same text is a definite duplicate), pairs flagged as possible duplicates with the
    # evidence and a reviewer's judgement, and soft removal of a study judged the same as another.
    db.executescript(
        """
        ALTER TABLE study ADD COLUMN pmid TEXT;
        ALTER TABLE study ADD COLUMN removed_at TEXT;
        ALTER TABLE study ADD COLUMN removed_by INTEGER REFERENCES reviewer(id);
        CREATE INDEX study_pmid ON study(pmid);
        CREATE INDEX document_sha256 ON document(sha256);
        CREATE TABLE duplicate_pair (
            study_id INTEGER NOT NULL REFERENCES study(id),  -- the later study, imported and flagged
            other_id INTEGER NOT NULL REFERENCES study(id),  -- the earlier study it may duplicate
            score REAL NOT NULL,                             -- title similarity, 0-100
            evidence TEXT NOT NULL,                          -- JSON: each field same/different/missing
            reason TEXT NOT NULL,
            flagged_at TEXT NOT NULL,
            judgement TEXT CHECK (judgement IN ('same', 'different')),
            judged_by INTEGER REFERENCES reviewer(id),
            judged_at TEXT,
            PRIMARY KEY (study_id, other_id),
            CHECK (study_id != other_id)
        ) WITHOUT ROWID;
        CREATE INDEX duplicate_pair_other ON duplicate_pair(other_id);
        """
    )


@migrations()
def m006_pins(db: Database) -> None:
    # Each reviewer's number keys: slot 1-9 pinned to a construct, chosen by the reviewer and kept
    # across restarts. A construct has at most one number per reviewer; deleting or merging a
    # construct away takes its pin with it.
    db.executescript(
        """
        CREATE TABLE pin (
            reviewer_id INTEGER NOT NULL REFERENCES reviewer(id),
            slot INTEGER NOT NULL CHECK (slot BETWEEN 1 AND 9),
            construct_id INTEGER NOT NULL REFERENCES construct(id) ON DELETE CASCADE,
            pinned_at TEXT NOT NULL,
            PRIMARY KEY (reviewer_id, slot),
            UNIQUE (reviewer_id, construct_id)
        ) WITHOUT ROWID;
        CREATE INDEX pin_construct ON pin(construct_id);
        """
    )


@migrations()
def m007_study_order_and_translation(db: Database) -> None:
    # Issue 11, the translation view. The study order a reviewer sets (it wins over project.yaml's
    # study_order once set) with its reason: one row, and the positions of a hand order. Translation
    # judgements per (concept, study, reviewer). Relations between third-order constructs for the
    # line of argument. Judgements and relations name constructs by id with a foreign key: deleting
    # or merging a construct that carries any is refused (restructure.delete/merge), so no row is
    # ever left pointing at an id a new construct could take.
    db.executescript(
        """
        CREATE TABLE study_order (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            rule TEXT NOT NULL CHECK (rule IN ('chronological', 'index', 'hand')),
            index_study_id INTEGER REFERENCES study(id),
            reason TEXT NOT NULL DEFAULT '',
            set_by INTEGER REFERENCES reviewer(id),
            set_at TEXT NOT NULL,
            CHECK ((rule = 'index') = (index_study_id IS NOT NULL))
        );
        CREATE TABLE study_position (
            study_id INTEGER PRIMARY KEY REFERENCES study(id),
            position INTEGER NOT NULL                -- 1-based place in a hand order
        ) WITHOUT ROWID;
        CREATE TABLE translation (
            id INTEGER PRIMARY KEY,
            concept_id INTEGER NOT NULL REFERENCES construct(id),
            study_id INTEGER NOT NULL REFERENCES study(id),
            reviewer_id INTEGER NOT NULL REFERENCES reviewer(id),
            kind TEXT NOT NULL CHECK (kind IN ('reciprocal', 'refutational', 'line_of_argument', 'not_addressed')),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (concept_id, study_id, reviewer_id)
        );
        CREATE INDEX translation_reviewer ON translation(reviewer_id, concept_id);
        CREATE TABLE synthesis_relation (
            id INTEGER PRIMARY KEY,
            from_id INTEGER NOT NULL REFERENCES construct(id),
            to_id INTEGER NOT NULL REFERENCES construct(id),
            kind TEXT NOT NULL CHECK (kind IN ('leads_to', 'shapes', 'contrasts_with')),
            note TEXT NOT NULL DEFAULT '',
            created_by INTEGER REFERENCES reviewer(id),
            created_at TEXT NOT NULL,
            UNIQUE (from_id, to_id, kind),
            CHECK (from_id != to_id)
        );
        CREATE INDEX synthesis_relation_to ON synthesis_relation(to_id);
        """
    )


@migrations()
def m008_agreement_runs(db: Database) -> None:
    # Issue 12: every agreement run (`workbench irr`) is kept, so a team can show agreement across
    # coding rounds and a methods section can cite one: when, who ran it, its settings and results
    # (JSON, as `workbench irr --json` prints them).
    db.executescript(
        """
        CREATE TABLE agreement_run (
            id INTEGER PRIMARY KEY,
            ran_at TEXT NOT NULL,
            ran_by INTEGER REFERENCES reviewer(id),
            settings TEXT NOT NULL,                  -- JSON
            results TEXT NOT NULL                    -- JSON
        );
        """
    )


@migrations()
def m009_construct_alignment(db: Database) -> None:
    # Issue 12: reviewers coding blind make their own constructs; a confirmed alignment counts one
    # reviewer's construct as another's when agreement is measured. One row per construct counted as
    # another; deleting or merging away either construct takes the row with it (as pins).
    db.executescript(
        """
        CREATE TABLE construct_alignment (
            construct_id INTEGER PRIMARY KEY REFERENCES construct(id) ON DELETE CASCADE,
            counted_as_id INTEGER NOT NULL REFERENCES construct(id) ON DELETE CASCADE,
            confirmed_by INTEGER REFERENCES reviewer(id),
            confirmed_at TEXT NOT NULL,
            CHECK (construct_id != counted_as_id)
        );
        CREATE INDEX construct_alignment_counted_as ON construct_alignment(counted_as_id);
        """
    )


@migrations()
def m010_adjudication(db: Database) -> None:
    # Issue 12, adjudication into the consensus reviewer. One row per decision on a disagreement
    # between two reviewers, keyed on what it decided (``signature``: the study, the construct or
    # concept and each reviewer's spans or judgement, see core.adjudication), so a reviewer's later
    # change to a coding in it opens the disagreement again. The consensus's codings and judgement
    # are ordinary rows of the reviewer named "consensus"; undo deletes the decision row.
    db.executescript(
        """
        CREATE TABLE adjudication (
            id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES study(id),
            kind TEXT NOT NULL CHECK (kind IN ('span', 'judgement')),
            signature TEXT NOT NULL UNIQUE,
            reviewer_a INTEGER NOT NULL REFERENCES reviewer(id),
            reviewer_b INTEGER NOT NULL REFERENCES reviewer(id),
            decision TEXT NOT NULL CHECK (decision IN ('a', 'b', 'both', 'neither', 'edit')),
            decided_by INTEGER REFERENCES reviewer(id),
            decided_at TEXT NOT NULL
        );
        CREATE INDEX adjudication_study ON adjudication(study_id);
        """
    )


@migrations()
def m011_reanchoring(db: Database) -> None:
    # Issue 13, a study's text replaced by a corrected one (store.reanchor). Each coding says how
    # the last re-anchoring placed it (position, diff, quote, fuzzy, hand; NULL: never re-anchored),
    # with the score of a fuzzy match and, where the quote changed, the quote it had before. A
    # coding that could not be placed is an orphan: marked removed (so no live query sees a span
    # of the old text) and listed in ``orphan`` with its quote, prefix and suffix kept on the coding
    # row, until a reviewer places or drops it. ``was_removed_at``/``was_removed_by``: the coding
    # had been removed before it was orphaned (kept removed, not listed). ``coding_id`` has no
    # foreign key on purpose: deleting a construct takes its coding rows out (kept in the event
    # log) and its undo puts them back; the orphan row waits for them rather than being lost.
    db.executescript(
        """
        ALTER TABLE coding ADD COLUMN anchor TEXT
            CHECK (anchor IN ('position', 'diff', 'quote', 'fuzzy', 'orphaned', 'hand'));
        ALTER TABLE coding ADD COLUMN anchor_score REAL;
        ALTER TABLE coding ADD COLUMN old_exact TEXT;
        CREATE TABLE orphan (
            coding_id INTEGER PRIMARY KEY,
            study_id INTEGER NOT NULL REFERENCES study(id),
            orphaned_at TEXT NOT NULL,
            orphaned_by INTEGER REFERENCES reviewer(id),
            was_removed_at TEXT,
            was_removed_by INTEGER REFERENCES reviewer(id)
        );
        CREATE INDEX orphan_study ON orphan(study_id);
        """
    )
