"""``workbench export qdpx`` and ``workbench import PROJECT FILE.qdpx``: the whole project as a
REFI-QDA project, for NVivo, ATLAS.ti, MAXQDA, QualCoder and the ``qualitative-coding`` package;
``workbench export annotations``: the codings as W3C Web Annotations, for annotation tools."""
from __future__ import annotations

import argparse

from ..core.errors import WorkbenchError
from .options import add_reviewer, export_command, open_project, out_file, reviewer_or_none
from .output import plural, print_json, wrote


def is_qdpx(path) -> bool:
    """Whether an import file is a REFI-QDA project: by its name, or a ZIP's first bytes."""
    from pathlib import Path

    path = Path(path)
    if path.suffix.lower() == ".qdpx":
        return True
    try:
        with open(path, "rb") as handle:
            return path.suffix.lower() not in (".xlsx", ".docx") and handle.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def cmd_export_qdpx(args) -> None:
    from ..interop.refi_qdpx import export_qdpx

    out = out_file(args.out)
    with open_project(argparse.Namespace(project=args.project)) as project:
        snap = export_qdpx(project.db, out, project.settings.title, project.settings.question)
    n = len(snap.studies)
    wrote(out, f"wrote REFI-QDA project {out}: {n} stud{'y' if n == 1 else 'ies'}, "
               f"{plural(len(snap.entries), 'construct')}, {plural(len(snap.codings), 'coding')}, "
               f"{plural(len(snap.memos), 'memo')}, {plural(len(snap.judgements), 'translation judgement')}, "
               f"{plural(len(snap.reviewers), 'reviewer')}")


def import_qdpx(args) -> None:
    """``workbench import PROJECT FILE.qdpx``: read the whole file first, then merge it in one
    transaction; say what came in and everything that did not."""
    from ..core.codebook import CodebookError
    from ..interop.refi_qdpx import read_qdpx
    from ..store.exchange import bring_in

    if len(args.files) != 1:
        raise WorkbenchError("a .qdpx is a whole project: import it on its own, one file per command")
    if args.map or any(getattr(args, k, None) is not None for k in ("title", "authors", "year", "doi", "journal")):
        raise WorkbenchError("--map, --title, --authors, --year, --doi and --journal do not apply to a .qdpx: "
                             "its sources carry their own metadata")
    path = args.files[0]
    exchange = read_qdpx(path)
    with open_project(args) as project:
        who = reviewer_or_none(project, args.reviewer)
        try:
            report = bring_in(project.db, exchange, who)
        except CodebookError as exc:
            lines = "\n".join(exc.lines()[:20])
            raise WorkbenchError(f"{lines}\n{path}: its codebook cannot merge with the project's constructs; "
                                 "nothing was imported") from None
    if args.json:
        print_json(report.as_dict())
        return
    n = len(report.studies_added)
    print(f"imported {path}: {n} stud{'y' if n == 1 else 'ies'} added"
          + (f", {len(report.studies_matched)} matched by their text" if report.studies_matched else "")
          + f"; {report.constructs_added} constructs added, {report.constructs_changed} changed, "
            f"{report.constructs_unchanged} unchanged; {plural(report.codings_added, 'coding')} added"
          + (f" ({report.codings_present} already there)" if report.codings_present else "")
          + f"; {plural(report.memos_added + report.memos_appended, 'memo')}"
          + f"; {plural(report.judgements_added, 'translation judgement')}")
    if report.reviewers_added:
        print(f"  reviewers added: {', '.join(report.reviewers_added)}")
    for name, study in report.studies_matched:
        print(f"  matched    {name!r} is study {study} (the same text)")
    for note in report.notes:
        print(f"  note: {note}")
    for item in report.left_out:
        print(f"  not imported: {item}")


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
    p = export_command(exports, "qdpx", cmd_export_qdpx,
                       "the whole project as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder",
                       ("qdpx",))
    p.description = ("Write the project as a REFI-QDA .qdpx: reviewers as users, the constructs (hierarchy, colours, "
                     "order) as the codebook, each study as a text source with its codings, memos as notes, study "
                     "metadata as variables, translation judgements as notes. `workbench import PROJECT FILE.qdpx` "
                     "reads it back.")
