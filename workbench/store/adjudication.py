"""Adjudication: where two reviewers disagree on a study both marked done, and their decisions
written into the consensus reviewer (named "consensus", made on first use).

- ``survey(db, a, b, study_id)``: per study that both reviewers marked done, the clusters of
  overlapping codings of one (aligned) construct whose spans differ, and the translation-grid
  cells whose judgements differ (one reviewer judged, the other not, counts too); each named by a
  short id, open or closed by a decision.
- ``decide(db, a, b, id, take, decided_by, ...)``: take A's, B's, both, neither, or an edited
  span (or, for a judgement, a kind); the consensus's codings of that construct in the cluster
  become exactly what was decided. One event ``adjudication.decide``, undone like every change.
- What the two reviewers agree on goes into the consensus without asking, with the first decision
  in that study (the same event) or, for a study with nothing to decide, with ``adopt_agreed``
  (event ``adjudication.agreed``). Both only add what the consensus lacks, so they can run again.

A decision is kept against the state it decided (``core.adjudication`` signatures): when a
reviewer changes a coding of the cluster afterwards, the cluster is open again.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple, TypedDict

from ..core.adjudication import (TAKE_WORDS, TAKES, Cluster, Span, clusters, judgement_signature, seen_from,
                                 short_id, span_signature)
from ..core.errors import WorkbenchError
from ..core.text import quote
from ..core.translation import parse_kind
from . import events, undo
from .db import Store, insert_row, now, row
from .project import reviewers_named
from .restore import construct_name, live_duplicate, who
from .studies import get_text, label, ordered_ids

CONSENSUS = "consensus"


class AdjudicationError(WorkbenchError, ValueError):
    """An adjudication was refused; the message says why."""


def canonical(db: Store) -> dict[int, int]:
    """Construct id -> the id it is counted as (confirmed alignments); ids not in it count as
    themselves: the same mapping the agreement measures use."""
    from .agreement import _canonical

    return _canonical(db)


def consensus_id(db: Store, create: bool = False) -> int | None:
    """The id of the consensus reviewer; made (event ``reviewer.add``) when ``create`` and missing."""
    found = db.execute("SELECT id FROM reviewer WHERE name = ?", [CONSENSUS]).fetchone()
    if found or not create:
        return found[0] if found else None
    with db.atomic():
        rid = db.execute("INSERT INTO reviewer (guid, name, created_at) VALUES (?,?,?)",
                         [str(uuid.uuid4()), CONSENSUS, now()]).lastrowid
        events.record(db, "reviewer.add", rid, {"name": CONSENSUS})
    return rid


def reviewer_pair(db: Store, names: list[str]) -> tuple[int, int]:
    """The ids of the two reviewers named (``project.reviewers_named``); refuses the consensus
    reviewer too."""
    found = reviewers_named(db, names, "adjudication compares two reviewers", most=2)
    if any(name.casefold() == CONSENSUS for _, name in found):
        raise AdjudicationError("the consensus is what adjudication writes: compare two reviewers who coded")
    return found[0][0], found[1][0]


def busiest_pair(db: Store) -> list[str]:
    """The two reviewers (not the consensus) with the most studies marked done, then by name:
    the pair the agreement screen starts with (fewer names when there are fewer reviewers)."""
    found = db.execute(
        "SELECT r.name FROM reviewer r LEFT JOIN study_status s ON s.reviewer_id = r.id AND s.status = 'done' "
        "WHERE r.name != ? GROUP BY r.id ORDER BY count(s.study_id) DESC, r.name COLLATE NOCASE LIMIT 2",
        [CONSENSUS])
    return [r[0] for r in found]


# --- reading ----------------------------------------------------------------------------------------

class Quoted(NamedTuple):
    """One reviewer's coding in a disagreement."""

    coding_id: int
    start: int
    end: int
    exact: str
    construct: str = ""  # the reviewer's own construct (an aligned one may be named otherwise)

    def as_json(self) -> dict:
        return {"coding": self.coding_id, "start": self.start, "end": self.end, "quote": self.exact,
                "construct": self.construct}


@dataclass(slots=True)
class Disagreement:
    """One disagreement: a span cluster (``kind`` "span": ``a``/``b`` each reviewer's codings of
    ``construct`` in ``[start, end)``) or a translation cell (``kind`` "judgement": ``kind_a``/
    ``kind_b`` each reviewer's judgement of the concept ``construct``, None where not judged).
    ``decision`` is the stored decision ("a", "b", ...) when it is closed, None while open."""

    id: str
    kind: str
    study_id: int
    study: str
    construct_id: int
    construct: str
    start: int = 0
    end: int = 0
    a: tuple[Quoted, ...] = ()
    b: tuple[Quoted, ...] = ()
    kind_a: str | None = None
    kind_b: str | None = None
    note_a: str = ""
    note_b: str = ""
    decision: str | None = None
    signature: str = field(default="", repr=False)
    cluster: Cluster | None = field(default=None, repr=False)

    @property
    def open(self) -> bool:
        return self.decision is None

    def as_json(self) -> dict:
        base = {"id": self.id, "kind": self.kind, "study": self.study_id, "label": self.study,
                "construct": self.construct, "decision": self.decision}
        if self.kind == "span":
            return {**base, "start": self.start, "end": self.end, "a": [q.as_json() for q in self.a],
                    "b": [q.as_json() for q in self.b]}
        return {**base, "a": None if self.kind_a is None else {"kind": self.kind_a, "note": self.note_a},
                "b": None if self.kind_b is None else {"kind": self.kind_b, "note": self.note_b}}


@dataclass(frozen=True)
class Agreed:
    """What both reviewers agree on in one study: span clusters (``construct``, offsets) and
    judged cells (``concept``, kind, note), to go into the consensus."""

    spans: list[tuple[int, int, int]] = field(default_factory=list)
    judgements: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Survey:
    """Two reviewers' disagreements: the studies both marked done (ids, in study order, with
    their labels), every disagreement in them (open and decided), and what they agree on."""

    reviewers: tuple[str, str]
    reviewer_ids: tuple[int, int]
    studies: list[tuple[int, str]]
    items: list[Disagreement]
    agreed: dict[int, Agreed]

    @property
    def open(self) -> list[Disagreement]:
        return [d for d in self.items if d.open]

    def open_counts(self) -> dict[int, int]:
        """Open disagreements per study (every study both marked done, 0 where none)."""
        counts = {sid: 0 for sid, _ in self.studies}
        for d in self.open:
            counts[d.study_id] += 1
        return counts

    def find(self, disagreement_id: str) -> Disagreement | None:
        key = disagreement_id.strip().lower()
        return next((d for d in self.items if d.id == key), None)


def done_by_both(db: Store, a: int, b: int) -> list[int]:
    """The studies (not removed) both reviewers marked done, in study order."""
    both = {r[0] for r in db.execute(
        "SELECT x.study_id FROM study_status x JOIN study_status y ON y.study_id = x.study_id "
        "WHERE x.reviewer_id = ? AND y.reviewer_id = ? AND x.status = 'done' AND y.status = 'done'", [a, b])}
    return [sid for sid in ordered_ids(db) if sid in both]


def survey(db: Store, a: int, b: int, study_id: int | None = None) -> Survey:
    """Every disagreement between reviewers ``a`` and ``b`` in the studies both marked done (only
    ``study_id`` if given), in study order then text order (judgements after the spans, by
    concept name), and what they agree on; read in one snapshot."""
    with db.snapshot():
        names = (who(db, a), who(db, b))
        studies = done_by_both(db, a, b)
        if study_id is not None:
            studies = [s for s in studies if s == study_id]
        counted = canonical(db)
        named = dict(db.execute("SELECT id, name FROM construct"))
        decided = {sig: seen_from(decision, first != a) for sig, decision, first in db.execute(
            "SELECT signature, decision, reviewer_a FROM adjudication WHERE (reviewer_a = ? AND reviewer_b = ?) "
            "OR (reviewer_a = ? AND reviewer_b = ?)", [a, b, b, a])}
        labels = {r[0]: label(json.loads(r[1]), r[2], r[3]) for r in db.execute(
            "SELECT id, authors, year, title FROM study WHERE id IN (SELECT value FROM json_each(?))",
            [json.dumps(studies)])}
        items: list[Disagreement] = []
        agreed: dict[int, Agreed] = {}
        for sid in studies:
            found, agree = _study(db, (a, b), sid, labels[sid], counted, named, decided)
            items.extend(found)
            agreed[sid] = agree
    return Survey(names, (a, b), [(sid, labels[sid]) for sid in studies], items, agreed)


def _study(db: Store, pair: tuple[int, int], sid: int, study: str, counted: dict[int, int],
           named: dict[int, str], decided: dict[str, str]) -> tuple[list[Disagreement], Agreed]:
    a, b = pair
    sides: dict[int, list[tuple[int, Span]]] = {a: [], b: []}
    own: dict[int, int] = {}  # coding -> the reviewer's own construct
    for cid, rid, construct, start, end in db.execute(
            "SELECT id, reviewer_id, construct_id, span_start, span_end FROM coding "
            "WHERE study_id = ? AND reviewer_id IN (?, ?) AND removed_at IS NULL", [sid, a, b]):
        sides[rid].append((counted.get(construct, construct), Span(cid, start, end)))
        own[cid] = construct
    text = get_text(db, sid)[0]  # a live coding's quote is its span of the text (cheaper than reading each)

    def quoted(spans: tuple[Span, ...]) -> tuple[Quoted, ...]:
        return tuple(Quoted(s.coding_id, s.start, s.end, text[s.start:s.end], named.get(own[s.coding_id], "?"))
                     for s in spans)

    found: list[Disagreement] = []
    agree = Agreed()
    for c in clusters(sides[a], sides[b]):
        if c.agreed:
            agree.spans.extend((c.construct, s, e) for s, e in c.offsets_a)
            continue
        signature = span_signature(pair, sid, c)
        found.append(Disagreement(
            short_id(signature), "span", sid, study, c.construct, named.get(c.construct, "?"), c.start, c.end,
            quoted(c.a), quoted(c.b),
            decision=decided.get(signature), signature=signature, cluster=c))
    judged: dict[int, dict[int, tuple[str, str]]] = {}
    for concept, rid, kind, note in db.execute(
            "SELECT concept_id, reviewer_id, kind, note FROM translation WHERE study_id = ? AND reviewer_id IN (?, ?)",
            [sid, a, b]):
        judged.setdefault(counted.get(concept, concept), {})[rid] = (kind, note)
    for concept in sorted(judged, key=lambda c: (named.get(c, "").casefold(), c)):
        (kind_a, note_a), (kind_b, note_b) = judged[concept].get(a, (None, "")), judged[concept].get(b, (None, ""))
        if kind_a == kind_b:
            notes = [f"{who(db, r)}: {n}" for r, n in ((a, note_a), (b, note_b)) if n]
            agree.judgements.append((concept, kind_a, note_a if note_a == note_b else "; ".join(notes)))
            continue
        signature = judgement_signature(pair, sid, concept, kind_a, kind_b)
        found.append(Disagreement(short_id(signature), "judgement", sid, study, concept, named.get(concept, "?"),
                                  kind_a=kind_a, kind_b=kind_b, note_a=note_a, note_b=note_b,
                                  decision=decided.get(signature), signature=signature))
    return found, agree


# --- writing ----------------------------------------------------------------------------------------

class Adjudged(TypedDict):
    """Payload of ``adjudication.decide`` and ``adjudication.agreed``: the decision row (None for
    adopting agreed work alone), the consensus codings added (ids) and removed (id with the
    ``removed_at`` written), and each consensus judgement row before and after."""

    study: int | None
    decision: dict[str, Any] | None
    added: list[int]
    removed: list[dict[str, Any]]
    judgements: list[dict[str, Any]]


@dataclass(frozen=True)
class Decided:
    """What a decision (or adopting agreed work) wrote into the consensus: ``added``/``removed``
    codings as ``(construct name, start, end, quote)``, judgements as ``(concept, kind or None)``."""

    event_id: int
    disagreement: Disagreement | None
    added: list[tuple[str, int, int, str]]
    removed: list[tuple[str, int, int, str]]
    judgements: list[tuple[str, str | None]]

    def as_json(self) -> dict:
        return {"decided": self.disagreement.id if self.disagreement else None,
                "take": self.disagreement and self.disagreement.decision,
                "added": [{"construct": c, "start": s, "end": e, "quote": q} for c, s, e, q in self.added],
                "removed": [{"construct": c, "start": s, "end": e, "quote": q} for c, s, e, q in self.removed],
                "judgements": [{"concept": c, "kind": k} for c, k in self.judgements]}


class _Writer:
    """Collects the consensus changes of one event (inside its transaction)."""

    def __init__(self, db: Store, consensus: int):
        self.db, self.consensus = db, consensus
        self.payload = Adjudged(study=None, decision=None, added=[], removed=[], judgements=[])
        self.added: list[tuple[str, int, int, str]] = []
        self.removed: list[tuple[str, int, int, str]] = []
        self.judged: list[tuple[str, str | None]] = []
        self.stamp = now()

    def live(self, sid: int, construct: int) -> list[tuple[int, int, int, str]]:
        return [tuple(r) for r in self.db.execute(
            "SELECT id, span_start, span_end, exact FROM coding WHERE study_id = ? AND reviewer_id = ? "
            "AND construct_id = ? AND removed_at IS NULL ORDER BY span_start, span_end", [sid, self.consensus, construct])]

    def add(self, sid: int, construct: int, start: int, end: int) -> None:
        text, digest = get_text(self.db, sid)
        q = quote(text, start, end)
        cid = self.db.execute(
            "INSERT INTO coding (guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, prefix,"
            " suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [str(uuid.uuid4()), sid, construct, self.consensus, start, end, q.exact, q.prefix, q.suffix, digest,
             self.stamp]).lastrowid
        self.payload["added"].append(cid)
        self.added.append((construct_name(self.db, construct), start, end, q.exact))

    def remove(self, coding_id: int) -> None:
        c = row(self.db, "coding", coding_id)
        self.db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?",
                        [self.stamp, self.consensus, coding_id])
        self.payload["removed"].append({"id": coding_id, "removed_at": self.stamp})
        self.removed.append((construct_name(self.db, c["construct_id"]), c["span_start"], c["span_end"], c["exact"]))

    def ensure(self, sid: int, construct: int, start: int, end: int) -> None:
        """Add the span to the consensus unless it has it already."""
        if not any((s, e) == (start, end) for _, s, e, _ in self.live(sid, construct)):
            self.add(sid, construct, start, end)

    def judge(self, sid: int, concept: int, kind: str | None, note: str, overwrite: bool = True) -> None:
        before = _judgement(self.db, concept, sid, self.consensus)
        if before is not None and not overwrite:
            return
        if (before is None and kind is None) or (before is not None and (before["kind"], before["note"]) == (kind, note)):
            return
        if before is not None:
            self.db.execute("DELETE FROM translation WHERE id = ?", [before["id"]])
        if kind is not None:
            self.db.execute(
                "INSERT INTO translation (concept_id, study_id, reviewer_id, kind, note, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?)", [concept, sid, self.consensus, kind, note, self.stamp, self.stamp])
        self.payload["judgements"].append({"before": before, "after": _judgement(self.db, concept, sid, self.consensus)})
        self.judged.append((construct_name(self.db, concept), kind))

    def adopt(self, sid: int, agreed: Agreed) -> None:
        for construct, start, end in agreed.spans:
            self.ensure(sid, construct, start, end)
        for concept, kind, note in agreed.judgements:
            self.judge(sid, concept, kind, note, overwrite=False)

    @property
    def wrote(self) -> bool:
        p = self.payload
        return bool(p["added"] or p["removed"] or p["judgements"] or p["decision"])


def _judgement(db: Store, concept: int, sid: int, reviewer: int) -> dict[str, Any] | None:
    return next(db.query("SELECT * FROM translation WHERE concept_id = ? AND study_id = ? AND reviewer_id = ?",
                         [concept, sid, reviewer]), None)


def decide(db: Store, a: int, b: int, disagreement_id: str, take: str, decided_by: int,
           start: int | None = None, end: int | None = None, construct_id: int | None = None,
           kind: str | None = None, study_id: int | None = None) -> Decided:
    """Decide the open disagreement ``disagreement_id`` between reviewers ``a`` and ``b``:
    ``take`` "a", "b", "both", "neither" or "edit" (a span: ``start``/``end``, optionally another
    ``construct_id``; a judgement: ``kind``). The consensus's codings of the construct in the
    cluster become exactly the spans taken; its judgement of the cell becomes the one taken (none
    for "neither"; "both" is refused for a judgement). What the two agree on in the study goes
    into the consensus too, if missing. ``study_id``, when known, spares reading the other
    studies. One event ``adjudication.decide``."""
    if take not in TAKES:
        raise AdjudicationError(f"a decision takes {', '.join(TAKES)}, not {take!r}")
    with db.atomic():
        found = survey(db, a, b, study_id)
        item = found.find(disagreement_id)
        if item is None:
            raise AdjudicationError(
                f"no disagreement {disagreement_id!r} between {found.reviewers[0]} and {found.reviewers[1]} "
                "(a reviewer may have changed the codings since): `workbench adjudicate PROJECT --reviewers "
                f"{found.reviewers[0]},{found.reviewers[1]}` lists the open ones")
        if not item.open:
            raise AdjudicationError(f"{_words(item, found.reviewers)} is decided already "
                                    f"({TAKE_WORDS[item.decision].format(a=found.reviewers[0], b=found.reviewers[1])}); "
                                    "undo that decision to decide again")
        consensus = consensus_id(db, create=True)
        w = _Writer(db, consensus)
        if item.kind == "span":
            _decide_span(db, w, item, take, start, end, construct_id)
        else:
            _decide_judgement(w, item, take, kind)
        w.adopt(item.study_id, found.agreed[item.study_id])
        decision = {"study_id": item.study_id, "kind": item.kind, "signature": item.signature, "reviewer_a": a,
                    "reviewer_b": b, "decision": take, "decided_by": decided_by, "decided_at": w.stamp}
        decision_id = db.execute(
            f"INSERT INTO adjudication ({', '.join(decision)}) VALUES ({', '.join('?' * len(decision))})",
            list(decision.values())).lastrowid
        w.payload["study"] = item.study_id
        w.payload["decision"] = row(db, "adjudication", decision_id)
        event = events.record(db, "adjudication.decide", decided_by, w.payload)
    done = replace(item, decision=take)
    return Decided(event, done, w.added, w.removed, w.judged)


def _decide_span(db: Store, w: _Writer, item: Disagreement, take: str, start: int | None, end: int | None,
                 construct_id: int | None) -> None:
    c = item.cluster
    if take == "edit":
        if start is None or end is None:
            raise AdjudicationError("an edited span needs its new start and end (--start N --end M)")
        text, _ = get_text(db, item.study_id)
        if not 0 <= start < end <= len(text):
            raise AdjudicationError(f"the span [{start}, {end}) is not inside the text of {item.study} "
                                    f"({len(text)} characters): give 0 <= start < end <= {len(text)}")
        targets = [(construct_id or c.construct, start, end)]
    else:
        if start is not None or end is not None or construct_id is not None:
            raise AdjudicationError(f"--start, --end and --construct edit the span: take 'edit', not {take!r}")
        offsets = {"a": c.offsets_a, "b": c.offsets_b, "both": tuple(sorted(set(c.offsets_a + c.offsets_b))),
                   "neither": ()}[take]
        targets = [(c.construct, s, e) for s, e in offsets]
    wanted = set(targets)
    for cid, s, e, _ in w.live(item.study_id, c.construct):
        if s < c.end and c.start < e and (c.construct, s, e) not in wanted:
            w.remove(cid)
    for construct, s, e in targets:
        w.ensure(item.study_id, construct, s, e)


def _decide_judgement(w: _Writer, item: Disagreement, take: str, kind: str | None) -> None:
    if take == "both":
        raise AdjudicationError(f"a translation cell holds one judgement: take one reviewer's, neither, or edit "
                                f"it (--kind) for {item.study} and {item.construct!r}")
    if take == "edit":
        if kind is None:
            raise AdjudicationError("an edited judgement needs its kind (--kind reciprocal, refutational, "
                                    "line-of-argument or not-addressed)")
        chosen, note = parse_kind(kind), ""
    elif kind is not None:
        raise AdjudicationError(f"--kind edits the judgement: take 'edit', not {take!r}")
    else:
        chosen, note = {"a": (item.kind_a, item.note_a), "b": (item.kind_b, item.note_b), "neither": (None, "")}[take]
    w.judge(item.study_id, item.construct_id, chosen, note)


def adopt_agreed(db: Store, a: int, b: int, decided_by: int, study_id: int | None = None) -> Decided:
    """Write into the consensus every span and judgement reviewers ``a`` and ``b`` agree on (in
    the studies both marked done; only ``study_id`` if given) that it lacks; refuses when it has
    them all. One event ``adjudication.agreed``."""
    with db.atomic():
        found = survey(db, a, b, study_id)
        w = _Writer(db, consensus_id(db, create=True))
        for sid, _ in found.studies:
            w.adopt(sid, found.agreed[sid])
        if not w.wrote:
            where = "" if study_id is None else f" in {found.studies[0][1]}" if found.studies else " in that study"
            raise AdjudicationError(f"the consensus has everything {found.reviewers[0]} and {found.reviewers[1]} "
                                    f"agree on{where} already (in the studies both marked done)")
        w.payload["study"] = study_id
        event = events.record(db, "adjudication.agreed", decided_by, w.payload)
    return Decided(event, None, w.added, w.removed, w.judged)


def _words(item: Disagreement, reviewers: tuple[str, str]) -> str:
    if item.kind == "span":
        return f"the disagreement on {item.construct!r} at [{item.start}, {item.end}) in {item.study}"
    return f"the disagreement on the judgement of {item.study} for {item.construct!r}"


# --- undo: every consensus change and the decision row go back; redo puts them again ----------------

def _coding_state(db: Store, coding_id: int) -> dict:
    found = row(db, "coding", coding_id)
    if found is None:
        raise undo.Conflict("a consensus coding it wrote no longer exists")
    return found


def _undo(db: Store, p: Adjudged, reviewer_id: int, stamp: str) -> undo.Change:
    constructs: set[int] = set()
    for cid in p["added"]:
        c = _coding_state(db, cid)
        if c["removed_at"] is not None:
            raise undo.Conflict(f"the consensus coding “{c['exact'][:40]}” was removed since")
        db.execute("UPDATE coding SET removed_at = ?, removed_by = ? WHERE id = ?", [stamp, reviewer_id, cid])
        constructs.add(c["construct_id"])
    for gone in p["removed"]:
        c = _coding_state(db, gone["id"])
        if c["removed_at"] != gone["removed_at"]:
            raise undo.Conflict(f"the consensus coding “{c['exact'][:40]}” was restored or changed since")
        if live_duplicate(db, c):
            raise undo.Conflict(f"the consensus has “{c['exact'][:40]}” coded again since")
        db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?", [gone["id"]])
        constructs.add(c["construct_id"])
    _swap_judgements(db, p, "after", "before")
    decision = p.get("decision")
    if decision is not None:
        if row(db, "adjudication", decision["id"]) != decision:
            raise undo.Conflict("the decision was changed since")
        db.execute("DELETE FROM adjudication WHERE id = ?", [decision["id"]])
    return undo.Change({"removed_at": stamp}, _studies(db, p), constructs)


def _redo(db: Store, p: Adjudged, u: dict, reviewer_id: int) -> undo.Change:
    decision = p.get("decision")
    if decision is not None:
        if db.execute("SELECT 1 FROM adjudication WHERE id = ? OR signature = ?",
                      [decision["id"], decision["signature"]]).fetchone():
            raise undo.Conflict("that disagreement was decided again since")
        insert_row(db, "adjudication", decision)
    constructs: set[int] = set()
    for cid in p["added"]:
        c = _coding_state(db, cid)
        if c["removed_at"] != u["removed_at"]:
            raise undo.Conflict(f"the consensus coding “{c['exact'][:40]}” was restored or changed since")
        if live_duplicate(db, c):
            raise undo.Conflict(f"the consensus has “{c['exact'][:40]}” coded again since")
        db.execute("UPDATE coding SET removed_at = NULL, removed_by = NULL WHERE id = ?", [cid])
        constructs.add(c["construct_id"])
    for gone in p["removed"]:
        c = _coding_state(db, gone["id"])
        if c["removed_at"] is not None:
            raise undo.Conflict(f"the consensus coding “{c['exact'][:40]}” was removed since")
        db.execute("UPDATE coding SET removed_at = ?, removed_by = reviewer_id WHERE id = ?",
                   [gone["removed_at"], gone["id"]])
        constructs.add(c["construct_id"])
    _swap_judgements(db, p, "before", "after")
    return undo.Change({}, _studies(db, p), constructs)


def _swap_judgements(db: Store, p: Adjudged, now_key: str, then_key: str) -> None:
    order = p["judgements"] if then_key == "after" else list(reversed(p["judgements"]))
    for change in order:
        key = change["before"] or change["after"]
        current = _judgement(db, key["concept_id"], key["study_id"], key["reviewer_id"])
        if current != change[now_key]:
            raise undo.Conflict(f"the consensus judgement for {construct_name(db, key['concept_id'])!r} was "
                                "changed since")
        if current is not None:
            db.execute("DELETE FROM translation WHERE id = ?", [current["id"]])
        then = change[then_key]
        if then is not None:
            if row(db, "translation", then["id"]) is not None:
                raise undo.Conflict(f"judgement id {then['id']} is used by another judgement now")
            insert_row(db, "translation", then)


def _studies(db: Store, p: Adjudged) -> set[int]:
    ids = p["added"] + [g["id"] for g in p["removed"]]
    found = {r[0] for r in db.execute("SELECT DISTINCT study_id FROM coding WHERE id IN (SELECT value FROM "
                                      "json_each(?))", [json.dumps(ids)])}
    found.update((j["before"] or j["after"])["study_id"] for j in p["judgements"])
    return found


def _study_words(db: Store, study_id: int | None) -> str:
    if study_id is None:
        return "every study both marked done"
    found = db.execute("SELECT authors, year, title FROM study WHERE id = ?", [study_id]).fetchone()
    return label(json.loads(found[0]), found[1], found[2]) if found else f"study {study_id}"


def _describe_decide(db: Store, p: Adjudged) -> str:
    d = p["decision"] or {}
    words = TAKE_WORDS.get(d.get("decision"), "decided").format(a=who(db, d.get("reviewer_a")),
                                                                  b=who(db, d.get("reviewer_b")))
    kind, _, _, construct, *_ = json.loads(d["signature"]) if d.get("signature") else ("", 0, 0, None)
    what = f"on {construct_name(db, construct)!r}" if kind == "span" else \
        f"on the judgement for {construct_name(db, construct)!r}"
    return f"adjudicating the disagreement {what} in {_study_words(db, p['study'])} ({words})"


def _describe_agreed(db: Store, p: Adjudged) -> str:
    return f"taking what both reviewers agree on in {_study_words(db, p['study'])} into the consensus"


undo.register("adjudication.decide", _undo, _redo, _describe_decide)
undo.register("adjudication.agreed", _undo, _redo, _describe_agreed)

