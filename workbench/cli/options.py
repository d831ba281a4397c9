"""What commands share: the project argument, ``--json``, ``--reviewer``, and turning what a user
typed (a study key, a construct name, a reviewer name) into ids, refusing with a message."""
from __future__ import annotations

import argparse
from typing import Any, Callable

from ..core.errors import WorkbenchError
from ..store.project import Project


def command(commands: Any, name: str, func: Callable[[argparse.Namespace], None], help: str,
            project: bool = True) -> argparse.ArgumentParser:
    """A sub-command ``name`` that runs ``func(args)``, with the PROJECT argument unless ``project``
    is False."""
    p = commands.add_parser(name, help=help, description=help)
    p.set_defaults(func=func)
    if project:
        p.add_argument("project", metavar="PROJECT", help="the project directory")
    return p


def group(commands: Any, name: str, help: str, description: str) -> Any:
    """A command with actions of its own (``workbench NAME ACTION ...``); returns its sub-commands."""
    return commands.add_parser(name, help=help, description=description).add_subparsers(
        dest="action", required=True, metavar="ACTION")


def export_command(exports: Any, name: str, func: Callable[[argparse.Namespace], None], help: str,
                   formats: tuple[str, ...]) -> argparse.ArgumentParser:
    """``workbench export NAME PROJECT --format F --out FILE``; the first format is the default
    when there is only one."""
    p = command(exports, name, func, help)
    p.add_argument("--format", choices=formats, required=len(formats) > 1,
                   default=formats[0] if len(formats) == 1 else None)
    p.add_argument("--out", required=True, metavar="FILE")
    return p


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def add_reviewer(p: argparse.ArgumentParser, help: str | None = None, required: bool = False) -> None:
    p.add_argument("--reviewer", required=required, metavar="NAME", help=help)


def add_all_reviewers(p: argparse.ArgumentParser) -> None:
    p.add_argument("--all-reviewers", action="store_true",
                   help="with --reviewer: show what other reviewers added too (their constructs, links and memos), "
                        "as v does on the screen; without it a reviewer sees what blind coding lets them see: "
                        "the shared codebook and their own work")


def hidden_from(project: Project, reviewer_id: int | None, args: argparse.Namespace):
    """What ``reviewer_id`` may not see coding blind (``store.blind.Hidden``): nothing when no
    reviewer was named or ``--all-reviewers`` was given."""
    from ..store import blind

    if reviewer_id is None or getattr(args, "all_reviewers", False):
        return blind.NOTHING
    return blind.hidden(project.db, reviewer_id)


def open_project(args: argparse.Namespace) -> Project:
    return Project.open(args.project)


def reviewer_or_none(project: Project, name: str | None) -> int | None:
    """The id of the named reviewer, None when no name was given; refuses an unknown name."""
    return None if name is None else project.reviewer_id(name)


def study_id(project: Project, key: str) -> int:
    """The study named by ``key`` (id, DOI or unique title start); refuses a key that names none."""
    from ..store.studies import find_study

    found = find_study(project.db, str(key))
    if found is None:
        raise WorkbenchError(f"no study matches {key!r}: give its id (see `workbench studies`), DOI or a unique "
                             "title start")
    return found


MAX_ID = 2**63 - 1  # the largest integer SQLite stores


def whole_number(text: str, option: str, high: int = MAX_ID) -> int:
    """``text`` as typed after ``option`` as a whole number from 0 to ``high``; refuses anything
    else (a sign, "²", 20 digits) with a message rather than letting it reach SQLite."""
    text = str(text).strip()
    if not (text.isascii() and text.isdigit()) or len(text.lstrip("0")) > len(str(high)) or int(text) > high:
        shown = text if len(text) <= 30 else text[:30] + "..."
        raise WorkbenchError(f"{option} takes a whole number from 0 to {high}, not {shown!r}")
    return int(text)


def construct(project: Project, name: str):
    """The construct called ``name`` (any case), or with id ``name``; a refusal suggests near names."""
    import difflib

    from ..store import constructs

    found = constructs.by_name(project.db, name)
    number = name.strip()
    if found is None and number.isascii() and number.isdigit() and int(number) <= MAX_ID:
        try:
            found = constructs.get(project.db, int(number))
        except WorkbenchError:
            found = None
    if found is None:
        names = [c.name for c in constructs.all_constructs(project.db)]
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else "; see `workbench constructs`"
        raise WorkbenchError(f"no construct called {name!r}{hint}")
    return found


def out_file(path: str):
    """The ``--out`` target as given (``-`` is standard output), checked before any work is done:
    refuses a project's own files, a directory, a missing or unwritable place (see
    ``interop.files.check_target``)."""
    from pathlib import Path

    from ..interop.files import STDOUT, check_target

    check_target(path)
    return STDOUT if path == STDOUT else Path(path)
