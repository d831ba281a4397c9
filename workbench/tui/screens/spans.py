""""Spans of <construct>": every live span coded with a construct, or with one under it (its
children, the constructs that interpret or support it, at any depth), across studies in study
order, each quote in its context (the stored prefix … «quote» … suffix) with reviewer, study and
offsets, and, when it is reached through links, the route ("via “X” interprets “Y”").

Enter (or a click) dismisses with the chosen ``CodedSpan``; the caller opens its study with the
span selected. Escape goes back.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...store.constructs import Construct
from ..colours import ORDER_COLOURS, order_badge
from ...store.codings import CodedSpan
from ...store.translation import RolledSpan
from ..session import study_label
from ..widgets.fit import clip, one_line

QUOTE_CHARS = 240  # longer quotes show their start and end around an ellipsis
LISTED = 1000  # spans listed at most (a construct of a 100,000-coding review can have thousands)
CONTEXT_CHARS = 32  # the store keeps about 32 characters of prefix and suffix


def span_label(c: CodedSpan, order: int, number: int | None = None) -> Text:
    """``2018 Heist · alice · 41-97`` then ``…prefix «quote» suffix…`` (quote in the order's hue)."""
    study = {"title": c.study_title, "authors": list(c.authors)}
    text = Text()
    if number is not None:
        text.append(f"{number:>3}. ", Style(dim=True))
    text.append(f"{c.year or '----'} {clip(study_label(study), 28)}", Style(bold=True))
    text.append(f" · {c.reviewer} · {c.start}-{c.end}\n", Style(dim=True))
    text.append("     " if number is not None else "")
    prefix = one_line(c.prefix)[-CONTEXT_CHARS:]
    suffix = one_line(c.suffix)[:CONTEXT_CHARS]
    text.append(("…" if c.prefix else "") + prefix + (" " if c.prefix and c.prefix[-1:].isspace() else ""),
                Style(dim=True))
    text.append("«", Style(dim=True))
    text.append(_middle_clip(one_line(c.exact), QUOTE_CHARS),
                Style(bold=True, italic=True, color=ORDER_COLOURS.get(order, ORDER_COLOURS[1]).swatch))
    text.append("»", Style(dim=True))
    text.append((" " if c.suffix[:1].isspace() else "") + suffix + ("…" if c.suffix else ""), Style(dim=True))
    return text


STEP_WORDS = {"interprets": "interprets", "supports": "supports", "under": "is under"}


def route_words(r: RolledSpan) -> str:
    """How the span is reached, from the construct it is coded with up to the one asked about:
    "coded with it", or "via “Indebted” supports “Professional ties” interprets “Family”"."""
    if r.direct:
        return "coded with it"
    words = [f"via “{r.path[-1]}”"]
    for step in range(len(r.steps) - 1, -1, -1):
        words.append(f"{STEP_WORDS.get(r.steps[step], r.steps[step])} “{r.path[step]}”")
    return " ".join(words)


def rolled_label(r: RolledSpan, number: int | None = None) -> Text:
    """``span_label`` of the span in its construct's hue, then (reached through links) its route."""
    text = span_label(r.span, r.order, number)
    if not r.direct:
        text.append("\n     ↳ " + route_words(r), Style(italic=True, color=ORDER_COLOURS.get(r.order, ORDER_COLOURS[1]).swatch))
    return text


def _middle_clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half].rstrip() + " … " + text[-half:].lstrip()


class SpansScreen(ModalScreen["CodedSpan | None"]):
    """The spans of a construct (``RolledSpan``: rolled up along links and the hierarchy); enter
    dismisses with the chosen one's ``CodedSpan``. ``where`` narrows the heading ("in Heist 2018")."""

    BINDINGS = [
        Binding("escape,q", "cancel", "Back", tooltip="Back to the constructs tree"),
    ]

    def __init__(self, construct: Construct, spans: list[RolledSpan], who: str, where: str = "in study order"):
        super().__init__(classes="dialog-screen")
        self.construct = construct
        self.spans = spans
        self.who = who  # "yours" (blind) or "every reviewer's"
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker spans") as box:
            box.border_title = clip(f"Spans of {self.construct.name} ({len(self.spans)})", 60)
            heading = Text()
            heading.append_text(order_badge(self.construct.order))
            heading.append(f" {self.construct.name}", Style(bold=True))
            heading.append(f": {len(self.spans)} coded span{'s' if len(self.spans) != 1 else ''} "
                           f"({self.who}), {self.where}", Style(dim=True))
            routed = sum(1 for r in self.spans if not r.direct)
            if routed:
                heading.append(f"; {len(self.spans) - routed} coded with it, {routed} reached through links",
                               Style(dim=True))
            if len(self.spans) > LISTED:
                heading.append(f"; the first {LISTED} listed", Style(dim=True))
            yield Static(heading, classes="dialog-body")
            options = [Option(rolled_label(r, i + 1), id=f"span-{i}") for i, r in enumerate(self.spans[:LISTED])]
            if not options:
                options = [Option(Text("Nothing is coded with it or with a construct under it yet" + (" by you (v shows every reviewer's)."
                                                                         if self.who == "yours" else "."),
                                       style="dim italic"), disabled=True)]
            yield OptionList(*options, id="spans")
            yield Static(Text("up/down: move     enter: open the study with the span selected     escape: back",
                              style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        spans = self.query_one("#spans", OptionList)
        if self.spans:
            spans.highlighted = 0
        spans.focus()

    @property
    def plain(self) -> str:
        return "\n".join(str(o.prompt) for o in self.query_one("#spans", OptionList).options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.spans[int(event.option.id.removeprefix("span-"))].span)

    def action_cancel(self) -> None:
        self.dismiss(None)
