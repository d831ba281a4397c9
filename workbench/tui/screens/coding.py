"""The coding screen: study list | study text | at-cursor and constructs panels.

Every verb calls the session (which calls the store) inside ``app.guarded``, then repaints what
changed. A refusal (any WorkbenchError) or a database error (locked by another process, a construct
merged away underneath) becomes a notification in words; nothing is written when one is raised.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList

from ...core.constructs import ORDERS
from ...core.text import SpanError, check_span
from ...store.constructs import Construct
from .. import translating
from ..colours import order_badge
from ..session import STATUS_MARK, STATUS_WORDS, Outside, Session, ShownCoding, study_label
from ..spans import Span
from ..widgets.at_cursor import AtCursorPanel
from ..widgets.construct_panel import ConstructPanel, construct_id_of
from ..widgets.fit import clip, one_line
from ..widgets.status_bar import Status, StatusBar
from ..widgets.study_list import StudyList
from ..widgets.study_text import StudyText
from .modals import ChooseScreen, ConfirmScreen
from .picker import ConstructPicker, OrderScreen

UNDO = "Undo your last coding (with the construct it made, if nothing else uses it), removal, memo or restructuring"
NO_SELECTION = "Select some text first (shift+arrows or the mouse), or press s for the sentence."
REDO = "Redo what you last undid"
MEMO_MARK = "✎"


def coding_label(c: ShownCoding, width: int = 60, memo: bool = False) -> Text:
    text = order_badge(c.order)
    text.append(f" {c.construct}", Style(bold=True))
    if memo:
        text.append(f" {MEMO_MARK}", Style(bold=True))
    text.append(f"  {c.reviewer}, {c.start}-{c.end}  ", Style(dim=True))
    text.append(f"“{clip(c.exact, max(10, width - len(c.construct) - 20))}”", Style(italic=True))
    return text


class CodingScreen(Screen):
    BINDINGS = [
        Binding("c", "code", "Code", tooltip="Code the selection with a construct (picker; new ones too)"),
        Binding("x", "remove", "Remove", tooltip="Remove your coding at the cursor (kept, marked removed)"),
        Binding("o", "cycle_overlaps", "Overlaps", show=False, tooltip="Select the codings at the cursor in turn"),
        Binding("n", "next_study", "Study", key_display="n/p", tooltip="Next study"),
        Binding("p", "previous_study", "Prev", show=False, tooltip="Previous study"),
        Binding("t", "cycle_status", "Status", show=False, tooltip="Cycle your status of this study: to do, in progress, done"),
        Binding("v", "toggle_view", "Mine/all", show=False,
                tooltip="Show only your work and the shared codebook (blind coding) or every reviewer's (recorded)"),
        *[Binding(str(i), f"quick({i})", show=False,
                  description="Code the selection with your construct pinned to that number (p pins one in Constructs)")
          for i in range(1, 10)],
        Binding("k", "constructs", "Tree",
                tooltip="Constructs tree: hierarchy, codings per reviewer, every span of a construct, restructuring"),
        Binding("g", "app.grid", "Grid", show=False, tooltip="Translation grid: the review's concepts x the studies, with "
                                                  "judgements (enter on a cell: its evidence)"),
        Binding("m", "memo_coding", "Memo", tooltip="Edit your memo on the coding at the cursor"),
        Binding("M", "memo_study", "Study memo", show=False, tooltip="Edit your memo on this study"),
        Binding("J", "app.juxtaposition", "Concepts", show=False,
                tooltip="Each study's key concepts: its second-order constructs with the first-order ones under them"),
        Binding("Y", "app.synthesis", "Synthesis", show=False,
                tooltip="The synthesis: third-order constructs with their studies, and the line of argument"),
        Binding("A", "app.agreement", "Agreement", show=False, tooltip="Agreement between reviewers"),
        Binding("slash", "app.search", "Search", tooltip="Search study texts and memos"),
        Binding("ctrl+z", "app.undo", "Undo", show=False, priority=True, tooltip=UNDO),
        Binding("u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y", "app.redo", "Redo", show=False, priority=True, tooltip=REDO),
        Binding("U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("left_square_bracket", "toggle_studies", "Show/hide the study list", show=False),
        Binding("right_square_bracket", "toggle_side", "Show/hide the side panels", show=False),
        Binding("tab", "app.focus_next", "Next panel", show=False),
        Binding("shift+tab", "app.focus_previous", "Previous panel", show=False),
        Binding("ctrl+c,super+c", "screen.copy_text", "Copy selected text", show=False),
        Binding("question_mark", "app.help", "Help", tooltip="List every key"),
        Binding("q", "app.quit", "Quit", show=False, tooltip="Quit (every coding is already saved)"),
    ]

    def __init__(self, session: Session):
        super().__init__(id="coding")
        self.session = session
        self._cycle: tuple[list[int], int, tuple[int, int]] | None = None
        self.position = ""  # the text pane's bottom line, as plain text
        self._shown_text: str | None = None  # the session's text the view shows (replaced by reimport: reload)

    # --- layout ---------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield StatusBar(id="status")
        with Horizontal(id="main"):
            yield StudyList(id="studies")
            yield StudyText(id="text")
            with Vertical(id="side"):
                yield AtCursorPanel(id="at-cursor")
                yield ConstructPanel(id="constructs")
        yield Footer(compact=True)

    @property
    def text_view(self) -> StudyText:
        return self.query_one("#text", StudyText)

    @property
    def status_bar(self) -> StatusBar:
        return self.query_one("#status", StatusBar)

    @property
    def status_plain(self) -> str:
        """The top line as the reviewer reads it: name, view, status, legend, project."""
        return self.status_bar.plain

    @property
    def study_list(self) -> StudyList:
        return self.query_one("#studies", StudyList)

    @property
    def at_cursor(self) -> AtCursorPanel:
        return self.query_one("#at-cursor", AtCursorPanel)

    @property
    def construct_panel(self) -> ConstructPanel:
        return self.query_one("#constructs", ConstructPanel)

    def on_mount(self) -> None:
        s = self.session
        self.study_list.show(s.studies, None)
        self.refresh_study_order()
        if s.studies:
            self.open_study(s.studies[0]["id"])
        else:
            self.refresh_constructs()
            self.text_view.border_title = Text("No studies yet: import some with `workbench import`")
            self.refresh_study_header()
            self.refresh_at_cursor()
        self.text_view.focus()

    # --- repainting -----------------------------------------------------------------------------
    def open_study(self, study_id: int) -> None:
        """Show ``study_id``: its text, its codings, and it highlighted in the list."""
        s = self.session
        with self.app.guarded(reading=True) as guard:
            s.open_study(study_id)
        if guard.failed:
            return
        self._cycle = None
        self._shown_text = s.text
        self.text_view.load_study(s.text, s.units, self._spans())
        self.refresh_study_header()
        self.study_list.set_current(s.study_id)
        self.refresh_constructs()
        self.refresh_at_cursor()

    def _spans(self) -> list[Span]:
        me = self.session.reviewer_id
        return [Span(c.start, c.end, c.order, c.id, c.reviewer_id == me) for c in self.session.codings]

    def refresh_study_header(self) -> None:
        """The top line (reviewer, view, status, legend) and the text pane's title (the study,
        with its memo mark first, where a narrow pane does not cut it)."""
        s = self.session
        settings_title = s.project.settings.title or ""
        if s.study is None:
            self.status_bar.show(Status(s.reviewer, s.show_all, project=settings_title))
            return
        row = s.study_row() or {"status": "todo", "mine": 0}
        status = row["status"]
        self.status_bar.show(Status(s.reviewer, s.show_all, STATUS_MARK[status], STATUS_WORDS[status],
                                    settings_title))
        title = Text()
        if s.study_memo:  # first: a long title is cut at the pane's edge, the mark never is
            title.append(f"{MEMO_MARK} ", Style(bold=True))
        title.append(f"{s.study.get('year') or '----'} {study_label(s.study)}")
        if study_label(s.study) != s.study["title"]:
            title.append(f" - {one_line(s.study['title'])}")
        self.text_view.border_title = title
        self.refresh_position()

    def refresh_position(self) -> None:
        """The text pane's bottom line: where the open study is in the list, and how to show the
        list when it is folded away."""
        s = self.session
        ids = [row["id"] for row in s.studies]
        where = f"study {ids.index(s.study_id) + 1} of {len(ids)}" if s.study_id in ids else ""
        hint = "  [ shows the list" if not self.study_list.display else ""
        self.position = where + hint
        self.text_view.border_subtitle = Text(self.position, Style(dim=True))

    def on_resize(self) -> None:
        # the breakpoint (narrow: the study list folded away) is applied with the new size
        self.call_after_refresh(self.refresh_position)

    def refresh_codings(self) -> None:
        """Repaint highlights, panels and the list after the codings changed."""
        s = self.session
        self.text_view.set_spans(self._spans())
        self.refresh_at_cursor()
        self.refresh_constructs()
        if s.study_id is not None:
            self.study_list.update_row(s.study_id)
        self.refresh_study_header()

    def refresh_all(self) -> None:
        """Repaint everything from the session after a change that can touch any study or
        construct (restructuring, undo, redo): the list, the highlights, both panels, the header."""
        s = self.session
        self.study_list.show(s.studies, s.study_id)
        self.refresh_study_order()
        self._cycle = None
        if s.study is not None and s.text is not self._shown_text:  # the text was replaced (reimport)
            self._shown_text = s.text
            self.text_view.load_study(s.text, s.units, self._spans())
        self.text_view.set_spans(self._spans())
        self.refresh_at_cursor()
        self.refresh_constructs()
        self.refresh_study_header()

    def refresh_study_order(self) -> None:
        """Say the study order in effect under the study list ("chronological", "index: Newman 2025")."""
        with self.app.guarded(reading=True) as guard:
            words = translating.order_words(self.session)
        if not guard.failed:
            self.study_list.border_subtitle = words

    def refresh_outside(self, outside: Outside) -> None:
        """Repaint what another process changed (the session has re-read it): the open study's
        highlights if its codings changed, the rows of the studies touched, the panels and the
        header; the cursor and the selection stay where they are."""
        s = self.session
        if s.study_id in outside.studies:
            self._cycle = None
            self.text_view.set_spans(self._spans())
        for study_id in outside.studies:
            self.study_list.update_row(study_id)
        self.refresh_at_cursor()
        self.refresh_constructs()
        self.refresh_study_header()

    def refresh_memo_marks(self) -> None:
        """Repaint the memo marks (at-cursor panel, study title) after a memo was saved."""
        self.refresh_at_cursor()
        self.refresh_study_header()

    def refresh_constructs(self) -> None:
        s = self.session
        self.construct_panel.show(list(s.constructs.values()), s.counts(), s.pins)

    def refresh_at_cursor(self) -> None:
        a, b = self.text_view.selection_offsets()
        if a == b:
            codings = self.session.codings_at(self.text_view.cursor_offset)
            span = (self.text_view.cursor_offset,) * 2
        else:
            codings = self.session.codings_at(a, b)
            span = (a, b)
        self.at_cursor.show(codings, span, self.session.coding_memos)

    @on(StudyText.SelectionChanged)
    def _selection_changed(self) -> None:
        self.refresh_at_cursor()

    @on(StudyText.SentenceMissing)
    def _no_sentence(self) -> None:
        self.app.notify("No sentence there.", severity="warning")

    @on(StudyList.Selected)
    def _study_chosen(self, event: StudyList.Selected) -> None:
        event.stop()
        if event.study_id != self.session.study_id:
            self.open_study(event.study_id)
        self.text_view.focus()

    @on(OptionList.OptionSelected, "#constructs")
    def _construct_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        construct_id = construct_id_of(event.option.id)
        span = self._selection()
        if construct_id is not None and span is not None:
            self.apply(span[0], span[1], construct_id)

    @on(ConstructPanel.PinToggle)
    def _pin_toggled(self, event: ConstructPanel.PinToggle) -> None:
        event.stop()
        s = self.session
        with self.app.guarded("Not pinned") as guard:
            number, pinned = s.toggle_pin(event.construct_id)
        if guard.failed:
            return
        self.refresh_constructs()
        name = s.constructs[event.construct_id].name
        self.app.notify(f"Pinned “{name}” to {number}: {number} codes the selection with it." if pinned
                        else f"Unpinned “{name}”: {number} is free.", markup=False)

    # --- coding -----------------------------------------------------------------------------------
    def _selection(self) -> tuple[int, int] | None:
        """The selected span, or None after telling the reviewer why it cannot be coded."""
        a, b = self.text_view.selection_offsets()
        try:
            check_span(self.session.text, a, b)
        except SpanError as exc:
            if a == b:
                self.app.notify(NO_SELECTION, severity="warning", markup=False)
            else:
                self.app.notify(f"Nothing coded: {exc}.", severity="error", markup=False)
            return None
        return a, b

    def apply(self, start: int, end: int, construct_id: int) -> ShownCoding | None:
        """Code ``[start, end)`` with the construct, repaint, and say what was coded."""
        with self.app.guarded("Nothing coded") as guard:
            made = self.session.code(start, end, construct_id)
        if guard.failed:
            return None
        return self._coded(start, end, made)

    def apply_new(self, start: int, end: int, name: str, order: int, parent_id: int | None) -> ShownCoding | None:
        """Code ``[start, end)`` with a new construct made for it (one step: u takes both back)."""
        with self.app.guarded("Nothing coded, no construct made") as guard:
            made, created = self.session.code_new(start, end, name, order, parent_id)
        if guard.failed:
            return None
        return self._coded(start, end, made, f"New {ORDERS[created.order]} construct “{created.name}”"
                                             f"{self._under(created)}. ")

    def _coded(self, start: int, end: int, made: ShownCoding, made_note: str = "") -> ShownCoding:
        self.text_view.move_to_offset(start)
        self.refresh_codings()
        self.app.notify(f"{made_note}Coded {start}-{end} as {ORDERS[made.order]} “{made.construct}”: "
                        f"“{clip(made.exact, 50)}”", title="Coded", markup=False)
        return made

    def _under(self, construct: Construct) -> str:
        parent = self.session.constructs.get(construct.parent_id) if construct.parent_id else None
        return f" under “{parent.name}”" if parent else ""

    def action_code(self) -> None:
        if self.session.study is None:
            self.app.notify("No study is open.", severity="error")
            return
        span = self._selection()
        if span is not None:
            self._code_flow(span)

    @work(exclusive=True, group="dialog")
    async def _code_flow(self, span: tuple[int, int]) -> None:
        s = self.session
        a, b = span
        heading = Text.assemble(f"Code {a}-{b}: ", (f"“{clip(s.text[a:b], 70)}”", "italic"))
        picked = await self.app.push_screen_wait(ConstructPicker(list(s.constructs.values()), s.recent,
                                                                 heading=heading))
        if picked is None:
            return
        if picked.new_name:
            placed = await self._new_construct_flow(picked.new_name)
            if placed is not None:
                self.apply_new(a, b, picked.new_name, *placed)
        elif picked.construct_id is not None:
            self.apply(a, b, picked.construct_id)

    async def _new_construct_flow(self, name: str) -> tuple[int, int | None] | None:
        """Ask the new construct's order and parent: ``(order, parent id or None)``, or None if
        cancelled. The construct is made with the coding, in one step (``apply_new``)."""
        s = self.session
        with self.app.guarded("Construct not created") as guard:
            s.check_new_name(name)  # coding blind, another reviewer's name is refused before any question
        if guard.failed:
            return None
        order = await self.app.push_screen_wait(OrderScreen(name))
        if order is None:
            return None
        parent_id = None
        if any(c.order >= order for c in s.constructs.values()):
            heading = Text.assemble("New ", (ORDERS[order], "bold"), " construct ", (f"“{name}”", "bold"),
                                    ": put it under another construct, or choose (no parent).")
            picked = await self.app.push_screen_wait(ConstructPicker(
                list(s.constructs.values()), s.recent, mode="parent", min_order=order, heading=heading))
            if picked is None:
                return None
            parent_id = picked.construct_id
        return order, parent_id

    def action_quick(self, number: int) -> None:
        construct = self.session.quick_construct(number)
        if construct is None:
            self.app.notify(f"Nothing is pinned to {number}: in the Constructs panel (tab), highlight a "
                            "construct and press p to pin it.", severity="warning")
            return
        span = self._selection()
        if span is not None:
            self.apply(span[0], span[1], construct.id)

    # --- removing ---------------------------------------------------------------------------------
    def action_remove(self) -> None:
        s = self.session
        a, b = self.text_view.selection_offsets()
        here = s.codings_at(a, b) if a != b else s.codings_at(self.text_view.cursor_offset)
        mine = [c for c in here if c.reviewer_id == s.reviewer_id]
        if not here:
            self.app.notify("No coding at the cursor to remove.", severity="warning")
        elif not mine:
            self.app.notify("Only other reviewers' codings are here; you can remove only your own.",
                            severity="warning")
        else:
            self._remove_flow(mine)

    @work(exclusive=True, group="dialog")
    async def _remove_flow(self, mine: list[ShownCoding]) -> None:
        chosen = mine[0]
        if len(mine) > 1:
            picked = await self.app.push_screen_wait(ChooseScreen(
                [(c.id, coding_label(c)) for c in mine], title="Remove which coding?"))
            if picked is None:
                return
            chosen = next(c for c in mine if c.id == picked)
        question = Text("Remove this coding?\n\n")
        question.append_text(coding_label(chosen))
        question.append("\n\nIt stays in the database, marked removed, with an event.", Style(dim=True))
        if not await self.app.push_screen_wait(ConfirmScreen(question, title="Remove coding")):
            return
        with self.app.guarded("Not removed") as guard:
            self.session.remove(chosen.id)
        if guard.failed:
            return
        self._cycle = None
        self.refresh_codings()
        self.app.notify(f"Removed “{chosen.construct}” at {chosen.start}-{chosen.end}.", markup=False)

    # --- constructs and memos ---------------------------------------------------------------------
    def _here(self) -> list[ShownCoding]:
        """The shown codings under the cursor, or overlapping the selection."""
        a, b = self.text_view.selection_offsets()
        return self.session.codings_at(a, b) if a != b else self.session.codings_at(self.text_view.cursor_offset)

    def action_constructs(self) -> None:
        here = self._here()
        self.app.show_constructs(select=here[0].construct_id if here else None)

    def action_memo_coding(self) -> None:
        here = self._here()
        if not here:
            self.app.notify("No coding at the cursor: M writes a memo on the study.", severity="warning")
            return
        self._memo_coding_flow(here)

    @work(exclusive=True, group="dialog")
    async def _memo_coding_flow(self, here: list[ShownCoding]) -> None:
        chosen = here[0]
        if len(here) > 1:
            marked = self.session.coding_memos
            picked = await self.app.push_screen_wait(ChooseScreen(
                [(c.id, coding_label(c, memo=c.id in marked)) for c in here], title="Memo on which coding?"))
            if picked is None:
                return
            chosen = next(c for c in here if c.id == picked)
        heading = Text("Your memo on the coding ")
        heading.append_text(coding_label(chosen))
        self.app.edit_memo("coding", chosen.id, heading)

    def action_memo_study(self) -> None:
        s = self.session
        if s.study is None:
            self.app.notify("No study is open.", severity="error")
            return
        heading = Text.assemble("Your memo on the study ",
                                (f"{s.study.get('year') or '----'} {study_label(s.study)}", "bold"))
        if study_label(s.study) != s.study["title"]:
            heading.append(f": {clip(s.study['title'], 80)}", Style(italic=True))
        self.app.edit_memo("study", s.study_id, heading)

    # --- moving about ---------------------------------------------------------------------------
    def action_cycle_overlaps(self) -> None:
        """Select each coding at the cursor in turn (QualCoder's O)."""
        view = self.text_view
        current = view.selection_offsets()
        if self._cycle and self._cycle[2] == current:
            ids, index, _ = self._cycle
            index = (index + 1) % len(ids)
        else:
            a, b = current
            here = self.session.codings_at(a, b) if a != b else self.session.codings_at(view.cursor_offset)
            if not here:
                self.app.notify("No coding at the cursor.", severity="warning")
                return
            ids, index = [c.id for c in here], 0
        by_id = {c.id: c for c in self.session.codings}
        ids = [i for i in ids if i in by_id]
        if not ids:
            self._cycle = None
            return
        index %= len(ids)
        c = by_id[ids[index]]
        self._cycle = (ids, index, (c.start, c.end))
        view.select_offsets(c.start, c.end)
        self.app.notify(f"{index + 1}/{len(ids)}: {ORDERS[c.order]} “{c.construct}”, {c.reviewer}, "
                        f"{c.start}-{c.end}", timeout=3, markup=False)

    def _go(self, step: int) -> None:
        if not self.session.studies:
            self.app.notify("No studies yet: import some with `workbench import`.", severity="warning",
                            markup=False)
            return
        target = self.session.neighbour_study(step)
        if target is None:
            self.app.notify("This is the last study." if step > 0 else "This is the first study.",
                            severity="warning")
            return
        self.open_study(target)

    def action_next_study(self) -> None:
        self._go(1)

    def action_previous_study(self) -> None:
        self._go(-1)

    def action_cycle_status(self) -> None:
        with self.app.guarded() as guard:
            new = self.session.cycle_status()
        if guard.failed:
            return
        self.study_list.update_row(self.session.study_id)
        self.refresh_study_header()
        self.app.notify(f"Status of this study: {STATUS_WORDS[new]} {STATUS_MARK[new]}", markup=False)

    def action_toggle_view(self) -> None:
        with self.app.guarded("The view did not change") as guard:
            show_all = self.session.toggle_show_all()
        if guard.failed:
            return
        self._cycle = None
        self.refresh_codings()
        self.app.notify("Showing every reviewer's work: codings, constructs, links and memos (recorded)." if show_all
                        else "Showing only your work and the shared codebook (blind coding).")

    def action_toggle_studies(self) -> None:
        self._toggle(self.study_list)
        self.refresh_position()

    def action_toggle_side(self) -> None:
        self._toggle(self.query_one("#side"))

    def _toggle(self, panel) -> None:
        """Show or hide a panel; focus goes back to the text when it was inside the hidden one."""
        panel.display = not panel.display
        if not panel.display and self.focused is not None and (
                self.focused is panel or panel in self.focused.ancestors):
            self.text_view.focus()
