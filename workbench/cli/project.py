"""``workbench init``, ``build`` and ``open``: making a project, building it from the sources,
codebook and codings file its project.yaml names, and opening the coding workbench on it."""
from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

from ..core.errors import WorkbenchError
from ..store.project import Project
from .options import add_reviewer, command, open_project


def cmd_init(args) -> None:
    with Project.create(args.project, title=args.title, question=args.question or "",
                        reviewers=args.reviewer) as project:
        print(f"created project {project.settings.title!r} in {project.root}")


def cmd_build(args) -> None:
    from ..interop.codings_file import CodingsFileError

    try:
        _build(args)
    except CodingsFileError as exc:  # as a refused codebook: each problem on a line, then the count
        for line in exc.lines():
            print(line, file=sys.stderr)
        raise WorkbenchError(exc.summary()) from None


def _build(args) -> None:
    from ..interop.manifest import read_sources
    from ..store.studies import add_studies

    with open_project(args) as project:
        settings = project.settings
        if not settings.sources and not settings.codebook and not settings.codings:
            raise WorkbenchError(f"{project.root / 'project.yaml'} lists no sources, no codebook and no codings "
                                 "to build from")
        # both files are read and checked before anything is imported
        load_codebook = _build_codebook(project, settings.codebook) if settings.codebook else None
        load_codings = _build_codings(project, settings.codings) if settings.codings else None
        said: list[str] = []
        # The codings are placed in the texts the build imports, so with a codings file the whole build
        # is one transaction: a quote not found leaves the project as it was.
        with project.db.atomic() if load_codings else nullcontext():
            if settings.sources:
                records = read_sources(project.root, settings.sources)
                report = add_studies(project.db, records)
                flagged = f", {len(report.possible)} flagged as possible duplicates" if report.possible else ""
                said.append(f"{settings.title}: {len(report.added)} studies imported{flagged}, "
                            f"{len(report.duplicates)} already present")
            if load_codebook is not None:
                said.append(load_codebook())
            if load_codings is not None:
                said.append(load_codings())
        print("\n".join(said))


def _build_codebook(project: Project, name: str) -> Callable[[], str]:
    """Check the project's codebook now, before anything is imported, and return the function that
    loads it (into a project without constructs: a first build) and says what it did."""
    from ..interop.codebook_files import read_file
    from ..store.codebook import load
    from ..store.constructs import all_constructs
    from .codebook import checked

    if all_constructs(project.db):
        return lambda: (f"codebook {name}: not loaded, the project has constructs already "
                        "(`workbench codebook load` merges a changed codebook)")
    path = project.root / name
    codebook, kind, problems = read_file(path)
    with checked():
        codebook = _require(codebook, path, problems)
        load(project.db, codebook, str(path), None, kind, dry_run=True, problems=problems)

    def load_it() -> str:
        report = load(project.db, codebook, str(path), None, kind, problems=problems)
        return f"codebook {name}: {len(report.added)} constructs loaded"

    return load_it


def _build_codings(project: Project, name: str) -> Callable[[], str]:
    """Read the project's codings file now (its structure: YAML, keys, values) and return the function
    that, once the studies and the codebook are in, places every quote and loads the codings, unless
    a reviewer it names has codings already; it says what it did."""
    from ..interop.codings_file import load_judgements, plan, read
    from ..store.coding_sets import load, reviewers_with_codings

    path = project.root / name
    book = read(path)

    def load_it() -> str:
        reviewers = {r: project.ensure_reviewer(r) for r in book.reviewers()}
        had = reviewers_with_codings(project.db, list(reviewers.values()))
        if had:
            return (f"codings {name}: not loaded, {', '.join(had)} ha{'s' if len(had) == 1 else 've'} codings "
                    "already")
        planned = plan(project.db, book, str(path), reviewers)
        report = load(project.db, str(path), planned.codings, planned.constructs)
        judged = load_judgements(project.db, planned, str(path))
        n, studies = len(report.added), len(planned.studies)
        made = f", {len(report.constructs)} constructs created" if report.constructs else ""
        judgements = f", {judged} translation judgement{'s' if judged != 1 else ''}" if judged else ""
        return (f"codings {name}: {n} coding{'s' if n != 1 else ''} in {studies} stud{'ies' if studies != 1 else 'y'} "
                f"loaded for {', '.join(reviewers)}{made}{judgements}")

    return load_it


def _require(codebook, path: Path, problems):
    from ..core.codebook import CodebookError

    if codebook is None:
        raise CodebookError(str(path), problems)
    return codebook


def cmd_open(args) -> None:
    with open_project(args) as project:
        project.reviewer_id(args.reviewer)  # fail here, before the screen is taken over
    from ..tui.app import run

    run(Path(args.project), args.reviewer)


def register(commands, exports) -> None:
    p = command(commands, "init", cmd_init, "create a project directory with project.yaml and an empty database")
    p.add_argument("--title")
    p.add_argument("--question", help="the review question")
    p.add_argument("--reviewer", action="append", default=[], metavar="NAME", help="a reviewer (repeat for more)")

    command(commands, "build", cmd_build, "import the sources listed in project.yaml that are not imported yet; on a first "
            "build, load its codebook and its codings file")

    p = command(commands, "open", cmd_open, "open the coding workbench (TUI)")
    add_reviewer(p, required=True)
