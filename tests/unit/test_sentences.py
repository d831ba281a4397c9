from support import SEED_000

from workbench.core.sentences import segment, segment_many, sentence_at
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
