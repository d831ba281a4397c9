"""The study order from the command palette (issue 11, item 1): chronological, the open study as
the index paper, the open study one place up or down, and the order's reason. Each change is the
store's undoable ``study.order`` (``u`` undoes it); the study list follows at once and the line
under it says the order ("index: Newman 2025", "by hand: the richest study first")."""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import translating

if TYPE_CHECKING:
    from .app import WorkbenchApp


def order_commands(app: WorkbenchApp) -> list[tuple[str, Callable[[], object], str]]:
    """(name, callback, help) of the palette's study order commands."""
    now = f"now: {_words(app)}"
    return [
        ("Study order: chronological", lambda: _change(app, translating.order_chronologically),
         f"year, then import order ({now})"),
        ("Study order: the open study as the index paper", lambda: _open_study(app, translating.order_from_index),
         f"the open study first, the others chronological ({now})"),
        ("Study order: move the open study up", lambda: _open_study(app, translating.move_study, -1),
         f"one place earlier, an order by hand ({now})"),
        ("Study order: move the open study down", lambda: _open_study(app, translating.move_study, 1),
         f"one place later, an order by hand ({now})"),
        ("Study order: give its reason", lambda: _reason(app), f"why the studies are translated in this order ({now})"),
    ]


def _words(app: WorkbenchApp) -> str:
    with app.guarded(reading=True) as guard:
        words = translating.order_words(app.session)
    return "?" if guard.failed else words


def _change(app: WorkbenchApp, change, *args) -> None:
    with app.guarded("Study order not changed") as guard:
        made = change(app.session, *args)
    if guard.failed:
        return
    app.refresh_after_change()
    app.notify(f"Study order: {translating.order_words(app.session, made)} (u undoes).", markup=False)


def _open_study(app: WorkbenchApp, change, *args) -> None:
    study_id = app.session.study_id
    if study_id is None:
        app.notify("Open a study first: the change is about the open study.", severity="warning", markup=False)
        return
    _change(app, change, study_id, *args)


def _reason(app: WorkbenchApp) -> None:
    from .screens.modals import InputScreen

    with app.guarded(reading=True) as guard:
        shown = translating.study_order(app.session)
    if guard.failed:
        return

    def given(reason: str | None) -> None:
        if reason is not None:
            _change(app, translating.give_order_reason, reason)

    app.push_screen(InputScreen(f"Why are the studies translated in this order ({shown.words})?", shown.reason,
                                title="Reason for the study order", placeholder="e.g. the richest study first"),
                    given)
