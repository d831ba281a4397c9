"""Concurrent load: a big construct merge while four reviewers' processes keep coding.

Builds a project (200 studies, reviewers alice and ben holding a construct pair of 36,000 codings in
all, 3,000 of the source's identical to the target's), then starts 4 writer processes (reviewers
carol, dan, eve, fred), each adding 5,000 codings with distinct spans through ``codings.add`` (one
transaction and fsync each, as the CLI and the TUI do), and, once they are coding, merges the pair
in a fifth process. Prints (and returns as JSON with ``--json``):

* failures: codings.add calls that raised (target 0), with the first message;
* the longest single ``codings.add`` (its wait for the write lock included) and the median;
* the merge's total write-lock hold: from ``BEGIN IMMEDIATE`` succeeding to ``COMMIT`` returning,
  summed over its transactions (target < 1 s), and its wall time (planning included).

    PYTHONPATH=. .venv/bin/python benchmarks/load.py [--writers 4] [--per-writer 5000] [--pair 36000]

Timings are reported, never asserted.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# --code DIR measures another checkout (e.g. the code before a change), for a before/after on one machine
CODE = Path(sys.argv[sys.argv.index("--code") + 1]).resolve() if "--code" in sys.argv else ROOT
sys.path.insert(0, str(CODE))

WRITER = r"""
import json, sys, time
from pathlib import Path
from workbench.store import codings
from workbench.store.project import Project
root, name, n, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
project = Project.open(root)
reviewer = project.reviewer_id(name)
construct = project.db.execute("SELECT id FROM construct WHERE name = 'Writers'").fetchone()[0]
studies = [r[0] for r in project.db.execute("SELECT id FROM study ORDER BY id")]
print("READY", flush=True)
while not go.exists():
    time.sleep(0.01)
times, failures = [], []
for k in range(n):
    study = studies[k % len(studies)]
    start = k // len(studies)
    t0 = time.perf_counter()
    try:
        codings.add(project.db, study, construct, reviewer, start, start + 10)
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
    times.append(time.perf_counter() - t0)
print(json.dumps({"times": times, "failures": failures}), flush=True)
"""

MERGER = r"""
import json, sys, time
from contextlib import contextmanager
from workbench.store import db as dbmod
from workbench.store.project import Project
import importlib; merging = importlib.import_module("workbench.store.restructure.merge")
holds = []
plain = dbmod.Store.atomic

@contextmanager
def timed(self):
    outer = not self.conn.in_transaction
    with plain(self) as store:
        t0 = time.perf_counter()   # BEGIN IMMEDIATE has succeeded: the lock is held from here
        yield store
    if outer:
        holds.append(time.perf_counter() - t0)   # COMMIT has returned

dbmod.Store.atomic = timed
project = Project.open(sys.argv[1])
alice = project.reviewer_id("alice")
source = project.db.execute("SELECT id FROM construct WHERE name = 'Source'").fetchone()[0]
target = project.db.execute("SELECT id FROM construct WHERE name = 'Target'").fetchone()[0]
holds.clear()
t0 = time.perf_counter()
report = merging.merge(project.db, source, target, alice)
wall = time.perf_counter() - t0
print(json.dumps({"wall": wall, "holds": holds, "moved": len(report.codings_moved),
                  "collapsed": len(report.collapsed)}), flush=True)
"""


def build(root: Path, pair: int, studies: int, seed: int) -> None:
    """The project: studies with random-word texts, the Source/Target pair coded by alice and ben
    (bulk-inserted by the benchmark, set-up only), and an empty construct the writers code with."""
    from workbench.core.records import StudyRecord
    from workbench.core.text import quote
    from workbench.store import constructs, studies as studies_mod
    from workbench.store.db import now
    from workbench.store.project import Project

    rng = random.Random(seed)
    words = "return migration family duty home health system training abroad career clinic doctor".split()
    project = Project.create(root, title="load", reviewers=["alice", "ben", "carol", "dan", "eve", "fred"])
    records = [StudyRecord(title=f"Study {i}", text=" ".join(rng.choice(words) for _ in range(400)) + ".",
                           source_file="load.txt", year=2000 + i % 25) for i in range(studies)]
    studies_mod.add_studies(project.db, records)
    alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
    src = constructs.create(project.db, "Source", 1, alice).id
    tgt = constructs.create(project.db, "Target", 1, alice).id
    constructs.create(project.db, "Writers", 1, alice)
    texts = dict(project.db.execute("SELECT study_id, text FROM document"))
    ids = sorted(texts)
    half = pair // 2
    rows, seen = [], set()

    def add(construct: int, reviewer: int, study: int, start: int) -> None:
        end = start + 20
        q = quote(texts[study], start, end)
        rows.append((str(uuid.uuid4()), study, construct, reviewer, start, end, q.exact, q.prefix, q.suffix,
                     "x", now()))

    for k in range(half):  # target: distinct spans
        add(tgt, (alice, ben)[k % 2], ids[k % len(ids)], (k // len(ids)) * 3)
    for k in range(half):  # source: the first 3,000 identical to target codings, the rest elsewhere
        if k < 3000:
            add(src, (alice, ben)[k % 2], ids[k % len(ids)], (k // len(ids)) * 3)
        else:
            add(src, (alice, ben)[k % 2], ids[k % len(ids)], (k // len(ids)) * 3 + 1)
    with project.db.atomic():
        project.db.conn.executemany(
            "INSERT INTO coding (guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, prefix,"
            " suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    project.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--writers", type=int, default=4)
    ap.add_argument("--per-writer", type=int, default=5000)
    ap.add_argument("--pair", type=int, default=36000)
    ap.add_argument("--studies", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--code", help="the workbench checkout to measure (default: this one)")
    args = ap.parse_args(argv)
    env = {"PYTHONPATH": str(CODE), "PATH": "/usr/bin:/bin"}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "load"
        t0 = time.perf_counter()
        build(root, args.pair, args.studies, args.seed)
        print(f"built in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        go = Path(tmp) / "go"
        names = ["carol", "dan", "eve", "fred", "gus", "hal"][:args.writers]
        writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(root), name, str(args.per_writer), str(go)],
                                    stdout=subprocess.PIPE, text=True, env=env, cwd=tmp) for name in names]
        for w in writers:
            assert w.stdout.readline().strip() == "READY"
        go.touch()
        started = time.perf_counter()
        time.sleep(1.0)  # the writers are coding when the merge starts
        merger = subprocess.run([sys.executable, "-c", MERGER, str(root)], capture_output=True, text=True,
                                env=env, cwd=tmp)
        if merger.returncode:
            print(merger.stderr, file=sys.stderr)
            merged = {"error": merger.stderr.strip().splitlines()[-1]}
        else:
            merged = json.loads(merger.stdout)
        results = [json.loads(w.communicate()[0]) for w in writers]
        elapsed = time.perf_counter() - started
    times = [t for r in results for t in r["times"]]
    failures = [f for r in results for f in r["failures"]]
    out = {"writers": args.writers, "per_writer": args.per_writer, "pair": args.pair,
           "failures": len(failures), "first_failure": failures[0] if failures else None,
           "longest_add_s": round(max(times), 3), "median_add_ms": round(statistics.median(times) * 1000, 1),
           "merge_lock_hold_s": round(sum(merged.get("holds", [])), 3) if "holds" in merged else None,
           "merge_wall_s": round(merged["wall"], 2) if "wall" in merged else None,
           "merge": merged, "writers_elapsed_s": round(elapsed, 1)}
    if args.json:
        print(json.dumps(out))
    else:
        out.pop("merge")
        for key, value in out.items():
            print(f"{key:20} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
