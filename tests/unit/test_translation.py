"""The translation grid's pure model (core.translation): rows, reach, cells, summaries, filters."""
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.translation import (KINDS, Column, GridInputs, Judgement, Node, TranslationError, below,
                                        build_grid, parse_kind, reach)
import pytest


def test_parse_kind_takes_what_reviewers_type():
    assert [parse_kind(k) for k in ("reciprocal", "Line-of-argument", "not addressed", "line_of_argument")] == [
        "reciprocal", "line_of_argument", "not_addressed", "line_of_argument"]
    with pytest.raises(TranslationError, match="a translation is reciprocal, refutational, line-of-argument, "
                                               "not-addressed, not 'same'"):
        parse_kind("same")


def test_reach_follows_links_and_children_and_survives_a_loop():
    nodes = [Node(1, "T", 3, None), Node(2, "S", 2, 1), Node(3, "F", 1, None), Node(4, "G", 1, 3)]
    down = below(nodes, [(3, 2), (2, 1)])  # 2 is also under 1: the link and the parent both lead there
    assert reach(down, 1) == {1: (), 2: (("interprets", 2),), 3: (("interprets", 2), ("supports", 3)),
                              4: (("interprets", 2), ("supports", 3), ("under", 4))}
    looped = below([Node(1, "A", 2, 2), Node(2, "B", 2, 1)], [])
    assert set(reach(looped, 1)) == {1, 2}


def test_an_overarching_construct_groups_rows_and_is_no_row():
    nodes = [Node(1, "Zeta", 3, None), Node(2, "beta", 3, 1), Node(3, "Alpha", 3, 1), Node(4, "Lone", 3, None)]
    grid = build_grid(GridInputs(nodes, [Column(9, "Ames 2010")]))
    assert [(g.name if g else None, [r.concept.name for r in rows]) for g, rows in grid.groups()] == [
        ("Zeta", ["Alpha", "beta"]), (None, ["Lone"])]


# --- a property: the row summary counts what its cells hold, for any review --------------------------

@st.composite
def reviews(draw):
    n = draw(st.integers(2, 12))
    orders = draw(st.lists(st.sampled_from([1, 2, 3]), min_size=n, max_size=n))
    nodes = []
    for i, order in enumerate(orders, 1):
        higher = [j for j in range(1, i) if orders[j - 1] >= order]
        parent = draw(st.sampled_from([None, *higher])) if higher else None
        nodes.append(Node(i, f"c{i}", order, parent))
    links = [(a.id, b.id) for a in nodes for b in nodes if b.order == a.order + 1 and draw(st.booleans())]
    studies = [Column(s, f"S {s}") for s in range(1, draw(st.integers(1, 4)) + 1)]
    counts = {}
    for node in nodes:
        for study in studies:
            k = draw(st.integers(0, 2))
            if k:
                counts.setdefault(node.id, {})[study.id] = k
    judgements = {}
    for node in nodes:
        for study in studies:
            kind = draw(st.sampled_from([None, *KINDS]))
            if kind:
                judgements[(node.id, study.id)] = [Judgement(1, "alice", kind, "")]
    return GridInputs(nodes, studies, links, counts, judgements)


@settings(max_examples=150, deadline=None)
@given(reviews())
def test_row_summaries_count_their_cells(inputs):
    grid = build_grid(inputs)
    for row in grid.rows:
        cells = row.cells
        assert [c.study_id for c in cells] == [s.id for s in inputs.studies]
        kinds = [c.judgements[0].kind if c.judgements else None for c in cells]
        assert row.summary.refuting == kinds.count("refutational")
        assert row.summary.not_addressed == kinds.count("not_addressed")
        assert row.summary.unjudged == kinds.count(None)
        assert row.summary.contributing == sum(
            1 for c, k in zip(cells, kinds) if c.has_evidence or k in ("reciprocal", "line_of_argument"))
        for cell in cells:
            # every second-order construct shown is of order 2, and the concept's own codings are its own
            assert all(n.order == 2 for n in cell.second_order)
            assert cell.concept_codings == inputs.counts.get(row.concept.id, {}).get(cell.study_id, 0)
            # first-order codings never exceed every first-order coding of the study
            assert cell.first_order_codings <= sum(
                per.get(cell.study_id, 0) for cid, per in inputs.counts.items() if grid.constructs[cid].order == 1)
    # filters keep what they say
    assert all(r.summary.refuting for r in grid.filtered(refuted=True).rows)
    unjudged = grid.filtered(unjudged=True)
    assert all(not c.judged for r in unjudged.rows for _, c in unjudged.visible_cells(r))


def test_the_translation_table_cell_names_constructs_quotes_and_judgements():
    from workbench.interop.translation import cell_text

    cell_ = build_grid(GridInputs([Node(1, "T", 3, None), Node(2, "S | two", 2, None)], [Column(5, "Ames 2010")],
                                  [(2, 1)], {2: {5: 1}},
                                  {(1, 5): [Judgement(1, "alice", "refutational", "other setting")]})).rows[0].cells[0]
    quotes = ["one", "two", "three", "a quote much longer than forty characters in all"]
    assert cell_text(cell_, quotes[:3], 5, True) == "S | two\n“one”; “two”; “three”; +2 more\nrefutational: other setting"
    assert cell_text(cell_, [quotes[3]], 1, False) == (
        "S | two\n“a quote much longer than forty characte…”\nalice: refutational: other setting")
