"""``workbench import``, ``studies`` and ``status``: bringing study records in, listing the
studies in study order, and a reviewer's progress on a study."""
from __future__ import annotations

import sys
from pathlib import Path

from ..core.errors import WorkbenchError
from .options import add_json, add_reviewer, command, open_project, reviewer_or_none, study_id
from .output import clip, print_json


def cmd_import(args) -> None:
    from ..interop.imports import parse_file
    from ..interop.manifest import OVERRIDES, apply_overrides
    from ..store.studies import add_studies, get_study

    column_map = {}
    for item in args.map or []:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise WorkbenchError(f"--map takes FIELD=COLUMN (e.g. title='Article Title'), not {item!r}")
        column_map[field.strip()] = column.strip()
    overrides = {k: getattr(args, k) for k in OVERRIDES if getattr(args, k, None) is not None}
    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        records = []
        for path in map(Path, args.files):
            if not path.is_file():
                raise WorkbenchError(f"{path}: no such file")
            found = parse_file(path, args.format, column_map or None)
            if overrides:
                if len(args.files) != 1 or len(found) != 1:
                    raise WorkbenchError("--title, --authors, --year, --doi ... apply to one file holding one record")
                apply_overrides(found[0], overrides, str(path))
            records.extend(found)
        report = add_studies(project.db, records, who)
        added = [get_study(project.db, sid) for sid in report.added]
        if args.json:
            print_json({
                "added": [{k: s[k] for k in ("id", "title", "year", "doi", "source_file")} for s in added],
                "duplicates": [{"file": d.record.source_file, "where": d.record.locator, "title": d.record.title,
                                "existing_study": d.study_id, "reason": d.reason} for d in report.duplicates],
            })
            return
        print(f"imported {len(added)} stud{'y' if len(added) == 1 else 'ies'}")
        for s in added:
            print(f"  {s['id']:>5}  {s['year'] or '    '}  {clip(s['title'], 70)}  ({s['source_file']})")
        for d in report.duplicates:
            existing = f"study {d.study_id}" if d.study_id else "an earlier record of this import"
            print(f"  skipped {d.record.source_file} {d.record.locator}: {clip(d.record.title, 50)!r} "
                  f"duplicates {existing} ({d.reason})")


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
    p = command(commands, "import", cmd_import, "import study records (all files in one transaction)")
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
    add_json(p)

    p = command(commands, "studies", cmd_studies, "list the studies in study order with their codings")
    add_reviewer(p, "also show this reviewer's status")
    add_json(p)

    p = command(commands, "status", cmd_status, "set a reviewer's progress on a study")
    p.add_argument("--study", required=True, metavar="ID")
    add_reviewer(p, required=True)
    p.add_argument("--set", required=True, choices=("todo", "doing", "done"))
