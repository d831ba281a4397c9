"""Fuzzy construct matching for the picker (rapidfuzz, imported on first use, not at start-up)."""
from __future__ import annotations

from typing import Sequence

from ..store.constructs import Construct

SCORE_CUTOFF = 60  # rapidfuzz WRatio (0-100) below which a construct is not offered


def rank_constructs(query: str, constructs: Sequence[Construct], recent: Sequence[int] = ()) -> list[Construct]:
    """Constructs matching ``query`` best first; with an empty query, recent ones first, then all
    by order and name."""
    query = " ".join(query.split())
    if not query:
        by_id = {c.id: c for c in constructs}
        first = [by_id[i] for i in recent if i in by_id]
        seen = {c.id for c in first}
        return first + sorted((c for c in constructs if c.id not in seen), key=lambda c: (c.order, c.name.casefold()))
    from rapidfuzz import fuzz, process, utils

    folded = query.casefold()
    hits = process.extract(query, {c.id: c.name for c in constructs}, scorer=fuzz.WRatio,
                           processor=utils.default_process, limit=None, score_cutoff=SCORE_CUTOFF)
    by_id = {c.id: c for c in constructs}

    def key(hit):
        name, score, cid = hit
        bonus = 20 if name.casefold() == folded else 10 if name.casefold().startswith(folded) else 0
        return (-(score + bonus), by_id[cid].order, name.casefold())

    return [by_id[cid] for _, _, cid in sorted(hits, key=key)]


def exact(query: str, constructs: Sequence[Construct]) -> Construct | None:
    """The construct whose name is ``query`` (any case, spaces collapsed), or None."""
    folded = " ".join(query.split()).casefold()
    return next((c for c in constructs if c.name.casefold() == folded), None)
