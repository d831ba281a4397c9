"""The memo editor: a multi-line TextArea in a dialog; ctrl+s saves, escape cancels.

It only edits text: the caller saves the answer through the session (the store's ``set_memo``).
It dismisses with the new text (an empty text removes the memo), or None when cancelled or when
nothing changed. Escape asks before throwing away changes.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from ..widgets.fit import clip
from .modals import close_unless_kept


class MemoScreen(ModalScreen["str | None"]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the memo (an empty memo is removed)"),
        Binding("escape", "cancel", "Cancel", tooltip="Close without saving (asks first if you changed it)"),
    ]

    def __init__(self, heading: str | Text, text: str = "", *, title: str = "Memo",
                 others: list[tuple[str, str]] | None = None):
        super().__init__(classes="dialog-screen")
        self.heading = heading if isinstance(heading, Text) else Text(heading)
        self.original = text
        self.dialog_title = title
        self.others = others or []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo") as box:
            box.border_title = self.dialog_title
            yield Static(self.heading, classes="dialog-body")
            if self.others:
                seen = Text()
                for i, (reviewer, memo) in enumerate(self.others[:3]):
                    seen.append("\n" if i else "")
                    seen.append(f"{reviewer}: ", Style(bold=True))
                    seen.append(clip(memo, 120), Style(italic=True))
                yield Static(seen, classes="memo-others")
            area = TextArea(self.original, soft_wrap=True, show_line_numbers=False, tab_behavior="focus",
                            id="memo-text")
            area.cursor_blink = False
            yield area
            yield Static(Text("ctrl+s: save   escape: cancel   (saved empty: removed)",
                              style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        area = self.editor
        area.focus()
        area.move_cursor(area.document.end)

    @property
    def editor(self) -> TextArea:
        return self.query_one("#memo-text", TextArea)

    @property
    def changed(self) -> bool:
        return self.editor.text.strip() != self.original.strip()

    def action_save(self) -> None:
        if not self.changed:
            self.notify("Memo unchanged: nothing saved.")
            self.dismiss(None)
            return
        self.dismiss(self.editor.text.strip())

    def action_cancel(self) -> None:
        close_unless_kept(self, self.changed, "this memo")
