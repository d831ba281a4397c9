"""The pure agreement measures (core/agreement.py) against the published values in
shared/reference/agreement.md, and their undefined cases. The same values through the workbench's
own path (import, code, mark done, ``workbench irr``) are in tests/cli/test_irr_published.py."""
from __future__ import annotations

import pytest

from workbench.core.agreement import (AgreementError, CharacterTable, character_table, characters,
                                      match_segments, mean_over_pairs, nominal, segments,
                                      sentence_categories, unitizing)

# Cohen 1960 p.45: rows reviewer A, columns reviewer B, 200 units.
COHEN_1960 = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]

# Krippendorff 2011, 4 coders x 12 units, "." missing.
KRIPPENDORFF_2011 = """\
1 2 3 3 2 1 4 1 2 . . .
1 2 3 3 2 2 4 1 2 5 . 3
. 3 3 3 2 3 4 2 2 5 1 .
1 2 3 3 2 4 4 1 2 5 1 ."""


def cohen_1960():
    cells = [((i, j), n) for i, row in enumerate(COHEN_1960) for j, n in enumerate(row)]
    return nominal([c for c, _ in cells], weights=[n for _, n in cells])


def test_cohen_1960_kappa_is_0_492_with_observed_0_70_and_chance_0_41():
    m = cohen_1960()
    assert m.values["percent_agreement"] == pytest.approx(0.70)
    assert m.values["cohen_chance_agreement"] == pytest.approx(0.41)
    assert m.values["cohen_kappa"] == pytest.approx(0.49153, abs=5e-6)
    assert round(m.values["cohen_kappa"], 3) == 0.492
    assert m.counts["units"] == 200


def test_weights_are_the_same_as_repeated_rows():
    rows = [(i, j) for i, row in enumerate(COHEN_1960) for j, n in enumerate(row) for _ in range(n)]
    assert nominal(rows).values == cohen_1960().values


def test_krippendorff_2011_alpha_0_743_observed_0_800_pairwise_0_818():
    coders = [[None if v == "." else int(v) for v in line.split()]
              for line in KRIPPENDORFF_2011.splitlines()]
    m = nominal(list(zip(*coders)))
    assert m.values["krippendorff_alpha"] == pytest.approx(0.743421, abs=5e-7)
    assert m.values["alpha_observed_agreement"] == pytest.approx(0.800)
    assert m.values["percent_agreement"] == pytest.approx(9 / 11)   # 0.818
    assert m.values["cohen_kappa"] is None and "two reviewers, not 4" in m.reasons["cohen_kappa"]
    assert m.counts["pairable_units"] == 11   # unit 12 has one value


def test_krippendorff_2004_binary_percent_0_6_alpha_0_095_kappa_0_0909():
    a = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    b = [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
    m = nominal(list(zip(a, b)))
    assert m.values["percent_agreement"] == pytest.approx(0.6)
    assert m.values["krippendorff_alpha"] == pytest.approx(0.095, abs=5e-4)
    assert m.values["cohen_kappa"] == pytest.approx(1 / 11)   # 0.0909


def test_brennan_prediger_and_gwet_follow_q_by_hand():
    # Krippendorff 2004's pairs: p_a 0.6. BP with q = 2: (0.6 - 0.5)/0.5 = 0.2; with q = 4:
    # (0.6 - 0.25)/0.75. Gwet: pi_1 = (2 + 4)/20 = 0.3, p_e = 2 * 0.3 * 0.7 / (q - 1).
    a = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    b = [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
    two = nominal(list(zip(a, b)), q=2).values
    four = nominal(list(zip(a, b)), q=4).values
    assert two["brennan_prediger"] == pytest.approx(0.2)
    assert four["brennan_prediger"] == pytest.approx(0.35 / 0.75)
    assert two["gwet_ac1"] == pytest.approx((0.6 - 0.42) / 0.58)
    assert four["gwet_ac1"] == pytest.approx((0.6 - 0.14) / 0.86)


def test_fleiss_kappa_by_hand_for_three_reviewers():
    # units: (x x x), (x x y), (y y y): p_a = (1 + 1/3 + 1)/3; pi_x = 5/9, pi_y = 4/9.
    m = nominal([("x", "x", "x"), ("x", "x", "y"), ("y", "y", "y")])
    p_a, p_e = 7 / 9, (5 / 9) ** 2 + (4 / 9) ** 2
    assert m.values["fleiss_kappa"] == pytest.approx((p_a - p_e) / (1 - p_e))


@pytest.mark.parametrize("ratings, key, words", [
    ([("x", "x"), ("x", "x")], "cohen_kappa", "same one category"),
    ([("x", "x"), ("x", "x")], "krippendorff_alpha", "same one category"),
    ([("x", "x"), ("x", "x")], "fleiss_kappa", "same one category"),
    ([("x", None), (None, "y")], "cohen_kappa", "no unit was rated by both"),
    ([("x", None), (None, "y")], "krippendorff_alpha", "no unit has values from two"),
    ([("x",), ("y",)], "fleiss_kappa", "only one reviewer"),
    ([], "percent_agreement", "only one reviewer"),
])
def test_undefined_measures_are_none_with_a_reason(ratings, key, words):
    m = nominal(ratings)
    assert m.values[key] is None
    assert words in m.reasons[key]
    assert m.as_json()["reasons"][key] == m.reasons[key]


def test_identical_ratings_with_several_categories_give_one_everywhere():
    m = nominal([("x", "x"), ("y", "y"), ("z", "z")], q=4)
    assert all(v == pytest.approx(1.0) for k, v in m.values.items() if k != "cohen_chance_agreement")


def test_ragged_ratings_are_refused_naming_the_unit():
    with pytest.raises(AgreementError, match="unit 2 has 3 ratings where the first had 2"):
        nominal([("x", "y"), ("x", "y", "z")])


def test_nvivo_documented_example_is_85_percent():
    # N = 1000: 50 characters coded by both, 150 by one only, 800 by neither.
    m = characters(1000, [(0, 100)], [(50, 200)])
    assert (m.counts["both"], m.counts["only_a"] + m.counts["only_b"], m.counts["neither"]) == (50, 150, 800)
    assert m.values["percent_agreement"] == pytest.approx(0.85)
    # kappa by hand: p_A = 0.1, p_B = 0.15, p_e = 0.015 + 0.765 = 0.78
    assert m.values["cohen_kappa"] == pytest.approx((0.85 - 0.78) / 0.22)


def test_character_spans_are_unioned_and_clipped_and_tables_pool():
    t = character_table(10, [(0, 4), (2, 6), (8, 20)], [(5, 9)])
    assert t == CharacterTable(both=2, only_a=6, only_b=2, neither=0)
    pooled = t + character_table(10, [], [])
    assert pooled.characters == 20 and pooled.neither == 10
    empty = characters(10, [], [])
    assert empty.values["percent_agreement"] == 1.0
    assert empty.values["cohen_kappa"] is None and "neither reviewer coded" in empty.reasons["cohen_kappa"]


def test_segments_match_at_the_threshold_one_to_one():
    a = [("c", 0, 100), ("c", 200, 300), ("d", 400, 500)]
    b = [("c", 5, 100), ("c", 200, 260), ("c", 0, 98), ("e", 400, 500)]
    match = match_segments(a, b, 0.9)
    # (0,100) vs (0,98): 0.98 beats (5,100): 0.95; (200,300) vs (200,260): 0.6 < 0.9
    assert [(p[0], p[1]) for p in match.pairs] == [(("c", 0, 100), ("c", 0, 98))]
    assert match.only_a == [("c", 200, 300), ("d", 400, 500)]
    assert match.only_b == [("c", 5, 100), ("c", 200, 260), ("e", 400, 500)]
    m = segments(a, b, 0.9, q=4)
    assert (m.counts["agreements"], m.counts["only_a"], m.counts["only_b"]) == (1, 2, 3)
    assert m.values["percent_agreement"] == pytest.approx(1 / 6)
    assert m.values["brennan_prediger"] == pytest.approx((1 / 6 - 0.25) / 0.75)
    assert segments(a, b, 0.6, q=4).counts["agreements"] == 2


def test_a_threshold_outside_zero_to_one_is_refused():
    with pytest.raises(AgreementError, match="above 0 and at most 1, not 1.5"):
        match_segments([], [], 1.5)


def test_no_segments_at_all_is_undefined_not_a_division_by_zero():
    m = segments([], [], 0.9, q=3)
    assert m.values == {"percent_agreement": None, "brennan_prediger": None}
    assert m.reasons["percent_agreement"] == "neither reviewer coded a segment"


# Krippendorff 2004, continuum [150, 450) shifted to [0, 300): units as (begin - 150, begin - 150 + length).
I = {"c": [(75, 145), (220, 250)], "k": [(30, 90), (150, 200)]}
J = {"c": [(70, 150), (205, 225), (250, 270)], "k": [(30, 90), (150, 200)]}


def test_krippendorff_2004_unitizing_alpha():
    u = unitizing(300, [I, J])
    c, k = u.by_category["c"], u.by_category["k"]
    assert c.values["d_o"] == pytest.approx(0.0144, abs=5e-5)
    assert c.values["d_e"] == pytest.approx(0.0532, abs=5e-5)
    assert c.values["unitizing_alpha"] == pytest.approx(0.7286, abs=5e-5)
    assert k.values["unitizing_alpha"] == 1.0
    assert k.values["d_e"] == pytest.approx(0.0490, abs=5e-5)
    assert u.overall.values["unitizing_alpha"] == pytest.approx(0.8591, abs=5e-4)


def test_unitizing_distances_of_the_published_checks():
    # D_o(c) * m(m-1)L^2 = 2 * (50 + 850 + 400 + gap terms): the published checks are three of them.
    from workbench.core.agreement import _distance_sum, _sections
    assert _distance_sum([(75, 145, True)], [(70, 150, True)]) == 50
    assert _distance_sum([(220, 250, True)], [(205, 225, True)]) == 850
    assert _distance_sum([(250, 300, False)], [(250, 270, True)]) == 400
    assert _sections([(5, 8)], 10) == [(0, 5, False), (5, 8, True), (8, 10, False)]


def test_unitizing_undefined_cases():
    assert unitizing(300, [I]).overall.reasons["unitizing_alpha"] == "only one reviewer is compared"
    assert unitizing(300, [{}, {}]).overall.reasons["unitizing_alpha"] == "no reviewer marked a unit"
    # Both coding the whole text agree perfectly: D_o = 0 while D_e > 0.
    whole = unitizing(10, [{"c": [(0, 10)]}, {"c": [(0, 10)]}])
    assert whole.overall.values["unitizing_alpha"] == 1.0


def test_sentence_category_is_the_construct_covering_most_of_it():
    sentences = [(0, 10), (10, 20), (20, 30), (30, 40)]
    codings = [("b", 0, 4), ("a", 3, 9), ("a", 5, 8),   # a covers 6, b 4
               ("b", 12, 17), ("a", 15, 20),            # tie 5-5: the smaller key, "a"
               ("c", 39, 45)]                           # one character of the last
    assert sentence_categories(sentences, codings) == ["a", "a", None, "c"]


def test_mean_over_pairs_averages_defined_values_and_keeps_reasons():
    defined = characters(10, [(0, 5)], [(0, 5)])
    undefined = characters(10, [], [])
    m = mean_over_pairs([defined, undefined])
    assert m.values["percent_agreement"] == 1.0
    assert m.values["cohen_kappa"] == 1.0
    assert m.counts["pairs"] == 2 and m.counts["characters"] == 20
    none = mean_over_pairs([undefined, undefined])
    assert none.values["cohen_kappa"] is None and "neither reviewer" in none.reasons["cohen_kappa"]
