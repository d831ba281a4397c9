"""`workbench relate`, `synthesis` and `export synthesis` on the hand-made review: the hierarchy with
contributing studies, relations for the line of argument (undoable), the Markdown export exactly."""
import json

import pytest
from support import dump, run
from translation.review import ok


def test_relations_are_recorded_removed_and_undone(judged, capsys):
    assert ok(capsys, "relate", judged, "Career ambition", "leads-to", "Family first", "--note", "ambition pulls away",
              "--reviewer", "alice") == "related: Career ambition leads to Family first (ambition pulls away)\n"
    ok(capsys, "relate", judged, "Health system distrust", "contrasts with", "Career ambition", "--reviewer", "ben")
    out = json.loads(ok(capsys, "synthesis", judged, "--json"))
    assert out["relations"] == [
        {"from": "Career ambition", "kind": "leads_to", "to": "Family first", "note": "ambition pulls away"},
        {"from": "Health system distrust", "kind": "contrasts_with", "to": "Career ambition", "note": ""}]
    assert ok(capsys, "relate", judged, "Career ambition", "leads-to", "Family first", "--remove",
              "--reviewer", "alice") == "removed: Career ambition leads to Family first\n"
    assert ok(capsys, "undo", judged, "--reviewer", "alice").startswith(
        "undid unrelating 'Career ambition' leads to 'Family first'")
    assert len(json.loads(ok(capsys, "synthesis", judged, "--json"))["relations"]) == 2
    ok(capsys, "undo", judged, "--reviewer", "alice")
    assert len(json.loads(ok(capsys, "synthesis", judged, "--json"))["relations"]) == 1
    ok(capsys, "redo", judged, "--reviewer", "alice")
    assert len(json.loads(ok(capsys, "synthesis", judged, "--json"))["relations"]) == 2


@pytest.mark.parametrize("argv,message", [
    (["Pull of family", "leads-to", "Family first"],
     "'Pull of family' is not third-order: the line of argument relates the review's third-order constructs"),
    (["Family first", "leads-to", "Family first"], "'Family first' cannot be related to itself"),
    (["Family first", "causes", "Career ambition"], "a relation is leads-to, shapes, contrasts-with, not 'causes'"),
    (["Family first", "shapes", "Career ambition", "--remove"],
     "'Family first' does not shape 'Career ambition' in the synthesis: nothing to remove"),
])
def test_relate_refusals_change_nothing(judged, capsys, argv, message):
    before = dump(judged)
    code, out, err = run(capsys, "relate", judged, *argv, "--reviewer", "alice")
    assert (code, out, err) == (1, "", f"workbench: error: {message}\n")
    assert dump(judged) == before


def test_synthesis_json_hierarchy_with_contributing_studies(judged, capsys):
    out = json.loads(ok(capsys, "synthesis", judged, "--reviewer", "alice", "--json"))
    bell, ames, cole = ({"id": 2, "label": "Bell 2005"}, {"id": 1, "label": "Ames 2010"},
                        {"id": 3, "label": "Cole 2015"})
    assert out["groups"] == [
        {"overarching": "Personal growth", "contributing_studies": [bell, ames, cole], "concepts": [
            {"concept": "Career ambition", "contributing_studies": [ames, cole], "refuting_studies": [],
             "second_order": [{"construct": "Better training abroad", "studies": [ames, cole]},
                              {"construct": "Specialist posts", "studies": [cole]}], "relations": []},
            {"concept": "Family first", "contributing_studies": [bell, ames], "refuting_studies": [ames],
             "second_order": [{"construct": "Duty to parents", "studies": [bell, ames]},
                              {"construct": "Pull of family", "studies": [bell, ames]}], "relations": []}]},
        {"overarching": None, "contributing_studies": [bell], "concepts": [
            {"concept": "Health system distrust", "contributing_studies": [bell], "refuting_studies": [],
             "second_order": [], "relations": []}]}]


EXPECTED = """\
# Hand-made review

## Personal growth

Contributing studies (3): Bell 2005, Ames 2010, Cole 2015

### Career ambition

- Contributing studies (2): Ames 2010, Cole 2015
- Refuting studies (0): none
- Second-order constructs: Better training abroad (Ames 2010, Cole 2015); Specialist posts (Cole 2015)
- Leads to: Family first (ambition &lt;pulls&gt; away)

### Family first

- Contributing studies (2): Bell 2005, Ames 2010
- Refuting studies (1): Ames 2010
- Second-order constructs: Duty to parents (Bell 2005, Ames 2010); Pull of family (Bell 2005, Ames 2010)

## Not under an overarching construct

Contributing studies (1): Bell 2005

### Health system distrust

- Contributing studies (1): Bell 2005
- Refuting studies (0): none
- Second-order constructs: none

## Line of argument

- Career ambition leads to Family first: ambition &lt;pulls&gt; away
"""


def test_export_synthesis_markdown(judged, tmp_path, capsys):
    ok(capsys, "relate", judged, "Career ambition", "leads-to", "Family first", "--note", "ambition <pulls> away",
       "--reviewer", "alice")
    out = ok(capsys, "export", "synthesis", judged, "--out", tmp_path / "s.md", "--reviewer", "alice")
    assert out == f"wrote the synthesis of 3 concepts to {tmp_path / 's.md'}\n"
    assert (tmp_path / "s.md").read_text(encoding="utf-8") == EXPECTED


def test_export_synthesis_carries_the_narrative_of_the_project_memo(judged, tmp_path, capsys):
    ok(capsys, "memo", "set", judged, "--project", "--reviewer", "alice", "--text",
       "Ambition takes doctors abroad;\nfamily brings them home.")
    ok(capsys, "memo", "set", judged, "--project", "--reviewer", "ben", "--text", "Ben's own reading.")
    ok(capsys, "export", "synthesis", judged, "--out", tmp_path / "s.md", "--reviewer", "alice")
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert text.endswith("## Line of argument\n\nNo relations between third-order constructs yet.\n\n"
                         "### Narrative (alice)\n\nAmbition takes doctors abroad;\nfamily brings them home.\n")
    ok(capsys, "export", "synthesis", judged, "--out", tmp_path / "all.md")
    assert (tmp_path / "all.md").read_text(encoding="utf-8").endswith(
        "family brings them home.\n\n### Narrative (ben)\n\nBen's own reading.\n")
