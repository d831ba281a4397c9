"""Each reviewer's work is theirs.

A reviewer removes only their own codings (``codings.remove``). Renaming, merging, moving under
another parent, changing the order of, or deleting a construct that other reviewers have live
codings with changes their work, so it is refused (``OwnershipError``, naming whose work it would
touch) unless the project names the acting reviewer a lead (``leads:`` in ``project.yaml``) and
the lead says they mean it (``touching_others``: the CLI's ``--touching-others``, the TUI's
confirmation). Editing a definition, guidance or colour, and linking, stay open to every reviewer:
they change no one's codings, and each is an undoable event with the editor's name.
"""
from __future__ import annotations

import json
from typing import Iterable

from ..core.constructs import ConstructError
from .db import Store
from .words import whose


class OwnershipError(ConstructError):
    """A change to another reviewer's work was refused; the message names whose work."""


def others_on(db: Store, construct_ids: Iterable[int], reviewer_id: int | None) -> dict[str, int]:
    """Live codings with these constructs by reviewers other than ``reviewer_id`` (everyone's
    when it is None), as ``{reviewer name: count}``."""
    return dict(db.execute(
        "SELECT r.name, count(*) FROM coding c JOIN reviewer r ON r.id = c.reviewer_id "
        "WHERE c.construct_id IN (SELECT value FROM json_each(?)) AND c.removed_at IS NULL "
        "AND c.reviewer_id IS NOT ? GROUP BY r.name",
        [json.dumps(sorted(set(construct_ids))), reviewer_id]).fetchall())


def check(db: Store, construct_ids: Iterable[int], reviewer_id: int | None, subject: str, doing: str,
          lead: bool = False, touching_others: bool = False) -> dict[str, int]:
    """Refuse ``doing`` (``deleting``, ``merging`` ...) the constructs, called ``subject`` in the
    message, while other reviewers have live codings with them, unless ``lead`` and
    ``touching_others``; returns those others' counts (empty when there are none)."""
    others = others_on(db, construct_ids, reviewer_id)
    if others and not (lead and touching_others):
        used = f"{subject} {'is' if ' and ' not in subject else 'are'} used by {whose(others)}"
        if not lead:
            raise OwnershipError(f"{used}: {doing} it would change their work, which only a project lead "
                                 "(leads: in project.yaml) may do; ask a lead, or leave it to them")
        raise OwnershipError(f"{used}: {doing} it would change their work; as a project lead, say that you "
                             "mean to (--touching-others)")
    return others


def others_since(db: Store, construct_ids: Iterable[int], reviewer_id: int | None, known: Iterable[int]) -> str:
    """``alice (1 coding)``: other reviewers' live codings with the constructs that are not among
    ``known`` (coding ids), or "" (for a redo: nobody else's work appeared since the action)."""
    found: dict[str, int] = {}
    known = set(known)
    for coding_id, name in db.execute(
            "SELECT c.id, r.name FROM coding c JOIN reviewer r ON r.id = c.reviewer_id "
            "WHERE c.construct_id IN (SELECT value FROM json_each(?)) AND c.removed_at IS NULL "
            "AND c.reviewer_id IS NOT ?", [json.dumps(sorted(set(construct_ids))), reviewer_id]):
        if coding_id not in known:
            found[name] = found.get(name, 0) + 1
    return whose(found) if found else ""
