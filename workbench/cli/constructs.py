"""``workbench constructs`` and ``workbench construct rename|edit|merge|move|order|delete|link|unlink``:
listing the constructs and restructuring the codebook. Every change is one transaction and one
event that ``workbench undo`` reverses; a refusal exits 1 and writes nothing."""
from __future__ import annotations

from ..core.errors import WorkbenchError
from .options import (add_all_reviewers, add_json, add_reviewer, command, construct, group, hidden_from, open_project,
                      reviewer_or_none)
from .output import plural, print_json


def _others(project, reviewer_id: int, args) -> dict[str, bool]:
    """The store's ownership switches: whether the reviewer is a lead (``leads:`` in project.yaml)
    and said ``--touching-others``."""
    return {"lead": project.is_lead(reviewer_id), "touching_others": args.touching_others}


def add_touching_others(p) -> None:
    p.add_argument("--touching-others", action="store_true",
                   help="for a lead (leads: in project.yaml): go ahead although other reviewers coded with it")


def cmd_constructs(args) -> None:
    from ..store import codings, constructs, restructure

    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        counts = constructs.counts(project.db, who)
        by_reviewer = codings.counts_by_reviewer(project.db)
        reviewers = {v: k for k, v in project.reviewers().items() if who is None or v == who}
        hidden = hidden_from(project, who, args)
        items = [c for c in constructs.all_constructs(project.db) if c.id not in hidden.constructs]
        names = {c.id: c.name for c in items}
        links: dict[int, list[dict]] = {}
        for link in restructure.links(project.db):
            if link.id not in hidden.links:
                links.setdefault(link.from_id, []).append({"kind": link.kind, "to": link.to_name})
        found = [{"id": c.id, "name": c.name, "order": c.order, "parent": names.get(c.parent_id),
                  "definition": c.definition, "codings": counts.get(c.id, 0),
                  "by_reviewer": {reviewers[r]: n for r, n in sorted(by_reviewer.get(c.id, {}).items(),
                                                                     key=lambda i: reviewers.get(i[0], ""))
                                  if r in reviewers},
                  "links": links.get(c.id, [])}
                 for c in items]
        if args.json:
            print_json(found)
            return
        for c in found:
            under = f"  (under {c['parent']})" if c["parent"] else ""
            linked = "".join(f"; {x['kind']} {x['to']}" for x in c["links"])
            print(f"{c['id']:>5}  {c['order']}  {c['name']}{under}  {c['codings']} codings{linked}")


def cmd_rename(args) -> None:
    from ..store.restructure import rename

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        old = construct(project, args.name)
        new = rename(project.db, old.id, args.new, reviewer_id, **_others(project, reviewer_id, args))
        print(f"renamed {old.name!r} to {new.name!r}")


def cmd_edit(args) -> None:
    from ..store.restructure import EDITABLE, edit

    values = {k: getattr(args, k) for k in EDITABLE if getattr(args, k) is not None}
    if not values:
        raise WorkbenchError("give at least one of --definition, --when-to-use, --when-not-to-use, --example, --colour")
    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        found = construct(project, args.name)
        edited = edit(project.db, found.id, values, reviewer_id)
        changed = [k for k in EDITABLE if getattr(edited, k) != getattr(found, k)]
        print(f"edited {edited.name!r}: {', '.join(k.replace('_', ' ') for k in changed)}")


def _describe_merge(project, report) -> list[str]:
    names = {v: k for k, v in project.reviewers().items()}
    live = sum(report.live_by_reviewer.values())
    per = ", ".join(f"{names.get(r, r)} {n}" for r, n in
                    sorted(report.live_by_reviewer.items(), key=lambda i: str(names.get(i[0]))))
    removed = len(report.codings_moved) - live - len(report.collapsed)
    lines = [f"  {plural(live, 'live coding')} moved" + (f" ({per})" if per else "")
             + (f", and {plural(removed, 'removed coding')}" if removed else "")]
    if report.collapsed:
        from ..store.words import coding_words

        for source_coding, _kept in report.collapsed:
            lines.append(f"  {coding_words(project.db, source_coding, owner=True)} was there twice: the copy "
                         f"from {report.source.name!r} is marked removed, not duplicated")
    if report.children_moved:
        lines.append(f"  {plural(len(report.children_moved), 'construct')} moved under {report.target.name!r}")
    if report.links_moved:
        lines.append(f"  {plural(len(report.links_moved), 'link')} moved")
    if report.links_dropped:
        from ..store.constructs import all_constructs

        called = {c.id: c.name for c in all_constructs(project.db)} | {report.source.id: report.source.name}
        for from_id, to_id, kind in report.links_dropped:
            lines.append(f"  link {called.get(from_id, from_id)!r} {kind} {called.get(to_id, to_id)!r} dropped: "
                         f"{report.target.name!r} has it already")
    if report.memos_moved:
        lines.append(f"  {plural(len(report.memos_moved), 'memo')} moved")
    if report.memos_combined:
        lines.append(f"  {plural(len(report.memos_combined), 'memo')} appended to the same reviewer's memo "
                     f"on {report.target.name!r}")
    return lines


def cmd_merge(args) -> None:
    from ..store.restructure import merge

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        source = construct(project, args.source)
        target = construct(project, args.target)
        report = merge(project.db, source.id, target.id, reviewer_id, allow_order_change=args.allow_order_change,
                       **_others(project, reviewer_id, args))
        if args.json:
            print_json({"source": source.name, "target": target.name, "codings_moved": report.codings_moved,
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
    from ..store.restructure import move

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        child = construct(project, args.name)
        if args.top == (args.parent is not None):
            raise WorkbenchError("give either --parent NAME or --top")
        parent = None if args.top else construct(project, args.parent)
        moved = move(project.db, child.id, parent.id if parent else None, reviewer_id,
                     **_others(project, reviewer_id, args))
        print(f"moved {moved.name!r} " + (f"under {parent.name!r}" if parent else "to the top level"))


def cmd_order(args) -> None:
    from ..core.constructs import ORDERS
    from ..store.restructure import change_order

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        found = construct(project, args.name)
        changed = change_order(project.db, found.id, args.order, reviewer_id, **_others(project, reviewer_id, args))
        print(f"{changed.name!r} is {ORDERS[changed.order]} now (was {ORDERS[found.order]})")


def cmd_delete(args) -> None:
    from ..store.restructure import delete, preview_delete
    from ..store.words import whose

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        found = construct(project, args.name)
        others = _others(project, reviewer_id, args)
        if args.yes:
            report = delete(project.db, found.id, reviewer_id, args.remove_codings, **others)
        else:
            report = preview_delete(project.db, found.id, args.remove_codings, reviewer_id, **others)
        details = []
        if report.codings_removed:
            details.append(f"{plural(len(report.codings_removed), 'live coding')} marked removed"
                           + (f", other reviewers' among them: {whose(report.others)}" if report.others else ""))
        if report.links_removed:
            details.append(f"{plural(len(report.links_removed), 'link')} removed")
        if report.memos_removed:
            details.append(f"{plural(len(report.memos_removed), 'memo')} removed")
        detail = f" ({', '.join(details)})" if details else ""
        if not args.yes:
            raise WorkbenchError(f"would delete {found.name!r}{detail}; nothing was changed: run again with --yes")
        print(f"deleted {found.name!r}{detail}; `workbench undo` puts it back")


def cmd_link(args) -> None:
    from ..store.restructure import link

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        source, target = construct(project, args.source), construct(project, args.target)
        made = link(project.db, source.id, args.kind, target.id, reviewer_id)
        print(f"linked: {made.from_name!r} {made.kind} {made.to_name!r}")


def cmd_unlink(args) -> None:
    from ..store.restructure import links, unlink

    with open_project(args) as project:
        reviewer_id = project.reviewer_id(args.reviewer)
        source, target = construct(project, args.source), construct(project, args.target)
        found = [x for x in links(project.db, source.id) if x.to_id == target.id and x.kind == args.kind]
        if not found:
            raise WorkbenchError(f"there is no link {source.name!r} {args.kind} {target.name!r}")
        gone = unlink(project.db, found[0].id, reviewer_id)
        print(f"unlinked: {gone.from_name!r} {gone.kind} {gone.to_name!r}")


def register(commands, exports) -> None:
    p = command(commands, "constructs", cmd_constructs, "list the constructs with their coding counts")
    add_reviewer(p, "count only this reviewer's codings, and list only the constructs this reviewer sees coding "
                    "blind (the shared codebook and their own)")
    add_all_reviewers(p)
    add_json(p)

    actions = group(commands, "construct", "rename, edit, merge, move, re-order, delete or link constructs",
                    "Restructure the codebook without losing anything: each change is one transaction and one "
                    "event, and `workbench undo` reverses it.")
    p = command(actions, "rename", cmd_rename, "rename a construct")
    p.add_argument("name", metavar="NAME")
    p.add_argument("new", metavar="NEW")
    add_reviewer(p, required=True)
    add_touching_others(p)

    p = command(actions, "edit", cmd_edit, "set a construct's definition, guidance for coders, example or colour")
    p.add_argument("name", metavar="NAME")
    for option in ("definition", "when-to-use", "when-not-to-use", "example"):
        p.add_argument(f"--{option}", metavar="TEXT", help='"" empties it')
    p.add_argument("--colour", metavar="#RRGGBB", help='"" for none')
    add_reviewer(p, required=True)

    p = command(actions, "merge", cmd_merge, "merge SOURCE into TARGET: codings (ids kept), links, memos and "
                                              "children move; identical codings collapse; SOURCE is retired")
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("target", metavar="TARGET")
    add_reviewer(p, required=True)
    p.add_argument("--allow-order-change", action="store_true",
                   help="merge into a construct of another order (its codings take the target's order)")
    add_touching_others(p)
    add_json(p)

    p = command(actions, "move", cmd_move, "put a construct under another (same or higher order) or at the top")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--parent", metavar="NAME")
    p.add_argument("--top", action="store_true", help="no parent")
    add_reviewer(p, required=True)
    add_touching_others(p)

    p = command(actions, "order", cmd_order, "make a construct first-, second- or third-order")
    p.add_argument("name", metavar="NAME")
    p.add_argument("order", metavar="N", choices=("1", "2", "3"))
    add_reviewer(p, required=True)
    add_touching_others(p)

    p = command(actions, "delete", cmd_delete,
                "delete a construct (after its codings are merged away or removed with --remove-codings)")
    p.add_argument("name", metavar="NAME")
    add_reviewer(p, required=True)
    p.add_argument("--remove-codings", action="store_true", help="mark its live codings removed")
    p.add_argument("--yes", action="store_true", help="do it (without --yes: say what would happen, exit 1)")
    add_touching_others(p)

    for name, func, help in (("link", cmd_link, "link SOURCE to TARGET: a first-order construct supports a "
                                                "second-order one, a second-order one interprets a third-order one"),
                             ("unlink", cmd_unlink, "remove the link SOURCE KIND TARGET")):
        p = command(actions, name, func, help)
        p.add_argument("source", metavar="SOURCE")
        p.add_argument("kind", metavar="KIND", choices=("supports", "interprets"))
        p.add_argument("target", metavar="TARGET")
        add_reviewer(p, required=True)
