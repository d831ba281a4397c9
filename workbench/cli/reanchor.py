"""``workbench reimport`` (a study's text replaced by a corrected one, its codings re-anchored) and
``workbench orphans`` (the codings that could not be placed: listed, placed by hand or dropped)."""
from __future__ import annotations

from pathlib import Path

from ..core.errors import WorkbenchError
from .options import add_json, add_reviewer, command, open_project, reviewer_or_none, study_id, whole_number
from .output import clip, plural, print_json

FUZZY_LISTED = 20  # fuzzy placements listed with their old quote (--json lists all)
METHOD_WORDS = (("position", "at their place"), ("diff", "moved with the text"), ("quote", "found by their quote"),
                ("fuzzy", "matched fuzzily"), ("orphaned", "orphaned"))


def cmd_reimport(args) -> None:
    from ..interop.imports import parse_file
    from ..store import reanchor
    from ..store.words import study_name

    path = Path(args.file)
    records = parse_file(path, args.format)
    if len(records) != 1 or not records[0].text:
        found = "no text" if len(records) == 1 else f"{len(records)} records"
        raise WorkbenchError(f"{path}: has {found}; reimport takes one study's text (a plain text file)")
    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        study = study_id(project, args.study)
        report = reanchor.reimport(project.db, study, records[0].text, who, path.name)
        name = study_name(project.db, study)
    text = records[0].text
    fuzzy = [o for o in report.outcomes if o["method"] == "fuzzy" and o["live"]]
    if args.json:
        print_json({"study_id": study, "study": name, "file": path.name, "length": len(text),
                    "counts": report.counts, "removed": report.removed, "event": report.event_id,
                    "fuzzy": [{"id": o["coding"], "start": o["start"], "end": o["end"], "score": o["score"],
                               "quote": o["quote"], "old_quote": o["old_quote"]} for o in fuzzy]})
        return
    total = sum(report.counts.values())
    parts = ", ".join(f"{report.counts[m]} {words}" for m, words in METHOD_WORDS if report.counts[m])
    print(f"replaced the text of {name} with {path.name} ({plural(len(text), 'character')}); "
          f"re-anchored {plural(total, 'coding')}" + (f": {parts}" if parts else ""))
    for o in fuzzy[:FUZZY_LISTED]:
        print(f"  fuzzy {o['coding']:>6}: “{clip(o['quote'], 50)}” (was “{clip(o['old_quote'], 50)}”, "
              f"{o['score']:.0f}% alike)")
    if len(fuzzy) > FUZZY_LISTED:
        print(f"  and {len(fuzzy) - FUZZY_LISTED} more fuzzy placements (--json lists them all)")
    removed = sum(report.removed.values())
    if removed:
        print(f"also re-anchored {plural(removed, 'removed coding')} ({report.removed['orphaned']} not placed), "
              "so undoing a removal puts it back on the new text")
    if report.counts["orphaned"]:
        print(f"{plural(report.counts['orphaned'], 'orphaned coding')}: `workbench orphans {args.project}` lists "
              "them; place or drop each")
    print("`workbench undo` puts the old text and every coding's place back")


def cmd_orphans(args) -> None:
    from ..store import reanchor
    from ..store.words import coding_words

    if args.place is None and (args.start is not None or args.end is not None or args.best):
        raise WorkbenchError("--start, --end and --best go with --place ID")
    with open_project(args) as project:
        if args.place is not None or args.drop is not None:
            if args.reviewer is None:
                raise WorkbenchError("--place and --drop need --reviewer NAME: a reviewer places or drops their "
                                     "own orphaned codings")
            who = project.reviewer_id(args.reviewer)
        else:
            who = reviewer_or_none(project, args.reviewer)
        if args.drop is not None:
            coding = whole_number(args.drop, "--drop")
            words = coding_words(project.db, coding)
            reanchor.drop(project.db, coding, who)
            if args.json:
                print_json({"dropped": coding})
            else:
                print(f"dropped the orphaned coding {words}; it stays removed, with its quote, in the log")
            return
        if args.place is not None:
            _place(args, project, reanchor, who)
            return
        study = study_id(project, args.study) if args.study is not None else None
        found = reanchor.orphans(project.db, study, who)
    if args.json:
        print_json([{"id": o.coding_id, "study_id": o.study_id, "study": o.study, "reviewer": o.reviewer,
                     "construct": o.construct, "quote": o.exact, "prefix": o.prefix, "suffix": o.suffix,
                     "orphaned_at": o.orphaned_at,
                     "candidate": None if o.candidate is None else {
                         "start": o.candidate[0], "end": o.candidate[1], "score": o.candidate[2],
                         "text": o.candidate_text}}
                    for o in found])
        return
    if not found:
        print("no orphaned codings: every coding is on its study's text")
        return
    print(f"{plural(len(found), 'orphaned coding')} (their study's text was replaced and the quote not found):")
    for o in found:
        print(f"{o.coding_id:>6}  {clip(o.study, 20):<20} {o.reviewer:<8} {clip(o.construct, 24):<24} "
              f"“{clip(o.exact, 50)}”")
        if o.candidate:
            s, e, score = o.candidate
            print(f"        best candidate {s}-{e} ({score:.0f}% alike): “{clip(o.candidate_text, 50)}”")
    print(f"place one: workbench orphans {args.project} --place ID --start N --end M (or --best) --reviewer NAME; "
          "drop one: --drop ID")


def _place(args, project, reanchor, who: int) -> None:
    coding = whole_number(args.place, "--place")
    if args.best:
        if args.start is not None or args.end is not None:
            raise WorkbenchError("give either --best or --start and --end")
        mine = [o for o in reanchor.orphans(project.db, reviewer_id=who) if o.coding_id == coding]
        if mine and mine[0].candidate is None:
            raise WorkbenchError(f"nothing in the text is like “{clip(mine[0].exact, 40)}”: give --start and --end")
        start, end = mine[0].candidate[:2] if mine else (0, 0)
    elif args.start is None or args.end is None:
        raise WorkbenchError("--place needs --start N and --end M (code points of the study's text), or --best")
    else:
        start, end = args.start, args.end
    after = reanchor.place(project.db, coding, start, end, who)
    if args.json:
        print_json({"placed": coding, "start": after["span_start"], "end": after["span_end"],
                    "quote": after["exact"], "old_quote": after["old_exact"]})
        return
    was = f" (was “{clip(after['old_exact'], 40)}”)" if after["old_exact"] and after["old_exact"] != after["exact"] else ""
    print(f"placed coding {coding} on [{after['span_start']}, {after['span_end']}): “{clip(after['exact'], 60)}”{was}")


def register(commands, exports) -> None:
    p = command(commands, "reimport", cmd_reimport, "replace a study's text with a corrected one and re-anchor "
                "every coding on it (undoable); codings that cannot be placed become orphans")
    p.add_argument("--study", required=True, metavar="ID", help="study id, DOI or unique title start")
    p.add_argument("file", metavar="FILE", help="the corrected text (decoded and canonicalised as import does)")
    p.add_argument("--format", choices=("auto", "txt", "json", "csv", "ris", "medline"), default="auto",
                   help="the file's format, as for import (default: by its name and content)")
    add_reviewer(p, "who replaces the text (their undo puts it back)", required=True)
    add_json(p)

    p = command(commands, "orphans", cmd_orphans, "list the codings a replaced text left without a place; "
                "place one on a span or drop it")
    p.add_argument("--study", metavar="ID", help="only this study's orphans")
    add_reviewer(p, "only this reviewer's orphans; with --place or --drop, whose they are")
    p.add_argument("--place", metavar="ID", help="put this orphaned coding on --start/--end (or --best)")
    p.add_argument("--start", type=int, metavar="N", help="first code point (0-based)")
    p.add_argument("--end", type=int, metavar="M", help="code point after the last (exclusive)")
    p.add_argument("--best", action="store_true", help="with --place: on the best candidate listed")
    p.add_argument("--drop", metavar="ID", help="take this orphaned coding off the list (it stays removed)")
    add_json(p)
