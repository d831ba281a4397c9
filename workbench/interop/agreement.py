"""``workbench export agreement``: a stored agreement run as a report for a methods section
(Markdown: the settings, the date, who ran it, how units were formed, measures per construct and
overall, per study, and why any value is undefined) or as CSV (one row per construct, then overall)."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from ..store.agreement import MEASURES, Run, columns
from .cells import csv_cell, md_cell, md_text
from .files import replacing

FORMATS = ("md", "csv")
ABSENT = object()  # a figure an entry does not have (unitizing's overall has no d_o)
_COUNTS = {"units": "Units", "characters": "Characters", "both": "Both coded", "neither": "Neither coded",
           "agreements": "Agreements", "d_o": "D_o", "d_e": "D_e"}


def heading(key: str, reviewers: list[str]) -> str:
    """A column's name in the report: the measure's name, or the count's ("Only alice")."""
    if key in MEASURES:
        return MEASURES[key]
    if key in ("only_a", "only_b") and len(reviewers) == 2:
        return f"Only {reviewers[0 if key == 'only_a' else 1]}"
    return _COUNTS.get(key, key.replace("_", " ").capitalize())


def shown(value: Any) -> str:
    """A figure in the report: three decimals, whole numbers as they are, "–" when undefined, empty
    when the entry has no such figure (``ABSENT``)."""
    if value is ABSENT:
        return ""
    if value is None:
        return "–"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def export(run: Run, path: Path | str, fmt: str) -> int:
    """Write ``run`` to ``path`` as ``fmt`` (md or csv); returns the number of table rows (constructs
    and overall). CSV gets a UTF-8 byte-order mark, as the other CSV exports, and figures to six
    decimals (more than any report needs; the stored run keeps them whole)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    with replacing(path, "utf-8-sig" if fmt == "csv" else "utf-8") as out:
        (_write_csv if fmt == "csv" else _write_markdown)(out, run)
    return len(run.results["by_construct"]) + 1


def _write_csv(out: IO[str], run: Run) -> None:
    results = run.results
    keys = columns(results)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["run", "unit", "level", "construct", *keys, "undefined"])
    rows = [("construct", e["construct"], e) for e in results["by_construct"]] + [("overall", "", results["overall"])]
    for level, name, entry in rows:
        why = "; ".join(f"{k}: {v}" for k, v in entry.get("reasons", {}).items())
        figures = (round(v, 6) if isinstance(v, float) else v for v in (entry.get(k) for k in keys))
        writer.writerow([csv_cell(v) for v in (run.id, results["unit"], level, name, *figures, why)])


def _write_markdown(out: IO[str], run: Run) -> None:
    results, s = run.results, run.settings
    reviewers = results["reviewers"]
    keys = columns(results)
    out.write("# Inter-rater agreement\n\n")
    when = run.ran_at[:16].replace("T", " ")
    who = md_text(run.ran_by or "an unknown reviewer")
    out.write(f"Agreement run {run.id} of the synthesis workbench (`workbench irr`), {when} UTC, run by {who}.\n\n")
    settings = [("Reviewers", ", ".join(reviewers)), ("Unit", results["unit"]),
                ("Constructs", s["construct"] if s.get("construct") else "all"),
                ("Studies", f"study {s['study']}" if s.get("study") is not None else "all"),
                ("Studies compared", results.get("studies", 0))]
    if "threshold" in s:
        settings.append(("Overlap threshold", f"{s['threshold']:.0%} of the union"))
    _table(out, ["Setting", "Value"], settings)
    out.write(f"\n{md_text(results['method'])}\n")
    if "pooling" in results:
        out.write(f"\nWith {len(reviewers)} reviewers, {md_text(results['pooling'])}.\n")
    notes: dict[tuple[str, str], list[str]] = {}

    def entries(rows: list[tuple[str, dict[str, Any]]]) -> list[list[str]]:
        for name, entry in rows:
            for key, why in entry.get("reasons", {}).items():
                if key in keys:
                    notes.setdefault((heading(key, reviewers), why), []).append(name)
        return [[name, *(shown(entry.get(k, ABSENT)) for k in keys)] for name, entry in rows]

    out.write("\n## Agreement by construct\n\n")
    _table(out, ["Construct", *(heading(k, reviewers) for k in keys)],
           entries([(e["construct"], e) for e in results["by_construct"]] + [("Overall", results["overall"])]))
    if results["by_study"]:
        out.write("\n## Agreement by study\n\n")
        _table(out, ["Study", *(heading(k, reviewers) for k in keys)],
               entries([(e["label"], e) for e in results["by_study"]]))
    if notes:
        out.write("\nUndefined values (–):\n\n")
        for (key, why), where in notes.items():
            out.write(f"- {md_text(key)} ({md_text(', '.join(where))}): {md_text(why)}\n")


def _table(out: IO[str], header: list[str], rows: list) -> None:
    out.write("| " + " | ".join(md_cell(h) for h in header) + " |\n")
    out.write("|" + "|".join(" --- " for _ in header) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(md_cell(v) for v in row) + " |\n")
