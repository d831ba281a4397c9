"""The workbench's terminal interface.

``run(project_path, reviewer)`` opens the project as that reviewer and shows the coding screen.
The app is thin: the session calls the store, each coding is committed when it is made.
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ..store.project import ProjectError
from .commands import WorkbenchCommands
from .screens.coding import CodingScreen
from .screens.help import HelpScreen, binding_rows, class_bindings
from .screens.modals import ChooseScreen, ConfirmScreen
from .screens.picker import ConstructPicker, OrderScreen
from .session import Session
from .widgets.construct_panel import ConstructPanel
from .widgets.study_list import StudyList
from .widgets.study_text import EDITING_ACTIONS, StudyText


class WorkbenchApp(App[None]):
    """Coding workbench for one reviewer of one project."""

    CSS_PATH = "app.tcss"
    NOTIFICATION_TIMEOUT = 4
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    HORIZONTAL_BREAKPOINTS: ClassVar = [(0, "-narrow"), (100, "-normal"), (140, "-wide")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", show=False, tooltip="List every key"),
        Binding("ctrl+p", "command_palette", "Palette", show=False,
                tooltip="Command palette: every action, and go to a study by title"),
    ]

    def __init__(self, project_path: Path | str, reviewer: str):
        """Open the project; ProjectError (unknown reviewer, not a project ...) is raised here,
        before the terminal is touched."""
        super().__init__()
        self.session = Session.open(project_path, reviewer)
        self.title = self.session.project.settings.title
        self.sub_title = self.session.reviewer
        self.coding_screen = CodingScreen(self.session)
        self.notices: list[str] = []  # every notification's message, oldest first (for tests, logs)

    def on_mount(self) -> None:
        self.push_screen(self.coding_screen)

    def on_unmount(self) -> None:
        self.session.close()

    def notify(self, message, *, title: str = "", severity="information", timeout=None,
               markup: bool = True) -> None:
        self.notices.append(str(message))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def go_to_study(self, study_id: int) -> None:
        self.coding_screen.open_study(study_id)
        self.coding_screen.text_view.focus()

    # --- help -------------------------------------------------------------------------------------
    def help_groups(self):
        """(title, rows) per place a key works, generated from the bindings."""
        show = self.get_key_display

        def rows(cls, exclude=()):
            skip = (Screen,) if issubclass(cls, ModalScreen) else ()
            return binding_rows([_described(b) for b in class_bindings(cls, exclude, skip)], show)

        return [
            ("Everywhere", rows(type(self), {"help_quit"})),
            ("Coding screen", rows(CodingScreen)),
            ("Study text: cursor and selection", rows(StudyText, EDITING_ACTIONS)),
            ("Study list", rows(StudyList)),
            ("Constructs panel", rows(ConstructPanel)),
            ("Construct picker", rows(ConstructPicker)),
            ("New construct: order", rows(OrderScreen)),
            ("Confirm", rows(ConfirmScreen)),
            ("Choose (up/down to move, enter to choose)", rows(ChooseScreen)),
        ]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        mouse = [("Mouse", [
            ("drag", "Select text in the study text"),
            ("click", "Open a study (study list); code the selection (constructs panel)"),
        ]), ("Colours", [
            ("amber", "first-order constructs (participants' views)"),
            ("teal", "second-order constructs (authors' interpretations)"),
            ("violet", "third-order constructs (reviewers' interpretations)"),
            ("deeper + underlined", "two or more codings overlap"),
        ])]
        self.push_screen(HelpScreen(self.help_groups() + mouse))


def _described(binding: Binding) -> Binding:
    """The binding as help shows it: its tooltip (the longer text) as its description, and its
    own key rather than the footer's shorthand (``n/p``)."""
    return replace(binding, description=binding.tooltip or binding.description, key_display=None)


def run(project_path: Path, reviewer: str) -> None:
    """Open the project at ``project_path`` as ``reviewer`` in the terminal until the reviewer quits.

    An unknown reviewer or a path that is not a project ends the program with the store's message
    (SystemExit, status 1) before the terminal is taken over.
    """
    try:
        app = WorkbenchApp(project_path, reviewer)
    except ProjectError as exc:
        raise SystemExit(f"workbench: {exc}") from None
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
