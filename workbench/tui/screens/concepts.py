"""Juxtaposition (Noblit & Hare phase 4, issue 11 item 2): what each study says. For each study,
in study order, its key concepts: the second-order constructs coded in it (or with a first-order
one under them coded in it), the first-order constructs underneath, and counts; then the
first-order constructs under none of them.

Enter on a construct lists its spans in that study (rolled up along links); enter there opens the
study with the span selected. ``v`` switches between the reviewer's own work (blind) and
everybody's. CLI twin: ``workbench concepts PROJECT [--study ID] [--json]``.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from ...store.translation import Counted, StudyConcepts
from .. import translating
from ..colours import order_badge
from ..session import Session
from .spans import SpansScreen

UNDO = "Undo your last change"
REDO = "Redo what you last undid"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class ConceptsScreen(Screen):
    """Each study's key concepts, one list in study order; follows changes (``follows_changes``)."""

    follows_changes = True  # the app rebuilds it after a change, an undo, or another process's codings

    DEFAULT_CSS = """
    #concepts-heading { height: auto; padding: 0 1; }
    #concepts { height: 1fr; border: none; }
    #concepts > .option-list--option-disabled { color: $text; }
    """

    BINDINGS = [
        Binding("enter", "spans", "Spans", tooltip="The construct's spans in that study (enter there opens it)"),
        Binding("v", "toggle_view", "Mine/all",
                tooltip="Only your work and the shared codebook (blind) or every reviewer's (recorded)"),
        Binding("ctrl+z,u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y,U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("Y", "app.synthesis", "Synthesis", show=False, tooltip="The synthesis: third-order constructs, "
                                                                        "their studies and relations"),
        Binding("escape,J,q", "close", "Back", tooltip="Back to the coding screen"),
        Binding("question_mark", "app.help", "Help", show=False, tooltip="List every key"),
    ]

    def __init__(self, session: Session):
        super().__init__(id="concepts-screen")
        self.session = session
        self.studies: list[StudyConcepts] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Static(id="concepts-heading")
            yield OptionList(id="concepts")
        yield Footer(compact=True)

    @property
    def options(self) -> OptionList:
        return self.query_one("#concepts", OptionList)

    def on_mount(self) -> None:
        self.rebuild()
        self.options.focus()

    @property
    def plain(self) -> str:
        """The heading and every line of the list, as the reviewer reads them."""
        lines = [str(self.query_one("#concepts-heading", Static).render())]
        lines += [str(o.prompt) for o in self.options.options]
        return "\n".join(lines)

    def rebuild(self) -> None:
        """Read the studies' concepts again and show them, keeping the cursor on its construct."""
        s = self.session
        with self.app.guarded(reading=True) as guard:
            self.studies = translating.study_concepts(s)
            order = translating.order_words(s)
        if guard.failed:
            return
        heading = Text()
        heading.append("Key concepts of each study", Style(bold=True))
        heading.append(f" (juxtaposition) · {'every reviewer’s codings' if s.show_all else 'your codings'}",
                       Style(dim=True))
        heading.append(f" · study order: {order}", Style(dim=True))
        self.query_one("#concepts-heading", Static).update(heading)
        options = self.options
        kept = options.highlighted_option.id if options.highlighted_option is not None else None
        options.clear_options()
        options.add_options(self._options())
        ids = [o.id for o in options.options]
        if kept in ids:
            options.highlighted = ids.index(kept)
        else:
            options.highlighted = next((i for i, o in enumerate(options.options) if not o.disabled), None)

    def _options(self) -> list[Option]:
        found: list[Option] = []
        for study in self.studies:
            seconds, loose = study.second_order, study.loose
            head = Text()
            head.append(study.study.label, Style(bold=True))
            head.append(f"  {_plural(len(seconds), 'second-order construct')}", Style(dim=True))
            if loose:
                head.append(f", {_plural(len(loose), 'first-order one')} under none", Style(dim=True))
            found.append(Option(head, id=f"study-{study.study.id}", disabled=True))
            if not seconds and not loose:
                found.append(Option(Text("    no second- or first-order constructs coded", style="dim italic"),
                                    id=f"none-{study.study.id}", disabled=True))
            for second in seconds:
                line = Text("  ")
                line.append_text(order_badge(2))
                line.append(f" {second.node.name}")
                line.append(f"  {_plural(second.codings, 'coding')}; "
                            f"{_plural(second.first_order_codings, 'first-order coding')} under it", Style(dim=True))
                found.append(Option(line, id=f"c-{study.study.id}-{second.node.id}-{len(found)}"))
                found += [self._first(study.study.id, c, 6, len(found) + i) for i, c in enumerate(second.first_order)]
            if loose:
                found.append(Option(Text("    first-order constructs under no second-order one:", style="dim"),
                                    id=f"loose-{study.study.id}", disabled=True))
                found += [self._first(study.study.id, c, 6, len(found) + i) for i, c in enumerate(loose)]
        return found

    @staticmethod
    def _first(study_id: int, counted: Counted, indent: int, n: int) -> Option:
        line = Text(" " * indent)
        line.append_text(order_badge(1))
        line.append(f" {counted.node.name}")
        line.append(f"  {counted.codings}", Style(dim=True))
        return Option(line, id=f"c-{study_id}-{counted.node.id}-{n}")

    # --- actions ------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_spans()

    def action_spans(self) -> None:
        option = self.options.highlighted_option
        if option is None or option.disabled or not option.id.startswith("c-"):
            return
        _, study_id, construct_id, _ = option.id.split("-")
        self._spans_flow(int(study_id), int(construct_id))

    @work(exclusive=True, group="dialog")
    async def _spans_flow(self, study_id: int, construct_id: int) -> None:
        s = self.session
        with self.app.guarded(reading=True) as guard:
            spans = translating.spans_in_study(s, construct_id, study_id)
            shown = translating.construct(s, construct_id)
        if guard.failed:
            return
        study = next((x.study.label for x in self.studies if x.study.id == study_id), "the study")
        chosen = await self.app.push_screen_wait(SpansScreen(shown, spans,
                                                             "every reviewer's" if s.show_all else "yours",
                                                             f"in {study}, in text order"))
        if chosen is not None:
            self.app.go_to_span(chosen.study_id, chosen.start, chosen.end)

    def action_toggle_view(self) -> None:
        self.app.coding_screen.action_toggle_view()
        self.rebuild()

    def action_close(self) -> None:
        self.app.pop_screen()
