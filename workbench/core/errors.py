"""The one base of every refusal the workbench makes to a user."""
from __future__ import annotations


class WorkbenchError(Exception):
    """A request refused for a reason the user can act on.

    ``str(error)`` is the whole message for the user: it names the file, line, record or object
    in the way and, where there is one, what to do. The CLI prints it and exits 1; the TUI shows
    it as a notification. Anything that is not a WorkbenchError is a bug and keeps its traceback.
    """
