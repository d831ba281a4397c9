"""Placing an exact quote in a canonical text (core.quotes): offsets written out by hand."""
import pytest

from workbench.core.quotes import QuoteError, locate, occurrences

TEXT = "Family first. Then finances.\nFamily first, they said; family first."


def test_a_quote_found_once_needs_nothing_more():
    assert locate(TEXT, "Then finances") == (14, 27)


def test_every_occurrence_is_found_overlapping_ones_too():
    assert occurrences(TEXT, "Family first") == [0, 29]
    assert occurrences("aaaa", "aa") == [0, 1, 2]


def test_a_repeated_quote_is_placed_by_occurrence_or_by_prefix():
    assert locate(TEXT, "Family first", occurrence=2) == (29, 41)
    assert locate(TEXT, "family first", prefix="they said; ") == (54, 66)
    assert locate(TEXT, "Family first", prefix="finances.\n") == (29, 41)


def test_the_quote_is_canonicalised_like_the_text():
    text = "Caf\u00e9 culture"  # NFC
    assert locate(text, "Cafe\u0301 culture") == (0, 12)  # the same words typed decomposed
    assert locate("one\ntwo", "one\r\ntwo") == (0, 7)


@pytest.mark.parametrize("quote,occurrence,prefix,message", [
    ("Family first", None, None, "the quote occurs 2 times in the text; say which with 'occurrence: N'"),
    ("Family first", 3, None, "occurrence 3 asked for, but the quote occurs 2 times"),
    ("Family first", None, "Now: ", "the quote occurs in the text, but never right after the prefix 'Now: '"),
    ("family  first", None, None, "the quote is not in the study's text"),
    ("  ", None, None, "the quote is empty"),
])
def test_a_quote_that_cannot_be_placed_is_refused_in_words(quote, occurrence, prefix, message):
    with pytest.raises(QuoteError) as refused:
        locate(TEXT, quote, occurrence, prefix)
    assert str(refused.value).startswith(message)
