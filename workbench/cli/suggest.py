"""``workbench suggest``: which concepts a construct may express (or, with ``--study``, which of a
study's constructs may express a concept), ranked by shared words, each with the reason and the
``workbench construct link`` command that accepts it."""
from __future__ import annotations

import shlex

from .options import (add_all_reviewers, add_json, add_reviewer, command, construct, hidden_from, open_project,
                      reviewer_or_none, study_id, whole_number)
from .output import print_json


def cmd_suggest(args) -> None:
    from ..store import studies, suggestions

    limit = whole_number(args.limit, "--limit", 1000)
    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        hidden = hidden_from(project, who, args)
        asked = construct(project, args.construct)
        study = None
        if args.study is not None:
            study = studies.get_study(project.db, study_id(project, args.study))
            found = suggestions.for_cell(project.db, asked.id, study["id"], who, limit, hidden)
        else:
            found = suggestions.for_construct(project.db, asked.id, who, limit, hidden)
        reviewer = args.reviewer or "NAME"

        def accept(link):
            if link is None:
                return None
            return shlex.join(["workbench", "construct", "link", args.project, *link, "--reviewer", reviewer])

        if args.json:
            print_json({
                "construct": found.query.name, "order": found.query.order,
                "study": None if study is None else {"id": study["id"], "label": _label(study)},
                "reviewer": args.reviewer, "kind": found.kind, "linked": list(found.linked),
                "compared": found.compared, "notes": found.notes,
                "candidates": [{"name": c.name, "order": c.order, "score": c.score, "reason": c.reason,
                                "words": list(c.words),
                                "shared": [{"query_field": g.query_field, "candidate_field": g.candidate_field,
                                            "words": list(g.words)} for g in c.shared],
                                "link": None if c.link is None else dict(zip(("from", "kind", "to"), c.link)),
                                "accept": accept(c.link)}
                               for c in found.candidates]})
            return
        from ..core.constructs import ORDERS

        q = found.query
        if study is None:
            wanted = ORDERS[q.order + 1 if found.kind else q.order]
            print(f"{q.name!r} ({ORDERS[q.order]}): {found.compared} {wanted} construct(s) compared")
        else:
            print(f"{q.name!r} in {_label(study)}: {found.compared} {ORDERS[q.order - 1]} construct(s) of the study "
                  "compared")
        for note in found.notes:
            print(f"  note: {note}")
        if found.linked:
            print(f"  linked already ({found.kind}): {', '.join(map(repr, found.linked))}")
        if not found.candidates:
            if found.compared:
                print("  no suggestion: no candidate shares a word with it")
            return
        for n, c in enumerate(found.candidates, 1):
            print(f"{n:>3}. {c.score:5.1f}  {c.name}")
            print(f"         why: {c.reason}")
            command_line = accept(c.link)
            if command_line:
                print(f"         accept: {command_line}")


def _label(study: dict) -> str:
    from ..store.studies import label

    return label(study["authors"], study["year"], study["title"])


def register(commands, exports) -> None:
    p = command(commands, "suggest", cmd_suggest,
                "rank the concepts a construct may express (with --study: the study's constructs that may "
                "express a concept), and say why")
    p.add_argument("--construct", required=True, metavar="NAME",
                   help="a second-order construct (or first-order); with --study, the concept of a grid cell")
    p.add_argument("--study", metavar="ID", help="the grid cell's study: id, DOI or unique title start")
    add_reviewer(p, "read only this reviewer's codings, compare only what they see coding blind, and put the name "
                    "in the accept command")
    add_all_reviewers(p)
    p.add_argument("--limit", default="5", metavar="N", help="how many to list (default 5)")
    add_json(p)
