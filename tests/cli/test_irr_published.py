"""Every published value of ../shared/reference/agreement.md, through the workbench's own path: a
project made with `workbench init`, plain-text studies imported (their sentence units checked),
spans coded with `workbench code`, studies marked done with `workbench status`, then
`workbench irr --json`. Values not published but derived by hand from the same tables are marked so."""
from __future__ import annotations

import pytest
from irr_support import Review, by_name


def lines(n: int) -> str:
    """``n`` one-line sentences of 25 characters: line i (from 0) spans [26 i, 26 i + 25)."""
    return "\n".join(f"Unit {i:03d} is one sentence." for i in range(1, n + 1))


def test_cohen_1960_kappa_from_sentence_units(tmp_path, capsys):
    # Cohen 1960 p.45: 200 units, rows alice (A), columns ben (B); categories Pay, Family and "uncoded"
    table = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    categories = ["Pay", "Family", None]
    review = Review(tmp_path / "cohen", capsys, ["alice", "ben"], ["Pay", "Family"])
    study = review.add_study(lines(200), "Two hundred units", "Cohen, Jacob", 1960)
    units = review.sentences(study)
    assert units == [(26 * i, 26 * i + 25) for i in range(200)]

    # units in the order of the table's cells; a run of units one reviewer put in one construct is one coding
    cells = [(a, b) for a in range(3) for b in range(3) for _ in range(table[a][b])]
    for reviewer, column in (("alice", 0), ("ben", 1)):
        start = 0
        for i in range(1, 201):
            if i == 200 or cells[i][column] != cells[start][column]:
                construct = categories[cells[start][column]]
                if construct:
                    review.code(reviewer, study, units[start][0], units[i - 1][1], construct)
                start = i
        review.done(reviewer, study)

    result = review.irr("--reviewers", "alice,ben", "--unit", "sentence")
    overall = result["overall"]
    assert round(overall["percent_agreement"], 2) == 0.70
    assert round(overall["cohen_kappa"], 3) == 0.492
    assert round(overall["cohen_kappa"], 5) == 0.49153
    assert round(overall["cohen_chance_agreement"], 2) == 0.41
    # by hand, q = 2 constructs + "uncoded" = 3: BP (0.7 - 1/3) / (2/3); AC1 p_e = 0.585 / 2
    assert result["q"] == 3
    assert overall["brennan_prediger"] == pytest.approx(0.55)
    assert overall["gwet_ac1"] == pytest.approx(0.4075 / 0.7075)
    assert overall["units"] == 200


K2011 = {"A": "1 2 3 3 2 1 4 1 2 . . .",
         "B": "1 2 3 3 2 2 4 1 2 5 . 3",
         "C": ". 3 3 3 2 3 4 2 2 5 1 .",
         "D": "1 2 3 3 2 4 4 1 2 5 1 ."}


def test_krippendorff_2011_alpha_with_missing_values(tmp_path, capsys):
    # 4 coders x 12 units: each unit a study of one sentence; a blank is a coder who did not mark it done
    coders = {name: values.split() for name, values in K2011.items()}
    review = Review(tmp_path / "k2011", capsys, list(coders), [f"Value {v}" for v in range(1, 6)])
    texts = [f"Participant {u:02d} spoke of the return." for u in range(1, 13)]
    studies = [review.add_study(text, f"Unit {u}", f"Author{u}, Ann", 2000 + u) for u, text in enumerate(texts, 1)]
    for study, text in zip(studies, texts):
        assert review.sentences(study) == [(0, len(text))]
    for name, values in coders.items():
        for study, text, value in zip(studies, texts, values):
            if value != ".":
                review.code(name, study, 0, len(text), f"Value {value}")
                review.done(name, study)

    result = review.irr("--reviewers", "A,B,C,D", "--unit", "sentence")
    overall = result["overall"]
    assert round(overall["krippendorff_alpha"], 3) == 0.743
    assert round(overall["krippendorff_alpha"], 6) == 0.743421
    assert round(overall["alpha_observed_agreement"], 3) == 0.800  # 1 - D_o, from the coincidence matrix
    assert round(overall["percent_agreement"], 3) == 0.818
    assert overall["cohen_kappa"] is None and "two" in overall["reasons"]["cohen_kappa"]
    assert result["studies"] == 11  # unit 12: only B marked it done, so it has no agreement of its own
    last = result["by_study"][-1]
    assert (last["study"], last["rated_by"], last["krippendorff_alpha"]) == (studies[-1], ["B"], None)
    assert last["reasons"]["krippendorff_alpha"] == "only B marked this study done; agreement needs two reviewers"


def test_krippendorff_2004_binary(tmp_path, capsys):
    # p.226: coder 1 = 1 1 0 0 0 0 0 0 0 0, coder 2 = 0 1 1 0 0 1 0 1 0 0; 1 = coded "Present", 0 = uncoded
    review = Review(tmp_path / "k2004", capsys, ["one", "two"], ["Present"])
    study = review.add_study(lines(10), "Ten units", "Krippendorff, Klaus", 2004)
    units = review.sentences(study)
    assert len(units) == 10
    review.code("one", study, units[0][0], units[1][1], "Present")  # units 1-2 in one coding
    review.code("two", study, units[1][0], units[2][1], "Present")  # units 2-3
    review.code("two", study, *units[5], "Present")
    review.code("two", study, *units[7], "Present")
    review.done("one", study)
    review.done("two", study)

    overall = review.irr("--reviewers", "one,two", "--unit", "sentence")["overall"]
    assert round(overall["percent_agreement"], 3) == 0.600
    assert round(overall["krippendorff_alpha"], 3) == 0.095
    assert round(overall["cohen_kappa"], 4) == 0.0909


def test_krippendorff_2004_unitizing_alpha(tmp_path, capsys):
    # continuum [150, 450) as a 300-character document: every begin less 150; units (begin, length)
    units = {"ivy": {"Category c": [(225, 70), (370, 30)], "Category k": [(180, 60), (300, 50)]},
             "jon": {"Category c": [(220, 80), (355, 20), (400, 20)], "Category k": [(180, 60), (300, 50)]}}
    review = Review(tmp_path / "unitizing", capsys, ["ivy", "jon"], ["Category c", "Category k"])
    text = "\n".join(["Participants described the return home in their own words again."] * 5)[:299] + "."
    assert len(text) == 300
    study = review.add_study(text, "Three hundred characters", "Krippendorff, Klaus", 2004)
    for name, categories in units.items():
        for construct, found in categories.items():
            for begin, length in found:
                review.code(name, study, begin - 150, begin - 150 + length, construct)
        review.done(name, study)

    result = review.irr("--reviewers", "ivy,jon", "--unit", "unitizing")
    c, k = by_name(result["by_construct"])["Category c"], by_name(result["by_construct"])["Category k"]
    assert round(c["d_o"], 4) == 0.0144
    assert round(c["d_e"], 4) == 0.0532
    assert round(c["unitizing_alpha"], 4) == 0.7286
    assert k["unitizing_alpha"] == pytest.approx(1.0)
    assert round(k["d_e"], 4) == 0.0490
    assert result["overall"]["unitizing_alpha"] == pytest.approx(0.8591, abs=5e-4)
    assert result["overall"]["unitizing_alpha"] == pytest.approx(0.858665, abs=5e-7)


def test_nvivo_character_agreement_85_percent(tmp_path, capsys):
    # N = 1000: 50 characters coded by both, 150 by only one, 800 by neither
    review = Review(tmp_path / "nvivo", capsys, ["alice", "ben"], ["Stigma"])
    text = ("Doctors who came home spoke of stigma and of pay. " * 20)[:999] + "."
    assert len(text) == 1000
    study = review.add_study(text, "One thousand characters", "Heist, Anna", 2018)
    review.code("alice", study, 0, 150, "Stigma")
    review.code("ben", study, 100, 200, "Stigma")
    review.done("alice", study)
    review.done("ben", study)

    result = review.irr("--reviewers", "alice,ben", "--unit", "character")
    (cell,) = result["cells"]
    assert (cell["construct"], cell["study"], cell["label"]) == ("Stigma", study, "Heist 2018")
    for entry in (cell, result["overall"], result["by_construct"][0], result["by_study"][0]):
        assert entry["percent_agreement"] == pytest.approx(0.85)
        assert (entry["characters"], entry["both"], entry["only_a"], entry["only_b"], entry["neither"]) == (
            1000, 50, 100, 50, 800)
        # by hand: p_e = 0.15 x 0.10 + 0.85 x 0.90 = 0.78
        assert entry["cohen_kappa"] == pytest.approx((0.85 - 0.78) / 0.22)


def test_unitizing_concatenates_the_studies_in_study_order(tmp_path, capsys):
    # the same example cut at 300 (150 on the document) into two studies of 150 characters: no unit
    # crosses the cut, so the studies laid end to end in study order are the published continuum
    units = {"ivy": {"Category c": [(225, 70), (370, 30)], "Category k": [(180, 60), (300, 50)]},
             "jon": {"Category c": [(220, 80), (355, 20), (400, 20)], "Category k": [(180, 60), (300, 50)]}}
    review = Review(tmp_path / "halves", capsys, ["ivy", "jon"], ["Category c", "Category k"])
    halves = [("Later half of the continuum, imported first, so that study order has to put it second. " * 2)[:149]
              + ".", ("Earlier half of the continuum, with an earlier year: first in study order. " * 2)[:149] + "."]
    second = review.add_study(halves[0], "Second half", "Krippendorff, Klaus", 2005)
    first = review.add_study(halves[1], "First half", "Krippendorff, Klaus", 2004)
    for name, categories in units.items():
        for construct, found in categories.items():
            for begin, length in found:
                start = begin - 150
                study, start = (first, start) if start < 150 else (second, start - 150)
                review.code(name, study, start, start + length, construct)
        review.done(name, first)
        review.done(name, second)

    result = review.irr("--reviewers", "ivy,jon", "--unit", "unitizing")
    assert result["studies"] == 2
    c = by_name(result["by_construct"])["Category c"]
    assert round(c["unitizing_alpha"], 4) == 0.7286
    assert result["overall"]["unitizing_alpha"] == pytest.approx(0.858665, abs=5e-7)
    assert [e["study"] for e in result["by_study"]] == [first, second]
