"""The translation's reads and changes for the screens (issue 11): spans rolled up along links,
the study order, each study's concepts (juxtaposition) and the synthesis.

Plain Python on top of the ``Session`` (no Textual): each function reads or writes through the
store as the session's reviewer, blind unless every reviewer's work is shown (``v``), and a
change re-reads what the session shows of it.

``Translating(session)`` (below) is the translation grid as the session sees it: the grid and a
cell's evidence are the reviewer's own work while coding blind, every reviewer's otherwise; a
judgement is always the session reviewer's, an undoable event (``translation.set`` /
``translation.clear``); linking and unlinking go through the session.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..core.translation import Cell, Grid, Judgement
from ..store import constructs, order, synthesis, translation
from ..store.constructs import Construct
from ..store.order import fallback
from ..store.studies import label

if TYPE_CHECKING:
    from ..store.restructure import Link
    from ..store.suggestions import Suggestions
    from .session import Session


def whose(s: Session) -> int | None:
    """The reviewer whose work is read: this one in blind mode, everybody (None) after ``v``."""
    return None if s.show_all else s.reviewer_id


def construct(s: Session, construct_id: int) -> Construct:
    """The construct as the session holds it, or as the store has it (made since the session read)."""
    return s.constructs.get(construct_id) or constructs.get(s.db, construct_id)


def rolled_spans(s: Session, construct_id: int) -> list[translation.RolledSpan]:
    """Every span coded with the construct or with one under it (children, the constructs that
    interpret or support it, at any depth), in study order, each marked by how it is reached."""
    s.check_constructs(construct_id)
    return translation.spans_rolled_up(s.db, construct_id, whose(s))


def spans_in_study(s: Session, construct_id: int, study_id: int) -> list[translation.RolledSpan]:
    """The construct's rolled-up spans in one study, in text order."""
    s.check_constructs(construct_id)
    return translation.cell_evidence(s.db, construct_id, study_id, whose(s)).spans


# --- study order ------------------------------------------------------------------------------------

def study_order(s: Session) -> order.StudyOrder:
    """The study order in effect (stored, else project.yaml's)."""
    return order.show(s.db, *order.fallback(s.project))


def order_words(s: Session, shown: order.StudyOrder | None = None) -> str:
    """The order as the study list says it: "chronological", "index: Newman 2025", "by hand:
    <reason>"; the reason of a chronological or index order in brackets after it."""
    shown = shown or study_order(s)
    if shown.rule in ("index", "index-first") and shown.index_study_id is not None:
        study = s.study_row(shown.index_study_id)
        words = "index: " + (label(study["authors"], study["year"], study["title"]) if study else "?")
    elif shown.rule == "hand":
        return f"by hand: {shown.reason}" if shown.reason else "by hand"
    else:
        words = shown.words
    return f"{words} ({shown.reason})" if shown.reason else words


def _reordered(s: Session, made: order.StudyOrder) -> order.StudyOrder:
    s.reload_studies()
    return made


def order_chronologically(s: Session, reason: str = "") -> order.StudyOrder:
    """Store the chronological order (undoable)."""
    return _reordered(s, order.set_chronological(s.db, s.reviewer_id, reason))


def order_from_index(s: Session, study_id: int, reason: str = "") -> order.StudyOrder:
    """Store the order with the study as the index paper, first (undoable)."""
    return _reordered(s, order.set_index(s.db, study_id, s.reviewer_id, reason))


def move_study(s: Session, study_id: int, step: int) -> order.StudyOrder:
    """Move the study ``step`` places (-1 up, 1 down) in the order in effect, stored as an order
    by hand (keeping a hand order's reason; undoable); refuses a move past either end."""
    ids = [row["id"] for row in s.studies]
    place = ids.index(study_id) + 1 + step
    if not 1 <= place <= len(ids):
        row = s.study_row(study_id)
        name = label(row["authors"], row["year"], row["title"]) if row else "The study"
        raise order.OrderError(f"{name} is {'first' if step < 0 else 'last'} in the study order already")
    return _reordered(s, order.move(s.db, study_id, place, s.reviewer_id, None, *order.fallback(s.project)))


def give_order_reason(s: Session, reason: str) -> order.StudyOrder:
    """Store the order in effect again with this reason (undoable)."""
    shown = study_order(s)
    if shown.rule in ("index", "index-first") and shown.index_study_id is not None:
        return order_from_index(s, shown.index_study_id, reason)
    if shown.rule in ("hand", "import"):
        return _reordered(s, order.move(s.db, shown.study_ids[0], 1, s.reviewer_id, reason, *order.fallback(s.project)))
    return order_chronologically(s, reason)


# --- juxtaposition and synthesis --------------------------------------------------------------------

def study_concepts(s: Session) -> list[translation.StudyConcepts]:
    """Per study in study order, its second-order constructs with the first-order ones under them
    (in blind mode none another reviewer added)."""
    found = translation.study_concepts(s.db, whose(s), None, *order.fallback(s.project))
    hidden = s.hidden.constructs
    if not hidden:
        return found
    return [replace(x, second_order=[replace(o, first_order=[c for c in o.first_order if c.node.id not in hidden])
                                     for o in x.second_order if o.node.id not in hidden],
                    loose=[c for c in x.loose if c.node.id not in hidden]) for x in found]


def synthesis_groups(s: Session) -> list[synthesis.Group]:
    """The third-order hierarchy with contributing and refuting studies and the relations (in
    blind mode without the constructs another reviewer added)."""
    found = synthesis.synthesis(s.db, whose(s), *order.fallback(s.project))
    hidden = s.hidden.constructs
    if not hidden:
        return found
    groups = []
    for g in found:
        concepts = [replace(c, second_order=[e for e in c.second_order if e.node.id not in hidden],
                            relations=[r for r in c.relations if r.to_id not in hidden])
                    for c in g.concepts if c.node.id not in hidden]
        if concepts:
            groups.append(replace(g, concepts=concepts))
    return groups


def relate(s: Session, from_id: int, kind: str, to_id: int) -> synthesis.Relation:
    """Record that one third-order construct leads to, shapes or contrasts with another (undoable)."""
    s.check_constructs(from_id, to_id)
    return synthesis.relate(s.db, from_id, kind, to_id, s.reviewer_id)


def unrelate(s: Session, relation_id: int) -> synthesis.Relation:
    """Remove a relation of the synthesis (undoable)."""
    return synthesis.unrelate(s.db, relation_id, s.reviewer_id)


# --- the translation grid ----------------------------------------------------------------------

class Translating:
    """The grid, cell evidence, judgements and links of one session."""

    def __init__(self, session: Session):
        self.session = session

    @property
    def viewer(self) -> int | None:
        """Whose codings and judgements are shown: the reviewer's own (blind), or None (everybody's)."""
        return whose(self.session)

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
