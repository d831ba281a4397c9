"""`s` selects a sentence without its section label or the journal's masthead (issue 10, item 13)."""
from __future__ import annotations

from support import keys_for, rows

from workbench.store import constructs
from workbench.store.project import Project

HEIST, FREHYWOT = 1, 2
RESULTS_SENTENCE = ("The emerging model of the Japanese IMG experience is focused around pivotal experiences that often "
                    "include dissatisfaction with the quality of Japanese clinical training and personal exposures to "
                    "US clinical education.")


def text_of(project, study_id: int) -> str:
    return rows(project, "SELECT text FROM document WHERE study_id = ?", [study_id])[0]["text"]


async def test_s_in_a_labelled_sentence_selects_from_its_first_word_and_codes_that(make_app, small_project):
    with Project.open(small_project) as project:
        constructs.create(project.db, "Pivotal experiences", 2, project.reviewer_id("alice"))
    text = text_of(small_project, HEIST)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.coding_screen.text_view
        view.move_to_offset(text.index("emerging model"))
        await pilot.press("s")
        assert view.selected_text == RESULTS_SENTENCE
        await pilot.press("c", *keys_for("pivotal"), "enter")
        await pilot.pause()
        coded = rows(small_project, "SELECT exact FROM coding WHERE removed_at IS NULL")
        assert [r["exact"] for r in coded] == [RESULTS_SENTENCE]
        # the label is a unit of its own: s on it takes "Results:" alone
        view.move_to_offset(text.index("Results: The emerging") + 2)
        await pilot.press("s")
        assert view.selected_text == "Results:"


async def test_s_on_the_journal_masthead_takes_the_whole_line(make_app, small_project):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.coding_screen
        await pilot.press("shift+tab", "down", "enter")  # the study list, then Frehywot 2019
        await pilot.pause()
        assert screen.session.study_id == FREHYWOT
        text = text_of(small_project, FREHYWOT)
        screen.text_view.move_to_offset(text.index("Author(s)"))
        await pilot.press("s")
        assert screen.text_view.selected_text == "Human Resources for Health©\u00a0The Author(s).\u00a02019"
        screen.text_view.move_to_offset(text.index("Background\n") + 3)
        await pilot.press("s")
        assert screen.text_view.selected_text == "Background"
