"""Issue 12, item 3 on the command line: two reviewers coding blind made their own constructs;
``workbench align`` proposes which of ben's means which of alice's, confirms, pairs by hand and
unpairs, each an undoable event, and refuses a pair that makes no sense in words, writing nothing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import ROOT, dump, run

from workbench.store import alignment
from workbench.store.project import Project

HEIST = 1
CODEBOOK = ROOT / "codebooks" / "img-return-migration.yaml"

# (reviewer, construct, order, start, end, definition): what each codes in Heist 2018, blind
CODED = [
    ("alice", "Obligation to family", 2, 0, 17, "Doctors return to care for ageing parents and relatives."),
    ("alice", "Reintegration challenges", 2, 20, 40, "Difficulties of working again in the home health system."),
    ("alice", "Stigma", 1, 45, 60, ""),
    ("alice", "Critical incidents", 2, 61, 70, ""),
    ("alice", "Pivotal experiences", 2, 71, 80, None),  # the codebook's: shared
    ("ben", "Family obligations", 2, 0, 17, "A duty to look after family members back home."),
    ("ben", "Challenges of professional reintegration", 2, 20, 40,
     "Hard transitions back into the home health service."),
    ("ben", "Fear of stigma", 1, 45, 60, ""),
    ("ben", "Turning points", 2, 61, 70, ""),
    ("ben", "Pivotal experiences", 2, 71, 80, None),
]


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def refused(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, ""), (code, out, err)
    return err


@pytest.fixture
def project(small_project, capsys) -> Path:
    p = small_project
    ok(capsys, "codebook", "load", p, CODEBOOK, "--reviewer", "alice")
    for who, name, order, start, end, definition in CODED:
        ok(capsys, "code", p, "--study", HEIST, "--start", start, "--end", end, "--construct", name,
           *(["--order", order] if definition is not None else []), "--reviewer", who)
        if definition:
            ok(capsys, "construct", "edit", p, name, "--definition", definition, "--reviewer", who)
    return p


def align(capsys, p, *extra) -> dict:
    return json.loads(ok(capsys, "align", p, "--reviewers", "alice,ben", *extra, "--json"))


def pairs(found: dict, key: str) -> list[tuple[str, str]]:
    return [(x["construct"], x["counted_as"]) for x in found[key]]


def canonical_names(p: Path) -> dict[str, str]:
    with Project.open(p) as project:
        names = dict(project.db.execute("SELECT id, name FROM construct"))
        return {names[k]: names[v] for k, v in alignment.canonical(project.db).items()}


def test_the_proposal_pairs_bens_constructs_with_alices_and_lists_what_is_left(project, capsys):
    found = align(capsys, project)
    assert found["reviewers"] == ["alice", "ben"] and found["threshold"] == 60
    assert found["confirmed"] == []
    assert pairs(found, "proposed") == [
        ("Fear of stigma", "Stigma"),
        ("Family obligations", "Obligation to family"),
        ("Challenges of professional reintegration", "Reintegration challenges")]
    first = found["proposed"][0]
    assert (first["order"], first["score"], first["name_score"], first["definition_score"], first["why"]) == (
        1, 85.3, 85.3, None, "names 85% alike (both say stigma); no definition to compare")
    assert found["proposed"][1]["name_score"] == 100.0 and found["proposed"][1]["definition_score"] is not None
    assert found["shared"] == [{"construct": "Pivotal experiences", "order": 2}]
    assert [(u["construct"], u["closest"]) for u in found["unaligned"]["alice"]] == [
        ("Critical incidents", "Turning points")]
    assert [(u["construct"], u["closest"]) for u in found["unaligned"]["ben"]] == [
        ("Turning points", "Critical incidents")]
    assert canonical_names(project) == {}  # proposing writes nothing

    text = ok(capsys, "align", project, "--reviewers", "alice,ben")
    assert text.splitlines()[0] == ("ben's constructs counted as alice's: 0 confirmed, 3 proposed (score 60 or "
                                    "more), 1 shared, 1 of alice's and 1 of ben's unaligned")
    assert "   85.3  'Fear of stigma' (ben) = 'Stigma' (alice): names 85% alike (both say stigma); " \
           "no definition to compare" in text
    assert f"confirm them all: workbench align {project} --reviewers alice,ben --confirm" in text
    assert "unaligned, ben's: 'Turning points' (closest: 'Critical incidents'," in text
    assert "shared, counted as themselves: 'Pivotal experiences'" in text


def test_confirm_counts_every_proposed_pair_and_undo_takes_them_back_at_once(project, capsys):
    found = align(capsys, project, "--confirm", "--reviewer", "ben")
    assert found["done"] == [
        "counted 'Fear of stigma' (ben) as 'Stigma' (alice)",
        "counted 'Family obligations' (ben) as 'Obligation to family' (alice)",
        "counted 'Challenges of professional reintegration' (ben) as 'Reintegration challenges' (alice)"]
    assert found["proposed"] == []
    assert pairs(found, "confirmed") == [
        ("Fear of stigma", "Stigma"), ("Family obligations", "Obligation to family"),
        ("Challenges of professional reintegration", "Reintegration challenges")]  # by order, then name
    assert {(x["reviewer"], x["counted_as_reviewer"], x["confirmed_by"]) for x in found["confirmed"]} == {
        ("ben", "alice", "ben")}
    # seen from ben's side the same pairs are confirmed, and nothing else is proposed
    other = json.loads(ok(capsys, "align", project, "--reviewers", "ben,alice", "--json"))
    assert pairs(other, "confirmed") == pairs(found, "confirmed")
    assert other["proposed"] == [] and other["unaligned"] == {
        "ben": [{"construct": "Turning points", "order": 2, "closest": "Critical incidents", "closest_score": 34.8}],
        "alice": [{"construct": "Critical incidents", "order": 2, "closest": "Turning points", "closest_score": 34.8}]}
    assert canonical_names(project) == {"Fear of stigma": "Stigma", "Family obligations": "Obligation to family",
                                        "Challenges of professional reintegration": "Reintegration challenges"}
    # nothing left to propose: a second --confirm writes nothing
    before = dump(project)
    assert align(capsys, project, "--confirm")["done"] == ["nothing proposed to confirm"]
    assert dump(project) == before

    out = ok(capsys, "undo", project, "--reviewer", "ben")
    assert "confirming 'Fear of stigma' as 'Stigma', 'Family obligations' as 'Obligation to family', " \
           "'Challenges of professional reintegration' as 'Reintegration challenges'" in out
    assert canonical_names(project) == {}
    ok(capsys, "redo", project, "--reviewer", "ben")
    assert len(canonical_names(project)) == 3


def test_a_pair_by_hand_and_unpairing_it_by_either_name(project, capsys):
    found = align(capsys, project, "--pair", "Turning points=Critical incidents")
    assert found["done"] == ["counted 'Turning points' (ben) as 'Critical incidents' (alice)"]
    assert pairs(found, "confirmed") == [("Turning points", "Critical incidents")]
    assert found["confirmed"][0]["confirmed_by"] == "alice"  # --reviewer defaults to the first of --reviewers
    assert found["unaligned"] == {"alice": [], "ben": []}
    assert canonical_names(project) == {"Turning points": "Critical incidents"}

    found = align(capsys, project, "--unpair", "critical incidents")
    assert found["done"] == ["no longer counting 'Turning points' as 'Critical incidents'"]
    assert canonical_names(project) == {}
    ok(capsys, "undo", project, "--reviewer", "alice")  # the unpairing undone: paired again
    assert canonical_names(project) == {"Turning points": "Critical incidents"}
    align(capsys, project, "--unpair", "Turning points")
    assert canonical_names(project) == {}


@pytest.mark.parametrize("argv, message", [
    (["--pair", "Stigma=Stigma"], "'Stigma' cannot be paired with itself: pair it with another reviewer's construct"),
    (["--pair", "Fear of stigma=Obligation to family"],
     "'Fear of stigma' is first-order and 'Obligation to family' is second-order: only constructs of the same "
     "order are paired (a participant's quote is never an author's theme)"),
    (["--pair", "Stigma=Fear of stigma"],
     "'Stigma' is alice's and 'Fear of stigma' is ben's: write ben's construct first, \"Fear of stigma=Stigma\""),
    (["--pair", "Pivotal experiences=Critical incidents"],
     "'Pivotal experiences' is shared: both alice and ben see it coding blind, so it is already counted as itself"),
    (["--pair", "Turning points=Family obligations"],
     "'Turning points' and 'Family obligations' are both ben's: pair ben's construct with one of alice's"),
    (["--pair", "Turning points"], "--pair takes \"B's construct=A's construct\", not 'Turning points'"),
    (["--pair", "Turning point=Critical incidents"], "no construct called 'Turning point'; did you mean 'Turning points'?"),
    (["--unpair", "Stigma"], "'Stigma' is not paired with any construct"),
    (["--reviewers", "alice"], "alignment pairs two reviewers' constructs (B's counted as A's): give --reviewers A,B, "
                               "not alice"),
    (["--reviewers", "alice,alice"], "alignment pairs two reviewers' constructs (B's counted as A's): --reviewers names "
                                     "alice twice"),
    (["--threshold", "120"], "--threshold takes a score from 0 to 100, not '120'"),
    (["--confirm", "--unpair", "Stigma"], "give one of --confirm, --pair and --unpair, not --confirm and --unpair"),
])
def test_a_pair_that_makes_no_sense_is_refused_in_words_and_nothing_is_written(project, capsys, argv, message):
    before = dump(project)
    if argv[0] != "--reviewers":
        argv = ["--reviewers", "alice,ben", *argv]
    err = refused(capsys, "align", project, *argv)
    assert err == f"workbench: error: {message}\n"
    assert dump(project) == before


def test_chains_and_a_second_partner_are_refused(project, capsys):
    align(capsys, project, "--pair", "Turning points=Critical incidents")
    before = dump(project)
    assert refused(capsys, "align", project, "--reviewers", "alice,ben", "--pair",
                   "Turning points=Obligation to family") == (
        "workbench: error: 'Turning points' is counted as 'Critical incidents' already: unpair it first\n")
    assert refused(capsys, "align", project, "--reviewers", "alice,ben", "--pair",
                   "Family obligations=Critical incidents") == (
        "workbench: error: ben's 'Turning points' is counted as 'Critical incidents' already: each of ben's "
        "constructs pairs with one of alice's; unpair 'Turning points' first\n")
    # seen from the other side (ben's constructs as the reference), a pair would make a chain
    assert refused(capsys, "align", project, "--reviewers", "ben,alice", "--pair",
                   "Critical incidents=Family obligations") == (
        "workbench: error: 'Turning points' is counted as 'Critical incidents': unpair it first, or pair the "
        "other way round\n")
    assert refused(capsys, "align", project, "--reviewers", "ben,alice", "--pair",
                   "Obligation to family=Turning points") == (
        "workbench: error: 'Turning points' is itself counted as 'Critical incidents': pair 'Obligation to "
        "family' with 'Critical incidents' instead\n")
    assert dump(project) == before


def test_deleting_a_paired_construct_takes_its_pair_with_it(project, capsys):
    align(capsys, project, "--confirm")
    ok(capsys, "construct", "merge", project, "Fear of stigma", "Stigma", "--reviewer", "ben", "--touching-others")
    assert "Fear of stigma" not in canonical_names(project)
    assert len(canonical_names(project)) == 2


def test_agreement_is_measured_on_the_aligned_pairs(project, capsys):
    """alice and ben coded the same spans of Heist 2018, each with their own constructs: before the
    alignment their characters agree only where both used the shared construct; after it, wholly."""
    for who in ("alice", "ben"):
        ok(capsys, "status", project, "--study", HEIST, "--reviewer", who, "--set", "done")

    def irr(unit: str) -> dict:
        return json.loads(ok(capsys, "irr", project, "--reviewers", "alice,ben", "--unit", unit, "--json"))

    before = irr("character")
    # nine constructs over Heist's 2,200 characters: they share only the 9 of "Pivotal experiences";
    # each reviewer's other 61 coded characters are under a construct the other never used
    counts = ("characters", "both", "only_a", "only_b", "neither")
    assert [before["overall"][k] for k in counts] == [9 * 2200, 9, 61, 61, 9 * 2200 - 131]
    p_o = (9 + 9 * 2200 - 131) / (9 * 2200)
    p_e = (70 / 19800) ** 2 + (19730 / 19800) ** 2
    assert before["overall"]["cohen_kappa"] == pytest.approx((p_o - p_e) / (1 - p_e))  # 0.125
    assert {c["construct"]: c["cohen_kappa"] for c in before["by_construct"]}["Stigma"] == 0.0
    align(capsys, project, "--confirm")
    align(capsys, project, "--pair", "Turning points=Critical incidents")
    after = irr("character")
    assert [after["overall"][k] for k in counts] == [5 * 2200, 70, 0, 0, 5 * 2200 - 70]
    assert after["overall"]["cohen_kappa"] == 1.0 and after["overall"]["percent_agreement"] == 1.0
    # each pair is measured under alice's name, as one construct
    assert {c["construct"]: c["cohen_kappa"] for c in after["by_construct"]} == {
        "Obligation to family": 1.0, "Reintegration challenges": 1.0, "Stigma": 1.0, "Critical incidents": 1.0,
        "Pivotal experiences": 1.0}
    assert irr("segment")["overall"]["percent_agreement"] == 1.0


def test_undo_refuses_when_the_pair_was_changed_since(project, capsys):
    align(capsys, project, "--pair", "Turning points=Critical incidents")  # by alice
    align(capsys, project, "--unpair", "Turning points", "--reviewer", "ben")
    before = dump(project)
    code, out, err = run(capsys, "undo", project, "--reviewer", "alice")
    assert (code, out) == (1, "")
    assert err == ("workbench: error: cannot undo counting 'Turning points' as 'Critical incidents': 'Turning points' "
                   "was unpaired or paired again since\n")
    assert dump(project) == before
    # ben's unpairing is his to undo; then alice's pairing can be taken back
    ok(capsys, "undo", project, "--reviewer", "ben")
    ok(capsys, "undo", project, "--reviewer", "alice")
    assert canonical_names(project) == {}
