"""Command palette (ctrl+p): the coding screen's actions and "Go to study: <title>" per study."""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from .session import study_label

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
            keys.setdefault(b.action, []).append(app.get_key_display(b))
        for b in own:
            if b.action in seen or b.action.startswith(("app.focus", "screen.", "quick(")):
                continue
            seen.add(b.action)
            name = b.tooltip or b.description
            commands.append((name, partial(_run, target, b.action), "key: " + " / ".join(keys[b.action])))
    commands.append(("Help: list every key", partial(app.run_action, "help"), "key: ?"))
    for study in app.session.studies:
        title = " ".join(study["title"].split())
        label = study_label(study)
        name = f"Go to study: {title}"
        if label != study["title"]:
            name += f" ({label} {study['year'] or ''})".rstrip()
        elif study.get("year"):
            name += f" ({study['year']})"
        commands.append((name, partial(app.go_to_study, study["id"]), f"study {study['id']}"))
    return commands


async def _run(target, action: str) -> None:
    await target.run_action(action)


class WorkbenchCommands(Provider):
    """Actions of the coding screen and one "Go to study" per study."""

    async def discover(self) -> Hits:
        for name, callback, help_text in palette_commands(self.app):
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in palette_commands(self.app):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, text=name, help=help_text)
