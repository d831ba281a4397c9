"""``workbench dump``, ``restore`` and ``backup``: a project as JSON Lines for git, and back; a safe
copy of a database a reviewer may be writing to."""
from __future__ import annotations

from pathlib import Path

from .options import add_json, command, open_project
from .output import print_json


WORDS = {"study": "studies", "construct": "constructs", "coding": "codings", "memo": "memos", "event": "events"}


def _total(counts: dict[str, int]) -> str:
    """What a dump holds, in words: "5 studies, 23 constructs, ... and the rows of 12 more tables"."""
    held = ", ".join(f"{counts.get(t, 0)} {word}" for t, word in WORDS.items())
    return f"{held} and the rows of {len(set(counts) - set(WORDS))} more tables"


def cmd_dump(args) -> None:
    from ..interop.files import check_target
    from ..store import dump
    from ..store.project import PROJECT_FILE

    out = Path(args.out)
    if out.suffix == ".jsonl":
        check_target(out)  # never over the project's own files
    with open_project(args) as project:
        settings = (project.root / PROJECT_FILE).read_text(encoding="utf-8")
        counts = dump.dump(project.db, settings, out)
    if args.json:
        print_json({"out": str(out), "rows": counts})
    else:
        print(f"dumped {_total(counts)} to {out}")


def cmd_restore(args) -> None:
    from ..store import dump
    from ..store.project import Project

    counts = dump.restore(Path(args.dump), Path(args.project))
    with Project.open(args.project):  # brings an older dump's schema up to date
        pass
    if args.json:
        print_json({"project": args.project, "rows": counts})
    else:
        print(f"restored {_total(counts)} into {args.project}")


def cmd_backup(args) -> None:
    from ..interop.files import check_target
    from ..store import dump

    check_target(args.file)
    with open_project(args) as project:
        held = dump.backup(project.db, Path(args.file))
    if args.json:
        print_json({"file": args.file, **held})
    else:
        print(f"backed up {held['study']} studies, {held['coding']} codings and {held['memo']} memos to "
              f"{args.file} ({held['bytes'] / 1e6:.1f} MB); SQLite's integrity check passed")


def register(commands, exports) -> None:
    p = command(commands, "dump", cmd_dump, "write the whole project as JSON Lines in a stable order (for git): "
                "one .jsonl file, or a directory of one file per table")
    p.add_argument("--out", required=True, metavar="FILE.jsonl|DIR")
    add_json(p)
    p = command(commands, "restore", cmd_restore, "make a new project from a dump", project=False)
    p.add_argument("dump", metavar="DUMP", help="a .jsonl dump or a dump directory")
    p.add_argument("project", metavar="PROJECT", help="the new project directory")
    add_json(p)
    p = command(commands, "backup", cmd_backup, "copy the project database safely, even while someone codes")
    p.add_argument("file", metavar="FILE")
    add_json(p)
