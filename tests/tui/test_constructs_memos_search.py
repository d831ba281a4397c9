"""Issue 3 in the TUI, driven by keys: the constructs tree (nesting, counts per reviewer, blind and
all), jumping from a construct to its spans, memo editing, undo/redo of codings and
restructurings, and search. Assertions read the database through a fresh connection and the
text the panels show."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import keys_for, palette_highlight, rows, wait_until

from workbench.store import codings, constructs, memos
from workbench.store.project import Project
from workbench.tui.screens.constructs import ConstructsScreen
from workbench.tui.screens.define import DefineScreen
from workbench.tui.screens.help import HelpScreen
from workbench.tui.screens.memo import MemoScreen
from workbench.tui.screens.modals import ChooseScreen, ConfirmScreen, InputScreen
from workbench.tui.screens.picker import ConstructPicker
from workbench.tui.screens.search import SearchScreen
from workbench.tui.screens.spans import SpansScreen

HEIST, FREHYWOT, NEWMAN = 1, 2, 3  # study ids (and chronological order)
SIZE = (100, 30)


def text_of(project: Path, study_id: int) -> str:
    return rows(project, "SELECT text FROM document WHERE study_id = ?", [study_id])[0]["text"]


def live(project: Path) -> list[tuple]:
    """(reviewer, construct, study, start, end) of every live coding."""
    return [tuple(r) for r in rows(project, "SELECT r.name, k.name, c.study_id, c.span_start, c.span_end FROM coding c "
                                            "JOIN construct k ON k.id = c.construct_id JOIN reviewer r ON r.id = "
                                            "c.reviewer_id WHERE c.removed_at IS NULL ORDER BY c.id")]


@pytest.fixture
def coded(small_project) -> dict:
    """A small codebook (an overarching third-order construct with one under it, a second-order
    one with a first-order one under it) and codings by alice and ben in three studies."""
    diaspora = text_of(small_project, FREHYWOT).index("diaspora")
    with Project.open(small_project) as project:
        db = project.db
        alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
        k = {
            "over": constructs.create(db, "Reintegration challenges", 3, alice),
            "wasted": constructs.create(db, "Wasted skills", 3, alice, parent="Reintegration challenges"),
            "family": constructs.create(db, "Family over finances", 3, alice),
            "pivotal": constructs.create(db, "Pivotal experiences", 2, alice),
            "quote": constructs.create(db, "Dissatisfaction with training", 1, alice, parent="Pivotal experiences"),
        }
        codings.add(db, HEIST, k["pivotal"].id, alice, 0, 17)
        codings.add(db, FREHYWOT, k["pivotal"].id, alice, diaspora, diaspora + 8)
        codings.add(db, HEIST, k["pivotal"].id, ben, 232, 300)
        codings.add(db, NEWMAN, k["family"].id, ben, 10, 30)
        codings.add(db, NEWMAN, k["wasted"].id, ben, 40, 60)
    return {**{name: c.id for name, c in k.items()}, "diaspora": diaspora}


async def open_tree(pilot, app) -> ConstructsScreen:
    await pilot.press("k")
    await pilot.pause()
    assert isinstance(app.screen, ConstructsScreen)
    return app.screen


async def test_tree_nests_constructs_by_order_with_counts_per_reviewer(make_app, small_project, coded):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.coding_screen.text_view.move_to_offset(100)  # no coding here: the tree starts at the top
        tree = await open_tree(pilot, app)
        # blind (the default): only alice's counts, ben's codings are not even hinted at
        assert tree.plain_lines == [
            "[1] first-order (1)",
            "  Dissatisfaction with training  alice 0  (under [2] Pivotal experiences)",
            "[2] second-order (1)",
            "  Pivotal experiences  alice 2",
            "[3] third-order (3)",
            "  Family over finances  alice 0",
            "  Reintegration challenges  alice 0",
            "    Wasted skills  alice 0",
        ]
        assert "ben" not in "\n".join(tree.plain_lines)
        # v: every reviewer's counts (and the coding screen follows)
        await pilot.press("v")
        await pilot.pause()
        assert tree.plain_lines[3] == "  Pivotal experiences  alice 2 · ben 1"
        assert tree.plain_lines[5] == "  Family over finances  ben 1"
        assert tree.plain_lines[6] == "  Reintegration challenges  no codings"
        assert tree.plain_lines[7] == "    Wasted skills  ben 1"
        assert app.session.show_all and "all reviewers" in app.coding_screen.status_plain

        # arrows move; left folds a construct with children, right unfolds and goes into it
        assert tree.tree.cursor_line == 0
        await pilot.press("down", "down", "down")
        assert tree.current.name == "Pivotal experiences"
        assert "Pivotal experiences" in str(tree.detail.render())
        await pilot.press("down", "down", "down")
        assert tree.current.name == "Reintegration challenges"
        await pilot.press("left")
        assert tree.plain_lines[-1] == "  Reintegration challenges  no codings"  # Wasted skills folded away
        await pilot.press("right")
        assert tree.plain_lines[-1] == "    Wasted skills  ben 1"
        await pilot.press("right")
        assert tree.current.name == "Wasted skills"
        await pilot.press("left")  # a leaf: left goes to the construct it is under
        assert tree.current.name == "Reintegration challenges"
        # enter on an order group folds it
        await pilot.press("up", "up", "up", "up", "up", "up")
        assert tree.tree.cursor_line == 0
        await pilot.press("enter")
        assert tree.plain_lines[:2] == ["[1] first-order (1)", "[2] second-order (1)"]
        await pilot.press("enter")
        assert len(tree.plain_lines) == 8

        # the help lists the tree's keys, generated from its bindings
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        plain = app.screen.plain
        for words in ("Constructs tree", "Spans of the construct", "Merge the construct into another",
                      "Move the construct under another parent", "Edit your memo on the construct",
                      "Undo your last coding", "Save the memo", "Search study texts and memos",
                      "Edit your memo on the coding at the cursor", "Edit your memo on this study"):
            assert words in plain, words
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # back to the coding screen
        await pilot.pause()
        assert app.screen is app.coding_screen


async def test_footer_keeps_the_most_used_keys_readable_at_80x24(make_app, coded):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.coding_screen.query_one("Footer")
        shown = [w.key for w in footer.query("FooterKey")]
        assert {"c", "x", "k", "m", "slash", "question_mark"} <= set(shown)
        keys = [w for w in footer.query("FooterKey") if w.key != "ctrl+p"]
        assert max(w.region.right for w in keys) <= 80 - len("^p Palette")  # nothing cut off


async def test_jump_from_a_construct_to_its_spans_in_context(make_app, small_project, coded):
    frehywot = text_of(small_project, FREHYWOT)
    d = coded["diaspora"]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        # the cursor is on alice's coding 0-17: k opens the tree on its construct
        tree = await open_tree(pilot, app)
        assert tree.current.name == "Pivotal experiences"
        await pilot.press("j")
        await pilot.pause()
        spans = app.screen
        assert isinstance(spans, SpansScreen)
        listed = spans.plain.split("\n")
        # alice's two spans only (blind), in study order, each quote in its context with offsets
        assert len(listed) == 4
        assert listed[0].startswith("  1. 2018 Medical migration") and listed[0].endswith("· alice · 0-17")
        assert listed[1].strip().startswith("«Medical migration»: A qualitative")
        assert listed[2].startswith("  2. 2019 Medical diaspora") and listed[2].endswith(f"· alice · {d}-{d + 8}")
        before = " ".join(frehywot[d - 32:d].split())
        assert f"{before[-10:]} «diaspora»{frehywot[d + 8:d + 20]}" in listed[3]
        assert listed[3].strip().startswith("…") and listed[3].endswith("…")  # prefix … «quote» … suffix
        assert "ben" not in spans.plain
        # down, enter: the 2019 study opens with exactly that span selected
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.coding_screen
        view = app.coding_screen.text_view
        assert app.session.study_id == FREHYWOT
        assert view.selection_offsets() == (d, d + 8) and view.selected_text == "diaspora"
        assert app.focused is view
        assert "alice, " + f"{d}-{d + 8}" in app.coding_screen.at_cursor.plain

        # every reviewer's spans after v; enter on the construct opens them too; escape goes back
        tree = await open_tree(pilot, app)
        await pilot.press("v")
        await pilot.pause()
        assert tree.current.name == "Pivotal experiences"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SpansScreen)
        assert "· ben · 232-300" in app.screen.plain and app.screen.plain.count("\n") == 5
        await pilot.press("down", "enter")  # the second listed: ben's span in Heist 2018
        await pilot.pause()
        assert app.session.study_id == HEIST
        assert view.selection_offsets() == (232, 300)


async def test_memo_editing_on_coding_study_construct_and_project(make_app, small_project, coded):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        screen.text_view.move_to_offset(3)  # inside alice's coding 0-17
        await pilot.pause()
        assert "✎" not in screen.at_cursor.plain
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*keys_for("Title"), "enter", *keys_for("abstract"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        saved = rows(small_project, "SELECT target_kind, target_id, reviewer_id, text FROM memo WHERE removed_at IS NULL")
        coding_id = rows(small_project, "SELECT id FROM coding WHERE span_start = 0 AND reviewer_id = 1")[0]["id"]
        assert [tuple(r) for r in saved] == [("coding", coding_id, 1, "Title\nabstract")]
        assert "✎ alice, 0-17" in screen.at_cursor.plain  # marked, in the indent: the panel keeps its layout

        # editing it again shows the text; escape after a change asks, and n keeps editing
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.editor.text == "Title\nabstract"
        await pilot.press(*keys_for(" x"), "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MemoScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # throw the change away
        await pilot.pause()
        assert app.screen is screen
        assert rows(small_project, "SELECT text FROM memo")[0]["text"] == "Title\nabstract"

        # M: the study's memo; the study title shows ✎ once it has one
        assert "✎" not in str(screen.text_view.border_title)
        await pilot.press("M")
        await pilot.pause()
        await pilot.press(*keys_for("Atypical"), "ctrl+s")
        await pilot.pause()
        assert rows(small_project, "SELECT text FROM memo WHERE target_kind = 'study' AND target_id = ?",
                    [HEIST])[0]["text"] == "Atypical"
        assert "✎" in str(screen.text_view.border_title)

        # e in the tree: the construct's memo, marked in the tree
        tree = await open_tree(pilot, app)
        assert tree.current.name == "Pivotal experiences"
        await pilot.press("e")
        await pilot.pause()
        await pilot.press(*keys_for("Turns"), "ctrl+s")
        await pilot.pause()
        assert rows(small_project, "SELECT target_id FROM memo WHERE target_kind = 'construct'")[0][0] == coded["pivotal"]
        assert "  Pivotal experiences  alice 2 ✎" in tree.plain_lines
        await pilot.press("escape")
        await pilot.pause()

        # the project memo, from the palette
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*keys_for("memo project"))
        wanted = "Edit your memo on the project"
        await wait_until(pilot, lambda: palette_highlight(app) == wanted, f"the palette to highlight {wanted!r}")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MemoScreen), "the memo editor to open")
        assert isinstance(app.screen, MemoScreen)
        await pilot.press(*keys_for("Seven"), "ctrl+s")
        await pilot.pause()
        assert [tuple(r) for r in rows(small_project, "SELECT target_id, text FROM memo WHERE target_kind = 'project'")] \
            == [(None, "Seven")]

        # removing a memo: empty it and save; u brings it back
        screen.text_view.move_to_offset(3)
        await pilot.press("m")
        await pilot.pause()
        app.screen.editor.select_all()
        await pilot.press("backspace", "ctrl+s")
        await pilot.pause()
        assert rows(small_project, "SELECT removed_at FROM memo WHERE target_kind = 'coding'")[0][0] is not None
        assert "✎" not in screen.at_cursor.plain
        await pilot.press("u")
        await pilot.pause()
        assert rows(small_project, "SELECT removed_at FROM memo WHERE target_kind = 'coding'")[0][0] is None
        assert "✎ alice, 0-17" in screen.at_cursor.plain


async def test_undo_and_redo_a_coding_with_keys(make_app, small_project, coded):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.coding_screen
        view = screen.text_view
        before = live(small_project)
        view.select_offsets(232, 300)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*keys_for("family"), "enter")
        await pilot.pause()
        made = ("alice", "Family over finances", HEIST, 232, 300)
        assert live(small_project) == before + [made]
        assert screen.study_list.row_text(HEIST).rstrip().endswith("2 ○")

        await pilot.press("ctrl+z")  # the read-only text's own undo must not take the key
        await pilot.pause()
        assert live(small_project) == before
        assert view.span_count == 1 and screen.study_list.row_text(HEIST).rstrip().endswith("1 ○")
        assert app.notices[-1] == ("Undone: your coding “Background: International Medical Gradu…” (Medical "
                                   "migration 2018) as 'Family over finances'")
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert live(small_project) == before + [made]
        assert view.span_count == 2 and app.notices[-1].startswith("Redone: your coding “Background")
        await pilot.press("u")
        await pilot.pause()
        assert live(small_project) == before
        await pilot.press("U")
        await pilot.pause()
        assert live(small_project) == before + [made]
        view.move_to_offset(240)
        await pilot.pause()
        assert "Family over finances" in screen.at_cursor.plain
        # nothing more to redo; undo goes on back through earlier actions (the seeded codings)
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert app.notices[-1] == "Nothing to redo."
        assert view.text == text_of(small_project, HEIST)  # and the text was never edited


async def test_rename_merge_and_delete_in_the_tree_with_undo(make_app, small_project, coded):
    # ben coded with these constructs too: alice restructures them as a lead, saying y each time (issue 10)
    settings = small_project / "project.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "leads: [alice]\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("v")
        tree = await open_tree(pilot, app)
        assert tree.current.name == "Pivotal experiences"

        # r: rename through an input dialog
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "used by ben (1 coding)" in str(app.screen.question)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, InputScreen)
        await pilot.press(*keys_for("Turning points"), "enter")
        await pilot.pause()
        names = lambda: sorted(r[0] for r in rows(small_project, "SELECT name FROM construct"))  # noqa: E731
        assert "Turning points" in names() and "Pivotal experiences" not in names()
        assert "  Turning points  alice 2 · ben 1" in tree.plain_lines
        assert tree.current.name == "Turning points"
        await pilot.press("u")
        await pilot.pause()
        assert "Pivotal experiences" in names() and "Turning points" not in names()
        assert "  Pivotal experiences  alice 2 · ben 1" in tree.plain_lines
        assert "[2] Pivotal experiences" in app.coding_screen.at_cursor.plain  # the coding screen follows
        await pilot.press("U")
        await pilot.pause()
        assert "Turning points" in names()

        # m: merge "Family over finances" (ben 1) into "Wasted skills" (ben 1): codings of both stay
        start = live(small_project)
        await pilot.press("down", "down")
        assert tree.current.name == "Family over finances"
        await pilot.press("m")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ConstructPicker) and f"c{coded['family']}" not in picker.option_ids
        await pilot.press(*keys_for("wasted"), "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "Family over finances" not in names()
        merged = live(small_project)
        assert len(merged) == len(start)
        assert [c for c in merged if c[2] == NEWMAN] == [("ben", "Wasted skills", NEWMAN, 10, 30),
                                                       ("ben", "Wasted skills", NEWMAN, 40, 60)]
        assert "    Wasted skills  ben 2" in tree.plain_lines and tree.current.name == "Wasted skills"
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert live(small_project) == start
        assert "  Family over finances  ben 1" in tree.plain_lines
        await pilot.press("ctrl+y")
        await pilot.pause()
        assert live(small_project) == merged

        # d on a construct with another under it: the store's refusal is shown, nothing changes
        await pilot.press("up")
        assert tree.current.name == "Reintegration challenges"
        await pilot.press("d")
        await pilot.pause()
        assert app.screen is tree
        assert "Cannot delete" in app.notices[-1] and "Wasted skills" in app.notices[-1]
        # d on a construct with codings: the confirmation says they go too; n keeps everything
        await pilot.press("down")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "2 live codings" in str(app.screen.question)
        await pilot.press("n")
        await pilot.pause()
        assert live(small_project) == merged
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert "Wasted skills" not in names()
        assert [c for c in live(small_project) if c[2] == NEWMAN] == []
        await pilot.press("u")
        await pilot.pause()
        assert live(small_project) == merged and "    Wasted skills  ben 2" in tree.plain_lines


async def test_search_lists_hits_and_enter_selects_the_match(make_app, small_project, coded):
    with Project.open(small_project) as project:
        memos.set_memo(project.db, "study", NEWMAN, project.reviewer_id("alice"), "Homesickness recurs in every study")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        view = app.coding_screen.text_view
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen
        assert isinstance(search, SearchScreen)
        await pilot.press(*keys_for("returning"))
        await wait_until(pilot, lambda: search.searched == "returning", "the hits for 'returning'")
        assert search.hits and all(h.kind == "study" for h in search.hits)
        lines = search.plain.split("\n")
        assert len(lines) == len(search.hits) and all("«" in line and "»" in line for line in lines)
        assert search.message.startswith(f"{len(search.hits)} hit")
        second = search.hits[1]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.coding_screen
        assert app.session.study_id == second.study_id
        assert view.selection_offsets() == (second.start, second.end)
        assert view.selected_text == second.match and second.match.lower().startswith("return")

        # a Chinese query in the review's abstract (seed 000): code points, not terminal cells
        newman = text_of(small_project, NEWMAN)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"家庭因素")
        await wait_until(pilot, lambda: app.screen.searched == "家庭因素", "the hits for 家庭因素")
        hit = app.screen.hits[0]
        assert (hit.kind, hit.study_id, hit.match) == ("study", NEWMAN, "家庭因素")
        assert "«家庭因素»" in app.screen.plain
        await pilot.press("enter")
        await pilot.pause()
        start = newman.index("家庭因素")
        assert app.session.study_id == NEWMAN
        assert view.selection_offsets() == (start, start + 4) and view.selected_text == "家庭因素"

        # a memo hit is marked; enter goes to the memo's study
        await pilot.press("p", "p")  # away from the review
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*keys_for("homesick*"))
        await wait_until(pilot, lambda: app.screen.searched == "homesick*", "the hits for homesick*")
        assert [h.kind for h in app.screen.hits] == ["memo"]
        assert app.screen.plain.startswith("✎ alice's memo on the study Return migrat…") and \
            "«Homesickness»" in app.screen.plain
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.coding_screen and app.session.study_id == NEWMAN
        assert "✎" in str(view.border_title)

        # nothing to search for: said, not an error; escape closes
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press("full_stop")
        await wait_until(pilot, lambda: app.screen.searched == ".", "the search for '.'")
        assert app.screen.hits == [] and "nothing to search for" in app.screen.message
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.coding_screen


async def test_link_one_order_up_shows_under_the_tree_and_unlink_with_undo(make_app, small_project, coded):
    links = lambda: [tuple(r) for r in rows(  # noqa: E731
        small_project, "SELECT a.name, l.kind, b.name FROM construct_link l JOIN construct a ON a.id = l.from_id "
                       "JOIN construct b ON b.id = l.to_id ORDER BY l.id")]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tree = await open_tree(pilot, app)
        assert tree.current.name == "Pivotal experiences"

        # l on a second-order construct: the picker offers third-order constructs only
        await pilot.press("l")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ConstructPicker)
        assert sorted(picker.option_ids) == sorted(f"c{coded[k]}" for k in ("over", "wasted", "family"))
        await pilot.press(*keys_for("family"), "enter")
        await pilot.pause()
        assert links() == [("Pivotal experiences", "interprets", "Family over finances")]
        assert "interprets Family over finances" in str(tree.detail.render())
        assert app.notices[-1] == "Linked: “Pivotal experiences” interprets “Family over finances” (u undoes)."

        # the third-order end shows it the other way round; l there explains where links start
        await pilot.press("down", "down")
        assert tree.current.name == "Family over finances"
        assert "interpreted by Pivotal experiences" in str(tree.detail.render())
        await pilot.press("l")
        await pilot.pause()
        assert not isinstance(app.screen, ConstructPicker)
        assert app.notices[-1].startswith("Third-order constructs are linked from second-order ones")

        # L: choose the link to remove; u puts it back, U takes it out again
        await pilot.press("L")
        await pilot.pause()
        assert isinstance(app.screen, ChooseScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert links() == []
        assert "interpreted by" not in str(tree.detail.render())
        await pilot.press("u")
        await pilot.pause()
        assert links() == [("Pivotal experiences", "interprets", "Family over finances")]
        assert "interpreted by Pivotal experiences" in str(tree.detail.render())
        await pilot.press("U")
        await pilot.pause()
        assert links() == []


async def test_define_a_construct_in_a_form_and_undo(make_app, small_project, coded):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        tree = await open_tree(pilot, app)
        assert tree.current.name == "Pivotal experiences"
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, DefineScreen)
        await pilot.press(*keys_for("Turning points in training"))
        await pilot.press("tab", *keys_for("A doctor names an event that changed their path"))
        await pilot.press("escape")  # changed: asks before throwing the changes away
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = rows(small_project, "SELECT definition, when_to_use, when_not_to_use FROM construct WHERE id = ?",
                     [coded["pivotal"]])[0]
        assert tuple(saved) == ("Turning points in training", "A doctor names an event that changed their path", "")
        assert "Turning points in training" in str(tree.detail.render())
        assert app.notices[-1] == "Saved “Pivotal experiences”: definition, when to use (u undoes)."
        await pilot.press("u")
        await pilot.pause()
        assert rows(small_project, "SELECT definition FROM construct WHERE id = ?", [coded["pivotal"]])[0][0] == ""
        assert "No definition yet." in str(tree.detail.render())
