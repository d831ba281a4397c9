"""Wide (CJK) characters on screen: kept whole where Textual's compositor cuts screen lines, and
lines of CJK text wrapped where such text may break.

Cuts (Textual #6357). The compositor cuts every screen line at every visible widget's left and right edge and fills each
piece from the front-most widget there. It divides a widget's line at each cut inside it, and a
wide character across a cut becomes two spaces, even where the same widget fills the pieces on
both sides: a toast over the study text loses every Chinese character that lies over a panel's
edge ("家庭因素胜过经  因素"). ``install()`` makes the compositor divide a line that holds wide
characters only where another widget really takes over, keep a wide character across a cut whole
in the piece on its left (the piece on its right is left empty but taken), and redraw a partly
changed line whole pieces at a time, so a kept character is never cropped in half either.

Wrapping. Textual wraps a line at its spaces and folds a "word" wider than the line anywhere, and
a line of Chinese is one such word: it was cut inside "Medline", "1975" and "10". ``wrap_offsets``
may also break between two characters where one is a wide (CJK) character, but never inside a
run of Latin letters and digits, never before closing punctuation ("," "。" ")") and never after
opening punctuation ("(" "「"); lines without wide characters wrap as Textual wraps them.
"""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import textual
import textual.document._wrapped_document as wrapped_document
from rich.cells import cell_len, get_character_cell_size
from textual._compositor import ChopsUpdate, Compositor
from textual._wrap import compute_wrap_offsets
from textual.geometry import Region
from textual.strip import Strip

# The Textual release whose Compositor._render_chops and render_partial_update these replace (the
# project pins it): another release is left alone, and tests/tui/test_paint.py says if it still cuts.
PATCHED_FOR = "8.2.8"

_TAKEN = Strip([], 0)  # a piece a wide character's left neighbour already draws


def cuts_inside_wide(strip: Strip, cuts: Sequence[int]) -> set[int]:
    """Those of ``cuts`` (cells from the strip's start) that fall between a wide character's two cells."""
    wanted = set(cuts)
    inside: set[int] = set()
    x = 0
    for text, _style, control in strip:
        if control:
            continue
        for ch in text:
            width = get_character_cell_size(ch)
            if width == 2 and x + 1 in wanted:
                inside.add(x + 1)
            x += width
    return inside


def _render_chops(self: Compositor, crop: Region,
                  is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
    """Textual 8.2.8's ``Compositor._render_chops`` but for lines with wide characters (see above)."""
    cuts = self.cuts
    chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            if strip.cell_length == len(strip.text):  # one cell per character: Textual's own way
                for cut, piece in zip(final_cuts, strip.divide([cut - render_x for cut in final_cuts[1:]])):
                    if line.get(cut) is None:  # painting front to back: the first piece wins
                        line[cut] = piece
                continue
            inner = final_cuts[1:-1]
            inside = cuts_inside_wide(strip, [cut - render_x for cut in inner])
            kept: list[int] = []
            joined: list[int] = []
            for before, cut in zip(final_cuts, inner):
                if cut - render_x in inside and line.get(before) is None and line.get(cut) is None:
                    joined.append(cut)  # this widget fills both sides: no cut through the character
                else:
                    kept.append(cut)
            pieces = strip.divide([cut - render_x for cut in [*kept, last_cut]])
            for start, piece in zip([first_cut, *kept], pieces):
                if line.get(start) is None:
                    line[start] = piece
            for cut in joined:
                line[cut] = _TAKEN
    return chops  # type: ignore[return-value]


_original_partial_update = Compositor.render_partial_update


def _render_partial_update(self: Compositor) -> ChopsUpdate | None:
    """Textual's partial update, redrawing whole pieces where a changed stretch starts or ends inside
    one (the pieces hold this frame's content, so drawing more of them is never wrong)."""
    update = _original_partial_update(self)
    if update is None:
        return None
    cuts = self.cuts
    ends = [[max(following, x + strip.cell_length) if strip is not None else following
             for (x, strip), following in zip(line.items(), cut_set[1:])]
            for line, cut_set in zip(update.chops, cuts)]
    spans = []
    for y, x1, x2 in update.spans:
        for (x, strip), end in zip(update.chops[y].items(), ends[y]):
            if strip is None:
                continue
            if x < x1 < end:
                x1 = x
            if x < x2 < end:
                x2 = end
        spans.append((y, x1, x2))
    return ChopsUpdate(update.chops, spans, ends)


# No line break before these (closing punctuation) or after those (opening punctuation).
CLOSING = frozenset(",.:;!?)]}%"
                    "、。，．：；！？）］｝」』】〉》〕〗〙〛’”…‥・ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
OPENING = frozenset("([{（［｛「『【〈《〔〖〘〚‘“")


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between the adjacent characters ``before`` and ``after``."""
    if after.isspace():
        return False
    if before.isspace():
        return True
    if after in CLOSING or before in OPENING:
        return False
    return get_character_cell_size(before) == 2 or get_character_cell_size(after) == 2


def chunks(text: str) -> list[tuple[int, str]]:
    """``text`` as (start, piece) pieces that wrapping keeps whole: a Latin word or number with
    the punctuation around it, one CJK character with its punctuation, each with the spaces after it."""
    pieces: list[tuple[int, str]] = []
    start = 0
    for index in range(1, len(text)):
        if _may_break(text[index - 1], text[index]):
            pieces.append((start, text[start:index]))
            start = index
    if text:
        pieces.append((start, text[start:]))
    return pieces


def wrap_offsets(text: str, width: int, tab_size: int, fold: bool = True,
                 precomputed_tab_sections: list[tuple[str, int]] | None = None) -> list[int]:
    """Where to break ``text`` to fit ``width`` cells (Textual's ``compute_wrap_offsets``, with CJK
    break opportunities as above). A piece wider than the line is folded anywhere, as Textual does."""
    if "\t" in text or width <= 0 or cell_len(text) == len(text):
        return compute_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)
    breaks: list[int] = []
    used = 0
    for start, piece in chunks(text):
        piece_width = cell_len(piece)
        if used + piece_width <= width:
            used += piece_width
            continue
        if piece_width <= width or not fold:
            if used and start:
                breaks.append(start)
            used = piece_width
            continue
        # wider than a line: fold it, character by character, starting on a new line
        if used and start:
            breaks.append(start)
        used = 0
        for index, ch in enumerate(piece, start):
            ch_width = get_character_cell_size(ch)
            if used + ch_width > width and used:
                breaks.append(index)
                used = 0
            used += ch_width
    return breaks


def install() -> bool:
    """Make Textual's compositor keep wide characters whole and its text areas wrap CJK lines as
    above (once; only on the release it was written for). True when it is in place."""
    if textual.__version__ != PATCHED_FOR:
        return False
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]
    Compositor.render_partial_update = _render_partial_update  # type: ignore[method-assign]
    wrapped_document.compute_wrap_offsets = wrap_offsets  # type: ignore[attr-defined]
    return True
