"""``workbench merge PROJECT OTHER``: bring another copy's work (a reviewer's laptop) into this one."""
from __future__ import annotations

from ..core.errors import WorkbenchError
from .options import add_json, add_reviewer, command, open_project
from .output import print_json


def _listed(counts: dict[str, int]) -> str:
    from ..store.merging import KINDS
    from ..store.words import plural

    parts = [f"{n} status{'es' if n != 1 else ''}" if kind == "statuses" else plural(n, KINDS[kind])
             for kind, n in counts.items() if n]
    return ", ".join(parts) if parts else "nothing"


def cmd_merge(args) -> None:
    from ..store.merging import DB_FILE, merge

    if args.reviewer is None and not args.dry_run:
        raise WorkbenchError("say who merges with --reviewer NAME: the merge is one step on their undo stack "
                             "(`workbench undo --reviewer NAME` takes it back)")
    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer) if args.reviewer is not None else None
        report = merge(project.db, args.other, who, dry_run=args.dry_run, here=project.root / DB_FILE)
    if args.json:
        print_json(report.as_json())
        return
    verb = "would bring" if args.dry_run else "brought"
    print(f"{'dry run, nothing written: ' if args.dry_run else ''}merging {args.other} into {args.project}")
    print(f"  {verb} in: {_listed(report.brought)}")
    print(f"  already here: {_listed(report.already)}")
    if report.parted_at is None:
        print("  the copies share no history: every difference in a status, memo or judgement is a conflict")
    for note in report.notes:
        print(f"  note: {note}")
    if report.conflicts:
        print(f"{len(report.conflicts)} conflict{'s' if len(report.conflicts) != 1 else ''} "
              "(this project's side kept):")
        for clash in report.conflicts:
            print(f"  - {clash.message}")
    if report.event_id is not None:
        print(f"one step: `workbench undo {args.project} --reviewer {args.reviewer}` takes the whole merge back")


def register(commands, exports) -> None:
    p = command(commands, "merge", cmd_merge,
                "bring another copy of the project (a reviewer's own copy) into this one: its reviewers, codings, "
                "statuses, memos and judgements; conflicts are reported, this project's side kept")
    p.add_argument("other", metavar="OTHER", help="the other copy's project directory (only read, never written)")
    add_reviewer(p, "who merges (the merge is one undoable step of theirs); not needed with --dry-run")
    p.add_argument("--dry-run", action="store_true", help="say what would come in, and write nothing")
    add_json(p)
