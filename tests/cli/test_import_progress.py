"""Progress on long imports (issue 9): bars on stderr at a terminal, nothing when piped or quiet."""
import io

from workbench.cli.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_each_step(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress(delay=0) as tell:
        tell("reading files", 3, 10)
        tell("segmenting", 7, 10)
    shown = terminal.getvalue()
    assert "reading files" in shown and "segmenting" in shown and "7/10" in shown


def test_nothing_when_piped_quiet_or_quick(monkeypatch):
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    with progress() as tell:
        tell("reading files", 3, 10)
    assert piped.getvalue() == ""
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with progress(quiet=True) as tell:
        tell("reading files", 3, 10)
    with progress(delay=60) as tell:  # an import done within its first second shows nothing
        tell("reading files", 3, 10)
    assert terminal.getvalue() == ""
