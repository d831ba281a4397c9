"""``workbench adjudicate``: two reviewers' disagreements on the studies both marked done, and
decisions that write the consensus reviewer's codings and judgements (the agreement screen's twin)."""
from __future__ import annotations

from .options import add_json, command, construct, open_project, study_id
from .output import clip, print_json


def cmd_adjudicate(args) -> None:
    from ..core.errors import WorkbenchError
    from ..store import adjudication

    with open_project(args) as project:
        db = project.db
        a, b = adjudication.reviewer_pair(db, args.reviewers.split(","))
        study = study_id(project, args.study) if args.study is not None else None
        acting = args.decide is not None or args.agreed
        if acting and not args.reviewer:
            raise WorkbenchError("say who decides: --reviewer NAME (the decision is on their undo list)")
        if args.decide is not None and args.agreed:
            raise WorkbenchError("--decide and --agreed are two steps: give one at a time")
        editing = any(v is not None for v in (args.start, args.end, args.construct))
        if args.decide is not None:
            take = args.take or ("edit" if editing or args.kind is not None else None)
            if take is None:
                raise WorkbenchError("--decide needs --take a|b|both|neither, or --start/--end (an edited span), "
                                     "or --kind (an edited judgement)")
            named = construct(project, args.construct).id if args.construct is not None else None
            decided = adjudication.decide(db, a, b, args.decide, take, project.reviewer_id(args.reviewer),
                                          args.start, args.end, named, args.kind, study)
            _print_decided(args, decided)
            return
        if args.agreed:
            decided = adjudication.adopt_agreed(db, a, b, project.reviewer_id(args.reviewer), study)
            _print_decided(args, decided)
            return
        if args.take or editing or args.kind is not None:
            raise WorkbenchError("--take, --start, --end, --construct and --kind go with --decide ID")
        found = adjudication.survey(db, a, b, study)
        shown = found.items if args.all else found.open
        counts = found.open_counts()
        if args.json:
            print_json({"reviewers": list(found.reviewers), "open": len(found.open),
                        "by_study": [{"study": sid, "label": name, "open": counts[sid]} for sid, name in found.studies],
                        "disagreements": [d.as_json() for d in shown]})
            return
        _print_survey(found, shown, counts)


def _print_survey(found, shown, counts) -> None:
    a, b = found.reviewers
    studies = len(found.studies)
    print(f"{a} and {b}: {len(found.open)} open disagreement{'s' if len(found.open) != 1 else ''} in "
          f"{studies} stud{'y' if studies == 1 else 'ies'} both marked done")
    width = max(len(a), len(b))
    for sid, name in found.studies:
        here = [d for d in shown if d.study_id == sid]
        print(f"\n{name} (study {sid}): {counts[sid]} open")
        for d in here:
            state = "" if d.open else f"  [decided: {d.decision}]"
            if d.kind == "span":
                print(f"  {d.id}  {d.construct!r} [{d.start}, {d.end}){state}")
                for who, side in ((a, d.a), (b, d.b)):
                    if not side:
                        print(f"      {who:<{width}}  (not coded)")
                    for q in side:
                        print(f"      {who:<{width}}  [{q.start}, {q.end}) {clip(q.exact, 70)!r}")
            else:
                print(f"  {d.id}  judgement of {d.construct!r}{state}")
                for who, kind, note in ((a, d.kind_a, d.note_a), (b, d.kind_b, d.note_b)):
                    words = (kind or "not judged").replace("_", " ") + (f" ({clip(note, 50)!r})" if note else "")
                    print(f"      {who:<{width}}  {words}")


def _print_decided(args, decided) -> None:
    if args.json:
        print_json(decided.as_json())
        return
    d = decided.disagreement
    print(f"decided {d.id} ({d.decision})" if d else "took what both agree on")
    for verb, items in (("consensus +", decided.added), ("consensus -", decided.removed)):
        for name, start, end, quote in items:
            print(f"  {verb} {name!r} [{start}, {end}) {clip(quote, 60)!r}")
    for concept, kind in decided.judgements:
        print(f"  consensus judgement of {concept!r}: {(kind or 'none').replace('_', ' ')}")


def register(commands, exports) -> None:
    p = command(commands, "adjudicate", cmd_adjudicate,
                "list two reviewers' disagreements on the studies both marked done, and decide them into the "
                "consensus reviewer")
    p.add_argument("--reviewers", required=True, metavar="A,B", help="the two reviewers to compare")
    p.add_argument("--study", metavar="ID", help="only this study (id, DOI or unique title start); with --decide, "
                   "the disagreement's study (only it is read: faster in a large project)")
    p.add_argument("--all", action="store_true", help="list decided disagreements too")
    p.add_argument("--decide", metavar="ID", help="decide the disagreement with this id (as listed)")
    p.add_argument("--take", choices=("a", "b", "both", "neither", "edit"),
                   help="A's spans or judgement, B's, both (spans only), neither, or an edit")
    p.add_argument("--start", type=int, metavar="N", help="an edited span's first code point")
    p.add_argument("--end", type=int, metavar="M", help="an edited span's code point after the last")
    p.add_argument("--construct", metavar="NAME", help="an edited span's construct (default: the disagreement's)")
    p.add_argument("--kind", metavar="KIND", help="an edited judgement: reciprocal, refutational, "
                                                  "line-of-argument or not-addressed")
    p.add_argument("--agreed", action="store_true",
                   help="write what both agree on into the consensus (a decision does it for its study)")
    p.add_argument("--reviewer", metavar="NAME", help="who decides (needed with --decide and --agreed)")
    add_json(p)
