"""Issue 10, item 2 on the command line: a command given ``--reviewer ben`` shows what ben sees
coding blind (the shared codebook and his own work), unless ``--all-reviewers``; coding with
another reviewer's construct by name is refused while blind. Unblinding is queryable."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import ROOT, dump, run

from workbench.store import blind
from workbench.store.project import Project

HEIST = 1
HERS = "Obligation to family"
CODEBOOK = ROOT / "codebooks" / "img-return-migration.yaml"
CODEBOOK_NAMES = {
    "Reflections on personal development", "Social and cultural connection to home countries",
    "Family trumps finances", "Challenges associated with professional reintegration",
    "Disillusionment with state healthcare systems", "Drive to private practice",
    "Wasted opportunity for knowledge transfer", "Pivotal experiences", "Training quality and career opportunities",
    "Desire to improve Japanese clinical training"}


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


@pytest.fixture
def project(small_project, capsys) -> Path:
    """The worked example's codebook loaded by alice; alice's own construct made while coding
    Heist, linked to "Family trumps finances", with a memo."""
    p = small_project
    ok(capsys, "codebook", "load", p, CODEBOOK, "--reviewer", "alice")
    ok(capsys, "code", p, "--study", HEIST, "--start", 0, "--end", 17, "--construct", HERS, "--order", 2,
       "--reviewer", "alice")
    ok(capsys, "construct", "link", p, HERS, "interprets", "Family trumps finances", "--reviewer", "alice")
    ok(capsys, "memo", "set", p, "--construct", HERS, "--reviewer", "alice", "--text", "Filial piety again")
    return p


def names(capsys, *argv) -> set[str]:
    return {c["name"] for c in json.loads(ok(capsys, "constructs", *argv, "--json"))}


def test_constructs_listing_as_ben_is_the_codebook_until_all_reviewers(project, capsys):
    assert names(capsys, project, "--reviewer", "ben") == CODEBOOK_NAMES
    assert names(capsys, project, "--reviewer", "ben", "--all-reviewers") == CODEBOOK_NAMES | {HERS}
    assert names(capsys, project) == CODEBOOK_NAMES | {HERS}  # no reviewer named: the whole project
    assert names(capsys, project, "--reviewer", "alice") == CODEBOOK_NAMES | {HERS}
    listed = ok(capsys, "constructs", project, "--reviewer", "ben")
    assert HERS not in listed and "Family trumps finances" in listed


def test_search_as_ben_finds_no_memo_of_alice(project, capsys):
    assert ok(capsys, "search", project, "piety", "--reviewer", "ben") == "no matches for 'piety'\n"
    for who in (("--reviewer", "alice"), ("--reviewer", "ben", "--all-reviewers"), ()):
        out = ok(capsys, "search", project, "piety", *who)
        assert "alice's memo on " in out and "«piety»" in out, who
    # a Chinese query is a substring search: the same rule
    ok(capsys, "memo", "set", project, "--study", HEIST, "--reviewer", "alice", "--text", "孝道 again")
    assert ok(capsys, "search", project, "孝道", "--reviewer", "ben") == "no matches for '孝道'\n"
    assert "«孝道»" in ok(capsys, "search", project, "孝道", "--reviewer", "alice")


def test_exports_as_ben_leave_out_what_alice_added(project, capsys, tmp_path):
    wide = tmp_path / "wide.csv"
    ok(capsys, "export", "matrix", project, "--format", "csv", "--wide", "--reviewer", "ben", "--out", wide)
    header = wide.read_text(encoding="utf-8-sig").splitlines()[0]
    assert HERS not in header and "Family trumps finances" in header
    ok(capsys, "export", "matrix", project, "--format", "csv", "--wide", "--reviewer", "ben", "--all-reviewers",
       "--out", wide)
    assert HERS in wide.read_text(encoding="utf-8-sig").splitlines()[0]

    mine, hers = tmp_path / "ben.yaml", tmp_path / "alice.yaml"
    ok(capsys, "export", "codebook", project, "--format", "yaml", "--reviewer", "ben", "--out", mine)
    ok(capsys, "codebook", "export", project, hers, "--reviewer", "alice")
    assert HERS not in mine.read_text(encoding="utf-8") and "name: Family trumps finances" in mine.read_text(
        encoding="utf-8")
    assert f"name: {HERS}" in hers.read_text(encoding="utf-8")
    assert "- interprets: Family trumps finances" in hers.read_text(encoding="utf-8")

    memos = tmp_path / "memos.md"
    ok(capsys, "export", "memos", project, "--reviewer", "ben", "--out", memos)
    assert "piety" not in memos.read_text(encoding="utf-8")


def test_ben_cannot_code_blind_with_alices_construct_by_name(project, capsys):
    before = dump(project)
    code, out, err = run(capsys, "code", project, "--study", HEIST, "--start", 232, "--end", 300,
                         "--construct", "obligation to family", "--reviewer", "ben")
    assert (code, out) == (1, "")
    assert "'obligation to family' is the name of a construct another reviewer added, which you do not see " \
           "while coding blind" in err
    # nor as the parent of a new construct of his
    code, _, err = run(capsys, "code", project, "--study", HEIST, "--start", 232, "--end", 300,
                       "--construct", "Duty to return", "--order", 1, "--parent", HERS, "--reviewer", "ben")
    assert code == 1 and f"{HERS!r} is the name of a construct another reviewer added" in err
    assert dump(project) == before

    # with --all-reviewers he may; it is part of his work from then on (her link stays hers)
    ok(capsys, "code", project, "--study", HEIST, "--start", 232, "--end", 300, "--construct", HERS,
       "--reviewer", "ben", "--all-reviewers")
    listed = {c["name"]: c for c in json.loads(ok(capsys, "constructs", project, "--reviewer", "ben", "--json"))}
    assert listed[HERS]["codings"] == 1 and listed[HERS]["links"] == []


def test_links_made_before_blind_coding_began_are_shared(small_project, capsys):
    p = small_project
    ok(capsys, "codebook", "load", p, CODEBOOK, "--reviewer", "alice")
    ok(capsys, "construct", "link", p, "Training quality and career opportunities", "interprets",
       "Family trumps finances", "--reviewer", "alice")
    with Project.open(p) as project:
        assert blind.began(project.db) is None
    ok(capsys, "code", p, "--study", HEIST, "--start", 0, "--end", 17, "--construct", "Pivotal experiences",
       "--reviewer", "alice")  # blind coding begins
    ok(capsys, "construct", "link", p, "Desire to improve Japanese clinical training", "interprets",
       "Family trumps finances", "--reviewer", "alice")
    seen = {c["name"]: [x["to"] for x in c["links"]]
            for c in json.loads(ok(capsys, "constructs", p, "--reviewer", "ben", "--json"))}
    assert seen["Training quality and career opportunities"] == ["Family trumps finances",
                                                                 "Reflections on personal development"]
    assert seen["Desire to improve Japanese clinical training"] == ["Wasted opportunity for knowledge transfer"]
    alice = {c["name"]: [x["to"] for x in c["links"]]
             for c in json.loads(ok(capsys, "constructs", p, "--reviewer", "alice", "--json"))}
    assert alice["Desire to improve Japanese clinical training"] == ["Family trumps finances",
                                                                     "Wasted opportunity for knowledge transfer"]


def test_unblinding_is_recorded_per_reviewer(small_project):
    with Project.open(small_project) as project:
        db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
        assert blind.unblinded_at(db, ben) is None and blind.view_changes(db) == []
        blind.record_view(db, ben, True)
        blind.record_view(db, ben, False)
        blind.record_view(db, ben, True)
        changes = blind.view_changes(db)
        assert [(c.reviewer, c.unblinded) for c in changes] == [("ben", True), ("ben", False), ("ben", True)]
        assert blind.unblinded_at(db, ben) == changes[0].at  # the first time counts
        assert blind.unblinded_at(db, alice) is None and blind.view_changes(db, alice) == []


def test_a_parent_ben_does_not_see_is_left_out_of_his_codings_and_matrix(project, capsys, tmp_path):
    ok(capsys, "construct", "move", project, "Pivotal experiences", "--parent", HERS, "--reviewer", "alice")
    ok(capsys, "code", project, "--study", HEIST, "--start", 232, "--end", 300, "--construct", "Pivotal experiences",
       "--reviewer", "ben")
    listed = json.loads(ok(capsys, "codings", project, "--reviewer", "ben", "--json"))
    assert [(c["construct"], c["parent"]) for c in listed] == [("Pivotal experiences", None)]
    listed = json.loads(ok(capsys, "codings", project, "--reviewer", "ben", "--all-reviewers", "--json"))
    assert [(c["construct"], c["parent"]) for c in listed] == [("Pivotal experiences", HERS)]
    out = tmp_path / "long.csv"
    ok(capsys, "export", "matrix", project, "--format", "csv", "--reviewer", "ben", "--out", out)
    assert HERS not in out.read_text(encoding="utf-8-sig")
    assert ",ben,2,Pivotal experiences,," in out.read_text(encoding="utf-8-sig")
