"""Align reviewers' constructs (palette): another reviewer's own constructs paired with yours, so
agreement counts them as one.

The list shows the pairs proposed (best first, with their score and why), the confirmed pairs,
what is left unaligned on each side (with its closest partner) and the shared constructs. Enter on
a proposed pair confirms it; ``c`` confirms every proposed pair; ``x`` unpairs a confirmed pair;
``p`` (or enter) on an unaligned construct pairs it with one you choose from the other side;
``r`` aligns with the next other reviewer. Each change is one event that ``u`` undoes on the coding
screen. The other reviewer's constructs are what blind coding hides: the screen lists them only
once you show every reviewer's work (``v``, recorded as on the coding screen).
CLI twin: ``workbench align PROJECT --reviewers YOU,OTHER [--confirm | --pair | --unpair]``.
"""
from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...core.alignment import score
from ..colours import order_badge
from ..widgets.fit import clip

DIM = Style(dim=True)
HEAD = Style(bold=True, color="#e0a526")


def pair_label(badge_order: int, b: str, a: str, score_value: float, why: str, mark: str = " ") -> Text:
    """`` ✓ 85.3 [1] Fear of stigma → Stigma`` and, under it, why they were paired."""
    text = Text()
    text.append(f"{mark} {score_value:5.1f} ", DIM)
    text.append_text(order_badge(badge_order))
    text.append(f" {clip(b, 40)}", Style(bold=True))
    text.append(" → ", DIM)
    text.append(clip(a, 40), Style(bold=True))
    text.append(f"\n        {why}", Style(dim=True, italic=True))
    return text


class AlignmentScreen(ModalScreen[None]):
    """The alignment of another reviewer's constructs with the session reviewer's."""

    BINDINGS = [
        Binding("enter", "choose", "Confirm pair / pair with…",
                tooltip="Confirm the highlighted proposed pair, or pair the highlighted unaligned construct"),
        Binding("c", "confirm_all", "Confirm all", tooltip="Confirm every proposed pair"),
        Binding("x", "unpair", "Unpair", tooltip="Stop counting the highlighted confirmed pair as one construct"),
        Binding("p", "pair", "Pair with…", tooltip="Pair the highlighted unaligned construct with one you choose"),
        Binding("r", "next_reviewer", "Other reviewer", tooltip="Align with the next other reviewer"),
        Binding("v", "show_all", "Show every reviewer's", show=False,
                tooltip="Show every reviewer's work, as v on the coding screen (recorded)"),
        Binding("escape,q", "cancel", "Back", tooltip="Back to coding"),
    ]
    follows_changes = True  # rebuilt when another process (or an undo) changes the project

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.partners: list[tuple[int, str]] = []
        self.partner = 0
        self.found = None
        self.rows: list[tuple[str, object]] = []
        self.heading = Text()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker alignment") as box:
            box.border_title = "Align reviewers' constructs"
            yield Static("", id="alignment-heading", classes="dialog-body")
            yield OptionList(id="alignment")
            yield Static(Text("enter: confirm a proposed pair / pair an unaligned one   c: confirm all   "
                              "x: unpair   p: pair with…   r: other reviewer   escape: back   (u undoes on the "
                              "coding screen)", style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        with self.app.guarded("Cannot list the reviewers", reading=True):
            self.partners = self.app.session.alignment_partners()
        self.rebuild()
        self.query_one("#alignment", OptionList).focus()

    @property
    def other(self) -> tuple[int, str] | None:
        return self.partners[self.partner] if self.partners else None

    def rebuild(self, keep: int | None = None) -> None:
        """Re-read the alignment with the chosen reviewer and list it, the highlight near row ``keep``."""
        session = self.app.session
        options = self.query_one("#alignment", OptionList)
        heading = Text()
        self.rows = []
        self.found = None
        other = self.other
        if other is None:
            heading.append("No other reviewer: alignment pairs two reviewers' own constructs.", Style(bold=True))
        elif not session.show_all:
            heading.append(f"{other[1]}'s own constructs are hidden while you code blind.", Style(bold=True))
            heading.append(f"\nv shows every reviewer's work (recorded, as v on the coding screen) and lists "
                           f"{other[1]}'s constructs beside yours; escape goes back.", DIM)
        else:
            with self.app.guarded("Cannot align the constructs", reading=True) as guard:
                self.found = session.alignment(other[0])
            if guard.failed:
                return
            heading = self._heading(self.found)
            self.rows = self._rows(self.found)
        self.heading = heading
        self.query_one("#alignment-heading", Static).update(heading)
        options.clear_options()
        options.add_options([self._option(i, kind, item) for i, (kind, item) in enumerate(self.rows)])
        choosable = [i for i, (kind, _) in enumerate(self.rows) if kind not in ("head", "shared")]
        if choosable:
            want = choosable[0] if keep is None else keep
            options.highlighted = min(choosable, key=lambda i: (abs(i - want), i))

    def _heading(self, found) -> Text:
        p = found.proposal
        text = Text()
        text.append(f"{found.reviewer_b}'s constructs counted as yours ({found.reviewer_a})", Style(bold=True))
        text.append(f": {len(found.confirmed)} confirmed, {len(p.pairs)} proposed, {len(p.shared)} shared; "
                    f"unaligned: {len(p.unaligned_a)} of yours, {len(p.unaligned_b)} of {found.reviewer_b}'s", DIM)
        if len(self.partners) > 1:
            text.append(f"  (r: {len(self.partners) - 1} other reviewer{'s' if len(self.partners) > 2 else ''})", DIM)
        return text

    def _rows(self, found) -> list[tuple[str, object]]:
        p = found.proposal
        b = found.reviewer_b
        rows: list[tuple[str, object]] = []
        sections = [
            (f"Proposed (score {p.threshold:g} or more; enter confirms one, c all)", "proposed", p.pairs),
            ("Confirmed (x unpairs)", "confirmed", found.confirmed),
            (f"{b}'s, unaligned (enter or p: pair with one of yours)", "left_b", p.unaligned_b),
            ("Yours, unaligned (enter or p: pair with one of theirs)", "left_a", p.unaligned_a),
        ]
        for title, kind, items in sections:
            if items:
                rows.append(("head", title))
                rows.extend((kind, item) for item in items)
        if p.shared:
            rows.append(("head", "Shared: counted as themselves"))
            rows.extend(("shared", e) for e in p.shared)
        if not rows:
            rows.append(("head", f"Neither you nor {b} has constructs of your own to align."))
        return rows

    def _option(self, index: int, kind: str, item) -> Option:
        if kind == "head":
            return Option(Text(item, HEAD), id=f"row-{index}", disabled=True)
        if kind == "proposed":
            return Option(pair_label(item.a.order, item.b.name, item.a.name, item.score, item.why), id=f"row-{index}")
        if kind == "confirmed":
            pair = item.pair
            return Option(pair_label(pair.a.order, pair.b.name, pair.a.name, pair.score,
                                     f"{pair.why}; confirmed by {item.confirmed_by}", "✓"), id=f"row-{index}")
        if kind == "shared":
            text = Text("        ")
            text.append_text(order_badge(item.order))
            text.append(f" {clip(item.name, 60)}", DIM)
            return Option(text, id=f"row-{index}", disabled=True)
        text = Text("        ")
        text.append_text(order_badge(item.entry.order))
        text.append(f" {clip(item.entry.name, 50)}", Style(bold=True))
        if item.closest is not None:
            near = item.closest.b if item.closest.a == item.entry else item.closest.a
            text.append(f"   closest: {clip(near.name, 36)} ({item.closest.score:.1f})", DIM)
        return Option(text, id=f"row-{index}")

    @property
    def plain(self) -> str:
        return "\n".join([self.heading.plain] + [str(o.prompt) for o in self.query_one("#alignment", OptionList).options])

    def _highlighted(self) -> tuple[int, str, object] | None:
        index = self.query_one("#alignment", OptionList).highlighted
        if index is None or index >= len(self.rows):
            return None
        kind, item = self.rows[index]
        return index, kind, item

    # --- actions ----------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        index, kind, item = found
        if kind == "proposed":
            self._pair(item.b.key, item.a.key, f"{item.b.name} is counted as {item.a.name}", index)
        elif kind in ("left_a", "left_b"):
            self.action_pair()
        elif kind == "confirmed":
            self.app.notify("Confirmed already: x unpairs it.", markup=False)

    def _pair(self, construct_id: int, counted_as_id: int, said: str, index: int) -> None:
        with self.app.guarded("Not paired") as guard:
            self.app.session.align_pair(construct_id, counted_as_id, self.other[0])
        if guard.failed:
            return
        self.app.notify(f"{said} when agreement is measured. u undoes on the coding screen.", markup=False)
        self.rebuild(keep=index)

    def action_confirm_all(self) -> None:
        if self.found is None:
            return
        with self.app.guarded("Nothing confirmed") as guard:
            pairs = self.app.session.align_confirm(self.other[0])
        if guard.failed:
            return
        self.app.notify(f"Confirmed {len(pairs)} pair{'' if len(pairs) == 1 else 's'}. u undoes on the coding screen."
                        if pairs else "No pair is proposed to confirm.", markup=False)
        self.rebuild()

    def action_unpair(self) -> None:
        found = self._highlighted()
        if found is None or found[1] != "confirmed":
            self.app.notify("Highlight a confirmed pair (✓) to unpair it.", markup=False)
            return
        index, _, item = found
        with self.app.guarded("Not unpaired") as guard:
            self.app.session.align_unpair(item.pair.b.key)
        if guard.failed:
            return
        self.app.notify(f"{item.pair.b.name} is no longer counted as {item.pair.a.name}. u undoes on the coding "
                        "screen.", markup=False)
        self.rebuild(keep=index)

    def action_pair(self) -> None:
        found = self._highlighted()
        if found is None or found[1] not in ("left_a", "left_b"):
            self.app.notify("Highlight an unaligned construct to pair it.", markup=False)
            return
        self._pick(*found)

    @work(exclusive=True, group="align-pick")
    async def _pick(self, index: int, kind: str, item) -> None:
        from .modals import ChooseScreen

        entry = item.entry
        p = self.found.proposal
        if kind == "left_b":  # theirs onto one of yours (or a shared one)
            candidates = [u.entry for u in p.unaligned_a] + list(p.shared)
        else:
            candidates = [u.entry for u in p.unaligned_b]
        candidates = [c for c in candidates if c.order == entry.order]
        if not candidates:
            self.app.notify(f"No construct of the same order is left to pair {entry.name} with.", markup=False)
            return
        scored = [((score(c, entry) if kind == "left_b" else score(entry, c)), c) for c in candidates]
        scored.sort(key=lambda sc: (-sc[0].score, sc[1].name.casefold()))
        items = []
        for s, c in scored:
            label = Text(f"{s.score:5.1f} ", DIM)
            label.append(clip(c.name, 50), Style(bold=True))
            label.append(f"\n      {s.why}", Style(dim=True, italic=True))
            items.append((c.key, label))
        chosen = await self.app.push_screen_wait(ChooseScreen(items, title=clip(f"Pair {entry.name} with", 60)))
        if chosen is None:
            return
        other = next(c for c in candidates if c.key == chosen)
        if kind == "left_b":
            self._pair(entry.key, other.key, f"{entry.name} is counted as {other.name}", index)
        else:
            self._pair(other.key, entry.key, f"{other.name} is counted as {entry.name}", index)

    def action_next_reviewer(self) -> None:
        if len(self.partners) < 2:
            self.app.notify("There is no other reviewer to align with.", markup=False)
            return
        self.partner = (self.partner + 1) % len(self.partners)
        self.rebuild()

    def action_show_all(self) -> None:
        if self.app.session.show_all:
            return
        self.app.coding_screen.action_toggle_view()
        self.rebuild()

    def action_cancel(self) -> None:
        self.dismiss(None)
