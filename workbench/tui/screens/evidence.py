"""The evidence of one grid cell (enter in the translation grid): how a study expresses a concept.

Above: the concept and the study, the study's second-order constructs that reach the concept, and
the judgements shown (the reviewer's own while coding blind; everybody's after ``v``). Below: every
coded span of the study that rolls up to the concept, in text order, each with its order,
construct, reviewer, offsets, link chain and the quote in its context; enter goes to the span in
the study text. Keys: ``r`` reciprocal, ``f`` refutational, ``l`` line of argument, ``n`` not
addressed (each then asks for a note), ``x`` takes the reviewer's judgement back; ``s`` links one
of the study's constructs to the concept (suggestions, best first, with their reasons), ``L``
unlinks one. Every change is the store's undoable event: ``u``/``U`` undo and redo.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.translation import KIND_WORDS, Cell, TranslationError
from ...store.translation import Evidence, RolledSpan
from ..colours import ORDER_COLOURS, order_badge
from ..widgets.fit import clip, one_line
from ..widgets.grid_table import MARKS
from .coding import REDO, UNDO
from .modals import ChooseScreen, InputScreen
from .spans import CONTEXT_CHARS, QUOTE_CHARS, _middle_clip

if TYPE_CHECKING:
    from .grid import GridScreen

KEYS = "r f l n judge (then a note)  x clear  s link  L unlink  enter go to quote  v mine/all  u undo"


class NoteScreen(InputScreen):
    """The note of a judgement: one line, which may be left empty."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()  # InputScreen's handler refuses an empty line
        self.dismiss(" ".join(event.value.split()))


def span_option(number: int, r: RolledSpan) -> Text:
    """``1. [1] Construct · reviewer · 41-97`` / ``reached: A ← B (interprets)`` / the quote in context."""
    c = r.span
    text = Text()
    text.append(f"{number:>3}. ", Style(dim=True))
    text.append_text(order_badge(r.order))
    text.append(f" {r.construct}", Style(bold=True))
    text.append(f" · {c.reviewer} · {c.start}-{c.end}\n", Style(dim=True))
    text.append("     ")
    if r.direct:
        text.append("coded with the concept itself\n", Style(dim=True, italic=True))
    else:
        text.append(f"{r.chain}  ({', '.join(r.steps)})\n", Style(dim=True, italic=True))
    text.append("     ")
    prefix = one_line(c.prefix)[-CONTEXT_CHARS:]
    suffix = one_line(c.suffix)[:CONTEXT_CHARS]
    text.append(("…" if c.prefix else "") + prefix + (" " if c.prefix[-1:].isspace() else ""), Style(dim=True))
    text.append("«", Style(dim=True))
    text.append(_middle_clip(one_line(c.exact), QUOTE_CHARS),
                Style(bold=True, italic=True, color=ORDER_COLOURS.get(r.order, ORDER_COLOURS[1]).swatch))
    text.append("»", Style(dim=True))
    text.append((" " if c.suffix[:1].isspace() else "") + suffix + ("…" if c.suffix else ""), Style(dim=True))
    return text


class EvidenceScreen(Screen):
    BINDINGS = [
        Binding("r", "judge('reciprocal')", "Reciprocal", tooltip="Judge the cell reciprocal: the study says the "
                                                                  "same in its own words (then a note)"),
        Binding("f", "judge('refutational')", "Refutational", tooltip="Judge the cell refutational: the study "
                                                                      "contradicts the concept (then a note)"),
        Binding("l", "judge('line_of_argument')", "Line of arg.", show=False, tooltip="Judge the cell line of argument: the "
                                                                          "study adds a part of the whole (then a note)"),
        Binding("n", "judge('not_addressed')", "Not addressed", show=False, tooltip="Judge the cell not addressed by the study "
                                                                        "(then a note)"),
        Binding("x", "clear", "Clear", tooltip="Take your judgement of the cell back"),
        Binding("s", "link", "Link", tooltip="Link one of the study's constructs to the concept (suggestions, "
                                             "best first, with the words they share)"),
        Binding("L", "unlink", "Unlink", show=False, tooltip="Unlink one of the study's constructs from the concept"),
        Binding("v", "toggle_view", "Mine/all", show=False, tooltip="Only your codings and judgements (blind) or "
                                                                    "every reviewer's (recorded)"),
        Binding("ctrl+z,u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y,U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("escape,q", "close", "Back", tooltip="Back to the grid"),
        Binding("question_mark", "app.help", "Help", show=False, tooltip="List every key"),
    ]

    def __init__(self, grid_screen: GridScreen, concept_id: int, study_id: int):
        super().__init__(id="evidence-screen")
        self.grid_screen = grid_screen
        self.translating = grid_screen.translating
        self.concept_id = concept_id
        self.study_id = study_id
        self.evidence: Evidence | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="evidence-box"):
            yield Static(id="evidence-head")
            yield OptionList(id="evidence-spans")
            yield Static(Text(KEYS, Style(dim=True)), id="evidence-keys")
        yield Footer(compact=True)

    @property
    def spans_list(self) -> OptionList:
        return self.query_one("#evidence-spans", OptionList)

    def on_mount(self) -> None:
        self.reload()
        self.spans_list.focus()

    # --- reading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the cell's evidence again and show it, keeping the highlighted quote."""
        with self.app.guarded(reading=True) as guard:
            self.evidence = self.translating.evidence(self.concept_id, self.study_id)
        if guard.failed:
            return
        ev = self.evidence
        self.query_one("#evidence-head", Static).update(self.head_text())
        spans = self.spans_list
        highlighted = spans.highlighted
        spans.clear_options()
        if ev.spans:
            spans.add_options([Option(span_option(i + 1, r), id=f"span-{r.span.coding_id}")
                               for i, r in enumerate(ev.spans)])
            spans.highlighted = min(highlighted or 0, len(ev.spans) - 1)
        else:
            mine = "" if self.translating.viewer is None else " of yours (v shows every reviewer's)"
            spans.add_option(Option(Text(f"No coding{mine} in this study reaches the concept: s links one of the "
                                         "study's constructs to it.", Style(dim=True, italic=True)), disabled=True))

    def repaint_translation(self) -> None:
        """Called by the app after an undo, a redo or another process's change."""
        self.reload()

    def cell(self) -> Cell | None:
        """The cell as the grid screen last read it (None if the concept is no longer a row)."""
        grid = self.grid_screen.full
        try:
            return grid.cell(self.concept_id, self.study_id) if grid is not None else None
        except TranslationError:  # the concept left the grid (an undo): no second-order constructs shown
            return None

    def head_text(self) -> Text:
        ev = self.evidence
        s = self.translating.session
        text = Text()
        text.append_text(order_badge(ev.concept.order))
        text.append(f" {ev.concept.name}", Style(bold=True))
        text.append("  in  ")
        text.append(ev.study.label, Style(bold=True))
        text.append("   " + ("every reviewer's work" if s.show_all else f"{s.reviewer}'s work (blind)"),
                    Style(dim=True))
        cell = self.cell()
        seconds = [n.name for n in cell.second_order] if cell is not None else []
        text.append("\nSecond-order constructs of the study reaching it: ")
        text.append("; ".join(seconds) if seconds else "none", Style(color=ORDER_COLOURS[2].swatch))
        counts: dict[int, int] = {}
        for r in ev.spans:
            counts[r.order] = counts.get(r.order, 0) + 1
        text.append(f"\n{len(ev.spans)} coded span{'s' if len(ev.spans) != 1 else ''} roll up to it"
                    + (" (" + ", ".join(f"{n} {word}" for word, n in
                                       (("third-order", counts.get(3, 0)), ("second-order", counts.get(2, 0)),
                                        ("first-order", counts.get(1, 0))) if n) + ")" if ev.spans else "") + ".",
                    Style(dim=True))
        text.append("\nJudgement: ")
        if not ev.judgements:
            text.append("not judged yet", Style(italic=True))
            text.append(" (r, f, l or n judges it)", Style(dim=True))
        for i, j in enumerate(ev.judgements):
            mark, colour = MARKS[j.kind]
            text.append("\n  " if len(ev.judgements) > 1 else "")
            text.append(f"{mark} ", Style(color=colour, bold=True))
            text.append(KIND_WORDS[j.kind], Style(bold=True, color=colour))
            text.append(f" ({j.reviewer})" if s.show_all or j.reviewer_id != s.reviewer_id else "", Style(dim=True))
            if j.note:
                text.append(f" — {j.note}")
        return text

    @property
    def plain(self) -> str:
        """The heading and the quotes as the reviewer reads them."""
        lines = [self.head_text().plain] if self.evidence else []
        lines += [str(o.prompt) for o in self.spans_list.options]
        return "\n".join(lines)

    # --- judging ---------------------------------------------------------------------------------
    def action_judge(self, kind: str) -> None:
        self._judge_flow(kind)

    @work(exclusive=True, group="dialog")
    async def _judge_flow(self, kind: str) -> None:
        with self.app.guarded(reading=True) as guard:
            own = self.translating.own_judgement(self.concept_id, self.study_id)
        if guard.failed:
            return
        ev = self.evidence
        question = Text.assemble(f"{ev.study.label} is ", (KIND_WORDS[kind], "bold"), " for ",
                                 (f"“{ev.concept.name}”", "bold"), ". Your note (why; enter with none is fine):")
        note = await self.app.push_screen_wait(NoteScreen(question, value=own.note if own else "",
                                                          title="Translation judgement"))
        if note is None:
            return
        with self.app.guarded("Not judged") as guard:
            made = self.translating.judge(self.concept_id, self.study_id, kind, note)
        if guard.failed:
            return
        self.after_judgement()
        self.app.notify(f"{ev.study.label} is {KIND_WORDS[made.kind]} for “{ev.concept.name}” (u undoes).",
                        markup=False)

    def action_clear(self) -> None:
        ev = self.evidence
        with self.app.guarded("Nothing cleared") as guard:
            gone = self.translating.clear(self.concept_id, self.study_id)
        if guard.failed:
            return
        self.after_judgement()
        self.app.notify(f"Your judgement of {ev.study.label} for “{ev.concept.name}” is taken back "
                        f"(it was {KIND_WORDS[gone.kind]}; u undoes).", markup=False)

    def after_judgement(self) -> None:
        self.grid_screen.rejudged(self.concept_id, self.study_id)
        self.reload()

    # --- links -----------------------------------------------------------------------------------
    def action_link(self) -> None:
        self._link_flow()

    @work(exclusive=True, group="dialog")
    async def _link_flow(self) -> None:
        with self.app.guarded("No suggestions", reading=True) as guard:
            found = self.translating.suggestions(self.concept_id, self.study_id)
        if guard.failed:
            return
        ev = self.evidence
        if not found.candidates:
            why = "; ".join(found.notes) or "each construct the study voices is linked to it already"
            self.app.notify(f"Nothing to link to “{ev.concept.name}” from {ev.study.label}: {why}.", markup=False)
            return
        items = []
        for c in found.candidates:
            label = Text()
            label.append_text(order_badge(c.order))
            label.append(f" {c.name}", Style(bold=True))
            label.append(f"  {c.score:.0f}\n     {clip(c.reason, 90)}", Style(dim=True))
            items.append((c.construct_id, label))
        chosen = await self.app.push_screen_wait(ChooseScreen(
            items, title=f"Link to “{clip(ev.concept.name, 40)}”: which of {ev.study.label}'s constructs?"))
        if chosen is None:
            return
        with self.app.guarded("Not linked") as guard:
            made = self.translating.link(chosen, self.concept_id)
        if guard.failed:
            return
        self.after_links()
        self.app.notify(f"Linked: “{made.from_name}” {made.kind} “{made.to_name}” (u undoes).", markup=False)

    def action_unlink(self) -> None:
        self._unlink_flow()

    @work(exclusive=True, group="dialog")
    async def _unlink_flow(self) -> None:
        cell = self.cell()
        with self.app.guarded("Cannot unlink", reading=True) as guard:
            found = self.translating.cell_links(cell) if cell is not None else []
        if guard.failed:
            return
        if not found:
            self.app.notify("None of this study's constructs is linked to the concept directly.", markup=False)
            return
        items = [(x.id, f"“{x.from_name}” {x.kind} “{x.to_name}”") for x in found]
        link_id = await self.app.push_screen_wait(ChooseScreen(items, title="Remove which link?"))
        if link_id is None:
            return
        with self.app.guarded("Not unlinked") as guard:
            gone = self.translating.session.unlink(link_id)
        if guard.failed:
            return
        self.after_links()
        self.app.notify(f"Unlinked: “{gone.from_name}” {gone.kind} “{gone.to_name}” (u undoes).", markup=False)

    def after_links(self) -> None:
        self.grid_screen.reload()
        self.reload()

    # --- going places and view -------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#evidence-spans")
    def _go(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        coding_id = int(event.option.id.removeprefix("span-"))
        span = next(r.span for r in self.evidence.spans if r.span.coding_id == coding_id)
        self.app.go_to_span(span.study_id, span.start, span.end)

    def action_toggle_view(self) -> None:
        self.app.coding_screen.action_toggle_view()
        self.grid_screen.reload()
        self.reload()

    def action_close(self) -> None:
        self.app.pop_screen()
