"""`workbench irr` as reviewers use it: the table it prints, the runs it keeps (`--history`), the
report `workbench export agreement` writes, scoping by construct and study, three reviewers, and
refusals that leave the project as it was. Expected values are worked out by hand in the comments."""
from __future__ import annotations

import json

import pytest
from irr_support import Review, by_name
from support import dump, rows, run


def lines(n: int, word: str) -> str:
    """``n`` one-line sentences of 25 characters: line i (from 0) spans [26 i, 26 i + 25)."""
    return "\n".join(f"{word} {i:03d} is one sentence." for i in range(1, n + 1))


@pytest.fixture
def review(tmp_path, capsys) -> Review:
    """Heist 2018 (4 sentences) and Frehywot 2019 (2), both marked done by alice and ben:

    Heist    u0       u1       u2    u3         Frehywot  u0    u1
    alice    Stigma   Stigma   Pay   -                    Pay   -
    ben      Stigma   Pay      Pay   -                    Pay   -
    cara     as alice (and done) in Heist only; dan marked nothing done.
    """
    r = Review(tmp_path / "review", capsys, ["alice", "ben", "cara", "dan"], ["Stigma", "Pay"])
    r.heist = r.add_study(lines(4, "Unit"), "Japanese doctors", "Heist, Anna", 2018)
    r.frehywot = r.add_study(lines(2, "Item"), "Medical diaspora", "Frehywot, Seble", 2019)
    for who in ("alice", "cara"):
        r.code(who, r.heist, 0, 51, "Stigma")
        r.code(who, r.heist, 52, 77, "Pay")
    r.code("ben", r.heist, 0, 25, "Stigma")
    r.code("ben", r.heist, 26, 77, "Pay")
    for who in ("alice", "ben"):
        r.code(who, r.frehywot, 0, 25, "Pay")
        r.done(who, r.heist)
        r.done(who, r.frehywot)
    r.done("cara", r.heist)
    return r


def test_sentence_agreement_is_printed_as_a_table_and_stored(review, capsys):
    # units (alice, ben): (S,S) (S,P) (P,P) (-,-) | (P,P) (-,-): 5 of 6 agree.
    # Cohen: marginals alice S2 P2 -2, ben S1 P3 -2: p_e = (2 + 6 + 4) / 36 = 1/3, kappa = (5/6 - 1/3) / (2/3) = 0.75
    # Fleiss: pi = 3/12, 5/12, 4/12: p_e = 50/144, kappa = (5/6 - 50/144) / (94/144) = 70/94 = 0.745
    # BP (q = 3): 0.75; AC1: p_e = (27 + 35 + 32) / 144 / 2 = 94/288, (240 - 94) / (288 - 94) = 0.753
    # alpha: n = 12, one disagreeing pair: 1 - 11 x 2 / (144 - 50) = 0.766
    # by construct (q = 2), Pay or not: (0,0) (0,1) (1,1) (0,0) (1,1) (0,0): p_e 1/2, kappa 2/3; Fleiss pi 5/12, 7/12:
    # 46/70; AC1 (120 - 70) / (144 - 70); alpha 1 - 22/70. Stigma or not: (1,1) (1,0) (0,0) x 4: kappa (30 - 22) / 14;
    # Fleiss 30/54, AC1 66/90, alpha 1 - 22/54. Heist alone: kappa 7/11, Fleiss 26/42, BP 0.625, AC1 27/43, alpha 2/3
    code, out, err = run(capsys, "irr", review.root, "--reviewers", "alice,ben", "--unit", "sentence")
    assert (code, err) == (0, "")
    text = out.splitlines()
    assert text[0].startswith("Agreement run 1 (") and text[0].endswith(" UTC, by alice): sentence units, "
                                                                         "reviewers alice, ben")
    assert text[1].startswith("Units: the sentences of the studies that at least one of alice, ben marked done")
    assert text[2:] == [
        "",
        "construct   percent     Cohen    Fleiss        BP       AC1     alpha     units",
        "Pay           0.833     0.667     0.657     0.667     0.676     0.686         6",
        "Stigma        0.833     0.571     0.556     0.667     0.733     0.593         6",
        "overall       0.833     0.750     0.745     0.750     0.753     0.766         6",
        "",
        "study             percent     Cohen    Fleiss        BP       AC1     alpha     units",
        "1 Heist 2018        0.750     0.636     0.619     0.625     0.628     0.667         4",
        "2 Frehywot 2019     1.000     1.000     1.000     1.000     1.000     1.000         2",
    ]
    (stored,) = rows(review.root, "SELECT id, ran_by, settings, results FROM agreement_run")
    assert (stored["id"], stored["ran_by"]) == (1, 1)
    assert json.loads(stored["settings"]) == {"reviewers": ["alice", "ben"], "unit": "sentence", "construct": None,
                                              "study": None}
    assert json.loads(stored["results"])["overall"]["cohen_kappa"] == pytest.approx(0.75)


def test_json_has_the_issue_shape(review):
    result = review.irr("--reviewers", "Alice,ben", "--unit", "sentence", "--reviewer", "ben")
    assert (result["run"], result["ran_by"], result["unit"], result["reviewers"]) == (1, "ben", "sentence",
                                                                                       ["alice", "ben"])
    assert result["settings"] == {"reviewers": ["alice", "ben"], "unit": "sentence", "construct": None, "study": None}
    overall = result["overall"]
    assert overall["percent_agreement"] == pytest.approx(5 / 6)
    assert overall["cohen_kappa"] == pytest.approx(0.75)
    assert overall["fleiss_kappa"] == pytest.approx(70 / 94)
    assert overall["brennan_prediger"] == pytest.approx(0.75)
    assert overall["gwet_ac1"] == pytest.approx(146 / 194)
    assert overall["krippendorff_alpha"] == pytest.approx(1 - 22 / 94)
    assert [e["construct"] for e in result["by_construct"]] == ["Pay", "Stigma"]
    assert [(e["study"], e["label"], e["rated_by"]) for e in result["by_study"]] == [
        (review.heist, "Heist 2018", ["alice", "ben"]), (review.frehywot, "Frehywot 2019", ["alice", "ben"])]


def test_one_construct_and_one_study(review):
    # Pay or not (q = 2): Heist (0,0) (0,1) (1,1) (0,0); Frehywot (1,1) (0,0): 5 of 6
    result = review.irr("--reviewers", "alice,ben", "--unit", "sentence", "--construct", "pay")
    assert result["settings"]["construct"] == "Pay" and result["q"] == 2  # as stored, not as typed
    assert [e["construct"] for e in result["by_construct"]] == ["Pay"]
    assert result["overall"]["percent_agreement"] == pytest.approx(5 / 6)
    # Frehywot alone: both coded its first sentence Pay, left the second uncoded
    result = review.irr("--reviewers", "alice,ben", "--unit", "sentence", "--study", review.frehywot)
    assert [e["study"] for e in result["by_study"]] == [review.frehywot]
    assert result["overall"]["percent_agreement"] == 1.0 and result["overall"]["cohen_kappa"] == 1.0


def test_segments_agree_at_the_overlap_threshold(review):
    # Heist: Stigma [0,51) vs [0,25) overlap 25 of 51 = 0.49; Pay [52,77) vs [26,77) 0.49; Frehywot Pay identical
    result = review.irr("--reviewers", "alice,ben", "--unit", "segment")
    assert result["settings"]["threshold"] == 0.9
    overall = result["overall"]
    assert (overall["agreements"], overall["only_a"], overall["only_b"]) == (1, 2, 2)
    assert overall["percent_agreement"] == pytest.approx(0.2)
    assert overall["brennan_prediger"] == pytest.approx((0.2 - 0.5) / 0.5)  # q = 2 constructs
    result = review.irr("--reviewers", "alice,ben", "--unit", "segment", "--threshold", "0.45")
    assert (result["overall"]["agreements"], result["overall"]["percent_agreement"]) == (3, 1.0)


def test_three_reviewers_in_a_pairwise_mode_give_each_pair_and_their_mean(review):
    result = review.irr("--reviewers", "alice,ben,cara", "--unit", "character")
    pairs = {tuple(p["reviewers"]): p for p in result["pairs"]}
    assert list(pairs) == [("alice", "ben"), ("alice", "cara"), ("ben", "cara")]
    assert "mean over the 3 pairs" in result["pooling"]
    # cara coded Heist as alice did, and marked only Heist done
    assert pairs["alice", "cara"]["overall"]["percent_agreement"] == 1.0
    assert pairs["alice", "cara"]["studies"] == 1 and pairs["alice", "ben"]["studies"] == 2
    mean = sum(p["overall"]["percent_agreement"] for p in pairs.values()) / 3
    assert result["overall"]["percent_agreement"] == pytest.approx(mean)
    assert result["overall"]["pairs"] == 3
    assert by_name(result["by_construct"])["Stigma"]["cohen_kappa"] == pytest.approx(
        sum(by_name(p["by_construct"])["Stigma"]["cohen_kappa"] for p in pairs.values()) / 3)


def test_a_reviewer_who_marked_nothing_done_is_missing_not_uncoded(review, capsys):
    result = review.irr("--reviewers", "alice,dan", "--unit", "sentence")
    overall = result["overall"]
    assert overall["krippendorff_alpha"] is None and overall["cohen_kappa"] is None
    assert overall["reasons"]["krippendorff_alpha"] == "no study that at least two of alice, dan marked done"
    assert [e["rated_by"] for e in result["by_study"]] == [["alice"], ["alice"]]
    result = review.irr("--reviewers", "alice,dan", "--unit", "character")
    assert result["overall"]["reasons"]["percent_agreement"] == "no study that alice and dan both marked done"
    code, out, _ = run(capsys, "irr", review.root, "--reviewers", "alice,dan", "--unit", "unitizing")
    assert code == 0
    assert "  alpha_U (overall): no study that all of alice, dan marked done" in out.splitlines()


def test_history_lists_every_run(review, capsys):
    review.irr("--reviewers", "alice,ben", "--unit", "sentence")
    review.irr("--reviewers", "alice,ben", "--unit", "segment", "--construct", "Pay", "--reviewer", "ben")
    found = json.loads(review.cli("irr", review.root, "--history", "--json"))
    assert [(r["run"], r["ran_by"], r["settings"]["unit"]) for r in found] == [(1, "alice", "sentence"),
                                                                                (2, "ben", "segment")]
    assert found[1]["settings"] == {"reviewers": ["alice", "ben"], "unit": "segment", "threshold": 0.9,
                                    "construct": "Pay", "study": None}
    text = review.cli("irr", review.root, "--history").splitlines()
    when = [r["ran_at"][:16].replace("T", " ") for r in found]
    assert text == [
        f"   1  {when[0]}  alice      sentence   alice, ben; all constructs: percent 0.833, Cohen 0.750, "
        "Fleiss 0.745, BP 0.750, AC1 0.753, alpha 0.766",
        # Pay only: Heist [52,77) vs [26,77) 0.49, Frehywot identical: 1 of 3; q = 1, so no BP
        f"   2  {when[1]}  ben        segment    alice, ben; construct 'Pay', threshold 0.9: percent 0.333, BP -",
    ]


def test_export_agreement_md_and_csv(review, tmp_path):
    review.irr("--reviewers", "alice,ben", "--unit", "character")
    review.irr("--reviewers", "alice,ben", "--unit", "sentence", "--reviewer", "ben")
    (first, _) = json.loads(review.cli("irr", review.root, "--history", "--json"))
    out = tmp_path / "agreement.md"
    assert review.cli("export", "agreement", review.root, "--format", "md", "--out", out, "--run", "1") == (
        f"wrote agreement run 1 (3 rows) to {out}\n")
    # cells: Heist (103 characters) Stigma [0,51) vs [0,25): both 25, only alice 26, neither 52; Heist Pay [52,77) vs
    # [26,77): both 25, only ben 26, neither 52; Frehywot (51) Pay identical [0,25). Pay pooled: 128/154, kappa with
    # p_e (50 x 76 + 104 x 78) / 154^2 = 0.661; overall 205/257, p_e (101^2 + 156^2) / 257^2: kappa 0.576
    report = out.read_text(encoding="utf-8").splitlines()
    assert report[:12] == [
        "# Inter-rater agreement",
        "",
        f"Agreement run 1 of the synthesis workbench (`workbench irr`), {first['ran_at'][:16].replace('T', ' ')} UTC, "
        "run by alice.",
        "",
        "| Setting | Value |",
        "| --- | --- |",
        "| Reviewers | alice, ben |",
        "| Unit | character |",
        "| Constructs | all |",
        "| Studies | all |",
        "| Studies compared | 2 |",
        "",
    ]
    assert report[12].startswith("Units: the characters of the studies each pair of alice, ben both marked done")
    assert report[13:] == [
        "",
        "## Agreement by construct",
        "",
        "| Construct | Percent agreement | Cohen's kappa | Characters | Both coded | Only alice | Only ben | "
        "Neither coded |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        "| Pay | 0.831 | 0.661 | 154 | 50 | 0 | 26 | 78 |",
        "| Stigma | 0.748 | 0.493 | 103 | 25 | 26 | 0 | 52 |",
        "| Overall | 0.798 | 0.576 | 257 | 75 | 26 | 26 | 130 |",
        "",
        "## Agreement by study",
        "",
        "| Study | Percent agreement | Cohen's kappa | Characters | Both coded | Only alice | Only ben | "
        "Neither coded |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        "| Heist 2018 | 0.748 | 0.458 | 206 | 50 | 26 | 26 | 104 |",
        "| Frehywot 2019 | 1.000 | 1.000 | 51 | 25 | 0 | 0 | 26 |",
    ]
    out = tmp_path / "agreement.csv"
    assert review.cli("export", "agreement", review.root, "--format", "csv", "--out", out) == (
        f"wrote agreement run 2 (3 rows) to {out}\n")
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "run,unit,level,construct,percent_agreement,cohen_kappa,fleiss_kappa,brennan_prediger,gwet_ac1,"
        "krippendorff_alpha,units,undefined",
        "2,sentence,construct,Pay,0.833333,0.666667,0.657143,0.666667,0.675676,0.685714,6,",
        "2,sentence,construct,Stigma,0.833333,0.571429,0.555556,0.666667,0.733333,0.592593,6,",
        "2,sentence,overall,,0.833333,0.75,0.744681,0.75,0.752577,0.765957,6,",
    ]


def test_refusals_name_what_is_wrong_and_change_nothing(review, capsys, tmp_path):
    review.irr("--reviewers", "alice,ben", "--unit", "sentence")
    before = dump(review.root)
    for argv, message in [
        (["--reviewers", "alice,zed", "--unit", "sentence"],
         "unknown reviewer 'zed' (reviewers of this project: alice, ben, cara, dan)"),
        (["--reviewers", "alice", "--unit", "sentence"],
         "agreement compares two or more reviewers: give --reviewers A,B[,C...], not alice"),
        (["--reviewers", "alice,Alice", "--unit", "sentence"],
         "agreement compares two or more reviewers: --reviewers names alice twice"),
        (["--reviewers", "alice,ben", "--unit", "sentence", "--construct", "Stigmas"],
         "no construct called 'Stigmas'; did you mean 'Stigma'?"),
        (["--reviewers", "alice,ben", "--unit", "segment", "--threshold", "90"],
         "--threshold is the share of the union two segments must overlap, above 0 and at most 1 (0.9 for 90 %), "
         "not 90"),
        (["--reviewers", "alice,ben", "--unit", "sentence", "--threshold", "0.5"],
         "--threshold is the overlap two segments need to agree: it applies to --unit segment only, not sentence"),
        (["--reviewers", "alice,ben", "--unit", "sentence", "--reviewer", "zed"], "unknown reviewer 'zed'"),
        (["--reviewers", "alice,ben"], "workbench irr needs --reviewers A,B and --unit"),
    ]:
        code, out, err = run(capsys, "irr", review.root, *argv)
        assert (code, out) == (1, ""), argv
        assert err.startswith(f"workbench: error: {message}"), err
    code, out, err = run(capsys, "export", "agreement", review.root, "--format", "md", "--out", tmp_path / "x.md",
                         "--run", "7")
    assert (code, out) == (1, "")
    assert err == ("workbench: error: no agreement run 7 (stored: run 1; see `workbench irr PROJECT --history`)\n")
    assert not (tmp_path / "x.md").exists()
    assert dump(review.root) == before


def test_before_any_run_history_is_empty_and_export_is_refused(review, capsys, tmp_path):
    assert review.cli("irr", review.root, "--history") == (
        "no agreement runs yet: workbench irr PROJECT --reviewers A,B --unit sentence\n")
    assert json.loads(review.cli("irr", review.root, "--history", "--json")) == []
    code, out, err = run(capsys, "export", "agreement", review.root, "--format", "csv", "--out", tmp_path / "x.csv")
    assert (code, out) == (1, "")
    assert err == ("workbench: error: no agreement run yet: run `workbench irr PROJECT --reviewers A,B --unit "
                   "sentence` first\n")


def test_removed_codings_and_removed_studies_are_not_compared(review):
    (coding,) = json.loads(review.cli("codings", review.root, "--reviewer", "ben", "--study", review.frehywot,
                                      "--json"))
    review.cli("uncode", review.root, "--coding", coding["id"], "--reviewer", "ben")
    # Frehywot now: alice Pay, ben uncoded on its first sentence; both uncoded on the second
    result = review.irr("--reviewers", "alice,ben", "--unit", "sentence", "--study", review.frehywot)
    assert result["overall"]["percent_agreement"] == 0.5
    review.cli("study", "remove", review.root, "--study", review.frehywot, "--with-codings", "--reviewer", "alice")
    result = review.irr("--reviewers", "alice,ben", "--unit", "sentence")
    assert [e["study"] for e in result["by_study"]] == [review.heist]
    assert result["overall"]["units"] == 4


def test_the_report_says_why_a_value_is_undefined(review, tmp_path):
    review.irr("--reviewers", "alice,dan", "--unit", "segment")
    out = tmp_path / "agreement.md"
    review.cli("export", "agreement", review.root, "--format", "md", "--out", out)
    report = out.read_text(encoding="utf-8").splitlines()
    assert "| Overlap threshold | 90% of the union |" in report
    assert report[report.index("## Agreement by construct"):] == [
        "## Agreement by construct",
        "",
        "| Construct | Percent agreement | Brennan-Prediger kappa | Agreements | Only alice | Only dan |",
        "| --- | --- | --- | --- | --- | --- |",
        "| Overall | – | – | 0 | 0 | 0 |",
        "",
        "Undefined values (–):",
        "",
        "- Percent agreement (Overall): no study that alice and dan both marked done",
        "- Brennan-Prediger kappa (Overall): no study that alice and dan both marked done",
    ]
    out = tmp_path / "agreement.csv"
    review.cli("export", "agreement", review.root, "--format", "csv", "--out", out)
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "run,unit,level,construct,percent_agreement,brennan_prediger,agreements,only_a,only_b,undefined",
        "1,segment,overall,,,,0,0,0,percent_agreement: no study that alice and dan both marked done; "
        "brennan_prediger: no study that alice and dan both marked done",
    ]
