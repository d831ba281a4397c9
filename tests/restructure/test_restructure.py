"""Rename, move, change order and delete: happy paths, refusals that write nothing, undo and redo."""
import sqlite3

import pytest
from restructure.restructure_support import code, construct, link, state

from workbench.core.constructs import ConstructError
from workbench.store import codings, events, restructure, undo
from workbench.store.memos import all_memos, set_memo
from workbench.store.project import Project


@pytest.fixture
def tree(small_project):
    """Overarching 'Reintegration' (3) > 'Disillusionment' (3) > theme 'Poor training' (2) > quote
    'Dissatisfaction' (1); a loose theme 'Family' (2) with a supports link from a quote."""
    with Project.open(small_project) as project:
        db, alice = project.db, project.reviewer_id("alice")
        c = {}
        c["top"] = construct(db, "Reintegration", 3, alice).id
        c["dis"] = construct(db, "Disillusionment", 3, alice, parent="Reintegration").id
        c["theme"] = construct(db, "Poor training", 2, alice, parent="Disillusionment").id
        c["quote"] = construct(db, "Dissatisfaction", 1, alice, parent="Poor training").id
        c["family"] = construct(db, "Family", 2, alice).id
        c["fq"] = construct(db, "Family quote", 1, alice).id
        link(db, c["fq"], c["family"], "supports", alice)
        link(db, c["family"], c["dis"], "interprets", alice)
        yield project, c


def dump(db) -> str:
    return "\n".join(db.conn.iterdump())


def refused(db, fn, *args, match, **kwargs):
    """Call fn, expect ConstructError matching ``match``, and check the database did not change."""
    before = dump(db)
    with pytest.raises(ConstructError, match=match):
        fn(db, *args, **kwargs)
    assert dump(db) == before


def test_rename_and_its_refusals(tree):
    project, c = tree
    db, alice = project.db, project.reviewer_id("alice")
    renamed = restructure.rename(db, c["theme"], "  Poor   clinical training ", alice)
    assert renamed.name == "Poor clinical training" and renamed.id == c["theme"]
    assert events.recent(db, 1)[0]["payload"] == {"construct": c["theme"], "before": "Poor training",
                                                  "after": "Poor clinical training"}
    assert restructure.rename(db, c["theme"], "poor clinical training", alice).name == "poor clinical training"
    refused(db, restructure.rename, c["theme"], "family", alice, match="a construct called 'Family' already exists")
    refused(db, restructure.rename, c["theme"], "   ", alice, match="needs a name")
    refused(db, restructure.rename, c["theme"], "poor clinical training", alice, match="already called that")
    refused(db, restructure.rename, 999, "X", alice, match="no construct with id 999")
    undo.undo(db, alice)
    undo.undo(db, alice)
    assert db.execute("SELECT name FROM construct WHERE id = ?", [c["theme"]]).fetchone()[0] == "Poor training"
    undo.redo(db, alice)
    assert db.execute("SELECT name FROM construct WHERE id = ?", [c["theme"]]).fetchone()[0] == "Poor clinical training"


def test_move_and_its_refusals(tree):
    project, c = tree
    db, alice = project.db, project.reviewer_id("alice")
    before = state(db)
    refused(db, restructure.move, c["dis"], c["quote"], alice, match="cannot sit under 'Dissatisfaction', which is "
                                                                      "under it")
    assert restructure.move(db, c["theme"], c["top"], alice).parent_id == c["top"]
    assert restructure.move(db, c["theme"], None, alice).parent_id is None
    refused(db, restructure.move, c["top"], c["top"], alice, match="cannot sit under itself")
    refused(db, restructure.move, c["family"], c["fq"], alice,
            match="'Family' is second-order and cannot sit under 'Family quote', which is first-order")
    refused(db, restructure.move, c["theme"], None, alice, match="already at the top level")
    refused(db, restructure.move, c["theme"], 999, alice, match="no construct with id 999")
    undo.undo(db, alice)
    undo.undo(db, alice)
    assert state(db) == before


def test_change_order_names_everything_in_the_way(tree):
    project, c = tree
    db, alice = project.db, project.reviewer_id("alice")
    refused(db, restructure.change_order, c["quote"], 3, alice,
            match=r"^'Dissatisfaction' cannot become third-order: its parent 'Poor training' is second-order$")
    refused(db, restructure.change_order, c["top"], 2, alice,
            match=r"^'Reintegration' cannot become second-order: its child 'Disillusionment' is third-order$")
    with pytest.raises(ConstructError) as exc:
        restructure.change_order(db, c["family"], 3, alice)
    assert str(exc.value) == ("'Family' cannot become third-order: the link 'Family quote' (first-order) supports "
                              "it; its link interprets 'Disillusionment' (third-order)")
    with pytest.raises(ConstructError) as exc:
        restructure.change_order(db, c["dis"], 2, alice)
    assert str(exc.value) == ("'Disillusionment' cannot become second-order: the link 'Family' (second-order) "
                              "interprets it")
    refused(db, restructure.change_order, c["quote"], "first", alice, match="already first-order")
    refused(db, restructure.change_order, c["quote"], 4, alice, match="order must be 1, 2 or 3")
    # a leaf with a parent of order 2 may go from 1 to 2
    changed = restructure.change_order(db, c["quote"], 2, alice)
    assert changed.order == 2
    assert undo.undo(db, alice).description == "order of 'Dissatisfaction': first-order -> second-order"
    assert db.execute("SELECT construct_order FROM construct WHERE id = ?", [c["quote"]]).fetchone()[0] == 1


def test_delete_refuses_children_and_live_codings_then_removes_with_codings_and_undo_restores(tree):
    project, c = tree
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    kept = code(db, 1, c["family"], alice, "pivotal experiences")
    gone = code(db, 1, c["family"], ben, "dissatisfaction")
    codings.remove(db, gone.id, ben)
    live_one = code(db, 3, c["family"], ben, "family trumps finances")
    set_memo(db, "construct", c["family"], alice, "family memo")
    set_memo(db, "coding", kept.id, ben, "memo on a coding")
    refused(db, restructure.delete, c["dis"], alice, match=r"'Disillusionment' has 1 construct\(s\) under it "
                                                            r"\('Poor training'\); move or delete them first")
    refused(db, restructure.delete, c["family"], alice, lead=True, touching_others=True,
            match=r"'Family' has 2 live coding\(s\) \(alice 1, ben 1\); merge it into another construct to keep "
                  r"them, or remove them with it \(--remove-codings\)")
    before = state(db)
    # ben coded with 'Family' too: alice deletes it as a lead who said so (issue 10's rule)
    refused(db, restructure.delete, c["family"], alice, True,
            match=r"'Family' is used by ben \(1 coding\): deleting it would change their work, which only a "
                  r"project lead \(leads: in project.yaml\) may do")
    preview = restructure.preview_delete(db, c["family"], True, alice, lead=True, touching_others=True)
    assert state(db) == before and preview.others == {"ben": 1}
    report = restructure.delete(db, c["family"], alice, remove_codings=True, lead=True, touching_others=True)
    assert report.codings_removed == [kept.id, live_one.id] == preview.codings_removed
    assert report.codings_kept == [kept.id, gone.id, live_one.id]
    assert sorted(report.links_removed) == sorted([(c["fq"], c["family"], "supports"),
                                                   (c["family"], c["dis"], "interprets")])
    assert len(report.memos_removed) == 2 and all_memos(db) == []
    assert db.execute("SELECT count(*) FROM construct WHERE id = ?", [c["family"]]).fetchone()[0] == 0
    assert codings.for_study(db, 1) == [] and codings.for_study(db, 3) == []
    payload = events.recent(db, 1)[0]["payload"]
    assert [row["id"] for row in payload["codings"]] == [kept.id, gone.id, live_one.id]  # kept whole in the log

    after = state(db)
    assert undo.undo(db, alice).action == "construct.delete"
    assert state(db) == before
    assert undo.redo(db, alice).action == "construct.delete"
    assert state(db) == after


def test_delete_of_an_unused_construct_and_a_clash_on_undo(tree):
    project, c = tree
    db, alice = project.db, project.reviewer_id("alice")
    report = restructure.delete(db, c["quote"], alice)
    assert report.codings_removed == [] and report.links_removed == []
    construct(db, "dissatisfaction", 1, project.reviewer_id("ben"))  # ben takes the name back
    frozen = dump(db)
    with pytest.raises(undo.UndoError, match="a construct called 'dissatisfaction' exists now; rename it first"):
        undo.undo(db, alice)
    assert dump(db) == frozen


def test_merge_with_an_order_change_when_allowed(tree):
    project, c = tree
    db, alice = project.db, project.reviewer_id("alice")
    lone = construct(db, "Lone quote", 1, alice)
    coded = code(db, 1, lone.id, alice, "pivotal experiences")
    report = restructure.merge(db, lone.id, c["family"], alice, allow_order_change=True)
    assert report.codings_moved == [coded.id]
    assert db.execute("SELECT construct_id FROM coding WHERE id = ?", [coded.id]).fetchone()[0] == c["family"]


def test_foreign_keys_hold_after_every_operation_and_its_undo(tree):
    project, c = tree
    db, alice = project.db, project.reviewer_id("alice")
    code(db, 1, c["theme"], alice, "pivotal experiences")
    restructure.merge(db, c["theme"], c["family"], alice)
    restructure.move(db, c["quote"], None, alice)
    restructure.delete(db, c["family"], alice, remove_codings=True)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for _ in range(3):
        undo.undo(db, alice)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("DELETE FROM event")
