"""The translation grid at scale: 100 studies x 200 concepts x 100,000 codings (issue 11).

    .venv/bin/python benchmarks/grid.py [--studies 100] [--concepts 200] [--codings 100000] [--keep DIR]

Builds a synthetic review through the store: studies imported with ``add_studies`` (texts from
``synthetic.abstracts``), constructs made with ``constructs.create`` (10 overarching, ``--concepts``
third-order ones under them, 3 second-order constructs interpreting each, 2 first-order ones
supporting each of those, linked with ``links.link``), 3 reviewers' codings bulk-inserted in one
transaction with the columns ``codings.add`` writes (45 % first-, 40 % second-, 15 % third-order
constructs), and a judgement on a third of alice's cells (``translation.judge``, one event each).
Then it times, in this process (median of ``--repeat`` runs after one warm-up):

- the grid model: ``store.translation.load_grid`` (one query set + ``core.translation.build_grid``),
  blind (alice) and every reviewer's;
- the filters (``Grid.filtered``) on the built model;
- one cell's evidence (``cell_evidence``) and the spans rolled up to an overarching construct;
- each study's concepts (``study_concepts``);
- ``workbench export grid PROJECT --format csv`` as a whole process (start-up included);
- the TUI, headless with ``App.run_test`` at 120x40 as alice: ``g`` (grid screen open) until its
  first frame, and the cursor moved 50 times (right, then down) until each move's frame.

Prints a Markdown table; timings are reported, never asserted.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402
from bulk import insert_codings, random_plan, timed  # noqa: E402

REVIEWERS = ("alice", "ben", "chen")


def build(root: Path, args) -> dict:
    from workbench.core.records import StudyRecord
    from workbench.core.text import canonicalise
    from workbench.store import constructs, translation
    from workbench.store.project import Project
    from workbench.store.restructure.links import link
    from workbench.store.studies import add_studies

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    project = Project.create(root, title="Grid benchmark", reviewers=list(REVIEWERS))
    db = project.db
    records = [StudyRecord(title=r.title, text=canonicalise(r.abstract), year=r.year, doi=r.doi, authors=r.authors,
                           source_file="synthetic.ris")
               for r in synthetic.abstracts(args.studies, seed=args.seed)]
    add_studies(db, records)
    reviewers = [project.reviewer_id(r) for r in REVIEWERS]
    alice = reviewers[0]
    by_order: dict[int, list[int]] = {1: [], 2: [], 3: []}
    overarching = [constructs.create(db, f"Overarching {i}", 3, alice).id for i in range(10)]
    for c in range(args.concepts):
        concept = constructs.create(db, f"Concept {c}", 3, alice, f"Overarching {c % 10}").id
        by_order[3].append(concept)
        for s in range(3):
            second = constructs.create(db, f"Theme {c}.{s}", 2, alice).id
            by_order[2].append(second)
            link(db, second, "interprets", concept, alice)
            for f in range(2):
                first = constructs.create(db, f"Quote {c}.{s}.{f}", 1, alice).id
                by_order[1].append(first)
                link(db, first, "supports", second, alice)
    built = time.perf_counter() - t0

    texts = dict(db.execute("SELECT study_id, text FROM document").fetchall())
    studies = sorted(texts)
    insert_codings(db, texts, random_plan(rng, texts, by_order, reviewers, args.codings))
    kinds = ("reciprocal", "refutational", "line_of_argument", "not_addressed")
    judged = 0
    t1 = time.perf_counter()
    with db.atomic():  # one transaction around the judgements' own transactions (savepoints): set-up speed
        for concept in by_order[3]:
            for study in studies:
                if rng.random() < 1 / 3:
                    translation.judge(db, concept, study, alice, rng.choice(kinds), "synthetic note")
                    judged += 1
    setup = time.perf_counter() - t0
    info = {"overarching": overarching[0], "concept": by_order[3][0], "study": studies[0], "alice": alice,
            "judged": judged, "setup": setup, "constructs_made": built, "judging": time.perf_counter() - t1}
    project.close()
    return info


def measure(root: Path, info: dict, args) -> list[tuple[str, str, str]]:
    from workbench.store.project import Project
    from workbench.store.translation import cell_evidence, load_grid, spans_rolled_up, study_concepts

    out = []
    project = Project.open(root)
    db = project.db
    alice = info["alice"]

    def row(what: str, func, note: str = "") -> object:
        median, runs = timed(func, args.repeat)
        out.append((what, f"{median * 1000:.0f} ms", note or "runs " + ", ".join(f"{r * 1000:.0f}" for r in runs)))
        return func()

    grid = row("grid model, alice (blind): `load_grid`", lambda: load_grid(db, alice))
    row("grid model, every reviewer", lambda: load_grid(db, None))
    row("filters on the model: refuted, then unjudged", lambda: (grid.filtered(refuted=True), grid.filtered(unjudged=True)))
    evidence = row("one cell's evidence: `cell_evidence`", lambda: cell_evidence(db, info["concept"], info["study"], alice))
    rolled = row("spans rolled up to an overarching construct (every reviewer)",
                 lambda: spans_rolled_up(db, info["overarching"], None))
    row("each study's concepts: `study_concepts` (every study)", lambda: study_concepts(db, None))
    project.close()
    cells = len(grid.rows) * len(grid.columns)
    out.append(("(sizes)", "", f"{len(grid.rows)} rows x {len(grid.columns)} studies = {cells:,} cells; "
                f"{len(evidence.spans)} spans in the cell; {len(rolled):,} rolled up; {info['judged']:,} judgements"))

    target = root.parent / "grid.csv"
    cmd = [sys.executable, "-m", "workbench.cli", "export", "grid", str(root), "--format", "csv", "--out", str(target)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def export():
        subprocess.run(cmd, check=True, capture_output=True, env=env)

    row("`workbench export grid --format csv` (whole process, every reviewer)", export)
    return out


def tui(root: Path) -> list[tuple[str, str, str]]:
    """The grid screen's open and cursor-move times, frames observed as in ``tui_bench``."""
    import asyncio

    from tui_bench import Frames

    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.grid import GridScreen

    out: list[tuple[str, str, str]] = []

    async def run() -> None:
        app = WorkbenchApp(root, "alice")
        app.live_refresh = False
        frames = Frames(app)
        try:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                start = time.perf_counter()
                app.action_grid()
                while not (isinstance(app.screen, GridScreen) and app.screen.is_mounted and app.screen.grid):
                    await asyncio.sleep(0.001)
                ready = time.perf_counter()
                shown = await frames.after(ready)
                out.append(("TUI: `g`, grid screen open until its first frame (alice, blind)",
                            f"{(shown - start) * 1000:.0f} ms", f"model read and built {(ready - start) * 1000:.0f} ms"))
                moves = []
                for i in range(50):
                    key = "right" if i % 2 == 0 else "down"
                    t = time.perf_counter()
                    await pilot.press(key)
                    moves.append(await frames.after(t) - t)
                out.append(("TUI: cursor move until its frame (50 moves, right/down)",
                            f"{statistics.median(moves) * 1000:.1f} ms",
                            f"90th percentile {sorted(moves)[44] * 1000:.1f} ms, max {max(moves) * 1000:.1f} ms"))
        finally:
            app.session.close()

    asyncio.run(run())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100)
    parser.add_argument("--concepts", type=int, default=200)
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", metavar="DIR", help="build the project here and keep it")
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="grid-bench-"))
    root = work / "review"
    print(f"building {args.studies} studies x {args.concepts} concepts x {args.codings:,} codings in {root} ...",
          file=sys.stderr)
    info = build(root, args)
    print(f"built in {info['setup']:.1f} s (constructs and links {info['constructs_made']:.1f} s, "
          f"{info['judged']:,} judgements {info['judging']:.1f} s)", file=sys.stderr)
    table = measure(root, info, args) + tui(root)
    print(f"| Grid at {args.studies} studies x {args.concepts} concepts x {args.codings:,} codings | time | notes |")
    print("|---|---|---|")
    for what, t, note in table:
        print(f"| {what} | {t} | {note} |")
    if not args.keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
