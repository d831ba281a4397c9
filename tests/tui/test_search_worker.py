"""The search screen searches in a worker thread (issue 8, item 6: it searched on every key on
the UI thread, and a long text froze the app for minutes)."""
from __future__ import annotations

import threading

from support import keys_for, wait_until

from workbench.store import search as store_search
from workbench.tui.screens.search import SearchScreen


async def test_keys_are_handled_while_a_slow_search_runs_and_only_the_last_query_is_shown(
        make_app, monkeypatch):
    real = store_search.search
    release = threading.Event()
    calls: list[tuple[str, bool]] = []  # (query, on the UI thread?)

    def slow_search(db, query, **options):
        calls.append((query, threading.current_thread() is threading.main_thread()))
        release.wait(timeout=3)  # a search over a huge text, until the test lets it finish
        return real(db, query, **options)

    monkeypatch.setattr(store_search, "search", slow_search)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        screen = app.screen
        query = screen.query_one("#search-query")
        await pilot.press(*keys_for("doctor"))
        await wait_until(pilot, lambda: calls, "a search to start")
        assert not calls[0][1]  # off the UI thread
        # the search is stuck; the keys typed meanwhile still reach the input
        await pilot.press(*keys_for("s"))
        assert query.value == "doctors" and screen.searched is None and not release.is_set()
        release.set()
        await wait_until(pilot, lambda: screen.searched == "doctors", "the hits for 'doctors'")
        assert calls[-1] == ("doctors", False)
        assert all(not on_ui for _, on_ui in calls)
        assert screen.hits and {h.match.lower() for h in screen.hits} <= {"doctor", "doctors"}
        assert screen.message.startswith(f"{len(screen.hits)} hit")


async def test_enter_before_the_hits_come_goes_to_the_first_hit(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        await pilot.press(*keys_for("家庭因素"), "enter")  # within the pause before the search
        await wait_until(pilot, lambda: app.screen is app.coding_screen, "the jump to the hit")
        view = app.coding_screen.text_view
        assert view.selected_text == "家庭因素"
