"""The ``workbench`` command line: every TUI action has a scriptable twin here.

Exit status: 0 on success, 1 when the project, the input or the request is refused (the message
says why, on stderr, and nothing was written), 2 for a malformed command line.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from .core.constructs import ConstructError
from .core.text import SpanError
from .store.codings import CodingError
from .store.project import Project, ProjectError
from .store.studies import StudyError


class Refused(Exception):
    """A request the CLI refuses, with the message to print."""


REFUSALS: tuple[type[Exception], ...] = (Refused, ProjectError, StudyError, ConstructError, CodingError,
                                         SpanError)


def _print_json(value: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (3x faster) for a pipe."""
    print(json.dumps(value, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None))


def _open(args) -> Project:
    return Project.open(args.project)


def _study_id(project: Project, key: str) -> int:
    from .store.studies import find_study

    study_id = find_study(project.db, str(key))
    if study_id is None:
        raise Refused(f"no study matches {key!r}: give its id (see `workbench studies`), DOI or a unique title start")
    return study_id


def _reviewer(project: Project, name: str | None) -> int | None:
    return None if name is None else project.reviewer_id(name)


# --- commands ---------------------------------------------------------------------------------------

def cmd_init(args) -> None:
    with Project.create(args.project, title=args.title, question=args.question or "",
                        reviewers=args.reviewer) as project:
        print(f"created project {project.settings.title!r} in {project.root}")


def cmd_import(args) -> None:
    from .interop.imports import ImportFailure, parse_file
    from .interop.manifest import OVERRIDES, apply_overrides
    from .store.studies import add_studies

    column_map = {}
    for item in args.map or []:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise Refused(f"--map takes FIELD=COLUMN (e.g. title='Article Title'), not {item!r}")
        column_map[field.strip()] = column.strip()
    overrides = {k: getattr(args, k) for k in OVERRIDES if getattr(args, k, None) is not None}
    with _open(args) as project:
        reviewer_id = _reviewer(project, args.reviewer)
        records = []
        try:
            for path in args.files:
                path = Path(path)
                if not path.is_file():
                    raise Refused(f"{path}: no such file")
                found = parse_file(path, args.format, column_map or None)
                if overrides:
                    if len(args.files) != 1 or len(found) != 1:
                        raise Refused("--title, --authors, --year, --doi ... apply to one file holding one record")
                    apply_overrides(found[0], overrides, str(path))
                records.extend(found)
        except ImportFailure as exc:
            raise Refused(str(exc)) from None
        report = add_studies(project.db, records, reviewer_id)
        added = [project.db.execute("SELECT id, title, year, doi, source_file FROM study WHERE id = ?",
                                    [sid]).fetchone() for sid in report.added]
        if args.json:
            _print_json({
                "added": [dict(zip(("id", "title", "year", "doi", "source_file"), row)) for row in added],
                "duplicates": [{"file": d.record.source_file, "where": d.record.locator, "title": d.record.title,
                                "existing_study": d.study_id, "reason": d.reason} for d in report.duplicates],
            })
            return
        print(f"imported {len(added)} stud{'y' if len(added) == 1 else 'ies'}")
        for sid, title, year, _, source in added:
            print(f"  {sid:>5}  {year or '    '}  {_clip(title, 70)}  ({source})")
        for d in report.duplicates:
            existing = f"study {d.study_id}" if d.study_id else "an earlier record of this import"
            print(f"  skipped {d.record.source_file} {d.record.locator}: {_clip(d.record.title, 50)!r} "
                  f"duplicates {existing} ({d.reason})")


def cmd_build(args) -> None:
    from .interop.imports import ImportFailure
    from .interop.manifest import read_sources
    from .store.studies import add_studies

    with _open(args) as project:
        settings = project.settings
        if not settings.sources and not settings.codebook:
            raise Refused(f"{project.root / 'project.yaml'} lists no sources and no codebook to build from")
        load_codebook = _build_codebook(project, settings.codebook) if settings.codebook else None
        if settings.sources:
            try:
                records = read_sources(project.root, settings.sources)
            except ImportFailure as exc:
                raise Refused(str(exc)) from None
            report = add_studies(project.db, records)
            print(f"{settings.title}: {len(report.added)} studies imported, "
                  f"{len(report.duplicates)} already present")
        if load_codebook is not None:
            load_codebook()


def _build_codebook(project, name: str):
    """Check the project's codebook now, before anything is imported, and return the function that
    loads it (into a project without constructs: a first build) and says what it did."""
    from .cli_codebook import _refuse
    from .core.codebook import CodebookError
    from .store.codebook import load, read_file

    if project.db.execute("SELECT 1 FROM construct LIMIT 1").fetchone():
        return lambda: print(f"codebook {name}: not loaded, the project has constructs already "
                             "(`workbench codebook load` merges a changed codebook)")
    path = project.root / name
    codebook, kind, problems = read_file(path)
    try:
        if codebook is None:
            raise CodebookError(str(path), problems)
        load(project.db, codebook, str(path), None, kind, dry_run=True, problems=problems)
    except CodebookError as exc:
        raise _refuse(exc) from None
    def load_it() -> None:
        report = load(project.db, codebook, str(path), None, kind, problems=problems)
        print(f"codebook {name}: {len(report.added)} constructs loaded")

    return load_it


def cmd_studies(args) -> None:
    from .core.records import surname
    from .store.studies import find_study, list_studies

    with _open(args) as project:
        reviewer_id = _reviewer(project, args.reviewer)
        index = project.settings.index_study
        index_id = find_study(project.db, index) if index else None
        rows = list_studies(project.db, reviewer_id, project.settings.study_order, index_id)
        if args.json:
            if reviewer_id is None:
                for row in rows:
                    del row["mine"], row["status"]
            _print_json(rows)
            return
        lines = []
        for row in rows:
            who = surname(row["authors"][0]) if row["authors"] else ""
            status = f"  {row['status']:<5}" if reviewer_id is not None else ""
            lines.append(f"{row['id']:>5}  {row['year'] or '    '}  {_clip(who, 16):<16}  "
                         f"{_clip(row['title'], 50):<50}  {row['codings']:>5} codings{status}\n")
        sys.stdout.write("".join(lines))


def cmd_code(args) -> None:
    from .store.codings import add_with_construct

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        study_id = _study_id(project, args.study)
        coding, construct, created = add_with_construct(project.db, study_id, reviewer_id, args.start, args.end,
                                                        args.construct, args.order, args.parent)
        if args.json:
            _print_json({"id": coding.id, "study_id": study_id, "construct": construct.name,
                         "order": construct.order, "reviewer": args.reviewer, "start": coding.start,
                         "end": coding.end, "quote": coding.exact, "construct_created": created})
            return
        made = " (new construct)" if created else ""
        print(f"coding {coding.id}: study {study_id} [{coding.start}, {coding.end}) "
              f"{construct.name!r}{made}: {_clip(coding.exact, 60)!r}")


def cmd_codings(args) -> None:
    from .store.codings import ROW_COLUMNS, rows

    with _open(args) as project:
        reviewer_id = _reviewer(project, args.reviewer)
        study_id = _study_id(project, args.study) if args.study is not None else None
        found = [dict(zip(ROW_COLUMNS, row)) for row in rows(project.db, reviewer_id, study_id)]
        if args.json:
            _print_json(found)
            return
        for c in found:
            print(f"{c['id']:>6}  study {c['study_id']:<4} [{c['start']}, {c['end']})  {c['reviewer']:<8} "
                  f"{c['order']} {_clip(c['construct'], 28):<28} {_clip(c['quote'], 50)!r}")


def cmd_uncode(args) -> None:
    from .store import codings

    with _open(args) as project:
        row = project.db.execute("SELECT reviewer_id FROM coding WHERE id = ?", [args.coding]).fetchone()
        if row is None:
            raise Refused(f"no coding with id {args.coding}")
        reviewer_id = project.reviewer_id(args.reviewer) if args.reviewer else row[0]
        removed = codings.remove(project.db, args.coding, reviewer_id)
        print(f"removed coding {removed.id} ({_clip(removed.exact, 60)!r}); it stays in the event log")


def cmd_status(args) -> None:
    from .store.studies import set_status

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        study_id = _study_id(project, args.study)
        set_status(project.db, study_id, reviewer_id, args.set)
        print(f"study {study_id}: {args.set} for {args.reviewer}")


def cmd_constructs(args) -> None:
    from .store import constructs, restructure

    with _open(args) as project:
        counts = constructs.counts(project.db, _reviewer(project, args.reviewer))
        items = constructs.all_constructs(project.db)
        names = {c.id: c.name for c in items}
        links: dict[int, list[dict]] = {}
        for link in restructure.links(project.db):
            links.setdefault(link.from_id, []).append({"kind": link.kind, "to": link.to_name})
        found = [{"id": c.id, "name": c.name, "order": c.order, "parent": names.get(c.parent_id),
                  "definition": c.definition, "codings": counts.get(c.id, 0), "links": links.get(c.id, [])}
                 for c in items]
        if args.json:
            _print_json(found)
            return
        for c in found:
            under = f"  (under {c['parent']})" if c["parent"] else ""
            linked = "".join(f"; {x['kind']} {x['to']}" for x in c["links"])
            print(f"{c['id']:>5}  {c['order']}  {c['name']}{under}  {c['codings']} codings{linked}")


def cmd_export_matrix(args) -> None:
    from .interop.matrix import export

    with _open(args) as project:
        reviewer_id = _reviewer(project, args.reviewer)
        out = Path(args.out)
        if not out.parent.is_dir():
            raise Refused(f"{out.parent}: no such directory")
        n = export(project.db, out, args.format, wide=args.wide, reviewer_id=reviewer_id, memos=not args.no_memo)
        print(f"wrote {n} rows to {out}")


def cmd_open(args) -> None:
    with _open(args) as project:
        project.reviewer_id(args.reviewer)  # fail here, before the screen is taken over
    from .tui.app import run

    run(Path(args.project), args.reviewer)


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- parser -----------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, func, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        p.add_argument("project", metavar="PROJECT", help="the project directory")
        return p

    p = command("init", cmd_init, "create a project directory with project.yaml and an empty database")
    p.add_argument("--title")
    p.add_argument("--question", help="the review question")
    p.add_argument("--reviewer", action="append", default=[], metavar="NAME", help="a reviewer (repeat for more)")

    p = command("import", cmd_import, "import study records (all files in one transaction)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--format", default="auto", choices=("auto", "txt", "json", "csv", "ris", "medline"))
    p.add_argument("--map", action="append", metavar="FIELD=COLUMN",
                   help="CSV: read FIELD (title, authors, year, doi, abstract, journal) from COLUMN")
    p.add_argument("--reviewer", metavar="NAME", help="who imports (recorded in the event log)")
    p.add_argument("--title")
    p.add_argument("--authors", action="append", metavar="NAME", help="an author (repeat for more)")
    p.add_argument("--year", type=int)
    p.add_argument("--doi")
    p.add_argument("--journal")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    command("build", cmd_build, "import the sources listed in project.yaml that are not imported yet")

    p = command("studies", cmd_studies, "list the studies in study order with their codings")
    p.add_argument("--reviewer", metavar="NAME", help="also show this reviewer's status")
    p.add_argument("--json", action="store_true")

    p = command("code", cmd_code, "code a span of a study's text with a construct")
    p.add_argument("--study", required=True, metavar="ID", help="study id, DOI or unique title start")
    p.add_argument("--start", required=True, type=int, metavar="N", help="first code point (0-based)")
    p.add_argument("--end", required=True, type=int, metavar="M", help="code point after the last (exclusive)")
    p.add_argument("--construct", required=True, metavar="LABEL")
    p.add_argument("--order", choices=("1", "2", "3"), help="needed when the construct is new")
    p.add_argument("--parent", metavar="LABEL", help="parent construct, for a new construct")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p.add_argument("--json", action="store_true")

    p = command("codings", cmd_codings, "list live codings in study order")
    p.add_argument("--reviewer", metavar="NAME")
    p.add_argument("--study", metavar="ID")
    p.add_argument("--json", action="store_true")

    p = command("uncode", cmd_uncode, "remove a coding (it is kept, marked removed, in the log)")
    p.add_argument("--coding", required=True, type=int, metavar="ID")
    p.add_argument("--reviewer", metavar="NAME", help="who removes it (default: the coding's reviewer)")

    p = command("status", cmd_status, "set a reviewer's progress on a study")
    p.add_argument("--study", required=True, metavar="ID")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p.add_argument("--set", required=True, choices=("todo", "doing", "done"))

    p = command("constructs", cmd_constructs, "list the constructs with their coding counts")
    p.add_argument("--reviewer", metavar="NAME", help="count only this reviewer's codings")
    p.add_argument("--json", action="store_true")

    p = command("open", cmd_open, "open the coding workbench (TUI)")
    p.add_argument("--reviewer", required=True, metavar="NAME")

    export = sub.add_parser("export", help="export tables").add_subparsers(dest="what", required=True,
                                                                           metavar="WHAT")
    p = export.add_parser("matrix", help="the construct matrix: one row per coded span, or --wide")
    p.set_defaults(func=cmd_export_matrix)
    p.add_argument("project", metavar="PROJECT")
    p.add_argument("--format", required=True, choices=("csv", "md"))
    p.add_argument("--wide", action="store_true", help="studies x constructs with counts")
    p.add_argument("--reviewer", metavar="NAME", help="only this reviewer's codings")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--no-memo", action="store_true", help="long form: leave out the memo column")
    from .cli_restructure import add_restructure_commands; add_restructure_commands(sub)  # noqa: E702
    from .cli_codebook import add_codebook_commands; add_codebook_commands(sub)  # noqa: E702
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except REFUSALS as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
