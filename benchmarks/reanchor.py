"""Re-anchoring a corrected text at size: a 60 KB full text with 1,000 codings (issue 13, item 5).

    .venv/bin/python benchmarks/reanchor.py [--chars 60000] [--codings 1000] [--repeat 5] [--seed 13]
                                            [--keep DIR]

The corrected text is a synthetic full text (``synthetic.Generator.full_text``). The text first
imported is what a PDF extraction makes of it: lines broken at 80 columns, about a third of the
words at a line end hyphenated across the break ("reinte-" / "gration"), and 40 typos ("teh",
doubled and dropped letters). The correction joins the lines and words, fixes the typos, and one
paragraph of the Results has moved to the Discussion. ``--codings`` highlights (a sentence, a phrase
inside one, or 2-3 sentences, as ``run.py`` picks them; 3 reviewers) are bulk-inserted on the first
text with the columns ``codings.add`` writes (set-up, not a product path).

Timed, medians of ``--repeat`` runs after one warm-up:

- the core alone, in this process: ``core.anchoring.reanchor(old, new, spans)`` (the diff and the
  cascade for every coding), and the diff alone;
- ``workbench reimport PROJECT --study 1 FILE --reviewer alice`` as a whole process (start-up,
  decoding, sentence units of the new text with spaCy, the plan, the one transaction with its
  event), each followed by an untimed-for-it ``workbench undo``, which is timed too.

Prints a Markdown table with the counts by method; timings are reported, never asserted.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bulk import timed  # noqa: E402
from run import _pick_span, checked, environment, run_process  # noqa: E402
from synthetic import Generator  # noqa: E402

from workbench.core.anchoring import METHODS, Reanchorer, Span, reanchor  # noqa: E402
from workbench.core.sentences import segment  # noqa: E402
from workbench.core.text import quote, sha256  # noqa: E402
from workbench.store.db import now  # noqa: E402
from workbench.store.project import Project  # noqa: E402
from workbench.store.studies import add_studies  # noqa: E402
from workbench.core.records import StudyRecord  # noqa: E402

TYPOS = 40
REVIEWERS = ("alice", "ben", "chloe")


def typo(rng: random.Random, word: str) -> str:
    """A typo of ``word`` (4+ letters): two letters swapped, one doubled or one dropped."""
    i = rng.randrange(1, len(word) - 2)
    kind = rng.choice(("swap", "double", "drop"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1:]


def extraction(rng: random.Random, text: str) -> str:
    """``text`` as a PDF extraction gives it: typos, lines broken at 80 columns, words hyphenated
    across a third of the breaks."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{5,}", text)]
    for s, e in sorted(rng.sample(words, TYPOS), reverse=True):
        text = text[:s] + typo(rng, text[s:e]) + text[e:]
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            if line and len(line) + 1 + len(word) > 80:
                if len(word) >= 7 and word.isalpha() and rng.random() < 0.33:
                    cut = rng.randint(3, len(word) - 3)
                    lines.append(f"{line} {word[:cut]}-")
                    line = word[cut:]
                    continue
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "\n".join(lines)


def corrected(text: str) -> str:
    """The correction's paragraph order: the second Results paragraph moved to the Discussion."""
    paragraphs = text.split("\n")
    results = paragraphs.index("Results")
    moved = paragraphs.pop(results + 2)
    discussion = paragraphs.index("Discussion")
    paragraphs.insert(discussion + 3, moved)
    return "\n".join(paragraphs)


def build(root: Path, a) -> tuple[str, str, list[Span]]:
    rng = random.Random(a.seed)
    clean = Generator(a.seed).full_text(a.chars)
    old, new = extraction(rng, clean), corrected(clean)
    with Project.create(root, title="reanchor bench", reviewers=list(REVIEWERS)) as project:
        db = project.db
        add_studies(db, [StudyRecord(title="A corrected extraction", text=old, source_file="extraction.txt",
                                     year=2020)])
        reviewers = [project.reviewer_id(n) for n in REVIEWERS]
        units = segment(old)
        stamp, digest = now(), sha256(old)
        spans = []
        with db.atomic():
            constructs = []
            for k in range(30):
                constructs.append(db.execute(
                    "INSERT INTO construct (guid, name, construct_order, created_at) VALUES (?,?,?,?)",
                    [str(uuid.uuid4()), f"construct {k}", 1 + k % 3, stamp]).lastrowid)
            for _ in range(a.codings):
                s, e = _pick_span(rng, old, units)
                q = quote(old, s, e)
                spans.append(Span(s, e, q.exact, q.prefix, q.suffix))
                db.execute("INSERT INTO coding (guid, study_id, construct_id, reviewer_id, span_start, span_end, "
                           "exact, prefix, suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           [str(uuid.uuid4()), 1, rng.choice(constructs), rng.choice(reviewers), s, e, q.exact,
                            q.prefix, q.suffix, digest, stamp])
    return old, new, spans


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=60_000)
    parser.add_argument("--codings", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", metavar="DIR")
    a = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wb-reanchor-") as tmp:
        work = Path(a.keep) if a.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        root = work / "review"
        old, new, spans = build(root, a)
        source = work / "corrected.txt"
        source.write_text(new, encoding="utf-8")

        placed = reanchor(old, new, spans)
        counts = {m: sum(p.method == m for p in placed) for m in METHODS}
        fuzzy = sorted(p.score for p in placed if p.method == "fuzzy")
        orphans = sorted(len(s.exact) for p, s in zip(placed, spans) if not p.placed)
        segmenting, _ = timed(lambda: segment(new), a.repeat)
        core, core_runs = timed(lambda: reanchor(old, new, spans), a.repeat)
        diff, _ = timed(lambda: Reanchorer(old, new).blocks(), a.repeat)

        command = [sys.executable, "-m", "workbench.cli", "reimport", root, "--study", "1", source, "--reviewer",
                   "alice", "--json"]
        undo = [sys.executable, "-m", "workbench.cli", "undo", root, "--reviewer", "alice"]
        checked(run_process(command, cwd=ROOT), "reimport")
        checked(run_process(undo, cwd=ROOT), "undo")
        reimports, undos = [], []
        for _ in range(a.repeat):
            reimports.append(checked(run_process(command, cwd=ROOT), "reimport"))
            undos.append(checked(run_process(undo, cwd=ROOT), "undo"))
        report = json.loads(reimports[-1].stdout)
        assert report["counts"] == counts, (report["counts"], counts)

    walls = sorted(r.wall for r in reimports)
    print(f"Re-anchoring a {len(old):,}-character extraction replaced by its {len(new):,}-character correction, "
          f"{len(spans):,} codings (seed {a.seed})\n")
    for name, value in environment():
        print(f"- {name}: {value}")
    print("\n| measure | median | runs |\n|---|---|---|")
    print(f"| core: `reanchor()` of every coding (diff and cascade) | {ms(core)} | "
          f"{', '.join(f'{r * 1000:.0f}' for r in core_runs)} |")
    print(f"| core: the diff alone (`Reanchorer.blocks`) | {ms(diff)} | |")
    print(f"| `workbench reimport` whole process, peak {max(r.maxrss_mb for r in reimports):.0f} MB | "
          f"{ms(statistics.median(walls))} | {', '.join(f'{r.wall * 1000:.0f}' for r in reimports)} |")
    print(f"| `workbench undo` of it, whole process | {ms(statistics.median(r.wall for r in undos))} | "
          f"{', '.join(f'{r.wall * 1000:.0f}' for r in undos)} |")
    print(f"| sentence units of the new text alone (`core.sentences.segment`, spaCy loaded) | {ms(segmenting)} | |")
    print("\n| method | codings |\n|---|---|")
    for m in METHODS:
        print(f"| {m} | {counts[m]} |")
    if fuzzy:
        print(f"\nFuzzy scores: median {statistics.median(fuzzy):.1f}, lowest {fuzzy[0]:.1f}.", end="")
    if orphans:
        print(f" Orphaned quotes: {len(orphans)}, median length {statistics.median(orphans):.0f} characters.", end="")
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
