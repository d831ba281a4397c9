"""The translation grid (g, or the palette): the review's concepts x the studies in study order.

Rows are the concepts (third-order constructs under their overarching ones; second-order ones
while there is no third-order construct), columns the studies; a cell shows the study's
second-order constructs that interpret the concept, the first-order quotes under them, the
codings of the concept itself and the judgement's mark; beside each concept its summary
(studies contributing, refuting, not judged). The line under the table names the cursor cell in
words. Blind like coding: the reviewer's own codings and judgements, everybody's after ``v``.
Filters: ``o`` one overarching construct, ``R`` only rows with a refutation, ``N`` only unjudged
cells, ``a`` every row again. Enter opens the cell's evidence (``screens.evidence``). The CLI
twins are ``workbench grid``, ``translate``, ``suggest`` and ``export grid``.
"""
from __future__ import annotations

import gc

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...core.translation import KIND_WORDS, Grid
from ..session import Session
from ..translating import Translating
from ..widgets.fit import clip
from ..widgets.grid_table import GridTable, legend
from .coding import REDO, UNDO
from .modals import ChooseScreen

ALL_ROWS = 0  # the "every overarching construct" choice of the o filter


class GridScreen(Screen):
    BINDINGS = [
        Binding("enter", "evidence", "Evidence", tooltip="Evidence of the cell: every quote in context, the "
                                                         "judgements; judge, link, unlink, go to a quote"),
        Binding("o", "filter_overarching", "Overarching", tooltip="Show only the concepts under one "
                                                                  "overarching construct"),
        Binding("R", "filter_refuted", "Refuted", tooltip="Show only concepts with a refutational judgement "
                                                          "(again: every concept)"),
        Binding("N", "filter_unjudged", "Unjudged", tooltip="Show only cells not judged yet (again: every cell)"),
        Binding("a", "filter_none", "All", show=False, tooltip="Show every concept and cell (no filter)"),
        Binding("v", "toggle_view", "Mine/all", tooltip="Only your codings and judgements (blind) or every "
                                                        "reviewer's (recorded)"),
        Binding("ctrl+z,u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y,U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("escape,g,q", "close", "Back", tooltip="Back to the coding screen"),
        Binding("question_mark", "app.help", "Help", show=False, tooltip="List every key"),
    ]

    def __init__(self, session: Session):
        super().__init__(id="grid-screen")
        self.session = session
        self.translating = Translating(session)
        self.full: Grid | None = None  # every row, as read
        self.overarching: int | None = None
        self.refuted = False
        self.unjudged = False

    def compose(self) -> ComposeResult:
        yield Static(id="grid-title")
        yield GridTable(id="grid")
        yield Static(id="grid-status")
        yield Static(legend(), id="grid-legend")
        yield Footer(compact=True)

    @property
    def table(self) -> GridTable:
        return self.query_one("#grid", GridTable)

    @property
    def grid(self) -> Grid | None:
        return self.table.grid

    def on_mount(self) -> None:
        self.reload()
        self.table.focus()

    # --- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the grid again (after a link, an undo, another process's change), keeping the cursor."""
        with self.app.guarded(reading=True) as guard:
            self.full = self.translating.grid()
        if guard.failed:
            return
        # the model is some 100,000 objects at 200 x 100: kept out of the cyclic collector's full
        # passes, which otherwise walk them all and stall a cursor move now and then (0.15 s);
        # they are still freed by reference counting when the grid is read again
        gc.freeze()
        self.show()

    def repaint_translation(self) -> None:
        """Called by the app after an undo, a redo or another process's change."""
        self.reload()

    def rejudged(self, concept_id: int, study_id: int) -> None:
        """Re-read one cell's judgements (after one was recorded or cleared), fast at any size."""
        with self.app.guarded(reading=True) as guard:
            self.full = self.translating.rejudged(self.full, concept_id, study_id)
        if not guard.failed:
            self.show()

    def show(self) -> None:
        """Apply the filters to the grid read and show it, the cursor on the same cell if shown."""
        cell = self.table.current_cell
        with self.app.guarded("Cannot filter") as guard:
            shown = self.full.filtered(self.overarching, self.refuted, self.unjudged)
        if guard.failed:
            self.overarching = None
            shown = self.full.filtered(None, self.refuted, self.unjudged)
        self.table.empty_words = ("No concept matches the filters: a shows every concept." if self.full.rows
                                  else "No concepts yet: code third-order constructs (or second-order ones) first.")
        self.table.show(shown, cell.concept_id if cell else None, cell.study_id if cell else None)
        self.refresh_title()
        self.refresh_status()

    def refresh_title(self) -> None:
        s = self.session
        grid = self.grid
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" Translation grid", Style(bold=True))
        text.append(f"  {len(grid.rows)} concept{'s' if len(grid.rows) != 1 else ''} x "
                    f"{len(grid.columns)} stud{'y' if len(grid.columns) == 1 else 'ies'} in study order", Style(dim=True))
        text.append("  · every reviewer's work" if s.show_all else f"  · {s.reviewer}'s work (blind)")
        filters = []
        if self.overarching is not None:
            filters.append(f"under “{self.full.constructs[self.overarching].name}”")
        if self.refuted:
            filters.append("refuted")
        if self.unjudged:
            filters.append("unjudged cells")
        if filters:
            text.append("  · only " + ", ".join(filters), Style(bold=True, color="#e0a526"))
        self.query_one("#grid-title", Static).update(text)

    @property
    def status_plain(self) -> str:
        return self.status_text().plain

    def status_text(self) -> Text:
        """The cursor cell in words: study, concept, judgement(s), what the study expresses."""
        table = self.table
        row, cell = table.current_row, table.current_cell
        text = Text()
        if row is None or cell is None:
            text.append(" o, R, N filter; a shows every concept." if self.full and self.full.rows else "", "dim")
            return text
        column = self.grid.columns[table.column]
        text.append(f" {column.label}", Style(bold=True))
        text.append(" × ")
        text.append(row.concept.name, Style(bold=True))
        text.append(": ")
        if cell.judgements:
            text.append("; ".join(f"{j.reviewer} {KIND_WORDS[j.kind]}" + (f" (“{clip(j.note, 40)}”)" if j.note else "")
                                  for j in cell.judgements))
        else:
            text.append("not judged", Style(italic=True))
        text.append(". ")
        if cell.second_order:
            text.append(f"Second-order: {'; '.join(n.name for n in cell.second_order)}. ")
        elif not cell.has_evidence:
            text.append("Nothing coded in it reaches this concept. ")
        text.append(f"{cell.first_order_codings} first-order quote{'s' if cell.first_order_codings != 1 else ''}, "
                    f"{cell.concept_codings} coding{'s' if cell.concept_codings != 1 else ''} of the concept.",
                    Style(dim=True))
        return text

    def refresh_status(self) -> None:
        self.query_one("#grid-status", Static).update(self.status_text())

    @on(GridTable.Moved)
    def _moved(self) -> None:
        self.refresh_status()

    @on(GridTable.Chosen)
    def _chosen(self) -> None:
        self.action_evidence()

    # --- actions ---------------------------------------------------------------------------------
    def action_evidence(self) -> None:
        from .evidence import EvidenceScreen

        cell = self.table.current_cell
        if cell is None:
            self.app.notify("No cell here: the grid has no concepts shown.", severity="warning")
            return
        self.app.push_screen(EvidenceScreen(self, cell.concept_id, cell.study_id))

    def action_filter_overarching(self) -> None:
        self._overarching_flow()

    @work(exclusive=True, group="dialog")
    async def _overarching_flow(self) -> None:
        groups = [g for g, _ in self.full.groups() if g is not None]
        if not groups:
            self.app.notify("No concept sits under an overarching construct yet.", severity="warning")
            return
        items = [(ALL_ROWS, Text("every overarching construct (no filter)", Style(italic=True)))]
        items += [(g.id, Text(g.name)) for g in groups]
        chosen = await self.app.push_screen_wait(ChooseScreen(items, title="Concepts under which construct?"))
        if chosen is None:
            return
        self.set_filters(overarching=None if chosen == ALL_ROWS else chosen)

    def set_filters(self, overarching: int | None | bool = False, refuted: bool | None = None,
                    unjudged: bool | None = None) -> None:
        """Change the filters (``False``/None: leave that one as it is) and show the grid again."""
        if overarching is not False:
            self.overarching = overarching
        if refuted is not None:
            self.refuted = refuted
        if unjudged is not None:
            self.unjudged = unjudged
        self.show()

    def action_filter_refuted(self) -> None:
        self.set_filters(refuted=not self.refuted)

    def action_filter_unjudged(self) -> None:
        self.set_filters(unjudged=not self.unjudged)

    def action_filter_none(self) -> None:
        self.set_filters(overarching=None, refuted=False, unjudged=False)

    def action_toggle_view(self) -> None:
        self.app.coding_screen.action_toggle_view()
        self.reload()

    def action_close(self) -> None:
        self.app.pop_screen()
