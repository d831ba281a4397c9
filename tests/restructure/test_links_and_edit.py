"""Linking constructs one order up (supports 1 -> 2, interprets 2 -> 3) and editing their definitions:
rules, one event each, undo and redo, and the link in the codebook export and the constructs listing."""
import json

import pytest
from restructure.restructure_support import construct, state
from support import dump, run

from workbench.core.constructs import ConstructError
from workbench.store import events, restructure, undo
from workbench.store.constructs import get
from workbench.store.project import Project


@pytest.fixture
def orders(small_project):
    """A quote (1), a theme (2) and two third-order constructs, no links."""
    with Project.open(small_project) as project:
        db, alice = project.db, project.reviewer_id("alice")
        c = {"quote": construct(db, "Wanted to go home", 1, alice).id,
             "theme": construct(db, "Pivotal experiences", 2, alice).id,
             "family": construct(db, "Family trumps finances", 3, alice).id,
             "drive": construct(db, "Drive to private practice", 3, alice).id}
        yield project, c


def test_link_rules_refuse_and_write_nothing(orders):
    project, c = orders
    db, alice = project.db, project.reviewer_id("alice")

    def refused(*args, match):
        before = "\n".join(db.conn.iterdump())
        with pytest.raises(ConstructError, match=match):
            restructure.link(db, *args, alice)
        assert "\n".join(db.conn.iterdump()) == before

    refused(c["family"], "interprets", c["theme"],
            match="'Family trumps finances' interprets 'Pivotal experiences' would join third-order to second-order; "
                  "interprets links join second-order to third-order: link 'Pivotal experiences' interprets "
                  "'Family trumps finances'$")
    refused(c["quote"], "interprets", c["family"], match="would join first-order to third-order; interprets links "
                                                          "join second-order to third-order$")
    refused(c["quote"], "supports", c["family"], match="supports links join first-order to second-order$")
    refused(c["theme"], "explains", c["family"], match="a link is 'supports' or 'interprets', not 'explains'")
    refused(c["theme"], "interprets", 999, match="no construct with id 999")
    restructure.link(db, c["theme"], "interprets", c["family"], alice)
    refused(c["theme"], "interprets", c["family"],
            match="'Pivotal experiences' interprets 'Family trumps finances' already")


def test_link_and_unlink_are_one_event_each_and_undo_and_redo(orders):
    project, c = orders
    db, alice = project.db, project.reviewer_id("alice")
    before = state(db)
    made = restructure.link(db, c["quote"], "supports", c["theme"], alice)
    assert (made.from_name, made.kind, made.to_name) == ("Wanted to go home", "supports", "Pivotal experiences")
    assert events.recent(db, 1)[0]["action"] == "construct.link"
    after_link = state(db)
    assert [(x.from_name, x.kind, x.to_name) for x in restructure.links(db, c["theme"])] == [
        ("Wanted to go home", "supports", "Pivotal experiences")]

    assert undo.undo(db, alice).description == "linking 'Wanted to go home' supports 'Pivotal experiences'"
    assert state(db) == before
    undo.redo(db, alice)
    assert state(db) == after_link  # the same link row, id included

    gone = restructure.unlink(db, made.id, alice)
    assert gone == made and restructure.links(db) == []
    assert events.recent(db, 1)[0]["action"] == "construct.unlink"
    undo.undo(db, alice)
    assert state(db) == after_link
    undo.redo(db, alice)
    assert restructure.links(db) == []
    with pytest.raises(ConstructError, match="no link with id"):
        restructure.unlink(db, made.id, alice)


def test_undo_of_a_link_refuses_once_it_was_removed_by_someone_else(orders):
    project, c = orders
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    made = restructure.link(db, c["theme"], "interprets", c["drive"], alice)
    restructure.unlink(db, made.id, ben)
    with pytest.raises(undo.UndoError, match="cannot undo linking 'Pivotal experiences' interprets "
                                             "'Drive to private practice': the link was changed or removed since"):
        undo.undo(db, alice)
    # ben's undo puts it back; then alice's undo takes it out
    undo.undo(db, ben)
    undo.undo(db, alice)
    assert restructure.links(db) == []


def test_a_merge_carries_a_link_made_in_the_workbench(orders):
    project, c = orders
    db, alice = project.db, project.reviewer_id("alice")
    restructure.link(db, c["theme"], "interprets", c["family"], alice)
    restructure.merge(db, c["family"], c["drive"], alice)
    assert [(x.from_name, x.to_name) for x in restructure.links(db)] == [
        ("Pivotal experiences", "Drive to private practice")]
    undo.undo(db, alice)
    assert [(x.from_name, x.to_name) for x in restructure.links(db)] == [
        ("Pivotal experiences", "Family trumps finances")]


def test_cli_link_unlink_listing_and_codebook_export(orders, small_project, capsys, tmp_path):
    code, out, err = run(capsys, "construct", "link", small_project, "pivotal experiences", "interprets",
                         "Family trumps finances", "--reviewer", "alice")
    assert code == 0 and out == "linked: 'Pivotal experiences' interprets 'Family trumps finances'\n"

    code, out, _ = run(capsys, "constructs", small_project)
    assert "Pivotal experiences  0 codings; interprets Family trumps finances\n" in out
    code, out, _ = run(capsys, "constructs", small_project, "--json")
    theme = next(x for x in json.loads(out) if x["name"] == "Pivotal experiences")
    assert theme["links"] == [{"kind": "interprets", "to": "Family trumps finances"}]

    book = tmp_path / "book.yaml"
    assert run(capsys, "codebook", "export", small_project, book)[0] == 0
    assert "    links:\n      - interprets: Family trumps finances\n" in book.read_text(encoding="utf-8")

    before = dump(small_project)
    code, out, err = run(capsys, "construct", "link", small_project, "Family trumps finances", "interprets",
                         "Pivotal experiences", "--reviewer", "alice")
    assert code == 1 and out == "" and err.startswith(
        "workbench: error: 'Family trumps finances' interprets 'Pivotal experiences' would join third-order")
    code, out, err = run(capsys, "construct", "unlink", small_project, "Pivotal experiences", "interprets",
                         "Drive to private practice", "--reviewer", "alice")
    assert code == 1 and err == ("workbench: error: there is no link 'Pivotal experiences' interprets "
                                 "'Drive to private practice'\n")
    assert dump(small_project) == before

    code, out, _ = run(capsys, "construct", "unlink", small_project, "Pivotal experiences", "interprets",
                       "Family trumps finances", "--reviewer", "alice")
    assert code == 0 and out == "unlinked: 'Pivotal experiences' interprets 'Family trumps finances'\n"
    code, out, _ = run(capsys, "undo", small_project, "--reviewer", "alice")
    assert code == 0 and out.startswith("undid unlinking 'Pivotal experiences' interprets 'Family trumps finances'")
    code, out, _ = run(capsys, "constructs", small_project)
    assert "Pivotal experiences  0 codings; interprets Family trumps finances\n" in out


def test_edit_definition_guidance_and_colour_with_undo_and_refusals(orders, small_project, capsys):
    project, c = orders
    db, alice = project.db, project.reviewer_id("alice")
    edited = restructure.edit(db, c["family"], {"definition": "  Family outweighs finances.  ",
                                                "when_to_use": "Reasons to return", "colour": "#e31a1c"}, alice)
    assert (edited.definition, edited.when_to_use, edited.colour) == (
        "Family outweighs finances.", "Reasons to return", "#E31A1C")
    assert events.recent(db, 1)[0]["payload"] == {
        "construct": c["family"], "name": "Family trumps finances",
        "before": {"definition": "", "when_to_use": "", "colour": None},
        "after": {"definition": "Family outweighs finances.", "when_to_use": "Reasons to return", "colour": "#E31A1C"}}
    before = "\n".join(db.conn.iterdump())
    for values, match in (({"colour": "red"}, "a colour is written #RRGGBB"),
                          ({"name": "X"}, "a construct has no field name"),
                          ({"definition": "Family outweighs finances."}, "nothing to change")):
        with pytest.raises(ConstructError, match=match):
            restructure.edit(db, c["family"], values, alice)
    assert "\n".join(db.conn.iterdump()) == before

    assert undo.undo(db, alice).description == "editing 'Family trumps finances' (definition, when to use, colour)"
    assert get(db, c["family"]).definition == ""
    undo.redo(db, alice)
    assert get(db, c["family"]).colour == "#E31A1C"

    code, out, _ = run(capsys, "construct", "edit", small_project, "Family trumps finances", "--example",
                       "Family first, always.", "--colour", "", "--reviewer", "alice")
    assert code == 0 and out == "edited 'Family trumps finances': example, colour\n"
    code, _, err = run(capsys, "construct", "edit", small_project, "Family trumps finances", "--reviewer", "alice")
    assert code == 1 and "give at least one of --definition" in err
