"""``workbench irr``: agreement between reviewers (every run stored), ``irr --history``, and
``workbench export agreement``: a run as a report for a methods section."""
from __future__ import annotations

from typing import Any

from ..core.errors import WorkbenchError
from .options import add_json, command, construct, export_command, open_project, out_file, study_id, whole_number
from .output import clip, print_json, wrote

# How the terminal table heads each column.
ABSENT = object()
SHORT = {"percent_agreement": "percent", "cohen_kappa": "Cohen", "fleiss_kappa": "Fleiss",
         "brennan_prediger": "BP", "gwet_ac1": "AC1", "krippendorff_alpha": "alpha", "unitizing_alpha": "alpha_U"}


def number(value: Any) -> str:
    """A measure as a table shows it: three decimals, whole numbers as they are, "-" for undefined
    (None), nothing for a figure the entry does not have (``ABSENT``)."""
    if value is ABSENT:
        return ""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def cmd_irr(args) -> None:
    from ..store import agreement

    with open_project(args) as project:
        if args.history:
            _history(args, agreement.runs(project.db))
            return
        if not args.reviewers or not args.unit:
            raise WorkbenchError("workbench irr needs --reviewers A,B and --unit (character, sentence, segment or "
                                 "unitizing), or --history for the stored runs")
        if args.threshold is not None and args.unit != "segment":
            raise WorkbenchError(f"--threshold is the overlap two segments need to agree: it applies to --unit "
                                 f"segment only, not {args.unit}")
        names = [n.strip() for n in args.reviewers.split(",") if n.strip()]
        ran_by = project.reviewer_id(args.reviewer) if args.reviewer is not None else None
        # a construct by name or id; an unknown one is refused with near names suggested
        scope = construct(project, args.construct).name if args.construct is not None else None
        settings = agreement.Settings(
            reviewers=names, unit=args.unit, construct=scope,
            threshold=agreement.Settings.threshold if args.threshold is None else args.threshold,
            study=study_id(project, args.study) if args.study is not None else None)
        results = agreement.compute(project.db, settings)
        if ran_by is None:
            ran_by = project.reviewer_id(results["reviewers"][0])
        number_ = agreement.record_run(project.db, settings, results, ran_by)
        run = agreement.get_run(project.db, number_)
        if args.json:
            print_json({"run": run.id, "ran_at": run.ran_at, "ran_by": run.ran_by, **results})
            return
        print(f"Agreement run {run.id} ({run.ran_at[:16].replace('T', ' ')} UTC, by {run.ran_by}): "
              f"{results['unit']} units, reviewers {', '.join(results['reviewers'])}")
        for line in report_lines(results):
            print(line)


def report_lines(results: dict[str, Any]) -> list[str]:
    """A run's results as the terminal shows them: the method, a table by construct with the
    overall row, a table by study, and each undefined value ("-") with its reason."""
    from ..store.agreement import columns

    keys = columns(results)
    heads = {k: SHORT.get(k, k) for k in keys}
    if len(results["reviewers"]) == 2:
        heads.update({"only_a": f"only {clip(results['reviewers'][0], 10)}",
                      "only_b": f"only {clip(results['reviewers'][1], 10)}"})
    widths = {k: max(8, len(heads[k])) for k in keys}
    lines = [results["method"]]
    if "pooling" in results:
        lines.append(f"Three or more reviewers: {results['pooling']}.")
    notes: dict[tuple[str, str], list[str]] = {}

    def table(title: str, entries: list[tuple[str, dict[str, Any]]]) -> None:
        width = max([len(title)] + [len(name) for name, _ in entries])
        lines.append("")
        lines.append(f"{title:<{width}}  " + "  ".join(f"{heads[k]:>{widths[k]}}" for k in keys))
        for name, entry in entries:
            lines.append((f"{name:<{width}}  " + "  ".join(f"{number(entry.get(k, ABSENT)):>{widths[k]}}"
                                                           for k in keys)).rstrip())
            for key, why in entry.get("reasons", {}).items():
                if key in keys:
                    notes.setdefault((heads[key], why), []).append(name)

    table("construct", [(clip(e["construct"], 40), e) for e in results["by_construct"]]
          + [("overall", results["overall"])])
    if results["by_study"]:
        table("study", [(f"{e['study']} {clip(e['label'], 36)}", e) for e in results["by_study"]])
    if notes:
        lines.append("")
        lines.append("- undefined:")
        for (key, why), where in notes.items():
            shown = ", ".join(where[:4]) + (f" and {len(where) - 4} more" if len(where) > 4 else "")
            lines.append(f"  {key} ({shown}): {why}")
    return lines


def _history(args, runs) -> None:
    from ..store.agreement import MEASURES

    if args.json:
        print_json([{"run": r.id, "ran_at": r.ran_at, "ran_by": r.ran_by, "settings": r.settings,
                     "overall": r.results["overall"]} for r in runs])
        return
    if not runs:
        print("no agreement runs yet: workbench irr PROJECT --reviewers A,B --unit sentence")
        return
    for r in runs:
        s = r.settings
        scope = f"construct {s['construct']!r}" if s.get("construct") else "all constructs"
        if s.get("study") is not None:
            scope += f", study {s['study']}"
        if "threshold" in s:
            scope += f", threshold {s['threshold']:g}"
        measures = ", ".join(f"{SHORT[k]} {number(v)}" for k, v in r.results["overall"].items() if k in MEASURES)
        print(f"{r.id:>4}  {r.ran_at[:16].replace('T', ' ')}  {r.ran_by or '-':<10} {s['unit']:<9}  "
              f"{', '.join(s['reviewers'])}; {scope}: {measures}")


def cmd_export_agreement(args) -> None:
    from ..interop.agreement import export
    from ..store.agreement import get_run

    with open_project(args) as project:
        out = out_file(args.out)
        run = get_run(project.db, whole_number(args.run, "--run") if args.run is not None else None)
        n = export(run, out, args.format)
        wrote(out, f"wrote agreement run {run.id} ({n} rows) to {out}")


def register(commands, exports) -> None:
    p = command(commands, "irr", cmd_irr,
                "agreement between reviewers over the studies they marked done (each run is stored)")
    p.add_argument("--reviewers", metavar="A,B[,C]", help="the reviewers to compare, separated by commas")
    p.add_argument("--unit", choices=("character", "sentence", "segment", "unitizing"),
                   help="character (as NVivo), sentence (the stored sentence units), segment (as MAXQDA) or "
                        "unitizing (Krippendorff's unitizing alpha)")
    p.add_argument("--threshold", type=float, metavar="SHARE",
                   help="segment: the share of the union two segments must overlap to agree (default 0.9)")
    p.add_argument("--construct", metavar="NAME", help="only this construct (default: all)")
    p.add_argument("--study", metavar="ID", help="only this study: id, DOI or unique title start (default: all)")
    p.add_argument("--reviewer", metavar="NAME", help="who runs it, as stored (default: the first of --reviewers)")
    p.add_argument("--history", action="store_true", help="list the stored runs instead")
    add_json(p)

    p = export_command(exports, "agreement", cmd_export_agreement,
                       "an agreement run as a report for a methods section (md) or a table (csv)", ("md", "csv"))
    p.add_argument("--run", metavar="N", help="the run's number (see `workbench irr PROJECT --history`); default: "
                                              "the latest")
