"""REFI-QDA project exchange at scale: a .qdpx of 10,000 studies and 100,000 codings (issue 13).

    .venv/bin/python benchmarks/qdpx.py [--studies 10000] [--codings 100000] [--keep DIR]

Builds a synthetic review through the store as ``grid.py`` does: studies imported with
``add_studies`` (texts from ``synthetic.abstracts``, with year, DOI and authors), 10 overarching
and 40 third-order constructs, 60 second- and 90 first-order ones (made with ``constructs.create``),
3 reviewers' codings bulk-inserted in one transaction with the columns ``codings.add`` writes, and
a memo on every 100th study. Then it runs, each as a whole ``workbench`` process through
``spawn.py`` (start-up included; wall time and the process's own peak memory):

- ``workbench export qdpx PROJECT --out F.qdpx``;
- ``workbench import NEW F.qdpx`` into an empty project (studies segmented into sentences, as any import);
- the same import again into that project: everything matched, nothing added (a merge).

Prints a Markdown table; timings are reported, never asserted.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402
from bulk import insert_codings, random_plan  # noqa: E402
from run import checked, run_process  # noqa: E402

REVIEWERS = ("alice", "ben", "chen")


def build(root: Path, args) -> None:
    from workbench.core.records import StudyRecord
    from workbench.core.text import canonicalise
    from workbench.store import constructs
    from workbench.store.memos import set_memo
    from workbench.store.project import Project
    from workbench.store.studies import add_studies

    rng = random.Random(args.seed)
    project = Project.create(root, title="qdpx benchmark", reviewers=list(REVIEWERS))
    db = project.db
    records = [StudyRecord(title=r.title, text=canonicalise(r.abstract), year=r.year, doi=r.doi, authors=r.authors,
                           journal=r.journal, source_file="synthetic.ris")
               for r in synthetic.abstracts(args.studies, seed=args.seed)]
    add_studies(db, records)
    reviewers = [project.reviewer_id(r) for r in REVIEWERS]
    alice = reviewers[0]
    by_order: dict[int, list[int]] = {1: [], 2: [], 3: []}
    with db.atomic():
        for i in range(10):
            constructs.create(db, f"Overarching {i}", 3, alice)
        for c in range(40):
            by_order[3].append(constructs.create(db, f"Concept {c}", 3, alice, f"Overarching {c % 10}").id)
        for c in range(60):
            by_order[2].append(constructs.create(db, f"Theme {c}", 2, alice).id)
        for c in range(90):
            by_order[1].append(constructs.create(db, f"Quote {c}", 1, alice).id)
    texts = dict(db.execute("SELECT study_id, text FROM document").fetchall())
    studies = sorted(texts)
    insert_codings(db, texts, random_plan(rng, texts, by_order, reviewers, args.codings))
    with db.atomic():
        for study in studies[::100]:
            set_memo(db, "study", study, rng.choice(reviewers), f"Memo on study {study}: read again.")
    project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=10_000)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, help="build in DIR and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="wb-qdpx-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        source, copy, qdpx = work / "source", work / "copy", work / "review.qdpx"
        for path in (source, copy):
            shutil.rmtree(path, ignore_errors=True)
        t = time.perf_counter()
        print(f"building {args.studies:,} studies and {args.codings:,} codings ...", file=sys.stderr)
        build(source, args)
        print(f"built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        wb = [sys.executable, "-m", "workbench.cli"]
        checked(run_process(wb + ["init", str(copy)]), "init")
        out = []
        export = checked(run_process(wb + ["export", "qdpx", str(source), "--out", str(qdpx)]), "export qdpx")
        with zipfile.ZipFile(qdpx) as archive:
            qde = archive.getinfo("project.qde").file_size
        size = f"{qdpx.stat().st_size / 1e6:.1f} MB (project.qde {qde / 1e6:.1f} MB unpacked)"
        out.append(("`workbench export qdpx`", export, size))
        first = checked(run_process(wb + ["import", str(copy), str(qdpx), "--json"]), "import qdpx")
        report = json.loads(first.stdout)
        out.append(("`workbench import` of it into an empty project", first,
                    f"{len(report['studies_added']):,} studies, {report['codings']['added']:,} codings, "
                    f"{report['memos']['added']} memos added"))
        again = checked(run_process(wb + ["import", str(copy), str(qdpx), "--json"]), "import qdpx again")
        report = json.loads(again.stdout)
        out.append(("the same import again (a merge: everything matched)", again,
                    f"{len(report['studies_matched']):,} studies matched, {report['codings']['present']:,} codings "
                    "already there, 0 added"))
        print(f"\n{args.studies:,} studies, {args.codings:,} codings (3 reviewers), 200 constructs; "
              "one run of each, whole processes\n")
        print("| Measure | Wall | CPU | Peak memory | Notes |\n|---|---|---|---|---|")
        for what, r, note in out:
            print(f"| {what} | {r.wall:.2f} s | {r.cpu:.2f} s | {r.maxrss_mb:.0f} MB | {note} |")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
