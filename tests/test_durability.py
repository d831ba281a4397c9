"""Nothing acknowledged is lost: a coding survives kill -9 of the process that made it, and two
reviewers' processes writing to one database at once neither lose codings nor corrupt it."""
import json
import os
import signal
import subprocess
import sys
import textwrap

from workbench.store.project import Project

WRITER = textwrap.dedent("""
    import sys, time
    from workbench.store import codings, constructs
    from workbench.store.project import Project
    project = Project.open(sys.argv[1])
    reviewer = project.reviewer_id(sys.argv[2])
    construct, _ = constructs.resolve(project.db, "Family over finances", reviewer, order=3)
    text_len = project.db.execute("SELECT length FROM document WHERE study_id = 1").fetchone()[0]
    for i in range(int(sys.argv[3])):
        coding = codings.add(project.db, 1, construct.id, reviewer, i, i + 5 + (sys.argv[2] == "ben"))
        print("ACK", coding.id, flush=True)
    time.sleep(float(sys.argv[4]))  # still running, connection open, when it is killed
""")


def _writer(project, reviewer, n, linger):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(project), reviewer, str(n), str(linger)],
                            stdout=subprocess.PIPE, text=True)


def test_coding_acknowledged_before_kill_9_is_there_after_restart(small_project):
    proc = _writer(small_project, "alice", 1, 60)
    line = proc.stdout.readline().split()
    assert line[0] == "ACK"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    with Project.open(small_project) as project:
        row = project.db.execute("SELECT id, exact, removed_at FROM coding").fetchall()
        assert row == [(int(line[1]), project.db.execute(
            "SELECT substr(text, 1, 5) FROM document WHERE study_id = 1").fetchone()[0], None)]
        assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert project.db.execute(
            "SELECT count(*) FROM event WHERE action = 'coding.add'").fetchone()[0] == 1


def test_two_reviewers_writing_at_once_lose_nothing(small_project):
    with Project.open(small_project) as project:  # create the construct once, so neither races for it
        from workbench.store import constructs
        constructs.create(project.db, "Family over finances", 3, project.reviewer_id("alice"))
    procs = [_writer(small_project, name, 40, 0) for name in ("alice", "ben")]
    acks = [p.communicate(timeout=120)[0].split().count("ACK") for p in procs]
    assert [p.returncode for p in procs] == [0, 0] and acks == [40, 40]
    with Project.open(small_project) as project:
        counts = dict(project.db.execute(
            "SELECT r.name, count(*) FROM coding c JOIN reviewer r ON r.id = c.reviewer_id GROUP BY r.name"))
        assert counts == {"alice": 40, "ben": 40}
        assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# --- kill -9 at random moments: coding, import, merge (20 tries each, forked so each try is short) ----

import random  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

TRIES = 20


def _killed(work, delay: float) -> list[str]:
    """Run ``work(say)`` in a forked child, kill -9 it after ``delay`` s; the lines it said (each
    said only after the change it reports was committed)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no pytest clean-up, no return
        try:
            os.close(read_end)
            work(lambda line: os.write(write_end, (line + "\n").encode()))
        finally:
            os._exit(0)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    with os.fdopen(read_end) as said:
        return said.read().splitlines()


def _ok(project) -> None:
    assert project.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert project.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_kill_9_while_coding_loses_no_acknowledged_coding_and_writes_none_half(small_project):
    from workbench.store import codings, constructs
    rng = random.Random(8)
    with Project.open(small_project) as project:
        alice = project.reviewer_id("alice")
        construct = constructs.create(project.db, "Family over finances", 3, alice).id
    acked: list[int] = []
    for t in range(TRIES):
        def work(say, t=t):
            project = Project.open(small_project)
            for i in range(2000):
                start = t * 50 + i // 3
                say(f"ACK {codings.add(project.db, 1 + i % 3, construct, alice, start, start + 9).id}")

        acked += [int(line.split()[1]) for line in _killed(work, rng.uniform(0.01, 0.12))]
        with Project.open(small_project) as project:
            _ok(project)
            stored = {r[0] for r in project.db.execute("SELECT id FROM coding")}
            logged = {json.loads(p)["coding"] for (p,) in project.db.execute(
                "SELECT payload FROM event WHERE action = 'coding.add'")}
        assert set(acked) <= stored  # nothing acknowledged is lost
        assert stored == logged      # no coding without its event, no event without its coding
    assert len(acked) > TRIES        # the children were killed while coding, not before


def test_kill_9_while_importing_loses_no_acknowledged_study_and_writes_none_half(small_project):
    from workbench.core.records import StudyRecord
    from workbench.core.sentences import segment_many
    from workbench.store.studies import add_studies
    segment_many(["Loaded before forking."])  # spaCy once, in the parent
    rng = random.Random(9)
    acked: list[int] = []
    for t in range(TRIES):
        def work(say):
            project = Project.open(small_project)
            while True:
                batch = [StudyRecord(title=f"Study {key}", source_file="batch.txt", year=2020,
                                     text=f"Doctors returned home ({key}). Families mattered more than pay.\nA second line.")
                         for key in (uuid.uuid4().hex for _ in range(3))]  # distinct texts: none a duplicate
                say("ACK " + " ".join(map(str, add_studies(project.db, batch).added)))

        acked += [int(i) for line in _killed(work, rng.uniform(0.01, 0.15)) for i in line.split()[1:]]
        with Project.open(small_project) as project:
            _ok(project)
            studies = {r[0] for r in project.db.execute("SELECT id FROM study")}
            documents = {r[0] for r in project.db.execute("SELECT study_id FROM document")}
            segmented = {r[0] for r in project.db.execute("SELECT DISTINCT study_id FROM sentence")}
            logged = {s for (p,) in project.db.execute("SELECT payload FROM event WHERE action = 'study.import'")
                      for s in json.loads(p)["studies"]}
        assert set(acked) <= studies
        assert studies == documents == segmented == logged  # every study whole, with its event
    assert len(acked) > 3 * TRIES


def test_kill_9_while_merging_leaves_the_merge_whole_or_not_at_all(small_project):
    from workbench.store import codings, constructs, undo
    from workbench.store.restructure import merge
    rng = random.Random(10)
    with Project.open(small_project) as project:
        alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
        source = constructs.create(project.db, "Duty to the home country", 3, alice).id
        target = constructs.create(project.db, "Family over finances", 3, alice).id
        moved = [codings.add(project.db, 1 + i % 3, source, (alice, ben)[i % 2], i, i + 4).id for i in range(60)]
        for i in range(40, 100):
            codings.add(project.db, 1 + i % 3, target, (alice, ben)[i % 2], i, i + 4)
    collapsed = set(moved[40:])  # identical to a target coding: marked removed by the merge
    said: list[str] = []
    for _ in range(TRIES):
        def work(say):
            project = Project.open(small_project)
            while True:
                if project.db.execute("SELECT 1 FROM construct WHERE id = ?", [source]).fetchone():
                    # ben's codings move too: alice merges as a lead who said so (issue 10's rule)
                    merge(project.db, source, target, alice, lead=True, touching_others=True)
                    say("MERGED")
                else:
                    undo.undo(project.db, alice)
                    say("UNDONE")

        said += _killed(work, rng.uniform(0.01, 0.15))
        with Project.open(small_project) as project:
            _ok(project)
            merged = project.db.execute("SELECT 1 FROM construct WHERE id = ?", [source]).fetchone() is None
            where = dict(project.db.execute(
                f"SELECT id, construct_id FROM coding WHERE id IN ({','.join(map(str, moved))})"))
            removed = {r[0] for r in project.db.execute(
                f"SELECT id FROM coding WHERE removed_at IS NOT NULL AND id IN ({','.join(map(str, moved))})")}
            merges = project.db.execute("SELECT count(*) FROM event WHERE action = 'construct.merge'").fetchone()[0]
            undos = project.db.execute("SELECT count(*) FROM event WHERE action = 'undo'").fetchone()[0]
        # all or nothing: every coding of the source moved and the identical ones removed, or none
        assert where == dict.fromkeys(moved, target if merged else source)
        assert removed == (collapsed if merged else set())
        assert merged == (merges == undos + 1)
        # nothing acknowledged lost: the log holds at least every merge and undo the children reported
        assert merges >= said.count("MERGED") and undos >= said.count("UNDONE")
    assert len(said) > TRIES
