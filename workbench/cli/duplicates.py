"""``workbench duplicates`` (the possible duplicates an import flagged, with their evidence, and a
reviewer's judgement of each pair) and ``workbench study remove`` (soft, undoable)."""
from __future__ import annotations

import sys

from .options import add_json, add_reviewer, command, group, open_project, study_id
from .output import clip, plural, print_json

FIELDS = (("year", "year"), ("first_author", "first author"), ("doi", "DOI"), ("pmid", "PubMed id"),
          ("text", "text"), ("title_numbers", "numbers in the titles"))


def cmd_list(args) -> None:
    from ..store.duplicates import pairs

    with open_project(args) as project:
        found = pairs(project.db, include_judged=args.all)
    if args.json:
        print_json(found)
        return
    if not found:
        print("no possible duplicates to review" if not args.all else "no pairs were ever flagged")
        return
    open_pairs = sum(p["judgement"] is None for p in found)
    lines = [f"{open_pairs} possible duplicate{'' if open_pairs == 1 else 's'} to review"]
    for p in found:
        lines.append("")
        for side in ("study", "other"):
            s = p[side]
            removed = "  [removed]" if s["removed"] else ""
            lines.append(f"  {s['id']:>7}  {clip(s['label'], 24):<24}  {clip(s['title'], 60)}  "
                         f"({s['source_file']}, {s['codings']} codings){removed}")
        evidence = p["evidence"]
        agree = "; ".join(f"{words}: {evidence[key]}" for key, words in FIELDS)
        lines.append(f"           {p['reason']}")
        lines.append(f"           title {evidence['title']:.0f}% alike; {agree}")
        if p["judgement"]:
            lines.append(f"           judged {p['judgement']} by {p['judged_by']}")
        else:
            lines.append(f"           workbench duplicates resolve {args.project} {p['study']['id']} "
                         f"{p['other']['id']} --same | --different --reviewer NAME")
    sys.stdout.write("\n".join(lines) + "\n")


def cmd_resolve(args) -> None:
    from ..store.duplicates import judge

    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        a, b = (study_id(project, x) for x in (args.a, args.b))
        pair = judge(project.db, a, b, "same" if args.same else "different", who)
    if args.json:
        print_json(pair)
        return
    first, second = pair["study"], pair["other"]
    if args.same:
        print(f"{first['naming']} (study {first['id']}) and {second['naming']} (study {second['id']}): the same "
              f"study. Keep one; remove the other with: workbench study remove {args.project} --study "
              f"{first['id']} --reviewer {args.reviewer}")
    else:
        print(f"{first['naming']} (study {first['id']}) and {second['naming']} (study {second['id']}): different "
              "studies; no longer flagged")


def cmd_remove(args) -> None:
    from ..store.duplicates import remove_study

    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        study = remove_study(project.db, study_id(project, args.study), who, args.with_codings)
    if args.json:
        print_json(study)
        return
    codings = f" and its {plural(study['codings'], 'coding')}" if study["codings"] else ""
    print(f"removed {study['naming']} (study {study['id']}){codings}; "
          f"`workbench undo {args.project} --reviewer {args.reviewer}` brings it back")


def register(commands, exports) -> None:
    actions = group(commands, "duplicates", "review the possible duplicates an import flagged",
                    "List the pairs of studies an import flagged as possible duplicates, with the evidence "
                    "(which fields agree, how alike the titles are), and judge each pair. "
                    "`workbench duplicates PROJECT` is `workbench duplicates list PROJECT`.")
    p = command(actions, "list", cmd_list, "the flagged pairs still to judge, most alike first")
    p.add_argument("--all", action="store_true", help="also pairs already judged or with a study removed")
    add_json(p)
    p = command(actions, "resolve", cmd_resolve, "judge a flagged pair: the same study, or different ones")
    p.add_argument("a", metavar="A", help="a study id of the pair")
    p.add_argument("b", metavar="B", help="the other study id")
    judgement = p.add_mutually_exclusive_group(required=True)
    judgement.add_argument("--same", action="store_true", help="one study recorded twice")
    judgement.add_argument("--different", action="store_true", help="two studies; clears the flag")
    add_reviewer(p, required=True)
    add_json(p)

    actions = group(commands, "study", "remove a study from the review (undoable)",
                    "Remove a study, for example one judged the same as another: soft (its text, codings "
                    "and memos stay in the database, hidden) and undone by `workbench undo`.")
    p = command(actions, "remove", cmd_remove, "remove a study (refused while it has codings unless --with-codings)")
    p.add_argument("--study", required=True, metavar="ID")
    p.add_argument("--with-codings", action="store_true", help="remove its live codings with it")
    add_reviewer(p, required=True)
    add_json(p)
