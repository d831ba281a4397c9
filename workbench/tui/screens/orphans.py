"""Orphaned codings (palette): your codings that a replaced study text left without a place, each
with its stored quote in its context and the best candidate stretch of the new text.

``b`` places the highlighted orphan on its best candidate; enter opens the study's new text with
the candidate (or the start) selected, where the reviewer selects the words and presses enter to
place it there (``PlaceOrphanScreen``); ``x`` drops it (it stays removed, in the log). Each is an
event that ``u`` undoes. CLI twins: ``workbench orphans PROJECT [--place ID --start N --end M |
--best] [--drop ID]``.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.widgets.text_area import Selection

from ...core.text import line_starts
from ..widgets.fit import clip, one_line

CONTEXT = 32


def orphan_label(o, number: int) -> Text:
    """``1. Heist 2018 · 'Staying'`` then ``…prefix «quote» suffix…`` and the best candidate."""
    text = Text()
    text.append(f"{number:>3}. ", Style(dim=True))
    text.append(clip(o.study, 30), Style(bold=True))
    text.append(f" · {clip(o.construct, 40)}\n     ", Style(dim=True))
    text.append(("…" if o.prefix else "") + one_line(o.prefix)[-CONTEXT:]
                + (" " if o.prefix[-1:].isspace() else ""), Style(dim=True))
    text.append("«", Style(dim=True))
    text.append(clip(one_line(o.exact), 200), Style(bold=True, italic=True))
    text.append("»", Style(dim=True))
    text.append((" " if o.suffix[:1].isspace() else "") + one_line(o.suffix)[:CONTEXT]
                + ("…" if o.suffix else ""), Style(dim=True))
    text.append("\n     ")
    if o.candidate is None:
        text.append("nothing in the new text is like it", Style(dim=True, italic=True))
    else:
        s, e, score = o.candidate
        text.append(f"best candidate {s}-{e}, {score:.0f}% alike: ", Style(dim=True))
        text.append(f"“{clip(one_line(o.candidate_text), 80)}”", Style(color="#e0a526"))
    return text


class OrphansScreen(ModalScreen[None]):
    """The session reviewer's orphaned codings; placing or dropping one repaints the list."""

    BINDINGS = [
        Binding("b", "best", "Best candidate", tooltip="Place the orphan on its best candidate"),
        Binding("x", "drop", "Drop", tooltip="Drop the orphan (it stays removed, with its quote, in the log)"),
        Binding("escape,q", "cancel", "Back", tooltip="Back to coding"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.orphans: list = []
        self.heading = Text()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker orphans") as box:
            box.border_title = "Orphaned codings"
            yield Static("", id="orphans-heading", classes="dialog-body")
            yield OptionList(id="orphans")
            yield Static(Text("up/down: move   enter: select the words in the new text   b: best candidate   "
                              "x: drop   escape: back   (u undoes on the coding screen)", style="dim"),
                         classes="dialog-keys")

    def on_mount(self) -> None:
        self.rebuild()
        self.query_one("#orphans", OptionList).focus()

    def rebuild(self, keep: int = 0) -> None:
        """Re-read the reviewer's orphans and list them, the highlight near row ``keep``."""
        with self.app.guarded("Cannot list the orphaned codings", reading=True) as guard:
            self.orphans = self.app.session.orphans()
        if guard.failed:
            return
        n = len(self.orphans)
        heading = Text()
        heading.append(f"{n} orphaned coding{'' if n == 1 else 's'} of yours", Style(bold=True))
        heading.append(" — a study's text was replaced and the quote was not found in it", Style(dim=True))
        self.heading = heading
        self.query_one("#orphans-heading", Static).update(heading)
        options = self.query_one("#orphans", OptionList)
        options.clear_options()
        if self.orphans:
            options.add_options([Option(orphan_label(o, i + 1), id=f"orphan-{i}") for i, o in enumerate(self.orphans)])
            options.highlighted = min(keep, n - 1)
        else:
            options.add_option(Option(Text("No orphaned codings: every coding of yours is on its study's text.",
                                           style="dim italic"), disabled=True))

    @property
    def plain(self) -> str:
        return "\n".join([self.heading.plain] + [str(o.prompt) for o in self.query_one("#orphans", OptionList).options])

    def _highlighted(self):
        index = self.query_one("#orphans", OptionList).highlighted
        if index is None or not self.orphans:
            return None
        return index, self.orphans[index]

    def place(self, index: int, orphan, start: int, end: int) -> None:
        with self.app.guarded("Not placed") as guard:
            placed = self.app.session.place_orphan(orphan.coding_id, start, end)
        if guard.failed:
            return
        self.app.notify(f"Placed “{clip(orphan.exact, 40)}” ({orphan.study}) on “{clip(placed['exact'], 40)}”. "
                        "u undoes.", markup=False)
        self.app.refresh_after_change()
        self.rebuild(keep=index)

    def action_best(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        index, orphan = found
        if orphan.candidate is None:
            self.app.notify("Nothing in the new text is like it: press enter to select the words yourself",
                            severity="warning")
            return
        self.place(index, orphan, orphan.candidate[0], orphan.candidate[1])

    def action_drop(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        index, orphan = found
        with self.app.guarded("Not dropped") as guard:
            self.app.session.drop_orphan(orphan.coding_id)
        if guard.failed:
            return
        self.app.notify(f"Dropped “{clip(orphan.exact, 40)}” ({orphan.study}); it stays removed, in the log. "
                        "u undoes.", markup=False)
        self.app.refresh_after_change()
        self.rebuild(keep=index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id.removeprefix("orphan-"))
        orphan = self.orphans[index]
        with self.app.guarded("Cannot open the study's text", reading=True) as guard:
            text = self.app.session.study_text(orphan.study_id)
        if guard.failed:
            return

        def chosen(span: tuple[int, int] | None) -> None:
            if span is not None:
                self.place(index, orphan, *span)

        self.app.push_screen(PlaceOrphanScreen(orphan, text), chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlaceOrphanScreen(ModalScreen["tuple[int, int] | None"]):
    """The study's new text, read-only, with the orphan's best candidate selected: the reviewer
    selects the words (shift+arrows, or drag) and presses enter; dismisses with ``(start, end)``."""

    BINDINGS = [
        Binding("enter", "place", "Place here", tooltip="Place the orphan on the selected words", priority=True),
        Binding("escape", "cancel", "Back", tooltip="Back to the orphaned codings"),
    ]

    def __init__(self, orphan, text: str) -> None:
        super().__init__(classes="dialog-screen")
        self.orphan = orphan
        self.text = text
        self.starts = line_starts(text)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo place-orphan") as box:
            box.border_title = clip(f"Place “{one_line(self.orphan.exact)}” in {self.orphan.study}", 70)
            yield Static(Text.assemble(("Was: ", "dim"), (f"«{clip(one_line(self.orphan.exact), 200)}»", "bold italic")),
                         classes="dialog-body")
            yield TextArea(self.text, read_only=True, soft_wrap=True, id="place-text")
            yield Static(Text("select the words (shift+arrows or drag)   enter: place here   escape: back",
                              style="dim"), classes="dialog-keys")

    def location(self, offset: int) -> tuple[int, int]:
        from bisect import bisect_right

        row = bisect_right(self.starts, offset) - 1
        return row, offset - self.starts[row]

    def offset(self, location: tuple[int, int]) -> int:
        row, column = location
        return self.starts[row] + column

    def on_mount(self) -> None:
        area = self.query_one("#place-text", TextArea)
        if self.orphan.candidate is not None:
            s, e, _ = self.orphan.candidate
            area.selection = Selection(self.location(s), self.location(e))
            self.call_after_refresh(area.scroll_cursor_visible, center=True)
        area.focus()

    @property
    def selected(self) -> tuple[int, int] | None:
        start, end = sorted(self.query_one("#place-text", TextArea).selection)
        a, b = self.offset(start), self.offset(end)
        return (a, b) if b > a else None

    def action_place(self) -> None:
        span = self.selected
        if span is None:
            self.app.notify("Select the words to place it on first", severity="warning")
            return
        self.dismiss(span)

    def action_cancel(self) -> None:
        self.dismiss(None)
