"""Proposing which of one reviewer's constructs means which of another's (core.alignment), on
constructs written by hand the way the demo's two blind reviewers, alice and ben, name theirs."""
from workbench.core.alignment import THRESHOLD, Entry, propose, score

ALICE = [Entry(1, "Obligation to family", 2, "Doctors return to care for ageing parents and relatives."),
         Entry(2, "Reintegration challenges", 2, "Difficulties of working again in the home health system."),
         Entry(3, "Stigma", 1),
         Entry(4, "Pivotal experiences", 2, "Moments that changed the course of a doctor's career."),
         Entry(5, "Lower pay at home", 1)]
BEN = [Entry(11, "Family obligations", 2, "A duty to look after family members back home."),
       Entry(12, "Challenges of professional reintegration", 2, "Hard transitions back into the home health service."),
       Entry(13, "Fear of stigma", 1),
       Entry(14, "Turning points", 2, "Events that turned a doctor's career in a new direction."),
       Entry(15, "Financial sacrifice", 1)]


def test_the_same_ideas_in_other_words_are_paired_best_first_and_the_rest_listed_with_their_closest():
    proposal = propose(ALICE, BEN)
    assert [(p.a.name, p.b.name) for p in proposal.pairs] == [
        ("Stigma", "Fear of stigma"),
        ("Obligation to family", "Family obligations"),
        ("Reintegration challenges", "Challenges of professional reintegration")]
    scores = [p.score for p in proposal.pairs]
    assert scores == sorted(scores, reverse=True) and min(scores) >= THRESHOLD
    # "Turning points" says what "Pivotal experiences" says in no shared word: left for a person to pair;
    # the closest partner offered is one still free
    assert [(u.entry.name, u.closest.b.name) for u in proposal.unaligned_a] == [
        ("Lower pay at home", "Financial sacrifice"), ("Pivotal experiences", "Turning points")]
    assert [(u.entry.name, u.closest.a.name) for u in proposal.unaligned_b] == [
        ("Financial sacrifice", "Lower pay at home"), ("Turning points", "Pivotal experiences")]


def test_a_score_says_what_made_it():
    family = score(ALICE[0], BEN[0])
    assert family.name_score == 100.0  # the same two words in another order and number
    assert family.definition_score is not None and family.definition_score < 60
    assert family.score == round(0.6 * 100 + 0.4 * family.definition_score, 1)
    assert family.why.startswith("names 100% alike (both say obligation, family); definitions ")
    stigma = score(ALICE[2], BEN[2])
    assert stigma.definition_score is None and stigma.score == stigma.name_score
    assert stigma.why == "names 85% alike (both say stigma); no definition to compare"


def test_constructs_of_different_orders_are_never_paired():
    quote = [Entry(1, "Family obligations", 1)]
    theme = [Entry(2, "Family obligations!", 2)]
    proposal = propose(quote, theme)
    assert proposal.pairs == ()
    assert [(u.entry.name, u.closest) for u in proposal.unaligned_a] == [("Family obligations", None)]


def test_one_to_one_the_better_pair_wins_and_ties_go_by_name():
    alice = [Entry(1, "Stigma", 1)]
    ben = [Entry(2, "Stigma at work", 1), Entry(3, "Fear of stigma", 1)]
    # both score alike against "Stigma" (one added word each): the tie goes to the name first in the alphabet
    assert score(alice[0], ben[0]).score == score(alice[0], ben[1]).score
    proposal = propose(alice, ben)
    assert [(p.a.name, p.b.name) for p in proposal.pairs] == [("Stigma", "Fear of stigma")]
    assert [u.entry.name for u in proposal.unaligned_b] == ["Stigma at work"]
    # the input's order changes nothing
    assert propose(alice, ben[::-1]).pairs == proposal.pairs


def test_shared_constructs_are_aligned_with_themselves_and_the_threshold_is_the_callers():
    shared = [Entry(7, "Pivotal experiences", 2), Entry(8, "Family trumps finances", 2)]
    proposal = propose(ALICE[:1], BEN[:1], shared, threshold=80)
    assert [e.name for e in proposal.shared] == ["Family trumps finances", "Pivotal experiences"]
    assert proposal.pairs == () and proposal.threshold == 80
    assert [u.entry.name for u in proposal.unaligned_a] == ["Obligation to family"]


def test_nothing_to_align_is_an_empty_proposal():
    assert propose([], []) == propose([], [], threshold=THRESHOLD)
    assert propose([], BEN).pairs == ()
    assert [u.closest for u in propose([], BEN).unaligned_b] == [None] * 5
