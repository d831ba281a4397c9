"""``workbench export matrix``: the construct matrix, long (one row per coded span) or wide."""
from __future__ import annotations

from .options import add_all_reviewers, add_reviewer, export_command, hidden_from, open_project, out_file, reviewer_or_none
from .output import wrote


def cmd_export_matrix(args) -> None:
    from ..interop.matrix import export

    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        out = out_file(args.out)
        n = export(project.db, out, args.format, wide=args.wide, reviewer_id=who, memos=not args.no_memo,
                   hidden=hidden_from(project, who, args).constructs)
        wrote(out, f"wrote {n} rows to {out}")


def register(commands, exports) -> None:
    p = export_command(exports, "matrix", cmd_export_matrix,
                       "the construct matrix: one row per coded span, or --wide", ("csv", "md"))
    p.add_argument("--wide", action="store_true", help="studies x constructs with counts")
    add_reviewer(p, "only this reviewer's codings, and (wide) only the constructs this reviewer sees coding blind")
    add_all_reviewers(p)
    p.add_argument("--no-memo", action="store_true", help="long form: leave out the memo column")
