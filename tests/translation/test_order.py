"""`workbench order`: the study order of the translation, stored with its reason, shown, undone; it
wins over project.yaml once set, and the study list, the grid's columns and exports follow it."""
import json

import pytest
from support import dump, run
from translation.review import AMES, BELL, COLE, ok


def order(capsys, root):
    out = json.loads(ok(capsys, "order", root, "--json"))
    return out["rule"], out["source"], out["reason"], [s["id"] for s in out["studies"]]


def test_default_then_index_then_by_hand_with_undo_and_redo(review, capsys):
    assert order(capsys, review) == ("chronological", "default", "", [BELL, AMES, COLE])
    out = ok(capsys, "order", review, "--index", "Gamma", "--reason", "the richest account", "--reviewer", "alice")
    lines = out.splitlines()
    assert lines[0].startswith("study order: index paper first (set by alice, ")
    assert lines[1:] == ["reason: the richest account",
                         "   1  Cole 2015                 Gamma: training abroad  (index paper)",
                         "   2  Bell 2005                 Beta: coming home",
                         "   3  Ames 2010                 Alpha: why doctors return"]
    assert order(capsys, review) == ("index", "stored", "the richest account", [COLE, BELL, AMES])

    ok(capsys, "order", review, "--move", AMES, "--to", 2, "--reviewer", "ben")
    # a hand order made from the index order; no --reason: none carried over from another rule
    assert order(capsys, review) == ("hand", "stored", "", [COLE, AMES, BELL])
    ok(capsys, "order", review, "--move", BELL, "--to", 1, "--reason", "oldest first after all", "--reviewer", "ben")
    ok(capsys, "order", review, "--move", COLE, "--to", 3, "--reviewer", "ben")
    assert order(capsys, review) == ("hand", "stored", "oldest first after all", [BELL, AMES, COLE])

    # the study list, the grid and the matrix export follow the stored order
    assert [s["id"] for s in json.loads(ok(capsys, "studies", review, "--json"))] == [BELL, AMES, COLE]
    assert [s["id"] for s in json.loads(ok(capsys, "grid", review, "--json"))["studies"]] == [BELL, AMES, COLE]

    assert ok(capsys, "undo", review, "--reviewer", "ben").startswith("undid setting the study order: set by hand")
    assert order(capsys, review)[3] == [BELL, COLE, AMES]
    ok(capsys, "undo", review, "--reviewer", "ben")
    ok(capsys, "undo", review, "--reviewer", "ben")
    assert order(capsys, review) == ("index", "stored", "the richest account", [COLE, BELL, AMES])
    # alice's undo of her index order is refused while ben's order stands on it... once ben has undone his, it goes
    ok(capsys, "redo", review, "--reviewer", "ben")
    before = dump(review)
    code, _, err = run(capsys, "undo", review, "--reviewer", "alice")
    assert (code, err) == (1, "workbench: error: cannot undo setting the study order: Cole 2015 as index paper "
                              "first: the study order was changed since by ben\n")
    assert dump(review) == before
    ok(capsys, "undo", review, "--reviewer", "ben")
    ok(capsys, "undo", review, "--reviewer", "alice")
    assert order(capsys, review) == ("chronological", "default", "", [BELL, AMES, COLE])


def test_the_stored_order_wins_over_project_yaml(review, capsys):
    settings = review / "project.yaml"
    text = settings.read_text(encoding="utf-8").replace("study_order: chronological", "study_order: index-first")
    settings.write_text(text + "index_study: Alpha\n", encoding="utf-8")
    assert order(capsys, review) == ("index-first", "project.yaml", "", [AMES, BELL, COLE])
    assert [s["id"] for s in json.loads(ok(capsys, "studies", review, "--json"))] == [AMES, BELL, COLE]
    ok(capsys, "order", review, "--chronological", "--reason", "the studies span 10 years", "--reviewer", "alice")
    assert order(capsys, review) == ("chronological", "stored", "the studies span 10 years", [BELL, AMES, COLE])
    assert [s["id"] for s in json.loads(ok(capsys, "studies", review, "--json"))] == [BELL, AMES, COLE]


def test_a_study_imported_after_a_hand_order_comes_after_it(review, tmp_path, capsys):
    ok(capsys, "order", review, "--move", COLE, "--to", 1, "--reviewer", "alice")
    (tmp_path / "d.txt").write_text("Doctors went home.", encoding="utf-8")
    ok(capsys, "import", review, tmp_path / "d.txt", "--year", "1999", "--title", "Delta", "--quiet")
    assert order(capsys, review)[3] == [COLE, BELL, AMES, 4]


@pytest.mark.parametrize("argv,message", [
    (["--move", "1", "--to", "4", "--reviewer", "alice"],
     "a study moves to a place from 1 to 3 (the review has 3 studies), not 4"),
    (["--move", "1", "--to", "0", "--reviewer", "alice"],
     "a study moves to a place from 1 to 3 (the review has 3 studies), not 0"),
    (["--move", "1", "--reviewer", "alice"], "--move STUDY needs --to N, the place to move it to (1 is first)"),
    (["--to", "2", "--reviewer", "alice"], "--to goes with --move STUDY: the study to move there"),
    (["--reason", "why", "--reviewer", "alice"],
     "--reason goes with --chronological, --index or --move: the order it explains"),
    (["--chronological"], "changing the study order needs --reviewer NAME (who set it, and whose undo it is)"),
    (["--index", "Omega", "--reviewer", "alice"],
     "no study matches 'Omega': give its id (see `workbench studies`), DOI or a unique title start"),
    (["--move", "1", "--to", "-1", "--reviewer", "alice"], "--to takes a whole number from 0 to 9223372036854775807, not '-1'"),
])
def test_order_refusals_change_nothing(review, capsys, argv, message):
    before = dump(review)
    code, out, err = run(capsys, "order", review, *argv)
    assert (code, out, err) == (1, "", f"workbench: error: {message}\n")
    assert dump(review) == before


def test_the_wide_matrix_lists_studies_in_the_stored_order(review, tmp_path, capsys):
    ok(capsys, "order", review, "--index", AMES, "--reviewer", "alice")
    ok(capsys, "export", "matrix", review, "--wide", "--format", "csv", "--out", tmp_path / "m.csv")
    lines = (tmp_path / "m.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == [str(AMES), str(BELL), str(COLE)]
