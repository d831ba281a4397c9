"""The translation view's commands as a reviewer types them: translate (and --clear, undo, redo),
concepts, export grid (exact files), and the refusals, each leaving the database as it was."""
import json

import pytest
from support import dump, run
from translation.review import AMES, BELL, COLE, ok


def test_translate_records_changes_clears_and_undoes(review, capsys):
    out = ok(capsys, "translate", review, "--concept", "Family first", "--study", BELL, "--as", "reciprocal",
             "--note", "same pull", "--reviewer", "alice")
    assert out == "alice: Bell 2005 is reciprocal for 'Family first' (same pull)\n"
    out = ok(capsys, "translate", review, "--concept", "family first", "--study", BELL, "--as", "line of argument",
             "--reviewer", "alice", "--json")
    assert json.loads(out) == {"concept": "Family first", "study": BELL, "reviewer": "alice",
                               "kind": "line_of_argument", "note": "", "cleared": False}

    def cell():
        grid = json.loads(ok(capsys, "grid", review, "--reviewer", "alice", "--json"))
        family = next(r for r in grid["rows"] if r["concept"] == "Family first")
        return family["cells"][0]["judgements"]

    assert cell() == [{"reviewer": "alice", "kind": "line_of_argument", "note": ""}]
    assert ok(capsys, "undo", review, "--reviewer", "alice") == (
        "undid judging Bell 2005 for 'Family first' line of argument\n")
    assert cell() == [{"reviewer": "alice", "kind": "reciprocal", "note": "same pull"}]
    ok(capsys, "redo", review, "--reviewer", "alice")
    assert cell() == [{"reviewer": "alice", "kind": "line_of_argument", "note": ""}]

    out = ok(capsys, "translate", review, "--concept", "Family first", "--study", BELL, "--clear", "--reviewer", "alice")
    assert out == "cleared alice's judgement of Bell 2005 for 'Family first' (was line of argument)\n"
    assert cell() == []
    assert ok(capsys, "undo", review, "--reviewer", "alice").startswith(
        "undid clearing the judgement of Bell 2005 for 'Family first'")
    assert cell() == [{"reviewer": "alice", "kind": "line_of_argument", "note": ""}]
    ok(capsys, "redo", review, "--reviewer", "alice")
    assert cell() == []
    # ben's undo takes back ben's own last change (his coding), not alice's judgement
    ok(capsys, "translate", review, "--concept", "Family first", "--study", BELL, "--as", "reciprocal",
       "--reviewer", "alice")
    assert ok(capsys, "undo", review, "--reviewer", "ben").startswith("undid your coding ")
    assert cell() == [{"reviewer": "alice", "kind": "reciprocal", "note": ""}]


def test_undo_is_refused_when_another_change_came_since(review, capsys):
    ok(capsys, "translate", review, "--concept", "Family first", "--study", BELL, "--as", "reciprocal",
       "--reviewer", "alice")
    ok(capsys, "translate", review, "--concept", "Family first", "--study", AMES, "--as", "reciprocal",
       "--reviewer", "alice")
    ok(capsys, "undo", review, "--reviewer", "alice")
    ok(capsys, "undo", review, "--reviewer", "alice")
    assert json.loads(ok(capsys, "grid", review, "--json"))["rows"][1]["summary"]["unjudged"] == 3


@pytest.mark.parametrize("argv,message", [
    (["--concept", "missed my mother", "--study", "1", "--as", "reciprocal"],
     "'missed my mother' is first-order: a translation is judged for the review's concepts, its third-order "
     "constructs"),
    (["--concept", "Pull of family", "--study", "1", "--as", "reciprocal"],
     "'Pull of family' is second-order: a translation is judged for the review's concepts, its third-order "
     "constructs"),
    (["--concept", "Personal growth", "--study", "1", "--as", "reciprocal"],
     "'Personal growth' is an overarching construct ('Career ambition', 'Family first' sit under it): judge the "
     "constructs under it"),
    (["--concept", "Family first", "--study", "1", "--as", "agrees"],
     "a translation is reciprocal, refutational, line-of-argument, not-addressed, not 'agrees'"),
    (["--concept", "Family first", "--study", "1", "--clear"],
     "alice has not judged Ames 2010 for 'Family first': nothing to clear"),
    (["--concept", "Family first", "--study", "1"], "give --as KIND to record a judgement, or --clear to take yours back"),
    (["--concept", "Family first", "--study", "1", "--as", "reciprocal", "--clear"],
     "give --as KIND to record a judgement, or --clear to take yours back"),
    (["--concept", "Family first", "--study", "9", "--as", "reciprocal"],
     "no study matches '9': give its id (see `workbench studies`), DOI or a unique title start"),
    (["--concept", "Family frist", "--study", "1", "--as", "reciprocal"],
     "no construct called 'Family frist'; did you mean 'Family first'?"),
])
def test_translate_refusals_change_nothing(review, capsys, argv, message):
    before = dump(review)
    code, out, err = run(capsys, "translate", review, *argv, "--reviewer", "alice")
    assert (code, out, err) == (1, "", f"workbench: error: {message}\n")
    assert dump(review) == before


def test_the_same_judgement_twice_is_refused(review, capsys):
    ok(capsys, "translate", review, "--concept", "Family first", "--study", COLE, "--as", "refutational",
       "--note", "n", "--reviewer", "alice")
    before = dump(review)
    code, _, err = run(capsys, "translate", review, "--concept", "Family first", "--study", COLE, "--as",
                       "refutational", "--note", "n", "--reviewer", "alice")
    assert (code, err) == (1, "workbench: error: alice has judged Cole 2015 refutational for 'Family first' "
                              "already, with that note\n")
    assert dump(review) == before


def test_a_judged_concept_cannot_be_deleted_or_merged_away(judged, capsys):
    before = dump(judged)
    code, _, err = run(capsys, "construct", "delete", judged, "Family first", "--reviewer", "alice", "--yes")
    assert code == 1
    assert err == ("workbench: error: cannot delete 'Family first': the translation grid records 3 translation "
                   "judgement(s) of 2 reviewer(s) (`workbench translate --clear` takes one back) for it; take them "
                   "back first\n")
    code, _, err = run(capsys, "construct", "merge", judged, "Family first", "Career ambition", "--reviewer", "alice")
    assert code == 1 and err.startswith("workbench: error: cannot merge 'Family first': the translation grid records")
    assert dump(judged) == before


def test_concepts_juxtapose_each_study(review, capsys):
    out = json.loads(ok(capsys, "concepts", review, "--study", AMES, "--reviewer", "alice", "--json"))
    for entry in out[0]["second_order"] + out[0]["loose_first_order"]:
        for c in [entry, *entry.get("first_order", [])]:
            del c["id"]
    assert out == [{
        "study": {"id": 1, "label": "Ames 2010", "year": 2010},
        "second_order": [
            {"construct": "Better training abroad", "codings": 0, "first_order_codings": 1,
             "first_order": [{"construct": "no posts at home", "codings": 1}]},
            {"construct": "Duty to parents", "codings": 0, "first_order_codings": 1,
             "first_order": [{"construct": "parents getting old", "codings": 1}]},
            {"construct": "Pull of family", "codings": 0, "first_order_codings": 1,
             "first_order": [{"construct": "parents getting old", "codings": 1}]}],
        "loose_first_order": [{"construct": "stray quote", "codings": 1}]}]
    out = ok(capsys, "concepts", review, "--reviewer", "alice")
    assert out == (
        "Bell 2005  (study 2)\n"
        "  Duty to parents  0 codings; 1 first-order coding under it\n"
        "      parents getting old  1\n"
        "  Pull of family  1 coding; 3 first-order codings under it\n"
        "      missed my mother  2\n"
        "      parents getting old  1\n"
        "Ames 2010  (study 1)\n"
        "  Better training abroad  0 codings; 1 first-order coding under it\n"
        "      no posts at home  1\n"
        "  Duty to parents  0 codings; 1 first-order coding under it\n"
        "      parents getting old  1\n"
        "  Pull of family  0 codings; 1 first-order coding under it\n"
        "      parents getting old  1\n"
        "  first-order, under no second-order construct:\n"
        "      stray quote  1\n"
        "Cole 2015  (study 3)\n"
        "  Better training abroad  1 coding; 0 first-order codings under it\n"
        "  Specialist posts  1 coding; 0 first-order codings under it\n")
    # ben sees his own coding only
    out = json.loads(ok(capsys, "concepts", review, "--reviewer", "ben", "--json"))
    assert [(s["study"]["label"], [e["construct"] for e in s["second_order"]]) for s in out] == [
        ("Bell 2005", []), ("Ames 2010", []), ("Cole 2015", ["Pull of family"])]


EXPECTED_MD = (
    "| overarching | concept | Bell 2005 | Ames 2010 | Cole 2015 | contributing | refuting | not judged |\n"
    "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    "| Personal growth | Career ambition |  | Better training abroad<br>“There were no posts at home for me.” | "
    "Better training abroad; Specialist posts | 2 | 0 | 3 |\n"
    "| Personal growth | Family first | Duty to parents; Pull of family<br>“I missed my mother”; “I missed my mother”; "
    "“My parents were getting old.”<br>reciprocal: same pull of family | Duty to parents; Pull of family<br>"
    "“My parents are getting old”<br>refutational: family pushed them away |  | 2 | 1 | 1 |\n"
    "|  | Health system distrust | “The health service could not be trusted.” |  | not addressed | 1 | 0 | 2 |\n")

EXPECTED_CSV = (
    "\ufeffoverarching,concept,Bell 2005,Ames 2010,Cole 2015,contributing,refuting,not judged\r\n"
    "Personal growth,Career ambition,,\"Better training abroad\n“There were no posts at home for me.”\","
    "Better training abroad; Specialist posts,2,0,3\r\n"
    "Personal growth,Family first,\"Duty to parents; Pull of family\n“I missed my mother”; “I missed my mother”; "
    "“My parents were getting old.”\nreciprocal: same pull of family\",\"Duty to parents; Pull of family\n"
    "“My parents are getting old”\nrefutational: family pushed them away\",,2,1,1\r\n"
    ",Health system distrust,“The health service could not be trusted.”,,not addressed,1,0,2\r\n")


def test_export_grid_markdown_and_csv(judged, tmp_path, capsys):
    out = ok(capsys, "export", "grid", judged, "--format", "md", "--out", tmp_path / "grid.md", "--reviewer", "alice")
    assert out == f"wrote 3 concept rows to {tmp_path / 'grid.md'}\n"
    assert (tmp_path / "grid.md").read_text(encoding="utf-8") == EXPECTED_MD
    ok(capsys, "export", "grid", judged, "--format", "csv", "--out", tmp_path / "grid.csv", "--reviewer", "alice")
    assert (tmp_path / "grid.csv").read_bytes().decode("utf-8") == EXPECTED_CSV


def test_export_grid_of_every_reviewer_names_them(judged, tmp_path, capsys):
    ok(capsys, "export", "grid", judged, "--format", "md", "--out", tmp_path / "grid.md")
    family = (tmp_path / "grid.md").read_text(encoding="utf-8").splitlines()[3]
    assert family.split(" | ")[2] == (
        "Duty to parents; Pull of family<br>“I missed my mother”; “I missed my mother”; “My parents were getting "
        "old.”<br>alice: reciprocal: same pull of family; ben: line of argument: adds duty")
    # a cell of second-order evidence only names the construct: quote references are first-order quotes
    assert family.split(" | ")[4] == "Pull of family"


def test_undoing_a_codebook_load_is_refused_while_its_concept_is_judged(tmp_path, capsys):
    root = tmp_path / "r"
    ok(capsys, "init", root, "--reviewer", "alice", "--reviewer", "ben")
    (tmp_path / "s.txt").write_text("Doctors went home.", encoding="utf-8")
    ok(capsys, "import", root, tmp_path / "s.txt", "--year", "2001", "--title", "Delta", "--quiet")
    (tmp_path / "cb.yaml").write_text("format: 1\ntitle: T\nconstructs:\n  - name: Going home\n    order: 3\n", encoding="utf-8")
    ok(capsys, "codebook", "load", root, tmp_path / "cb.yaml", "--reviewer", "alice")
    ok(capsys, "translate", root, "--concept", "Going home", "--study", 1, "--as", "not-addressed", "--reviewer", "ben")
    before = dump(root)
    code, _, err = run(capsys, "undo", root, "--reviewer", "alice")
    assert code == 1
    assert "'Going home' has 1 translation judgement(s) and 0 synthesis relation(s) now" in err
    assert dump(root) == before
