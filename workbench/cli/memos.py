"""``workbench memo set|list|export`` and ``workbench export memos``: memos on the project, a
study, a construct or a coding, one per reviewer per target."""
from __future__ import annotations

import sys
from pathlib import Path

from ..core.errors import WorkbenchError
from .options import (add_json, add_reviewer, command, construct, export_command, group, open_project, out_file,
                      reviewer_or_none, study_id, whole_number)
from .output import clip, plural, print_json, wrote


def _target(project, args) -> tuple[str, int | None]:
    given = [k for k in ("study", "construct", "coding") if getattr(args, k) is not None] + (
        ["project"] if args.on_project else [])
    if len(given) != 1:
        raise WorkbenchError("give one of --project, --study ID, --construct NAME or --coding ID")
    kind = given[0]
    if kind == "project":
        return kind, None
    if kind == "study":
        return kind, study_id(project, args.study)
    if kind == "construct":
        return kind, construct(project, args.construct).id
    return kind, whole_number(args.coding, "--coding")


def cmd_memo_set(args) -> None:
    from ..store.memos import describe_target, set_memo

    if (args.text is None) == (args.file is None):
        raise WorkbenchError("give the memo's text with --text T or --file F (empty text removes the memo)")
    if args.file is not None:
        path = Path(args.file)
        try:
            text = sys.stdin.read() if args.file == "-" else path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise WorkbenchError(f"{path}: no such file") from None
        except UnicodeDecodeError:
            raise WorkbenchError(f"{path}: not UTF-8 text") from None
    else:
        text = args.text
    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        kind, target = _target(project, args)
        memo = set_memo(project.db, kind, target, reviewer_id, text)
        where = describe_target(project.db, kind, target)
        if memo.removed_at:
            print(f"removed {args.reviewer}'s memo on {where}")
        else:
            print(f"{args.reviewer}'s memo on {where}: {clip(memo.text, 60)!r}")


def cmd_memo_list(args) -> None:
    from ..store.memos import all_memos, describe_target

    with open_project(args) as project:
        memos = all_memos(project.db, args.kind, reviewer_or_none(project, args.reviewer))
        rows = [{"id": m.id, "target_kind": m.target_kind, "target_id": m.target_id,
                 "target": describe_target(project.db, m.target_kind, m.target_id), "reviewer": m.reviewer,
                 "text": m.text, "created_at": m.created_at, "updated_at": m.updated_at} for m in memos]
        if args.json:
            print_json(rows)
            return
        for r in rows:
            print(f"{r['id']:>5}  {clip(r['target'], 40):<40}  {r['reviewer']:<8}  {clip(r['text'], 60)}")


def cmd_memo_export(args) -> None:
    from ..interop.memos_markdown import export_markdown

    out = out_file(args.out)
    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        n = export_markdown(project.db, out, who, title=project.settings.title)
        wrote(out, f"wrote {plural(n, 'memo')} to {out}")


def register(commands, exports) -> None:
    actions = group(commands, "memo", "write, list and export memos",
                    "Memos on the project, a study, a construct or a coding; one per reviewer per target.")
    p = command(actions, "set", cmd_memo_set, "create or replace your memo on a target (empty text removes it)")
    p.add_argument("--project", dest="on_project", action="store_true", help="the project memo")
    p.add_argument("--study", metavar="ID", help="study id, DOI or unique title start")
    p.add_argument("--construct", metavar="NAME")
    p.add_argument("--coding", metavar="ID")
    add_reviewer(p, required=True)
    p.add_argument("--text", metavar="T")
    p.add_argument("--file", metavar="F", help="read the text from F (- for standard input)")

    p = command(actions, "list", cmd_memo_list, "list the live memos")
    add_reviewer(p, "only this reviewer's")
    p.add_argument("--kind", choices=("project", "study", "construct", "coding"))
    add_json(p)

    p = command(actions, "export", cmd_memo_export, "write the memos as Markdown")
    p.add_argument("--out", required=True, metavar="FILE")
    add_reviewer(p, "only this reviewer's")

    p = export_command(exports, "memos", cmd_memo_export, "the memos as Markdown (the same as `memo export`)", ("md",))
    add_reviewer(p, "only this reviewer's")
