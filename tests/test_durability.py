"""Nothing acknowledged is lost: a coding survives kill -9 of the process that made it, and two
reviewers' processes writing to one database at once neither lose codings nor corrupt it."""
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
