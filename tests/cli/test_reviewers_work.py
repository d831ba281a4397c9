"""Issue 10 on the command line: each reviewer's work is theirs (the same rules as the screen),
``leads:`` in project.yaml checked, undo of a construct-making coding in one step, and messages
without internal ids. Refusals exit 1 and leave the database as it was."""
from __future__ import annotations

import json

import pytest
from support import dump, run


def refused(capsys, project, *argv) -> str:
    before = dump(project)
    code, out, err = run(capsys, *argv)
    assert code == 1, (out, err)
    assert dump(project) == before
    return err.removeprefix("workbench: error: ").strip()


def set_leads(project, line: str) -> None:
    path = project / "project.yaml"
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


@pytest.fixture
def shared(small_project, capsys):
    """ben made 'Family over finances' with a coding; alice coded with it twice; ben's 'Wasted skills'."""
    p = small_project
    for start, end, construct, reviewer in [(0, 7, "Family over finances", "ben"), (8, 17, "Family over finances",
                                                                                     "alice"),
                                            (19, 30, "Family over finances", "alice"),
                                            (40, 50, "Wasted skills", "ben")]:
        code, _, err = run(capsys, "code", p, "--study", 1, "--start", start, "--end", end, "--construct", construct,
                           "--order", 3, "--reviewer", reviewer, "--all-reviewers")  # not blind: shared work
        assert code == 0, err
    return p


NOT_A_LEAD = ("'Family over finances' is used by alice (2 codings): {doing} it would change their work, which only "
              "a project lead (leads: in project.yaml) may do; ask a lead, or leave it to them")


def test_ben_cannot_restructure_a_construct_alice_coded(shared, capsys):
    p = shared
    assert refused(capsys, p, "construct", "delete", p, "Family over finances", "--remove-codings", "--yes",
                   "--reviewer", "ben") == NOT_A_LEAD.format(doing="deleting")
    assert refused(capsys, p, "construct", "merge", p, "Family over finances", "Wasted skills",
                   "--reviewer", "ben") == NOT_A_LEAD.format(doing="merging")
    assert refused(capsys, p, "construct", "rename", p, "Family over finances", "Family first",
                   "--reviewer", "ben") == NOT_A_LEAD.format(doing="renaming")
    assert refused(capsys, p, "construct", "move", p, "Family over finances", "--parent", "Wasted skills",
                   "--reviewer", "ben") == NOT_A_LEAD.format(doing="moving")
    assert refused(capsys, p, "construct", "order", p, "Family over finances", "2",
                   "--reviewer", "ben") == NOT_A_LEAD.format(doing="changing the order of")
    # --touching-others is a lead's word, not a key for anyone
    assert refused(capsys, p, "construct", "delete", p, "Family over finances", "--remove-codings", "--yes",
                   "--touching-others", "--reviewer", "ben") == NOT_A_LEAD.format(doing="deleting")
    # his own construct, which nobody else coded with, is his to change
    code, out, _ = run(capsys, "construct", "rename", p, "Wasted skills", "Skills wasted", "--reviewer", "ben")
    assert code == 0 and out == "renamed 'Wasted skills' to 'Skills wasted'\n"


def test_ben_cannot_remove_alices_coding(shared, capsys):
    p = shared
    assert refused(capsys, p, "uncode", p, "--coding", 2, "--reviewer", "ben") == (
        "alice's coding “migration” (Medical migration 2018) as 'Family over finances' is not yours: a reviewer "
        "removes only their own codings")
    with pytest.raises(SystemExit) as usage:  # who removes it must be said
        run(capsys, "uncode", p, "--coding", 2)
    assert usage.value.code == 2 and "--reviewer" in capsys.readouterr().err
    code, out, _ = run(capsys, "uncode", p, "--coding", 2, "--reviewer", "alice")
    assert code == 0 and out == "removed coding 2 ('migration'); it stays in the event log\n"


def test_a_lead_goes_ahead_only_with_touching_others(shared, capsys):
    p = shared
    set_leads(p, "leads: [ben]")
    assert refused(capsys, p, "construct", "delete", p, "Family over finances", "--remove-codings", "--yes",
                   "--reviewer", "ben") == (
        "'Family over finances' is used by alice (2 codings): deleting it would change their work; as a project "
        "lead, say that you mean to (--touching-others)")
    # without --yes: what would happen, naming whose work
    assert refused(capsys, p, "construct", "delete", p, "Family over finances", "--remove-codings",
                   "--touching-others", "--reviewer", "ben") == (
        "would delete 'Family over finances' (3 live codings marked removed, other reviewers' among them: alice "
        "(2 codings)); nothing was changed: run again with --yes")
    code, out, _ = run(capsys, "construct", "delete", p, "Family over finances", "--remove-codings", "--yes",
                       "--touching-others", "--reviewer", "ben")
    assert code == 0 and out == ("deleted 'Family over finances' (3 live codings marked removed, other reviewers' "
                                 "among them: alice (2 codings)); `workbench undo` puts it back\n")
    code, out, _ = run(capsys, "undo", p, "--reviewer", "ben")
    assert code == 0 and out == "undid deleting 'Family over finances' with 3 coding(s)\n"
    code, out, _ = run(capsys, "construct", "merge", p, "Family over finances", "Wasted skills", "--reviewer", "ben",
                       "--touching-others")
    assert code == 0 and out.splitlines()[1] == "  3 live codings moved (alice 2, ben 1)"


@pytest.mark.parametrize("line,message", [
    ("leads: [zed]", "leads names 'zed', not among the reviewers (alice, ben); a lead must be listed under "
                     "reviewers too"),
    ("leads: alice", "leads must be a list of reviewers' names (e.g. leads: [alice])"),
    ("leads: [alice, 3]", "leads must be a list of reviewers' names (e.g. leads: [alice])"),
])
def test_leads_are_checked(small_project, capsys, line, message):
    set_leads(small_project, line)
    code, _, err = run(capsys, "constructs", small_project)
    assert code == 1 and err == f"workbench: error: {small_project / 'project.yaml'}: {message}\n"


def test_undo_of_a_coding_that_made_its_construct_is_one_step(small_project, capsys):
    p = small_project
    code, out, _ = run(capsys, "code", p, "--study", 1, "--start", 0, "--end", 7, "--construct", "Homecoming",
                       "--order", 1, "--reviewer", "alice", "--json")
    assert code == 0 and json.loads(out)["construct_created"] is True
    after = dump(p)
    history = json.loads(run(capsys, "history", p, "--reviewer", "alice", "--json")[1])
    assert [(h["action"], h["description"]) for h in history] == [
        ("coding.add", "your coding “Medical” (Medical migration 2018) as new construct 'Homecoming'")]
    code, out, _ = run(capsys, "undo", p, "--reviewer", "alice")
    assert code == 0 and out == "undid your coding “Medical” (Medical migration 2018) as new construct 'Homecoming'\n"
    assert json.loads(run(capsys, "constructs", p, "--json")[1]) == []
    assert json.loads(run(capsys, "codings", p, "--json")[1]) == []
    assert refused(capsys, p, "undo", p, "--reviewer", "alice") == "nothing to undo for alice"
    code, out, _ = run(capsys, "redo", p, "--reviewer", "alice")
    assert code == 0 and out == "redid your coding “Medical” (Medical migration 2018) as new construct 'Homecoming'\n"
    redone = [line for line in dump(p).splitlines() if line.startswith(('INSERT INTO "construct"',
                                                                       'INSERT INTO "coding"'))]
    assert redone == [line for line in after.splitlines() if line.startswith(('INSERT INTO "construct"',
                                                                             'INSERT INTO "coding"'))]


def test_undo_keeps_the_construct_another_coding_uses(small_project, capsys):
    p = small_project
    for start, end, reviewer in [(0, 7, "alice"), (8, 17, "ben")]:
        assert run(capsys, "code", p, "--study", 1, "--start", start, "--end", end, "--construct", "Homecoming",
                   "--order", 1, "--reviewer", reviewer, "--all-reviewers")[0] == 0
    assert run(capsys, "undo", p, "--reviewer", "alice")[0] == 0
    listed = json.loads(run(capsys, "constructs", p, "--json")[1])
    assert [(c["name"], c["by_reviewer"]) for c in listed] == [("Homecoming", {"ben": 1})]
