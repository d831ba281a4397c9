"""core.adjudication: clusters of overlapping codings per construct, agreed or not, the short ids
keyed on what a cluster holds, and the stretches only one reviewer coded."""
from workbench.core.adjudication import (Span, clusters, differing, judgement_signature, short_id,
                                         span_signature)


def test_overlapping_spans_of_one_construct_form_a_cluster_touching_ones_do_not():
    a = [(1, Span(1, 0, 10)), (1, Span(2, 20, 30)), (2, Span(3, 0, 10))]
    b = [(1, Span(4, 5, 12)), (1, Span(5, 30, 40)), (2, Span(6, 0, 10)), (1, Span(7, 11, 21))]
    found = clusters(a, b)
    assert [(c.construct, c.offsets_a, c.offsets_b, c.agreed) for c in found] == [  # by start, then end
        (2, ((0, 10),), ((0, 10),), True),
        (1, ((0, 10), (20, 30)), ((5, 12), (11, 21)), False),  # 0-10 ~ 5-12 ~ 11-21 ~ 20-30: one chain
        (1, (), ((30, 40),), False),                            # touches 20-30 at 30 only
    ]
    assert (found[1].start, found[1].end) == (0, 30)


def test_a_cluster_is_agreed_only_when_both_have_the_same_spans():
    assert clusters([(1, Span(1, 0, 5)), (1, Span(2, 3, 9))], [(1, Span(3, 0, 5)), (1, Span(4, 3, 9))])[0].agreed
    assert not clusters([(1, Span(1, 0, 5))], [(1, Span(3, 0, 5)), (1, Span(4, 3, 9))])[0].agreed
    assert clusters([], []) == []


def test_ids_follow_what_the_cluster_holds():
    one = clusters([(1, Span(1, 0, 10))], [(1, Span(2, 0, 8))])[0]
    same_offsets = clusters([(1, Span(9, 0, 10))], [(1, Span(8, 0, 8))])[0]  # other coding ids, same spans
    moved = clusters([(1, Span(1, 0, 10))], [(1, Span(2, 0, 9))])[0]
    sig = span_signature((1, 2), 7, one)
    assert sig == span_signature((1, 2), 7, same_offsets) != span_signature((1, 2), 7, moved)
    assert short_id(sig) == short_id(span_signature((1, 2), 7, same_offsets)) and len(short_id(sig)) == 8
    assert span_signature((1, 2), 8, one) != sig and span_signature((2, 1), 7, one) != sig
    assert judgement_signature((1, 2), 7, 3, "reciprocal", None) != judgement_signature((1, 2), 7, 3, None, "reciprocal")


def test_differing_marks_what_only_one_side_coded():
    assert differing([(0, 10)], [(5, 15)], 0, 15) == [(0, 5, "a"), (10, 15, "b")]
    assert differing([(0, 4), (6, 10)], [(0, 10)], 0, 10) == [(4, 6, "b")]
    assert differing([(0, 10)], [(0, 10)], 0, 10) == []
