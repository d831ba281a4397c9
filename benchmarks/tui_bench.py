"""The TUI figures, measured headlessly with ``App.run_test()``; run by ``run.py`` in its own process
(so its ru_maxrss is the TUI's alone and the first run is a cold start), or by hand:

    .venv/bin/python benchmarks/tui_bench.py PROJECT --reviewer alice [--heavy-study ID --heavy 1000]

Frames are observed by wrapping the app's ``_display`` (Textual calls it with every compositor
update; in headless mode the update is fully rendered, only not written to a terminal), so "until
shown" means "until the first frame rendered after the state was reached", not a fixed sleep.
Writes a JSON report (rows for run.py's table, and what could not be measured) to ``--out``.
"""
from __future__ import annotations

import os
import time


def _process_age() -> float | None:
    """Seconds since this process was started (Linux /proc; 10 ms resolution), or None."""
    try:
        with open("/proc/self/stat") as handle:
            start_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return None


_AGE = _process_age()
LAUNCHED = None if _AGE is None else time.perf_counter() - _AGE  # perf_counter() of the process start

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIMEOUT = 30.0
IMPORT_SECONDS = 0.0


def ms(seconds: float) -> str:
    if seconds < 0.01:
        return f"{seconds * 1000:.2f} ms"
    return f"{seconds * 1000:.0f} ms"


class Frames:
    """Timestamps of the frames the app renders, and a way to wait for the next one."""

    def __init__(self, app):
        self.times: list[float] = []
        self.ready_at: float | None = None
        self.ready_check = None
        original = app._display

        def display(screen, renderable):
            original(screen, renderable)
            now = time.perf_counter()
            if renderable is not None:
                self.times.append(now)
                if self.ready_at is None and self.ready_check is not None and self.ready_check():
                    self.ready_at = now

        app._display = display
        self.last = 0.0
        self.work: list[tuple[float, float]] = []  # (start, end) of each layout/render pass, outermost
        self._depth = 0

    def watch(self, screen) -> None:
        """Also time the screen's layout and render passes (``_refresh_layout``, which renders too,
        and ``_compositor_refresh``), so a frame's own cost can be told from the wait before it."""
        for name in ("_refresh_layout", "_compositor_refresh"):
            original = getattr(screen, name)

            def wrapper(*a, _original=original, **kw):
                self._depth += 1
                start = time.perf_counter()
                try:
                    return _original(*a, **kw)
                finally:
                    self._depth -= 1
                    if self._depth == 0:
                        self.work.append((start, time.perf_counter()))

            setattr(screen, name, wrapper)

    def cost_of(self, frame: float) -> float:
        """How long the layout/render pass that produced the frame at ``frame`` took."""
        return next((end - start for start, end in self.work if start <= frame <= end + 0.0005), 0.0)

    async def after(self, moment: float) -> float:
        """The end of the first frame rendered after ``moment`` (waiting for it if need be)."""
        deadline = time.perf_counter() + TIMEOUT
        while True:
            later = [t for t in self.times if t > moment]
            if later:
                return later[0]
            if time.perf_counter() > deadline:
                raise TimeoutError("no frame was rendered")
            await asyncio.sleep(0.0005)


async def until(condition, what: str) -> float:
    """Poll (yielding to the app's tasks) until ``condition()``; the time it first held."""
    deadline = time.perf_counter() + TIMEOUT
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.0005)
    return time.perf_counter()


def shown(app) -> bool:
    """The coding screen is up, the study list holds every study and the open study's text is in the view."""
    screen = getattr(app, "coding_screen", None)
    if screen is None or app.screen is not screen:
        return False
    try:
        listed = len(screen.study_list.study_ids)
        text = screen.text_view.text
    except Exception:
        return False
    s = app.session
    return bool(s.studies) and listed == len(s.studies) and bool(text) and text == s.text


async def first_screen(App, project: str, reviewer: str, size: tuple[int, int]) -> tuple[float, float]:
    """(seconds from app construction to the first frame showing the list and the text, the
    perf_counter() of that frame)."""
    start = time.perf_counter()
    app = App(project, reviewer)
    frames = Frames(app)
    frames.ready_check = lambda: shown(app)
    async with app.run_test(size=size) as pilot:
        await until(lambda: frames.ready_at is not None, "the first screen")
        elapsed = frames.ready_at - start
        await pilot.pause()
    return elapsed, frames.ready_at


async def heavy_study(App, args, rows: list, missing: list) -> None:
    """Open the study with many highlights from the list, apply codes, render the visible lines."""
    app = App(args.project, args.reviewer)
    frames = Frames(app)
    async with app.run_test(size=args.size) as pilot:
        await until(lambda: shown(app), "the first screen")
        await pilot.pause()
        screen = app.coding_screen
        frames.watch(screen)
        session = app.session
        session.show_all = True  # every reviewer's highlights, as after pressing v
        view = screen.text_view
        expected = session.db.execute(
            "SELECT count(*) FROM coding WHERE study_id = ? AND removed_at IS NULL", [args.heavy_study]).fetchone()[0]
        first = session.studies[0]["id"]

        async def select(study_id: int, spans: int | None) -> tuple[float, float]:
            """Highlight the study in the list and press enter (StudyList.action_select), until
            the text view holds its spans; then until the next frame."""
            await pilot.pause()
            start = time.perf_counter()
            lst = screen.study_list
            lst.cursor = lst.study_ids.index(study_id)
            lst.action_select()
            loaded = await until(lambda: session.study_id == study_id and
                                 (spans is None or view.span_count == spans), "the study to open")
            frame = await frames.after(loaded)
            frames.last = frame
            return loaded - start, frame - start

        opened, painted, open_frames = [], [], []
        for _ in range(args.repeat):
            await select(first, None)
            a, b = await select(args.heavy_study, expected)
            opened.append(a)
            painted.append(b)
            open_frames.append(frames.cost_of(frames.last))
        rows.append(dict(section="6", measure=f"open a study with {expected:,} highlights (from the list)",
                         value=ms(statistics.median(painted)), target="", ok=None,
                         notes=f"select in the study list until the first frame with its spans; "
                               f"{ms(statistics.median(opened))} until the view holds them, that frame's "
                               f"layout + render {ms(statistics.median(open_frames))}; "
                               f"{len(session.studies):,} studies listed; all reviewers' codings shown"))

        parts = open_parts(screen, session, args.heavy_study, args.repeat)
        rows.append(dict(section="6", measure="  of which (median)", value="", target="", ok=None,
                         notes="; ".join(f"{k} {ms(v)}" for k, v in parts.items())))
        screen.open_study(args.heavy_study)
        await pilot.pause()

        # Apply codes through the screen's own path (the c picker and the 1-9 quick keys end in
        # CodingScreen.apply), each on a new span in the visible part of the text.
        constructs = sorted(session.constructs)
        units = [u for u in session.units if view.location_of(u[0])[0] < view.size.height // 2] or session.units
        sync, to_frame, frame_cost = [], [], []
        fresh = fresh_spans(session, units, constructs)
        for i in range(args.repeat + 1):
            a, b, construct_id = next(fresh)  # a new span each time: a repeat would be refused
            view.select_offsets(a, b)
            await pilot.pause()
            start = time.perf_counter()
            made = screen.apply(a, b, construct_id)
            done = time.perf_counter()
            if made is None:
                missing.append(f"apply() refused the span {a}-{b}: {app.notices[-1] if app.notices else '?'}")
                break
            frame = await frames.after(done)
            if i:  # the first one warms caches (construct picker data, recent list)
                sync.append(done - start)
                to_frame.append(frame - start)
                frame_cost.append(frames.cost_of(frame))
        if sync:
            rows.append(dict(section="6", measure="apply a code -> repaint", value=ms(statistics.median(to_frame)),
                             target="< 30 ms", ok=statistics.median(to_frame) < 0.030,
                             notes=f"`CodingScreen.apply` (store write + fsync, session reload, widgets) "
                                   f"{ms(statistics.median(sync))}, then the next frame, whose layout + render "
                                   f"took {ms(statistics.median(frame_cost))}; "
                                   f"runs {', '.join(f'{t * 1000:.0f}' for t in to_frame)} ms; "
                                   f"on the study with {view.span_count:,} highlights"))
            # Where the time of one apply goes, by component.
            parts = await apply_parts(screen, session, view, units, constructs, args.repeat)
            rows.append(dict(section="6", measure="  of which (median)", value="", target="", ok=None,
                             notes="; ".join(f"{k} {ms(v)}" for k, v in parts.items())))

        # The text view's own rendering of every visible row, caches cleared as after a change.
        height = view.size.height
        timings = []
        for _ in range(args.repeat):
            view.set_spans(screen._spans())  # a fresh SpanIndex: no per-line segments cached
            view._line_cache.clear()
            start = time.perf_counter()
            for y in range(height):
                view.render_line(y)
            timings.append(time.perf_counter() - start)
        med = statistics.median(timings)
        rows.append(dict(section="6", measure=f"render the {height} visible rows of the text view",
                         value=ms(med), target="< 30 ms", ok=med < 0.030,
                         notes=f"`StudyText.render_line` for each row (soft-wrapped, highlights painted by "
                               f"`get_line`), span and line caches cleared; {ms(med / max(1, height))} a row"))
        await pilot.pause()


def open_parts(screen, session, study_id: int, repeat: int) -> dict[str, float]:
    """The components of CodingScreen.open_study, timed one by one (no frame)."""
    out: dict[str, list[float]] = {}
    view = screen.text_view
    for _ in range(repeat):
        for name, fn in (("session.open_study", lambda: session.open_study(study_id)),
                         ("text_view.load_study", lambda: view.load_study(session.text, session.units,
                                                                           screen._spans())),
                         ("refresh_study_header", screen.refresh_study_header),
                         ("study_list.show", lambda: screen.study_list.show(session.studies, session.study_id)),
                         ("refresh_at_cursor", screen.refresh_at_cursor)):
            start = time.perf_counter()
            fn()
            out.setdefault(name, []).append(time.perf_counter() - start)
    return {k: statistics.median(v) for k, v in out.items()}


def fresh_spans(session, units, constructs):
    """Spans (start, end, construct) in the given sentence units that this reviewer has not coded
    with that construct yet, so that reruns on a kept project are not refused as duplicates."""
    taken = set(session.db.execute(
        "SELECT span_start, span_end, construct_id FROM coding WHERE study_id = ? AND reviewer_id = ? "
        "AND removed_at IS NULL", [session.study_id, session.reviewer_id]).fetchall())
    i = 0
    while True:
        a, b = units[i % len(units)]
        candidate = (a, min(b, a + 20 + (i * 7) % 40), constructs[i % len(constructs)])
        i += 1
        if candidate[1] > candidate[0] and candidate not in taken:
            taken.add(candidate)
            yield candidate


async def apply_parts(screen, session, view, units, constructs, repeat: int) -> dict[str, float]:
    """The steps CodingScreen.apply takes (Session.code, then refresh_codings), timed one by one on
    fresh spans (no frame)."""
    out: dict[str, list[float]] = {}

    def timed(name, fn, *a):
        start = time.perf_counter()
        result = fn(*a)
        out.setdefault(name, []).append(time.perf_counter() - start)
        return result

    fresh = fresh_spans(session, units, constructs)
    for i in range(repeat):
        a, b, construct_id = next(fresh)
        timed("session.code (store write + fsync, in-memory update)", session.code, a, b, construct_id)
        timed("text_view.set_spans", view.set_spans, screen._spans())
        timed("refresh_at_cursor", screen.refresh_at_cursor)
        timed("refresh_constructs", screen.refresh_constructs)
        timed("study_list.update_row", screen.study_list.update_row, session.study_id)
        timed("refresh_study_header", screen.refresh_study_header)
    return {k: statistics.median(v) for k, v in out.items()}


async def main_async(args) -> dict:
    rows: list[dict] = []
    missing: list[str] = []
    try:
        from workbench.tui.app import WorkbenchApp as App
    except ImportError as exc:
        return {"rows": rows, "missing": [f"cannot import workbench.tui.app.WorkbenchApp: {exc}"]}
    try:
        runs = [await first_screen(App, args.project, args.reviewer, args.size) for _ in range(args.repeat + 1)]
        cold, warm = runs[0][0], statistics.median(r[0] for r in runs[1:])
        rows.append(dict(section="5", measure="TUI first screen (app construction -> study list + text shown)",
                         value=ms(cold), target="< 0.5 s", ok=cold < 0.5,
                         notes=f"first run in a fresh process (Textual modules already imported); "
                               f"median of {args.repeat} more: {ms(warm)}; headless {args.size[0]}x{args.size[1]}"))
        if LAUNCHED is not None:
            total = runs[0][1] - LAUNCHED
            rows.append(dict(section="5", measure="TUI process launch -> first screen (what `workbench open` feels like)",
                             value=ms(total), target="< 0.5 s", ok=total < 0.5,
                             notes=f"interpreter start + `import workbench.tui.app` ({ms(IMPORT_SECONDS)} here) + the "
                                   f"first screen above; process start read from /proc (±20 ms)"))
    except Exception as exc:
        missing.append(f"first screen: {type(exc).__name__}: {exc}")
        traceback.print_exc()
    if args.heavy_study:
        try:
            await heavy_study(App, args, rows, missing)
        except Exception as exc:
            missing.append(f"study with highlights: {type(exc).__name__}: {exc}")
            traceback.print_exc()
    return {"rows": rows, "missing": missing}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project")
    parser.add_argument("--reviewer", default="alice")
    parser.add_argument("--heavy-study", type=int)
    parser.add_argument("--heavy", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--size", default="120x40", help="terminal columns x rows (default 120x40)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    args.size = tuple(int(v) for v in args.size.lower().split("x"))
    global IMPORT_SECONDS
    start = time.perf_counter()
    import workbench.tui.app  # noqa: F401  (cold, before any app is built; also timed by run.py)

    IMPORT_SECONDS = time.perf_counter() - start
    report = asyncio.run(main_async(args))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
