"""``workbench import``, ``studies`` and ``status``: bringing study records in, listing the
studies in study order, and a reviewer's progress on a study."""
from __future__ import annotations

import sys
from pathlib import Path

from ..core.errors import WorkbenchError
from .options import add_json, add_reviewer, command, open_project, reviewer_or_none, study_id
from .output import clip, plural, print_json


def cmd_import(args) -> None:
    import time

    from ..interop.imports import parse_file
    from ..interop.manifest import OVERRIDES, apply_overrides
    from ..store.studies import add_studies, briefs
    from .exchange import import_qdpx, is_qdpx
    from .progress import progress

    if any(is_qdpx(f) for f in args.files):
        import_qdpx(args)
        return
    column_map = {}
    for item in args.map or []:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise WorkbenchError(f"--map takes FIELD=COLUMN (e.g. title='Article Title'), not {item!r}")
        column_map[field.strip()] = column.strip()
    overrides = {k: getattr(args, k) for k in OVERRIDES if getattr(args, k, None) is not None}
    with open_project(args) as project, progress(args.quiet or args.json) as tell:
        who = reviewer_or_none(project, args.reviewer)
        records = []
        clock = time.perf_counter()
        for n, path in enumerate(map(Path, args.files), 1):
            if not path.is_file():
                raise WorkbenchError(f"{path}: no such file")
            found = parse_file(path, args.format, column_map or None)
            if overrides:
                if len(args.files) != 1 or len(found) != 1:
                    raise WorkbenchError("--title, --authors, --year, --doi ... apply to one file holding one record")
                apply_overrides(found[0], overrides, str(path))
            records.extend(found)
            tell("reading files", n, len(args.files))
        parsed = time.perf_counter() - clock
        report = add_studies(project.db, records, who, progress=tell)
        report.seconds = {"parse": parsed, **report.seconds}
        added = briefs(project.db, report.added)
    if args.json:
        print_json({
            "added": [{**{k: added[o.study][k] for k in ("id", "title", "year", "doi", "pmid", "source_file")},
                       "possible_duplicate_of": o.duplicate_of} for o in report.outcomes if o.study],
            "duplicates": [{"file": o.record.source_file, "where": o.record.locator, "title": o.record.title,
                            "existing_study": o.duplicate_of, "reason": o.match.reason} for o in report.duplicates],
            "records": [{"file": o.record.source_file, "where": o.record.locator, "title": o.record.title,
                         "outcome": o.kind, "study": o.study, "duplicate_of": o.duplicate_of,
                         "reason": o.match.reason if o.match else None} for o in report.outcomes],
            "seconds": {k: round(v, 3) for k, v in report.seconds.items()},
        })
        return
    _print_import(args.project, report, added)


def _print_import(project: str, report, added: dict) -> None:
    """The import report for a person: each record's outcome, in input order."""
    def of(o) -> str:
        return f"study {o.duplicate_of} ({o.match.other.label})"

    n = len(report.added)
    lines = [f"imported {n} stud{'y' if n == 1 else 'ies'}"
             + (f", {len(report.possible)} of them flagged as possible duplicates" if report.possible else "")
             + (f"; skipped {plural(len(report.duplicates), 'definite duplicate')}" if report.duplicates else "")]
    for o in report.outcomes:
        where = f"{o.record.source_file} {o.record.locator}"
        if o.kind == "duplicate":
            lines.append(f"  skipped  {where}: {clip(o.record.title, 50)!r} is a definite duplicate of {of(o)}: "
                         f"{o.match.reason}")
            continue
        s = added[o.study]
        line = f"  {s['id']:>7}  {s['year'] or '    '}  {clip(s['title'], 60)}  ({where})"
        if o.kind == "possible duplicate":
            line += f"\n           flagged: a possible duplicate of {of(o)}: {o.match.reason}"
        lines.append(line)
    if report.possible:
        lines.append(f"review the flagged pairs: workbench duplicates {project}")
    sys.stdout.write("\n".join(lines) + "\n")


def cmd_studies(args) -> None:
    from ..core.records import surname
    from ..store.studies import find_study, list_studies

    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        index = project.settings.index_study
        index_id = find_study(project.db, index) if index else None
        found = list_studies(project.db, who, project.settings.study_order, index_id)
        if args.json:
            if who is None:
                for row in found:
                    del row["mine"], row["status"]
            print_json(found)
            return
        lines = []
        for row in found:
            author = surname(row["authors"][0]) if row["authors"] else ""
            status = f"  {row['status']:<5}" if who is not None else ""
            lines.append(f"{row['id']:>5}  {row['year'] or '    '}  {clip(author, 16):<16}  "
                         f"{clip(row['title'], 50):<50}  {row['codings']:>5} codings{status}\n")
        sys.stdout.write("".join(lines))


def cmd_status(args) -> None:
    from ..store.studies import set_status

    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        study = study_id(project, args.study)
        set_status(project.db, study, who, args.set)
        print(f"study {study}: {args.set} for {args.reviewer}")


def register(commands, exports) -> None:
    p = command(commands, "import", cmd_import, "import study records (all files in one transaction), or a whole "
                "REFI-QDA project (.qdpx: its studies, constructs, codings, memos and judgements merged in)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", default="auto", choices=("auto", "txt", "json", "csv", "ris", "medline"))
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN",
                   help="CSV: read FIELD (title, authors, year, doi, abstract, journal) from COLUMN")
    add_reviewer(p, "who imports (recorded in the event log)")
    p.add_argument("--title")
    p.add_argument("--authors", action="append", metavar="NAME", help="an author (repeat for more)")
    p.add_argument("--year", metavar="YEAR", help="a four-digit year (1000-2999)")
    p.add_argument("--doi")
    p.add_argument("--journal")
    p.add_argument("--quiet", action="store_true", help="no progress bars on a terminal")
    add_json(p)

    p = command(commands, "studies", cmd_studies, "list the studies in study order with their codings")
    add_reviewer(p, "also show this reviewer's status")
    add_json(p)

    p = command(commands, "status", cmd_status, "set a reviewer's progress on a study")
    p.add_argument("--study", required=True, metavar="ID")
    add_reviewer(p, required=True)
    p.add_argument("--set", required=True, choices=("todo", "doing", "done"))
