"""The help screen, generated from the bindings themselves so it cannot go stale."""
from __future__ import annotations

import re
from typing import Callable, Iterable

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

Row = tuple[str, str]  # (keys as shown, description)


def class_bindings(cls: type, exclude_actions: Iterable[str] = (), skip_bases: tuple[type, ...] = ()) -> list[Binding]:
    """The bindings ``cls`` has, its own and inherited, as Textual merges them (a subclass's binding
    of a key replaces its base's), in declaration order; only those with a description.

    ``skip_bases`` leaves out what those classes declare (a modal's inherited tab/shift+tab of
    Screen, which have nothing to focus there)."""
    exclude = set(exclude_actions)
    by_key: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        declared = None if base in skip_bases else base.__dict__.get("BINDINGS")
        if not declared:
            continue
        for binding in Binding.make_bindings(declared):
            by_key.pop(binding.key, None)
            by_key[binding.key] = binding
    return [b for b in by_key.values()
            if b.description and b.action.split("(")[0].split(".")[-1] not in exclude]


def _join_keys(keys: list[str]) -> str:
    if len(keys) > 2 and all(k.isdigit() and len(k) == 1 for k in keys):
        digits = sorted(int(k) for k in keys)
        if digits == list(range(digits[0], digits[-1] + 1)):
            return f"{digits[0]}-{digits[-1]}"
    return " / ".join(keys)


def binding_rows(bindings: Iterable[Binding], key_display: Callable[[Binding], str]) -> list[Row]:
    """One row per description; keys of the same description are joined (``1-9``, ``c / enter``)."""
    rows: dict[str, list[str]] = {}
    for binding in bindings:
        description = re.sub(r"\s*\(\d\)$", "", binding.description)
        rows.setdefault(description, []).append(key_display(binding))
    return [(_join_keys(keys), description) for description, keys in rows.items()]


def help_text(groups: list[tuple[str, list[Row]]], extra: list[tuple[str, list[Row]]] = ()) -> Text:
    """All groups as plain, aligned text (what the help screen says)."""
    text = Text()
    width = max((len(k) for _, rows in [*groups, *extra] for k, _ in rows), default=8) + 2
    for i, (title, rows) in enumerate([*groups, *extra]):
        if i:
            text.append("\n")
        text.append(f"{title}\n", Style(bold=True, underline=True))
        for keys, description in rows:
            text.append(f"  {keys:<{width}}", Style(bold=True, color="#e0a526"))
            text.append(f"{description}\n")
    return text


def help_renderable(groups: list[tuple[str, list[Row]]]) -> Group:
    """The groups as tables: keys in a narrow column, descriptions wrapped beside them."""
    parts = []
    for title, rows in groups:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=True, title=title,
                      title_justify="left", title_style=Style(bold=True, underline=True))
        table.add_column("keys", style=Style(bold=True, color="#e0a526"), no_wrap=True, max_width=18)
        table.add_column("what", ratio=1)
        for keys, description in rows:
            table.add_row(keys, description)
        parts.append(table)
        parts.append(Text(""))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help")]

    def __init__(self, groups: list[tuple[str, list[Row]]]):
        super().__init__(classes="dialog-screen")
        self.groups = groups
        self.content = help_text(groups)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            with VerticalScroll(id="help-scroll") as scroll:
                scroll.border_title = "Keys (escape closes; up/down scroll)"
                yield Static(help_renderable(self.groups), id="help-body")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    @property
    def plain(self) -> str:
        return self.content.plain

    def action_close(self) -> None:
        self.dismiss(None)
