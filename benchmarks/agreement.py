"""Agreement between reviewers at scale: 3 reviewers x 100,000 codings each (issue 12).

    .venv/bin/python benchmarks/agreement.py [--studies 100] [--chars 60000] [--constructs 40]
                                             [--codings 100000] [--repeat 3] [--seed 12] [--keep DIR]
                                             [--profile]

Builds a review through the store: ``--studies`` full texts of about ``--chars`` characters each
(``synthetic.Generator.full_text``) imported with ``add_studies`` (so the sentence units are the
segmenter's own), ``--constructs`` constructs made with ``constructs.create``, and three reviewers'
codings bulk-inserted in one transaction with the columns and events ``codings.add`` writes:

* alice makes ``--codings`` highlights (a sentence, a phrase inside one, or 2-3 sentences, as
  ``run.py`` picks them) with constructs drawn from a skewed codebook (a few constructs carry most);
* ben and chen each code the same texts "after" alice: per alice coding, 40 % the same span,
  45 % its ends moved by up to 20 characters, 10 % another span of the same study, 5 % a coding of
  their own instead; the construct is alice's 75 % of the time, another one otherwise. So agreement is
  realistic (kappa around 0.4-0.7), not 0 or 1;
* every study is marked done by all three (``study_status`` rows with their events).

Then it times, median of ``--repeat`` runs after one warm-up:

* ``store.agreement.compute`` in this process, for each unit mode, the three reviewers;
* ``workbench irr PROJECT --reviewers alice,ben,chen --unit U --json`` as a whole process
  (start-up, reading, computing, recording the run, printing), with its own peak memory
  (``spawn.py``);
* the reference: the ``krippendorff`` package's ``alpha(level_of_measurement="nominal")`` on the same
  sentence matrix (3 x sentences, each cell the construct covering most of the sentence for that
  reviewer, or "uncoded", built with ``core.agreement.sentence_categories``), beside the core's
  ``nominal`` on the same rows, and both values. The package has no unitizing alpha, nor character
  or segment measures: those rows have no reference.

Prints a Markdown table; timings are reported, never asserted. ``--profile`` writes a cProfile
summary of each mode's ``compute`` to ``benchmarks/out/agreement-profile-UNIT.txt``.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from bulk import insert_codings  # noqa: E402
from run import _pick_span, run_process  # noqa: E402

REVIEWERS = ("alice", "ben", "chen")
UNITS = ("character", "sentence", "segment", "unitizing")
WORKBENCH = Path(sys.executable).parent / "workbench"
OUT = HERE / "out"


def log(message: str) -> None:
    print(f"[agreement {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(func, repeat: int) -> tuple[float, list[float], float, object]:
    """One warm-up call, then ``repeat`` timed calls: (median wall seconds, every run's wall
    seconds, median CPU seconds of this process, the last result). On a shared machine the wall
    time grows with the others' load; the CPU time much less."""
    result = func()
    runs, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        result = func()
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(runs), runs, statistics.median(cpu), result


def _perturbed(rng: random.Random, span: tuple[int, int], length: int) -> tuple[int, int]:
    """``span`` with each end moved by up to 20 characters, kept inside the text and non-empty."""
    s = min(max(0, span[0] + rng.randint(-20, 20)), length - 1)
    e = min(length, max(s + 1, span[1] + rng.randint(-20, 20)))
    return s, e


def build(root: Path, args) -> dict:
    from workbench.core.records import StudyRecord
    from workbench.core.text import canonicalise
    from workbench.store import constructs
    from workbench.store.db import now
    from workbench.store.project import Project
    from workbench.store.studies import add_studies

    rng = random.Random(args.seed)
    t0 = time.perf_counter()
    project = Project.create(root, title="Agreement benchmark", reviewers=list(REVIEWERS))
    db = project.db
    generator = synthetic.Generator(args.seed)
    records = []
    for i in range(args.studies):
        records.append(StudyRecord(title=f"{generator.title()} ({i})", text=canonicalise(generator.full_text(args.chars)),
                                   year=1995 + i % 30, doi=f"10.9999/agreement.{i}",
                                   authors=[generator.author() for _ in range(rng.randint(1, 4))],
                                   source_file="synthetic.txt"))
    t_import = time.perf_counter()
    add_studies(db, records)
    imported = time.perf_counter() - t_import
    reviewers = [project.reviewer_id(r) for r in REVIEWERS]
    alice = reviewers[0]
    cids = [constructs.create(db, f"Construct {k + 1:02d}", 2, alice).id for k in range(args.constructs)]
    weights = [1 / (k + 1) ** 0.8 for k in range(len(cids))]  # a few constructs carry most codings

    texts = dict(db.execute("SELECT study_id, text FROM document").fetchall())
    units: dict[int, list[tuple[int, int]]] = {}
    for sid, s, e in db.execute("SELECT study_id, span_start, span_end FROM sentence ORDER BY study_id, span_start"):
        units.setdefault(sid, []).append((s, e))
    studies = sorted(texts)

    def construct() -> int:
        return rng.choices(cids, weights)[0]

    plan: list[tuple[int, int, int, int, int]] = []  # study, construct, reviewer, start, end
    seen: set[tuple] = set()
    first: list[tuple[int, int, int, int]] = []
    while len(first) < args.codings:
        study = rng.choice(studies)
        s, e = _pick_span(rng, texts[study], units[study])
        key = (study, construct(), alice, s, e)
        if key not in seen:
            seen.add(key)
            first.append((study, key[1], s, e))
    plan += [(study, cid, alice, s, e) for study, cid, s, e in first]
    for reviewer in reviewers[1:]:
        for study, cid, s, e in first:
            key = None
            while key is None or key in seen:  # a repeat of this reviewer's own coding: draw again
                roll = rng.random()
                if key is not None or roll >= 0.95:  # a coding of their own
                    at = rng.choice(studies)
                    key = (at, construct(), reviewer, *_pick_span(rng, texts[at], units[at]))
                    continue
                span = (s, e)
                if roll >= 0.85:
                    span = _pick_span(rng, texts[study], units[study])
                elif roll >= 0.40:
                    span = _perturbed(rng, span, len(texts[study]))
                key = (study, cid if rng.random() < 0.75 else construct(), reviewer, *span)
            seen.add(key)
            plan.append(key)

    insert_codings(db, texts, plan)
    stamp = now()
    status_rows = [(sid, rid, "done", stamp) for sid in studies for rid in reviewers]
    with db.atomic():
        db.conn.executemany("INSERT INTO study_status (study_id, reviewer_id, status, updated_at) VALUES (?,?,?,?)",
                            status_rows)
        db.conn.executemany("INSERT INTO event (at, reviewer_id, action, payload) VALUES (?,?,?,?)",
                            [(stamp, rid, "study.status", json.dumps({"study": sid, "status": "done"}, sort_keys=True))
                             for sid, rid, _, _ in status_rows])
    sizes = {
        "studies": len(studies),
        "characters": sum(map(len, texts.values())),
        "sentences": sum(map(len, units.values())),
        "codings": {name: db.execute("SELECT count(*) FROM coding WHERE reviewer_id = ?", [rid]).fetchone()[0]
                    for name, rid in zip(REVIEWERS, reviewers)},
        "import": imported,
        "setup": time.perf_counter() - t0,
    }
    project.close()
    return sizes


def settings(unit: str):
    from workbench.store.agreement import Settings

    return Settings(reviewers=list(REVIEWERS), unit=unit)


def measure(root: Path, args) -> tuple[list[tuple[str, str, str]], dict]:
    from workbench.store import agreement
    from workbench.store.project import Project

    out: list[tuple[str, str, str]] = []
    project = Project.open(root)
    db = project.db
    results = {}
    for unit in UNITS:
        log(f"compute, unit {unit}")
        median, runs, cpu, result = timed(lambda: agreement.compute(db, settings(unit)), args.repeat)
        results[unit] = result
        overall = result["overall"]
        shown = ", ".join(f"{k} {overall[k]:.3f}" for k in ("percent_agreement", "cohen_kappa", "fleiss_kappa",
                                                            "krippendorff_alpha", "unitizing_alpha")
                          if isinstance(overall.get(k), float))
        out.append((f"`store.agreement.compute`, unit {unit}", f"{median:.2f} s",
                    f"CPU {cpu:.2f} s; runs " + ", ".join(f"{r:.2f}" for r in runs)
                    + (f"; overall: {shown}" if shown else "")))
        if args.profile:
            profile(db, unit)
    project.close()
    return out, results


def profile(db, unit: str) -> None:
    from workbench.store import agreement

    OUT.mkdir(exist_ok=True)
    profiler = cProfile.Profile()
    profiler.runcall(agreement.compute, db, settings(unit))
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    (OUT / f"agreement-profile-{unit}.txt").write_text(text.getvalue(), encoding="utf-8")


def processes(root: Path, args) -> list[tuple[str, str, str]]:
    out = []
    env_path = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(ROOT) + (os.pathsep + env_path if env_path else "")
    for unit in UNITS:
        log(f"workbench irr --unit {unit} --json (whole process)")
        cmd = [WORKBENCH, "irr", root, "--reviewers", ",".join(REVIEWERS), "--unit", unit, "--json"]
        runs = []
        for i in range(args.repeat + 1):
            run = run_process(cmd)
            if run.returncode != 0:
                raise SystemExit(f"workbench irr --unit {unit} failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
            if i:
                runs.append(run)
        walls = [r.wall for r in runs]
        out.append((f"`workbench irr --unit {unit} --json` (whole process)", f"{statistics.median(walls):.2f} s",
                    f"CPU {statistics.median(r.cpu for r in runs):.2f} s; runs " + ", ".join(f"{w:.2f}" for w in walls)
                    + f"; peak memory {max(r.maxrss_mb for r in runs):.0f} MB"))
    return out


def reference(root: Path, results: dict, args) -> list[tuple[str, str, str]]:
    """The krippendorff package on the sentence matrix the sentence mode uses, and the core's
    ``nominal`` on the same rows."""
    import krippendorff
    import numpy as np

    from workbench.core.agreement import nominal, sentence_categories
    from workbench.store.project import Project

    project = Project.open(root)
    db = project.db
    ids = {name: project.reviewer_id(name) for name in REVIEWERS}
    sentences: dict[int, list[tuple[int, int]]] = {}
    for sid, s, e in db.execute("SELECT study_id, span_start, span_end FROM sentence ORDER BY study_id, span_start"):
        sentences.setdefault(sid, []).append((s, e))
    codings: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for sid, rid, cid, s, e in db.execute("SELECT study_id, reviewer_id, construct_id, span_start, span_end "
                                          "FROM coding WHERE removed_at IS NULL"):
        codings.setdefault((sid, rid), []).append((cid, s, e))
    q = db.execute("SELECT count(*) FROM construct").fetchone()[0] + 1
    project.close()
    columns = []
    for name in REVIEWERS:
        column = []
        for sid in sorted(sentences):
            column += sentence_categories(sentences[sid], codings.get((sid, ids[name]), []))
        columns.append(column)
    # "uncoded" is a category here (0: construct ids start at 1), not a missing value
    columns = [[0 if v is None else v for v in column] for column in columns]
    rows = list(zip(*columns))
    matrix = np.array(columns, dtype=float)
    out = []
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    median, runs, cpu, alpha = timed(lambda: krippendorff.alpha(reliability_data=matrix,
                                                                level_of_measurement="nominal"), args.repeat)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.append((f"reference: `krippendorff.alpha` nominal on the sentence matrix (3 x {len(rows):,})",
                f"{median * 1000:.0f} ms", f"CPU {cpu * 1000:.0f} ms; runs " + ", ".join(f"{r * 1000:.0f}" for r in runs)
                + f"; alpha {alpha:.6f}; this process's peak memory {peak:.0f} MB before it, {grown:.0f} MB after"))
    median, runs, cpu, ours = timed(lambda: nominal(rows, q=q), args.repeat)
    stored = results.get("sentence", {}).get("overall", {}).get("krippendorff_alpha")
    out.append(("the core's `nominal` on the same rows (every measure)", f"{median * 1000:.0f} ms",
                f"CPU {cpu * 1000:.0f} ms; runs " + ", ".join(f"{r * 1000:.0f}" for r in runs)
                + f"; alpha {ours.values['krippendorff_alpha']:.6f}"
                + (f" (`compute` gave {stored:.6f})" if isinstance(stored, float) else "")))
    out.append(("reference for unitizing, character and segment", "–",
                "the `krippendorff` package has no unitizing alpha and no character or segment measures"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=100)
    parser.add_argument("--chars", type=int, default=60_000)
    parser.add_argument("--constructs", type=int, default=40)
    parser.add_argument("--codings", type=int, default=100_000, help="per reviewer")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--keep", metavar="DIR", help="build the project here (or reuse it) and keep it")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-process", action="store_true", help="skip the whole-process `workbench irr` runs")
    args = parser.parse_args(argv)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="agreement-bench-"))
    root = work / "review"
    if (root / "project.db").exists():
        log(f"reusing {root}")
        sizes = None
    else:
        log(f"building {args.studies} studies of ~{args.chars:,} characters, {args.constructs} constructs, "
            f"3 x {args.codings:,} codings in {root} ...")
        sizes = build(root, args)
        log(f"built in {sizes['setup']:.1f} s (import and segmentation {sizes['import']:.1f} s)")
    table, results = measure(root, args)
    table += reference(root, results, args)
    if not args.no_process:
        table += processes(root, args)
    lines = [f"| Agreement, 3 reviewers x {args.codings:,} codings | median | notes |", "|---|---|---|"]
    lines += [f"| {what} | {t} | {note} |" for what, t, note in table]
    if sizes:
        lines += ["", f"Sizes: {sizes['studies']} studies, {sizes['characters']:,} characters, "
                  f"{sizes['sentences']:,} sentences, codings "
                  + ", ".join(f"{n} {c:,}" for n, c in sizes["codings"].items())
                  + f"; set-up {sizes['setup']:.0f} s."]
    lines.append(f"Driver peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; "
                 f"load average {os.getloadavg()[0]:.1f}.")
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "agreement.md").write_text(text + "\n", encoding="utf-8")
    if not args.keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
