"""`workbench adjudicate`: two reviewers' disagreements on the studies both marked done, listed with
ids and quotes; decisions write the consensus reviewer's codings and judgements, undoably; refusals
say why in the reviewer's words and change nothing."""
from __future__ import annotations

import json

import pytest
from support import SEED_001, dump, run

from workbench.core.text import canonicalise, decode

HEIST = canonicalise(decode(SEED_001.read_bytes(), SEED_001.name))
PIVOTAL_LONG = ("pivotal experiences that often include dissatisfaction with the quality of Japanese clinical "
                "training and personal exposures to US clinical education")
PIVOTAL_SHORT = "pivotal experiences that often include dissatisfaction"
ALICE_ONLY = "The desire to improve Japanese clinical training"
BOTH_SAME = "A presumable exception to the above themes would be the Japanese IMG population"
HEIST_LABEL = "“Medical migration: a qualitative explor…”"  # no authors in the small project


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    return out


def code(capsys, project, reviewer: str, phrase: str, construct: str, order: int = 2) -> None:
    start = HEIST.index(phrase)
    ok(capsys, "code", project, "--study", 1, "--start", start, "--end", start + len(phrase), "--construct",
       construct, "--order", order, "--reviewer", reviewer, "--all-reviewers")


@pytest.fixture
def coded(small_project, capsys):
    """Heist 2018 (study 1) coded by alice and ben, both done: "Pivotal experiences" on spans of
    different length, "Desire to improve" only alice's, "Atypical path" the same span; alice judged
    the study reciprocal for "Family over finances", ben refutational; Frehywot 2019 done by alice only."""
    p = small_project
    code(capsys, p, "alice", PIVOTAL_LONG, "Pivotal experiences")
    code(capsys, p, "ben", PIVOTAL_SHORT, "Pivotal experiences")
    code(capsys, p, "alice", ALICE_ONLY, "Desire to improve")
    code(capsys, p, "alice", BOTH_SAME, "Atypical path")
    code(capsys, p, "ben", BOTH_SAME, "Atypical path")
    ok(capsys, "code", p, "--study", 2, "--start", 0, "--end", 7, "--construct", "Family over finances",
       "--order", 3, "--reviewer", "alice")
    ok(capsys, "translate", p, "--concept", "Family over finances", "--study", 1, "--as", "reciprocal",
       "--reviewer", "alice")
    ok(capsys, "translate", p, "--concept", "Family over finances", "--study", 1, "--as", "refutational",
       "--note", "they stay for the training", "--reviewer", "ben")
    for reviewer in ("alice", "ben"):
        ok(capsys, "status", p, "--study", 1, "--reviewer", reviewer, "--set", "done")
    ok(capsys, "status", p, "--study", 2, "--reviewer", "alice", "--set", "done")
    return p


def listing(capsys, project) -> dict:
    return json.loads(ok(capsys, "adjudicate", project, "--reviewers", "alice,ben", "--json"))


def consensus_judgements(capsys, project) -> list[tuple]:
    """The consensus's judgements in the grid (every reviewer's constructs shown: the consensus
    made none, and blind it would see only the shared ones)."""
    grid = json.loads(ok(capsys, "grid", project, "--reviewer", "consensus", "--all-reviewers", "--json"))
    return [(c["study"], j["kind"], j["note"]) for r in grid["rows"] for c in r["cells"] for j in c["judgements"]
            if j["reviewer"] == "consensus"]


def consensus(capsys, project) -> list[tuple]:
    rows = json.loads(ok(capsys, "codings", project, "--reviewer", "consensus", "--json"))
    return [(r["construct"], r["quote"]) for r in rows]


def at(phrase: str) -> list[int]:
    start = HEIST.index(phrase)
    return [start, start + len(phrase)]


def test_the_open_disagreements_are_listed_with_ids_and_quotes(coded, capsys):
    found = listing(capsys, coded)
    assert found["reviewers"] == ["alice", "ben"] and found["open"] == 3
    assert found["by_study"] == [{"study": 1, "label": HEIST_LABEL, "open": 3}]
    shown = [(d["kind"], d["construct"], [(q["start"], q["end"], q["quote"]) for q in d["a"]] if d["kind"] == "span"
              else d["a"], [(q["start"], q["end"], q["quote"]) for q in d["b"]] if d["kind"] == "span" else d["b"])
             for d in found["disagreements"]]
    assert shown == [
        ("span", "Pivotal experiences", [(*at(PIVOTAL_LONG), PIVOTAL_LONG)], [(*at(PIVOTAL_SHORT), PIVOTAL_SHORT)]),
        ("span", "Desire to improve", [(*at(ALICE_ONLY), ALICE_ONLY)], []),
        ("judgement", "Family over finances", {"kind": "reciprocal", "note": ""},
         {"kind": "refutational", "note": "they stay for the training"}),
    ]
    assert all(len(d["id"]) == 8 for d in found["disagreements"])

    out = ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben")
    pivotal, desire, family = (d["id"] for d in found["disagreements"])
    assert out.splitlines()[:3] == ["alice and ben: 3 open disagreements in 1 study both marked done", "",
                                    f"{HEIST_LABEL} (study 1): 3 open"]
    assert f"  {pivotal}  'Pivotal experiences' [{at(PIVOTAL_LONG)[0]}, {at(PIVOTAL_LONG)[1]})" in out
    assert f"      ben    [{at(PIVOTAL_SHORT)[0]}, {at(PIVOTAL_SHORT)[1]}) {PIVOTAL_SHORT!r}" in out
    assert f"  {desire}  'Desire to improve'" in out and "      ben    (not coded)" in out
    assert f"  {family}  judgement of 'Family over finances'" in out
    assert "      ben    refutational ('they stay for the training')" in out


def test_decisions_write_the_consensus_and_undo_takes_one_back(coded, capsys):
    pivotal, desire, family = (d["id"] for d in listing(capsys, coded)["disagreements"])
    out = ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--decide", pivotal, "--take", "b",
             "--reviewer", "alice", "--json")
    # ben's span, and the span both coded alike, which comes in with the study's first decision
    assert json.loads(out) == {"decided": pivotal, "take": "b", "removed": [], "judgements": [],
                               "added": [{"construct": "Pivotal experiences", "start": at(PIVOTAL_SHORT)[0],
                                          "end": at(PIVOTAL_SHORT)[1], "quote": PIVOTAL_SHORT},
                                         {"construct": "Atypical path", "start": at(BOTH_SAME)[0],
                                          "end": at(BOTH_SAME)[1], "quote": BOTH_SAME}]}
    edited = "The desire to improve"
    ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--decide", desire, "--start", at(edited)[0],
       "--end", at(edited)[1], "--construct", "Pivotal experiences", "--reviewer", "ben")
    ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--decide", family, "--take", "b",
       "--reviewer", "alice")
    assert listing(capsys, coded)["open"] == 0
    assert consensus(capsys, coded) == [("Atypical path", BOTH_SAME), ("Pivotal experiences", PIVOTAL_SHORT),
                                        ("Pivotal experiences", edited)]
    assert consensus_judgements(capsys, coded) == [(1, "refutational", "they stay for the training")]
    decided = json.loads(ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--all", "--json"))
    assert [d["decision"] for d in decided["disagreements"]] == ["b", "edit", "b"]
    # named the other way round: the same disagreements and ids, each decision seen from ben as A
    turned = json.loads(ok(capsys, "adjudicate", coded, "--reviewers", "ben,alice", "--all", "--json"))
    assert [(d["id"], d["decision"]) for d in turned["disagreements"]] == [
        (pivotal, "a"), (desire, "edit"), (family, "a")]

    # alice's last decision was the judgement: undo takes the consensus's judgement back and opens it
    assert ok(capsys, "undo", coded, "--reviewer", "alice").startswith(
        f"undid adjudicating the disagreement on the judgement for 'Family over finances' in {HEIST_LABEL} "
        "(took ben's)")
    assert [d["id"] for d in listing(capsys, coded)["disagreements"]] == [family]
    assert consensus_judgements(capsys, coded) == []
    # then pivotal: the consensus loses ben's span and the agreed one brought in with it
    ok(capsys, "undo", coded, "--reviewer", "alice")
    assert consensus(capsys, coded) == [("Pivotal experiences", edited)]
    ok(capsys, "redo", coded, "--reviewer", "alice")
    assert consensus(capsys, coded) == [("Atypical path", BOTH_SAME), ("Pivotal experiences", PIVOTAL_SHORT),
                                        ("Pivotal experiences", edited)]


def test_taking_both_neither_and_agreed_work(coded, capsys):
    pivotal, desire, _ = (d["id"] for d in listing(capsys, coded)["disagreements"])
    ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--agreed", "--study", 1, "--reviewer", "alice")
    assert consensus(capsys, coded) == [("Atypical path", BOTH_SAME)]
    code_, _, err = run(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--agreed", "--reviewer", "alice")
    assert (code_, err) == (1, "workbench: error: the consensus has everything alice and ben agree on already "
                               "(in the studies both marked done)\n")
    ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--decide", pivotal, "--take", "both",
       "--reviewer", "alice")
    ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--decide", desire, "--take", "neither",
       "--reviewer", "alice")
    assert consensus(capsys, coded) == [("Atypical path", BOTH_SAME), ("Pivotal experiences", PIVOTAL_SHORT),
                                        ("Pivotal experiences", PIVOTAL_LONG)]
    assert listing(capsys, coded)["open"] == 1


@pytest.mark.parametrize("argv, message", [
    (["--reviewers", "alice"], "adjudication compares two reviewers: give --reviewers A,B, not alice"),
    (["--reviewers", "alice,alice"], "adjudication compares two reviewers: --reviewers names alice twice"),
    (["--reviewers", "alice,carol"], "unknown reviewer 'carol' (reviewers of this project: alice, ben)"),
    (["--reviewers", "alice,ben", "--decide", "0000abcd", "--take", "a", "--reviewer", "alice"],
     "no disagreement '0000abcd' between alice and ben (a reviewer may have changed the codings since): "
     "`workbench adjudicate PROJECT --reviewers alice,ben` lists the open ones"),
    (["--reviewers", "alice,ben", "--decide", "PIVOTAL", "--take", "a"],
     "say who decides: --reviewer NAME (the decision is on their undo list)"),
    (["--reviewers", "alice,ben", "--decide", "PIVOTAL", "--reviewer", "alice"],
     "--decide needs --take a|b|both|neither, or --start/--end (an edited span), or --kind (an edited judgement)"),
    (["--reviewers", "alice,ben", "--decide", "PIVOTAL", "--start", 0, "--end", 99999, "--reviewer", "alice"],
     f"the span [0, 99999) is not inside the text of {HEIST_LABEL} (2200 characters): give 0 <= start < end <= 2200"),
    (["--reviewers", "alice,ben", "--decide", "PIVOTAL", "--take", "a", "--start", 0, "--end", 5,
      "--reviewer", "alice"], "--start, --end and --construct edit the span: take 'edit', not 'a'"),
    (["--reviewers", "alice,ben", "--decide", "FAMILY", "--take", "both", "--reviewer", "alice"],
     f"a translation cell holds one judgement: take one reviewer's, neither, or edit it (--kind) for {HEIST_LABEL} "
     "and 'Family over finances'"),
    (["--reviewers", "alice,ben", "--decide", "FAMILY", "--kind", "agrees", "--reviewer", "alice"],
     "a translation is reciprocal, refutational, line-of-argument, not-addressed, not 'agrees'"),
])
def test_refusals_say_why_and_change_nothing(coded, capsys, argv, message):
    ids = dict(zip(("PIVOTAL", "DESIRE", "FAMILY"), (d["id"] for d in listing(capsys, coded)["disagreements"])))
    before = dump(coded)
    code_, out, err = run(capsys, "adjudicate", coded, *[ids.get(a, a) for a in argv])
    assert (code_, out, err) == (1, "", f"workbench: error: {message}\n")
    assert dump(coded) == before


def test_a_decided_disagreement_is_refused_and_a_changed_one_opens_again(coded, capsys):
    pivotal = listing(capsys, coded)["disagreements"][0]
    ok(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--decide", pivotal["id"], "--take", "a",
       "--reviewer", "alice")
    before = dump(coded)
    code_, _, err = run(capsys, "adjudicate", coded, "--reviewers", "alice,ben", "--decide", pivotal["id"],
                        "--take", "b", "--reviewer", "ben")
    assert code_ == 1 and err == (
        f"workbench: error: the disagreement on 'Pivotal experiences' at [{at(PIVOTAL_LONG)[0]}, "
        f"{at(PIVOTAL_LONG)[1]}) in {HEIST_LABEL} is decided already (took alice's); undo that decision to decide again\n")
    assert dump(coded) == before
    # ben widens his span to alice's: they agree now, nothing is open on it
    ok(capsys, "uncode", coded, "--coding", pivotal["b"][0]["coding"], "--reviewer", "ben")
    code(capsys, coded, "ben", PIVOTAL_LONG, "Pivotal experiences")
    assert [d["construct"] for d in listing(capsys, coded)["disagreements"]] == ["Desire to improve",
                                                                                "Family over finances"]
    # ben codes a second span in it: the cluster is a new disagreement, open
    code(capsys, coded, "ben", "dissatisfaction with the quality of Japanese clinical training and personal",
         "Pivotal experiences")
    assert listing(capsys, coded)["open"] == 3
