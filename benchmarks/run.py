"""Timings and memory of the workbench at realistic scale, printed as a Markdown table.

    .venv/bin/python benchmarks/run.py                          # 10,000 studies, 100,000 codings
    .venv/bin/python benchmarks/run.py --studies 500 --codings 5000   # smoke run, a few seconds

Builds a synthetic project in a temporary directory through the real command line (each CLI figure
is the wall time of a whole ``workbench`` process, measured from outside), adds codings through the
store, then measures the TUI headlessly in a separate process. Progress goes to stderr; the table
goes to stdout (and to ``benchmarks/out/latest.md``). Timings are reported, never asserted. See
``benchmarks/README.md`` for what each figure means.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import synthetic  # noqa: E402
from bulk import insert_codings  # noqa: E402

BIN = Path(sys.executable).parent
WORKBENCH = BIN / "workbench"
DEMO = ROOT / "projects" / "img-return-migration"
REVIEWERS = ("alice", "ben", "chloe")
OUT = HERE / "out"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- measuring processes -----------------------------------------------------------------------------

@dataclass
class Run:
    wall: float      # seconds, from spawn to reaped
    maxrss_mb: float  # the child's peak resident set size
    returncode: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # the child's user + system CPU seconds (less than wall when it waits or is crowded out)


def run_process(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run ``cmd`` to completion with stdout/stderr in files, through ``spawn.py``, which reports the
    command's own wall time (spawn to reap) and its own ru_maxrss (see spawn.py for why)."""
    with tempfile.TemporaryDirectory(prefix="wb-run-") as tmp, \
            open(Path(tmp) / "out", "w+", encoding="utf-8") as out, \
            open(Path(tmp) / "err", "w+", encoding="utf-8") as err:
        report = Path(tmp) / "report.json"
        subprocess.run([sys.executable, str(HERE / "spawn.py"), str(report), *map(str, cmd)],
                       stdout=out, stderr=err, cwd=cwd, check=True)
        data = json.loads(report.read_text())
        out.seek(0)
        err.seek(0)
        return Run(data["wall"], data["maxrss_kb"] / 1024, data["returncode"], out.read(), err.read(),
                   data["user"] + data["system"])


def checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


def repeat(cmd: list[str], times: int, what: str) -> tuple[float, list[float], float]:
    """One untimed warm-up run (file cache, bytecode), then ``times`` timed runs:
    (median wall, all walls, max ru_maxrss in MB)."""
    checked(run_process(cmd), what)
    runs = [checked(run_process(cmd), what) for _ in range(times)]
    walls = [r.wall for r in runs]
    return statistics.median(walls), walls, max(r.maxrss_mb for r in runs)


# --- results table ---------------------------------------------------------------------------------

@dataclass
class Row:
    section: str
    measure: str
    value: str
    target: str = ""
    ok: bool | None = None
    notes: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    memory: list[tuple[str, float]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.rows.append(Row(*args, **kwargs))
        r = self.rows[-1]
        log(f"{r.section} | {r.measure}: {r.value}" + (f" (target {r.target})" if r.target else ""))


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def verdict(ok: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "–"}[ok]


def render(results: Results, env: list[tuple[str, str]], args) -> str:
    lines = ["### Environment", ""]
    lines += [f"- {k}: {v}" for k, v in env]
    lines += ["", f"Sizes: {args.studies:,} abstracts + 1 full text, {args.codings:,} codings "
              f"({len(REVIEWERS)} reviewers), one study with {args.heavy:,} highlights; "
              f"medians of {args.repeat} runs after a warm-up run unless noted.", ""]
    lines += ["| # | Measure | Result | Target | Met | Notes |", "|---|---|---|---|---|---|"]
    for r in results.rows:
        lines.append(f"| {r.section} | {r.measure} | {r.value} | {r.target} | {verdict(r.ok)} | {r.notes} |")
    if results.missing:
        lines += ["", "Not measured:"] + [f"- {m}" for m in results.missing]
    return "\n".join(lines) + "\n"


def environment() -> list[tuple[str, str]]:
    import importlib.metadata as md

    def version(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "not installed"

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return [
        ("CPU", f"{os.cpu_count()} cores ({cpu})"),
        ("OS", platform.platform()),
        ("Python", platform.python_version() + f" ({platform.python_implementation()})"),
        ("SQLite", sqlite3.sqlite_version),
        ("Packages", ", ".join(f"{p} {version(p)}" for p in ("textual", "spacy", "sqlite-utils", "rapidfuzz"))),
    ]


# --- building the project --------------------------------------------------------------------------

def build_inputs(work: Path, args) -> dict:
    log(f"generating {args.studies:,} abstracts (seed {args.seed})")
    start = time.perf_counter()
    vocabulary = synthetic.Vocabulary()
    records = synthetic.abstracts(args.studies, args.seed, vocabulary)
    ris, csv_file = work / "abstracts.ris", work / "abstracts.csv"
    synthetic.write_ris(records, ris)
    synthetic.write_csv(records, csv_file)
    full = work / "fulltext.txt"
    full.write_text(synthetic.Generator(args.seed + 1, vocabulary).full_text(), encoding="utf-8")
    chars = sum(len(r.abstract) for r in records)
    log(f"inputs written in {time.perf_counter() - start:.1f} s: RIS {ris.stat().st_size / 1e6:.1f} MB, "
        f"CSV {csv_file.stat().st_size / 1e6:.1f} MB, mean abstract {chars / max(1, len(records)):.0f} chars")
    return {"ris": ris, "csv": csv_file, "full": full, "vocabulary": vocabulary, "records": len(records),
            "chars": chars}


def bench_import(work: Path, inputs: dict, results: Results, args) -> Path:
    project = work / "big"
    init = ["init", "--title", "Benchmark review"] + [x for r in REVIEWERS for x in ("--reviewer", r)]
    checked(run_process([WORKBENCH, "init", project, *init[1:]]), "workbench init")
    with open(project / "project.yaml", "a", encoding="utf-8") as settings:
        settings.write("leads: [alice]\n")  # section 7 merges constructs every reviewer coded with
    log("importing the RIS file through the CLI")
    ris = checked(run_process([WORKBENCH, "import", project, inputs["ris"]]), "workbench import (RIS)")
    results.memory.append((f"workbench import (RIS, {args.studies:,} records)", ris.maxrss_mb))
    with sqlite3.connect(project / "project.db") as db:
        studies = db.execute("SELECT count(*) FROM study").fetchone()[0]
        sentences = db.execute("SELECT count(*) FROM sentence").fetchone()[0]
    if studies != inputs["records"]:
        log(f"warning: {inputs['records']} records written but {studies} studies stored")
    n = inputs["records"]
    results.add("1", f"`workbench import` RIS, {n:,} abstracts", secs(ris.wall), "< 10 s", _at_scale(n, ris.wall < 10),
                f"{n / ris.wall:,.0f} studies/s, {inputs['chars'] / ris.wall / 1e6:.1f} M chars/s; "
                f"{sentences:,} sentences stored; parse + duplicate check + segmentation + store, one process "
                f"(`qualitative-coding`: 26 s, no segmentation)")

    log("importing the CSV file into a second project")
    other = work / "csv-project"
    checked(run_process([WORKBENCH, "init", other]), "workbench init")
    csv_run = checked(run_process([WORKBENCH, "import", other, inputs["csv"]]), "workbench import (CSV)")
    results.memory.append((f"workbench import (CSV, {args.studies:,} records)", csv_run.maxrss_mb))
    results.add("1", f"`workbench import` CSV, same {n:,} abstracts", secs(csv_run.wall), "< 10 s",
                _at_scale(n, csv_run.wall < 10), f"{n / csv_run.wall:,.0f} studies/s (fresh project)")
    shutil.rmtree(other)

    log("importing one full text into the big project")
    full = checked(run_process([WORKBENCH, "import", project, inputs["full"], "--year", "2021", "--doi",
                                "10.9999/bench.fulltext", "--authors", "Heist, Brian S.", "--journal",
                                "Medical Teacher"]), "workbench import (full text)")
    results.memory.append(("workbench import (one full text)", full.maxrss_mb))
    size = len(inputs["full"].read_text(encoding="utf-8"))
    results.add("1", f"`workbench import` one full text ({size / 1000:.0f} k chars) into the "
                f"{n:,}-study project", secs(full.wall), "", None,
                "single-file latency: start-up, spaCy load, duplicate check against every stored study")
    return project


def _at_scale(n: int, ok: bool) -> bool | None:
    """The import target is for 10,000 records; smaller smoke runs are not judged."""
    return ok if n >= 10_000 else None


def _word_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]


def _pick_span(rng: random.Random, text: str, units: list[tuple[int, int]]) -> tuple[int, int]:
    """A realistic highlight: a whole sentence (30%), a phrase of 3-15 words inside one (60%), or a
    run across 2-3 sentences (10%)."""
    i = rng.randrange(len(units))
    roll = rng.random()
    if roll < 0.3:
        return units[i]
    if roll < 0.4 and len(units) > 1:
        j = min(len(units) - 1, i + rng.randint(1, 2))
        return units[i][0], units[j][1]
    words = _word_spans(text, *units[i]) or [units[i]]
    a = rng.randrange(len(words))
    b = min(len(words) - 1, a + rng.randint(2, 14))
    return words[a][0], words[b][1]


def bench_codings(project_dir: Path, results: Results, args) -> dict:
    """Constructs via the store API; a sample of codings via ``codings.add`` (one transaction and
    fsync each, timed one by one); the rest bulk-inserted in one transaction with the same columns,
    quotes and events, so the database looks as if they had been made one by one."""
    from workbench.store import codings, constructs
    from workbench.store.project import Project
    from workbench.store.studies import find_study

    rng = random.Random(args.seed + 2)
    project = Project.open(project_dir)
    db = project.db
    reviewers = [project.reviewer_id(r) for r in REVIEWERS]
    start = time.perf_counter()
    by_order: dict[int, list[int]] = {1: [], 2: [], 3: []}
    for name, order, parent in synthetic.codebook(vocabulary=None):
        by_order[order].append(constructs.create(db, name, order, reviewers[0], parent).id)
    n_constructs = sum(map(len, by_order.values()))
    log(f"{n_constructs} constructs created in {time.perf_counter() - start:.2f} s")

    texts = dict(db.execute("SELECT study_id, text FROM document").fetchall())
    units: dict[int, list[tuple[int, int]]] = {}
    for sid, s, e in db.execute("SELECT study_id, span_start, span_end FROM sentence ORDER BY study_id, span_start"):
        units.setdefault(sid, []).append((s, e))
    heavy = find_study(db, "10.9999/bench.fulltext")
    abstracts = [sid for sid in texts if sid != heavy and units.get(sid)]
    seen: set[tuple] = set()

    def construct() -> int:
        order = rng.choices((1, 2, 3), (45, 40, 15))[0]
        return rng.choice(by_order[order])

    def new_coding(study: int, reviewer: int | None = None) -> tuple[int, int, int, int, int]:
        while True:
            s, e = _pick_span(rng, texts[study], units[study])
            key = (study, construct(), reviewer or rng.choice(reviewers), s, e)
            if key not in seen:
                seen.add(key)
                return key

    # 1. The sample through the real API, one fsync'd transaction each.
    sample = min(args.sample, args.codings)
    latencies = []
    for i in range(sample):
        study, cid, rid, s, e = new_coding(rng.choice(abstracts), reviewers[i % len(reviewers)])
        t = time.perf_counter()
        codings.add(db, study, cid, rid, s, e)
        latencies.append(time.perf_counter() - t)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    results.add("2", f"`codings.add` one coding ({sample} sampled, 3 reviewers)", ms(statistics.median(latencies)),
                "", None, f"median; p95 {ms(p95)}; max {ms(latencies[-1])}; its own transaction + event + fsync "
                f"(WAL, synchronous=FULL), on a {len(texts):,}-study database")

    # 2. The rest in bulk: the heavy study first, then codings spread at random over the abstracts.
    plan: list[tuple[int, int, int, int, int]] = []
    heavy_n = min(args.heavy, max(0, args.codings - sample))
    for i in range(heavy_n):
        plan.append(new_coding(heavy, reviewers[i % len(reviewers)]))
    while sample + len(plan) < args.codings:
        plan.append(new_coding(rng.choice(abstracts)))
    t0 = time.perf_counter()
    insert_codings(db, texts, plan)
    bulk = time.perf_counter() - t0
    total = db.execute("SELECT count(*) FROM coding WHERE removed_at IS NULL").fetchone()[0]
    heavy_total = db.execute("SELECT count(*) FROM coding WHERE study_id = ?", [heavy]).fetchone()[0]
    orders = db.execute("SELECT count(DISTINCT k.construct_order) FROM coding c JOIN construct k "
                        "ON k.id = c.construct_id WHERE c.study_id = ?", [heavy]).fetchone()[0]
    results.add("2", f"bulk insert of the other {len(plan):,} codings (setup, not a product path)", secs(bulk),
                "", None, f"same columns, quotes and events as `codings.add`, one transaction; {total:,} live "
                f"codings in all; study {heavy} has {heavy_total:,} highlights in {orders} orders")
    db_size = sum(p.stat().st_size for p in project_dir.glob("project.db*"))
    results.add("2", "database size", f"{db_size / 1e6:.0f} MB", "", None,
                f"{len(texts):,} studies, {total:,} codings, events, WAL included")
    first = db.execute("SELECT id FROM study ORDER BY year IS NULL, year, order_index LIMIT 1").fetchone()[0]
    project.close()
    return {"heavy": heavy, "total": total, "first": first}


def bench_cli(project: Path, results: Results, args) -> None:
    n = args.repeat
    floor, _, _ = repeat([sys.executable, "-c", "pass"], n, "python -c pass")
    helped, _, _ = repeat([WORKBENCH, "--help"], n, "workbench --help")
    results.add("3", "process floor: `python -c pass` / `workbench --help`", f"{ms(floor)} / {ms(helped)}",
                "", None, "interpreter start-up, and the CLI's own imports (argparse, store, yaml)")
    for extra, label in (([], "`workbench studies`"), (["--json"], "`workbench studies --json`"),
                         (["--reviewer", "alice"], "`workbench studies --reviewer alice`")):
        med, walls, rss = repeat([WORKBENCH, "studies", project, *extra], n, label)
        results.memory.append((label, rss))
        results.add("3", f"{label}, {args.studies + 1:,} studies", ms(med), "< 0.3 s", med < 0.3,
                    f"whole process; runs {', '.join(f'{w * 1000:.0f}' for w in walls)} ms "
                    f"(reference: `qualitative-coding` ~1 s for any command)")


def bench_export(project: Path, work: Path, results: Results, args, total_codings: int) -> None:
    n = args.export_repeat
    for extra, label in (([], "long"), (["--wide"], "wide")):
        out = work / f"matrix-{label}.csv"
        cmd = [WORKBENCH, "export", "matrix", project, "--format", "csv", "--out", out, *extra]
        med, walls, rss = repeat(cmd, n, f"export {label}")
        results.memory.append((f"`workbench export matrix` ({label})", rss))
        rows = sum(1 for _ in open(out, encoding="utf-8-sig", newline="")) - 1 if label == "wide" else None
        size = out.stat().st_size / 1e6
        what = (f"{total_codings:,} codings -> {size:.0f} MB CSV" if label == "long"
                else f"{args.studies + 1:,} studies x constructs, {size:.1f} MB")
        results.add("4", f"`workbench export matrix --format csv` {label} form", secs(med), "< 2 s", med < 2,
                    f"{what}; runs {', '.join(f'{w:.2f}' for w in walls)} s" + (f"; {rows:,} rows" if rows else ""))


def bench_constructs(project: Path, work: Path, results: Results, args) -> None:
    """Search, codebook export, and a merge of the two most-coded first-order constructs with its
    undo and redo, each a whole process. The merge, undo and redo change the project, so each is
    run once (after the TUI figures, which see the project as built)."""
    n = args.repeat
    for query, what in (("health system", "two English words (stemmed, both required)"),
                        ("医", "a Chinese character (no FTS tokens: a substring scan of every text)")):
        med, walls, rss = repeat([WORKBENCH, "search", project, query, "--limit", "1000000"], n, f"search {query}")
        hits = checked(run_process([WORKBENCH, "search", project, query, "--json", "--limit", "1000000"]),
                       "search --json")
        results.memory.append((f"`workbench search` {query!r}", rss))
        results.add("7", f"`workbench search PROJECT {query!r}`, every hit", ms(med), "", None,
                     f"{what}; {len(json.loads(hits.stdout)):,} hits, keyword in context; "
                     f"runs {', '.join(f'{w * 1000:.0f}' for w in walls)} ms")
    for suffix in ("yaml", "qdc"):
        out = work / f"codebook.{suffix}"
        med, walls, rss = repeat([WORKBENCH, "codebook", "export", project, out], n, f"codebook export {suffix}")
        results.add("7", f"`workbench codebook export` .{suffix}", ms(med), "", None,
                    f"{construct_count(project)} constructs; "
                    f"runs {', '.join(f'{w * 1000:.0f}' for w in walls)} ms")
    conn = sqlite3.connect(project / "project.db")
    try:
        (source, a), (target, b) = conn.execute(
            "SELECT k.name, count(*) FROM coding c JOIN construct k ON k.id = c.construct_id "
            "WHERE c.removed_at IS NULL AND k.construct_order = 1 GROUP BY k.id ORDER BY count(*) DESC LIMIT 2"
        ).fetchall()
    finally:
        conn.close()
    merged = f"{a:,} + {b:,} live codings of two first-order constructs, 3 reviewers; one transaction and one event"
    for command, argv, notes in (("construct merge", [source, target, "--touching-others"], merged),
                                 ("undo", [], "puts the merge's codings back"),
                                 ("redo", [], "merges again from the event")):
        run = checked(run_process([WORKBENCH, *command.split(), project, *argv, "--reviewer", "alice"]),
                      f"workbench {command}")
        results.memory.append((f"`workbench {command}`", run.maxrss_mb))
        results.add("7", f"`workbench {command}`, one run", ms(run.wall), "", None, notes)


def construct_count(project: Path) -> int:
    conn = sqlite3.connect(project / "project.db")
    try:
        return conn.execute("SELECT count(*) FROM construct").fetchone()[0]
    finally:
        conn.close()


# --- the TUI (in its own process: a clean ru_maxrss and a cold start) --------------------------------

def bench_tui(work: Path, big: Path, info: dict, results: Results, args) -> None:
    try:
        import importlib.util

        found = importlib.util.find_spec("workbench.tui.app")
    except ImportError:
        found = None
    if found is None:
        results.missing.append("5-6: the TUI (`workbench/tui/app.py`) is not there yet; rerun when it lands")
        return
    # Start-up import time of the TUI module, in fresh processes.
    med, walls, rss = repeat([sys.executable, "-c", "import workbench.tui.app"], args.repeat, "import workbench.tui.app")
    results.add("5", "`python -c 'import workbench.tui.app'` (fresh process)", ms(med), "< 0.5 s", med < 0.5,
                f"interpreter start-up included (floor: `python -c pass` in section 3); heaviest packages: "
                f"{_importtime_top()}")
    # The demo project, built from its sources into a temporary copy.
    demo = work / "demo"
    shutil.copytree(DEMO, demo, ignore=shutil.ignore_patterns("project.db*"))
    checked(run_process([WORKBENCH, "build", demo]), "workbench build (demo)")
    for label, project, extra in (("demo project (5 studies)", demo, []),
                                  (f"{args.studies + 1:,}-study project", big,
                                   ["--heavy-study", str(info["heavy"]), "--heavy", str(args.heavy)])):
        out = work / f"tui-{'demo' if project == demo else 'big'}.json"
        cmd = [sys.executable, HERE / "tui_bench.py", project, "--reviewer", "alice", "--repeat",
               str(args.repeat), "--out", out, *extra]
        run = run_process(cmd)
        results.memory.append((f"TUI benchmark process, {label}", run.maxrss_mb))
        if run.returncode != 0 or not out.exists():
            results.missing.append(f"5-6 on the {label}: `benchmarks/tui_bench.py` failed (exit {run.returncode}): "
                                   + _last_error(run.stderr))
            continue
        report = json.loads(out.read_text())
        results.missing.extend(f"{label}: {m}" for m in report.get("missing", []))
        for row in report.get("rows", []):
            results.add(row["section"], f"{row['measure']}, {label}", row["value"], row.get("target", ""),
                        row.get("ok"), row.get("notes", ""))


def _last_error(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "no output"


def _importtime_top(k: int = 5) -> str:
    """The ``k`` heaviest packages (cumulative) in ``python -X importtime -c 'import workbench.tui.app'``,
    each with the workbench module that pulled it in."""
    run = run_process([sys.executable, "-X", "importtime", "-c", "import workbench.tui.app"])
    entries = []  # (cumulative us, depth, name), in the order printed: children before their parent
    for line in run.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            entries.append((int(m.group(2)), len(m.group(3)) // 2, m.group(4)))

    def importer(i: int) -> str | None:
        """The module whose import line encloses entry ``i`` (printed after it, less indented)."""
        depth = entries[i][1]
        return next((name for _, d, name in entries[i + 1:] if d < depth), None)

    # Modules imported straight from a workbench module (the TUI's direct dependencies), by package.
    best: dict[str, tuple[int, str, str]] = {}
    for i, (cum, _, name) in enumerate(entries):
        via = importer(i) or ""
        package = name.split(".")[0]
        if package != "workbench" and via.startswith("workbench") and cum > best.get(package, (0,))[0]:
            best[package] = (cum, package, via)
    packages = sorted(best.values(), reverse=True)
    return ", ".join(f"{name} {cum / 1000:.0f} ms" + (f" (via {via})" if via else "")
                     for cum, name, via in packages[:k]) or "n/a"


# --- profiles ---------------------------------------------------------------------------------------

def profiles(work: Path, big: Path, inputs: dict) -> None:
    """cProfile of the slow CLI paths (not timed): benchmarks/out/profile-*.txt."""
    import pstats

    OUT.mkdir(exist_ok=True)
    scratch = work / "profile-project"
    checked(run_process([WORKBENCH, "init", scratch]), "init")
    for name, argv in (("import", ["import", scratch, inputs["ris"]]),
                       ("studies", ["studies", big, "--json"]),
                       ("export-long", ["export", "matrix", big, "--format", "csv", "--out", work / "p.csv"])):
        prof = OUT / f"profile-{name}.prof"
        log(f"profiling workbench {name}")
        checked(run_process([sys.executable, "-m", "cProfile", "-o", prof, "-m", "workbench.cli", *argv]), name)
        with open(OUT / f"profile-{name}.txt", "w") as handle:
            stats = pstats.Stats(str(prof), stream=handle)
            stats.sort_stats("cumulative").print_stats(35)
            stats.sort_stats("tottime").print_stats(20)
    log(f"profiles written to {OUT}/profile-*.txt")


# --- main -------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=10_000, help="abstracts to import (default 10,000)")
    parser.add_argument("--codings", type=int, default=100_000, help="codings in all (default 100,000)")
    parser.add_argument("--heavy", type=int, default=1_000, help="highlights on the one heavy study (default 1,000)")
    parser.add_argument("--sample", type=int, default=200, help="codings made through codings.add, timed (200)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each repeated measure (5)")
    parser.add_argument("--export-repeat", type=int, default=3, help="timed runs of each export (3)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--no-tui", action="store_true", help="skip sections 5-6")
    parser.add_argument("--profile", action="store_true",
                        help="afterwards, cProfile import/studies/export into benchmarks/out/ (adds ~40 s)")
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (default: a temporary directory)")
    args = parser.parse_args(argv)
    if args.studies < 1 or args.codings < args.sample:
        parser.error("need --studies >= 1 and --codings >= --sample")
    if not WORKBENCH.exists():
        parser.error(f"{WORKBENCH} not found: run `make install` first")

    started = time.perf_counter()
    env = environment()
    results = Results()
    if args.keep:
        work = Path(args.keep).resolve()
        if work.exists() and any(work.iterdir()):
            parser.error(f"{work} is not empty")
        work.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="workbench-bench-")
        work = Path(cleanup.name)
    try:
        inputs = build_inputs(work, args)
        big = bench_import(work, inputs, results, args)
        info = bench_codings(big, results, args)
        bench_cli(big, results, args)
        bench_export(big, work, results, args, info["total"])
        if not args.no_tui:
            bench_tui(work, big, info, results, args)
        bench_constructs(big, work, results, args)
        import resource

        peak = max(rss for _, rss in results.memory) if results.memory else 0.0
        worst = max(results.memory, key=lambda m: m[1])[0] if results.memory else ""
        results.add("8", "peak memory of any measured process", f"{peak:.0f} MB", "< 300 MB", peak < 300,
                    f"ru_maxrss; highest: {worst}; all: " + "; ".join(f"{n} {r:.0f}" for n, r in results.memory))
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.add("8", "benchmark driver itself (generation + bulk insert)", f"{self_rss:.0f} MB", "", None,
                    "not a product figure")
        if args.profile:
            profiles(work, big, inputs)
    finally:
        if cleanup:
            cleanup.cleanup()
    table = render(results, env, args)
    table += f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s.\n"
    OUT.mkdir(exist_ok=True)
    (OUT / "latest.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
