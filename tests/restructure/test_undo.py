"""Undo and redo of codings, new constructs and memos, per reviewer, from the event log."""
import pytest
from restructure.restructure_support import code, construct, live, state

from workbench.store import codings, undo
from workbench.store.memos import get_memo, set_memo
from workbench.store.project import Project


@pytest.fixture
def project(small_project):
    with Project.open(small_project) as p:
        yield p


def test_coding_add_and_remove_undo_and_redo(project):
    db, alice = project.db, project.reviewer_id("alice")
    theme = construct(db, "Pivotal experiences", 2, alice)
    empty = live(db)
    coding = code(db, 1, theme.id, alice, "pivotal experiences")
    coded = live(db)
    result = undo.undo(db, alice)
    assert (result.action, result.study_ids, result.construct_ids) == ("coding.add", (1,), (theme.id,))
    assert live(db) == empty
    assert db.execute("SELECT removed_by FROM coding WHERE id = ?", [coding.id]).fetchone()[0] == alice
    undo.redo(db, alice)
    assert live(db) == coded

    codings.remove(db, coding.id, alice)
    removed = state(db)
    assert undo.undo(db, alice).action == "coding.remove"
    assert live(db) == coded
    assert undo.redo(db, alice).action == "coding.remove"
    assert state(db) == removed  # removed_at and removed_by as the removal wrote them


def test_new_construct_then_its_first_coding_undo_step_by_step(project):
    """The TUI's 'new construct' then 'code': two undos take both away; two redos bring both back."""
    db, alice = project.db, project.reviewer_id("alice")
    before = state(db)
    theme = construct(db, "Pivotal experiences", 2, alice)
    code(db, 1, theme.id, alice, "pivotal experiences")
    after = state(db)
    assert undo.undo(db, alice).action == "coding.add"
    assert undo.undo(db, alice).action == "construct.create"
    assert state(db) == before  # the removed coding row went into the undo event with the construct
    assert undo.undo(db, alice) is None
    assert undo.redo(db, alice).action == "construct.create"
    assert undo.redo(db, alice).action == "coding.add"
    assert state(db) == after
    assert undo.redo(db, alice) is None


def test_undo_refuses_when_someone_else_removed_the_coding(project):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    theme = construct(db, "Pivotal experiences", 2, alice)
    coding = code(db, 1, theme.id, alice, "pivotal experiences")
    with pytest.raises(codings.CodingError, match="is not yours"):  # issue 10: ben cannot remove it now ...
        codings.remove(db, coding.id, ben)
    with db.atomic():  # ... but versions before it let him, and databases keep such removals
        db.execute("UPDATE coding SET removed_at = '2026-01-02T03:04:05Z', removed_by = ? WHERE id = ?",
                   [ben, coding.id])
    frozen = state(db), db.execute("SELECT count(*) FROM event").fetchone()
    with pytest.raises(undo.UndoError) as refused:
        undo.undo(db, alice)
    assert str(refused.value) == ("cannot undo your coding “pivotal experiences” (Medical migration 2018) as "
                                  "'Pivotal experiences': it was removed since by ben (2026-01-02 03:04)")
    assert (state(db), db.execute("SELECT count(*) FROM event").fetchone()) == frozen


def test_undo_of_a_new_construct_refuses_once_others_use_it(project):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    theme = construct(db, "Pivotal experiences", 2, alice)
    code(db, 1, theme.id, ben, "pivotal experiences")
    with pytest.raises(undo.UndoError, match="'Pivotal experiences' has 1 live coding"):
        undo.undo(db, alice)


def test_each_reviewer_has_their_own_stack_and_a_new_action_clears_redo(project):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    theme = construct(db, "Pivotal experiences", 2, alice)
    a1 = code(db, 1, theme.id, alice, "pivotal experiences")
    b1 = code(db, 1, theme.id, ben, "dissatisfaction")
    assert undo.undo(db, alice).action_event_id != undo.undo(db, ben).action_event_id
    live_ids = {c.id for c in codings.for_study(db, 1)}
    assert a1.id not in live_ids and b1.id not in live_ids
    code(db, 1, theme.id, alice, "Japanese IMG")  # a new action: alice's redo is gone
    assert undo.redo(db, alice) is None
    assert undo.redo(db, ben).action == "coding.add"  # ben's is not
    entries = undo.history(db, alice)
    assert [(e.action, e.undone) for e in entries] == [("coding.add", False), ("coding.add", True),
                                                       ("construct.create", False)]


def test_memo_set_replace_remove_undo_redo(project):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    first = set_memo(db, "study", 1, alice, "first thoughts")
    set_memo(db, "study", 1, ben, "ben's view")
    second = set_memo(db, "study", 1, alice, "second thoughts")
    assert second.id == first.id
    removed = set_memo(db, "study", 1, alice, "  ")
    assert removed.removed_at is not None
    assert [m.reviewer for m in get_memo(db, "study", 1)] == ["ben"]
    undo.undo(db, alice)
    assert [m.text for m in get_memo(db, "study", 1, alice)] == ["second thoughts"]
    undo.undo(db, alice)
    assert [m.text for m in get_memo(db, "study", 1, alice)] == ["first thoughts"]
    undo.undo(db, alice)
    assert get_memo(db, "study", 1, alice) == []
    undo.redo(db, alice)
    undo.redo(db, alice)
    assert [m.text for m in get_memo(db, "study", 1, alice)] == ["second thoughts"]
    assert [m.text for m in get_memo(db, "study", 1, ben)] == ["ben's view"]


def test_undoing_a_new_construct_takes_the_memos_of_its_removed_codings_along(project):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    before = state(db)
    theme = construct(db, "Pivotal experiences", 2, alice)
    coding = code(db, 1, theme.id, alice, "pivotal experiences")
    set_memo(db, "coding", coding.id, ben, "ben's note on alice's coding")
    after = state(db)
    undo.undo(db, alice)  # the coding: ben's memo is hidden with it
    undo.undo(db, alice)  # the construct: the coding row and ben's memo go with it
    assert db.execute("SELECT count(*) FROM construct").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM memo WHERE removed_at IS NULL").fetchone()[0] == 0
    assert state(db)["coding"] == before["coding"]
    undo.redo(db, alice)
    undo.redo(db, alice)
    assert state(db) == after
