"""``workbench init``, ``build`` and ``open``: making a project, building it from the sources and
codebook its project.yaml names, and opening the coding workbench on it."""
from __future__ import annotations

from pathlib import Path

from ..core.errors import WorkbenchError
from ..store.project import Project
from .options import add_reviewer, command, open_project


def cmd_init(args) -> None:
    with Project.create(args.project, title=args.title, question=args.question or "",
                        reviewers=args.reviewer) as project:
        print(f"created project {project.settings.title!r} in {project.root}")


def cmd_build(args) -> None:
    from ..interop.manifest import read_sources
    from ..store.studies import add_studies

    with open_project(args) as project:
        settings = project.settings
        if not settings.sources and not settings.codebook:
            raise WorkbenchError(f"{project.root / 'project.yaml'} lists no sources and no codebook to build from")
        load_codebook = _build_codebook(project, settings.codebook) if settings.codebook else None
        if settings.sources:
            records = read_sources(project.root, settings.sources)
            report = add_studies(project.db, records)
            flagged = f", {len(report.possible)} flagged as possible duplicates" if report.possible else ""
            print(f"{settings.title}: {len(report.added)} studies imported{flagged}, "
                  f"{len(report.duplicates)} already present")
        if load_codebook is not None:
            load_codebook()


def _build_codebook(project: Project, name: str):
    """Check the project's codebook now, before anything is imported, and return the function that
    loads it (into a project without constructs: a first build) and says what it did."""
    from ..interop.codebook_files import read_file
    from ..store.codebook import load
    from ..store.constructs import all_constructs
    from .codebook import checked

    if all_constructs(project.db):
        return lambda: print(f"codebook {name}: not loaded, the project has constructs already "
                             "(`workbench codebook load` merges a changed codebook)")
    path = project.root / name
    codebook, kind, problems = read_file(path)
    with checked():
        codebook = _require(codebook, path, problems)
        load(project.db, codebook, str(path), None, kind, dry_run=True, problems=problems)

    def load_it() -> None:
        report = load(project.db, codebook, str(path), None, kind, problems=problems)
        print(f"codebook {name}: {len(report.added)} constructs loaded")

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

    command(commands, "build", cmd_build, "import the sources listed in project.yaml that are not imported yet")

    p = command(commands, "open", cmd_open, "open the coding workbench (TUI)")
    add_reviewer(p, required=True)
