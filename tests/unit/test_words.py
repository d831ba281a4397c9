"""How messages name things (issue 10, item 9): whose work, studies by author and year, codings by
their quote; never an internal id."""
from __future__ import annotations

import json

from workbench.store import codings, constructs
from workbench.store.project import Project
from workbench.store.words import coding_words, short_title, study_name, whose


def test_whose_work_most_first_with_the_count_spelled_once():
    assert whose({"ben": 1}) == "ben (1 coding)"
    assert whose({"chloe": 1, "alice": 3}) == "alice (3 codings) and chloe (1)"
    assert whose({"dan": 2, "chloe": 1, "alice": 3}) == "alice (3 codings), dan (2) and chloe (1)"


def test_a_title_is_cut_at_its_colon_or_after_a_whole_word():
    assert short_title("Medical migration: a qualitative exploration") == "Medical migration"
    assert short_title("Return migration of international medical graduates: a meta-ethnography") == (
        "Return migration of international…")
    assert short_title("回国医生的家庭因素胜过经济因素") == "回国医生的家庭因素胜过经济因素"


def test_studies_and_codings_in_words(small_project):
    with Project.open(small_project) as project:
        db, alice = project.db, project.reviewer_id("alice")
        assert study_name(db, 1) == "Medical migration 2018"  # no authors: the title's head
        with db.atomic():
            db.execute("UPDATE study SET authors = ? WHERE id = 1", [json.dumps(["Heist, Peter", "Torok, L"])])
        assert study_name(db, 1) == "Heist 2018"
        assert study_name(db, 99) == "a study"
        theme = constructs.create(db, "Pivotal experiences", 2, alice)
        coding = codings.add(db, 1, theme.id, alice, 0, 7)
        assert coding_words(db, coding.id) == "“Medical” (Heist 2018) as 'Pivotal experiences'"
        assert coding_words(db, coding.id, owner=True) == "alice's coding “Medical” (Heist 2018) as 'Pivotal experiences'"
        assert coding_words(db, 999) == "a coding"
