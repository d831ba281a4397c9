"""Possible duplicates: the pairs an import flagged, each with its evidence, judged one by one.

``s`` judges the highlighted pair the same study and removes the later one (when nobody has coded
it; otherwise it is only judged, and the message says how to remove it); ``d`` judges them
different studies; enter opens the later study; escape goes back. Every judgement and removal is an
event that ``u`` undoes. CLI twins: ``workbench duplicates``, ``duplicates resolve``,
``study remove``.
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

from ..widgets.fit import clip

EVIDENCE = (("year", "year"), ("first_author", "first author"), ("doi", "DOI"), ("pmid", "PubMed id"),
            ("text", "text"))
SHOWN = {"same": Style(color="#4ec27a"), "different": Style(color="#e06c75"), "missing": Style(dim=True)}


def pair_label(pair: dict, number: int) -> Text:
    """Both studies of a pair (the later first) and the evidence, field by field."""
    text = Text()
    for i, side in enumerate(("study", "other")):
        s = pair[side]
        text.append(f"{number:>3}. " if i == 0 else "     ", Style(dim=True))
        name = "no author" if s["label"].startswith("“") else clip(s["label"].removesuffix(f" {s['year']}"), 24)
        text.append(f"{s['year'] or '----'} {name}", Style(bold=True))
        text.append(f"  {clip(s['title'], 70)}", Style(italic=True))
        text.append(f"  ({s['source_file']}, {s['codings']} coding{'' if s['codings'] == 1 else 's'})\n",
                    Style(dim=True))
    text.append(f"     {pair['reason']}\n     ", Style(color="#e0a526"))
    evidence = pair["evidence"]
    for i, (key, words) in enumerate(EVIDENCE):
        text.append(" · " if i else "", Style(dim=True))
        text.append(f"{words} ", Style(dim=True))
        text.append(evidence[key], SHOWN[evidence[key]])
    return text


class DuplicatesScreen(ModalScreen["int | None"]):
    BINDINGS = [
        Binding("s", "same", "Same study", tooltip="The same study: keep the earlier, remove the later"),
        Binding("d", "different", "Different", tooltip="Different studies: clear the flag"),
        Binding("escape,q", "cancel", "Back", tooltip="Back to coding"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.pairs: list[dict] = []
        self.heading = Text()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker duplicates") as box:
            box.border_title = "Possible duplicates"
            yield Static("", id="duplicates-heading", classes="dialog-body")
            yield OptionList(id="duplicates")
            yield Static(Text("up/down: move   s: the same study (remove the later)   d: different studies   "
                              "enter: open the later study   escape: back   (u undoes on the coding screen)",
                              style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        self.rebuild()
        self.query_one("#duplicates", OptionList).focus()

    def rebuild(self, keep: int = 0) -> None:
        """Re-read the pairs still to judge and list them, the highlight near row ``keep``."""
        with self.app.guarded("Cannot list the possible duplicates", reading=True) as guard:
            self.pairs = self.app.session.duplicate_pairs()
        if guard.failed:
            return
        heading = Text()
        n = len(self.pairs)
        heading.append(f"{n} pair{'' if n == 1 else 's'} to review", Style(bold=True))
        heading.append(" — the later study first, the earlier under it; the fields compared below them",
                       Style(dim=True))
        self.heading = heading
        self.query_one("#duplicates-heading", Static).update(heading)
        options = self.query_one("#duplicates", OptionList)
        options.clear_options()
        if self.pairs:
            options.add_options([Option(pair_label(p, i + 1), id=f"pair-{i}") for i, p in enumerate(self.pairs)])
            options.highlighted = min(keep, n - 1)
        else:
            options.add_option(Option(Text("No possible duplicates to review.", style="dim italic"), disabled=True))

    @property
    def plain(self) -> str:
        return "\n".join([self.heading.plain] + [str(o.prompt) for o in self.query_one("#duplicates", OptionList).options])

    def _highlighted(self) -> tuple[int, dict] | None:
        index = self.query_one("#duplicates", OptionList).highlighted
        if index is None or not self.pairs:
            return None
        return index, self.pairs[index]

    def action_same(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        index, pair = found
        later, earlier = pair["study"], pair["other"]
        session = self.app.session
        with self.app.guarded("Not judged") as guard:
            session.judge_duplicates(later["id"], earlier["id"], "same")
        if guard.failed:
            return
        if later["codings"]:
            self.app.notify(f"Judged the same study. {later['naming']} keeps its {later['codings']} coding"
                            f"{'' if later['codings'] == 1 else 's'}, so it stays; to remove it with them: "
                            f"workbench study remove {session.project.root} --study {later['id']} "
                            f"--with-codings --reviewer {session.reviewer}", markup=False, timeout=10)
        else:
            with self.app.guarded("Judged the same study, but not removed") as guard:
                session.remove_study(later["id"])
            if not guard.failed:
                self.app.notify(f"Removed {later['naming']} ({later['source_file']}): the same study as "
                                f"{earlier['naming']} ({earlier['source_file']}), which stays. u undoes.",
                                markup=False)
        self.app.refresh_after_change()
        self.rebuild(keep=index)

    def action_different(self) -> None:
        found = self._highlighted()
        if found is None:
            return
        index, pair = found
        with self.app.guarded("Not judged") as guard:
            self.app.session.judge_duplicates(pair["study"]["id"], pair["other"]["id"], "different")
        if guard.failed:
            return
        self.app.notify(f"{pair['study']['naming']} and {pair['other']['naming']}: different studies",
                        markup=False)
        self.app.refresh_after_change()
        self.rebuild(keep=index)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        index = int(event.option.id.removeprefix("pair-"))
        self.dismiss(self.pairs[index]["study"]["id"])

    def action_cancel(self) -> None:
        self.dismiss(None)
