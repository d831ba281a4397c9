"""``workbench pins``: each reviewer's number keys, set and cleared from the command line."""
import json

from support import dump, run


def code(capsys, project, construct, order, reviewer="alice"):
    code, _, err = run(capsys, "code", project, "--study", 1, "--start", 0, "--end", 17, "--construct", construct,
                       "--order", order, "--reviewer", reviewer)
    assert code == 0, err


def pins_json(capsys, project, reviewer, *extra):
    code, out, err = run(capsys, "pins", project, "--reviewer", reviewer, "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def test_pins_are_set_listed_moved_and_cleared_per_reviewer(small_project, capsys):
    code(capsys, small_project, "Pivotal experiences", 2)
    code(capsys, small_project, "Medical migration", 1)
    assert run(capsys, "pins", small_project, "--reviewer", "alice") == (
        0, "alice has no pinned constructs: pin one with --set N CONSTRUCT (or p in the Constructs panel of "
           "the coding screen)\n", "")

    code_, out, err = run(capsys, "pins", small_project, "--reviewer", "alice", "--set", 3, "pivotal experiences",
                          "--set", 1, "Medical migration")
    assert (code_, err) == (0, "")
    assert out == ("alice's number keys on the coding screen:\n"
                   "1  first-order   Medical migration\n"
                   "3  second-order  Pivotal experiences\n")
    # a construct has one number: pinning it to 1 moves it there and takes 1 from the other
    assert pins_json(capsys, small_project, "alice", "--set", 1, "Pivotal experiences") == {
        "reviewer": "alice", "pins": [{"number": 1, "construct": "Pivotal experiences", "order": 2}]}
    # ben's keys are his own
    assert pins_json(capsys, small_project, "ben") == {"reviewer": "ben", "pins": []}
    assert pins_json(capsys, small_project, "ben", "--set", 9, "Medical migration")["pins"] == [
        {"number": 9, "construct": "Medical migration", "order": 1}]
    assert pins_json(capsys, small_project, "alice", "--clear", 1) == {"reviewer": "alice", "pins": []}
    assert pins_json(capsys, small_project, "ben")["pins"][0]["number"] == 9


def test_a_refused_pin_changes_nothing(small_project, capsys):
    code(capsys, small_project, "Pivotal experiences", 2)
    assert run(capsys, "pins", small_project, "--reviewer", "alice", "--set", 2, "Pivotal experiences")[0] == 0
    before = dump(small_project)
    for argv, message in (
            (("--set", 10, "Pivotal experiences"), "pin numbers are 1 to 9, not 10"),
            (("--set", 0, "Pivotal experiences"), "pin numbers are 1 to 9, not 0"),
            (("--set", "two", "Pivotal experiences"), "pin numbers are 1 to 9, not 'two'"),
            (("--clear", 2, "--set", 4, "Pivotl experiences"),
             "no construct called 'Pivotl experiences'; did you mean 'Pivotal experiences'?"),
            (("--clear", "-1"), "pin numbers are 1 to 9, not '-1'")):
        assert run(capsys, "pins", small_project, "--reviewer", "alice", *argv) == (
            1, "", f"workbench: error: {message}\n"), argv
    assert run(capsys, "pins", small_project, "--reviewer", "carol")[0] == 1
    assert dump(small_project) == before


def test_a_deleted_construct_takes_its_pin_with_it(small_project, capsys):
    code(capsys, small_project, "Pivotal experiences", 2)
    assert pins_json(capsys, small_project, "alice", "--set", 4, "Pivotal experiences")["pins"][0]["number"] == 4
    code_, _, err = run(capsys, "construct", "delete", small_project, "Pivotal experiences", "--reviewer", "alice",
                        "--remove-codings", "--yes")
    assert code_ == 0, err
    assert pins_json(capsys, small_project, "alice") == {"reviewer": "alice", "pins": []}


def test_pinning_without_a_number_takes_the_lowest_free_one_and_says_when_none_is_left(small_project):
    import pytest

    from workbench.store import constructs, pins
    from workbench.store.project import Project

    with Project.open(small_project) as project:
        alice = project.reviewer_id("alice")
        made = [constructs.create(project.db, f"Theme {i}", 2, alice) for i in range(1, 11)]
        pins.pin(project.db, alice, made[0].id, 3)
        assert [pins.pin(project.db, alice, c.id) for c in made[1:4]] == [1, 2, 4]
        assert pins.pin(project.db, alice, made[1].id) == 1  # pinned already: it keeps its number
        for c in made[4:9]:
            pins.pin(project.db, alice, c.id)
        assert sorted(pins.pins(project.db, alice)) == list(range(1, 10))
        with pytest.raises(pins.PinError, match="^every number 1-9 is pinned already, so “Theme 10” was not "
                                                "pinned: unpin one first$"):
            pins.pin(project.db, alice, made[9].id)
        assert pins.unpin_construct(project.db, alice, made[0].id) == 3
        assert pins.pin(project.db, alice, made[9].id) == 3
