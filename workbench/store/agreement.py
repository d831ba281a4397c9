"""Agreement between reviewers (issue 12): the store reads what each reviewer coded in the studies
they marked done, the pure core (``core.agreement``) measures it, and every run is kept
(``agreement_run``) so a team can show agreement across coding rounds.

Which data each unit mode compares:

- every mode reads live codings of live studies, of the constructs in scope, each construct counted
  as the one a confirmed alignment maps it onto (``_canonical``); a reviewer *rated* a study only if
  they marked it done; a study nobody compared marked done is left out;
- ``sentence``: all the reviewers at once; the units are the stored sentences of every study at
  least one of them marked done; a reviewer who did not mark it done is missing for its sentences
  (not "uncoded"); a sentence's category is the construct covering most of its characters, or
  "uncoded" (q = the constructs in scope + 1);
- ``character`` and ``segment``: a pair of reviewers at a time, over the studies both marked done
  (with three or more reviewers every pair, and the overall, per-construct and per-study figures are
  the mean over the pairs: ``pooling`` says so);
- ``unitizing``: all the reviewers at once, on one continuum: the studies all of them marked done,
  concatenated in study order (Krippendorff's method for several texts).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..core import agreement as core
from ..core.agreement import AgreementError
from . import alignment
from .constructs import by_name
from .db import Store, marks, now
from .project import reviewers_named
from .studies import get_study, label, ordered_ids

UNITS = ("character", "sentence", "segment", "unitizing")
PAIRWISE = ("character", "segment")
UNCODED = 0  # the category of a sentence no coding covers (construct ids start at 1)


@dataclass(frozen=True)
class Settings:
    """What an agreement run compares: reviewers' names, the unit mode, the segment overlap
    threshold (a share of the union, 0 to 1), one construct's name or all, one study's id or all."""

    reviewers: list[str]
    unit: str
    threshold: float = 0.9
    construct: str | None = None
    study: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The settings as stored and printed; the threshold only for the segment mode, the one it
        changes."""
        out: dict[str, Any] = {"reviewers": list(self.reviewers), "unit": self.unit}
        if self.unit == "segment":
            out["threshold"] = self.threshold
        out["construct"] = self.construct
        out["study"] = self.study
        return out


@dataclass(frozen=True)
class Run:
    """A stored agreement run."""

    id: int
    ran_at: str
    ran_by: str | None
    settings: dict[str, Any]
    results: dict[str, Any] = field(repr=False)


def _canonical(db: Store) -> dict[int, int]:
    """Construct id -> the id it is counted as (confirmed alignments, ``store.alignment``); ids not
    in it count as themselves."""
    return alignment.canonical(db)


# --- reading the inputs ---------------------------------------------------------------------------

@dataclass
class _Inputs:
    unit: str
    reviewers: list[tuple[int, str]]  # (id, name) in the order given
    studies: list[int]  # live studies in scope, in study order
    done: dict[int, set[int]]  # study -> ids of the compared reviewers who marked it done
    length: dict[int, int]
    labels: dict[int, str]
    names: dict[int, str]  # canonical construct id -> name
    q: int  # constructs in scope
    scope_name: str | None  # --construct: the name of the construct it is counted as
    asked: str | None  # --construct: the construct's own name, as stored
    # (study, reviewer) -> [(canonical construct, start, end)]
    codings: dict[tuple[int, int], list[tuple[int, int, int]]]
    unions: dict[tuple[int, int], dict[int, list[tuple[int, int]]]] = field(default_factory=dict)


def _read(db: Store, settings: Settings) -> _Inputs:
    if settings.unit not in UNITS:
        raise AgreementError(f"--unit must be one of {', '.join(UNITS)}, not {settings.unit!r}")
    if settings.unit == "segment" and not 0 < settings.threshold <= 1:
        raise AgreementError(f"--threshold is the share of the union two segments must overlap, above 0 and at "
                             f"most 1 (0.9 for 90 %), not {settings.threshold:g}")
    reviewers = reviewers_named(db, settings.reviewers, "agreement compares two or more reviewers")
    ids = [rid for rid, _ in reviewers]
    canonical = _canonical(db)
    counted = {cid: canonical.get(cid, cid) for (cid,) in db.execute("SELECT id FROM construct")}
    all_names = dict(db.execute("SELECT id, name FROM construct"))
    scope: set[int] = set(counted.values())
    scope_name = asked = None
    if settings.construct is not None:
        found = by_name(db, settings.construct)
        if found is None:
            raise AgreementError(f"no construct called {settings.construct.strip()!r}; see `workbench constructs`")
        scope = {counted[found.id]}
        scope_name, asked = all_names[counted[found.id]], found.name
    if settings.study is not None:
        get_study(db, settings.study)  # refuses a study that does not exist or was removed
        studies = [settings.study]
    else:
        studies = ordered_ids(db)
    wanted = set(studies)
    done: dict[int, set[int]] = defaultdict(set)
    for sid, rid in db.execute(f"SELECT study_id, reviewer_id FROM study_status WHERE status = 'done' "
                               f"AND reviewer_id IN ({marks(ids)})", ids):
        if sid in wanted:
            done[sid].add(rid)
    studies = [s for s in studies if done.get(s)]
    length = dict(db.execute("SELECT study_id, length FROM document"))
    rated = set(studies)
    codings: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    # "+reviewer_id": no index on the reviewer; a scan of the covering index coding_live_identity
    # reads 100,000 codings in a third of the time of a probe per coding through the reviewer's index
    for sid, rid, cid, start, end in db.execute(
            f"SELECT study_id, reviewer_id, construct_id, span_start, span_end FROM coding "
            f"WHERE removed_at IS NULL AND +reviewer_id IN ({marks(ids)})", ids):
        c = counted.get(cid)
        if sid in rated and rid in done[sid] and c in scope:
            codings[sid, rid].append((c, start, end))
    labels = {}
    for sid, title, authors, year in db.execute("SELECT id, title, authors, year FROM study WHERE removed_at IS NULL"):
        if sid in rated:
            labels[sid] = label(json.loads(authors), year, title)
    return _Inputs(settings.unit, reviewers, studies, done, length, labels, {c: all_names[c] for c in scope},
                   len(scope), scope_name, asked, codings)


# --- computing --------------------------------------------------------------------------------------

def compute(db: Store, settings: Settings) -> dict[str, Any]:
    """The agreement ``settings`` ask for, as ``workbench irr --json`` prints it: ``unit``,
    ``reviewers``, ``settings``, ``overall``, ``by_construct`` (``construct``: its name),
    ``by_study`` (``study``: its id, ``label``), ``method`` (how units were formed, in words),
    ``q`` and ``studies`` (how many were compared: two or more of the reviewers marked them done; all
    of them, for unitizing); the character mode adds ``cells`` (per construct per study); with three
    or more reviewers the pairwise modes add ``pairs`` and ``pooling``.

    An undefined measure is None with a reason; a run with nothing to compare (no study two of the
    reviewers marked done) is such a result, not a refusal. Refuses (AgreementError, nothing read
    further) an unknown reviewer or construct, fewer than two reviewers, a bad unit or threshold."""
    with db.snapshot():  # one state of the database, however long the sums take
        return _compute(db, settings, _read(db, settings))


def _compute(db: Store, settings: Settings, data: _Inputs) -> dict[str, Any]:
    names = [n for _, n in data.reviewers]
    # the settings with names as stored ("Alice" typed is alice), as runs keep them
    recorded = {**settings.as_json(), "reviewers": names, "construct": data.asked}
    result: dict[str, Any] = {"unit": settings.unit, "reviewers": names, "settings": recorded}
    if settings.unit in PAIRWISE:
        compare = _characters if settings.unit == "character" else _segments
        pairs = [(an, bn, compare(data, a, b, settings.threshold))
                 for (a, an), (b, bn) in core.pairs(data.reviewers)]
        if len(pairs) == 1:
            result.update(_pair_json(data, pairs[0][2]))
        else:
            result.update(_mean_of_pairs(data, [p for _, _, p in pairs]))
            result["pairs"] = [{"reviewers": [an, bn], **_pair_json(data, p)} for an, bn, p in pairs]
            result["pooling"] = (f"overall, by construct and by study: the mean over the {len(pairs)} pairs of "
                                 f"reviewers of each pair's value, over the pairs where it is defined (counts "
                                 f"summed over the pairs)")
    elif settings.unit == "sentence":
        result.update(_sentences(db, data))
    else:
        result.update(_unitizing(data))
    result["method"] = _method(settings, data)
    result["q"] = data.q + (1 if settings.unit == "sentence" else 0)
    return _ordered(result)


_KEY_ORDER = ("unit", "reviewers", "settings", "method", "q", "studies", "pooling", "overall", "by_construct",
              "by_study", "cells", "pairs")


def _ordered(result: dict[str, Any]) -> dict[str, Any]:
    return {k: result[k] for k in _KEY_ORDER if k in result}


def _explained(measures: core.Measures, reason: str | None = None) -> dict[str, Any]:
    """``measures.as_json()``; with ``reason``, that reason for every undefined value instead of
    the core's (which cannot say which reviewers and studies were missing)."""
    out = measures.as_json()
    if reason and out.get("reasons"):
        out["reasons"] = {k: reason for k in out["reasons"]}
    return out


def _by_name(data: _Inputs, constructs) -> list[int]:
    return sorted(constructs, key=lambda c: data.names[c].casefold())


@dataclass
class _Pair:
    """One pair of reviewers compared in a pairwise mode, before it is written out."""

    studies: list[int]  # compared: both marked them done
    overall: core.Measures
    empty: str | None  # why nothing could be compared, when nothing could
    by_construct: dict[int, core.Measures]
    by_study: dict[int, core.Measures]  # in study order
    cells: list[dict[str, Any]] = field(default_factory=list)


def _pair_json(data: _Inputs, pair: _Pair) -> dict[str, Any]:
    out = {"studies": len(pair.studies), "overall": _explained(pair.overall, pair.empty),
           "by_construct": [{"construct": data.names[c], **pair.by_construct[c].as_json()}
                            for c in _by_name(data, pair.by_construct)],
           "by_study": [{"study": s, "label": data.labels[s], **m.as_json()} for s, m in pair.by_study.items()]}
    if data.unit == "character":
        out["cells"] = pair.cells
    return out


def _mean_of_pairs(data: _Inputs, pairs: list[_Pair]) -> dict[str, Any]:
    """Overall, by construct and by study as the mean over the pairs (``core.mean_over_pairs``); a
    construct or study only some pairs compared is the mean over those."""
    constructs: dict[int, list[core.Measures]] = defaultdict(list)
    studies: dict[int, list[core.Measures]] = defaultdict(list)
    for pair in pairs:
        for c, m in pair.by_construct.items():
            constructs[c].append(m)
        for s, m in pair.by_study.items():
            studies[s].append(m)
    empty = pairs[0].empty if all(p.empty for p in pairs) else None
    return {"studies": len({s for p in pairs for s in p.studies}),
            "overall": _explained(core.mean_over_pairs([p.overall for p in pairs]), empty),
            "by_construct": [{"construct": data.names[c], **core.mean_over_pairs(constructs[c]).as_json()}
                             for c in _by_name(data, constructs)],
            "by_study": [{"study": s, "label": data.labels[s], **core.mean_over_pairs(studies[s]).as_json()}
                         for s in data.studies if s in studies]}


def _both_done(data: _Inputs, a: int, b: int) -> list[int]:
    return [s for s in data.studies if a in data.done[s] and b in data.done[s]]


def _spans(data: _Inputs, study: int, reviewer: int) -> dict[int, list[tuple[int, int]]]:
    """The reviewer's spans in the study, by (counted) construct."""
    out: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for c, start, end in data.codings.get((study, reviewer), ()):
        out[c].append((start, end))
    return out


def _unions(data: _Inputs, study: int, reviewer: int) -> dict[int, list[tuple[int, int]]]:
    """``_spans`` with each construct's spans joined (``core.union``), kept for the reviewer's other
    pairs."""
    key = (study, reviewer)
    found = data.unions.get(key)
    if found is None:
        found = data.unions[key] = {c: core.union(spans) for c, spans in _spans(data, study, reviewer).items()}
    return found


def _pair_names(data: _Inputs, a: int, b: int) -> str:
    names = dict(data.reviewers)
    return f"{names[a]} and {names[b]}"


def _characters(data: _Inputs, a: int, b: int, threshold: float) -> _Pair:
    """NVivo's comparison for one pair: a cell per (construct, study) that either reviewer coded in a
    study both marked done; by construct, by study and overall pool the cells' character tables.

    A construct neither coded in a study is no cell: NVivo shows it as 100 % agreement, which would
    swell every pooled percentage by the length of the texts times the codebook's size."""
    studies = _both_done(data, a, b)
    cells: list[dict[str, Any]] = []
    # the four counts summed in lists: 3 additions per cell, 170,000 cells at 100,000 codings
    per_construct: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    per_study: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    total = [0, 0, 0, 0]
    for s in studies:
        mine, theirs = _unions(data, s, a), _unions(data, s, b)
        for c in _by_name(data, set(mine) | set(theirs)):
            table = core.character_table(data.length[s], mine.get(c, ()), theirs.get(c, ()))
            cells.append({"construct": data.names[c], "study": s, "label": data.labels[s],
                          **table.measures().as_json()})
            counts = (table.both, table.only_a, table.only_b, table.neither)
            for sums in (per_construct[c], per_study[s], total):
                for i, n in enumerate(counts):
                    sums[i] += n
    overall = core.CharacterTable(*total)
    pair = _pair_names(data, a, b)
    empty = None
    if not studies:
        empty = f"no study that {pair} both marked done"
    elif not cells:
        empty = (f"neither {pair} coded {'that construct' if data.scope_name else 'any construct'} in the "
                 f"studies both marked done")
    return _Pair(studies, overall.measures(), empty,
                 {c: core.CharacterTable(*n).measures() for c, n in per_construct.items()},
                 {s: core.CharacterTable(*n).measures() for s, n in per_study.items()}, cells)


def _segments(data: _Inputs, a: int, b: int, threshold: float) -> _Pair:
    """MAXQDA's segment comparison for one pair over the studies both marked done: segments are
    matched within each study; by construct and overall sum the matches' counts."""
    studies = _both_done(data, a, b)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])  # construct -> agreements, only a, only b
    by_study: dict[int, core.Measures] = {}
    for s in studies:
        mine, theirs = data.codings.get((s, a), []), data.codings.get((s, b), [])
        if not (mine or theirs):
            continue
        match = core.match_segments(mine, theirs, threshold)
        for one, _, _ in match.pairs:
            counts[one[0]][0] += 1
        for seg in match.only_a:
            counts[seg[0]][1] += 1
        for seg in match.only_b:
            counts[seg[0]][2] += 1
        by_study[s] = core.segment_measures(len(match.pairs), len(match.only_a), len(match.only_b), data.q)
    total = [sum(n[i] for n in counts.values()) for i in range(3)]
    pair = _pair_names(data, a, b)
    empty = None
    if not studies:
        empty = f"no study that {pair} both marked done"
    elif not by_study:
        empty = f"neither {pair} coded a segment in the studies both marked done"
    return _Pair(studies, core.segment_measures(*total, data.q), empty,
                 {c: core.segment_measures(*n, data.q) for c, n in counts.items()}, by_study)


def _sentences(db: Store, data: _Inputs) -> dict[str, Any]:
    """Sentence units: one row of categories per sentence, a column per reviewer (None where the
    reviewer did not mark the study done). Rows are counted as patterns, so a large review passes the
    core a few thousand weighted rows. By construct: each sentence is that construct or not (q = 2)."""
    units: dict[int, list[tuple[int, int]]] = defaultdict(list)
    wanted = set(data.studies)
    if data.studies:
        query = "SELECT study_id, span_start, span_end FROM sentence ORDER BY study_id, span_start"
        args: list[Any] = []
        if len(data.studies) == 1:
            query = "SELECT study_id, span_start, span_end FROM sentence WHERE study_id = ? ORDER BY span_start"
            args = [data.studies[0]]
        for sid, start, end in db.execute(query, args):
            if sid in wanted:
                units[sid].append((start, end))
    q = data.q + 1
    overall: Counter = Counter()
    by_study = []
    for s in data.studies:
        columns = []
        for rid, _ in data.reviewers:
            if rid in data.done[s]:
                found = core.sentence_categories(units[s], data.codings.get((s, rid), ()))
                columns.append([UNCODED if c is None else c for c in found])
            else:
                columns.append([None] * len(units[s]))
        patterns = Counter(zip(*columns)) if units[s] else Counter()
        overall.update(patterns)
        rated = [n for rid, n in data.reviewers if rid in data.done[s]]
        reason = None
        if len(rated) < 2:
            reason = f"only {rated[0]} marked this study done; agreement needs two reviewers"
        elif not units[s]:
            reason = "this study has no sentence units (an empty text)"
        by_study.append({"study": s, "label": data.labels[s], "rated_by": rated,
                         **_explained(_nominal(patterns, q), reason)})
    empty = None
    if not any(len(data.done[s]) >= 2 for s in data.studies):
        empty = f"no study that at least two of {', '.join(n for _, n in data.reviewers)} marked done"
    by_construct = [{"construct": data.names[c], **_nominal(binary, 2).as_json()}
                    for c, binary in _binary(overall, data).items()]
    return {"studies": sum(len(data.done[s]) >= 2 for s in data.studies),
            "overall": _explained(_nominal(overall, q), empty),
            "by_construct": by_construct, "by_study": by_study}


def _binary(patterns: Counter, data: _Inputs) -> dict[int, Counter]:
    """For each construct any reviewer gave a sentence (by name): the patterns recoded as that
    construct (True) or not (False), missing kept. A pattern without the construct is all False
    where rated, so it is counted once per missing-value mask, not once per construct."""
    masks: Counter = Counter()
    having: dict[int, list[tuple]] = defaultdict(list)
    for pattern, n in patterns.items():
        masks[tuple(None if v is None else False for v in pattern)] += n
        for c in set(pattern) - {None, UNCODED}:
            having[c].append(pattern)
    out: dict[int, Counter] = {}
    for c in _by_name(data, having):
        binary = Counter(masks)
        for pattern in having[c]:
            n = patterns[pattern]
            binary[tuple(None if v is None else False for v in pattern)] -= n
            binary[tuple(None if v is None else v == c for v in pattern)] += n
        out[c] = +binary  # drops the masks no sentence is left in
    return out


def _nominal(patterns: Counter, q: int) -> core.Measures:
    rows = list(patterns)
    return core.nominal(rows, q=q, weights=[patterns[r] for r in rows])


def _unitizing(data: _Inputs) -> dict[str, Any]:
    """Krippendorff's unitizing alpha over the studies every reviewer marked done, concatenated in
    study order into one continuum; by study, each study's text alone."""
    everyone = {rid for rid, _ in data.reviewers}
    studies = [s for s in data.studies if data.done[s] >= everyone]
    observers: list[dict[int, list[tuple[int, int]]]] = [defaultdict(list) for _ in data.reviewers]
    by_study = []
    offset = 0
    for s in studies:
        alone = []
        for i, (rid, _) in enumerate(data.reviewers):
            spans = _spans(data, s, rid)
            alone.append(spans)
            for c, found in spans.items():
                observers[i][c] += [(start + offset, end + offset) for start, end in found]
        offset += data.length[s]
        if any(alone):
            by_study.append({"study": s, "label": data.labels[s],
                             **core.unitizing(data.length[s], alone).overall.as_json()})
    found = core.unitizing(offset, [dict(o) for o in observers])
    names = ", ".join(n for _, n in data.reviewers)
    empty = None
    if not studies:
        empty = f"no study that all of {names} marked done"
    elif not any(observers):
        what = "that construct" if data.scope_name else "anything"
        empty = f"none of {names} coded {what} in the studies all marked done"
    return {
        "studies": len(studies),
        "overall": _explained(found.overall, empty),
        "by_construct": [{"construct": data.names[c], **found.by_category[c].as_json()}
                         for c in sorted(found.by_category, key=lambda c: data.names[c].casefold())],
        "by_study": by_study,
    }


def _method(settings: Settings, data: _Inputs) -> str:
    """How the units were formed, in a sentence for a methods section."""
    names = ", ".join(n for _, n in data.reviewers)
    scope = (f"the construct {data.scope_name!r}" if data.scope_name
             else f"the {data.q} constructs of the codebook (each counted as the construct it is aligned with)")
    where = "one study" if settings.study is not None else "the studies"
    if settings.unit == "sentence":
        return (f"Units: the sentences of {where} that at least one of {names} marked done (a reviewer who did "
                f"not mark a study done is missing for its sentences); a sentence's category for a reviewer is "
                f"the construct covering most of its characters, or 'uncoded' where no coding covers it; "
                f"categories: {scope}, and 'uncoded' (q = {data.q + 1}).")
    if settings.unit == "character":
        return (f"Units: the characters of {where} each pair of {names} both marked done, per construct per "
                f"study where either reviewer coded the construct (as NVivo's coding comparison); percent "
                f"agreement = characters both coded or both left uncoded / all characters; Cohen's kappa on "
                f"the 2x2 table of characters, pooled over studies and constructs; constructs: {scope}.")
    if settings.unit == "segment":
        return (f"Units: the coded segments of {where} each pair of {names} both marked done (as MAXQDA); two "
                f"segments agree when they carry the same construct and their overlap is at least "
                f"{settings.threshold:.0%} of their union, matched one to one, best overlap first; percent = "
                f"agreements / (agreements + segments of one reviewer only); Brennan-Prediger kappa with "
                f"chance 1/q (q = {data.q}); constructs: {scope}.")
    return (f"Units: Krippendorff's unitizing alpha on one continuum, the texts of {where} all of {names} marked "
            f"done, concatenated in study order; each construct is a category of its own (overlapping codings "
            f"of one reviewer in one category are joined); constructs: {scope}.")


# --- stored runs --------------------------------------------------------------------------------------

def record_run(db: Store, settings: Settings, results: dict[str, Any], ran_by: int | None) -> int:
    """Keep a run (now, who ran it, its settings and results) and return its number. The settings
    kept are those ``compute`` reports (names as stored), else ``settings`` as given.

    No event is written: the row is its own record, and a run changes nothing a screen shows."""
    with db.atomic():
        return db.execute(
            "INSERT INTO agreement_run (ran_at, ran_by, settings, results) VALUES (?, ?, ?, ?)",
            [now(), ran_by, json.dumps(results.get("settings", settings.as_json()), ensure_ascii=False),
             json.dumps(results, ensure_ascii=False)]).lastrowid


_RUN = ("SELECT a.id, a.ran_at, r.name, a.settings, a.results FROM agreement_run a "
        "LEFT JOIN reviewer r ON r.id = a.ran_by")


def _run(row) -> Run:
    return Run(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4]))


def runs(db: Store) -> list[Run]:
    """Every stored run, oldest first."""
    return [_run(r) for r in db.execute(f"{_RUN} ORDER BY a.id")]


def get_run(db: Store, number: int | None = None) -> Run:
    """Run ``number``, or the latest; AgreementError when there is none."""
    if number is None:
        row = db.execute(f"{_RUN} ORDER BY a.id DESC LIMIT 1").fetchone()
        if row is None:
            raise AgreementError("no agreement run yet: run `workbench irr PROJECT --reviewers A,B --unit sentence` "
                                 "first")
        return _run(row)
    row = db.execute(f"{_RUN} WHERE a.id = ?", [number]).fetchone()
    if row is None:
        known = [r[0] for r in db.execute("SELECT id FROM agreement_run ORDER BY id")]
        listed = f"runs {known[0]} to {known[-1]}" if len(known) > 1 else (f"run {known[0]}" if known else "none yet")
        raise AgreementError(f"no agreement run {number} (stored: {listed}; see `workbench irr PROJECT --history`)")
    return _run(row)


# The measures a run can report, in the order tables show them, with their names in a table head.
MEASURES = {
    "percent_agreement": "Percent agreement",
    "cohen_kappa": "Cohen's kappa",
    "fleiss_kappa": "Fleiss' kappa",
    "brennan_prediger": "Brennan-Prediger kappa",
    "gwet_ac1": "Gwet's AC1",
    "krippendorff_alpha": "Krippendorff's alpha",
    "unitizing_alpha": "Unitizing alpha",
}
# The counts and figures a table shows after the measures, where a run has them.
FIGURES = ("units", "characters", "agreements", "both", "only_a", "only_b", "neither", "d_o", "d_e")


def columns(results: dict[str, Any]) -> list[str]:
    """The keys a table of ``results`` shows: the measures reported (in ``MEASURES`` order), then
    the counts and figures of ``FIGURES`` any entry has. Cohen's kappa on sentences compares two
    reviewers: with more it is left out of the table (the JSON keeps it, None with its reason)."""
    entries = [results["overall"], *results.get("by_construct", ()), *results.get("by_study", ())]
    shown = [k for k in MEASURES if any(k in e for e in entries)]
    if results["unit"] == "sentence" and len(results["reviewers"]) != 2:
        shown.remove("cohen_kappa")
    return shown + [k for k in FIGURES if any(k in e for e in entries)]
