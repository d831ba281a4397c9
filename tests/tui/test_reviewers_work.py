"""Issue 10, items 1, 9 and 10 on the screen: each reviewer's work is theirs (ben cannot delete,
merge, rename or re-order a construct alice coded with, nor remove her coding; a lead may, after a
confirmation that names her and where enter means no), messages in the reviewer's words (no
internal ids), and undoing the coding that made a construct takes the construct back too."""
from __future__ import annotations

import json

import pytest
from support import dump, keys_for, rows, wait_until

from workbench.store import codings, constructs, memos
from workbench.store.project import Project
from workbench.tui.screens.constructs import ConstructsScreen
from workbench.tui.screens.modals import ConfirmScreen
from workbench.tui.screens.picker import ConstructPicker, OrderScreen
from workbench.tui.screens.search import SearchScreen

HEIST = 1  # study id: "Medical migration: ..." (2018), its text starts "Medical migration:"
SIZE = (110, 32)


def make_lead(project, name: str) -> None:
    """Name ``name`` a lead in project.yaml, as a reviewer edits the file."""
    path = project / "project.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"leads: [{name}]\n", encoding="utf-8")


def live(project) -> list[tuple]:
    """(reviewer, construct, start, end) of every live coding."""
    return [tuple(r) for r in rows(project, "SELECT r.name, k.name, c.span_start, c.span_end FROM coding c "
                                            "JOIN construct k ON k.id = c.construct_id JOIN reviewer r "
                                            "ON r.id = c.reviewer_id WHERE c.removed_at IS NULL ORDER BY c.id")]


def construct_names(project) -> list[str]:
    return [r[0] for r in rows(project, "SELECT name FROM construct ORDER BY id")]


@pytest.fixture
def shared(small_project) -> dict:
    """ben's two third-order constructs; alice coded 'Family over finances' twice in Heist 2018, ben
    coded 'Wasted skills' once. Heist's authors are set, as an import with authors sets them."""
    with Project.open(small_project) as project:
        db = project.db
        alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
        with db.atomic():
            db.execute("UPDATE study SET authors = ? WHERE id = ?", [json.dumps(["Heist, Peter", "Torok, L"]), HEIST])
        family = constructs.create(db, "Family over finances", 3, ben).id
        wasted = constructs.create(db, "Wasted skills", 3, ben).id
        first = codings.add(db, HEIST, family, alice, 0, 7).id     # "Medical"
        codings.add(db, HEIST, family, alice, 8, 17)               # "migration"
        codings.add(db, HEIST, wasted, ben, 20, 30)
    return {"family": family, "wasted": wasted, "alice_coding": first}


async def tree_on(pilot, app, construct_id: int) -> ConstructsScreen:
    app.show_constructs(select=construct_id)
    await wait_until(pilot, lambda: isinstance(app.screen, ConstructsScreen), "the constructs tree")
    await pilot.pause()
    assert app.screen.current.id == construct_id
    return app.screen


REFUSED = ("'Family over finances' is used by alice (2 codings): {doing} it would change their work, which only a "
           "project lead (leads: in project.yaml) may do; ask a lead, or leave it to them")


async def test_ben_cannot_delete_merge_rename_move_or_reorder_what_alice_coded(make_app, small_project, shared):
    before = dump(small_project)
    app = make_app("ben")
    async with app.run_test(size=SIZE) as pilot:
        tree = await tree_on(pilot, app, shared["family"])
        await pilot.press("d")
        await wait_until(pilot, lambda: app.notices, "the refusal")
        assert app.notices[-1] == "Cannot delete: " + REFUSED.format(doing="deleting")
        assert app.screen is tree  # no question asked
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ConstructPicker), "the merge picker")
        await pilot.press(*keys_for("wasted"), "enter")
        await wait_until(pilot, lambda: app.notices[-1].startswith("Cannot merge"), "the merge refusal")
        assert app.notices[-1] == "Cannot merge: " + REFUSED.format(doing="merging")
        assert app.screen is tree
        await pilot.press("r")
        await wait_until(pilot, lambda: app.notices[-1].startswith("Cannot rename"), "the rename refusal")
        assert app.notices[-1] == "Cannot rename: " + REFUSED.format(doing="renaming")
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, OrderScreen), "the order question")
        await pilot.press("2")
        await wait_until(pilot, lambda: app.notices[-1].startswith("Cannot change"), "the order refusal")
        assert app.notices[-1] == "Cannot change the order: " + REFUSED.format(doing="changing the order of")
        assert app.screen is tree
    assert dump(small_project) == before  # nothing written, not even an event


async def test_ben_cannot_remove_alices_coding(make_app, small_project, shared):
    before = dump(small_project)
    app = make_app("ben")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        await pilot.press("v")  # every reviewer's codings shown: alice's "Medical" is under the cursor
        screen.text_view.move_to_offset(3)
        await pilot.pause()
        assert "alice" in screen.at_cursor.plain
        await pilot.press("x")
        await pilot.pause()
        assert app.screen is screen
        assert app.notices[-1] == "Only other reviewers' codings are here; you can remove only your own."
        # the same rule holds below the screen: the store refuses it in words
        with app.guarded("Not removed"):
            app.session.remove(shared["alice_coding"])
        assert app.notices[-1] == ("Not removed: alice's coding “Medical” (Heist 2018) as 'Family over finances' "
                                   "is not yours: a reviewer removes only their own codings")
    after = dump(small_project).splitlines()
    # the one write: v recorded that ben unblinded (issue 10, blind means blind)
    assert [line for line in after if "'view.unblind'" not in line] == before.splitlines()
    assert len(after) == len(before.splitlines()) + 1


async def test_a_lead_is_asked_naming_the_others_and_enter_means_no(make_app, small_project, shared):
    make_lead(small_project, "ben")
    before = dump(small_project)
    app = make_app("ben")
    async with app.run_test(size=SIZE) as pilot:
        tree = await tree_on(pilot, app, shared["family"])
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        question = app.screen.question.plain
        assert "“Family over finances” is used by alice (2 codings): deleting it changes their work." in question
        assert "enter or n keeps their work" in question
        await pilot.press("enter")  # the default is no
        await wait_until(pilot, lambda: app.screen is tree, "the tree again")
        assert dump(small_project) == before
        # merge: the same question, the same default
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, ConstructPicker), "the merge picker")
        await pilot.press(*keys_for("wasted"), "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the merge confirmation")
        assert "is used by alice (2 codings): merging it changes their work" in app.screen.question.plain
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is tree, "the tree again")
        assert dump(small_project) == before
        # y goes ahead: alice's codings are removed with the construct, and u puts everything back
        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
        await pilot.press("y")
        await wait_until(pilot, lambda: "Family over finances" not in construct_names(small_project), "the delete")
        assert live(small_project) == [("ben", "Wasted skills", 20, 30)]
        assert app.notices[-1] == "Deleted “Family over finances” and removed its 2 codings (u undoes)."
        await pilot.press("u")
        await pilot.pause()
        assert live(small_project) == [("alice", "Family over finances", 0, 7), ("alice", "Family over finances", 8, 17),
                                       ("ben", "Wasted skills", 20, 30)]


async def test_messages_name_quotes_and_studies_not_ids(make_app, small_project, shared):
    with Project.open(small_project) as project:
        memos.set_memo(project.db, "coding", shared["alice_coding"], project.reviewer_id("alice"),
                       "Homesick doctors choose family")
    app = make_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        # c with nothing selected says how to select
        screen.text_view.move_to_offset(40)
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen
        assert app.notices[-1] == "Select some text first (shift+arrows or the mouse), or press s for the sentence."
        # x on her own coding, then u: the undo says which coding, in words
        screen.text_view.move_to_offset(10)  # inside "migration"
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the removal question")
        await pilot.press("enter")  # her own coding: enter says yes, as before
        await wait_until(pilot, lambda: len(live(small_project)) == 2, "the removal")
        await pilot.press("u")
        await pilot.pause()
        assert app.notices[-1] == "Undone: removal of your coding “migration” (Heist 2018) as 'Family over finances'"
        await pilot.press("U")
        await pilot.pause()
        assert app.notices[-1] == "Redone: removal of your coding “migration” (Heist 2018) as 'Family over finances'"
        # a memo hit in search names the coding by its quote and study
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(app.screen, SearchScreen), "the search")
        search = app.screen
        await pilot.press(*keys_for("homesick"))
        await wait_until(pilot, lambda: search.searched == "homesick", "the hits for 'homesick'")
        assert [h.title for h in search.hits] == [
            "alice's memo on the coding “Medical” (Heist 2018) as 'Family over finances'"]
    assert not any(word in notice for notice in app.notices for word in ("coding 1", "study 1", "span 40"))


async def code_new(pilot, app, span: tuple[int, int], name: str, order: str) -> None:
    """Select ``span``, c, type a new construct's name, ctrl+n, its order, and (no parent)."""
    app.coding_screen.text_view.select_offsets(*span)
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(app.screen, ConstructPicker), "the picker")
    await pilot.press(*keys_for(name), "ctrl+n")
    await wait_until(pilot, lambda: isinstance(app.screen, OrderScreen), "the order question")
    await pilot.press(order)
    await pilot.pause()
    if isinstance(app.screen, ConstructPicker):  # the parent step: "(no parent)" comes first
        await pilot.press("enter")
        await pilot.pause()
    assert app.screen is app.coding_screen


async def test_undoing_the_coding_that_made_a_construct_takes_the_construct_back(make_app, small_project, shared):
    app = make_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        panel = app.coding_screen.construct_panel
        await code_new(pilot, app, (19, 20), "Homecoming", "1")
        assert "Homecoming" in construct_names(small_project) and "Homecoming" in panel.plain
        made = rows(small_project, "SELECT id FROM construct WHERE name = 'Homecoming'")[0]["id"]
        # one step: one event, coding.add, that says it made the construct
        last = rows(small_project, "SELECT action, payload FROM event ORDER BY id DESC LIMIT 2")
        assert [r["action"] for r in last] == ["coding.add", "coding.add"]
        assert json.loads(last[0]["payload"])["created"] == {"name": "Homecoming", "order": 1, "parent": None}
        await pilot.press("u")
        await pilot.pause()
        assert app.notices[-1] == "Undone: your coding “A” (Heist 2018) as new construct 'Homecoming'"
        assert "Homecoming" not in construct_names(small_project) and "Homecoming" not in panel.plain
        assert [c for c in live(small_project) if c[1] == "Homecoming"] == []
        await pilot.press("U")
        await pilot.pause()
        assert app.notices[-1] == "Redone: your coding “A” (Heist 2018) as new construct 'Homecoming'"
        assert rows(small_project, "SELECT id FROM construct WHERE name = 'Homecoming'")[0]["id"] == made
        assert ("alice", "Homecoming", 19, 20) in live(small_project) and "Homecoming" in panel.plain


async def test_the_construct_stays_when_something_else_uses_it(make_app, small_project, shared):
    app = make_app("alice")
    async with app.run_test(size=SIZE) as pilot:
        await code_new(pilot, app, (19, 20), "Homecoming", "1")
        with Project.open(small_project) as other:  # ben codes with it in his own process
            made = constructs.by_name(other.db, "Homecoming").id
            codings.add(other.db, HEIST, made, other.reviewer_id("ben"), 40, 50)
        await pilot.press("u")
        await pilot.pause()
        assert app.notices[-1] == "Undone: your coding “A” (Heist 2018) as new construct 'Homecoming'"
        assert "Homecoming" in construct_names(small_project)
        assert [c for c in live(small_project) if c[1] == "Homecoming"] == [("ben", "Homecoming", 40, 50)]
