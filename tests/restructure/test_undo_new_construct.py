"""Issue 10, item 10 in the store: a coding made with a new construct is one undoable step; undo
takes the construct back only when nothing else could bring it back into use."""
import pytest
from restructure.restructure_support import state

from workbench.store import codings, constructs, undo
from workbench.store.memos import set_memo
from workbench.store.project import Project


@pytest.fixture
def project(small_project):
    with Project.open(small_project) as p:
        yield p


def names(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT name FROM construct ORDER BY id")]


def test_undo_twice_then_redo_twice_puts_back_the_construct_and_both_codings(project):
    db, alice = project.db, project.reviewer_id("alice")
    before = state(db)
    first, made, created = codings.add_with_construct(db, 1, alice, 0, 7, "Homecoming", 1)
    assert created
    codings.add(db, 1, made.id, alice, 8, 17)
    after = state(db)
    assert undo.undo(db, alice).action == "coding.add"  # the second coding: the construct stays
    assert names(db) == ["Homecoming"]
    assert undo.undo(db, alice).description == "your coding “Medical” (Medical migration 2018) as new construct " \
                                               "'Homecoming'"
    assert state(db) == before  # both coding rows went into the undo record with the construct
    assert undo.undo(db, alice) is None  # one step: no construct.create left to undo
    undo.redo(db, alice)
    undo.redo(db, alice)
    assert state(db) == after


def test_the_construct_stays_while_a_removal_could_be_undone_or_a_memo_holds_it(project):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    _, made, _ = codings.add_with_construct(db, 1, alice, 0, 7, "Homecoming", 1)
    other = codings.add(db, 1, made.id, ben, 8, 17)
    codings.remove(db, other.id, ben)  # ben's undo could bring it back
    undo.undo(db, alice)
    assert names(db) == ["Homecoming"]
    _, going, _ = codings.add_with_construct(db, 2, alice, 0, 7, "Going back", 1)
    set_memo(db, "construct", going.id, ben, "Keep this one")
    undo.undo(db, alice)
    assert names(db) == ["Homecoming", "Going back"]


def test_a_construct_made_on_its_own_is_still_its_own_step(project):
    db, alice = project.db, project.reviewer_id("alice")
    made = constructs.create(db, "Homecoming", 1, alice)
    codings.add(db, 1, made.id, alice, 0, 7)
    assert undo.undo(db, alice).action == "coding.add" and names(db) == ["Homecoming"]
    assert undo.undo(db, alice).action == "construct.create" and names(db) == []
