"""The agreement measures (core.agreement) on random data against independent oracles.

The oracles: the ``krippendorff`` package (nominal alpha), statsmodels (Fleiss' kappa), scikit-learn
(Cohen's kappa, also on the per-character vectors NVivo's comparison reduces to), and, where no
package exists, implementations written here straight from the formulas in
shared/reference/agreement.md (pairwise percent agreement, Brennan-Prediger, Gwet's AC1, MAXQDA's
best-overlap-first matching, and Krippendorff's unitizing alpha built character by character).
Then the properties a reviewer relies on: identical codings give 1 (or null with a reason), and
who is called A and who B changes no symmetric measure.
"""
from __future__ import annotations

from collections import Counter
from itertools import combinations, permutations

import pytest
from agreement_oracles import assert_same, brute_unitizing, close, cohen_oracle, coverage, fleiss_oracle, \
    krippendorff_oracle
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.agreement import CharacterTable, character_table, characters, match_segments, nominal, \
    segments, unitizing

SYMMETRIC = ("percent_agreement", "cohen_kappa", "fleiss_kappa", "brennan_prediger", "gwet_ac1",
             "krippendorff_alpha")


# --- strategies ---------------------------------------------------------------------------------

@st.composite
def rating_matrices(draw, reviewers=st.integers(2, 5), missing=True):
    """(rows, categories): 1-40 units x 2-5 reviewers, 2-6 categories, some values missing."""
    m = draw(reviewers)
    k = draw(st.integers(2, 6))
    n = draw(st.integers(1, 40))
    value = st.integers(1, k)
    if missing:
        value = st.one_of(value, st.none())
    rows = draw(st.lists(st.tuples(*[value] * m), min_size=n, max_size=n))
    return rows, k


def spans_in(length: int, max_size: int = 6):
    return st.lists(st.tuples(st.integers(0, length - 1), st.integers(1, length)).map(
        lambda t: (min(t[0], t[1] - 1), max(t[0] + 1, t[1]))).filter(lambda s: s[1] <= length),
        max_size=max_size)


def pairwise_percent(rows) -> float | None:
    """Mean over units with two or more values of the share of agreeing reviewer pairs."""
    shares = []
    for row in rows:
        present = [v for v in row if v is not None]
        if len(present) >= 2:
            pairs = list(combinations(present, 2))
            shares.append(sum(x == y for x, y in pairs) / len(pairs))
    return sum(shares) / len(shares) if shares else None


# --- predefined units (nominal) -----------------------------------------------------------------

@settings(max_examples=120, deadline=None)
@given(rating_matrices())
def test_nominal_alpha_equals_the_krippendorff_package(data):
    rows, k = data
    result = nominal(rows, q=k + 1)
    assert_same(result.values["krippendorff_alpha"], krippendorff_oracle(rows), result.reasons,
                "krippendorff_alpha")


@settings(max_examples=120, deadline=None)
@given(rating_matrices())
def test_fleiss_kappa_equals_statsmodels_over_the_units_every_reviewer_rated(data):
    rows, k = data
    result = nominal(rows, q=k + 1)
    assert_same(result.values["fleiss_kappa"], fleiss_oracle(rows), result.reasons, "fleiss_kappa")


@settings(max_examples=120, deadline=None)
@given(rating_matrices(reviewers=st.just(2)))
def test_cohen_kappa_equals_scikit_learn_over_the_units_both_rated(data):
    rows, k = data
    result = nominal(rows, q=k + 1)
    both = [row for row in rows if None not in row]
    oracle = cohen_oracle([a for a, _ in both], [b for _, b in both])
    assert_same(result.values["cohen_kappa"], oracle, result.reasons, "cohen_kappa")


@settings(max_examples=80, deadline=None)
@given(rating_matrices(reviewers=st.integers(3, 5)))
def test_cohen_kappa_is_null_with_a_reason_for_more_than_two_reviewers(data):
    rows, k = data
    result = nominal(rows, q=k + 1)
    assert result.values["cohen_kappa"] is None
    assert "two reviewers" in result.reasons["cohen_kappa"]


@settings(max_examples=120, deadline=None)
@given(rating_matrices())
def test_percent_agreement_is_the_mean_share_of_agreeing_pairs(data):
    rows, k = data
    result = nominal(rows, q=k + 1)
    assert_same(result.values["percent_agreement"], pairwise_percent(rows), result.reasons, "percent_agreement")


@settings(max_examples=120, deadline=None)
@given(rating_matrices(missing=False), st.integers(0, 3))
def test_brennan_prediger_and_gwet_ac1_follow_their_formulas_on_complete_data(data, extra):
    rows, k = data
    q = k + extra  # the codebook may offer categories nobody used
    m = len(rows[0])
    result = nominal(rows, q=q)
    p_a = pairwise_percent(rows)
    assert result.values["brennan_prediger"] == pytest.approx((p_a - 1 / q) / (1 - 1 / q), **close)
    shares = Counter()
    for row in rows:
        for v in row:
            shares[v] += 1 / (m * len(rows))
    p_e = sum(pi * (1 - pi) for pi in shares.values()) / (q - 1)
    assert result.values["gwet_ac1"] == pytest.approx((p_a - p_e) / (1 - p_e), **close)


@settings(max_examples=120, deadline=None)
@given(rating_matrices(), st.integers(1, 5))
def test_weights_stand_for_repeated_units(data, times):
    """The character and sentence modes pass patterns with counts: the same as the rows repeated."""
    rows, k = data
    weighted = nominal(rows, q=k + 1, weights=[times] * len(rows))
    repeated = nominal([row for row in rows for _ in range(times)], q=k + 1)
    for key in SYMMETRIC:
        assert weighted.values[key] == pytest.approx(repeated.values[key], **close) \
            if repeated.values[key] is not None else weighted.values[key] is None


@settings(max_examples=120, deadline=None)
@given(st.integers(2, 5), st.lists(st.one_of(st.integers(1, 6), st.none()), min_size=1, max_size=40),
       st.integers(6, 8))
def test_identical_ratings_give_1_or_null_with_a_reason(m, column, q):
    rows = [(v,) * m for v in column]
    result = nominal(rows, q=q)
    for key in SYMMETRIC:
        if key == "cohen_kappa" and m != 2:
            continue
        value = result.values[key]
        assert value == pytest.approx(1.0, **close) if value is not None else result.reasons[key], key
    if len({v for v in column if v is not None}) >= 2:  # kappa and alpha are defined: exactly 1
        assert result.values["krippendorff_alpha"] == pytest.approx(1.0, **close)
        assert result.values["fleiss_kappa"] == pytest.approx(1.0, **close)
        if m == 2:
            assert result.values["cohen_kappa"] == pytest.approx(1.0, **close)


@settings(max_examples=120, deadline=None)
@given(rating_matrices(), st.randoms(use_true_random=False))
def test_permuting_reviewers_changes_no_measure(data, rnd):
    rows, k = data
    order = list(range(len(rows[0])))
    rnd.shuffle(order)
    before = nominal(rows, q=k + 1)
    after = nominal([tuple(row[i] for i in order) for row in rows], q=k + 1)
    assert set(after.reasons) == set(before.reasons)
    for key in SYMMETRIC:
        if before.values[key] is None:
            assert after.values[key] is None
        else:
            assert after.values[key] == pytest.approx(before.values[key], **close), key


def test_an_empty_or_single_reviewer_matrix_is_null_with_reasons_not_a_crash():
    for rows in ([], [(1,), (2,)], [(None, None)]):
        result = nominal(rows, q=3)
        for key in ("percent_agreement", "fleiss_kappa", "krippendorff_alpha", "cohen_kappa"):
            assert result.values[key] is None and result.reasons[key], (rows, key)


# --- characters (NVivo) -------------------------------------------------------------------------

@st.composite
def two_codings(draw, max_length=120):
    length = draw(st.integers(1, max_length))
    return length, draw(spans_in(length)), draw(spans_in(length))


@settings(max_examples=120, deadline=None)
@given(two_codings())
def test_characters_equal_cohen_kappa_on_the_per_character_vectors(data):
    length, a, b = data
    result = characters(length, a, b)
    va, vb = coverage(length, a), coverage(length, b)
    assert result.counts == {"characters": length, "both": sum(x & y for x, y in zip(va, vb)),
                             "only_a": sum(x > y for x, y in zip(va, vb)), "only_b": sum(x < y for x, y in zip(va, vb)),
                             "neither": sum(not (x or y) for x, y in zip(va, vb))}
    assert result.values["percent_agreement"] == pytest.approx(sum(x == y for x, y in zip(va, vb)) / length, **close)
    assert_same(result.values["cohen_kappa"], cohen_oracle(va, vb), result.reasons, "cohen_kappa")


@settings(max_examples=80, deadline=None)
@given(st.lists(two_codings(max_length=60), min_size=1, max_size=4))
def test_pooled_character_tables_equal_kappa_on_the_joined_vectors(parts):
    """Pooling (all studies, all constructs) sums the 2x2 tables: the same as one long text."""
    pooled = sum((character_table(length, a, b) for length, a, b in parts), CharacterTable())
    va = [x for length, a, _ in parts for x in coverage(length, a)]
    vb = [x for length, _, b in parts for x in coverage(length, b)]
    result = pooled.measures()
    assert result.values["percent_agreement"] == pytest.approx(sum(x == y for x, y in zip(va, vb)) / len(va), **close)
    assert_same(result.values["cohen_kappa"], cohen_oracle(va, vb), result.reasons, "cohen_kappa")


@settings(max_examples=80, deadline=None)
@given(two_codings())
def test_characters_swap_a_and_b_symmetrically(data):
    length, a, b = data
    ab, ba = characters(length, a, b), characters(length, b, a)
    assert ab.values == pytest.approx(ba.values) if ab.values["cohen_kappa"] is not None else \
        ba.values["cohen_kappa"] is None
    assert (ab.counts["only_a"], ab.counts["only_b"]) == (ba.counts["only_b"], ba.counts["only_a"])


@settings(max_examples=80, deadline=None)
@given(two_codings())
def test_identical_character_codings_give_1_or_null_with_a_reason(data):
    length, a, _ = data
    result = characters(length, a, list(reversed(a)))
    assert result.values["percent_agreement"] == 1.0
    kappa = result.values["cohen_kappa"]
    assert kappa == pytest.approx(1.0) if kappa is not None else result.reasons["cohen_kappa"]


def test_the_documented_nvivo_example_through_the_pure_core():
    """N = 1000, 50 by both, 150 by only one, 800 by neither -> 85 %."""
    result = characters(1000, [(0, 50), (50, 150)], [(0, 50), (150, 200)])
    assert result.counts == {"characters": 1000, "both": 50, "only_a": 100, "only_b": 50, "neither": 800}
    assert result.values["percent_agreement"] == pytest.approx(0.85)


# --- segments (MAXQDA) --------------------------------------------------------------------------

@st.composite
def two_segment_sets(draw):
    length = draw(st.integers(2, 60))
    seg = st.tuples(st.sampled_from("XYZ"), st.integers(0, length - 1), st.integers(1, length)).filter(
        lambda s: s[1] < s[2])
    a = draw(st.lists(seg, max_size=6, unique=True))
    b = draw(st.lists(seg, max_size=6, unique=True))
    threshold = draw(st.sampled_from([0.5, 0.6, 0.75, 0.9, 1.0]))
    return a, b, threshold


def share(x, y) -> float:
    inter = min(x[2], y[2]) - max(x[1], y[1])
    return inter / (max(x[2], y[2]) - min(x[1], y[1])) if x[0] == y[0] and inter > 0 else 0.0


def greedy_agreements(a, b, threshold) -> int | None:
    """Best overlap first, one to one; None where equal shares make the order a choice."""
    candidates = [(share(x, y), x, y) for x in a for y in b if share(x, y) >= threshold]
    if len({c[0] for c in candidates}) < len(candidates):
        return None
    used_a, used_b, n = set(), set(), 0
    for _, x, y in sorted(candidates, key=lambda c: -c[0]):
        if x not in used_a and y not in used_b:
            used_a.add(x)
            used_b.add(y)
            n += 1
    return n


@settings(max_examples=120, deadline=None)
@given(two_segment_sets())
def test_segments_match_best_overlap_first_one_to_one(data):
    a, b, threshold = data
    q = 4
    result = segments(a, b, threshold, q)
    match = match_segments(a, b, threshold)
    agreements = result.counts["agreements"]
    assert agreements + result.counts["only_a"] == len(a)
    assert agreements + result.counts["only_b"] == len(b)
    assert len({x for x, _, _ in match.pairs}) == len({y for _, y, _ in match.pairs}) == agreements
    for x, y, s in match.pairs:
        assert x[0] == y[0] and s == pytest.approx(share(x, y)) and s >= threshold
    expected = greedy_agreements(a, b, threshold)
    if expected is not None:
        assert agreements == expected
    total = len(a) + len(b) - agreements
    if total:
        p = agreements / total
        assert result.values["percent_agreement"] == pytest.approx(p, **close)
        assert result.values["brennan_prediger"] == pytest.approx((p - 1 / q) / (1 - 1 / q), **close)
    else:
        assert result.values["percent_agreement"] is None and result.reasons["percent_agreement"]


@settings(max_examples=120, deadline=None)
@given(two_segment_sets())
def test_segments_swap_a_and_b_symmetrically(data):
    a, b, threshold = data
    ab, ba = segments(a, b, threshold, 4), segments(b, a, threshold, 4)
    assert ab.counts["agreements"] == ba.counts["agreements"]
    assert (ab.counts["only_a"], ab.counts["only_b"]) == (ba.counts["only_b"], ba.counts["only_a"])
    assert ab.values == ba.values


@settings(max_examples=80, deadline=None)
@given(two_segment_sets())
def test_identical_segments_all_agree(data):
    a, _, threshold = data
    result = segments(a, list(reversed(a)), threshold, 4)
    assert result.counts == {"agreements": len(a), "only_a": 0, "only_b": 0, "categories": 4}
    if a:
        assert result.values["percent_agreement"] == 1.0 and result.values["brennan_prediger"] == pytest.approx(1.0)


# --- Krippendorff's unitizing alpha against the brute force (agreement_oracles) ------------------

def test_the_brute_force_reproduces_krippendorffs_published_example():
    """Krippendorff 2004 (agreement.md), begins shifted by -150 onto a 300-character continuum."""
    i = {"c": [(75, 145), (220, 250)], "k": [(30, 90), (150, 200)]}
    j = {"c": [(70, 150), (205, 225), (250, 270)], "k": [(30, 90), (150, 200)]}
    by_category, overall = brute_unitizing(300, [i, j])
    d_o, d_e = by_category["c"]
    assert (round(d_o, 4), round(d_e, 4), round(1 - d_o / d_e, 4)) == (0.0144, 0.0532, 0.7286)
    assert by_category["k"][0] == 0 and round(by_category["k"][1], 4) == 0.0490
    assert overall == pytest.approx(0.8591, abs=5e-4)
    core = unitizing(300, [i, j])
    assert core.by_category["c"].values["unitizing_alpha"] == pytest.approx(1 - d_o / d_e, **close)
    assert core.overall.values["unitizing_alpha"] == pytest.approx(overall, **close)


@st.composite
def continua(draw, observers=st.integers(2, 4)):
    length = draw(st.integers(2, 50))
    m = draw(observers)
    cats = draw(st.lists(st.sampled_from("cks"), min_size=1, max_size=3, unique=True))
    return length, [{c: draw(spans_in(length, 4)) for c in cats} for _ in range(m)]


@settings(max_examples=120, deadline=None)
@given(continua())
def test_unitizing_alpha_equals_the_brute_force(data):
    length, observers = data
    expected, overall = brute_unitizing(length, observers)
    result = unitizing(length, observers)
    assert set(result.by_category) == set(expected)
    for c, (d_o, d_e) in expected.items():
        measures = result.by_category[c]
        assert measures.values["d_o"] == pytest.approx(d_o, **close)
        assert measures.values["d_e"] == pytest.approx(d_e, **close)
        if d_e > 0:
            assert measures.values["unitizing_alpha"] == pytest.approx(1 - d_o / d_e, **close)
        else:
            assert measures.values["unitizing_alpha"] is None and measures.reasons["unitizing_alpha"]
    if overall is None:
        assert result.overall.values["unitizing_alpha"] is None and result.overall.reasons["unitizing_alpha"]
    else:
        assert result.overall.values["unitizing_alpha"] == pytest.approx(overall, **close)


@settings(max_examples=120, deadline=None)
@given(continua())
def test_unitizing_is_unchanged_by_the_order_of_observers(data):
    length, observers = data
    before = unitizing(length, observers)
    for order in permutations(observers):
        after = unitizing(length, list(order))
        assert after.overall.values == pytest.approx(before.overall.values) \
            if before.overall.values["unitizing_alpha"] is not None else after.overall.values == before.overall.values
        for c, measures in before.by_category.items():
            assert after.by_category[c].values == pytest.approx(measures.values) \
                if measures.values["unitizing_alpha"] is not None else \
                after.by_category[c].values["unitizing_alpha"] is None


@settings(max_examples=80, deadline=None)
@given(continua())
def test_identical_unitizing_gives_1_or_null_with_a_reason(data):
    length, observers = data
    same = [observers[0]] * len(observers)
    result = unitizing(length, same)
    for measures in [*result.by_category.values(), result.overall]:
        value = measures.values["unitizing_alpha"]
        assert value == pytest.approx(1.0, **close) if value is not None else measures.reasons["unitizing_alpha"]


def test_unitizing_with_one_observer_is_null_with_a_reason():
    result = unitizing(10, [{"c": [(1, 4)]}])
    assert result.overall.values["unitizing_alpha"] is None and result.overall.reasons["unitizing_alpha"]
