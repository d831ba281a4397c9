"""The translation grid of the hand-made review (conftest.py), written out by hand and compared cell
by cell: through the store's model and through `workbench grid --json`."""
import json

from support import run

from translation.review import AMES, BELL, COLE, ok

from workbench.store.project import Project
from workbench.store.translation import load_grid

# Rows in their groups; per cell (Bell 2005, Ames 2010, Cole 2015): the second-order constructs,
# first-order codings, codings of the concept itself, alice's judgement. Worked out by hand:
# - Family first in Ames: only "parents getting old" is coded, and it supports both second-order
#   constructs of the concept, so both are expressed there; its one coding counts once.
# - Career ambition in Ames: "no posts at home" sits under "Better training abroad" (hierarchy, no link).
# - Career ambition in Cole: "Specialist posts" sits under "Better training abroad", and is reached too.
# - Family first in Cole: only ben coded there, so alice's blind grid shows nothing.
ALICE = [
    ("Personal growth", "Career ambition", [
        ((), 0, 0, None),
        (("Better training abroad",), 1, 0, None),
        (("Better training abroad", "Specialist posts"), 0, 0, None)],
     {"contributing": 2, "refuting": 0, "not_addressed": 0, "unjudged": 3}),
    ("Personal growth", "Family first", [
        (("Duty to parents", "Pull of family"), 3, 0, ("reciprocal", "same pull of family")),
        (("Duty to parents", "Pull of family"), 1, 0, ("refutational", "family pushed them away")),
        ((), 0, 0, None)],
     {"contributing": 2, "refuting": 1, "not_addressed": 0, "unjudged": 1}),
    (None, "Health system distrust", [
        ((), 0, 1, None),
        ((), 0, 0, None),
        ((), 0, 0, ("not_addressed", ""))],
     {"contributing": 1, "refuting": 0, "not_addressed": 1, "unjudged": 2}),
]


def as_table(grid):
    out = []
    for row in grid.rows:
        cells = []
        for cell in row.cells:
            judged = [(j.kind, j.note) for j in cell.judgements]
            assert len(judged) <= 1
            cells.append((tuple(n.name for n in cell.second_order), cell.first_order_codings, cell.concept_codings,
                          judged[0] if judged else None))
        s = row.summary
        out.append((row.group.name if row.group else None, row.concept.name, cells,
                    {"contributing": s.contributing, "refuting": s.refuting, "not_addressed": s.not_addressed,
                     "unjudged": s.unjudged}))
    return out


def test_alice_grid_cell_by_cell(judged):
    with Project.open(judged) as project:
        grid = load_grid(project.db, project.reviewer_id("alice"))
    assert [c.label for c in grid.columns] == ["Bell 2005", "Ames 2010", "Cole 2015"]
    assert [c.id for c in grid.columns] == [BELL, AMES, COLE]
    assert grid.concept_order == 3
    assert [(g.name if g else None, [r.concept.name for r in rows]) for g, rows in grid.groups()] == [
        ("Personal growth", ["Career ambition", "Family first"]), (None, ["Health system distrust"])]
    got = as_table(grid)
    for want_row, got_row in zip(ALICE, got):
        assert got_row[:2] == want_row[:2]
        for column, want_cell, got_cell in zip(("Bell", "Ames", "Cole"), want_row[2], got_row[2]):
            assert got_cell == want_cell, f"{want_row[1]} x {column}"
        assert got_row[3] == want_row[3], want_row[1]
    assert len(got) == len(ALICE)


def test_grid_json_of_every_reviewer(judged, capsys):
    out = json.loads(ok(capsys, "grid", judged, "--json"))
    assert out["reviewer"] is None
    assert out["studies"] == [{"id": 2, "label": "Bell 2005", "year": 2005}, {"id": 1, "label": "Ames 2010", "year": 2010},
                              {"id": 3, "label": "Cole 2015", "year": 2015}]
    family = next(r for r in out["rows"] if r["concept"] == "Family first")
    assert family["overarching"] == "Personal growth"
    assert family["cells"] == [
        {"study": 2, "second_order": ["Duty to parents", "Pull of family"], "first_order_codings": 3,
         "concept_codings": 0, "judgements": [
             {"reviewer": "alice", "kind": "reciprocal", "note": "same pull of family"},
             {"reviewer": "ben", "kind": "line_of_argument", "note": "adds duty"}]},
        {"study": 1, "second_order": ["Duty to parents", "Pull of family"], "first_order_codings": 1,
         "concept_codings": 0, "judgements": [
             {"reviewer": "alice", "kind": "refutational", "note": "family pushed them away"}]},
        # ben's coding of "Pull of family" in Cole shows once every reviewer's work is shown
        {"study": 3, "second_order": ["Pull of family"], "first_order_codings": 0, "concept_codings": 0,
         "judgements": []}]
    assert family["summary"] == {"contributing": 3, "refuting": 1, "not_addressed": 0, "unjudged": 1}


def test_grid_is_blind_for_ben(judged, capsys):
    out = json.loads(ok(capsys, "grid", judged, "--reviewer", "ben", "--json"))
    assert out["reviewer"] == "ben"
    family = next(r for r in out["rows"] if r["concept"] == "Family first")
    assert [(c["study"], c["second_order"], c["first_order_codings"], c["judgements"]) for c in family["cells"]] == [
        (2, [], 0, [{"reviewer": "ben", "kind": "line_of_argument", "note": "adds duty"}]),
        (1, [], 0, []),
        (3, ["Pull of family"], 0, [])]
    # --all-reviewers with a name shows everybody's, as v does on the screen
    out = json.loads(ok(capsys, "grid", judged, "--reviewer", "ben", "--all-reviewers", "--json"))
    family = next(r for r in out["rows"] if r["concept"] == "Family first")
    assert len(family["cells"][0]["judgements"]) == 2


def test_filters(judged, capsys):
    def concepts(*extra):
        out = json.loads(ok(capsys, "grid", judged, "--reviewer", "alice", "--json", *extra))
        return [(r["concept"], [c["study"] for c in r["cells"]]) for r in out["rows"]]

    assert concepts("--overarching", "Personal growth") == [("Career ambition", [2, 1, 3]), ("Family first", [2, 1, 3])]
    assert concepts("--refuted") == [("Family first", [2, 1, 3])]
    # only unjudged cells: Family first keeps Cole only; Health system distrust keeps Bell and Ames
    assert concepts("--unjudged") == [("Career ambition", [2, 1, 3]), ("Family first", [3]),
                                      ("Health system distrust", [2, 1])]
    assert concepts("--overarching", "Personal growth", "--refuted") == [("Family first", [2, 1, 3])]
    code, out, err = run(capsys, "grid", judged, "--overarching", "Pull of family")
    assert (code, out, err) == (1, "", "workbench: error: 'Pull of family' is second-order: filter by an overarching "
                                       "construct of the grid ('Personal growth')\n")


def test_grid_text_for_a_person(judged, capsys):
    out = ok(capsys, "grid", judged, "--reviewer", "alice")
    lines = out.splitlines()
    assert lines[0] == "3 concepts (third-order) x 3 studies in study order"
    assert lines[1] == "== Personal growth"
    assert "Family first  contributing 2 · refuting 1 · not addressed 0 · not judged 1" in lines
    assert any(l.split() == ["Ames", "2010", "Duty", "to", "parents;", "Pull", "of", "family", "1", "first-order,",
                             "0", "of", "the", "concept", "alice:", "refutational", "(family", "pushed", "them",
                             "away)"] for l in lines)


def test_second_order_rows_while_no_third_order_construct_exists(tmp_path, capsys):
    root = tmp_path / "r"
    ok(capsys, "init", root, "--reviewer", "alice")
    (tmp_path / "s.txt").write_text("Family came first. I missed my mother.", encoding="utf-8")
    ok(capsys, "import", root, tmp_path / "s.txt", "--year", "2001", "--authors", "Dunn, Di", "--title", "Delta")
    ok(capsys, "code", root, "--study", 1, "--start", 0, "--end", 18, "--construct", "Family", "--order", 2,
       "--reviewer", "alice")
    ok(capsys, "code", root, "--study", 1, "--start", 19, "--end", 38, "--construct", "missed mother", "--order", 1,
       "--parent", "Family", "--reviewer", "alice")
    out = json.loads(ok(capsys, "grid", root, "--json"))
    assert out["concept_order"] == 2
    assert [(r["concept"], r["overarching"], r["cells"]) for r in out["rows"]] == [
        ("Family", None, [{"study": 1, "second_order": [], "first_order_codings": 1, "concept_codings": 1,
                           "judgements": []}])]
