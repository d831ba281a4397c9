"""Undo as a registry: each operation registers its handlers beside itself, and a new undoable
change plugs in without touching the engine."""
from typing import TypedDict

import pytest
from restructure.restructure_support import code, construct

from workbench.core.errors import WorkbenchError
from workbench.store import codings, events, undo
from workbench.store.db import Store
from workbench.store.memos import set_memo
from workbench.store.project import Project


@pytest.fixture
def project(small_project):
    with Project.open(small_project) as p:
        yield p


def test_every_undoable_action_is_registered_by_its_own_module():
    assert {action: handler.undo.__module__ for action, handler in undo.handlers().items()} == {
        "coding.add": "workbench.store.codings",
        "coding.remove": "workbench.store.codings",
        "duplicate.judge": "workbench.store.duplicates",
        "study.remove": "workbench.store.duplicates",
        "construct.create": "workbench.store.constructs",
        "construct.rename": "workbench.store.restructure.fields",
        "construct.edit": "workbench.store.restructure.fields",
        "construct.move": "workbench.store.restructure.fields",
        "construct.change_order": "workbench.store.restructure.fields",
        "construct.merge": "workbench.store.restructure.merge",
        "construct.delete": "workbench.store.restructure.delete",
        "construct.link": "workbench.store.restructure.links",
        "construct.unlink": "workbench.store.restructure.links",
        "memo.set": "workbench.store.memos",
        "codebook.load": "workbench.store.codebook",
        "study.order": "workbench.store.order",
        "translation.set": "workbench.store.translation",
        "translation.clear": "workbench.store.translation",
        "synthesis.relate": "workbench.store.synthesis",
        "synthesis.unrelate": "workbench.store.synthesis",
        "codings.load": "workbench.store.coding_sets",
        "adjudication.decide": "workbench.store.adjudication",
        "adjudication.agreed": "workbench.store.adjudication",
        "project.merge": "workbench.store.merging",
        "alignment.pair": "workbench.store.alignment",
        "alignment.confirm": "workbench.store.alignment",
        "alignment.unpair": "workbench.store.alignment",
        "study.reimport": "workbench.store.reanchor",
        "orphan.place": "workbench.store.reanchor",
        "orphan.drop": "workbench.store.reanchor",
    }


def test_an_action_cannot_be_registered_twice():
    with pytest.raises(RuntimeError, match="'coding.add' registered twice"):
        undo.register("coding.add", *(lambda *a: None,) * 3)


class Stamped(TypedDict):
    study: int
    before: str
    after: str


def _swap(db: Store, p: Stamped, now_key: str, then_key: str) -> undo.Change:
    current = db.execute("SELECT journal FROM study WHERE id = ?", [p["study"]]).fetchone()[0]
    if current != p[now_key]:
        raise undo.Conflict(f"the journal is {current!r} now")
    db.execute("UPDATE study SET journal = ? WHERE id = ?", [p[then_key], p["study"]])
    return undo.Change({}, {p["study"]})


@pytest.fixture
def journal_action():
    """A new undoable change, registered as a module of its own would register it."""
    undo.register("test.journal", lambda db, p, *_: _swap(db, p, "after", "before"),
                  lambda db, p, *_: _swap(db, p, "before", "after"), lambda db, p: f"journal of study {p['study']}")
    yield
    del undo._HANDLERS["test.journal"]


def test_a_new_undoable_change_plugs_in_without_touching_the_engine(project, journal_action):
    db, alice = project.db, project.reviewer_id("alice")
    with db.atomic():
        db.execute("UPDATE study SET journal = 'Medical Teacher' WHERE id = 1")
        events.record(db, "test.journal", alice, Stamped(study=1, before="", after="Medical Teacher"))
    journal = lambda: db.execute("SELECT journal FROM study WHERE id = 1").fetchone()[0]  # noqa: E731
    assert [e.description for e in undo.history(db, alice)] == ["journal of study 1"]
    result = undo.undo(db, alice)
    assert (result.action, result.study_ids, journal()) == ("test.journal", (1,), "")
    assert undo.redo(db, alice).redone and journal() == "Medical Teacher"
    db.execute("UPDATE study SET journal = 'BMJ' WHERE id = 1")
    with pytest.raises(undo.UndoError, match="^cannot undo journal of study 1: the journal is 'BMJ' now$"):
        undo.undo(db, alice)
    assert journal() == "BMJ"


def test_a_refusal_from_another_module_reaches_the_user_as_it_was_written(project):
    """Undoing alice's memo removal after ben removed the coding is refused with the memo rule's own
    words (it used to be re-raised as a construct error)."""
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    theme = construct(db, "Pivotal experiences", 2, alice)
    coding = code(db, 1, theme.id, alice, "pivotal experiences")
    set_memo(db, "coding", coding.id, alice, "Turning point.")
    set_memo(db, "coding", coding.id, alice, "")
    with db.atomic():  # ben's removal, as versions before issue 10 allowed (databases keep such removals)
        db.execute("UPDATE coding SET removed_at = '2026-01-02T03:04:05Z', removed_by = ? WHERE id = ?",
                   [ben, coding.id])
    with pytest.raises(undo.UndoError) as refused:
        undo.undo(db, alice)
    assert str(refused.value) == ("cannot undo removing memo on the coding “pivotal experiences” (Medical "
                                  "migration 2018) as 'Pivotal experiences': the coding “pivotal experiences” "
                                  "(Medical migration 2018) as 'Pivotal experiences' was removed; a memo goes on "
                                  "a live coding")
    assert isinstance(refused.value, WorkbenchError)
