"""The plain-Python parts behind the constructs tree and the spans list: nesting by order, counts
per reviewer in words, and the store's read-only queries the TUI shows (no Textual needed)."""
from __future__ import annotations



from workbench.store import codings, constructs, memos
from workbench.store.constructs import Construct
from workbench.store.project import Project
from workbench.tui import tree_model


def k(id, name, order, parent=None) -> Construct:
    return Construct(id, f"g{id}", name, order, parent, "", None)


def test_tree_nests_same_order_children_and_names_other_order_parents():
    ks = [k(1, "Reintegration", 3), k(2, "wasted skills", 3, 1), k(3, "Brain drain", 3, 1),
          k(4, "Pivotal", 2, 2), k(5, "quote", 1, 4), k(6, "Alpha", 3)]
    groups = tree_model.build(ks)
    assert [(g.order, g.size) for g in groups] == [(1, 1), (2, 1), (3, 4)]
    third = groups[2]
    assert [n.construct.name for n in third.roots] == ["Alpha", "Reintegration"]  # by name, any case
    assert [c.construct.name for c in third.roots[1].children] == ["Brain drain", "wasted skills"]
    assert groups[1].roots[0].parent_elsewhere.name == "wasted skills"  # 2nd-order under a 3rd-order one
    assert [(d, n.construct.id) for d, n in tree_model.walk(groups)] == [
        (0, 5), (0, 4), (0, 6), (0, 1), (1, 3), (1, 2)]
    assert tree_model.descendants(1, ks) == {2, 3, 4, 5}
    assert tree_model.descendants(5, ks) == set()


def test_tree_shows_every_construct_even_in_a_cycle_of_parents():
    groups = tree_model.build([k(1, "A", 3, 2), k(2, "B", 3, 1), k(3, "C", 3)])
    assert sorted(d_n[1].construct.name for d_n in tree_model.walk(groups)) == ["A", "B", "C"]


def test_counts_in_words_blind_and_all():
    names = {1: "alice", 2: "ben", 3: "carol"}
    counts = {1: 4, 2: 2, 3: 0}
    assert tree_model.count_words(counts, names, 1, show_all=False) == "alice 4"
    assert tree_model.count_words({2: 2}, names, 1, show_all=False) == "alice 0"
    assert tree_model.count_words(counts, names, 1, show_all=True) == "alice 4 · ben 2"
    assert tree_model.count_words({2: 2, 3: 1}, names, 1, show_all=True) == "ben 2 · carol 1"
    assert tree_model.count_words({}, names, 1, show_all=True) == "no codings"
    assert tree_model.whose_words(counts, names, 1, show_all=False) == "4 yours, 2 by other reviewers"
    assert tree_model.whose_words(counts, names, 1, show_all=True) == "alice 4 · ben 2"


def test_queries_read_spans_counts_and_memo_marks(small_project):
    with Project.open(small_project) as project:
        db = project.db
        alice, ben = project.reviewer_id("alice"), project.reviewer_id("ben")
        theme = constructs.create(db, "Pivotal experiences", 2, alice)
        other = constructs.create(db, "Other", 2, alice)
        first = codings.add(db, 2, theme.id, alice, 100, 120)
        codings.add(db, 1, theme.id, ben, 0, 17)
        gone = codings.add(db, 1, theme.id, alice, 20, 30)
        codings.remove(db, gone.id, alice)
        codings.add(db, 1, other.id, alice, 5, 9)
        assert codings.counts_by_reviewer(db) == {theme.id: {alice: 1, ben: 1}, other.id: {alice: 1}}
        spans = codings.spans_of(db, theme.id)
        assert [(s.study_id, s.reviewer, s.start, s.end) for s in spans] == [(1, "ben", 0, 17), (2, "alice", 100, 120)]
        text = db.execute("SELECT text FROM document WHERE study_id = 2").fetchone()[0]
        mine = codings.spans_of(db, theme.id, alice)
        assert len(mine) == 1 and mine[0].exact == text[100:120]
        assert text[:100].endswith(mine[0].prefix) and text[120:].startswith(mine[0].suffix)
        assert mine[0].year == 2019 and mine[0].study_title.startswith("Medical diaspora")

        assert memos.coded_memo_ids(db, 2) == set()
        memos.set_memo(db, "coding", first.id, ben, "ben's note")
        memos.set_memo(db, "study", 2, alice, "study note")
        assert memos.coded_memo_ids(db, 2) == {first.id}
        assert memos.coded_memo_ids(db, 2, alice) == set()
        assert memos.has_memo(db, "study", 2, alice) and not memos.has_memo(db, "study", 2, ben)
        assert not memos.has_memo(db, "project", None)
        memos.set_memo(db, "coding", first.id, ben, "")  # removed: no mark any more
        assert memos.coded_memo_ids(db, 2) == set()
        memo_id = memos.set_memo(db, "construct", theme.id, alice, "x").id
        assert memos.memo_ids_of(db, "construct") == {theme.id}
        assert memos.memo_target(db, memo_id) == ("construct", theme.id)
        assert codings.place(db, first.id) == (2, 100, 120)
