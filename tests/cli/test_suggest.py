"""`workbench suggest`: the concepts a construct may interpret (or a study's constructs for a grid
cell), with the reasons and the `construct link` command that accepts one, on a small project."""
import json
import re
import shlex

from support import SEED_001, dump, run

from workbench.core.text import canonicalise, decode

CODEBOOK = """\
format: 1
title: Suggestions test
constructs:
  - name: Wasted opportunity for knowledge transfer
    order: 3
    definition: What returning doctors learned in clinical training abroad is not passed on to the training of their home countries.
  - name: Family trumps finances
    order: 3
    definition: Family outweighs income in the decision to return home.
  - name: Drive to private practice
    order: 3
    definition: Returning doctors move to private practice.
  - name: Desire to improve Japanese clinical training
    order: 2
    definition: The desire to improve Japanese clinical training commonly influences career decision-making after US training.
"""
DESIRE = "Desire to improve Japanese clinical training"
SENTENCE = "The desire to improve Japanese clinical training commonly influences career decision-making after US training."


def _setup(project, tmp_path, capsys):
    book = tmp_path / "book.yaml"
    book.write_text(CODEBOOK, encoding="utf-8")
    assert run(capsys, "codebook", "load", project, book, "--reviewer", "alice")[0] == 0
    text = canonicalise(decode(SEED_001.read_bytes(), SEED_001.name))
    start = text.index(SENTENCE)
    code, _, err = run(capsys, "code", project, "--study", 1, "--start", start, "--end", start + len(SENTENCE),
                       "--construct", DESIRE, "--reviewer", "alice")
    assert code == 0, err


def _listed(out: str) -> list[str]:
    return re.findall(r"^\s+\d+\.\s+[\d.]+\s+(.+)$", out, flags=re.M)


def test_suggest_ranks_the_concepts_says_why_and_prints_the_link_that_accepts_one(small_project, tmp_path, capsys):
    _setup(small_project, tmp_path, capsys)
    before = dump(small_project)
    code, out, err = run(capsys, "suggest", small_project, "--construct", DESIRE, "--reviewer", "alice")
    assert code == 0, err
    assert dump(small_project) == before  # asking writes nothing
    assert out.splitlines()[0] == f"{DESIRE!r} (second-order): 3 third-order construct(s) compared"
    # "clinical" and "training" of its name are in the first concept's definition; "decision" of its
    # definition is in the second's; "Drive to private practice" shares no word and is not listed.
    assert _listed(out) == ["Wasted opportunity for knowledge transfer", "Family trumps finances"]
    why = re.findall(r"why: (.+)", out)
    assert why[0].startswith("name ~ definition: ") and {"clinical", "training"} <= set(re.split(r"[:;,] ?", why[0]))
    assert why[1] == "definition ~ definition: decision"
    accept = re.findall(r"accept: (.+)", out)
    assert accept[0] == (f"workbench construct link {small_project} '{DESIRE}' interprets "
                         "'Wasted opportunity for knowledge transfer' --reviewer alice")

    code, out, err = run(capsys, *shlex.split(accept[0])[1:])  # accepting is running it
    assert code == 0, err
    assert out == f"linked: {DESIRE!r} interprets 'Wasted opportunity for knowledge transfer'\n"

    code, out, _ = run(capsys, "suggest", small_project, "--construct", DESIRE.lower(), "--json")
    found = json.loads(out)
    assert (found["construct"], found["order"], found["kind"], found["linked"], found["compared"]) == (
        DESIRE, 2, "interprets", ["Wasted opportunity for knowledge transfer"], 2)
    [only] = found["candidates"]
    assert (only["name"], only["words"], only["link"]) == (
        "Family trumps finances", ["decision"], {"from": DESIRE, "kind": "interprets", "to": "Family trumps finances"})
    assert only["shared"] == [{"query_field": "definition", "candidate_field": "definition", "words": ["decision"]}]
    assert 0 < only["score"] < 100
    assert only["accept"] == (f"workbench construct link {small_project} '{DESIRE}' interprets "
                              "'Family trumps finances' --reviewer NAME")  # no --reviewer given


def test_a_grid_cell_gets_the_constructs_its_study_voices_for_this_reviewer(small_project, tmp_path, capsys):
    _setup(small_project, tmp_path, capsys)
    code, out, err = run(capsys, "suggest", small_project, "--construct", "Family trumps finances",
                         "--study", 1, "--reviewer", "alice")
    assert code == 0, err
    heist = "“Medical migration: a qualitative explor…”"  # the fixture's studies have no authors: the title
    assert out.splitlines()[0] == f"'Family trumps finances' in {heist}: 1 second-order construct(s) of the study compared"
    assert _listed(out) == [DESIRE]
    assert re.findall(r"accept: (.+)", out) == [
        f"workbench construct link {small_project} '{DESIRE}' interprets 'Family trumps finances' --reviewer alice"]

    assert run(capsys, *shlex.split(re.findall(r"accept: (.+)", out)[0])[1:])[0] == 0
    code, out, _ = run(capsys, "suggest", small_project, "--construct", "Family trumps finances", "--study", 1,
                       "--reviewer", "alice")  # linked now: not suggested again, and said so
    assert out == (f"'Family trumps finances' in {heist}: 0 second-order construct(s) of the study compared\n"
                   f"  linked already (interprets): {DESIRE!r}\n")

    code, out, _ = run(capsys, "suggest", small_project, "--construct", "Family trumps finances", "--study", 1,
                       "--reviewer", "ben")  # blind: alice's coding is not ben's
    assert out == (f"'Family trumps finances' in {heist}: 0 second-order construct(s) of the study compared\n"
                   "  note: the study voices no second-order construct of this reviewer yet\n")

    code, out, _ = run(capsys, "suggest", small_project, "--construct", "Family trumps finances", "--study", 2,
                       "--json")
    assert json.loads(out)["study"] == {"id": 2, "label": "“Medical diaspora: an underused entity i…”"}
    assert json.loads(out)["candidates"] == []


def test_refusals_name_what_to_do_and_change_nothing(small_project, tmp_path, capsys):
    _setup(small_project, tmp_path, capsys)
    before = dump(small_project)
    code, _, err = run(capsys, "suggest", small_project, "--construct", "Family trumps finances")
    assert code == 1
    assert err == ("workbench: error: 'Family trumps finances' is third-order: it is one of the concepts that "
                   "suggestions point to; ask about a second-order construct, or give a study for this concept's "
                   "cell (workbench suggest PROJECT --construct 'Family trumps finances' --study ID)\n")
    code, _, err = run(capsys, "suggest", small_project, "--construct", "Family trumps finance")
    assert code == 1 and "no construct called 'Family trumps finance'; did you mean 'Family trumps finances'?" in err
    code, _, err = run(capsys, "suggest", small_project, "--construct", DESIRE, "--limit", "five")
    assert code == 1 and "--limit takes a whole number" in err
    code, _, err = run(capsys, "suggest", small_project, "--construct", "Family trumps finances", "--study", "99")
    assert code == 1 and "no study matches '99'" in err
    assert dump(small_project) == before


def test_without_third_order_constructs_second_order_ones_are_compared_with_no_link_to_make(
        small_project, tmp_path, capsys):
    book = tmp_path / "book.yaml"
    book.write_text("format: 1\ntitle: t\nconstructs:\n"
                    "  - {name: Family over finances, order: 2, definition: Doctors returned home for their families.}\n"
                    "  - {name: Pull of family, order: 2, definition: Families drew the doctors home.}\n"
                    "  - {name: Private work, order: 2, definition: Income from private clinics.}\n"
                    "  - {name: Missing my mother, order: 1, definition: A participant on her family.}\n",
                    encoding="utf-8")
    assert run(capsys, "codebook", "load", small_project, book)[0] == 0
    code, out, err = run(capsys, "suggest", small_project, "--construct", "Family over finances")
    assert code == 0, err
    assert out.splitlines()[:2] == [
        "'Family over finances' (second-order): 2 second-order construct(s) compared",
        "  note: the project has no third-order construct yet: the other second-order constructs are compared "
        "(no link joins two second-order constructs; a third-order construct that both interpret would)"]
    assert _listed(out) == ["Pull of family"]
    assert "accept:" not in out
    # a first-order construct is offered the second-order constructs it may support
    code, out, _ = run(capsys, "suggest", small_project, "--construct", "Missing my mother", "--reviewer", "alice")
    assert _listed(out) == ["Family over finances", "Pull of family"]
    assert re.findall(r"accept: (.+)", out)[0] == (
        f"workbench construct link {small_project} 'Missing my mother' supports 'Family over finances' "
        "--reviewer alice")


def test_quotes_are_read_blind_a_reviewer_sees_only_their_own(small_project, tmp_path, capsys):
    _setup(small_project, tmp_path, capsys)
    text = canonicalise(decode(SEED_001.read_bytes(), SEED_001.name))
    quote = "dissatisfaction with the quality of Japanese clinical training"
    start = text.index(quote)
    assert run(capsys, "code", small_project, "--study", 1, "--start", start, "--end", start + len(quote),
               "--construct", "Drive to private practice", "--reviewer", "ben")[0] == 0
    # ben's quote gives "Drive to private practice" the words "Japanese", "clinical", "training"
    code, out, _ = run(capsys, "suggest", small_project, "--construct", DESIRE, "--reviewer", "ben", "--json")
    drive = [c for c in json.loads(out)["candidates"] if c["name"] == "Drive to private practice"]
    assert drive and drive[0]["shared"][0]["candidate_field"] == "quotes"
    assert {"japanese", "clinical", "training"} <= set(drive[0]["words"])
    # alice does not see ben's coding: for her it shares nothing and is not suggested
    code, out, _ = run(capsys, "suggest", small_project, "--construct", DESIRE, "--reviewer", "alice")
    assert "Drive to private practice" not in _listed(out)


def test_a_construct_sharing_no_word_with_any_concept_gets_no_suggestion(small_project, tmp_path, capsys):
    book = tmp_path / "book.yaml"
    book.write_text("format: 1\ntitle: t\nconstructs:\n"
                    "  - {name: Family trumps finances, order: 3, definition: Family outweighs income.}\n"
                    "  - {name: Mentoring, order: 2, definition: A supportive listener.}\n", encoding="utf-8")
    assert run(capsys, "codebook", "load", small_project, book)[0] == 0
    assert run(capsys, "suggest", small_project, "--construct", "Mentoring")[1] == (
        "'Mentoring' (second-order): 1 third-order construct(s) compared\n"
        "  no suggestion: no candidate shares a word with it\n")


def test_coding_blind_another_reviewers_concept_is_neither_suggested_nor_asked_about(small_project, tmp_path, capsys):
    _setup(small_project, tmp_path, capsys)
    text = canonicalise(decode(SEED_001.read_bytes(), SEED_001.name))
    start = text.index("Japanese clinical training")
    code, _, err = run(capsys, "code", small_project, "--study", 1, "--start", start, "--end", start + 26,
                       "--construct", "Clinical training at home", "--order", 3, "--reviewer", "ben")
    assert code == 0, err
    code, out, _ = run(capsys, "suggest", small_project, "--construct", DESIRE, "--reviewer", "alice")
    assert "Clinical training at home" not in _listed(out)  # ben's, hidden from alice coding blind
    assert out.splitlines()[0].endswith("3 third-order construct(s) compared")
    code, out, _ = run(capsys, "suggest", small_project, "--construct", DESIRE, "--reviewer", "alice",
                       "--all-reviewers")
    assert _listed(out)[0] == "Clinical training at home"  # its name has "clinical" and "training"
    code, out, _ = run(capsys, "suggest", small_project, "--construct", DESIRE, "--reviewer", "ben")
    assert _listed(out)[0] == "Clinical training at home"  # ben sees his own
    code, _, err = run(capsys, "suggest", small_project, "--construct", "Clinical training at home", "--study", 1,
                       "--reviewer", "alice")
    assert code == 1 and err == (
        "workbench: error: 'Clinical training at home' is a construct another reviewer added, which you do not see "
        "while coding blind: show every reviewer's work first (v on the screen, --all-reviewers on the command "
        "line)\n")
