"""Several processes on one project at once: a held write lock is a clear refusal, two processes of
one reviewer coding the same spans make no duplicate, and processes opening a new project at once
all succeed (one migrates, the others wait and find the schema current)."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import support

import workbench

from workbench.store import constructs, db as store_db
from workbench.store.project import Project, Settings

# the child processes run the same workbench as the tests
ENV = {**os.environ, "PYTHONPATH": str(Path(workbench.__file__).resolve().parents[1])}


def test_a_write_while_another_process_holds_the_lock_is_refused_with_a_message(small_project, capsys,
                                                                                 monkeypatch):
    with Project.open(small_project) as project:
        constructs.create(project.db, "Family over finances", 3, project.reviewer_id("alice"))
    before = support.dump(small_project)
    other = sqlite3.connect(small_project / "project.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another reviewer's process, in the middle of a long write
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_MS", 200)
    try:
        code, out, err = support.run(capsys, "code", str(small_project), "--study", "1", "--start", "0",
                                     "--end", "5", "--construct", "Family over finances", "--reviewer", "alice")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert (code, out) == (1, "")
    assert err == (f"workbench: error: another process is writing to {small_project / 'project.db'}; tried for "
                   "0.2 s to get the write lock: try again when it has finished\n")
    assert support.dump(small_project) == before


CODER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from workbench.store import codings
    from workbench.store.project import Project
    project = Project.open(sys.argv[1])
    alice = project.reviewer_id("alice")
    construct = project.db.execute("SELECT id FROM construct").fetchone()[0]
    print("READY", flush=True)
    go = Path(sys.argv[2])
    while not go.exists():
        time.sleep(0.001)
    for i in range(int(sys.argv[3])):
        try:
            print("ACK", codings.add(project.db, 1, construct, alice, i, i + 7).id, flush=True)
        except codings.CodingError as exc:
            print("REFUSED", exc, flush=True)
""")


def test_one_reviewer_coding_the_same_spans_from_two_processes_makes_no_duplicate(small_project, tmp_path):
    with Project.open(small_project) as project:
        construct = constructs.create(project.db, "Family over finances", 3, project.reviewer_id("alice")).id
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", CODER, str(small_project), str(go), "200"],
                              stdout=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path) for _ in range(2)]
    for p in procs:
        assert p.stdout.readline() == "READY\n"
    go.touch()  # both start coding at the same moment
    lines = [line for p in procs for line in p.communicate(timeout=120)[0].splitlines()]
    assert [p.returncode for p in procs] == [0, 0]
    acked = sorted(int(line.split()[1]) for line in lines if line.startswith("ACK "))
    refused = [line for line in lines if line.startswith("REFUSED ")]
    assert len(acked) == 200 and len(refused) == 200
    with Project.open(small_project) as project:
        live = project.db.execute("SELECT id, span_start, span_end FROM coding WHERE construct_id = ? "
                                  "AND removed_at IS NULL ORDER BY span_start", [construct]).fetchall()
    assert [(s, e) for _, s, e in live] == [(i, i + 7) for i in range(200)]  # each span once
    assert sorted(i for i, _, _ in live) == acked
    for line in refused:  # each refusal says the span is coded already, in words (no coding ids: issue 10)
        assert line == "REFUSED this span is already coded with 'Family over finances' by you"


OPENER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from workbench.store.project import Project
    import sqlite_utils  # loaded before the start line, so the processes migrate at the same moment
    go = Path(sys.argv[2])
    print("READY", flush=True)
    while not go.exists():
        time.sleep(0.001)
    with Project.open(sys.argv[1]) as project:
        print(sorted(project.reviewers()))
""")


def test_processes_opening_a_new_project_at_once_all_succeed(tmp_path):
    for round_ in range(3):
        root = tmp_path / f"review{round_}"
        root.mkdir()
        Settings(title="Race", reviewers=["alice", "ben"]).dump(root / "project.yaml")  # no project.db yet
        go = tmp_path / f"go{round_}"
        procs = [subprocess.Popen([sys.executable, "-c", OPENER, str(root), str(go)], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=ENV, cwd=tmp_path) for _ in range(4)]
        for p in procs:
            assert p.stdout.readline() == "READY\n"
        go.touch()
        results = [p.communicate(timeout=120) for p in procs]
        assert [(p.returncode, out, err) for p, (out, err) in zip(procs, results)] == \
            [(0, "['alice', 'ben']\n", "")] * 4
        names = [tuple(r) for r in support.rows(root, "SELECT name FROM reviewer ORDER BY name")]
        assert names == [("alice",), ("ben",)]
        assert support.rows(root, "PRAGMA user_version")[0][0] == store_db.SCHEMA_VERSION
