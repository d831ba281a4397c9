"""The translation view on the command line: ``workbench order`` (the study order and its reason),
``concepts`` (each study's key concepts), ``grid`` (concepts x studies with judgements),
``translate`` (record or clear a judgement), ``relate`` and ``synthesis`` (the third-order
hierarchy and the line of argument), ``export grid`` and ``export synthesis``."""
from __future__ import annotations

import sys

from ..core.errors import WorkbenchError
from .options import (add_json, add_reviewer, command, construct, export_command, open_project, out_file,
                      reviewer_or_none, study_id, whole_number)
from .output import clip, plural, print_json, wrote


def _fallback(project):
    from ..store.order import fallback

    return fallback(project)


def cmd_order(args) -> None:
    from ..store import order

    changes = [args.chronological, args.index is not None, args.move is not None]
    if args.to is not None and args.move is None:
        raise WorkbenchError("--to goes with --move STUDY: the study to move there")
    if args.move is not None and args.to is None:
        raise WorkbenchError("--move STUDY needs --to N, the place to move it to (1 is first)")
    if args.reason is not None and not any(changes):
        raise WorkbenchError("--reason goes with --chronological, --index or --move: the order it explains")
    with open_project(args) as project:
        rule, index = _fallback(project)
        if any(changes):
            if args.reviewer is None:
                raise WorkbenchError("changing the study order needs --reviewer NAME (who set it, and whose undo it is)")
            who = project.reviewer_id(args.reviewer)
            if args.chronological:
                order.set_chronological(project.db, who, args.reason or "")
            elif args.index is not None:
                order.set_index(project.db, study_id(project, args.index), who, args.reason or "")
            else:
                order.move(project.db, study_id(project, args.move), whole_number(args.to, "--to"), who, args.reason,
                           rule, index)
        shown = order.show(project.db, rule, index)
        studies = _study_rows(project.db, shown.study_ids)
    if args.json:
        print_json({"rule": shown.rule, "words": shown.words, "source": shown.source, "reason": shown.reason,
                    "set_by": shown.set_by, "set_at": shown.set_at, "index_study": shown.index_study_id,
                    "studies": [{"position": n, **s} for n, s in enumerate(studies, 1)]})
        return
    origin = {"stored": f"set by {shown.set_by or 'someone'}, {(shown.set_at or '')[:16].replace('T', ' ')}",
              "project.yaml": "from project.yaml", "default": "the default"}[shown.source]
    lines = [f"study order: {shown.words} ({origin})"]
    if shown.reason:
        lines.append(f"reason: {shown.reason}")
    for n, s in enumerate(studies, 1):
        mark = "  (index paper)" if s["id"] == shown.index_study_id else ""
        lines.append(f"{n:>4}  {s['label']:<24}  {clip(s['title'], 60)}{mark}")
    sys.stdout.write("\n".join(lines) + "\n")


def _study_rows(db, ids: list[int]) -> list[dict]:
    from ..store.studies import get_study, label

    out = []
    for sid in ids:
        s = get_study(db, sid)
        out.append({"id": sid, "label": label(s["authors"], s["year"], s["title"]), "year": s["year"],
                    "title": s["title"]})
    return out


def _viewer(project, args) -> int | None:
    """Whose work is shown: the named reviewer's own (blind), or everybody's (no --reviewer, or
    --all-reviewers)."""
    who = reviewer_or_none(project, args.reviewer)
    return None if args.all_reviewers else who


def cmd_concepts(args) -> None:
    from ..store.translation import study_concepts

    with open_project(args) as project:
        viewer = _viewer(project, args)
        wanted = [study_id(project, args.study)] if args.study is not None else None
        rule, index = _fallback(project)
        found = study_concepts(project.db, viewer, wanted, rule, index)
    if args.json:
        def counted(c):
            return {"construct": c.node.name, "id": c.node.id, "codings": c.codings}
        print_json([{"study": {"id": s.study.id, "label": s.study.label, "year": s.study.year},
                     "second_order": [{"construct": e.node.name, "id": e.node.id, "codings": e.codings,
                                       "first_order_codings": e.first_order_codings,
                                       "first_order": [counted(c) for c in e.first_order]} for e in s.second_order],
                     "loose_first_order": [counted(c) for c in s.loose]} for s in found])
        return
    lines = []
    for s in found:
        lines.append(f"{s.study.label}  (study {s.study.id})")
        if not s.second_order and not s.loose:
            lines.append("  no second- or first-order constructs coded")
        for e in s.second_order:
            lines.append(f"  {clip(e.node.name, 50)}  {plural(e.codings, 'coding')}; "
                         f"{plural(e.first_order_codings, 'first-order coding')} under it")
            lines.extend(f"      {clip(c.node.name, 50)}  {c.codings}" for c in e.first_order)
        if s.loose:
            lines.append("  first-order, under no second-order construct:")
            lines.extend(f"      {clip(c.node.name, 50)}  {c.codings}" for c in s.loose)
    sys.stdout.write("\n".join(lines) + ("\n" if lines else ""))


def cmd_grid(args) -> None:
    from ..core.translation import KIND_WORDS
    from ..store.translation import load_grid

    with open_project(args) as project:
        viewer = _viewer(project, args)
        rule, index = _fallback(project)
        overarching = construct(project, args.overarching).id if args.overarching else None
        grid = load_grid(project.db, viewer, rule, index).filtered(overarching, args.refuted, args.unjudged)
    if args.json:
        print_json({
            "concept_order": grid.concept_order,
            "reviewer": None if viewer is None else args.reviewer,
            "studies": [{"id": c.id, "label": c.label, "year": c.year} for c in grid.columns],
            "rows": [{"concept": r.concept.name, "id": r.concept.id,
                      "overarching": r.group.name if r.group else None,
                      "summary": {"contributing": r.summary.contributing, "refuting": r.summary.refuting,
                                  "not_addressed": r.summary.not_addressed, "unjudged": r.summary.unjudged},
                      "cells": [{"study": c.id, "second_order": [n.name for n in cell.second_order],
                                 "first_order_codings": cell.first_order_codings,
                                 "concept_codings": cell.concept_codings,
                                 "judgements": [{"reviewer": j.reviewer, "kind": j.kind, "note": j.note}
                                                for j in cell.judgements]}
                                for c, cell in grid.visible_cells(r)]} for r in grid.rows]})
        return
    n = len(grid.columns)
    lines = [f"{plural(len(grid.rows), 'concept')} ({'third' if grid.concept_order == 3 else 'second'}-order) x "
             f"{n} stud{'y' if n == 1 else 'ies'} in study order"]
    for group, rows in grid.groups():
        lines.append(f"== {group.name if group else '(no overarching construct)'}")
        for r in rows:
            s = r.summary
            lines.append(f"{clip(r.concept.name, 60)}  contributing {s.contributing} · refuting {s.refuting} · "
                         f"not addressed {s.not_addressed} · not judged {s.unjudged}")
            for column, cell in grid.visible_cells(r):
                if not (cell.has_evidence or cell.judged):
                    continue
                what = "; ".join(n.name for n in cell.second_order) or "-"
                counts = f"{cell.first_order_codings} first-order, {cell.concept_codings} of the concept"
                judged = "; ".join(f"{j.reviewer}: {KIND_WORDS[j.kind]}" + (f" ({clip(j.note, 50)})" if j.note else "")
                                   for j in cell.judgements) or "not judged"
                lines.append(f"    {clip(column.label, 20):<20}  {clip(what, 40):<40}  {counts}  {judged}")
    sys.stdout.write("\n".join(lines) + "\n")


def cmd_translate(args) -> None:
    from ..core.translation import KIND_WORDS
    from ..store import translation
    from ..store.studies import get_study, label

    if (args.kind is None) == (not args.clear):
        raise WorkbenchError("give --as KIND to record a judgement, or --clear to take yours back")
    if args.clear and args.note is not None:
        raise WorkbenchError("--note goes with --as: --clear takes the whole judgement back")
    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        concept = construct(project, args.concept)
        study = study_id(project, args.study)
        if args.clear:
            gone = translation.clear(project.db, concept.id, study, who)
        else:
            made = translation.judge(project.db, concept.id, study, who, args.kind, args.note or "")
        s = get_study(project.db, study)
        name = label(s["authors"], s["year"], s["title"])
    if args.json:
        j = gone if args.clear else made
        print_json({"concept": concept.name, "study": study, "reviewer": args.reviewer, "kind": j.kind,
                    "note": j.note, "cleared": bool(args.clear)})
        return
    if args.clear:
        print(f"cleared {args.reviewer}'s judgement of {name} for {concept.name!r} (was {KIND_WORDS[gone.kind]})")
    else:
        print(f"{args.reviewer}: {name} is {KIND_WORDS[made.kind]} for {concept.name!r}"
              + (f" ({clip(made.note, 60)})" if made.note else ""))


def cmd_export_grid(args) -> None:
    from ..interop.translation import export_grid

    with open_project(args) as project:
        viewer = _viewer(project, args)
        rule, index = _fallback(project)
        out = out_file(args.out)
        n = export_grid(project.db, out, args.format, viewer, rule, index)
        wrote(out, f"wrote {plural(n, 'concept row')} to {out}")


def cmd_relate(args) -> None:
    from ..store import synthesis

    if args.remove and args.note is not None:
        raise WorkbenchError("--note goes with a new relation, not with --remove")
    with open_project(args) as project:
        who = project.reviewer_id(args.reviewer)
        source, target = construct(project, args.source), construct(project, args.target)
        if args.remove:
            done = synthesis.unrelate(project.db, synthesis.find_relation(project.db, source.id, args.kind,
                                                                          target.id).id, who)
        else:
            done = synthesis.relate(project.db, source.id, args.kind, target.id, who, args.note or "")
    if args.json:
        print_json({"from": done.from_name, "kind": done.kind, "to": done.to_name, "note": done.note,
                    "removed": bool(args.remove)})
    elif args.remove:
        print(f"removed: {done.words}")
    else:
        print(f"related: {done.words}" + (f" ({clip(done.note, 60)})" if done.note else ""))


def cmd_synthesis(args) -> None:
    from ..store.synthesis import RELATION_WORDS, relations, synthesis

    with open_project(args) as project:
        viewer = _viewer(project, args)
        rule, index = _fallback(project)
        groups = synthesis(project.db, viewer, rule, index)
        found = relations(project.db)

    def studies(columns):
        return [{"id": c.id, "label": c.label} for c in columns]

    if args.json:
        print_json({
            "groups": [{"overarching": g.overarching.name if g.overarching else None,
                        "contributing_studies": studies(g.contributing),
                        "concepts": [{"concept": c.node.name, "contributing_studies": studies(c.contributing),
                                      "refuting_studies": studies(c.refuting),
                                      "second_order": [{"construct": e.node.name, "studies": studies(e.studies)}
                                                       for e in c.second_order],
                                      "relations": [{"kind": r.kind, "to": r.to_name, "note": r.note}
                                                    for r in c.relations]} for c in g.concepts]} for g in groups],
            "relations": [{"from": r.from_name, "kind": r.kind, "to": r.to_name, "note": r.note} for r in found]})
        return
    lines = []
    for g in groups:
        lines.append(f"{g.overarching.name if g.overarching else '(no overarching construct)'}  "
                     f"[{', '.join(c.label for c in g.contributing) or 'no studies'}]")
        for c in g.concepts:
            lines.append(f"  {c.node.name}  [{', '.join(x.label for x in c.contributing) or 'no studies'}]"
                         + (f"  refuted by {', '.join(x.label for x in c.refuting)}" if c.refuting else ""))
            lines.extend(f"      {e.node.name}  ({', '.join(x.label for x in e.studies)})" for e in c.second_order)
            lines.extend(f"      -> {RELATION_WORDS[r.kind]} {r.to_name}" + (f" ({clip(r.note, 50)})" if r.note else "")
                         for r in c.relations)
    sys.stdout.write("\n".join(lines) + ("\n" if lines else ""))


def cmd_export_synthesis(args) -> None:
    from ..interop.synthesis import export_synthesis

    with open_project(args) as project:
        viewer = _viewer(project, args)
        rule, index = _fallback(project)
        out = out_file(args.out)
        n = export_synthesis(project.db, out, viewer, rule, index, project.settings.title)
        wrote(out, f"wrote the synthesis of {plural(n, 'concept')} to {out}")


def _add_viewer(p) -> None:
    add_reviewer(p, "only this reviewer's codings and judgements (blind)")
    p.add_argument("--all-reviewers", action="store_true", help="every reviewer's codings and judgements")


def register(commands, exports) -> None:
    p = command(commands, "order", cmd_order, "show or set the study order of the translation, with its reason")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--chronological", action="store_true", help="by year, then import order")
    how.add_argument("--index", metavar="STUDY", help="this study (the index paper) first, the others chronological")
    how.add_argument("--move", metavar="STUDY", help="move this study to place --to N (the order becomes a hand order)")
    p.add_argument("--to", metavar="N", help="the place for --move (1 is first)")
    p.add_argument("--reason", metavar="TEXT", help="why this order (stored and shown with it)")
    add_reviewer(p, "who sets the order (needed to change it)")
    add_json(p)

    p = command(commands, "concepts", cmd_concepts,
                "each study's key concepts: its second-order constructs with the first-order ones under them")
    p.add_argument("--study", metavar="ID", help="only this study")
    _add_viewer(p)
    add_json(p)

    p = command(commands, "grid", cmd_grid, "the translation grid: the review's concepts x the studies in study order")
    _add_viewer(p)
    p.add_argument("--overarching", metavar="NAME", help="only the concepts under this overarching construct")
    p.add_argument("--refuted", action="store_true", help="only concepts with a refutational judgement")
    p.add_argument("--unjudged", action="store_true", help="only cells not yet judged")
    add_json(p)

    p = command(commands, "translate", cmd_translate,
                "record how a study translates into a concept (or --clear your judgement)")
    p.add_argument("--concept", required=True, metavar="NAME", help="the concept (a third-order construct)")
    p.add_argument("--study", required=True, metavar="ID", help="study id, DOI or unique title start")
    p.add_argument("--as", dest="kind", metavar="KIND",
                   help="reciprocal, refutational, line-of-argument or not-addressed")
    p.add_argument("--note", metavar="TEXT", help="why (kept with the judgement)")
    p.add_argument("--clear", action="store_true", help="take your judgement of this cell back")
    add_reviewer(p, required=True)
    add_json(p)

    p = command(commands, "relate", cmd_relate,
                "relate two third-order constructs for the line of argument (or --remove the relation)")
    p.add_argument("source", metavar="FROM", help="a third-order construct")
    p.add_argument("kind", metavar="KIND", help="leads-to, shapes or contrasts-with")
    p.add_argument("target", metavar="TO", help="a third-order construct")
    p.add_argument("--note", metavar="TEXT", help="how or why (kept with the relation)")
    p.add_argument("--remove", action="store_true", help="remove this relation")
    add_reviewer(p, required=True)
    add_json(p)

    p = command(commands, "synthesis", cmd_synthesis,
                "the third-order hierarchy with contributing studies, and the line of argument")
    _add_viewer(p)
    add_json(p)

    p = export_command(exports, "synthesis", cmd_export_synthesis,
                       "the synthesis: the hierarchy with contributing studies and the line of argument", ("md",))
    _add_viewer(p)

    p = export_command(exports, "grid", cmd_export_grid,
                       "the translation table: concept rows, study columns, second-order constructs, quotes and "
                       "judgements", ("csv", "md"))
    _add_viewer(p)
