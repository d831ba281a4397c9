"""core.suggestions: light stems, ranking by shared words, the reasons given, and speed."""
import random
import time

from workbench.core.suggestions import Index, Item, rank, stem, words


def test_forms_of_one_word_meet_and_different_words_stay_apart():
    assert {stem(w) for w in ("training", "trained", "trainees", "train")} == {"train"}
    assert stem("families") == stem("family")
    assert stem("disillusionment") == stem("disillusioned")
    assert stem("returnees") == stem("returning") == stem("return")
    assert stem("clinical") == stem("clinics")
    assert stem("career") != stem("car")
    assert stem("doctor's") == stem("doctors") == stem("doctor")


def test_stop_words_and_numbers_are_not_words():
    assert [w for _, w in words("The desire to improve 19 of the Japanese clinics")] == [
        "desire", "improve", "japanese", "clinics"]


FAMILY = Item("family", "Family trumps finances",
              "In the reasons to return, family outweighs the income doctors could earn abroad.",
              ("whilst family trumps finances in reasons to return",))
PRIVATE = Item("private", "Drive to private practice",
               "Returning doctors move towards private practice, disillusioned with state health care.")
WASTED = Item("wasted", "Wasted opportunity for knowledge transfer",
              "What returning doctors learned abroad is not passed on to the medical education at home.")
CONCEPTS = [FAMILY, PRIVATE, WASTED]


def test_the_concept_sharing_the_rare_words_comes_first_with_the_words_as_the_query_writes_them():
    query = Item("q", "Parents before pay", "Doctors went home to their families although the pay abroad was "
                 "better: family mattered more than income.")
    found = rank(query, CONCEPTS)
    assert [s.key for s in found][0] == "family"
    assert found[0].words[:2] == ("families", "income")  # "family" is in the name, weighted most
    assert str(found[0].shared[0]) == "definition ~ name: families"
    assert "definition ~ definition: income" in found[0].reason()
    assert 0 < found[-1].score < found[0].score <= 100


def test_a_near_spelling_counts_and_the_reason_shows_both_spellings():
    query = Item("q", "Private practise", "Doctors chose practise outside the public service.")
    best = rank(query, CONCEPTS)[0]
    assert best.key == "private"
    assert "practise≈practice" in best.words


def test_a_candidate_sharing_no_word_is_not_suggested():
    assert rank(Item("q", "Mentoring", "Protected time with a supportive listener."), CONCEPTS) == []


def test_the_query_itself_excluded_keys_and_the_limit_are_respected():
    query = Item("wasted", "Knowledge passed on at home", "Doctors returning home pass on what they learned "
                 "abroad, or return to private practice for the income.")
    assert "wasted" not in [s.key for s in rank(query, CONCEPTS)]  # the same key: the query itself
    assert [s.key for s in rank(query, CONCEPTS, exclude=["private"])] == ["family"]
    assert len(rank(query, CONCEPTS, limit=1)) == 1
    assert rank(query, CONCEPTS, limit=0) == []


def test_rarity_counts_over_the_background_too():
    """"doctors" is in every concept; once the background shows it is in every construct as well,
    a query sharing only "doctors" and one rarer word ranks the concept with the rarer word first."""
    query = Item("q", "Doctors and the state", "Doctors dissatisfied with the state.")
    background = [Item(f"b{i}", f"Doctors {i}", "Doctors said so.") for i in range(10)]
    assert Index(CONCEPTS, background).rank(query)[0].key == "private"


def test_two_hundred_concepts_against_five_hundred_constructs_in_well_under_a_second():
    r = random.Random(11)
    vocabulary = ["".join(r.choice("abcdefghijklmnoprstuvw") for _ in range(r.randint(4, 10))) for _ in range(3000)]

    def item(key):
        say = lambda n: " ".join(r.choice(vocabulary) for _ in range(n))  # noqa: E731
        return Item(key, say(4), say(30), tuple(say(20) for _ in range(5)))

    concepts = [item(f"c{i}") for i in range(200)]
    constructs = [item(f"k{i}") for i in range(500)]
    started = time.process_time()
    index = Index(concepts, constructs)
    answers = [index.rank(k, 5) for k in constructs]
    took = time.process_time() - started
    print(f"\nsuggestions: 200 concepts x 500 constructs ranked in {took:.3f} s of CPU time")
    assert all(len(a) == 5 for a in answers)
    assert took < 1.0
