"""Suggestions while translating, timed at review scale: prints a Markdown table.

    .venv/bin/python benchmarks/suggest.py [--studies 100] [--concepts 200] [--constructs 500]
                                           [--first 300] [--codings 100000] [--repeat 5] [--seed 11]

Builds a project in a temporary directory (studies, constructs with definitions in the seed texts'
vocabulary, second-order constructs linked to concepts, codings spread over them, inserted in one
transaction by the benchmark: set-up, not a product path), then times, median of ``--repeat`` runs:

* ``core`` ranking alone: every second-order construct against every concept (``Index.rank``);
* ``store.suggestions.for_construct`` for one second-order construct, all reviewers and one;
* ``store.suggestions.for_cell`` for one (concept, study) cell, all reviewers and one.

Timings are reported, never asserted (see README.md here); tests/unit/test_suggestions.py holds
the core's bound.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Generator  # noqa: E402

from workbench.core.suggestions import Index, Item  # noqa: E402
from workbench.store import suggestions  # noqa: E402
from workbench.store.db import now  # noqa: E402
from workbench.store.project import Project  # noqa: E402


def build(root: Path, a) -> dict:
    g = Generator(a.seed)
    say = lambda n: " ".join(g.words(n))  # noqa: E731
    with Project.create(root, title="suggest bench", reviewers=["alice", "ben", "cara"]) as project:
        db, stamp = project.db, now()
        reviewers = [project.reviewer_id(n) for n in ("alice", "ben", "cara")]
        with db.atomic():
            for s in range(1, a.studies + 1):
                db.execute("INSERT INTO study (id, guid, title, order_index, imported_at) VALUES (?,?,?,?,?)",
                           [s, str(uuid.uuid4()), say(8), s, stamp])
                db.execute("INSERT INTO document (study_id, text, sha256, length) VALUES (?,?,?,?)",
                           [s, "x" * 2000, "-", 2000])
            cid = 0
            for order, n in ((3, a.concepts), (2, a.constructs), (1, a.first)):
                for _ in range(n):
                    cid += 1
                    db.execute("INSERT INTO construct (id, guid, name, construct_order, definition, created_at) "
                               "VALUES (?,?,?,?,?,?)", [cid, str(uuid.uuid4()), f"{say(4)} {cid}", order,
                                                        say(30), stamp])
            second = range(a.concepts + 1, a.concepts + a.constructs + 1)
            for k in second:
                if g.rng.random() < 0.7:  # some second-order constructs are not linked yet
                    db.execute("INSERT INTO construct_link (from_id, to_id, kind, created_at) VALUES (?,?,?,?)",
                               [k, g.rng.randint(1, a.concepts), "interprets", stamp])
            for _ in range(a.codings):
                start = g.rng.randint(0, 1900)
                db.execute("INSERT INTO coding (guid, study_id, construct_id, reviewer_id, span_start, span_end, "
                           "exact, prefix, suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           [str(uuid.uuid4()), g.rng.randint(1, a.studies), g.rng.randint(1, cid),
                            g.rng.choice(reviewers), start, start + 60, say(12), "", "", "-", stamp])
        unlinked = db.execute("SELECT id FROM construct WHERE construct_order = 2 AND id NOT IN "
                              "(SELECT from_id FROM construct_link) LIMIT 1").fetchone()[0]
        return {"unlinked": unlinked, "reviewer": reviewers[0]}


def median(f, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("studies", 100), ("concepts", 200), ("constructs", 500), ("first", 300),
                          ("codings", 100_000), ("repeat", 5), ("seed", 11)):
        p.add_argument(f"--{name}", type=int, default=default)
    a = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        t = time.perf_counter()
        picked = build(root, a)
        print(f"set-up: {time.perf_counter() - t:.1f} s", file=sys.stderr)
        g = Generator(a.seed + 1)
        say = lambda n: " ".join(g.words(n))  # noqa: E731
        concepts = [Item(i, say(4), say(30), tuple(say(12) for _ in range(10))) for i in range(a.concepts)]
        constructs = [Item(("k", i), say(4), say(30), tuple(say(12) for _ in range(10))) for i in range(a.constructs)]
        rows = []

        def core():
            index = Index(concepts, constructs)
            return [index.rank(k, 5) for k in constructs]

        took, _ = median(core, a.repeat)
        rows.append((f"core: {a.constructs} constructs x {a.concepts} concepts, top 5 each", took, "well under 1 s"))
        with Project.open(root) as project:
            db = project.db
            for who, label in ((None, "all reviewers"), (picked["reviewer"], "one reviewer")):
                took, found = median(lambda: suggestions.for_construct(db, picked["unlinked"], who), a.repeat)
                rows.append((f"for_construct, {label} ({found.compared} concepts)", took, "-"))
                took, found = median(lambda: suggestions.for_cell(db, 1, 1, who), a.repeat)
                rows.append((f"for_cell, {label} ({found.compared} constructs of the study)", took, "-"))
    print(f"Suggestions at {a.studies} studies, {a.concepts} concepts, {a.constructs} second-order and {a.first} "
          f"first-order constructs, {a.codings:,} codings (median of {a.repeat}):\n")
    print("| what | time | target |\n|---|---|---|")
    for what, took, target in rows:
        print(f"| {what} | {took * 1000:.0f} ms | {target} |")


if __name__ == "__main__":
    main()
