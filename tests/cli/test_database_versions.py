"""Databases made by other versions of the workbench: an older one is brought up to date the first time a
command opens it, keeping its rows; a newer one is refused with a message and left as it was."""
import hashlib
import json
import sqlite3

import pytest
from sqlite_utils import Database
from support import rows, run

from workbench.store.db import SCHEMA_VERSION
from workbench.store.schema import migrations

# The migration after the last one a database of each version has.
NEXT_MIGRATION = {1: "m002_listing_indexes", 2: "m003_codebook_memos_search", 3: "m004_live_coding_identity"}
TEXT = "Doctors returned home for their families. Pay was lower at home."
TITLE = "Why doctors return: interviews in Ghana"


def old_project(root, version: int):
    """A project whose database an older workbench made (schema ``version``: its first migrations, its
    user_version) and used: reviewer alice, one study with its text, a construct, a coding, a status."""
    root.mkdir()
    (root / "project.yaml").write_text("format: 1\ntitle: Old review\nreviewers: [alice]\n", encoding="utf-8")
    conn = sqlite3.connect(root / "project.db", isolation_level=None)
    db = Database(conn)
    db.enable_wal()
    migrations.apply(db, stop_before=NEXT_MIGRATION[version])
    conn.execute(f"PRAGMA user_version = {version}")
    at = "2024-05-01T09:00:00.000000+00:00"
    digest = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    conn.executescript(f"""
        BEGIN;
        INSERT INTO reviewer (id, guid, name, created_at) VALUES (1, 'r-guid-1', 'alice', '{at}');
        INSERT INTO study (id, guid, title, authors, year, doi, order_index, source_file, source_locator,
                           imported_at)
            VALUES (1, 's-guid-1', '{TITLE}', '["Mensah, Kofi"]', 2016, '10.1186/s12960-016-0001-x', 1,
                    'scopus.ris', 'record 1', '{at}');
        INSERT INTO document (study_id, text, sha256, length) VALUES (1, '{TEXT}', '{digest}', 64);
        INSERT INTO sentence (study_id, span_start, span_end) VALUES (1, 0, 41), (1, 42, 64);
        INSERT INTO study_status (study_id, reviewer_id, status, updated_at) VALUES (1, 1, 'doing', '{at}');
        INSERT INTO construct (id, guid, name, construct_order, definition, created_by, created_at)
            VALUES (1, 'c-guid-1', 'Family over finances', 2, 'Family ties outweigh pay.', 1, '{at}');
        INSERT INTO coding (id, guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, prefix,
                            suffix, text_sha256, created_at)
            VALUES (1, 'k-guid-1', 1, 1, 1, 0, 41, 'Doctors returned home for their families.', '',
                    ' Pay was lower at home.', '{digest}', '{at}');
        INSERT INTO event (at, reviewer_id, action, payload) VALUES ('{at}', 1, 'reviewer.add', '{{"name": "alice"}}');
        COMMIT;
    """)
    conn.close()
    return root


def schema_objects(root) -> set[str]:
    return {r[0] for r in rows(root, "SELECT name FROM sqlite_master")}


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_database_is_brought_up_to_date_and_keeps_its_rows(tmp_path, capsys, version):
    root = old_project(tmp_path / "review", version)
    assert "memo" not in schema_objects(root)  # as that version made it

    code, out, err = run(capsys, "studies", root, "--reviewer", "alice", "--json")
    assert (code, err) == (0, "")
    (study,) = json.loads(out)
    assert {k: study[k] for k in ("id", "title", "authors", "year", "doi", "source_file", "length", "codings",
                                  "mine", "status")} == {
        "id": 1, "title": TITLE, "authors": ["Mensah, Kofi"], "year": 2016, "doi": "10.1186/s12960-016-0001-x",
        "source_file": "scopus.ris", "length": 64, "codings": 1, "mine": 1, "status": "doing"}

    assert rows(root, "PRAGMA user_version")[0][0] == SCHEMA_VERSION
    assert [r[0] for r in rows(root, "SELECT name FROM _sqlite_migrations ORDER BY id")] == [
        "m001_initial", "m002_listing_indexes", "m003_codebook_memos_search",
        "m004_live_coding_identity", "m005_duplicates_and_study_removal", "m006_pins",
        "m007_study_order_and_translation", "m008_agreement_runs", "m009_construct_alignment",
        "m010_adjudication", "m011_reanchoring"]
    assert {"coding_live_study_reviewer", "coding_live_construct", "coding_live_reviewer_construct",
            "document_length", "construct_link", "memo", "document_fts", "memo_fts", "agreement_run"} <= schema_objects(root)
    assert [tuple(r) for r in rows(root, "SELECT name FROM reviewer")] == [("alice",)]
    assert [tuple(r) for r in rows(root, "SELECT action FROM event")] == [("reviewer.add",)]

    code, out, err = run(capsys, "codings", root, "--json")
    assert (code, err) == (0, "")
    assert [(c["id"], c["study_id"], c["reviewer"], c["order"], c["construct"], c["quote"])
            for c in json.loads(out)] == [
        (1, 1, "alice", 2, "Family over finances", "Doctors returned home for their families.")]
    # the text stored before there was a search index is found
    code, out, err = run(capsys, "search", root, "lower", "--json")
    assert (code, err) == (0, "")
    assert [(h["kind"], h["study_id"], h["start"], h["end"]) for h in json.loads(out)] == [("study", 1, 50, 55)]
    # and what the later migrations added can be used
    code, _, err = run(capsys, "memo", "set", root, "--study", 1, "--reviewer", "alice", "--text", "Pay matters less.")
    assert (code, err) == (0, "")
    assert [tuple(r) for r in rows(root, "SELECT target_kind, target_id, text FROM memo")] == [
        ("study", 1, "Pay matters less.")]


def test_a_newer_database_is_refused_with_both_versions_named_and_left_as_it_was(tmp_path, capsys):
    root = tmp_path / "review"
    code, _, err = run(capsys, "init", root, "--reviewer", "alice")
    assert code == 0, err
    conn = sqlite3.connect(root / "project.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    before = (root / "project.db").read_bytes()

    code, out, err = run(capsys, "studies", root)
    assert (code, out) == (1, "")
    assert err == (f"workbench: error: {root / 'project.db'}: made by a newer workbench (database schema "
                   f"{SCHEMA_VERSION + 5}); this workbench reads schema {SCHEMA_VERSION} and older: upgrade the "
                   "workbench\n")
    assert (root / "project.db").read_bytes() == before
