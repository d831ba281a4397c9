from hypothesis import given, settings
from hypothesis import strategies as st
from support import SEED_000

from workbench.core.sentences import is_heading, segment, segment_many, sentence_at
from workbench.core.text import canonicalise, decode


def test_units_are_trimmed_and_line_breaks_end_them():
    text = "Title line\n  First sentence here. Second one!  \n\nLast"
    units = segment(text)
    assert [text[s:e] for s, e in units] == ["Title line", "First sentence here.", "Second one!", "Last"]


def test_chinese_paragraph_of_the_review_abstract_is_split_on_full_stops():
    text = canonicalise(decode(SEED_000.read_bytes()))
    units = segment(text)
    quotes = [text[s:e] for s, e in units]
    assert "医生的回国迁移很少受到关注,这表明该领域需要进一步研究。" in quotes
    paragraph = text.index("医学人才迁移")
    chinese = [text[s:e] for s, e in units if s >= paragraph]
    assert len(chinese) == 8 and all(q.endswith("。") for q in chinese)
    assert "Return migration in doctors has received little attention, indicating a need for further " \
           "research in this area." in quotes


def test_segment_many_keeps_texts_apart_and_sentence_at_finds_the_unit():
    a, b = segment_many(["One. Two.", ""])
    assert a == [(0, 4), (5, 9)] and b == []
    assert sentence_at(a, 6) == (5, 9)
    assert sentence_at(a, 4) == (5, 9)  # between units: the next one
    assert sentence_at(a, 20) is None


# Section labels and front matter (issue 10, item 13): a heading line or a "Label:" prefix is a unit
# of its own, so selecting a sentence never takes the label or the journal's masthead with it.

def quotes(text: str) -> list[str]:
    return [text[s:e] for s, e in segment(text)]


def test_a_structured_abstract_on_one_line_gives_each_label_its_own_unit():
    text = ("Background: Doctors return home. Methods: We interviewed 19 IMGs. Results: The emerging model is "
            "focused around pivotal experiences. Conclusions: Family trumps finances.")
    assert segment(text) == [(0, 11), (12, 32), (33, 41), (42, 65), (66, 74), (75, 132), (133, 145),
                             (146, 169)]
    assert quotes(text)[4:6] == ["Results:", "The emerging model is focused around pivotal experiences."]


def test_labels_in_paragraphs_in_capitals_of_several_words_and_in_chinese():
    text = ("BACKGROUND: Few doctors return.\n"
            "Materials and methods: Nineteen interviews. Main Outcome Measures: Reasons given.\n"
            "结果：家庭因素胜过经济因素。")
    assert quotes(text) == ["BACKGROUND:", "Few doctors return.", "Materials and methods:", "Nineteen interviews.",
                            "Main Outcome Measures:", "Reasons given.", "结果：", "家庭因素胜过经济因素。"]


def test_speaker_and_theme_labels_are_units_but_a_colon_inside_a_sentence_is_not_a_label():
    assert quotes("Interviewer: Why did you return? Participant 3: My family was there.") == [
        "Interviewer:", "Why did you return?", "Participant 3:", "My family was there."]
    assert quotes("She said: I wanted to go home. At 10:30 we met.") == [
        "She said: I wanted to go home.", "At 10:30 we met."]
    assert quotes("Medical migration: a qualitative exploration of returning doctors.") == [
        "Medical migration: a qualitative exploration of returning doctors."]
    assert quotes("Funding Information:\nThis study was funded.") == ["Funding Information:", "This study was funded."]


def test_a_heading_line_is_one_unit_and_never_joins_the_paragraph_after_it():
    text = "Results\nThe emerging model is focused around pivotal experiences. Further decisions followed."
    assert segment(text) == [(0, 7), (8, 65), (66, 93)]


def test_journal_front_matter_lines_are_whole_units():
    text = ("Human Resources for Health© The Author(s). 2019\n"
            "https://doi.org/10.1186/s12960-019-0393-1\n"
            "(1)Milken Institute School of Public Health, 950 New Hampshire Ave. NW, Washington DC, 20052\n"
            "Medical diaspora: an underused entity in health system development")
    assert quotes(text) == [
        "Human Resources for Health© The Author(s). 2019",
        "https://doi.org/10.1186/s12960-019-0393-1",
        "(1)Milken Institute School of Public Health, 950 New Hampshire Ave. NW, Washington DC, 20052",
        "Medical diaspora: an underused entity in health system development"]
    assert segment(text)[0] == (0, 47)


def test_a_long_line_without_a_final_stop_is_still_split_into_sentences():
    first = "Doctors who trained abroad described returning home as a choice made for family. "
    second = "Many found the health system they returned to had changed in ways that made their new skills hard to use"
    assert len(first + second) > 150 and quotes(first + second) == [first.strip(), second]
    title = ("Medical Migration: A Qualitative Exploration of the Atypical Path of Japanese International Medical "
             "Graduates Who Went Home")
    assert len(title) > 120 and quotes(title) == [title]  # Title Case before a colon is a label only in prose


def test_the_heist_abstract_selects_the_results_sentence_without_its_label():
    from support import SEED_001

    text = canonicalise(decode(SEED_001.read_bytes()))
    at = text.index("Results: The emerging model")
    units = segment(text)
    assert sentence_at(units, at) == (at, at + len("Results:"))
    start, end = sentence_at(units, text.index("emerging model"))
    assert text[start:end] == (
        "The emerging model of the Japanese IMG experience is focused around pivotal experiences that often include "
        "dissatisfaction with the quality of Japanese clinical training and personal exposures to US clinical "
        "education.")


FRAGMENTS = ["Results", "Results:", "Background: ", "METHODS: ", "Participant 3: ", "The emerging model",
             " is focused", ". ", "! ", "? ", ": ", "\n", "\n\n", "  ", " ", "©", "The Author(s). 2019",
             "Ave. NW", "doctors", "10:30", "结果：", "家庭因素", "。", "Dr. ", "\u00a0", "\t", "(", ")", "”"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=40).map("".join))
def test_units_are_sorted_apart_inside_the_text_trimmed_and_never_cross_a_line(text):
    units = segment(text)
    assert units == sorted(units)
    for (_, end), (start, _) in zip(units, units[1:]):
        assert end <= start
    covered = set()
    for start, end in units:
        quote = text[start:end]
        assert 0 <= start < end <= len(text) and quote == quote.strip()
        assert "\n" not in quote  # so a heading line never joins the paragraph after it
        covered.update(range(start, end))
    # nothing visible is lost between units, and a heading line is exactly one unit
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
    line_start = 0
    for line in text.split("\n"):
        if line.strip() and is_heading(line):
            lead = len(line) - len(line.lstrip())
            assert (line_start + lead, line_start + len(line.rstrip())) in units
        line_start += len(line) + 1
