"""Agreement between reviewers (``A`` on the coding screen, or the palette), and adjudication.

``AgreementScreen``: the two reviewers compared (``r`` chooses them; at first the two with the
most studies marked done), each study both marked done with its open disagreements, and the count
in all. Enter on a study opens ``StudyAgreementScreen``: one disagreement at a time, the two
reviewers' spans side by side in the study's text around it (each reviewer's codings shaded, the
characters only one of them coded underlined in their colour), or their two translation
judgements; ``a`` takes A's, ``b`` B's, ``t`` both, ``x`` neither, ``e`` edits the span (typed
offsets, and the construct) or the judgement; ``n``/``p`` move. Each decision writes the consensus
reviewer's codings or judgement as one event that ``u`` undoes; what both agree on in the study
goes into the consensus with the first decision there (``=`` takes it without deciding anything).
This screen shows both reviewers' work: it is for after blind coding. CLI twin: ``workbench
adjudicate``.
"""
from __future__ import annotations

import asyncio

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ...core.adjudication import TAKE_WORDS, differing
from ...core.translation import KIND_WORDS, KINDS
from ...store.adjudication import Disagreement
from ..adjudicating import Adjudicating
from .coding import REDO, UNDO
from .modals import ChooseScreen, InputScreen

CONTEXT = 160  # characters of the study's text shown before and after a disagreement
SIDE_STYLE = {"a": Style(color="#e0a526", underline=True, bold=True),
              "b": Style(color="#56b6c2", underline=True, bold=True)}
CODED = Style(bgcolor="#3a3f4b")
MARK = Style(bold=True, color="#e06c75")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def decided_words(d: Disagreement, names: list[str]) -> str:
    """"decided: took alice's" for a closed disagreement; "open" otherwise."""
    if d.open:
        return "open"
    return "decided: " + TAKE_WORDS[d.decision].format(a=names[0], b=names[1])


# the measures each unit mode shows, in order; the first is drawn as a bar
MEASURES = {
    "character": (("cohen_kappa", "Cohen κ"), ("percent_agreement", "% agree")),
    "sentence": (("krippendorff_alpha", "Kripp. α"), ("cohen_kappa", "Cohen κ"), ("fleiss_kappa", "Fleiss κ"),
                 ("brennan_prediger", "B-P κ"), ("gwet_ac1", "Gwet AC1"), ("percent_agreement", "% agree")),
    "segment": (("percent_agreement", "% agree"), ("brennan_prediger", "B-P κ"), ("agreements", "agree"),
                ("only_a", "only A"), ("only_b", "only B")),
    "unitizing": (("unitizing_alpha", "α_U"),),
}
UNIT_MODES = tuple(MEASURES)
BAR_CELLS = 10
EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(value: float | None, cells: int = BAR_CELLS) -> Text:
    """``value`` (0 to 1; below 0 shows empty) as a bar of block characters ``cells`` wide."""
    if value is None:
        return Text("·" * cells, Style(dim=True))
    eighths = round(max(0.0, min(1.0, value)) * cells * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (EIGHTHS[part] if part else "")
    colour = "#4ec27a" if value >= 0.8 else "#e0a526" if value >= 0.6 else "#e06c75"
    return Text(text.ljust(cells, "░")[:cells], Style(color=colour))


def figure(key: str, value) -> str:
    """A measure as the table shows it: counts whole, percentages as %, the rest to 3 places."""
    if value is None:
        return "n/a"
    if key in ("agreements", "only_a", "only_b"):
        return str(value)
    if key == "percent_agreement":
        return f"{value * 100:.1f}%"
    return f"{value:.3f}"


class AgreementScreen(Screen):
    """The pair of reviewers, the agreement measures of a unit mode per construct and overall
    (``store.agreement.compute``, not stored as a run: ``workbench irr`` stores one), and each
    study both marked done with its open disagreements."""

    DEFAULT_CSS = """
    #agreement-title { height: 1; background: $panel; }
    #agreement-constructs { height: 1fr; }
    #agreement-overall { height: auto; max-height: 3; padding: 0 1; border-top: solid $panel-lighten-2; }
    #agreement-studies { height: auto; max-height: 8; border-top: solid $panel-lighten-2; }
    #agreement-status { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("enter", "open_study", "Study", tooltip="The study's disagreements side by side, to adjudicate"),
        Binding("r", "choose_reviewers", "Reviewers", tooltip="Choose the two reviewers to compare"),
        Binding("m", "next_unit", "Unit", tooltip="Next unit mode: character, sentence, segment, unitizing"),
        Binding("equals_sign", "adopt", "Agreed", tooltip="Write what both agree on in the study into the consensus"),
        Binding("tab", "app.focus_next", "Next table", show=False),
        Binding("ctrl+z,u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y,U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("escape,q,A", "close", "Back", tooltip="Back to the coding screen"),
        Binding("question_mark", "app.help", "Help", show=False, tooltip="List every key"),
    ]
    follows_changes = True  # the app calls rebuild() after an undo or another process's change

    def __init__(self, adjudicating: Adjudicating, unit: str = "character"):
        super().__init__(id="agreement-screen")
        self.adj = adjudicating
        self.unit = unit
        self.results: dict | None = None
        self.stale = False  # changed while covered: read again when it shows
        self.reads = 0  # how many reads have been shown (tests wait for one)

    def compose(self) -> ComposeResult:
        yield Static(id="agreement-title")
        yield DataTable(id="agreement-constructs", cursor_type="none", zebra_stripes=True)
        yield Static(id="agreement-overall")
        yield DataTable(id="agreement-studies", cursor_type="row", zebra_stripes=True)
        yield Static(id="agreement-status")
        yield Footer(compact=True)

    @property
    def table(self) -> DataTable:
        """The studies both reviewers marked done (enter opens one)."""
        return self.query_one("#agreement-studies", DataTable)

    @property
    def constructs(self) -> DataTable:
        return self.query_one("#agreement-constructs", DataTable)

    def on_mount(self) -> None:
        self.rebuild()
        self.table.focus()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.rebuild()

    def rebuild(self) -> None:
        """Read the pair's measures and disagreements again (in a worker thread) and show them, the
        cursor kept; while a study's disagreements are open above it, only when it shows again."""
        if self.app.screen is not self and self.is_mounted:
            self.stale = True
            return
        self.stale = False
        self._read()

    @work(exclusive=True, group="agreement-read")
    async def _read(self) -> None:
        self.query_one("#agreement-status", Static).update(Text("Reading the reviewers' codings…", Style(dim=True)))
        with self.app.guarded(reading=True) as guard:
            survey, self.results = await asyncio.to_thread(self.adj.overview, self.unit)
        if guard.failed:
            return
        self.adj.survey = survey
        self.show(survey)
        self.reads += 1

    def show(self, survey) -> None:
        """Show what was read: the title, the measures, the studies with their disagreements."""
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(" Agreement between reviewers", Style(bold=True))
        status = Text()
        self.show_measures()
        table = self.table
        keep = table.cursor_row
        table.clear(columns=True)
        if survey is None:
            title.append("  · needs two reviewers", Style(dim=True))
            status.append("Two reviewers must code the same studies and mark them done (t on the coding "
                          "screen) before they can be compared.")
        else:
            a, b = survey.reviewers
            title.append(f"  {a} × {b}", Style(bold=True, color="#e0a526"))
            title.append(f"  · unit: {self.unit}")
            n = len(survey.open)
            title.append(f"  · {_plural(n, 'open disagreement')}", Style(bold=True) if n else Style())
            counts = survey.open_counts()
            decided: dict[int, int] = {}
            for d in survey.items:
                if not d.open:
                    decided[d.study_id] = decided.get(d.study_id, 0) + 1
            table.add_columns("Study", "Open", "Decided")
            for sid, name in survey.studies:
                table.add_row(name, str(counts[sid]), str(decided.get(sid, 0)), key=str(sid))
            if survey.studies:
                table.move_cursor(row=min(keep, len(survey.studies) - 1))
                status.append(f"{_plural(len(survey.studies), 'study')} both marked done".replace("studys", "studies"))
                status.append(" · enter: a study's disagreements side by side · m: unit · r: reviewers",
                              Style(dim=True))
            else:
                status.append(f"No study is marked done by both {a} and {b} yet: each marks a study done "
                              "with t on the coding screen.")
        self.query_one("#agreement-title", Static).update(title)
        self.query_one("#agreement-status", Static).update(status)

    def show_measures(self) -> None:
        """The constructs with each measure of the unit mode and a bar of the first; the overall."""
        table = self.constructs
        table.clear(columns=True)
        overall = Text()
        results = self.results
        if results is None:
            self.query_one("#agreement-overall", Static).update(overall)
            return
        shown = MEASURES[self.unit]
        table.add_column("Construct")
        for _, words in shown:
            table.add_column(words)
        table.add_column("", key="bar")
        for row in results.get("by_construct", []):
            table.add_row(Text(row["construct"]), *(figure(k, row.get(k)) for k, _ in shown),
                          bar(row.get(shown[0][0])))
        total = results.get("overall", {})
        overall.append("Overall ", Style(bold=True))
        overall.append_text(bar(total.get(shown[0][0])))
        overall.append("  " + "  ".join(f"{words} {figure(k, total.get(k))}" for k, words in shown))
        reasons = total.get("reasons") or {}
        if reasons:
            overall.append(f"\nn/a: {next(iter(reasons.values()))}", Style(dim=True))
        self.query_one("#agreement-overall", Static).update(overall)

    @property
    def study_id(self) -> int | None:
        survey = self.adj.survey
        if survey is None or not survey.studies:
            return None
        return survey.studies[min(self.table.cursor_row, len(survey.studies) - 1)][0]

    @on(DataTable.RowSelected, "#agreement-studies")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_study()

    def action_open_study(self) -> None:
        study = self.study_id
        if study is None:
            self.app.notify("No study here: two reviewers must mark a study done first.", severity="warning")
            return
        self.app.push_screen(StudyAgreementScreen(self.adj, study))

    def action_next_unit(self) -> None:
        self.unit = UNIT_MODES[(UNIT_MODES.index(self.unit) + 1) % len(UNIT_MODES)]
        self.rebuild()

    def action_choose_reviewers(self) -> None:
        self._reviewers_flow()

    @work(exclusive=True, group="dialog")
    async def _reviewers_flow(self) -> None:
        names = self.adj.reviewers()
        if len(names) < 2:
            self.app.notify("The project has fewer than two reviewers.", severity="warning")
            return
        chosen: list[str] = []
        for which in ("A", "B"):
            items = [(i, Text(n)) for i, n in enumerate(names) if n not in chosen]
            picked = await self.app.push_screen_wait(ChooseScreen(items, title=f"Reviewer {which}"))
            if picked is None:
                return
            chosen.append(names[picked])
        with self.app.guarded("Cannot compare them") as guard:
            self.adj.choose(*chosen)
        if not guard.failed:
            self.rebuild()

    def action_adopt(self) -> None:
        adopt(self, self.study_id)

    def action_close(self) -> None:
        self.app.pop_screen()


def adopt(screen: Screen, study_id: int | None) -> None:
    """Write what both reviewers agree on in the study into the consensus, and say what."""
    if study_id is None:
        screen.app.notify("No study here.", severity="warning")
        return
    with screen.app.guarded("Nothing taken") as guard:
        decided = screen.adj.adopt_agreed(study_id)
    if guard.failed:
        return
    screen.app.refresh_after_change()
    screen.app.notify(f"The consensus takes {_plural(len(decided.added), 'agreed span')} and "
                      f"{_plural(len(decided.judgements), 'agreed judgement')}.", markup=False)


class StudyAgreementScreen(Screen):
    """One study's disagreements between the pair, one at a time, to adjudicate."""

    DEFAULT_CSS = """
    #adjudicate-title { height: 1; background: $panel; }
    #adjudicate-head { height: auto; padding: 0 1; }
    #adjudicate-sides { height: 1fr; }
    .adjudicate-side { width: 1fr; height: 1fr; padding: 0 1; border: round $panel-lighten-2; }
    """
    BINDINGS = [
        Binding("a", "take('a')", "Take A", tooltip="Take reviewer A's spans (or judgement) into the consensus"),
        Binding("b", "take('b')", "Take B", tooltip="Take reviewer B's spans (or judgement) into the consensus"),
        Binding("t", "take('both')", "Both", tooltip="Take both reviewers' spans into the consensus"),
        Binding("x", "take('neither')", "Neither", tooltip="Take neither: the consensus has nothing there"),
        Binding("e", "edit", "Edit", tooltip="Edit the span (type its offsets and construct) or the judgement"),
        Binding("n", "move(1)", "Next", key_display="n/p", tooltip="Next disagreement"),
        Binding("p", "move(-1)", "Previous", show=False, tooltip="Previous disagreement"),
        Binding("equals_sign", "adopt", "Agreed", show=False,
                tooltip="Write what both agree on in this study into the consensus"),
        Binding("ctrl+z,u", "app.undo", "Undo", show=False, tooltip=UNDO),
        Binding("ctrl+y,U", "app.redo", "Redo", show=False, tooltip=REDO),
        Binding("escape,q", "close", "Back", tooltip="Back to the studies"),
        Binding("question_mark", "app.help", "Help", show=False, tooltip="List every key"),
    ]
    follows_changes = True

    def __init__(self, adjudicating: Adjudicating, study_id: int):
        super().__init__(id="adjudicate-screen")
        self.adj = adjudicating
        self.study = study_id
        self.items: list[Disagreement] = []
        self.index = 0
        self.label = ""

    def compose(self) -> ComposeResult:
        yield Static(id="adjudicate-title")
        yield Static(id="adjudicate-head")
        with Horizontal(id="adjudicate-sides"):
            with VerticalScroll(classes="adjudicate-side", id="side-a"):
                yield Static(id="text-a")
            with VerticalScroll(classes="adjudicate-side", id="side-b"):
                yield Static(id="text-b")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.rebuild(first_open=True)

    @property
    def current(self) -> Disagreement | None:
        return self.items[self.index] if self.items else None

    def rebuild(self, first_open: bool = False) -> None:
        """Read the study's disagreements again; stay on the same one (by place) or, with
        ``first_open``, go to the first open one."""
        with self.app.guarded(reading=True) as guard:
            survey = self.adj.read(self.study)
            text = self.adj.text(self.study)
        if guard.failed or survey is None:
            return
        self.text = text
        self.label = dict(survey.studies).get(self.study, "this study")
        self.items = [d for d in survey.items if d.study_id == self.study]
        if first_open:
            self.index = next((i for i, d in enumerate(self.items) if d.open), 0)
        self.index = max(0, min(self.index, len(self.items) - 1))
        self.show()

    @property
    def open_count(self) -> int:
        return sum(1 for d in self.items if d.open)

    def show(self) -> None:
        names = self.adj.names
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f" {self.label}", Style(bold=True))
        title.append(f"  {names[0]} × {names[1]}  · {_plural(self.open_count, 'open disagreement')}")
        self.query_one("#adjudicate-title", Static).update(title)
        d = self.current
        head = Text()
        side_a, side_b = self.query_one("#side-a"), self.query_one("#side-b")
        side_a.border_title, side_b.border_title = f"A: {names[0]}", f"B: {names[1]}"
        if d is None:
            head.append("Nothing to adjudicate: both reviewers coded and judged this study alike.")
            self.query_one("#adjudicate-head", Static).update(head)
            self.query_one("#text-a", Static).update("")
            self.query_one("#text-b", Static).update("")
            return
        head.append(f"{self.index + 1} of {len(self.items)}  ", Style(dim=True))
        if d.kind == "span":
            head.append(d.construct, Style(bold=True))
            head.append(f"  [{d.start}, {d.end})  ")
        else:
            head.append("Judgement of ", Style(dim=True))
            head.append(d.construct, Style(bold=True))
            head.append("  ")
        head.append(decided_words(d, names), Style(color="#4ec27a") if not d.open else Style(bold=True, color="#e06c75"))
        self.query_one("#adjudicate-head", Static).update(head)
        if d.kind == "span":
            self.query_one("#text-a", Static).update(self.side_text(d, "a"))
            self.query_one("#text-b", Static).update(self.side_text(d, "b"))
        else:
            self.query_one("#text-a", Static).update(judgement_text(d.kind_a, d.note_a))
            self.query_one("#text-b", Static).update(judgement_text(d.kind_b, d.note_b))

    def side_text(self, d: Disagreement, side: str) -> Text:
        """The text around the disagreement with this side's spans shaded, the characters only
        this side coded underlined in its colour; its spans' offsets above."""
        mine_quoted = d.a if side == "a" else d.b
        spans = [(q.start, q.end) for q in mine_quoted]
        other = [(q.start, q.end) for q in (d.b if side == "a" else d.a)]
        out = Text()
        if spans:
            names = sorted({q.construct for q in mine_quoted})
            out.append(", ".join(f"[{s}, {e})" for s, e in spans) + " ", Style(dim=True))
            out.append(", ".join(names) + "\n", Style(italic=True))
        else:
            out.append("(not coded here)\n", Style(italic=True, color="#e06c75"))
        lo, hi = max(0, d.start - CONTEXT), min(len(self.text), d.end + CONTEXT)
        lo = self.text.rfind(" ", 0, lo) + 1 if lo else 0
        cut = self.text.find(" ", hi)
        hi = len(self.text) if cut == -1 or hi == len(self.text) else cut
        body = Text(("…" if lo else "") + self.text[lo:hi] + ("…" if hi < len(self.text) else ""))
        shift = 1 if lo else 0
        for s, e in spans:
            body.stylize(CODED, s - lo + shift, e - lo + shift)
        mine = differing(spans, other, d.start, d.end) if side == "a" else differing(other, spans, d.start, d.end)
        for s, e, who in mine:
            if who == side:
                body.stylize(SIDE_STYLE[side], s - lo + shift, e - lo + shift)
        out.append_text(body)
        return out

    # --- actions ---------------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if not self.items:
            return
        self.index = (self.index + step) % len(self.items)
        self.show()

    def action_take(self, take: str) -> None:
        self._decide(take)

    def _decide(self, take: str, **edit) -> None:
        d = self.current
        if d is None:
            self.app.notify("Nothing to adjudicate in this study.", severity="warning")
            return
        with self.app.guarded("Not decided") as guard:
            decided = self.adj.decide(d.id, take, study_id=self.study, **edit)
        if guard.failed:
            return
        words = TAKE_WORDS[take].format(a=self.adj.names[0], b=self.adj.names[1])
        added = f"; the consensus has {_plural(len(decided.added), 'new span')}" if decided.added else ""
        self.app.notify(f"{d.construct}: {words}{added} (u undoes).", markup=False)
        self.app.refresh_after_change()  # repaints this screen too, on the same disagreement
        following = [i for i in range(len(self.items)) if self.items[(self.index + i) % len(self.items)].open]
        if following:
            self.index = (self.index + following[0]) % len(self.items)
            self.show()

    def action_edit(self) -> None:
        self._edit_flow()

    @work(exclusive=True, group="dialog")
    async def _edit_flow(self) -> None:
        d = self.current
        if d is None:
            return
        if d.kind == "judgement":
            items = [(i, Text(KIND_WORDS[k])) for i, k in enumerate(KINDS)]
            picked = await self.app.push_screen_wait(ChooseScreen(items, title=f"Judgement of {d.construct}"))
            if picked is not None:
                self._decide("edit", kind=KINDS[picked])
            return
        answer = await self.app.push_screen_wait(InputScreen(
            f"The consensus span for “{d.construct}”, as START-END (code points of the study's text; "
            f"the disagreement covers {d.start}-{d.end})", f"{d.start}-{d.end}", title="Edit span"))
        if answer is None:
            return
        parts = answer.replace(" ", "").split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            self.app.notify(f"Type the span as START-END, e.g. {d.start}-{d.end}, not {answer!r}.", severity="error",
                            markup=False)
            return
        name = await self.app.push_screen_wait(InputScreen(
            "Its construct (enter keeps this one)", d.construct, title="Edit span"))
        if name is None:
            return
        with self.app.guarded("Not decided") as guard:
            construct = self.adj.construct_id(name)
        if not guard.failed:
            self._decide("edit", start=int(parts[0]), end=int(parts[1]), construct_id=construct)

    def action_adopt(self) -> None:
        adopt(self, self.study)

    def action_close(self) -> None:
        self.app.pop_screen()


def judgement_text(kind: str | None, note: str) -> Text:
    """One reviewer's judgement of a cell, in words, with its note."""
    text = Text()
    if kind is None:
        text.append("not judged", Style(italic=True, color="#e06c75"))
    else:
        text.append(KIND_WORDS[kind], Style(bold=True))
    if note:
        text.append(f"\n“{note}”", Style(italic=True))
    return text
