"""``workbench codebook validate|load|export`` and ``workbench export codebook``: codebooks as YAML
(docs/codebook.md) or REFI-QDA ``.qdc`` files.

YAML, XML and the store modules are imported inside the commands, so the start-up of every other
command pays nothing for them.
"""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from typing import Iterator

from ..core.errors import WorkbenchError
from .options import (add_all_reviewers, add_json, add_reviewer, command, export_command, group, hidden_from,
                      open_project, out_file, reviewer_or_none)
from .output import print_json, wrote


@contextmanager
def checked() -> Iterator[None]:
    """Print every problem of a refused codebook, one ``file:line:column: message`` per line, and
    end the command with one line that counts them."""
    from ..core.codebook import CodebookError

    try:
        yield
    except CodebookError as exc:
        for line in exc.lines():
            print(line, file=sys.stderr)
        n = len(exc.problems)
        raise WorkbenchError(f"{exc.file}: {n} problem{'s' if n != 1 else ''} found; nothing was loaded") from None


def cmd_validate(args) -> None:
    from ..core.codebook import summary
    from ..interop.codebook_files import validate_file

    with checked():
        codebook, kind = validate_file(args.file, args.order)
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
    from ..core.codebook import CodebookError, order_label
    from ..interop.codebook_files import read_file
    from ..store.codebook import load

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer) if args.reviewer else None
        with checked():
            codebook, kind, problems = read_file(args.file, args.order)
            if codebook is None:
                raise CodebookError(str(args.file), problems)
            report = load(project.db, codebook, str(args.file), reviewer_id, kind, dry_run=args.dry_run,
                          problems=problems)
        if args.json:
            print_json({**report.as_dict(), "dry_run": args.dry_run})
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


def _export(project_dir: str, out_path: str, fmt: str | None, args) -> None:
    from ..core.codebook import summary
    from ..interop.codebook_files import export_file

    out = out_file(out_path)
    if str(out).lower().endswith(".qdpx"):
        raise WorkbenchError(f"{out}: a .qdpx is a whole REFI-QDA project; a codebook is exported as .qdc or .yaml")
    with open_project(argparse.Namespace(project=project_dir)) as project:
        who = reviewer_or_none(project, args.reviewer)
        codebook, kind = export_file(project.db, out, project.settings.title, fmt, hidden_from(project, who, args))
        wrote(out, f"wrote {'REFI-QDA codebook' if kind == 'qdc' else 'codebook'} {out}: {summary(codebook)}")


def cmd_export(args) -> None:
    """``codebook export PROJECT FILE``: the format follows the file name."""
    _export(args.project, args.file, None, args)


def cmd_export_codebook(args) -> None:
    """``export codebook PROJECT --format yaml|qdc --out FILE``."""
    _export(args.project, args.out, args.format, args)


def _order(value: str) -> int:
    if value not in ("1", "2", "3"):
        raise argparse.ArgumentTypeError("give 1, 2 or 3")
    return int(value)


def register(commands, exports) -> None:
    actions = group(commands, "codebook", "check, load and export codebooks (YAML or REFI-QDA .qdc)",
                    "Codebooks as YAML (docs/codebook.md) or REFI-QDA .qdc files.")
    p = command(actions, "validate", cmd_validate, "check a codebook file; every problem with file:line:column",
                project=False)
    p.description = "Check a codebook file (YAML or .qdc) and list every problem found."
    p.add_argument("file", metavar="FILE")
    p.add_argument("--order", type=_order, metavar="N", help=".qdc: the order (1, 2 or 3) of every construct")

    p = command(actions, "load", cmd_load, "load a codebook into a project (merges by name; all or nothing)")
    p.description = ("Load a codebook into a project: new constructs are added, changed fields of existing ones "
                     "updated (matched by name, ignoring case); nothing is deleted. All or nothing.")
    p.add_argument("file", metavar="FILE", help="a YAML codebook or a REFI-QDA .qdc")
    add_reviewer(p, "who loads it (recorded with the new constructs and the event; only a load with a reviewer "
                    "can be undone)")
    p.add_argument("--order", type=_order, metavar="N",
                   help=".qdc: the order (1, 2 or 3) of every imported construct (default: the 'Order:' "
                        "line of each description, else 3)")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    add_json(p)

    p = command(actions, "export", cmd_export, "write the project's constructs as a codebook (.yaml, or .qdc)")
    p.description = ("Write the project's constructs to FILE: REFI-QDA for a .qdc name, YAML otherwise. The same "
                     "constructs always give the same bytes.")
    p.add_argument("file", metavar="FILE")
    _blind_options(p)

    _blind_options(export_command(exports, "codebook", cmd_export_codebook,
                                  "the project's constructs as a codebook: YAML (docs/codebook.md) or REFI-QDA .qdc",
                                  ("yaml", "qdc")))


def _blind_options(p) -> None:
    add_reviewer(p, "only the constructs and links this reviewer sees coding blind (the shared codebook and their "
                    "own)")
    add_all_reviewers(p)
