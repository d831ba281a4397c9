"""``store.agreement.compute`` on random reviews against the oracles (issue 12).

One project of two studies (12 and 9 one-line sentences), three constructs and three reviewers is
built once; each example codes whole sentences through ``codings.add``, marks studies done through
``set_status``, computes, then rolls the transaction back. Because every coding is one whole sentence,
the sentence each reviewer gave each construct is known without the store's own rules, and the
oracles get the matrices a reviewer would write down by hand: the ``krippendorff`` package, statsmodels'
Fleiss kappa and scikit-learn's Cohen kappa (sentences; characters), MAXQDA's count (segments), and
the unitizing brute force of tests/agreement_oracles.py (the studies laid end to end).
"""
from __future__ import annotations

import pytest
from agreement_oracles import assert_same, brute_unitizing, close, cohen_oracle, fleiss_oracle, krippendorff_oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.records import StudyRecord
from workbench.store import codings, constructs
from workbench.store.agreement import Settings, compute
from workbench.store.project import Project
from workbench.store.studies import add_studies, sentences, set_status

REVIEWERS = ("alice", "ben", "cara")
CONSTRUCTS = ("Stigma", "Pay", "Family")
SIZES = (12, 9)


def lines(n: int, word: str) -> str:
    """``n`` one-line sentences of 25 characters: line i (from 0) spans [26 i, 26 i + 25)."""
    return "\n".join(f"{word} {i:03d} is one sentence." for i in range(1, n + 1))


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    root = tmp_path_factory.mktemp("oracles") / "review"
    project = Project.create(root, title="Oracle review", reviewers=list(REVIEWERS))
    db = project.db
    add_studies(db, [StudyRecord(title=f"Study {word}", text=lines(n, word), source_file=f"{word}.txt",
                                 authors=[f"{word}, Ann"], year=2000 + k)
                     for k, (n, word) in enumerate(zip(SIZES, ("Unit", "Item")))])
    studies = [sid for (sid,) in db.execute("SELECT id FROM study ORDER BY year")]
    units = {sid: sentences(db, sid) for sid in studies}
    assert [len(units[s]) for s in studies] == list(SIZES)  # the segmenter cut one sentence a line
    ids = [constructs.create(db, name, 2, project.reviewer_id("alice")).id for name in CONSTRUCTS]
    texts = dict(db.execute("SELECT study_id, length FROM document"))
    yield {"project": project, "studies": studies, "units": units, "constructs": ids, "length": texts,
           "reviewers": [project.reviewer_id(r) for r in REVIEWERS]}
    project.close()


@st.composite
def codings_of(draw, reviewers):
    """Per reviewer: per study, done or not, and each sentence's construct (index) or None."""
    out = []
    for _ in range(reviewers):
        out.append([(draw(st.booleans()) or draw(st.booleans()),  # done three times in four
                     draw(st.lists(st.one_of(st.none(), st.integers(0, len(CONSTRUCTS) - 1)), min_size=n, max_size=n)))
                    for n in SIZES])
    return out


def apply(review, chosen, m) -> None:
    db = review["project"].db
    for r, per_study in enumerate(chosen):
        rid = review["reviewers"][r]
        for sid, (done, cats) in zip(review["studies"], per_study):
            for (start, end), c in zip(review["units"][sid], cats):
                if c is not None:
                    codings.add(db, sid, review["constructs"][c], rid, start, end)
            if done:
                set_status(db, sid, rid, "done")


def computed(review, chosen, m, units) -> dict:
    """Every unit mode's result for the first ``m`` reviewers, in one transaction rolled back."""
    db = review["project"].db
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        apply(review, chosen, m)
        return {u: compute(db, Settings(reviewers=list(REVIEWERS[:m]), unit=u, threshold=0.9)) for u in units}
    finally:
        db.conn.rollback()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_sentence_mode_equals_the_oracles(review, data):
    m = data.draw(st.sampled_from([2, 3]))
    chosen = data.draw(codings_of(m))
    result = computed(review, chosen, m, ["sentence"])["sentence"]["overall"]
    rows = []  # uncoded is category 0, a construct its index + 1, missing (not done) None
    for k, _ in enumerate(review["studies"]):
        if not any(chosen[r][k][0] for r in range(m)):
            continue  # a study none of them marked done is no unit
        for i in range(SIZES[k]):
            rows.append(tuple((0 if chosen[r][k][1][i] is None else chosen[r][k][1][i] + 1)
                              if chosen[r][k][0] else None for r in range(m)))
    reasons = result.get("reasons", {})
    assert_same(result["krippendorff_alpha"], krippendorff_oracle(rows) if rows else None, reasons,
                "krippendorff_alpha")
    assert_same(result["fleiss_kappa"], fleiss_oracle(rows), reasons, "fleiss_kappa")
    if m == 2:
        both = [row for row in rows if None not in row]
        assert_same(result["cohen_kappa"], cohen_oracle([a for a, _ in both], [b for _, b in both]), reasons,
                    "cohen_kappa")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(codings_of(2))
def test_character_and_segment_modes_equal_the_oracles_for_two_reviewers(review, chosen):
    found = computed(review, chosen, 2, ["character", "segment"])
    va, vb = [], []
    agreements = only_a = only_b = 0
    for k, sid in enumerate(review["studies"]):
        (done_a, a), (done_b, b) = chosen[0][k], chosen[1][k]
        if not (done_a and done_b):
            continue  # compared over the studies both marked done
        length = review["length"][sid]
        for c in range(len(CONSTRUCTS)):
            if c not in a and c not in b:
                continue  # a construct neither coded in a study is no cell
            for cats, vector in ((a, va), (b, vb)):
                covered = [0] * length
                for (start, end), got in zip(review["units"][sid], cats):
                    if got == c:
                        covered[start:end] = [1] * (end - start)
                vector += covered
        same = sum(x is not None and x == y for x, y in zip(a, b))
        agreements += same
        only_a += sum(x is not None for x in a) - same
        only_b += sum(y is not None for y in b) - same
    character = found["character"]["overall"]
    reasons = character.get("reasons", {})
    assert_same(character["cohen_kappa"], cohen_oracle(va, vb), reasons, "cohen_kappa")
    assert_same(character["percent_agreement"], sum(x == y for x, y in zip(va, vb)) / len(va) if va else None,
                reasons, "percent_agreement")
    segment = found["segment"]["overall"]
    assert (segment["agreements"], segment["only_a"], segment["only_b"]) == (agreements, only_a, only_b)
    total = agreements + only_a + only_b
    assert_same(segment["percent_agreement"], agreements / total if total else None, segment.get("reasons", {}),
                "percent_agreement")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_unitizing_mode_equals_the_brute_force_on_the_studies_laid_end_to_end(review, data):
    m = data.draw(st.sampled_from([2, 3]))
    chosen = data.draw(codings_of(m))
    result = computed(review, chosen, m, ["unitizing"])["unitizing"]
    observers = [{} for _ in range(m)]
    offset = 0
    for k, sid in enumerate(review["studies"]):
        if not all(chosen[r][k][0] for r in range(m)):
            continue  # the continuum: the studies all of them marked done, in study order
        for r in range(m):
            for (start, end), c in zip(review["units"][sid], chosen[r][k][1]):
                if c is not None:
                    observers[r].setdefault(CONSTRUCTS[c], []).append((start + offset, end + offset))
        offset += review["length"][sid]
    overall = result["overall"]
    if not offset or not any(observers):
        assert overall["unitizing_alpha"] is None and overall["reasons"]["unitizing_alpha"]
        return
    by_category, expected = brute_unitizing(offset, observers)
    assert_same(overall["unitizing_alpha"], expected, overall.get("reasons", {}), "unitizing_alpha")
    shown = {e["construct"]: e for e in result["by_construct"]}
    assert set(shown) == set(by_category)
    for name, (d_o, d_e) in by_category.items():
        assert shown[name]["d_o"] == pytest.approx(d_o, **close)
        assert shown[name]["d_e"] == pytest.approx(d_e, **close)
