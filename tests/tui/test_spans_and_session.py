"""The plain-Python parts of the TUI: highlight geometry, sentence steps, fuzzy matching, offsets,
plus rendering cost with 1,000 highlights and what start-up imports."""
from __future__ import annotations

import json
import random
import subprocess
import sys

from rich.console import Console
from support import ROOT, SEED_003
from textual.geometry import Region

from workbench.core.text import canonicalise, decode, line_starts
from workbench.store.constructs import Construct
from workbench.tui import units
from workbench.tui.app import WorkbenchApp
from workbench.tui.colours import ORDER_COLOURS
from workbench.tui.matching import exact, rank_constructs
from workbench.tui.spans import Segment, Span, SpanIndex


def test_boundary_sweep_splits_overlaps_into_segments():
    text = "abcdefghij\nklmnopqrst\n"
    index = SpanIndex(line_starts(text), len(text), [
        Span(2, 8, order=2, key=1),
        Span(5, 14, order=1, key=2),  # crosses the line break
        Span(16, 18, order=3, key=3, mine=False),  # another reviewer's
    ])
    one, two, three = frozenset({1}), frozenset({2}), frozenset({3})
    assert index.segments(0) == [
        Segment(2, 5, 2, 1, 1, mine=two),
        Segment(5, 8, 1, 2, 2, mine=one | two),  # two codings: depth 2, the newer one's order, both orders
        Segment(8, 10, 1, 1, 2, mine=one),  # stops at the end of the line (the newline is not painted)
    ]
    assert index.segments(1) == [Segment(0, 3, 1, 1, 2, mine=one), Segment(5, 7, 3, 1, 3, others=three)]
    assert index.segments(2) == []


def test_touching_spans_do_not_overlap():
    index = SpanIndex([0], 10, [Span(0, 4, 1, 1), Span(4, 8, 2, 2)])
    assert [(s.start, s.end, s.depth) for s in index.segments(0)] == [(0, 4, 1), (4, 8, 1)]


def test_sentence_steps():
    u = [(0, 10), (11, 20), (22, 30)]
    assert units.next_end(u, 0) == 10 and units.next_end(u, 10) == 20 and units.next_end(u, 30) is None
    assert units.previous_start(u, 15) == 11 and units.previous_start(u, 11) == 0
    assert units.previous_start(u, 0) is None
    assert units.next_start(u, 0) == 11 and units.next_start(u, 25) is None
    assert units.unit_at(u, 5) == (0, 10)
    assert units.unit_at(u, 10) == (0, 10)  # just after a full stop: that sentence
    assert units.unit_at(u, 21) == (22, 30)  # between sentences: the next one


def test_fuzzy_ranking_best_first_and_recent_first():
    ks = [Construct(1, "g1", "Pivotal experiences", 2, None, "", None),
          Construct(2, "g2", "Family over finances", 3, None, "", None),
          Construct(3, "g3", "Dissatisfaction with training", 1, None, "", None)]
    assert [c.id for c in rank_constructs("pivot", ks)][0] == 1
    assert [c.id for c in rank_constructs("family finance", ks)][0] == 2
    assert rank_constructs("zzzz qqq", ks) == []
    assert [c.id for c in rank_constructs("", ks, recent=[3])] == [3, 1, 2]
    assert exact("  pivotal   EXPERIENCES ", ks).id == 1


def test_offsets_match_the_document_on_a_long_text(small_project):
    app = WorkbenchApp(small_project, "alice")
    try:
        s = app.session
        s.open_study(2)  # Frehywot 2019: the long full text
        from textual.document._document import Document

        doc = Document(s.text)
        rng = random.Random(7)
        for offset in [0, len(s.text)] + [rng.randrange(len(s.text)) for _ in range(50)]:
            assert s.location(offset) == doc.get_location_from_index(offset)
            assert s.offset(s.location(offset)) == doc.get_index_from_location(s.location(offset))
    finally:
        app.session.close()


def random_spans(text_length: int, n: int, seed: int = 1) -> list[Span]:
    rng = random.Random(seed)
    spans = []
    for key in range(1, n + 1):
        start = rng.randrange(text_length - 400)
        spans.append(Span(start, start + rng.randrange(5, 400), rng.choice((1, 2, 3)), key))
    return spans


def test_thousand_highlights_index_is_fast():
    text = canonicalise(decode(SEED_003.read_bytes()))
    starts = line_starts(text)
    spans = random_spans(len(text), 1000)
    index = SpanIndex(starts, len(text), spans)
    segments = [index.segments(line) for line in range(len(starts))]
    assert sum(len(s) for s in segments) > 1000
    # each line sweeps only the spans that touch it (bisect on line starts), not all 1,000
    touching = [sum(1 for sp in spans if sp.start < end and sp.end > start)
                for start, end in zip(starts, starts[1:] + [len(text)])]
    assert max(len(s) for s in segments) <= 2 * max(touching) + 1


async def test_thousand_highlights_render_only_visible_lines(small_project):
    app = WorkbenchApp(small_project, "alice")
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.coding_screen
            screen.open_study(2)
            view = screen.text_view
            spans = random_spans(view.length, 1000)
            view.set_spans(spans)
            assert view.span_count == 1000
            calls = []
            original = view.get_line

            def counting(line_index):
                calls.append(line_index)
                return original(line_index)

            view.get_line = counting
            for _ in range(10):  # ten pages down, each page rendered from scratch
                view.notify_style_update()
                view.render_lines(Region(0, 0, view.size.width, view.size.height))
                view.scroll_to(y=view.scroll_y + view.size.height, animate=False)
                await pilot.pause()
            assert len(set(calls)) <= 10 * view.size.height  # visible lines only, never the whole text
            assert len(view.document.lines) > 10 * view.size.height
            # a painted character has its order's colour
            first = min(spans, key=lambda s: s.start)
            row, col = view.location_of(first.start)
            style = original(row).get_style_at_offset(Console(), col)
            assert style.bgcolor is not None
            hexes = {c.single for c in ORDER_COLOURS.values()} | {c.overlap for c in ORDER_COLOURS.values()}
            assert style.bgcolor.get_truecolor().hex in hexes
    finally:
        app.session.close()


STARTUP = """
import json, sys, time, asyncio
t0 = time.perf_counter()
from workbench.tui.app import WorkbenchApp
async def main():
    app = WorkbenchApp(sys.argv[1], "alice")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = app.coding_screen.session.study_id
    print(json.dumps({"seconds": time.perf_counter() - t0, "study": shown,
                      "modules": sorted(m for m in ("spacy", "rapidfuzz") if m in sys.modules)}))
asyncio.run(main())
"""


def test_startup_is_lazy(small_project):
    out = subprocess.run([sys.executable, "-c", STARTUP, str(small_project)], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["study"] == 1
    assert result["modules"] == []  # spaCy and rapidfuzz load on first use, not at start-up


def test_at_cursor_text_fits_its_panel_and_says_how_many_more():
    from workbench.tui.session import ShownCoding
    from workbench.tui.widgets.at_cursor import describe

    codings = [ShownCoding(i, 10, 20 + i, i, f"Construct {i}", 2, "", 1, "alice", "a quote") for i in range(5)]
    full = describe(codings, (10, 10), width=30).plain
    assert full.count("Construct") == 5
    fitted = describe(codings, (10, 10), width=30, height=8).plain.split("\n")
    assert len(fitted) <= 8
    assert fitted[-1] == "+ 3 more: o selects each in turn"
    assert [line for line in fitted if line.startswith("[")] == ["[2] Construct 0", "[2] Construct 1"]
