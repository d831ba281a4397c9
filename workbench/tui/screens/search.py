"""Search: full-text search over study texts and memos, hits as keyword-in-context lines.

Type a query (words are stemmed and all required; "a phrase" in quotes; a Chinese, Japanese or
Korean query is matched as a substring); the hits update as you type: the search runs in a worker
thread a moment after the last key (each key cancels the search before it), so typing never waits
for it, and the hits are shown on the UI thread. up/down move, enter jumps:
a study hit opens the study with the match selected, a memo hit goes to what the memo is on.
The screen dismisses with the chosen ``Hit`` (the store's ``search.Hit``), or None.
"""
from __future__ import annotations

import asyncio
import sqlite3

from rich.style import Style
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...core.errors import WorkbenchError
from ..session import Session, study_label
from ..widgets.fit import clip

MATCH_STYLE = Style(bold=True, color="#000000", bgcolor="#e0a526")
LIMIT = 300  # hits listed; the store gives the best texts first
MEMO_MARK = "✎"
DEBOUNCE = 0.12  # seconds after the last key before searching


def hit_label(hit, studies: dict[int, dict], width: int = 70) -> Text:
    """``2018 Heist   …left «match» right…``; a memo hit starts with ✎ and says whose and on what."""
    text = Text(no_wrap=True, overflow="ellipsis")
    if hit.kind == "memo":
        text.append(f"{MEMO_MARK} ", Style(bold=True))
        text.append(clip(hit.title, 40), Style(italic=True))
        text.append("  ")
    else:
        study = studies.get(hit.study_id)
        name = f"{study.get('year') or '----'} {study_label(study)}" if study else clip(hit.title, 20)
        text.append(f"{clip(name, 18):<18} ", Style(bold=True))
    room = max(10, width - text.cell_len - len(hit.match) - 4)
    left = hit.kwic_left[-(room // 2):] if hit.kwic_left else ""
    right = hit.kwic_right[:room - len(left)] if hit.kwic_right else ""
    text.append(("…" if left and hit.start > len(left) else "") + left, Style(dim=True))
    text.append("«", Style(dim=True))
    text.append(hit.match, MATCH_STYLE)
    text.append("»", Style(dim=True))
    text.append(right + ("…" if right else ""), Style(dim=True))
    return text


def _word_being_typed(query: str) -> bool:
    """The query ends in a letter or digit of an unquoted word without its own ``*``."""
    return bool(query) and query[-1].isalnum() and query.count('"') % 2 == 0


class SearchScreen(ModalScreen["object | None"]):
    BINDINGS = [
        Binding("escape", "cancel", "Close", tooltip="Close the search"),
        Binding("down", "move(1)", "Next hit", show=False),
        Binding("up", "move(-1)", "Previous hit", show=False),
        Binding("pagedown", "page(1)", "A page of hits down", show=False),
        Binding("pageup", "page(-1)", "A page of hits up", show=False),
    ]

    def __init__(self, session: Session, query: str = ""):
        super().__init__(classes="dialog-screen")
        self.session = session
        self.initial = query
        self.hits: list = []
        self.message = ""
        self.searched: str | None = None  # the query whose hits are shown (None: none yet)
        self._go_when_found = False        # enter was pressed before the hits came

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker search") as box:
            box.border_title = "Search study texts and memos"
            yield Input(value=self.initial, placeholder='words (all of them), "a phrase", prefix*, or 中文',
                        id="search-query")
            yield Static(id="search-status", classes="dialog-body")
            yield OptionList(id="hits")
            yield Static(Text("type: search     up/down: move     enter: go there     escape: close",
                              style="dim"), classes="dialog-keys")

    def on_mount(self) -> None:
        query = self.query_one("#search-query", Input)
        query.cursor_blink = False
        query.focus()
        if self.initial:
            self.run_search(self.initial)
        else:
            self._status("Type to search every study's text and every memo.")

    @property
    def hit_list(self) -> OptionList:
        return self.query_one("#hits", OptionList)

    def _status(self, message: str, warning: bool = False) -> None:
        self.message = message
        self.query_one("#search-status", Static).update(
            Text(message, style=Style(color="#e0a526") if warning else Style(dim=True)))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        """Search for ``query`` in a worker, a moment from now (the store refuses a query with
        nothing to look for); a newer query cancels it."""
        if not query.strip():
            self.workers.cancel_group(self, "search")
            self._show(query, [], False)
            return
        self._search(query)

    @work(exclusive=True, group="search")
    async def _search(self, query: str) -> None:
        await asyncio.sleep(DEBOUNCE)  # a key within it cancels this worker: no search for that query
        try:
            hits, prefixed = await asyncio.to_thread(self._find, query)
        except (WorkbenchError, sqlite3.Error) as exc:  # a refused query, or a database in trouble
            self._show(query, [], False, error=f"{exc}")
            return
        self._show(query, hits, prefixed)

    def _find(self, query: str) -> tuple[list, bool]:
        """The hits (in the worker's thread; the session searches on a connection of its own)."""
        from ...store.search import is_cjk

        hits = self.session.search(query, limit=LIMIT)
        if not hits and _word_being_typed(query) and not is_cjk(query):
            # while a word is being typed ("retur"), show the words it starts
            hits = self.session.search(query + "*", limit=LIMIT)
            return hits, bool(hits)
        return hits, False

    def _show(self, query: str, hits: list, prefixed: bool, error: str = "") -> None:
        """List the hits for ``query`` (on the UI thread)."""
        hits_list = self.hit_list
        hits_list.clear_options()
        self.hits = hits
        self.searched = query
        if not query.strip():
            self._status("Type to search every study's text and every memo.")
            return
        if error:
            self._status(error, warning=True)
            return
        width = max(30, hits_list.scrollable_content_region.width or 70)
        studies = {s["id"]: s for s in self.session.studies}
        hits_list.add_options([Option(hit_label(h, studies, width), id=f"hit-{i}")
                               for i, h in enumerate(self.hits)])
        if self.hits:
            hits_list.highlighted = 0
            texts = len({(h.kind, h.study_id, h.memo_id) for h in self.hits})
            memos = sum(1 for h in self.hits if h.kind == "memo")
            more = sum(1 for h in self.hits if h.more)
            self._status((f"Words starting “{query.split()[-1]}”: " if prefixed else "")
                         + f"{len(self.hits)} hit{'s' if len(self.hits) != 1 else ''} in {texts} "
                         f"text{'s' if texts != 1 else ''}" + (f" ({memos} in memos, marked {MEMO_MARK})" if memos else "")
                         + (f"; the first {LIMIT} shown" if len(self.hits) >= LIMIT else "")
                         + (f"; {more} text{'s have' if more != 1 else ' has'} more than shown" if more else ""))
            if self._go_when_found and query == self.query_one("#search-query", Input).value:
                self.dismiss(self.hits[0])
        else:
            self._status("No hits.")
        self._go_when_found = False

    @property
    def plain(self) -> str:
        return "\n".join(str(o.prompt) for o in self.hit_list.options)

    def action_move(self, step: int) -> None:
        if step > 0:
            self.hit_list.action_cursor_down()
        else:
            self.hit_list.action_cursor_up()

    def action_page(self, step: int) -> None:
        if step > 0:
            self.hit_list.action_page_down()
        else:
            self.hit_list.action_page_up()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip() and self.searched != event.value:  # the hits for what was typed are still coming
            self._go_when_found = True
            return
        index = self.hit_list.highlighted
        if index is None or not self.hits:
            self.notify("No hit to go to: type a word that occurs.", severity="warning")
            return
        self.dismiss(self.hits[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.hits[int(event.option.id.removeprefix("hit-"))])

    def action_cancel(self) -> None:
        self.dismiss(None)
