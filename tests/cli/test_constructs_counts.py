"""The per-reviewer counts the constructs tree shows are reachable from the command line."""
import json

from support import run


def test_constructs_json_counts_live_codings_per_reviewer(small_project, capsys):
    for reviewer, start, end in (("alice", 0, 18), ("ben", 0, 18), ("ben", 20, 40)):
        # ben codes with the construct alice made while coding: not blind (--all-reviewers)
        code, _, err = run(capsys, "code", small_project, "--study", 1, "--start", start, "--end", end,
                           "--construct", "Pivotal", "--order", 2, "--reviewer", reviewer, "--all-reviewers")
        assert code == 0, err
    code, out, err = run(capsys, "code", small_project, "--study", 2, "--start", 0, "--end", 5, "--construct",
                         "Family", "--order", 3, "--reviewer", "alice", "--json")
    assert run(capsys, "uncode", small_project, "--coding", json.loads(out)["id"], "--reviewer", "alice")[0] == 0
    found = {c["name"]: (c["codings"], c["by_reviewer"])
             for c in json.loads(run(capsys, "constructs", small_project, "--json")[1])}
    assert found == {"Pivotal": (3, {"alice": 1, "ben": 2}), "Family": (0, {})}
    mine = {c["name"]: (c["codings"], c["by_reviewer"])
            for c in json.loads(run(capsys, "constructs", small_project, "--reviewer", "ben", "--json")[1])}
    assert mine["Pivotal"] == (2, {"ben": 2})  # one reviewer asked for: only theirs
