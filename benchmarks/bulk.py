"""What the benchmarks share: timing a call, and codings written in bulk as ``codings.add`` writes them.

Building 100,000 codings one ``codings.add`` at a time takes minutes; the benchmarks insert the same
rows (columns, quote with prefix and suffix, text hash) and the same ``coding.add`` events in one
transaction instead. That is set-up, never a product path, and is never what a benchmark times.
"""
from __future__ import annotations

import json
import random
import statistics
import time
import uuid

Plan = list[tuple[int, int, int, int, int]]  # (study, construct, reviewer, start, end)


def timed(func, repeat: int) -> tuple[float, list[float]]:
    """The median of ``repeat`` runs of ``func()`` after one warm-up (page cache, imports), and the runs."""
    func()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        func()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), runs


def random_plan(rng: random.Random, texts: dict[int, str], by_order: dict[int, list[int]],
                reviewers: list[int], count: int) -> Plan:
    """``count`` distinct codings of 20-120 characters at random places: 45 % first-, 40 % second-,
    15 % third-order constructs, reviewers at random."""
    studies = sorted(texts)
    plan, seen = [], set()
    while len(plan) < count:
        study = rng.choice(studies)
        order = rng.choices((1, 2, 3), (45, 40, 15))[0]
        key = (study, rng.choice(by_order[order]), rng.choice(reviewers))
        text = texts[study]
        s = rng.randrange(0, max(1, len(text) - 120))
        key += (s, s + rng.randrange(20, 120))
        if key not in seen:
            seen.add(key)
            plan.append(key)
    return plan


def insert_codings(db, texts: dict[int, str], plan: Plan) -> None:
    """Insert ``plan``'s codings with the columns and ``coding.add`` events ``codings.add`` writes,
    in one transaction."""
    from workbench.core.text import quote, sha256
    from workbench.store.db import now

    digests = {sid: sha256(texts[sid]) for sid in {p[0] for p in plan}}
    next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM coding").fetchone()[0]
    coding_rows, event_rows = [], []
    for k, (study, cid, rid, s, e) in enumerate(plan):
        q = quote(texts[study], s, e)
        stamp = now()
        coding_rows.append((next_id + k, str(uuid.uuid4()), study, cid, rid, s, e, q.exact, q.prefix, q.suffix,
                            digests[study], stamp))
        event_rows.append((stamp, rid, "coding.add", json.dumps(
            {"coding": next_id + k, "study": study, "construct": cid, "start": s, "end": e}, sort_keys=True)))
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO coding (id, guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, prefix,"
            " suffix, text_sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", coding_rows)
        db.conn.executemany("INSERT INTO event (at, reviewer_id, action, payload) VALUES (?,?,?,?)", event_rows)
