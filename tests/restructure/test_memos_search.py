"""Memos (per reviewer, Markdown export, the matrix memo column) and full-text search."""
import csv

import pytest
from restructure.restructure_support import code, construct

from workbench.interop.matrix import LONG_HEADER, export, long_table
from workbench.store import codings
from workbench.interop.memos_markdown import export_markdown
from workbench.store.memos import MemoError, all_memos, get_memo, set_memo
from workbench.store.project import Project
from workbench.store.search import SearchError, fts_query, search
from workbench.store.studies import get_text


@pytest.fixture
def project(small_project):
    with Project.open(small_project) as p:
        yield p


def test_memos_are_per_reviewer_and_replace_or_remove(project):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    theme = construct(db, "Pivotal experiences", 2, alice)
    made = set_memo(db, "construct", theme.id, alice, "Use for turning points.\r\nNot for routine.")
    assert made.text == "Use for turning points.\nNot for routine." and made.reviewer == "alice"
    set_memo(db, "construct", theme.id, ben, "Overlaps with Formative?")
    assert [(m.reviewer, m.text) for m in get_memo(db, "construct", theme.id)] == [
        ("alice", "Use for turning points.\nNot for routine."), ("ben", "Overlaps with Formative?")]
    replaced = set_memo(db, "construct", theme.id, alice, "Turning points only.")
    assert replaced.id == made.id and replaced.created_at == made.created_at
    assert [m.text for m in get_memo(db, "construct", theme.id, alice)] == ["Turning points only."]
    events = db.execute("SELECT count(*) FROM event WHERE action = 'memo.set'").fetchone()[0]
    set_memo(db, "construct", theme.id, alice, "Turning points only.")  # unchanged: nothing written
    assert db.execute("SELECT count(*) FROM event WHERE action = 'memo.set'").fetchone()[0] == events
    set_memo(db, "construct", theme.id, alice, "")
    assert [m.reviewer for m in get_memo(db, "construct", theme.id)] == ["ben"]
    assert db.execute("SELECT count(*) FROM memo").fetchone()[0] == 2  # kept, marked removed
    with pytest.raises(MemoError, match="no memo of yours on construct 'Pivotal experiences' to remove"):
        set_memo(db, "construct", theme.id, alice, "")
    with pytest.raises(MemoError, match="no study with id 99"):
        set_memo(db, "study", 99, alice, "x")
    with pytest.raises(MemoError, match="the project memo has no target id"):
        set_memo(db, "project", 1, alice, "x")
    with pytest.raises(MemoError, match="not 'translation'"):
        set_memo(db, "translation", 1, alice, "x")
    coding = code(db, 1, theme.id, alice, "pivotal experiences")
    codings.remove(db, coding.id, alice)
    with pytest.raises(MemoError, match="the coding “pivotal experiences” \\(Medical migration 2018\\) as "
                                        "'Pivotal experiences' was removed"):
        set_memo(db, "coding", coding.id, alice, "x")


def test_markdown_export_groups_memos_and_quotes_codings(project, tmp_path):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    theme = construct(db, "Pivotal experiences", 2, alice)
    top = construct(db, "Reintegration", 3, alice)
    coding = code(db, 3, theme.id, ben, "家庭因素胜过经济因素")
    set_memo(db, "project", None, alice, "Review-wide note")
    set_memo(db, "study", 3, ben, "The review itself")
    set_memo(db, "study", 1, alice, "Heist: grounded theory")
    set_memo(db, "construct", top.id, alice, "Overarching")
    set_memo(db, "construct", theme.id, ben, "Theme memo")
    set_memo(db, "coding", coding.id, ben, "Chinese abstract says the same")
    out = tmp_path / "memos.md"
    assert export_markdown(db, out, title="Test review") == 6
    text = out.read_text(encoding="utf-8")
    order = ["# Memos: Test review", "## Project", "Review-wide note", "## Studies", "### Medical migration",
             "Heist: grounded theory", "### Return migration", "The review itself", "## Constructs",
             "### Pivotal experiences (order 2)", "Theme memo", "### Reintegration (order 3)", "Overarching",
             "## Codings", "### Pivotal experiences: Return migration", "> 家庭因素胜过经济因素",
             "Chinese abstract says the same"]
    positions = [text.index(s) for s in order]
    assert positions == sorted(positions)
    assert f"coding {coding.id} by ben" in text
    assert export_markdown(db, out, reviewer_id=alice) == 3
    assert "Theme memo" not in out.read_text(encoding="utf-8")


def test_matrix_long_form_has_a_memo_column(project, tmp_path):
    db, alice, ben = project.db, project.reviewer_id("alice"), project.reviewer_id("ben")
    theme = construct(db, "Pivotal experiences", 2, alice)
    coding = code(db, 1, theme.id, alice, "pivotal experiences")
    code(db, 1, theme.id, ben, "dissatisfaction")
    set_memo(db, "coding", coding.id, alice, "her memo")
    set_memo(db, "coding", coding.id, ben, "his | view")
    assert LONG_HEADER[-1] == "memo"
    out = tmp_path / "m.csv"
    assert export(db, out, "csv") == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert [r["memo"] for r in rows] == ["alice: her memo | ben: his | view", ""]
    # one reviewer's export (blind) shows only that reviewer's memos
    header, listed = long_table(db, reviewer_id=alice)
    assert [r[-1] for r in listed] == ["alice: her memo"]
    header, listed = long_table(db, memos=False)
    assert "memo" not in header and len(next(iter(listed))) == len(header)


def test_search_stems_english_words_and_gives_exact_offsets(project):
    db = project.db
    hits = search(db, "returning doctor")
    assert hits and {h.kind for h in hits} == {"study"}
    matched = {h.match.lower() for h in hits}
    assert {"return", "returning", "doctors"} <= matched
    for h in hits:
        text, _ = get_text(db, h.study_id)
        assert text[h.start:h.end] == h.match
        assert h.kwic_left.strip() == " ".join(text[max(0, h.start - 40):h.start].split())
        assert h.kwic_right.strip() == " ".join(text[h.end:h.end + 40].split())
    # ranked: the review abstract, about returning doctors, comes first
    assert hits[0].study_id == 3
    assert len(search(db, "returning doctor", limit=3)) == 3


@pytest.mark.parametrize("query", ['"medical migration"', 'IMG\'s "return', "(home) AND OR NOT: -x ^y",
                                   'col:value NEAR(a b)', '"a""b"', "doctor*"])
def test_search_never_raises_on_fts_syntax(project, query):
    for h in search(project.db, query):
        text, _ = get_text(project.db, h.study_id)
        assert text[h.start:h.end] == h.match


def test_search_phrase_and_prefix(project):
    hits = search(project.db, '"medical migration"')
    assert hits and all(" ".join(h.match.lower().split()) == "medical migration" for h in hits)
    assert {h.match.lower() for h in search(project.db, "reintegr*")} == {"reintegration"}
    assert fts_query('a "b c" d* "x""y" -') == '"a" "b c" "d"* "x" "y"'
    with pytest.raises(SearchError, match="nothing to search for"):
        search(project.db, ' " - """ ')


def test_search_a_chinese_substring_in_the_review_abstract(project):
    db = project.db
    hits = search(db, "家庭因素")
    text, _ = get_text(db, 3)
    assert [(h.study_id, h.start) for h in hits] == [(3, text.index("家庭因素"))]
    h = hits[0]
    assert text[h.start:h.end] == h.match == "家庭因素"
    assert h.kwic_right.startswith("胜过经济因素") and h.kwic_left.endswith("回国原因中")


def test_search_finds_live_memos_only(project):
    db, alice = project.db, project.reviewer_id("alice")
    memo = set_memo(db, "study", 1, alice, "Grounded theory; returnees were interviewed twice.")
    hits = [h for h in search(db, "interviews") if h.kind == "memo"]
    assert [(h.memo_id, h.match) for h in hits] == [(memo.id, "interviewed")]
    assert hits[0].title == "alice's memo on the study Medical migration 2018"
    assert memo.text[hits[0].start:hits[0].end] == "interviewed"
    set_memo(db, "study", 1, alice, "在日本接受培训")
    assert [h.kind for h in search(db, "interviews")] == ["study"] * len(search(db, "interviews"))
    assert [(h.kind, h.match) for h in search(db, "日本")] == [("memo", "日本")]
    assert all_memos(db)[0].text == "在日本接受培训"


def test_a_removed_codings_memo_is_hidden_and_comes_back_with_it(project, tmp_path):
    from workbench.store import undo

    db, alice = project.db, project.reviewer_id("alice")
    theme = construct(db, "Pivotal experiences", 2, alice)
    coding = code(db, 1, theme.id, alice, "pivotal experiences")
    set_memo(db, "coding", coding.id, alice, "a telling quote")
    codings.remove(db, coding.id, alice)
    assert all_memos(db) == [] and [h for h in search(db, "telling") if h.kind == "memo"] == []
    assert export_markdown(db, tmp_path / "m.md") == 0
    undo.undo(db, alice)  # the removal
    assert [m.text for m in all_memos(db)] == ["a telling quote"]
    assert [h.match for h in search(db, "telling") if h.kind == "memo"] == ["telling"]
