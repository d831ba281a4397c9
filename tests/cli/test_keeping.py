"""Issue 13, item 4: a project dumped as JSON Lines (for git) and restored gives identical content;
a dump diffs as the lines a change touched; a damaged dump is refused naming its file and line and
leaves nothing behind; ``workbench backup`` copies a database another process is writing to, and
the copy passes SQLite's integrity check."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import importlib.util
import shutil
from pathlib import Path

import pytest
from support import DEMO, ROOT, dump, run

# Tables the dump leaves out: the full-text indexes (rebuilt from the rows) and migration bookkeeping.
LEFT_OUT = ("document_fts", "memo_fts", "_sqlite_migrations")


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def content(project) -> dict[str, list[tuple]]:
    """Every row of every table but the full-text indexes, in primary-key order."""
    conn = sqlite3.connect(project / "project.db")
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                 if not r[0].startswith(LEFT_OUT) and not r[0].startswith("sqlite_")]
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1, 2').fetchall() for t in names}
    finally:
        conn.close()


def sibling(name: str):
    """A module of the tests beside this one (they are not a package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def demo(tmp_path, capsys):
    """The demo with the worked example's codings and judgements, a memo, a removed coding and a
    second reviewer's status: every kind of row a project holds."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("project.db*"))
    ok(capsys, "build", root)
    ok(capsys, "memo", "set", root, "--study", "1", "--reviewer", "alice", "--text", "Read twice; the café scene matters.")
    ok(capsys, "memo", "set", root, "--project", "--reviewer", "ben", "--text", "Line of argument: draft 1")
    ok(capsys, "code", root, "--study", "2", "--start", "0", "--end", "40", "--construct", "Pivotal experiences",
       "--reviewer", "alice")
    removed = json.loads(ok(capsys, "code", root, "--study", "2", "--start", "50", "--end", "90", "--construct",
                            "Pivotal experiences", "--reviewer", "alice", "--json"))
    ok(capsys, "uncode", root, "--coding", removed["id"], "--reviewer", "alice")
    ok(capsys, "status", root, "--study", "2", "--reviewer", "ben", "--set", "done")
    return root


def test_dump_then_restore_gives_identical_content(demo, tmp_path, capsys):
    out = ok(capsys, "dump", demo, "--out", tmp_path / "review.jsonl")
    assert out.startswith("dumped 5 studies, 23 constructs, 42 codings, 2 memos, ")
    restored = tmp_path / "restored"
    ok(capsys, "restore", tmp_path / "review.jsonl", restored)
    assert content(restored) == content(demo)
    assert (restored / "project.yaml").read_bytes() == (demo / "project.yaml").read_bytes()
    # the full-text indexes were rebuilt from the rows: search finds a word of a text and of a memo
    memo = json.loads(ok(capsys, "search", restored, "café", "--json"))
    assert [(hit["kind"], hit["match"]) for hit in memo] == [("memo", "café")]
    text = json.loads(ok(capsys, "search", restored, "diaspora", "--json", "--limit", "100"))
    assert text == json.loads(ok(capsys, "search", demo, "diaspora", "--json", "--limit", "100"))
    assert any(hit["kind"] != "memo" for hit in text)
    # the directory form restores the same, and a second dump is byte for byte the first
    ok(capsys, "dump", demo, "--out", tmp_path / "dir")
    ok(capsys, "restore", tmp_path / "dir", tmp_path / "again")
    assert content(tmp_path / "again") == content(demo)
    ok(capsys, "dump", tmp_path / "again", "--out", tmp_path / "again.jsonl")
    assert (tmp_path / "again.jsonl").read_bytes() == (tmp_path / "review.jsonl").read_bytes()


def test_a_dump_diffs_as_the_lines_a_change_touched(demo, tmp_path, capsys):
    ok(capsys, "dump", demo, "--out", tmp_path / "before")
    ok(capsys, "code", demo, "--study", "3", "--start", "10", "--end", "30", "--construct", "Pivotal experiences",
       "--reviewer", "alice")
    ok(capsys, "dump", demo, "--out", tmp_path / "after")
    changed = {}
    for f in sorted((tmp_path / "before").iterdir()):
        old, new = f.read_text(encoding="utf-8").splitlines(), (tmp_path / "after" / f.name).read_text(
            encoding="utf-8").splitlines()
        if old != new:
            assert new[:len(old)] == old, f"{f.name}: lines before the new one changed"
            changed[f.name] = len(new) - len(old)
    assert changed == {"coding.jsonl": 1, "event.jsonl": 1}
    line = json.loads((tmp_path / "after" / "coding.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert (line["span_start"], line["span_end"], line["study_id"]) == (10, 30, 3)


def test_a_damaged_dump_is_refused_naming_file_and_line_and_leaves_nothing(demo, tmp_path, capsys):
    ok(capsys, "dump", demo, "--out", tmp_path / "review.jsonl")
    lines = (tmp_path / "review.jsonl").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines[:40] + ['{"table": "coding", "row": {"id": 1, ' ] + lines[40:]) + "\n",
                   encoding="utf-8")
    code, out, err = run(capsys, "restore", bad, tmp_path / "new")
    assert code == 1
    assert f"{bad} line 41: not JSON" in err
    assert not (tmp_path / "new").exists()
    bad.write_text("\n".join(lines[:3] + ['{"table": "codings", "row": {"id": 1}}']) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "restore", bad, tmp_path / "new")
    assert code == 1 and f"{bad} line 4: table 'codings' is not in database schema" in err
    assert not (tmp_path / "new").exists()
    # a coding whose construct the dump lacks
    keep = [line for line in lines if '"table":"construct"' not in line]
    bad.write_text("\n".join(keep) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "restore", bad, tmp_path / "new")
    assert code == 1 and "refers to a construct row the dump does not have" in err
    assert not (tmp_path / "new").exists()


def test_restore_never_overwrites_a_project(demo, tmp_path, capsys):
    ok(capsys, "dump", demo, "--out", tmp_path / "review.jsonl")
    before = dump(demo)
    code, out, err = run(capsys, "restore", tmp_path / "review.jsonl", demo)
    assert code == 1 and "already a project; restore into a new directory" in err
    assert dump(demo) == before


def test_a_dump_of_an_older_schema_restores_and_is_brought_up_to_date(tmp_path, capsys):
    old_project = sibling("test_database_versions").old_project
    from workbench.store import dump as dumping
    from workbench.store.db import SCHEMA_VERSION, Store

    old = tmp_path / "old"
    old_project(old, 3)
    conn = sqlite3.connect(old / "project.db", isolation_level=None)
    dumping.dump(Store(conn), (old / "project.yaml").read_text(encoding="utf-8"), tmp_path / "old.jsonl")
    conn.close()
    assert json.loads((tmp_path / "old.jsonl").read_text(encoding="utf-8").splitlines()[0])["schema"] == 3
    ok(capsys, "restore", tmp_path / "old.jsonl", tmp_path / "new")
    conn = sqlite3.connect(tmp_path / "new" / "project.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT exact FROM coding").fetchall() == [("Doctors returned home for their families.",)]
    conn.close()


WRITER = textwrap.dedent("""
    import sys
    from workbench.store.project import Project
    from workbench.store import codings
    with Project.open(sys.argv[1]) as p:
        alice = p.reviewer_id("alice")
        print("ready", flush=True)
        for i in range(int(sys.argv[2])):
            codings.add_with_construct(p.db, 1, alice, i % 500, i % 500 + 20, "Pivotal experiences", None)
""")


def test_a_backup_taken_while_another_process_codes_passes_the_integrity_check(demo, tmp_path, capsys):
    import workbench
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(demo), "400"], stdout=subprocess.PIPE,
                              text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""},
                              cwd=ROOT)
    try:
        assert writer.stdout.readline().strip() == "ready"
        seen = []
        for n in range(5):
            target = tmp_path / f"backup-{n}.db"
            held = json.loads(ok(capsys, "backup", demo, target, "--json"))
            conn = sqlite3.connect(target)
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM coding").fetchone()[0] == held["coding"]
            conn.close()
            seen.append(held["coding"])
    finally:
        assert writer.wait(timeout=120) == 0
    assert seen == sorted(seen) and seen[0] >= 42
    final = json.loads(ok(capsys, "backup", demo, tmp_path / "final.db", "--json"))
    assert final["coding"] == 42 + 400
    assert workbench.__file__.startswith(str(ROOT))


def test_backup_never_replaces_the_project_database(demo, capsys):
    before = dump(demo)
    code, out, err = run(capsys, "backup", demo, demo / "project.db")
    assert code == 1 and "an export never replaces it" in err
    assert dump(demo) == before
