"""The grid is blind like the rest (issue 10's rule, issue 11's grid): a reviewer coding blind does
not see, as a row or as a study's construct, what another reviewer added while coding."""
import json

from support import run


def grid(capsys, project, *who) -> dict:
    code, out, err = run(capsys, "grid", project, *who, "--json")
    assert code == 0, err
    return json.loads(out)


def concepts(g: dict) -> list[str]:
    return [row["concept"] for row in g["rows"]]


def test_alices_third_order_construct_is_no_row_of_bens_grid_until_all_reviewers(small_project, capsys):
    for reviewer, construct in (("ben", "Family first"), ("alice", "Homecoming as a turning point")):
        code, _, err = run(capsys, "code", small_project, "--study", 1, "--start", 0, "--end", 20,
                           "--construct", construct, "--order", 3, "--reviewer", reviewer)
        assert code == 0, err
    assert concepts(grid(capsys, small_project, "--reviewer", "ben")) == ["Family first"]
    assert concepts(grid(capsys, small_project, "--reviewer", "alice")) == ["Homecoming as a turning point"]
    assert sorted(concepts(grid(capsys, small_project, "--reviewer", "ben", "--all-reviewers"))) == [
        "Family first", "Homecoming as a turning point"]
