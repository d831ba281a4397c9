"""``workbench align``: pair two reviewers' own constructs so agreement is measured on the pairs.

``workbench align PROJECT --reviewers A,B`` shows the confirmed pairs, the proposed ones (with
their scores and why), the shared constructs and what is left unaligned; ``--confirm`` confirms every
proposed pair, ``--pair "B's name=A's name"`` pairs two by hand and ``--unpair NAME`` undoes a pair.
Each change is one event that ``workbench undo`` takes back. The alignment screen (palette "Align
reviewers' constructs") is the twin.
"""
from __future__ import annotations

from ..core.errors import WorkbenchError
from .options import add_json, add_reviewer, command, construct, open_project
from .output import print_json


def threshold(text: str) -> float:
    """``--threshold`` as a number from 0 to 100; refuses anything else."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:
        raise WorkbenchError(f"--threshold takes a score from 0 to 100, not {text!r}")
    return value


def split_pair(project, text: str):
    """``"B's name=A's name"`` as the two constructs (the first '=' at which both sides name one)."""
    from ..store.constructs import by_name

    for at in [i for i, ch in enumerate(text) if ch == "="]:
        left, right = by_name(project.db, text[:at]), by_name(project.db, text[at + 1:])
        if left is not None and right is not None:
            return left, right
    if "=" not in text:
        raise WorkbenchError(f"--pair takes \"B's construct=A's construct\", not {text!r}")
    left, right = text.split("=", 1)
    construct(project, left)  # refuses the name that is not a construct, suggesting near ones
    construct(project, right)
    raise WorkbenchError(f"--pair {text!r} names no two constructs: write \"B's construct=A's construct\"")


def _pair_json(found, p, extra: dict | None = None) -> dict:
    return {"construct": p.b.name, "reviewer": found.owner(p.b), "counted_as": p.a.name,
            "counted_as_reviewer": found.owner(p.a), "order": p.a.order, "score": p.score,
            "name_score": p.name_score, "definition_score": p.definition_score, "why": p.why, **(extra or {})}


def alignment_json(found) -> dict:
    """What ``--json`` prints for an ``store.alignment.Alignment``."""
    proposal = found.proposal

    def left(items):
        return [{"construct": u.entry.name, "order": u.entry.order,
                 "closest": u.closest and (u.closest.b.name if u.closest.a == u.entry else u.closest.a.name),
                 "closest_score": u.closest and u.closest.score} for u in items]

    return {"reviewers": [found.reviewer_a, found.reviewer_b], "threshold": proposal.threshold,
            "confirmed": [_pair_json(found, c.pair, {"confirmed_by": c.confirmed_by, "confirmed_at": c.confirmed_at})
                          for c in found.confirmed],
            "proposed": [_pair_json(found, p) for p in proposal.pairs],
            "shared": [{"construct": e.name, "order": e.order} for e in proposal.shared],
            "unaligned": {found.reviewer_a: left(proposal.unaligned_a), found.reviewer_b: left(proposal.unaligned_b)}}


def _print(found, project_arg: str) -> None:
    a, b = found.reviewer_a, found.reviewer_b
    proposal = found.proposal
    print(f"{b}'s constructs counted as {a}'s: {len(found.confirmed)} confirmed, {len(proposal.pairs)} proposed "
          f"(score {proposal.threshold:g} or more), {len(proposal.shared)} shared, "
          f"{len(proposal.unaligned_a)} of {a}'s and {len(proposal.unaligned_b)} of {b}'s unaligned")
    for title, items in (("confirmed", [c.pair for c in found.confirmed]), ("proposed", proposal.pairs)):
        if items:
            print(f"{title}:")
        for p in items:
            print(f"  {p.score:5.1f}  {p.b.name!r} ({found.owner(p.b)}) = {p.a.name!r} "
                  f"({found.owner(p.a) or 'shared'}): {p.why}")
    if proposal.pairs:
        print(f"  confirm them all: workbench align {project_arg} --reviewers {a},{b} --confirm")
    for name, items in ((a, proposal.unaligned_a), (b, proposal.unaligned_b)):
        for u in items:
            other = u.closest and (u.closest.b if u.closest.a == u.entry else u.closest.a)
            near = f" (closest: {other.name!r}, {u.closest.score:.1f})" if other else ""
            print(f"  unaligned, {name}'s: {u.entry.name!r}{near}")
    if proposal.shared:
        print(f"shared, counted as themselves: {', '.join(repr(e.name) for e in proposal.shared)}")


def cmd_align(args) -> None:
    from ..store import alignment
    from ..store.project import reviewers_named

    chosen = [o for o in ("confirm", "pair", "unpair") if getattr(args, o)]
    if len(chosen) > 1:
        raise WorkbenchError(f"give one of --confirm, --pair and --unpair, not {' and '.join('--' + o for o in chosen)}")
    limit = threshold(args.threshold) if args.threshold is not None else alignment.THRESHOLD
    with open_project(args) as project:
        (a, a_name), (b, b_name) = reviewers_named(
            project.db, args.reviewers.split(","), "alignment pairs two reviewers' constructs (B's counted as A's)", most=2)
        by = project.reviewer_id(args.reviewer) if args.reviewer else a
        done: list[str] = []
        if args.confirm:
            pairs = alignment.confirm(project.db, a, b, by, limit)
            done = [f"counted {p.b.name!r} ({b_name}) as {p.a.name!r} ({a_name})" for p in pairs]
            if not pairs:
                done = ["nothing proposed to confirm"]
        elif args.pair is not None:
            left, right = split_pair(project, args.pair)
            alignment.pair(project.db, left.id, right.id, a, b, by)
            done = [f"counted {left.name!r} ({b_name}) as {right.name!r} ({a_name})"]
        elif args.unpair is not None:
            gone = alignment.unpair(project.db, construct(project, args.unpair).id, by)
            from ..store.restore import construct_name

            done = [f"no longer counting {construct_name(project.db, gone['construct_id'])!r} as "
                    f"{construct_name(project.db, gone['counted_as_id'])!r}"]
        found = alignment.proposed(project.db, a, b, limit)
        if args.json:
            print_json({**alignment_json(found), **({"done": done} if chosen else {})})
            return
        for line in done:
            print(line)
        _print(found, args.project)


def register(commands, exports) -> None:
    p = command(commands, "align", cmd_align,
                "pair two reviewers' own constructs (by name and definition) so agreement counts them as one")
    p.add_argument("--reviewers", required=True, metavar="A,B",
                   help="the two reviewers; B's constructs are counted as A's")
    p.add_argument("--threshold", metavar="SCORE", help="the lowest score (0-100) a proposed pair has (default 60)")
    p.add_argument("--confirm", action="store_true", help="confirm every proposed pair")
    p.add_argument("--pair", metavar="B=A", help="count B's construct as A's: \"B's name=A's name\"")
    p.add_argument("--unpair", metavar="NAME", help="stop counting the construct (either of a pair) as the other")
    add_reviewer(p, "who confirms, pairs or unpairs (default: A)")
    add_json(p)
