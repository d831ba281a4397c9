"""Suggestions while translating: which concept a construct may express, or which of a study's
constructs may express a concept, read from the project and ranked by ``core.suggestions``.

Two questions, one answer shape (``Suggestions``):

* ``for_construct(db, construct_id)``: for a second-order construct (typically one not yet linked
  to any concept), the third-order constructs it may **interpret**; for a first-order one, the
  second-order constructs it may **support**. While the project has no third-order construct, the
  grid's rows are the second-order constructs, and a second-order construct is compared with the
  other second-order ones (no link joins two of them: ``kind`` is None).
* ``for_cell(db, concept_id, study_id)``: for a grid cell (a concept and a study, typically not yet
  judged), the constructs one order below the concept that the study voices (coded in it, or
  coined by its authors) and that are not linked to the concept yet, best first.

What is compared: each construct's name, its definition with its guidance for coders ("when to
use"), and its live coded quotes together with those of the constructs linked to it from one order
below (a concept's quotes include those of the second-order constructs that interpret it; a
second-order construct's, those of the first-order ones that support it), at most ``QUOTES`` of
each (the first in the database's index order: the same ones every time). With ``reviewer_id``
only that reviewer's codings are read; with None, every reviewer's. ``hidden``
(``store.blind.hidden``, for a reviewer coding blind) leaves out what that reviewer may not see:
those constructs are neither asked about, compared nor counted, and those links neither carry
quotes nor count as made. How rare a word is counts over every construct of the two orders
compared, so a word all of one study's constructs use weighs little.

Accepting a suggestion is making its link: ``Candidate.link`` is ``(from name, kind, to name)``,
i.e. ``workbench construct link PROJECT FROM KIND TO --reviewer NAME`` (``store.restructure.link``),
an undoable event like every change. Nothing here writes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..core.constructs import ORDERS, ConstructError
from ..core.suggestions import Index, Item, Shared, Suggestion
from .blind import NOTHING, BlindError, Hidden
from .constructs import Construct, get
from .db import Store

QUOTES = 10  # quotes read per construct, and as many from the constructs linked to it: enough words, bounded
KIND_BELOW = {3: "interprets", 2: "supports"}  # the link a construct of the order below makes to it


@dataclass(frozen=True)
class Candidate:
    """A suggested construct: its score (0-100), why, and the link that accepting it makes
    (``None`` when no link joins the two, as between two second-order constructs)."""

    construct_id: int
    name: str
    order: int
    score: float
    shared: tuple[Shared, ...]
    reason: str
    link: tuple[str, str, str] | None

    @property
    def words(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for group in self.shared:
            seen.update(dict.fromkeys(group.words))
        return tuple(seen)


@dataclass(frozen=True)
class Suggestions:
    """The ranked candidates for one construct (``for_construct``) or one cell (``for_cell``).

    ``query`` is the construct asked about (the concept, for a cell); ``kind`` the link that
    accepting a candidate makes (None: no link, see the module docstring); ``linked`` the names the
    query is linked to already by that kind (those are not suggested); ``study_id`` the cell's
    study, or None."""

    query: Construct
    kind: str | None
    linked: tuple[str, ...]
    candidates: list[Candidate]
    study_id: int | None = None
    compared: int = 0  # how many constructs were ranked
    notes: list[str] = field(default_factory=list)


def for_construct(db: Store, construct_id: int, reviewer_id: int | None = None, limit: int = 5,
                  hidden: Hidden = NOTHING) -> Suggestions:
    """The constructs of the order above that ``construct_id`` may be linked to, best first (at most
    ``limit``), leaving out those it is linked to already. Refuses a third-order construct (it is
    a concept: ask ``for_cell`` with a study)."""
    with db.snapshot():
        query = _visible(db, construct_id, hidden)
        have_third = any(i not in hidden.constructs for i in _ids_of_order(db, 3))
        if query.order == 3:
            raise ConstructError(f"{query.name!r} is third-order: it is one of the concepts that suggestions point "
                                 "to; ask about a second-order construct, or give a study for this concept's cell "
                                 f"(workbench suggest PROJECT --construct {query.name!r} --study ID)")
        notes = []
        if query.order == 2 and not have_third:
            target_order, kind = 2, None
            notes.append("the project has no third-order construct yet: the other second-order constructs are "
                         "compared (no link joins two second-order constructs; a third-order construct that both "
                         "interpret would)")
        else:
            target_order, kind = query.order + 1, KIND_BELOW[query.order + 1]
        linked = _linked_to(db, construct_id, kind, hidden) if kind else {}
        items = _items(db, {query.order, target_order}, reviewer_id, hidden)
        candidates = [items[i] for i in _ids_of_order(db, target_order) if i != construct_id and i in items]
        background = [item for i, item in items.items() if i not in {c.key for c in candidates}]
        ranked = Index(candidates, background).rank(items[construct_id], limit, exclude=linked)
        by_id = {c.id: c for c in _constructs(db, [s.key for s in ranked])}
        return Suggestions(query, kind, tuple(sorted(linked.values(), key=str.casefold)),
                           [_candidate(s, by_id[s.key], (query.name, kind, s.name) if kind else None) for s in ranked],
                           None, len(candidates) - len(linked), notes)


def for_cell(db: Store, concept_id: int, study_id: int, reviewer_id: int | None = None,
             limit: int = 5, hidden: Hidden = NOTHING) -> Suggestions:
    """For the grid cell (concept, study): the constructs one order below the concept that the
    study voices (live codings in it, of ``reviewer_id`` or of anyone, or the construct names the
    study as its authors') and that are not linked to the concept yet, best first, at most
    ``limit``. Refuses a first-order concept. The caller checks the study exists."""
    with db.snapshot():
        concept = _visible(db, concept_id, hidden)
        if concept.order == 1:
            raise ConstructError(f"{concept.name!r} is first-order: a grid cell's concept is a third-order construct, "
                                 "or a second-order one while there is no third-order construct")
        below, kind = concept.order - 1, KIND_BELOW[concept.order]
        linked = _linked_from(db, concept_id, kind, hidden)
        voiced = [i for i in _voiced(db, study_id, below, reviewer_id) if i not in hidden.constructs]
        items = _items(db, {concept.order, below}, reviewer_id, hidden)
        candidates = [items[i] for i in voiced if i not in linked]
        background = [item for i, item in items.items() if i not in set(voiced)]
        ranked = Index(candidates, background).rank(items[concept_id], limit)
        by_id = {c.id: c for c in _constructs(db, [s.key for s in ranked])}
        notes = [] if voiced else [f"the study voices no {ORDERS[below]} construct"
                                   + (" of this reviewer" if reviewer_id is not None else "") + " yet"]
        return Suggestions(concept, kind, tuple(sorted((n for i, n in linked.items() if i in set(voiced)),
                                                       key=str.casefold)),
                           [_candidate(s, by_id[s.key], (s.name, kind, concept.name)) for s in ranked],
                           study_id, len(candidates), notes)


def _visible(db: Store, construct_id: int, hidden: Hidden) -> Construct:
    found = get(db, construct_id)
    if construct_id in hidden.constructs:
        raise BlindError(f"{found.name!r} is a construct another reviewer added, which you do not see while coding "
                         "blind: show every reviewer's work first (v on the screen, --all-reviewers on the command "
                         "line)")
    return found


def _candidate(s: Suggestion, c: Construct, link: tuple[str, str, str] | None) -> Candidate:
    return Candidate(c.id, c.name, c.order, s.score, s.shared, s.reason(), link)


def _constructs(db: Store, ids: list) -> list[Construct]:
    return [get(db, i) for i in ids]


def _ids_of_order(db: Store, order: int) -> list[int]:
    return [r[0] for r in db.execute(
        "SELECT id FROM construct WHERE construct_order = ? ORDER BY name COLLATE NOCASE", [order])]


def _linked_to(db: Store, from_id: int, kind: str, hidden: Hidden) -> dict[int, str]:
    """The constructs ``from_id`` links to by ``kind`` through links not hidden: id -> name."""
    return {i: n for lid, i, n in db.execute(
        "SELECT l.id, c.id, c.name FROM construct_link l JOIN construct c ON c.id = l.to_id "
        "WHERE l.from_id = ? AND l.kind = ?", [from_id, kind]) if lid not in hidden.links}


def _linked_from(db: Store, to_id: int, kind: str, hidden: Hidden) -> dict[int, str]:
    """The constructs linked to ``to_id`` by ``kind`` through links not hidden: id -> name."""
    return {i: n for lid, i, n in db.execute(
        "SELECT l.id, c.id, c.name FROM construct_link l JOIN construct c ON c.id = l.from_id "
        "WHERE l.to_id = ? AND l.kind = ?", [to_id, kind]) if lid not in hidden.links}


def _voiced(db: Store, study_id: int, order: int, reviewer_id: int | None) -> list[int]:
    """Constructs of ``order`` with a live coding in the study (of the reviewer, if given), or
    whose authors the study is, by name."""
    who = "" if reviewer_id is None else " AND g.reviewer_id = :r"
    return [r[0] for r in db.execute(
        "SELECT c.id FROM construct c WHERE c.construct_order = :o AND (c.study_id = :s OR EXISTS ("
        "SELECT 1 FROM coding g WHERE g.construct_id = c.id AND g.study_id = :s AND g.removed_at IS NULL"
        f"{who})) ORDER BY c.name COLLATE NOCASE", {"o": order, "s": study_id, "r": reviewer_id})]


def _items(db: Store, orders: set[int], reviewer_id: int | None, hidden: Hidden = NOTHING) -> dict[int, Item]:
    """Every construct of ``orders`` as the ranking reads it: name, definition with "when to use",
    and up to QUOTES live quotes of its own and QUOTES of the constructs linked to it from one order
    below (each an index probe that stops at QUOTES rows, so 100,000 codings are not read)."""
    ords = sorted(orders)
    who = "" if reviewer_id is None else " AND g.reviewer_id = :r"
    found = {}
    # CROSS JOIN keeps the links first and probes each linked construct's codings; left free, the
    # planner scans all of a reviewer's codings for every construct (11 s at 100,000 codings).
    for cid, name, definition, when, own, below in db.execute(
            "SELECT c.id, c.name, c.definition, c.when_to_use, "
            "(SELECT group_concat(exact, char(10)) FROM (SELECT g.exact FROM coding g "
            f"WHERE g.construct_id = c.id AND g.removed_at IS NULL{who} LIMIT :q)), "
            "(SELECT group_concat(exact, char(10)) FROM (SELECT g.exact FROM construct_link l CROSS "
            f"JOIN coding g ON g.construct_id = l.from_id AND g.removed_at IS NULL{who} WHERE l.to_id = c.id "
            "AND l.id NOT IN (SELECT value FROM json_each(:links)) LIMIT :q)) "
            f"FROM construct c WHERE c.construct_order IN ({','.join(str(int(o)) for o in ords)})",
            {"r": reviewer_id, "q": QUOTES, "links": json.dumps(sorted(hidden.links))}):
        if cid in hidden.constructs:
            continue
        found[cid] = Item(cid, name, "\n".join(t for t in (definition, when) if t),
                          tuple(q for q in (own, below) if q))
    return found
