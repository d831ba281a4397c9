"""``workbench undo``, ``redo`` and ``history``: a reviewer's undo stack, read from the event log."""
from __future__ import annotations

from ..core.errors import WorkbenchError
from .options import add_json, add_reviewer, command, open_project
from .output import print_json


def _undo_or_redo(args, redo: bool) -> None:
    from ..store import undo as u

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        result = (u.redo if redo else u.undo)(project.db, reviewer_id)
        if result is None:
            raise WorkbenchError(f"nothing to {'redo' if redo else 'undo'} for {args.reviewer}")
        print(f"{'redid' if redo else 'undid'} {result.description}")


def cmd_undo(args) -> None:
    _undo_or_redo(args, redo=False)


def cmd_redo(args) -> None:
    _undo_or_redo(args, redo=True)


def cmd_history(args) -> None:
    from ..store.undo import history

    with open_project(args) as project:
        entries = history(project.db, project.reviewer_id(args.reviewer), args.limit)
        if args.json:
            print_json([{"event": e.event_id, "at": e.at, "action": e.action, "description": e.description,
                          "undone": e.undone} for e in entries])
            return
        for e in entries:
            print(f"{e.event_id:>6}  {e.at[:19].replace('T', ' ')}  {e.action:<22}  {e.description}"
                  + ("  [undone]" if e.undone else ""))


def register(commands, exports) -> None:
    p = command(commands, "undo", cmd_undo, "undo your most recent coding, restructuring or memo change")
    add_reviewer(p, required=True)
    p = command(commands, "redo", cmd_redo, "redo what you last undid (if you have done nothing since)")
    add_reviewer(p, required=True)
    p = command(commands, "history", cmd_history, "your recent undoable actions, newest first")
    add_reviewer(p, required=True)
    p.add_argument("--limit", type=int, default=20, metavar="N")
    add_json(p)
