"""The agreement screen's reads and changes (issue 12): two reviewers' disagreements and the
decisions into the consensus, as the session's reviewer makes them.

Plain Python on top of the ``Session`` (no Textual). ``Adjudicating(session)`` holds the pair of
reviewers compared (at first the two with the most studies marked done); every decision is the
session reviewer's undoable event, so ``u`` on any screen takes it back.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..store import adjudication
from ..store.adjudication import Decided, Survey

if TYPE_CHECKING:
    from .session import Session


class Adjudicating:
    """Two reviewers' disagreements for the screens; ``names`` is the pair compared."""

    def __init__(self, session: Session):
        self.session = session
        self.names: list[str] = adjudication.busiest_pair(session.db)
        self.survey: Survey | None = None

    @property
    def ready(self) -> bool:
        """Whether there are two reviewers to compare."""
        return len(self.names) == 2

    def reviewers(self) -> list[str]:
        """Every reviewer who can be compared (not the consensus), by name."""
        return [n for n in self.session.project.reviewers() if n.casefold() != adjudication.CONSENSUS]

    def choose(self, a: str, b: str) -> None:
        """Compare ``a`` and ``b`` from now on (refused, leaving the pair, for the same one twice)."""
        adjudication.reviewer_pair(self.session.db, [a, b])
        self.names = [a, b]

    def read(self, study_id: int | None = None) -> Survey | None:
        """Read the pair's disagreements again: in every study both marked done (kept as
        ``survey``), or in one study (returned only)."""
        if not self.ready:
            self.survey = None
            return None
        a, b = adjudication.reviewer_pair(self.session.db, self.names)
        found = adjudication.survey(self.session.db, a, b, study_id)
        if study_id is None:
            self.survey = found
        return found

    def overview(self, unit: str) -> tuple[Survey | None, dict | None]:
        """The pair's disagreements in every study both marked done and their agreement in the
        unit mode (``store.agreement.compute``'s JSON; not stored as a run), read on a connection
        of its own: safe to call from a worker thread (at 100,000 codings it takes seconds)."""
        from ..store.agreement import Settings, compute
        from ..store.db import connect

        if not self.ready:
            return None, None
        db = connect(self.session.db.path)
        try:
            a, b = adjudication.reviewer_pair(db, self.names)
            return adjudication.survey(db, a, b), compute(db, Settings(list(self.names), unit))
        finally:
            db.close()

    def text(self, study_id: int) -> str:
        from ..store.studies import get_text

        return get_text(self.session.db, study_id)[0]

    def decide(self, disagreement_id: str, take: str, start: int | None = None, end: int | None = None,
               construct_id: int | None = None, kind: str | None = None, study_id: int | None = None) -> Decided:
        """Decide the disagreement (of ``study_id``, if given) as the session's reviewer (one
        undoable event)."""
        a, b = adjudication.reviewer_pair(self.session.db, self.names)
        decided = adjudication.decide(self.session.db, a, b, disagreement_id, take, self.session.reviewer_id,
                                      start, end, construct_id, kind, study_id)
        self.session.reload_all()
        return decided

    def adopt_agreed(self, study_id: int | None) -> Decided:
        """Write what the pair agree on (in one study, or all) into the consensus."""
        a, b = adjudication.reviewer_pair(self.session.db, self.names)
        decided = adjudication.adopt_agreed(self.session.db, a, b, self.session.reviewer_id, study_id)
        self.session.reload_all()
        return decided

    def construct_id(self, name: str) -> int:
        """The construct called ``name`` (any case); refuses an unknown name."""
        from ..store.constructs import by_name

        found = by_name(self.session.db, name)
        if found is None:
            raise adjudication.AdjudicationError(f"no construct called {name!r}")
        return found.id
