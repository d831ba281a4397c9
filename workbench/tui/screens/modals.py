"""Small modal dialogs: confirm (yes/no), choose (one of a list), and one line of text; the
ask-before-discarding close of the editors."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; y says yes, n or escape says no, and enter gives the ``default``:
    yes, except where the change would touch other reviewers' work (``default=False``)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
        Binding("enter", "default", "Yes; no where the change would touch other reviewers' work"),
    ]

    def __init__(self, question: str | Text, title: str = "Confirm", default: bool = True):
        super().__init__(classes="dialog-screen")
        self.question = question if isinstance(question, Text) else Text(question)
        self.dialog_title = title
        self.default = default

    def compose(self) -> ComposeResult:
        keys = "y / enter: yes     n / escape: no" if self.default else "y: yes     n / enter / escape: no"
        with Vertical(classes="dialog") as box:
            box.border_title = self.dialog_title
            yield Static(self.question, classes="dialog-body")
            yield Static(Text(keys, style="dim"), classes="dialog-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_default(self) -> None:
        self.dismiss(self.default)


def close_unless_kept(screen: ModalScreen, changed: bool, what: str) -> None:
    """Dismiss an editor ``screen`` with None; when ``changed``, only after the reviewer agrees to
    throw the changes away."""
    if not changed:
        screen.dismiss(None)
        return

    def answered(discard: bool | None) -> None:
        if discard:
            screen.dismiss(None)

    screen.app.push_screen(ConfirmScreen(f"Throw away your changes to {what}?", title="Discard changes"), answered)


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


class InputScreen(ModalScreen["str | None"]):
    """Ask for one line of text (a new name); enter gives it (spaces collapsed), escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str | Text, value: str = "", title: str = "Input", placeholder: str = ""):
        super().__init__(classes="dialog-screen")
        self.question = question if isinstance(question, Text) else Text(question)
        self.value = value
        self.placeholder = placeholder
        self.dialog_title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.dialog_title
            yield Static(self.question, classes="dialog-body")
            yield Input(value=self.value, placeholder=self.placeholder, id="answer")
            yield Static(Text("enter: done     escape: cancel", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        answer = self.query_one("#answer", Input)
        answer.focus()
        answer.select_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = " ".join(event.value.split())
        if not text:
            self.notify("Type something first, or escape to cancel.", severity="warning")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
