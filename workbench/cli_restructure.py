"""``workbench construct rename|edit|merge|move|order|delete|link|unlink``, ``memo set|list|export``,
``undo``, ``redo``, ``history`` and ``search``: restructuring the codebook, memos, undo from the
event log, full-text search. Every change is one transaction and one event; a refusal exits 1 and writes nothing.

Kept apart from cli.py and light to import: the store modules are imported inside the commands.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def _refusals():
    """Turn this module's store errors into the CLI's refusal (exit 1, message on stderr)."""
    from .cli import Refused
    from .store.memos import MemoError
    from .store.search import SearchError
    from .store.undo import UndoError

    try:
        yield
    except (MemoError, SearchError, UndoError) as exc:
        raise Refused(str(exc)) from None


def _open(args):
    from .store.project import Project

    return Project.open(args.project)


def _construct(project, name: str):
    """The construct called ``name`` (any case), or with id ``name``; a refusal suggests near names."""
    import difflib

    from .cli import Refused
    from .store import constructs

    found = constructs.by_name(project.db, name)
    if found is None and name.strip().isdigit():
        try:
            found = constructs.get(project.db, int(name))
        except ValueError:
            found = None
    if found is None:
        names = [c.name for c in constructs.all_constructs(project.db)]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else "; see `workbench constructs`"
        raise Refused(f"no construct called {name!r}{hint}")
    return found


def _print_json(value) -> None:
    from .cli import _print_json as print_json

    print_json(value)


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --- construct ... ------------------------------------------------------------------------------------

def cmd_rename(args) -> None:
    from .store.restructure import rename

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        old = _construct(project, args.name)
        new = rename(project.db, old.id, args.new, reviewer_id)
        print(f"renamed {old.name!r} to {new.name!r} (construct {new.id})")


def cmd_edit(args) -> None:
    from .cli import Refused
    from .store.restructure import EDITABLE, edit

    values = {k: getattr(args, k) for k in EDITABLE if getattr(args, k) is not None}
    if not values:
        raise Refused("give at least one of --definition, --when-to-use, --when-not-to-use, --example, --colour")
    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        found = _construct(project, args.name)
        edited = edit(project.db, found.id, values, reviewer_id)
        changed = [k for k in EDITABLE if getattr(edited, k) != getattr(found, k)]
        print(f"edited {edited.name!r}: {', '.join(k.replace('_', ' ') for k in changed)}")


def _describe_merge(project, report) -> list[str]:
    names = {v: k for k, v in project.reviewers().items()}
    live = sum(report.live_by_reviewer.values())
    per = ", ".join(f"{names.get(r, r)} {n}" for r, n in
                    sorted(report.live_by_reviewer.items(), key=lambda i: str(names.get(i[0]))))
    removed = len(report.codings_moved) - live - len(report.collapsed)
    lines = [f"  {_plural(live, 'live coding')} moved" + (f" ({per})" if per else "")
             + (f", and {_plural(removed, 'removed coding')}" if removed else "")]
    for source_coding, kept in report.collapsed:
        lines.append(f"  coding {source_coding} is identical to coding {kept} of {report.target.name!r}: "
                     "marked removed, not duplicated")
    if report.children_moved:
        lines.append(f"  {_plural(len(report.children_moved), 'construct')} moved under {report.target.name!r}")
    if report.links_moved:
        lines.append(f"  {_plural(len(report.links_moved), 'link')} moved")
    if report.links_dropped:
        from .store.constructs import all_constructs

        called = {c.id: c.name for c in all_constructs(project.db)} | {report.source.id: report.source.name}
        for from_id, to_id, kind in report.links_dropped:
            lines.append(f"  link {called.get(from_id, from_id)!r} {kind} {called.get(to_id, to_id)!r} dropped: "
                         f"{report.target.name!r} has it already")
    if report.memos_moved:
        lines.append(f"  {_plural(len(report.memos_moved), 'memo')} moved")
    if report.memos_combined:
        lines.append(f"  {_plural(len(report.memos_combined), 'memo')} appended to the same reviewer's memo "
                     f"on {report.target.name!r}")
    return lines


def cmd_merge(args) -> None:
    from .store.restructure import merge

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        source = _construct(project, args.source)
        target = _construct(project, args.target)
        report = merge(project.db, source.id, target.id, reviewer_id, allow_order_change=args.allow_order_change)
        if args.json:
            _print_json({"source": source.name, "target": target.name, "codings_moved": report.codings_moved,
                         "collapsed": report.collapsed, "children_moved": report.children_moved,
                         "links_moved": report.links_moved, "links_dropped": report.links_dropped,
                         "memos_moved": report.memos_moved, "memos_combined": report.memos_combined,
                         "event": report.event_id})
            return
        print(f"merged {source.name!r} into {target.name!r}; {source.name!r} is retired "
              f"(`workbench undo` puts it back)")
        for line in _describe_merge(project, report):
            print(line)


def cmd_move(args) -> None:
    from .cli import Refused
    from .store.restructure import move

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        child = _construct(project, args.name)
        if args.top == (args.parent is not None):
            raise Refused("give either --parent NAME or --top")
        parent = None if args.top else _construct(project, args.parent)
        moved = move(project.db, child.id, parent.id if parent else None, reviewer_id)
        print(f"moved {moved.name!r} " + (f"under {parent.name!r}" if parent else "to the top level"))


def cmd_order(args) -> None:
    from .core.constructs import ORDERS
    from .store.restructure import change_order

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        found = _construct(project, args.name)
        changed = change_order(project.db, found.id, args.order, reviewer_id)
        print(f"{changed.name!r} is {ORDERS[changed.order]} now (was {ORDERS[found.order]})")


def cmd_delete(args) -> None:
    from .cli import Refused
    from .store.restructure import delete, preview_delete

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        found = _construct(project, args.name)
        report = (delete if args.yes else lambda db, cid, _r, rc: preview_delete(db, cid, rc))(
            project.db, found.id, reviewer_id, args.remove_codings)
        details = []
        if report.codings_removed:
            details.append(f"{_plural(len(report.codings_removed), 'live coding')} marked removed")
        if report.links_removed:
            details.append(f"{_plural(len(report.links_removed), 'link')} removed")
        if report.memos_removed:
            details.append(f"{_plural(len(report.memos_removed), 'memo')} removed")
        detail = f" ({', '.join(details)})" if details else ""
        if not args.yes:
            raise Refused(f"would delete {found.name!r}{detail}; nothing was changed: run again with --yes")
        print(f"deleted {found.name!r}{detail}; `workbench undo` puts it back")


def cmd_link(args) -> None:
    from .store.restructure import link

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        source, target = _construct(project, args.source), _construct(project, args.target)
        made = link(project.db, source.id, args.kind, target.id, reviewer_id)
        print(f"linked: {made.from_name!r} {made.kind} {made.to_name!r} (link {made.id})")


def cmd_unlink(args) -> None:
    from .cli import Refused
    from .store.restructure import links, unlink

    with _open(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        source, target = _construct(project, args.source), _construct(project, args.target)
        found = [x for x in links(project.db, source.id) if x.to_id == target.id and x.kind == args.kind]
        if not found:
            raise Refused(f"there is no link {source.name!r} {args.kind} {target.name!r}")
        gone = unlink(project.db, found[0].id, reviewer_id)
        print(f"unlinked: {gone.from_name!r} {gone.kind} {gone.to_name!r}")


# --- memo ... ------------------------------------------------------------------------------------------

def _target(project, args) -> tuple[str, int | None]:
    from .cli import Refused, _study_id

    given = [k for k in ("study", "construct", "coding") if getattr(args, k) is not None] + (
        ["project"] if args.on_project else [])
    if len(given) != 1:
        raise Refused("give one of --project, --study ID, --construct NAME or --coding ID")
    kind = given[0]
    if kind == "project":
        return kind, None
    if kind == "study":
        return kind, _study_id(project, args.study)
    if kind == "construct":
        return kind, _construct(project, args.construct).id
    return kind, args.coding


def cmd_memo_set(args) -> None:
    from .cli import Refused
    from .store.memos import describe_target, set_memo

    if (args.text is None) == (args.file is None):
        raise Refused("give the memo's text with --text T or --file F (empty text removes the memo)")
    if args.file is not None:
        path = Path(args.file)
        try:
            text = sys.stdin.read() if args.file == "-" else path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise Refused(f"{path}: no such file") from None
        except UnicodeDecodeError:
            raise Refused(f"{path}: not UTF-8 text") from None
    else:
        text = args.text
    with _open(args) as project, _refusals():
        reviewer_id = project.reviewer_id(args.reviewer)
        kind, target = _target(project, args)
        memo = set_memo(project.db, kind, target, reviewer_id, text)
        where = describe_target(project.db, kind, target)
        if memo.removed_at:
            print(f"removed {args.reviewer}'s memo {memo.id} on {where}")
        else:
            print(f"memo {memo.id} on {where} by {args.reviewer}: {_clip(memo.text, 60)!r}")


def cmd_memo_list(args) -> None:
    from .cli import _reviewer
    from .store.memos import all_memos, describe_target

    with _open(args) as project, _refusals():
        memos = all_memos(project.db, args.kind, _reviewer(project, args.reviewer))
        rows = [{"id": m.id, "target_kind": m.target_kind, "target_id": m.target_id,
                 "target": describe_target(project.db, m.target_kind, m.target_id), "reviewer": m.reviewer,
                 "text": m.text, "created_at": m.created_at, "updated_at": m.updated_at} for m in memos]
        if args.json:
            _print_json(rows)
            return
        for r in rows:
            print(f"{r['id']:>5}  {_clip(r['target'], 40):<40}  {r['reviewer']:<8}  {_clip(r['text'], 60)}")


def cmd_memo_export(args) -> None:
    from .cli import Refused, _reviewer
    from .store.memos import export_markdown

    out = Path(args.out)
    if not out.parent.is_dir():
        raise Refused(f"{out.parent}: no such directory")
    with _open(args) as project, _refusals():
        n = export_markdown(project.db, out, _reviewer(project, args.reviewer), title=project.settings.title)
        print(f"wrote {_plural(n, 'memo')} to {out}")


# --- undo, redo, history ---------------------------------------------------------------------------

def _undo_or_redo(args, redo: bool) -> None:
    from .cli import Refused
    from .store import undo as u

    with _open(args) as project, _refusals():
        reviewer_id = project.reviewer_id(args.reviewer)
        result = (u.redo if redo else u.undo)(project.db, reviewer_id)
        if result is None:
            raise Refused(f"nothing to {'redo' if redo else 'undo'} for {args.reviewer}")
        print(f"{'redid' if redo else 'undid'} {result.description} (event {result.action_event_id})")


def cmd_undo(args) -> None:
    _undo_or_redo(args, redo=False)


def cmd_redo(args) -> None:
    _undo_or_redo(args, redo=True)


def cmd_history(args) -> None:
    from .store.undo import history

    with _open(args) as project:
        entries = history(project.db, project.reviewer_id(args.reviewer), args.limit)
        if args.json:
            _print_json([{"event": e.event_id, "at": e.at, "action": e.action, "description": e.description,
                          "undone": e.undone} for e in entries])
            return
        for e in entries:
            print(f"{e.event_id:>6}  {e.at[:19].replace('T', ' ')}  {e.action:<22}  {e.description}"
                  + ("  [undone]" if e.undone else ""))


# --- search ----------------------------------------------------------------------------------------

def cmd_search(args) -> None:
    from .store.search import search

    with _open(args) as project, _refusals():
        hits = search(project.db, args.query, limit=args.limit, context=args.context)
        if args.json:
            _print_json([{"kind": h.kind, "study_id": h.study_id, "memo_id": h.memo_id, "title": h.title,
                          "start": h.start, "end": h.end, "left": h.kwic_left, "match": h.match,
                          "right": h.kwic_right} for h in hits])
            return
        if not hits:
            print(f"no matches for {args.query!r}")
            return
        lines = []
        for h in hits:
            where = f"study {h.study_id}" if h.kind == "study" else f"memo {h.memo_id}"
            match = " ".join(h.match.split())
            lines.append(f"{where} [{h.start}-{h.end}]  …{h.kwic_left}«{match}»{h.kwic_right}…\n")
        sys.stdout.write("".join(lines))


# --- parser ----------------------------------------------------------------------------------------

def add_restructure_commands(sub) -> None:
    """Add ``construct``, ``memo``, ``undo``, ``redo``, ``history`` and ``search`` to the ``workbench``
    sub-commands ``sub``."""
    def command(parent, name: str, func, help: str):
        p = parent.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        p.add_argument("project", metavar="PROJECT", help="the project directory")
        return p

    group = sub.add_parser("construct", help="rename, edit, merge, move, re-order, delete or link constructs",
                           description="Restructure the codebook without losing anything: each change is one "
                                       "transaction and one event, and `workbench undo` reverses it.")
    commands = group.add_subparsers(dest="what", required=True, metavar="ACTION")
    p = command(commands, "rename", cmd_rename, "rename a construct")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--reviewer", required=True, metavar="NAME")

    p = command(commands, "edit", cmd_edit, "set a construct's definition, guidance for coders, example or colour")
    p.add_argument("name", metavar="NAME")
    for option in ("definition", "when-to-use", "when-not-to-use", "example"):
        p.add_argument(f"--{option}", metavar="TEXT", help='"" empties it')
    p.add_argument("--colour", metavar="#RRGGBB", help='"" for none')
    p.add_argument("--reviewer", required=True, metavar="NAME")

    p = command(commands, "merge", cmd_merge, "merge SOURCE into TARGET: codings (ids kept), links, memos and "
                                              "children move; identical codings collapse; SOURCE is retired")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("target", metavar="TARGET")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p.add_argument("--allow-order-change", action="store_true",
                   help="merge into a construct of another order (its codings take the target's order)")
    p.add_argument("--json", action="store_true")

    p = command(commands, "move", cmd_move, "put a construct under another (same or higher order) or at the top")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--parent", metavar="NAME")
    p.add_argument("--top", action="store_true", help="no parent")
    p.add_argument("--reviewer", required=True, metavar="NAME")

    p = command(commands, "order", cmd_order, "make a construct first-, second- or third-order")
    p.add_argument("name", metavar="NAME")
    p.add_argument("order", metavar="N", choices=("1", "2", "3"))
    p.add_argument("--reviewer", required=True, metavar="NAME")

    p = command(commands, "delete", cmd_delete,
                "delete a construct (after its codings are merged away or removed with --remove-codings)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p.add_argument("--remove-codings", action="store_true", help="mark its live codings removed")
    p.add_argument("--yes", action="store_true", help="do it (without --yes: say what would happen, exit 1)")

    for name, func, help in (("link", cmd_link, "link SOURCE to TARGET: a first-order construct supports a "
                                                "second-order one, a second-order one interprets a third-order one"),
                             ("unlink", cmd_unlink, "remove the link SOURCE KIND TARGET")):
        p = command(commands, name, func, help)
        p.add_argument("source", metavar="SOURCE")
        p.add_argument("kind", metavar="KIND", choices=("supports", "interprets"))
        p.add_argument("target", metavar="TARGET")
        p.add_argument("--reviewer", required=True, metavar="NAME")

    group = sub.add_parser("memo", help="write, list and export memos",
                           description="Memos on the project, a study, a construct or a coding; one per "
                                       "reviewer per target.")
    commands = group.add_subparsers(dest="what", required=True, metavar="ACTION")
    p = command(commands, "set", cmd_memo_set, "create or replace your memo on a target (empty text removes it)")
    p.add_argument("--project", dest="on_project", action="store_true", help="the project memo")
    p.add_argument("--study", metavar="ID", help="study id, DOI or unique title start")
    p.add_argument("--construct", metavar="NAME")
    p.add_argument("--coding", type=int, metavar="ID")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p.add_argument("--text", metavar="T")
    p.add_argument("--file", metavar="F", help="read the text from F (- for standard input)")

    p = command(commands, "list", cmd_memo_list, "list the live memos")
    p.add_argument("--reviewer", metavar="NAME", help="only this reviewer's")
    p.add_argument("--kind", choices=("project", "study", "construct", "coding"))
    p.add_argument("--json", action="store_true")

    p = command(commands, "export", cmd_memo_export, "write the memos as Markdown")
    p.add_argument("--out", required=True, metavar="FILE")
    p.add_argument("--reviewer", metavar="NAME", help="only this reviewer's")

    p = command(sub, "undo", cmd_undo, "undo your most recent coding, restructuring or memo change")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p = command(sub, "redo", cmd_redo, "redo what you last undid (if you have done nothing since)")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p = command(sub, "history", cmd_history, "your recent undoable actions, newest first")
    p.add_argument("--reviewer", required=True, metavar="NAME")
    p.add_argument("--limit", type=int, default=20, metavar="N")
    p.add_argument("--json", action="store_true")

    p = command(sub, "search", cmd_search, "full-text search over study texts and memos, keyword in context")
    p.add_argument("query", metavar="QUERY", help='words (all must occur; stemmed), "a phrase", a prefix*, '
                                                  "or CJK text (matched as a substring)")
    p.add_argument("--limit", type=int, default=100, metavar="N")
    p.add_argument("--context", type=int, default=40, metavar="N", help="characters of context each side")
    p.add_argument("--json", action="store_true")
