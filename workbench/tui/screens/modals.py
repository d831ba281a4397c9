"""Small modal dialogs: confirm (yes/no) and choose (one of a list)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; y or enter says yes, n or escape says no."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str | Text, title: str = "Confirm"):
        super().__init__(classes="dialog-screen")
        self.question = question if isinstance(question, Text) else Text(question)
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.dialog_title
            yield Static(self.question, classes="dialog-body")
            yield Static(Text("y / enter: yes     n / escape: no", style="dim"), classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ChooseScreen(ModalScreen["int | None"]):
    """Pick one of several items (``(id, label)``); enter picks, escape cancels (None)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, items: list[tuple[int, Text | str]], title: str = "Choose"):
        super().__init__(classes="dialog-screen")
        self.items = items
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.dialog_title
            yield OptionList(*[Option(label, id=f"item-{item_id}") for item_id, label in self.items],
                             id="choices")
            yield Static(Text("up/down: move     enter: choose     escape: cancel", style="dim"),
                         classes="dialog-keys")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id.removeprefix("item-")))

    def action_cancel(self) -> None:
        self.dismiss(None)
