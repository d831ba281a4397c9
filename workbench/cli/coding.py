"""``workbench code``, ``codings`` and ``uncode``: coding spans, listing codings, removing one; and
``export annotations``: the codings as W3C Web Annotations."""
from __future__ import annotations

from .options import (add_all_reviewers, add_json, add_reviewer, command, construct, export_command, hidden_from,
                      open_project, out_file, reviewer_or_none, study_id, whole_number)
from .output import clip, plural, print_json, wrote


def cmd_code(args) -> None:
    from ..store.codings import add_with_construct

    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        study = study_id(project, args.study)
        coding, construct, created = add_with_construct(project.db, study, who, args.start, args.end,
                                                        args.construct, args.order, args.parent,
                                                        blind=not args.all_reviewers)
        if args.json:
            print_json({"id": coding.id, "study_id": study, "construct": construct.name,
                        "order": construct.order, "reviewer": args.reviewer, "start": coding.start,
                        "end": coding.end, "quote": coding.exact, "construct_created": created})
            return
        made = " (new construct)" if created else ""
        print(f"coding {coding.id}: study {study} [{coding.start}, {coding.end}) "
              f"{construct.name!r}{made}: {clip(coding.exact, 60)!r}")


def cmd_codings(args) -> None:
    from ..store.codings import ROW_COLUMNS, rows
    from ..store.constructs import all_constructs

    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        study = study_id(project, args.study) if args.study is not None else None
        if args.construct is not None:
            _rolled_up(args, project, who, study)
            return
        found = [dict(zip(ROW_COLUMNS, row)) for row in rows(project.db, who, study)]
        hidden = hidden_from(project, who, args).constructs
        if hidden:  # a parent the reviewer does not see coding blind is left out
            unseen = {c.name for c in all_constructs(project.db) if c.id in hidden}
            for c in found:
                if c["parent"] in unseen:
                    c["parent"] = None
        if args.json:
            print_json(found)
            return
        for c in found:
            print(f"{c['id']:>6}  study {c['study_id']:<4} [{c['start']}, {c['end']})  {c['reviewer']:<8} "
                  f"{c['order']} {clip(c['construct'], 28):<28} {clip(c['quote'], 50)!r}")


def _rolled_up(args, project, who: int | None, study: int | None) -> None:
    """``codings --construct``: the spans of the construct and of every construct under it (the
    constructs tree's ``j``), each with how it is reached."""
    from ..store.translation import spans_rolled_up

    found = [{"id": r.span.coding_id, "study_id": r.span.study_id, "year": r.span.year, "start": r.span.start,
              "end": r.span.end, "reviewer": r.span.reviewer, "construct": r.construct, "order": r.order,
              "quote": r.span.exact, "reached": r.reached, "steps": list(r.steps), "chain": r.chain}
             for r in spans_rolled_up(project.db, construct(project, args.construct).id, who)
             if study is None or r.span.study_id == study]
    if args.json:
        print_json(found)
        return
    for c in found:
        print(f"{c['id']:>6}  study {c['study_id']:<4} [{c['start']}, {c['end']})  {c['reviewer']:<8} "
              f"{c['order']} {clip(c['construct'], 28):<28} {clip(c['quote'], 50)!r}  {c['reached']}")


def cmd_uncode(args) -> None:
    from ..store import codings

    with open_project(args) as project:
        coding = codings.get(project.db, whole_number(args.coding, "--coding"))
        removed = codings.remove(project.db, coding.id, project.reviewer_id(args.reviewer))
        print(f"removed coding {removed.id} ({clip(removed.exact, 60)!r}); it stays in the event log")


def cmd_export_annotations(args) -> None:
    from ..interop.annotations import export

    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        out = out_file(args.out)
        n = export(project.db, out, project.settings.title, reviewer_id=who)
        wrote(out, f"wrote {plural(n, 'annotation')} to {out}")


def register(commands, exports) -> None:
    p = export_command(exports, "annotations", cmd_export_annotations,
                       "the codings as W3C Web Annotations (JSON-LD): quote and position selectors, the construct "
                       "as body, the reviewer as creator", ("jsonld",))
    add_reviewer(p, "only this reviewer's codings")
    p = command(commands, "code", cmd_code, "code a span of a study's text with a construct")
    p.add_argument("--study", required=True, metavar="ID", help="study id, DOI or unique title start")
    p.add_argument("--start", required=True, type=int, metavar="N", help="first code point (0-based)")
    p.add_argument("--end", required=True, type=int, metavar="M", help="code point after the last (exclusive)")
    p.add_argument("--construct", required=True, metavar="LABEL",
                   help="the construct's name; for a name that starts with '-', write --construct=-NAME")
    p.add_argument("--order", choices=("1", "2", "3"), help="needed when the construct is new")
    p.add_argument("--parent", metavar="LABEL", help="parent construct, for a new construct")
    add_reviewer(p, required=True)
    p.add_argument("--all-reviewers", action="store_true",
                   help="allow a construct another reviewer added (coding blind, naming one is refused)")
    add_json(p)

    p = command(commands, "codings", cmd_codings, "list live codings in study order")
    add_reviewer(p, "only this reviewer's codings (a parent construct they do not see coding blind left out)")
    add_all_reviewers(p)
    p.add_argument("--study", metavar="ID")
    p.add_argument("--construct", metavar="LABEL", help="only the spans of this construct and of the constructs "
                   "under it or linked to it, at any depth, each with how it is reached (the tree's j)")
    add_json(p)

    p = command(commands, "uncode", cmd_uncode, "remove a coding (it is kept, marked removed, in the log)")
    p.add_argument("--coding", required=True, metavar="ID")
    add_reviewer(p, "who removes it: only the reviewer who made a coding may remove it", required=True)
