import sqlite3

import pytest
from support import SEED_001, seed_record

from workbench.core.constructs import ConstructError
from workbench.core.records import StudyRecord
from workbench.store import codings, constructs, events, studies
from workbench.store.codings import CodingError
from workbench.store.db import SCHEMA_VERSION, connect
from workbench.store.project import Project, ProjectError
from workbench.store.schema import migrations


def test_schema_version_counts_the_migrations_and_every_connection_enforces_foreign_keys(tmp_path):
    # the number of the last migration (helpers working in parallel number theirs apart: m008, m011)
    numbers = [int(m.name[1:4]) for m in migrations._migrations]
    assert numbers == sorted(set(numbers)) and SCHEMA_VERSION == numbers[-1]
    db = connect(tmp_path / "p.db")
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("INSERT INTO document (study_id, text, sha256, length) VALUES (99, '', '', 0)")


def test_event_log_is_append_only(small_project):
    with Project.open(small_project) as project:
        log = events.recent(project.db)
        assert [e["action"] for e in reversed(log)] == ["reviewer.add", "reviewer.add", "study.import"]
        first = log[-1]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            project.db.execute("UPDATE event SET action = 'x' WHERE id = ?", [first["id"]])
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            project.db.execute("DELETE FROM event")


def test_coding_stores_quote_context_and_hash_and_removal_keeps_the_row(small_project):
    with Project.open(small_project) as project:
        db = project.db
        alice = project.reviewer_id("alice")
        theme = constructs.create(db, "Pivotal experiences", 2, alice)
        text, digest = studies.get_text(db, 1)
        start = text.index("pivotal experiences")
        coding = codings.add(db, 1, theme.id, alice, start, start + len("pivotal experiences"))
        row = next(db.query("SELECT * FROM coding WHERE id = ?", [coding.id]))
        assert row["exact"] == "pivotal experiences"
        assert row["prefix"] == text[start - 32:start] and row["suffix"] == text[row["span_end"]:row["span_end"] + 32]
        assert row["text_sha256"] == digest
        with pytest.raises(CodingError, match="already coded"):
            codings.add(db, 1, theme.id, alice, start, start + len("pivotal experiences"))
        codings.remove(db, coding.id, alice)
        assert codings.for_study(db, 1) == []
        assert db.execute("SELECT removed_at IS NOT NULL FROM coding WHERE id = ?", [coding.id]).fetchone()[0] == 1
        actions = [e["action"] for e in events.recent(db, 3)]
        assert actions[:3] == ["coding.remove", "coding.add", "construct.create"]


def test_construct_rules(small_project):
    with Project.open(small_project) as project:
        db, alice = project.db, project.reviewer_id("alice")
        top = constructs.create(db, "Challenges of professional reintegration", 3, alice)
        constructs.create(db, "Disillusionment with state health systems", "third", alice, parent=top.name)
        with pytest.raises(ConstructError, match="already exists"):
            constructs.create(db, "disillusionment with STATE health systems", 3, alice)
        constructs.create(db, "A theme", 2, alice)
        with pytest.raises(ConstructError, match="'Overarching' is third-order and cannot sit under 'A theme'"):
            constructs.create(db, "Overarching", 3, alice, parent="A theme")
        with pytest.raises(ConstructError, match="order must be 1, 2 or 3"):
            constructs.create(db, "Fourth", 4, alice)
        with pytest.raises(ConstructError, match="no construct called 'Nowhere'"):
            constructs.create(db, "Lost", 1, alice, parent="Nowhere")
        found, created = constructs.resolve(db, "disillusionment with state health systems", alice)
        assert found.parent_id == top.id and not created
        with pytest.raises(ConstructError, match="is order 3, not 1"):
            constructs.resolve(db, "Disillusionment with state health systems", alice, order=1)


def test_definite_duplicates_are_skipped_and_a_near_identical_title_is_imported_and_flagged(small_project):
    with Project.open(small_project) as project:
        db = project.db
        before = db.execute("SELECT count(*) FROM study").fetchone()[0]
        same_doi = seed_record(SEED_001, "Another title entirely", 2018, "https://doi.org/10.1080/0142159X.2017.1370081")
        near_title = StudyRecord(title="Medical migration - a qualitative exploration of the atypical path of "
                                       "Japanese international medical graduate", text="x", source_file="b.ris",
                                 year=2018)
        new = StudyRecord(title="A new study", text="One. Two.", source_file="c.ris", year=2020)
        twice = StudyRecord(title="A new study", text="One. Two.", source_file="c.ris", year=2020)
        report = studies.add_studies(db, [same_doi, near_title, new, twice])
        assert [o.kind for o in report.outcomes] == ["duplicate", "possible duplicate", "imported", "duplicate"]
        assert [o.match.reason for o in report.duplicates] == ["same DOI 10.1080/0142159x.2017.1370081",
                                                              "same text"]
        flagged, fresh = report.added
        assert report.duplicates[1].duplicate_of == fresh  # the earlier record of the same import, by its id
        assert report.possible[0].match.reason == "titles 99% alike; same year; no first author to compare"
        assert report.possible[0].match.evidence["year"] == "same"
        assert db.execute("SELECT count(*) FROM study").fetchone()[0] == before + 2
        assert db.execute("SELECT study_id FROM duplicate_pair").fetchall() == [(flagged,)]
        assert studies.sentences(db, fresh) == [(0, 4), (5, 9)]


def test_unknown_project_and_reviewer_messages(tmp_path, small_project):
    with pytest.raises(ProjectError, match="not a project"):
        Project.open(tmp_path / "nowhere")
    with Project.open(small_project) as project:
        with pytest.raises(ProjectError, match="unknown reviewer 'zoe' .*alice, ben"):
            project.reviewer_id("zoe")
