"""The ``workbench`` command line: every TUI action has a scriptable twin here.

Exit status: 0 on success, 1 when the project, the input or the request is refused (the message
says why, on stderr, and nothing was written), 2 for a malformed command line.

One module per command group; each has ``register(commands, exports)``, which adds its
sub-commands to ``commands`` and its ``export WHAT`` kinds to ``exports``. Heavy modules (YAML,
XML, spaCy, Textual) are imported inside the commands, so every command starts fast.
"""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

from ..core.errors import WorkbenchError
from . import (adjudication, agreement, alignment, codebook, coding, constructs, duplicates, exchange, history, keeping,
               matrix, memos, merge, pins, project, reanchor, search, studies, suggest, translation)

# The groups in the order ``workbench --help`` lists their commands.
GROUPS = (project, studies, duplicates, reanchor, coding, pins, constructs, suggest, codebook, memos, history, search,
          matrix, translation, agreement, alignment, adjudication, merge, exchange, keeping)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workbench", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    exports = commands.add_parser(
        "export", help="export tables and files: workbench export WHAT PROJECT --format F --out FILE",
        description="Export tables and files; every kind takes PROJECT, --format and --out.",
    ).add_subparsers(dest="what", required=True, metavar="WHAT")
    for group in GROUPS:
        group.register(commands, exports)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a WorkbenchError becomes its message on stderr and exit status 1."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["duplicates"] and len(argv) > 1 and argv[1] not in ("list", "resolve", "-h", "--help"):
        argv.insert(1, "list")  # `workbench duplicates PROJECT` lists, as the issue and README spell it
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except WorkbenchError as exc:
        print(f"workbench: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    return 0
