"""``workbench search``: full-text search over study texts and memos, keyword in context."""
from __future__ import annotations

import sys

from .options import add_all_reviewers, add_json, add_reviewer, command, open_project, reviewer_or_none, whole_number
from .output import print_json


def cmd_search(args) -> None:
    from ..store.search import search

    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        hits = search(project.db, args.query, limit=whole_number(args.limit, "--limit", 1_000_000),
                      context=whole_number(args.context, "--context", 10_000),
                      per_text=whole_number(args.per_text, "--per-text", 1_000_000),
                      reviewer_id=None if args.all_reviewers else who)
        if args.json:
            print_json([{"kind": h.kind, "study_id": h.study_id, "memo_id": h.memo_id, "title": h.title,
                          "start": h.start, "end": h.end, "left": h.kwic_left, "match": h.match,
                          "right": h.kwic_right, "more": h.more} for h in hits])
            return
        if not hits:
            print(f"no matches for {args.query!r}")
            return
        lines = []
        for h in hits:
            where = f"study {h.study_id}" if h.kind == "study" else h.title  # a memo hit: whose, on what
            match = " ".join(h.match.split())
            lines.append(f"{where} [{h.start}-{h.end}]  …{h.kwic_left}«{match}»{h.kwic_right}…\n")
            if h.more:
                lines.append(f"{where}: … and more in this text (--per-text N lists more)\n")
        sys.stdout.write("".join(lines))


def register(commands, exports) -> None:
    PER_TEXT = 20  # store.search.PER_TEXT, not imported here so the CLI starts without the store
    p = command(commands, "search", cmd_search, "full-text search over study texts and memos, keyword in context")
    p.add_argument("query", metavar="QUERY", help='words (all must occur; stemmed), "a phrase", a prefix*, '
                                                  "or CJK text (matched as a substring)")
    p.add_argument("--limit", default="100", metavar="N")
    p.add_argument("--per-text", default=str(PER_TEXT), metavar="N",
                   help=f"hits listed per text, at most (default {PER_TEXT})")
    p.add_argument("--context", default="40", metavar="N", help="characters of context each side")
    add_reviewer(p, "search as this reviewer coding blind: study texts and only their own memos")
    add_all_reviewers(p)
    add_json(p)
