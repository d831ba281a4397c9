"""Blind coding: what a reviewer may see before unblinding, and when each reviewer unblinded.

In blind mode (the default, on the screen and for a CLI command given ``--reviewer``) a reviewer
sees the shared codebook and their own work, nothing another reviewer added:

- **Shared**: a construct or link loaded from a codebook file (``codebook load``, by whoever and
  whenever: loading a codebook is sharing it), made by no reviewer (``created_by`` NULL), and a
  link made before blind coding began. Blind coding begins with the project's first coding or the
  first construct a reviewer makes while coding, whichever came first (``began``).
- **Own**: a construct or link the reviewer made, and a construct the reviewer has live codings
  with (after unblinding they may code with another's construct; it is part of their work while
  their codings with it last).
- **Hidden**: every other construct (with its definition and its links) and every link another
  reviewer made after blind coding began. Codings and memos are always only the reviewer's own.

A change another reviewer makes to a shared construct (its definition, name or place) is a change
to the shared codebook and shows; who may make such changes is the ownership rules' business.

Unblinding is recorded: ``view.unblind`` and ``view.blind`` events name the reviewer, so an
agreement report can say when each reviewer first saw the others' work (``unblinded_at``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..core.constructs import ConstructError
from . import events
from .db import Store

UNBLIND = "view.unblind"
BLIND = "view.blind"


class BlindError(ConstructError):
    """A reviewer coding blind named another reviewer's construct; the message says what to do."""


@dataclass(frozen=True)
class Hidden:
    """What one reviewer may not see in blind mode: construct ids and link ids."""

    constructs: frozenset[int] = frozenset()
    links: frozenset[int] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.constructs or self.links)


NOTHING = Hidden()


def began(db: Store) -> str | None:
    """When blind coding began: the time of the project's first coding or first construct made
    while coding (the first ``coding.add`` or ``construct.create`` event); None before either."""
    found = db.execute("SELECT at FROM event WHERE action IN ('coding.add', 'construct.create') "
                       "ORDER BY id LIMIT 1").fetchone()
    return found[0] if found else None


def hidden(db: Store, reviewer_id: int) -> Hidden:
    """The constructs and links another reviewer added that ``reviewer_id`` may not see blind.

    Reads the event log (for what codebook loads added) only when some construct or link was
    made by another reviewer, so a project coded by one reviewer pays nothing."""
    candidates = dict(db.execute(
        "SELECT k.id, k.guid FROM construct k WHERE k.created_by IS NOT NULL AND k.created_by != ?1 "
        # live codings only: the partial index answers each probe (over all codings it took 2.7 s
        # at 100,000 codings)
        "AND NOT EXISTS (SELECT 1 FROM coding c WHERE c.reviewer_id = ?1 AND c.construct_id = k.id "
        "AND c.removed_at IS NULL)",
        [reviewer_id]).fetchall())
    start = began(db)
    links = dict(db.execute(
        "SELECT id, created_at FROM construct_link WHERE created_by IS NOT NULL AND created_by != ? "
        "AND created_at >= ?", [reviewer_id, start or "~"]).fetchall())  # "~" sorts after every timestamp
    if not candidates and not links:
        return NOTHING
    loaded_constructs, loaded_links = _loaded(db)
    hidden_constructs = {cid for cid, guid in candidates.items()
                         if (cid, guid) not in loaded_constructs and (cid, None) not in loaded_constructs}
    hidden_links = {lid for lid, at in links.items() if (lid, at) not in loaded_links}
    if hidden_constructs:  # a link to a hidden construct is hidden with it, whoever made it
        ids = json.dumps(sorted(hidden_constructs))
        hidden_links.update(r[0] for r in db.execute(
            "SELECT id FROM construct_link WHERE from_id IN (SELECT value FROM json_each(?1)) "
            "OR to_id IN (SELECT value FROM json_each(?1))", [ids]))
    return Hidden(frozenset(hidden_constructs), frozenset(hidden_links))


def _loaded(db: Store) -> tuple[set[tuple[int, str | None]], set[tuple[int, str]]]:
    """``(construct id, guid)`` and ``(link id, created_at)`` of every row a codebook load added
    (an id alone, guid None, from a load recorded before loads kept whole rows). The guid and the
    time tell a loaded row from a later one that took its id after the load was undone."""
    constructs: set[tuple[int, str | None]] = set()
    links: set[tuple[int, str]] = set()
    for (payload,) in db.execute("SELECT payload FROM event WHERE action = 'codebook.load'"):
        p = json.loads(payload)
        kept = p.get("rows")
        if kept is None:
            constructs.update((a["id"], None) for a in p.get("added", []) if a.get("id") is not None)
            continue
        constructs.update((r["id"], r["guid"]) for r in kept.get("added", []))
        links.update((r["id"], r["created_at"]) for r in kept.get("links", []))
    return constructs, links


def check_usable(db: Store, reviewer_id: int, construct_id: int, name: str) -> None:
    """BlindError if the construct is another reviewer's, hidden from ``reviewer_id`` in blind mode."""
    if construct_id in hidden(db, reviewer_id).constructs:
        raise BlindError(
            f"{name!r} is the name of a construct another reviewer added, which you do not see while coding "
            f"blind: give yours another name (the two can be merged when you reconcile), or show every "
            f"reviewer's work first (v on the screen, --all-reviewers on the command line)")


def record_view(db: Store, reviewer_id: int, show_all: bool) -> int:
    """Record that the reviewer now sees every reviewer's work (``view.unblind``) or only their
    own (``view.blind``); returns the event id."""
    with db.atomic():
        return events.record(db, UNBLIND if show_all else BLIND, reviewer_id, {})


def unblinded_at(db: Store, reviewer_id: int) -> str | None:
    """When the reviewer first showed every reviewer's work (ISO 8601, UTC), or None if never."""
    found = db.execute("SELECT at FROM event WHERE action = ? AND reviewer_id = ? ORDER BY id LIMIT 1",
                       [UNBLIND, reviewer_id]).fetchone()
    return found[0] if found else None


@dataclass(frozen=True)
class ViewChange:
    at: str
    reviewer: str
    unblinded: bool  # True: from then on saw every reviewer's work; False: back to blind


def view_changes(db: Store, reviewer_id: int | None = None) -> list[ViewChange]:
    """Every unblinding and reblinding (of one reviewer, or of all), oldest first."""
    sql = ("SELECT e.at, r.name, e.action FROM event e JOIN reviewer r ON r.id = e.reviewer_id "
           "WHERE e.action IN (?, ?)")
    args: list = [UNBLIND, BLIND]
    if reviewer_id is not None:
        sql += " AND e.reviewer_id = ?"
        args.append(reviewer_id)
    return [ViewChange(at, name, action == UNBLIND) for at, name, action in db.execute(sql + " ORDER BY e.id", args)]
