"""Import speed at scale, against the `qualitative-coding` package, printed as a Markdown table.

    .venv/bin/python benchmarks/imports.py                               # 10,000 files, 50,000 records
    .venv/bin/python benchmarks/imports.py --files 300 --records 2000    # smoke run, well under a minute
    .venv/bin/python benchmarks/imports.py --no-qc --keep /tmp/imports   # skip qc, keep the projects

In one run: writes N plain-text abstracts without years (distinct first-line titles) and imports
them all with one ``workbench import`` process (sentence segmentation included), then the same
files with ``qc corpus import`` of the `qualitative-coding` package (in its own venv,
``benchmarks/.qc-venv``, made from the package index if missing), and reports the ratio; then writes
M RIS records (years, authors, DOIs on nine in ten) and imports them into a fresh project. Every
figure is a whole process measured from outside (``run.run_process``: wall time, own ru_maxrss);
the time split inside ``workbench import`` is read from its ``--json`` report ("seconds") when it
gives one, else shown as n/a. Progress goes to stderr; the table goes to stdout and to
``benchmarks/out/imports.md``. Timings are reported, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

QC_VENV = HERE / ".qc-venv"
QC_PACKAGE = "qualitative-coding==1.7.8"  # pinned: the figures compare against this release
SPLIT = ("parse", "duplicates", "segmentation", "insert")
_YEAR = re.compile(r"(?<!\d)(1[0-9]|2[0-9])\d\d(?!\d)")  # what the txt importer could take for a year


def _reexec_in_project_venv() -> None:
    """Run under the project's venv when started with another interpreter (``python benchmarks/...``),
    so that ``workbench`` and the package versions reported are the project's."""
    venv_python = ROOT / ".venv" / "bin" / "python"
    if not (Path(sys.executable).parent / "workbench").exists() and venv_python.exists() \
            and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])


_reexec_in_project_venv()

import run as bench  # noqa: E402  (the measuring helpers of benchmarks/run.py)
import synthetic  # noqa: E402

log = bench.log
OUT = bench.OUT


@dataclass
class Import:
    """One measured import."""
    label: str
    run: bench.Run
    split: dict[str, float] | None = None  # workbench's own time split, when it reports one
    splits: bool = True  # False for qc, which has no such split
    stored: str = ""
    notes: list[str] = field(default_factory=list)


# --- inputs ----------------------------------------------------------------------------------------

def write_text_files(folder: Path, n: int, seed: int, vocabulary: synthetic.Vocabulary) -> dict:
    """``n`` plain-text abstracts, one per file: a distinct title on the first line, a blank line,
    an abstract of 1,500-2,000 characters; no four-digit number anywhere, so no year."""
    folder.mkdir(parents=True)
    gen = synthetic.Generator(seed, vocabulary)
    seen: set[str] = set()
    chars = 0
    for i in range(1, n + 1):
        title = gen.title()
        while title.casefold() in seen:
            title = gen.title()
        seen.add(title.casefold())
        abstract = gen.abstract()
        while _YEAR.search(abstract):  # the generator writes at most three digits; kept as a guard
            abstract = gen.abstract()
        text = f"{title}\n\n{abstract}\n"
        chars += len(text)
        (folder / f"abstract-{i:05d}.txt").write_text(text, encoding="utf-8")
    return {"files": sorted(folder.iterdir()), "chars": chars}


def write_ris_records(path: Path, n: int, seed: int, vocabulary: synthetic.Vocabulary) -> dict:
    """``n`` RIS records (``synthetic.abstracts``) of which one in ten has no DOI."""
    records = synthetic.abstracts(n, seed, vocabulary)
    for i, record in enumerate(records):
        if i % 10 == 9:
            record.doi = ""
    synthetic.write_ris(records, path)
    return {"records": n, "with_doi": sum(1 for r in records if r.doi),
            "chars": sum(len(r.abstract) for r in records)}


# --- measuring -------------------------------------------------------------------------------------

def workbench_import(workbench: Path, project: Path, files: list[Path], expected: int, label: str) -> Import:
    """``workbench init`` (untimed), then one timed ``workbench import PROJECT FILES... --json`` (which
    shows no progress) of ``expected`` distinct records."""
    bench.checked(bench.run_process([workbench, "init", project, "--title", "Import benchmark"]), "workbench init")
    cmd = [workbench, "import", project, *files, "--json"]
    done = bench.checked(bench.run_process(cmd), label)
    report = json.loads(done.stdout)
    split = report.get("seconds") if isinstance(report, dict) else None
    with sqlite3.connect(project / "project.db") as db:
        studies = db.execute("SELECT count(*) FROM study").fetchone()[0]
        sentences = db.execute("SELECT count(*) FROM sentence").fetchone()[0]
    result = Import(label, done, split=split if isinstance(split, dict) else None,
                    stored=f"{studies:,} studies, {sentences:,} sentences")
    skipped = len(report.get("duplicates", [])) if isinstance(report, dict) else 0
    if skipped:
        result.notes.append(f"{skipped:,} of the {expected:,} distinct records skipped as duplicates")
    if studies != expected:
        log(f"warning: {expected:,} distinct records, {studies:,} studies stored")
    return result


def ensure_qc() -> Path:
    """The ``qc`` command of ``benchmarks/.qc-venv``, installing the package there first if needed."""
    qc = QC_VENV / "bin" / "qc"
    if qc.exists():
        return qc
    log(f"creating {QC_VENV.relative_to(ROOT)} and installing {QC_PACKAGE} from the package index")
    subprocess.run([sys.executable, "-m", "venv", str(QC_VENV)], check=True)
    subprocess.run([str(QC_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                    QC_PACKAGE], check=True)
    return qc


def qc_import(qc: Path, project: Path, folder: Path, n: int) -> Import:
    """``qc init`` in an empty folder (untimed), then one timed ``qc corpus import --recursive
    --importer verbatim FOLDER``: qc copies each file into its corpus, hashes it, indexes its
    paragraphs and commits one transaction per document."""
    project.mkdir()
    bench.checked(bench.run_process([qc, "init"], cwd=project), "qc init")
    done = bench.checked(bench.run_process([qc, "corpus", "import", "--recursive", "--importer", "verbatim",
                                            folder], cwd=project), "qc corpus import")
    with sqlite3.connect(project / "qualitative_coding.sqlite3") as db:
        documents = db.execute("SELECT count(*) FROM document").fetchone()[0]
        paragraphs = db.execute("SELECT count(*) FROM location").fetchone()[0]
    result = Import(f"`qc corpus import` ({QC_PACKAGE.split('==')[0]} "
                    f"{QC_PACKAGE.split('==')[1]}), same {n:,} files", done,
                    stored=f"{documents:,} documents, {paragraphs:,} paragraphs", splits=False)
    result.notes.append("no sentence segmentation; one commit per document")
    return result


# --- the table -------------------------------------------------------------------------------------

def split_cells(item: Import) -> list[str]:
    """The four parts of workbench's split and what is left of the wall time (start-up, reading
    files, writing the report), or n/a where the import gives no split."""
    if item.split is None:
        return ["n/a"] * (len(SPLIT) + 1)
    parts = [item.split.get(k) for k in SPLIT]
    cells = [bench.secs(p) if isinstance(p, (int, float)) else "n/a" for p in parts]
    known = sum(p for p in parts if isinstance(p, (int, float)))
    return cells + [bench.secs(max(0.0, item.run.wall - known))]


def render(env: list[tuple[str, str]], sizes: str, rows: list[tuple[Import, str, bool | None]],
           ratio: tuple[float, float, bool | None] | None, missing: list[str]) -> str:
    lines = ["### Environment", ""] + [f"- {k}: {v}" for k, v in env] + ["", sizes, ""]
    lines += ["| Import | Wall | CPU | Peak memory | Parse | Duplicates | Segmentation | Insert | Rest "
              "| Stored | Target | Met | Notes |", "|---" * 13 + "|"]
    for item, target, ok in rows:
        cells = split_cells(item) if item.splits else ["–"] * (len(SPLIT) + 1)
        lines.append(f"| {item.label} | {bench.secs(item.run.wall)} | {bench.secs(item.run.cpu)} | "
                     f"{item.run.maxrss_mb:.0f} MB | "
                     + " | ".join(cells) + f" | {item.stored} | {target} | {bench.verdict(ok)} | "
                     f"{'; '.join(item.notes)} |")
    if ratio is not None:
        value, cpu, ok = ratio
        lines.append(f"| **qc / workbench** (same files, same run) | {value:.1f}x | {cpu:.1f}x | | | | | | | | "
                     f">= 5x | {bench.verdict(ok)} | `qc`'s wall (and CPU) time divided by `workbench`'s |")
    if missing:
        lines += ["", "Not measured:"] + [f"- {m}" for m in missing]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000, help="plain-text files (default 10,000)")
    parser.add_argument("--records", type=int, default=50_000, help="RIS records (default 50,000)")
    parser.add_argument("--seed", type=int, default=20250101)
    parser.add_argument("--keep", metavar="DIR", help="build in DIR and keep it (default: a temporary directory)")
    parser.add_argument("--no-qc", action="store_true", help="do not run the qualitative-coding package")
    args = parser.parse_args(argv)
    if args.files < 1 or args.records < 1:
        parser.error("need --files >= 1 and --records >= 1")
    workbench = Path(sys.executable).parent / "workbench"
    if not workbench.exists():
        parser.error(f"{workbench} not found: run `make install` first")

    started = time.perf_counter()
    env = bench.environment()
    env.append(("Load average at start (1, 5, 15 min)", ", ".join(f"{x:.2f}" for x in os.getloadavg())))
    rows: list[tuple[Import, str, bool | None]] = []
    missing: list[str] = []
    ratio = None
    if args.keep:
        work = Path(args.keep).resolve()
        if work.exists() and any(work.iterdir()):
            parser.error(f"{work} is not empty")
        work.mkdir(parents=True, exist_ok=True)
        cleanup = None
    else:
        cleanup = tempfile.TemporaryDirectory(prefix="workbench-imports-")
        work = Path(cleanup.name)
    try:
        vocabulary = synthetic.Vocabulary()
        log(f"writing {args.files:,} plain-text files (seed {args.seed})")
        texts = write_text_files(work / "txt", args.files, args.seed, vocabulary)
        n = args.files
        log("importing them with one `workbench import`")
        wb = workbench_import(workbench, work / "txt-project", texts["files"], n,
                              f"`workbench import`, {n:,} .txt files, no years")
        log(f"workbench: {bench.secs(wb.run.wall)} ({bench.secs(wb.run.cpu)} CPU), {wb.run.maxrss_mb:.0f} MB, "
            f"{wb.stored}")
        rows.append((wb, "", None))
        if args.no_qc:
            missing.append("`qualitative-coding` (--no-qc)")
        else:
            try:
                qc = ensure_qc()
            except (subprocess.CalledProcessError, OSError) as error:
                qc = None
                missing.append(f"`qualitative-coding`: could not install it ({error})")
            if qc is not None:
                log("importing the same files with `qc corpus import`")
                other = qc_import(qc, work / "qc-project", work / "txt", n)
                log(f"qc: {bench.secs(other.run.wall)} ({bench.secs(other.run.cpu)} CPU), "
                    f"{other.run.maxrss_mb:.0f} MB, {other.stored}")
                rows.append((other, "", None))
                value = other.run.wall / wb.run.wall
                ratio = (value, other.run.cpu / max(wb.run.cpu, 1e-9), value >= 5 if n >= 10_000 else None)

        log(f"writing {args.records:,} RIS records (seed {args.seed + 1})")
        ris = work / "records.ris"
        info = write_ris_records(ris, args.records, args.seed + 1, vocabulary)
        log(f"importing them into a fresh project ({ris.stat().st_size / 1e6:.0f} MB of RIS)")
        rec = workbench_import(workbench, work / "ris-project", [ris], args.records,
                               f"`workbench import`, {args.records:,} RIS records")
        log(f"workbench: {bench.secs(rec.run.wall)} ({bench.secs(rec.run.cpu)} CPU), {rec.run.maxrss_mb:.0f} MB, "
            f"{rec.stored}")
        at_scale = args.records >= 50_000
        rows.append((rec, "< 25 s, < 500 MB",
                     rec.run.wall < 25 and rec.run.maxrss_mb < 500 if at_scale else None))
    finally:
        if cleanup:
            cleanup.cleanup()
    env.append(("Load average at end (1, 5, 15 min)", ", ".join(f"{x:.2f}" for x in os.getloadavg())))
    sizes = (f"Sizes: {args.files:,} plain-text files (mean {texts['chars'] / args.files:,.0f} characters, "
             f"no years), {args.records:,} RIS records ({info['with_doi']:,} with a DOI, mean abstract "
             f"{info['chars'] / args.records:,.0f} characters); seed {args.seed}. One run of each import "
             f"into an empty project; the split is `workbench import --json`'s own, \"Rest\" is the wall "
             f"time it does not cover.")
    table = render(env, sizes, rows, ratio, missing)
    table += f"\nTotal benchmark time: {time.perf_counter() - started:.0f} s.\n"
    OUT.mkdir(exist_ok=True)
    (OUT / "imports.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
