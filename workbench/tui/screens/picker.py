"""The construct picker and the new-construct order dialog.

``ConstructPicker`` filters the review's constructs fuzzily as the reviewer types (best first,
name and order shown). In ``code`` mode it ends with a choice (``Picked``): an existing construct,
or a new name to create (offered when nothing matches exactly, or on ctrl+n). In ``parent`` mode
it offers "(no parent)" first and only constructs the new one may sit under. In ``target`` mode
(merging) it offers existing constructs only. ``exclude`` leaves constructs out (the one being
moved or merged, and what lies under it).
"""
from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.constructs import ORDERS
from ...store.constructs import Construct
from ..colours import ORDER_COLOURS, order_badge
from ..matching import exact, rank_constructs

NEW = "new"
NO_PARENT = "none"


@dataclass(frozen=True)
class Picked:
    """The picker's answer: an existing construct, or the name of a construct to create."""

    construct_id: int | None = None
    new_name: str | None = None


def construct_prompt(c: Construct) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append_text(order_badge(c.order))
    text.append(" ")
    text.append(c.name)
    text.append(f"  {ORDERS[c.order]}", Style(color=ORDER_COLOURS[c.order].swatch, dim=True))
    return text


class ConstructPicker(ModalScreen["Picked | None"]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "move(1)", "Next match", show=False),
        Binding("up", "move(-1)", "Previous match", show=False),
        Binding("ctrl+n", "new", "New construct with the typed name"),
    ]

    def __init__(self, constructs: list[Construct], recent: list[int] | None = None, *,
                 mode: str = "code", heading: str | Text = "", min_order: int = 1, initial: str = "",
                 exclude: set[int] | frozenset[int] = frozenset(), title: str | None = None):
        super().__init__(classes="dialog-screen")
        self.mode = mode
        self.constructs = [c for c in constructs if c.id not in exclude
                           and (mode != "parent" or c.order >= min_order)]
        self.dialog_title = title or {"parent": "Parent construct", "target": "Into construct"}.get(
            mode, "Code with construct")
        self.recent = list(recent or [])
        self.heading = heading if isinstance(heading, Text) else Text(heading)
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker") as box:
            box.border_title = self.dialog_title
            yield Static(self.heading, classes="dialog-body")
            yield Input(value=self.initial, placeholder="type to filter" if self.mode != "code"
                        else "type to filter, or a new construct's name", id="query")
            yield OptionList(id="matches")
            keys = ("enter: choose   escape: cancel" if self.mode != "code"
                    else "enter: choose   ctrl+n: new construct   escape: cancel")
            yield Static(Text(keys, style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        self._refilter(self.initial)
        self.query_one("#query", Input).focus()

    @property
    def query_text(self) -> str:
        return " ".join(self.query_one("#query", Input).value.split())

    def on_input_changed(self, event: Input.Changed) -> None:
        self._refilter(event.value)

    def _refilter(self, value: str) -> None:
        query = " ".join(value.split())
        matches = rank_constructs(query, self.constructs, self.recent)
        options = [Option(construct_prompt(c), id=f"c{c.id}") for c in matches]
        if self.mode == "parent":
            # first while nothing is typed (enter = no parent), after the matches once something is
            none = Option(Text("(no parent)", style="italic"), id=NO_PARENT)
            options = options + [none] if query else [none] + options
        if self.mode == "code" and query and exact(query, self.constructs) is None:
            options.append(Option(Text.assemble(("+ new construct ", "bold"), f"“{query}”",
                                                ("  (ctrl+n)", "dim")), id=NEW))
        matches_list = self.query_one("#matches", OptionList)
        matches_list.clear_options()
        matches_list.add_options(options)
        if options:
            matches_list.highlighted = 0

    @property
    def option_ids(self) -> list[str]:
        return [o.id for o in self.query_one("#matches", OptionList).options]

    def action_move(self, step: int) -> None:
        matches_list = self.query_one("#matches", OptionList)
        if step > 0:
            matches_list.action_cursor_down()
        else:
            matches_list.action_cursor_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one("#matches", OptionList).highlighted_option
        if option is None:
            if self.mode == "code" and self.query_text:
                self.dismiss(Picked(new_name=self.query_text))
            else:
                self.notify("Nothing matches; type another name or escape.", severity="warning")
            return
        self._choose(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id == NEW:
            self.dismiss(Picked(new_name=self.query_text))
        elif option_id == NO_PARENT:
            self.dismiss(Picked())
        elif option_id:
            self.dismiss(Picked(construct_id=int(option_id[1:])))

    def action_new(self) -> None:
        if self.mode != "code":
            return
        name = self.query_text
        if not name:
            self.notify("Type the new construct's name first.", severity="warning")
            return
        found = exact(name, self.constructs)
        if found:
            self.notify(f"“{found.name}” exists already; enter codes with it.", severity="warning",
                        markup=False)
            return
        self.dismiss(Picked(new_name=name))

    def action_cancel(self) -> None:
        self.dismiss(None)


ORDER_HELP = {
    1: "participants' own views, usually quotes",
    2: "the study authors' interpretations (their themes, concepts)",
    3: "the reviewers' interpretations across studies",
}


class OrderScreen(ModalScreen["int | None"]):
    """Choose the order of a new construct: 1, 2 or 3; escape cancels."""

    BINDINGS = [
        Binding("1", "choose(1)", "First-order"),
        Binding("2", "choose(2)", "Second-order"),
        Binding("3", "choose(3)", "Third-order"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, name: str, *, title: str = "Construct order", question: str = "which order?",
                 intro: str = "New construct "):
        super().__init__(classes="dialog-screen")
        self.construct_name = name
        self.dialog_title = title
        self.question = question
        self.intro = intro

    def compose(self) -> ComposeResult:
        body = Text()
        body.append(self.intro)
        body.append(f"“{self.construct_name}”", Style(bold=True))
        body.append(f": {self.question}\n")
        for order, label in ORDERS.items():
            body.append("\n")
            body.append(f" {order} ", Style(bgcolor=ORDER_COLOURS[order].swatch, color="#000000", bold=True))
            body.append(f" {label}", Style(bold=True))
            body.append(f": {ORDER_HELP[order]}", Style(dim=True))
        with Vertical(classes="dialog") as box:
            box.border_title = self.dialog_title
            yield Static(body, classes="dialog-body")
            yield Static(Text("1 / 2 / 3: choose     escape: cancel", style="dim"), classes="dialog-keys")

    def action_choose(self, order: int) -> None:
        self.dismiss(order)

    def action_cancel(self) -> None:
        self.dismiss(None)
