"""The workbench's terminal interface.

``run(project_path, reviewer)`` opens the project as that reviewer and shows the coding screen.
The app is thin: the session calls the store, each coding is committed when it is made.
"""
from __future__ import annotations

import sqlite3
import sys
from dataclasses import replace
from pathlib import Path
from typing import ClassVar, Self

from rich.text import Text
from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from ..core.errors import WorkbenchError
from ..store.db import BusyError
from . import wide_chars
from .adjudicating import Adjudicating
from .commands import WorkbenchCommands
from .screens.agreement import AgreementScreen, StudyAgreementScreen
from .screens.alignment import AlignmentScreen
from .screens.coding import CodingScreen
from .screens.concepts import ConceptsScreen
from .screens.constructs import ConstructsScreen, ConstructTree
from .screens.evidence import EvidenceScreen
from .screens.grid import GridScreen
from .screens.help import HelpScreen, binding_rows, class_bindings
from .screens.memo import MemoScreen
from .screens.modals import ChooseScreen, ConfirmScreen, InputScreen
from .screens.orphans import OrphansScreen, PlaceOrphanScreen
from .screens.picker import ConstructPicker, OrderScreen
from .screens.search import SearchScreen
from .screens.spans import SpansScreen
from .screens.synthesis import SynthesisScreen
from .session import Session, StaleError
from .widgets.construct_panel import ConstructPanel
from .widgets.grid_table import GridTable, grid_mark_rows
from .widgets.study_list import StudyList
from .widgets.study_text import EDITING_ACTIONS, StudyText

BUSY = "Another process is writing to the project; your change was not saved — try again."
BUSY_READING = "Another process is writing to the project; it could not be read just now — try again."
RELOADED = "the lists are reloaded."
LIVE_REFRESH_SECONDS = 0.5  # how often the screen looks for what other processes wrote


class Guard:
    """``with app.guarded(what) as guard:`` around a call of the session: a refusal or a database
    error inside it is told to the reviewer (``app.refused``) instead of ending the app, and
    ``guard.failed`` says so afterwards. Any other exception is a bug and goes on."""

    def __init__(self, app: WorkbenchApp, what: str, reading: bool, note: str):
        self.app, self.what, self.reading, self.note = app, what, reading, note
        self.failed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind, exc, traceback) -> bool:
        if not isinstance(exc, (WorkbenchError, sqlite3.Error)):
            return False
        self.failed = True
        self.app.refused(self.what, exc, reading=self.reading, note=self.note)
        return True


def is_busy(exc: BaseException) -> bool:
    """Whether the error (or one it was raised from) is the store's BusyError or SQLite's own
    "database is locked" or "busy": another process holds the write lock longer than the busy
    timeout."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, BusyError):
            return True
        if isinstance(seen, sqlite3.OperationalError) and ("locked" in str(seen) or "busy" in str(seen)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


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
        """Open the project; a WorkbenchError (unknown reviewer, not a project ...) is raised here,
        before the terminal is touched."""
        super().__init__()
        wide_chars.install()
        self.session = Session.open(project_path, reviewer)
        self.title = self.session.project.settings.title
        self.sub_title = self.session.reviewer
        self.coding_screen = CodingScreen(self.session)
        self.notices: list[str] = []  # every notification's message, oldest first (for tests, logs)
        # memo text whose saving failed, by (target kind, target id): offered when it is opened again
        self._unsaved_memos: dict[tuple[str, int | None], str] = {}
        self.live_refresh = True  # look for other processes' writes every LIVE_REFRESH_SECONDS

    def on_mount(self) -> None:
        self.push_screen(self.coding_screen)
        self.set_interval(LIVE_REFRESH_SECONDS, self.catch_up)

    def catch_up(self) -> None:
        """Show what other processes (another reviewer, the CLI) wrote since the last look: one
        cheap check, then only what changed is re-read and repainted; the cursor, the selection
        and the open study stay as they are. A database busy or failing now is tried again at
        the next look."""
        if not self.live_refresh or not self.coding_screen.is_mounted:
            return
        try:
            outside = self.session.catch_up()
        except (WorkbenchError, sqlite3.Error):
            return
        if outside is None:
            return
        if outside.everything:
            self.refresh_after_change()
            return
        self.coding_screen.refresh_outside(outside)
        if outside.codings or outside.memos:
            for screen in self.screen_stack:
                if isinstance(screen, ConstructsScreen) or getattr(screen, "follows_changes", False):
                    screen.rebuild()
                elif outside.codings and hasattr(screen, "repaint_translation"):  # the grid's counts
                    screen.repaint_translation()

    def on_unmount(self) -> None:
        self.session.close()

    def notify(self, message, *, title: str = "", severity="information", timeout=None,
               markup: bool = True) -> None:
        self.notices.append(str(message))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def go_to_study(self, study_id: int) -> None:
        self.coding_screen.open_study(study_id)
        self.coding_screen.text_view.focus()

    # --- going places -----------------------------------------------------------------------------
    def _back_to_coding(self) -> None:
        """Close every screen above the coding screen (constructs, dialogs)."""
        while len(self.screen_stack) > 1 and self.screen is not self.coding_screen:
            self.pop_screen()

    def go_to_span(self, study_id: int, start: int, end: int) -> None:
        """Show the coding screen with ``[start, end)`` of the study selected (and in view)."""
        self._back_to_coding()
        screen = self.coding_screen
        if screen.session.study_id != study_id:
            screen.open_study(study_id)
        if screen.session.study_id == study_id:
            screen.text_view.select_offsets(start, end)
            screen.refresh_at_cursor()
        screen.text_view.focus()

    def show_constructs(self, select: int | None = None) -> None:
        """Open the constructs tree (or, if it is open, put its cursor on construct ``select``)."""
        for screen in self.screen_stack:
            if isinstance(screen, ConstructsScreen):
                while self.screen is not screen:
                    self.pop_screen()
                screen.rebuild(select=select)
                return
        self.push_screen(ConstructsScreen(self.session, select=select))

    def action_juxtaposition(self) -> None:
        """Open each study's key concepts (juxtaposition) above the coding screen."""
        self._open_above_coding(ConceptsScreen)

    def action_synthesis(self) -> None:
        """Open the synthesis tree above the coding screen."""
        self._open_above_coding(SynthesisScreen)

    def action_agreement(self) -> None:
        """Open the agreement between reviewers (and adjudication) above the coding screen."""
        if isinstance(self.screen, (AgreementScreen, StudyAgreementScreen)):
            return
        self._back_to_coding()
        self.push_screen(AgreementScreen(Adjudicating(self.session)))

    def _open_above_coding(self, kind) -> None:
        if isinstance(self.screen, kind):
            return
        self._back_to_coding()
        self.push_screen(kind(self.session))

    def show_grid(self, overarching: int | None | bool = False, refuted: bool | None = None,
                  unjudged: bool | None = None) -> None:
        """Open the translation grid (or go back to it, if it is open), with these filters changed
        (``GridScreen.set_filters``; ``False``/None leave one as it is)."""
        for screen in self.screen_stack:
            if isinstance(screen, GridScreen):
                while self.screen is not screen:
                    self.pop_screen()
                screen.set_filters(overarching, refuted, unjudged)
                return
        screen = GridScreen(self.session)
        if overarching is not False:
            screen.overarching = overarching
        screen.refuted = bool(refuted)
        screen.unjudged = bool(unjudged)
        self.push_screen(screen)

    def action_grid(self) -> None:
        self.show_grid()

    def action_grid_overarching(self) -> None:
        """Open the grid and ask which overarching construct to show."""
        self.show_grid()
        screen = self.screen
        if isinstance(screen, GridScreen):
            self.call_after_refresh(screen.action_filter_overarching)

    def jump_to_hit(self, hit) -> None:
        """Go where a search hit is: the study with the match selected; for a memo, what it is on."""
        from ..store.codings import place as coding_place
        from ..store.memos import memo_target

        if hit.kind == "study":
            self.go_to_span(hit.study_id, hit.start, hit.end)
            return
        with self.guarded(reading=True) as guard:
            target = memo_target(self.session.db, hit.memo_id)
        if guard.failed:
            return
        if target is None:
            self.notify("That memo is gone.", severity="warning")
            return
        kind, target_id = target
        if kind == "study":
            self.go_to_study_memo(target_id)
        elif kind == "coding":
            with self.guarded(reading=True) as guard:
                place = coding_place(self.session.db, target_id)
            if not guard.failed and place is not None:
                self.go_to_span(*place)
                self.notify("The memo's coding is selected: m opens the memo.", markup=False)
        elif kind == "construct":
            self.show_constructs(select=target_id)
            self.notify("The memo's construct is highlighted: e opens the memo.", markup=False)
        else:
            self.action_project_memo()

    def go_to_study_memo(self, study_id: int) -> None:
        self._back_to_coding()
        self.go_to_study(study_id)
        self.notify("The memo is on this study: M opens it.", markup=False)

    # --- refusals and database errors -------------------------------------------------------------
    def guarded(self, what: str = "", *, reading: bool = False, note: str = "") -> Guard:
        """A context manager for one call of the session (a change, or a read with ``reading``):
        a WorkbenchError or an sqlite3 error inside it becomes a notification (``what`` names what
        was refused, e.g. "Nothing coded"; ``note`` is added to it), what went stale is re-read,
        and the app stays open. ``guard.failed`` tells the caller to stop."""
        return Guard(self, what, reading, note)

    def refused(self, what: str, exc: BaseException, *, reading: bool = False, note: str = "") -> None:
        """Tell the reviewer why a change (or a read) did not happen, in words, and re-read what
        went stale: everything after another process changed the project, nothing otherwise."""
        try:
            stale = self.session.is_stale()
        except sqlite3.Error:
            stale = False
        if is_busy(exc):
            message = BUSY_READING if reading else BUSY
        elif isinstance(exc, StaleError):
            message, stale = f"{exc}; {RELOADED}", True
        elif isinstance(exc, sqlite3.IntegrityError):
            message, stale = ("Something this change refers to was changed by another process; nothing was "
                              f"saved and {RELOADED}"), True
        elif isinstance(exc, sqlite3.Error):
            message = f"The project database failed: {exc}; " + (
                "nothing was read." if reading else "nothing was saved.")
        else:
            message = f"{what}: {exc}" if what else str(exc)
            if stale:
                message += f" (another process changed the project: {RELOADED[:-1]})"
        self.notify(message + (f" {note}" if note else ""), severity="error", markup=False)
        if stale:
            self.reload_everything()

    def reload_everything(self) -> None:
        """Re-read everything the session shows and repaint every open screen (after another
        process changed the project underneath)."""
        try:
            self.session.reload_all()
            self.refresh_after_change()
        except (WorkbenchError, sqlite3.Error) as exc:
            self.notify(f"The project could not be re-read: {exc}", severity="error", markup=False)

    # --- changes that touch everything ------------------------------------------------------------
    def refresh_after_change(self, select: int | None = None, study_ids: tuple[int, ...] | None = None) -> None:
        """Repaint every open screen after a restructuring, an undo or a redo (the session has
        re-read what it shows). With ``study_ids`` only codings or memos of those studies changed:
        the study list repaints just their rows."""
        screen = self.coding_screen
        if study_ids is None:
            screen.refresh_all()
        else:
            screen.refresh_codings()
            for study_id in study_ids:
                screen.study_list.update_row(study_id)
        for open_screen in self.screen_stack:
            if isinstance(open_screen, ConstructsScreen):
                open_screen.rebuild(select=select)
            elif getattr(open_screen, "follows_changes", False):  # juxtaposition, synthesis
                open_screen.rebuild()
            elif hasattr(open_screen, "repaint_translation"):  # the grid and a cell's evidence
                open_screen.repaint_translation()

    def action_undo(self) -> None:
        self._undo_redo("undo")

    def action_redo(self) -> None:
        self._undo_redo("redo")

    def _undo_redo(self, which: str) -> None:
        s = self.session
        with self.guarded(f"Cannot {which}") as guard:
            result = s.undo() if which == "undo" else s.redo()
        if guard.failed:
            return
        if result is None:
            self.notify("Nothing to undo." if which == "undo" else "Nothing to redo.", severity="warning")
            return
        self.refresh_after_change(study_ids=None if s.touches_constructs(result) else result.study_ids)
        self.notify(f"{'Undone' if which == 'undo' else 'Redone'}: {undo_words(result)}", markup=False,
                    title="Undo" if which == "undo" else "Redo")

    # --- search and memos -------------------------------------------------------------------------
    def action_search(self) -> None:
        if isinstance(self.screen, SearchScreen):
            return
        self._search_flow()

    @work(exclusive=True, group="search")
    async def _search_flow(self) -> None:
        hit = await self.push_screen_wait(SearchScreen(self.session))
        if hit is not None:
            self.jump_to_hit(hit)

    def action_review_duplicates(self) -> None:
        """Open the review of possible duplicates; enter there opens the later study."""
        self._duplicates_flow()

    @work(exclusive=True, group="duplicates")
    async def _duplicates_flow(self) -> None:
        from .screens.duplicates import DuplicatesScreen

        study_id = await self.push_screen_wait(DuplicatesScreen())
        if study_id is not None:
            self.go_to_study(study_id)

    def action_align_constructs(self) -> None:
        """Open the alignment of another reviewer's own constructs with this reviewer's."""
        self.push_screen(AlignmentScreen())

    def action_orphans(self) -> None:
        """Open the list of this reviewer's orphaned codings (a replaced text left them without a place)."""
        from .screens.orphans import OrphansScreen

        if not isinstance(self.screen, OrphansScreen):
            self.push_screen(OrphansScreen())

    def action_project_memo(self) -> None:
        self.edit_memo("project", None, Text.assemble("Your memo on the project ",
                                                      (f"“{self.session.project.settings.title}”", "bold")))

    def edit_memo(self, target_kind: str, target_id: int | None, heading: Text | str) -> None:
        """Open the memo editor on this reviewer's memo of the target; save with the store."""
        self._memo_flow(target_kind, target_id, heading)

    @work(exclusive=True, group="memo")
    async def _memo_flow(self, target_kind: str, target_id: int | None, heading: Text | str) -> None:
        s = self.session
        key = (target_kind, target_id)
        with self.guarded("No memo", reading=True) as guard:
            text = s.memo_text(target_kind, target_id)
            others = s.other_memos(target_kind, target_id)
        if guard.failed:
            return
        title = f"Memo ({s.reviewer})"
        kept = self._unsaved_memos.pop(key, None)  # what the reviewer wrote last time, not saved then
        answer = await self.push_screen_wait(
            MemoScreen(heading, text, title=title, others=others) if kept is None
            else KeptMemoScreen(heading, text, kept, title=title, others=others))
        if answer is None:
            return
        note = "Your text is kept: open the memo again to save it." if answer.strip() else ""
        with self.guarded("Memo not saved", note=note) as guard:
            s.set_memo(target_kind, target_id, answer)
        if guard.failed:
            if note:
                self._unsaved_memos[key] = answer
            return
        self.coding_screen.refresh_memo_marks()
        for screen in self.screen_stack:
            if isinstance(screen, ConstructsScreen):
                screen.rebuild()
        self.notify("Memo saved." if answer else "Memo removed (u undoes).", markup=False)

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
            ("Constructs tree (k)", rows(ConstructsScreen) + rows(ConstructTree)),
            ("Spans of a construct (up/down to move, enter to open the study there)", rows(SpansScreen)),
            ("Key concepts of each study (J)", rows(ConceptsScreen)),
            ("Synthesis (Y)", rows(SynthesisScreen)),
            ("Translation grid (g)", rows(GridScreen) + rows(GridTable)),
            ("Evidence of a grid cell (enter in the grid; up/down to move, enter to go to the quote)",
             rows(EvidenceScreen)),
            ("Agreement between reviewers (A; up/down to move)", rows(AgreementScreen)),
            ("A study's disagreements (enter on a study in the agreement screen)", rows(StudyAgreementScreen)),
            ("Search (/): type, up/down to move, enter to go there", rows(SearchScreen)),
            ("Orphaned codings (palette; up/down to move, enter to select the words in the new text)",
             rows(OrphansScreen)),
            ("Placing an orphan: select the words", rows(PlaceOrphanScreen)),
            ("Memo editor (m, M, e)", rows(MemoScreen)),
            ("Rename (enter to rename)", rows(InputScreen)),
            ("Confirm", rows(ConfirmScreen)),
            ("Choose (up/down to move, enter to choose)", rows(ChooseScreen)),
            ("Align reviewers' constructs (palette)", rows(AlignmentScreen)),
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
        ]), ("Translation grid marks", grid_mark_rows())]
        self.push_screen(HelpScreen(self.help_groups() + mouse))


class KeptMemoScreen(MemoScreen):
    """The memo editor opened on text whose saving failed (the project was busy): it starts with
    that text, and saving it as it is saves it (it differs from the memo in the project)."""

    def __init__(self, heading: Text | str, saved: str, kept: str, **options):
        super().__init__(heading, kept, **options)
        self.saved = saved

    @property
    def changed(self) -> bool:
        return self.editor.text.strip() != self.saved.strip()


def undo_words(result) -> str:
    """What an undo or redo did, from the store's result (its description if it has one)."""
    for attr in ("description", "summary", "message", "text"):
        value = getattr(result, attr, None)
        if isinstance(value, str) and value:
            return value
    action = getattr(result, "action", None)
    return str(action) if action else str(result)


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
    except WorkbenchError as exc:
        raise SystemExit(f"workbench: {exc}") from None
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
