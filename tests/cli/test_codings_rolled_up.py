"""`workbench codings --construct NAME`, the CLI twin of the constructs tree's `j` (issue 11,
item 3): the spans of a construct and of every construct under it or linked to it, each with how it
is reached; on the worked-example demo, expected rows written from its codings file by hand."""
import json
import shutil

import pytest
from support import DEMO, run

SOCIAL = "Social and cultural connection to home countries"


@pytest.fixture
def demo(tmp_path, capsys):
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("project.db*"))
    code, _, err = run(capsys, "build", root)
    assert code == 0, err
    return root


def test_a_third_order_construct_lists_the_spans_of_the_constructs_that_interpret_it(demo, capsys):
    code, out, err = run(capsys, "codings", demo, "--construct", SOCIAL.lower(), "--json")
    assert code == 0, err
    found = [(c["year"], c["construct"], c["quote"][:12], c["reached"]) for c in json.loads(out)]
    links = "via 'Sentimental and material links with the homeland' (interprets)"
    ties = "via 'Professional ties with the country of origin'"
    assert found == [  # study order (Frehywot 2019 before the review, 2025), then offset
        (2019, "Sentimental and material links with the homeland", "maintain str", links),
        (2019, "Sentimental and material links with the homeland", "maintaining ", links),
        (2019, "Professional ties with the country of origin", "Almost all m", f"{ties} (interprets)"),
        (2019, "Indebted and obliged to help", "felt indebte", f"{ties} (interprets, supports)"),
        (2019, "Indebted and obliged to help", "felt obliged", f"{ties} (interprets, supports)"),
        (2025, SOCIAL, "social and c", "coded"),
        (2025, "Family trumps finances", "family trump", "via 'Family trumps finances' (under)"),
        (2025, SOCIAL, "与祖国的社会文化联系", "coded"),
        (2025, "Family trumps finances", "回国原因中家庭因素胜过经", "via 'Family trumps finances' (under)"),
    ]
    assert json.loads(out)[3]["chain"] == (f"{SOCIAL} ← Professional ties with the country of origin ← "
                                           "Indebted and obliged to help")


def test_blind_and_by_study_and_a_misspelt_name(demo, capsys):
    code, out, _ = run(capsys, "codings", demo, "--construct", SOCIAL, "--reviewer", "alice", "--json")
    assert (code, json.loads(out)) == (0, [])  # alice coded none of it
    code, out, _ = run(capsys, "codings", demo, "--construct", SOCIAL, "--study", "1")
    assert code == 0 and [line.split()[-1] for line in out.splitlines()] == ["coded", "(under)", "coded", "(under)"]
    code, _, err = run(capsys, "codings", demo, "--construct", "Social and cultural connectio")
    assert code == 1
    assert err.strip() == (f"workbench: error: no construct called 'Social and cultural connectio'; did you mean '{SOCIAL}'?")
