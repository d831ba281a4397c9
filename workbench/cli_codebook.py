"""``workbench codebook validate|load|export``: codebooks as YAML or REFI-QDA ``.qdc`` files.

Kept apart from cli.py and light to import: YAML, XML and the store modules are imported inside the
commands, so the start-up of every other command pays nothing for them.
"""
from __future__ import annotations

import argparse
import sys


def _refuse(exc) -> Exception:
    """Print every problem of a CodebookError, one per line, and return the refusal that ends the command."""
    from .cli import Refused

    for line in exc.lines():
        print(line, file=sys.stderr)
    n = len(exc.problems)
    return Refused(f"{exc.file}: {n} problem{'s' if n != 1 else ''} found; nothing was loaded")


def cmd_validate(args) -> None:
    from .core.codebook import CodebookError, summary
    from .store.codebook import validate_file

    try:
        codebook, kind = validate_file(args.file, args.order)
    except CodebookError as exc:
        raise _refuse(exc) from None
    print(f"{args.file}: valid {'REFI-QDA codebook' if kind == 'qdc' else 'codebook'} "
          f"{codebook.title!r}: {summary(codebook)}")
    for note in codebook.notes:
        print(f"  note: {note}")


def _show(value) -> str:
    if value is None or value == "":
        return "(none)"
    text = " ".join(str(value).split())
    return repr(text if len(text) <= 60 else text[:59] + "…")


def cmd_load(args) -> None:
    from .cli import _open, _print_json
    from .core.codebook import CodebookError, order_label
    from .store.codebook import load, read_file

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer) if args.reviewer else None
        try:
            codebook, kind, problems = read_file(args.file, args.order)
            if codebook is None:
                raise CodebookError(str(args.file), problems)
            report = load(project.db, codebook, str(args.file), reviewer_id, kind, dry_run=args.dry_run,
                          problems=problems)
        except CodebookError as exc:
            raise _refuse(exc) from None
        if args.json:
            _print_json({**report.as_dict(), "dry_run": args.dry_run})
            return
        verb = "would load" if args.dry_run else "loaded"
        print(f"{verb} {args.file}: {len(report.added)} added, {len(report.changed)} changed, "
              f"{len(report.unchanged)} unchanged")
        for e in report.added:
            under = f" under {e.parent!r}" if e.parent else ""
            links = "".join(f", {k} {t!r}" for k, t in e.links or ())
            print(f"  added      {e.order} {e.name}{under}{links}")
        for c in report.changed:
            print(f"  changed    {c.name}")
            for attr, (old, new) in c.fields.items():
                if attr == "links":
                    print(f"               links: + {', '.join(new)}")
                elif attr == "order":
                    print(f"               order: {order_label(old)} -> {order_label(new)}")
                else:
                    print(f"               {attr}: {_show(old)} -> {_show(new)}")
        if report.unchanged:
            import textwrap

            print(textwrap.fill(", ".join(report.unchanged), width=100, initial_indent="  unchanged  ",
                                subsequent_indent=" " * 13, break_long_words=False, break_on_hyphens=False))
        for note in report.notes:
            print(f"  note: {note}")
        if args.dry_run:
            print("dry run: nothing was written")
        elif args.reviewer:
            print(f"`workbench undo --reviewer {args.reviewer}` takes the load back")


def cmd_export(args) -> None:
    from pathlib import Path

    from .cli import Refused, _open
    from .core.codebook import CodebookError, summary
    from .store.codebook import export_file

    out = Path(args.file)
    if not out.parent.is_dir():
        raise Refused(f"{out.parent}: no such directory")
    if out.suffix.lower() == ".qdpx":
        raise Refused(f"{out}: a .qdpx is a whole REFI-QDA project; a codebook is exported as .qdc or .yaml")
    with _open(args) as project:
        try:
            codebook, kind = export_file(project.db, out, project.settings.title)
        except CodebookError as exc:
            raise Refused(str(exc)) from None
        print(f"wrote {'REFI-QDA codebook' if kind == 'qdc' else 'codebook'} {out}: {summary(codebook)}")


def add_codebook_commands(sub) -> None:
    """Add ``codebook validate|load|export`` to the ``workbench`` sub-commands ``sub``."""
    codebook = sub.add_parser("codebook", help="check, load and export codebooks (YAML or REFI-QDA .qdc)",
                              description="Codebooks as YAML (docs/codebook.md) or REFI-QDA .qdc files.")
    commands = codebook.add_subparsers(dest="what", required=True, metavar="ACTION")

    def order(value: str) -> int:
        if value not in ("1", "2", "3"):
            raise argparse.ArgumentTypeError("give 1, 2 or 3")
        return int(value)

    p = commands.add_parser("validate", help="check a codebook file; every problem with file:line:column",
                            description="Check a codebook file (YAML or .qdc) and list every problem found.")
    p.set_defaults(func=cmd_validate)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--order", type=order, metavar="N", help=".qdc: the order (1, 2 or 3) of every construct")

    p = commands.add_parser("load", help="load a codebook into a project (merges by name; all or nothing)",
                            description="Load a codebook into a project: new constructs are added, changed "
                                        "fields of existing ones updated (matched by name, ignoring case); "
                                        "nothing is deleted. All or nothing.")
    p.set_defaults(func=cmd_load)
    p.add_argument("project", metavar="PROJECT", help="the project directory")
    p.add_argument("file", metavar="FILE", help="a YAML codebook or a REFI-QDA .qdc")
    p.add_argument("--reviewer", metavar="NAME", help="who loads it (recorded with the new constructs and the event; "
                        "only a load with a reviewer can be undone)")
    p.add_argument("--order", type=order, metavar="N",
                   help=".qdc: the order (1, 2 or 3) of every imported construct (default: the 'Order:' "
                        "line of each description, else 3)")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")

    p = commands.add_parser("export", help="write the project's constructs as a codebook (.yaml, or .qdc)",
                            description="Write the project's constructs to FILE: REFI-QDA for a .qdc name, "
                                        "YAML otherwise. The same constructs always give the same bytes.")
    p.set_defaults(func=cmd_export)
    p.add_argument("project", metavar="PROJECT", help="the project directory")
    p.add_argument("file", metavar="FILE")
