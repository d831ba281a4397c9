"""Command palette (ctrl+p): the coding screen's actions, the project memo, and "Go to study:
<title>" per study."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .session import STATUS_WORDS, study_label
from .study_order import order_commands

if TYPE_CHECKING:
    from .app import WorkbenchApp


def palette_commands(app: "WorkbenchApp") -> list[tuple[str, Callable[[], object], str]]:
    """(name, callback, help) for every command; actions come from the bindings themselves."""
    from .screens.coding import CodingScreen
    from .widgets.study_text import StudyText

    screen = app.coding_screen
    commands: list[tuple[str, Callable[[], object], str]] = []
    seen: set[str] = set()
    targets = [(CodingScreen, screen), (StudyText, screen.text_view)]
    for cls, target in targets:
        keys: dict[str, list[str]] = {}
        own = [b for b in Binding.make_bindings(cls.BINDINGS) if b.description]
        for b in own:
            keys.setdefault(b.action, []).append(app.get_key_display(replace(b, key_display=None)))
        for b in own:
            if b.action in seen or b.action.startswith(("app.focus", "screen.", "quick(")):
                continue
            seen.add(b.action)
            name = b.tooltip or b.description
            commands.append((name, partial(_run, target, b.action), "key: " + " / ".join(keys[b.action])))
    commands.append(("Edit your memo on the project", app.action_project_memo,
                     "the review as a whole (palette only)"))
    for name, callback, words in (
            ("Translation grid: only the concepts under one overarching construct", app.action_grid_overarching,
             "key in the grid: o"),
            ("Translation grid: only concepts with a refutation", partial(app.show_grid, refuted=True),
             "key in the grid: R"),
            ("Translation grid: only cells not judged yet", partial(app.show_grid, unjudged=True),
             "key in the grid: N"),
            ("Translation grid: every concept and cell (no filter)",
             partial(app.show_grid, overarching=None, refuted=False, unjudged=False), "key in the grid: a")):
        commands.append((name, callback, words))
    flagged = sum(1 for study in app.session.studies if study.get("possible_duplicates"))
    commands.append(("Review possible duplicates", app.action_review_duplicates,
                     f"{flagged} studies marked ≈ in the list (palette only)" if flagged
                     else "pairs an import flagged as possibly the same study (palette only)"))
    commands.append(("Align reviewers' constructs", app.action_align_constructs,
                     "pair another reviewer's own constructs with yours, so agreement counts them as one "
                     "(palette only)"))
    commands.append(("Orphaned codings", app.action_orphans,
                     "your codings a replaced study text left without a place: place or drop each (palette only)"))
    commands.extend(order_commands(app))
    for study in app.session.studies:
        title = " ".join(study["title"].split())
        label = study_label(study)
        name = f"Go to study: {title}"
        if label != study["title"]:
            name += f" ({label} {study['year'] or ''})".rstrip()
        elif study.get("year"):
            name += f" ({study['year']})"
        progress = f"your codings: {study['mine']}, {STATUS_WORDS[study['status']]}"
        commands.append((name, partial(app.go_to_study, study["id"]), progress))
    return commands


async def _run(target, action: str) -> None:
    await target.run_action(action)


STUDY_HITS = 200  # the most "Go to study" candidates a query is scored against
DISCOVER_STUDIES = 20  # studies listed before anything is typed


def _subsequence(query: str) -> re.Pattern:
    """Matches text containing the query's characters in order (the palette's own fuzzy rule),
    used to skip the slower scoring for the many studies that cannot match."""
    chars = [re.escape(ch) for ch in query.casefold() if not ch.isspace()]
    return re.compile(".*?".join(chars), re.IGNORECASE | re.DOTALL)


class WorkbenchCommands(Provider):
    """Actions of the coding screen and one "Go to study" per study."""

    async def startup(self) -> None:
        self._commands = palette_commands(self.app)

    async def discover(self) -> Hits:
        studies = 0
        for name, callback, help_text in self._commands:
            if name.startswith("Go to study: "):
                studies += 1
                if studies > DISCOVER_STUDIES:
                    continue
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        pattern = _subsequence(query)
        studies = 0
        for name, callback, help_text in self._commands:
            if not pattern.search(name):
                continue
            if name.startswith("Go to study: "):
                studies += 1
                if studies > STUDY_HITS:
                    continue
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
