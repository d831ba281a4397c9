"""The construct's definition form: definition, when to use, when not to use, example and colour,
the fields a codebook file carries. ctrl+s saves, escape cancels (asking first if something changed).

It only edits: it dismisses with the fields that changed (``{field: new text}``), or None; the
caller saves them through the session (the store's ``restructure.edit``, one undoable event).
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from ...store.constructs import Construct
from .modals import close_unless_kept

TEXTS = (("definition", "Definition"), ("when_to_use", "When to use"),
         ("when_not_to_use", "When not to use"), ("example", "Example (a quote)"))


class DefineScreen(ModalScreen["dict[str, str] | None"]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the changed fields (u undoes)"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving (asks first if you changed something)"),
    ]

    def __init__(self, construct: Construct, heading: Text):
        super().__init__(classes="dialog-screen")
        self.construct = construct
        self.heading = heading

    def compose(self) -> ComposeResult:
        c = self.construct
        with Vertical(classes="dialog define") as box:
            box.border_title = "Define construct"
            yield Static(self.heading, classes="dialog-body")
            with VerticalScroll():
                for name, label in TEXTS:
                    yield Label(label)
                    area = TextArea(getattr(c, name), soft_wrap=True, show_line_numbers=False,
                                    tab_behavior="focus", id=name)
                    area.cursor_blink = False
                    yield area
                yield Label("Colour (#RRGGBB, empty for the order's colour)")
                yield Input(c.colour or "", placeholder="#1B9E77", id="colour")
            yield Static(Text("tab: next field   ctrl+s: save   escape: cancel", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.move_cursor(area.document.end)  # typing adds to what is there
        self.query_one("#definition", TextArea).focus()

    @property
    def values(self) -> dict[str, str]:
        """Every field as it stands in the form."""
        found = {name: self.query_one(f"#{name}", TextArea).text.strip() for name, _ in TEXTS}
        found["colour"] = self.query_one("#colour", Input).value.strip()
        return found

    @property
    def changes(self) -> dict[str, str]:
        return {k: v for k, v in self.values.items() if v != (getattr(self.construct, k) or "")}

    def action_save(self) -> None:
        changes = self.changes
        if not changes:
            self.notify("Nothing changed: nothing saved.")
        self.dismiss(changes or None)

    def action_cancel(self) -> None:
        close_unless_kept(self, bool(self.changes), "this construct")
