"""The translation grid as one reviewer's session sees it, in plain Python (no Textual here).

``Translating(session)`` calls the same store functions as ``workbench grid``, ``translate`` and
``suggest``: the grid and a cell's evidence are the session reviewer's own work while coding blind
(``session.show_all`` False), every reviewer's otherwise; a judgement is always the session
reviewer's, an undoable event (``translation.set`` / ``translation.clear``); linking and
unlinking go through the session (``construct.link`` / ``construct.unlink`` events).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.translation import Cell, Grid, Judgement
from ..store import translation
from ..store.order import fallback
from .session import Session

if TYPE_CHECKING:
    from ..store.restructure import Link
    from ..store.suggestions import Suggestions


class Translating:
    """The grid, cell evidence, judgements and links of one session."""

    def __init__(self, session: Session):
        self.session = session

    @property
    def viewer(self) -> int | None:
        """Whose codings and judgements are shown: the reviewer's own (blind), or None (everybody's)."""
        return None if self.session.show_all else self.session.reviewer_id

    def grid(self) -> Grid:
        """The whole grid (concepts x studies in study order), read again."""
        rule, index = fallback(self.session.project)
        return translation.load_grid(self.session.db, self.viewer, rule, index)

    def rejudged(self, grid: Grid, concept_id: int, study_id: int) -> Grid:
        """``grid`` with one cell's judgements read again (after a judgement or its undo)."""
        return translation.rejudged(self.session.db, grid, concept_id, study_id, self.viewer)

    def evidence(self, concept_id: int, study_id: int) -> translation.Evidence:
        """The spans in the study rolling up to the concept, in text order, with the judgements."""
        return translation.cell_evidence(self.session.db, concept_id, study_id, self.viewer)

    def own_judgement(self, concept_id: int, study_id: int) -> Judgement | None:
        """The session reviewer's judgement of the cell, whatever is shown."""
        found = translation.judgements(self.session.db, self.session.reviewer_id, concept_id, study_id)
        return next(iter(found.get((concept_id, study_id), [])), None)

    def judge(self, concept_id: int, study_id: int, kind: str, note: str = "") -> Judgement:
        """Record or change the reviewer's judgement of the cell (refusals are TranslationErrors)."""
        return translation.judge(self.session.db, concept_id, study_id, self.session.reviewer_id, kind, note)

    def clear(self, concept_id: int, study_id: int) -> Judgement:
        """Take back the reviewer's judgement of the cell; returns it as it was."""
        return translation.clear(self.session.db, concept_id, study_id, self.session.reviewer_id)

    def suggestions(self, concept_id: int, study_id: int, limit: int = 5) -> Suggestions:
        """The study's constructs one order below the concept, not linked to it yet, best first."""
        from ..store import suggestions

        s = self.session
        return suggestions.for_cell(s.db, concept_id, study_id, self.viewer, limit, s.hidden)

    def link(self, construct_id: int, concept_id: int) -> Link:
        """Link a construct one order below to the concept (``interprets`` or ``supports``)."""
        from ..store import suggestions

        s = self.session
        order = s.constructs[concept_id].order if concept_id in s.constructs else 3
        made = s.link(construct_id, suggestions.KIND_BELOW.get(order, "interprets"), concept_id)
        return made

    def cell_links(self, cell: Cell) -> list[Link]:
        """The links that make the cell's second-order constructs reach its concept directly."""
        mine = {n.id for n in cell.second_order}
        return [x for x in self.session.links_of(cell.concept_id) if x.to_id == cell.concept_id and x.from_id in mine]
