"""Progress of a long command on stderr: Rich's bars, on a terminal only, and only once the
command has run for a second (a quick import prints nothing more than its report)."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Callable, Iterator

Tell = Callable[[str, int, int], None]


@contextmanager
def progress(quiet: bool = False, delay: float = 1.0) -> Iterator[Tell]:
    """Yield ``tell(step, done, total)``: a bar per step ("reading files", "segmenting", ...) on
    stderr, shown from ``delay`` seconds after the start and cleared at the end. Nothing is shown
    with ``quiet`` or when stderr is not a terminal (piped, redirected, in tests)."""
    if quiet or not sys.stderr.isatty():
        yield lambda step, done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bars = Progress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=True)
    tasks: dict[str, int] = {}
    start = time.monotonic()

    def tell(step: str, done: int, total: int) -> None:
        if not bars.live.is_started:
            if time.monotonic() - start < delay:
                return
            bars.start()
        if step not in tasks:
            tasks[step] = bars.add_task(step, total=total)
        bars.update(tasks[step], completed=done, total=total)

    try:
        yield tell
    finally:
        if bars.live.is_started:
            bars.stop()
