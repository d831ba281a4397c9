import pytest

from workbench.core.text import (SpanError, TextDecodeError, canonicalise, check_span, decode, line_starts,
                                 quote, sha256)


def test_canonical_text_has_lf_nfc_and_no_stray_breaks():
    raw = "\ufeffCafe\u0301\r\nline two\rline three\u2028four\x0cfive\x85six"
    text = canonicalise(raw)
    assert text == "Café\nline two\nline three\nfour\nfive\nsix"
    assert text.splitlines() == text.split("\n")  # what Textual's Document relies on
    assert canonicalise(text) == text


def test_decode_drops_bom_and_names_the_line_of_a_latin1_byte():
    assert decode("\ufeffabc".encode("utf-8")) == "abc"
    with pytest.raises(TextDecodeError, match=r"notes.txt:2: not UTF-8 text \(byte 0xed"):
        decode("first line\nT\u00edtulo".encode("latin-1"), "notes.txt")


def test_decode_refuses_binary():
    with pytest.raises(TextDecodeError, match="scan.png: this is a binary file"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "scan.png")


def test_quote_keeps_32_code_points_of_context_either_side():
    text = "x" * 40 + "家庭因素胜过经济因素" + "y" * 40
    q = quote(text, 40, 50)
    assert q.exact == "家庭因素胜过经济因素"
    assert q.prefix == "x" * 32 and q.suffix == "y" * 32
    assert quote("abc", 0, 3).prefix == "" and quote("abc", 0, 3).suffix == ""


@pytest.mark.parametrize("start,end,message", [
    (5, 5, "span 5-5 is empty"),
    (6, 2, "span 6-2 is reversed"),
    (-1, 3, "negative offset"),
    (2, 11, "runs past the end of the text (10 characters)"),
])
def test_bad_spans_are_refused_with_the_rule_they_break(start, end, message):
    with pytest.raises(SpanError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_span("0123456789", start, end)


def test_line_starts_and_hash():
    assert line_starts("ab\ncd\n\nx") == [0, 3, 6, 7]
    import hashlib
    assert sha256("é") == hashlib.sha256("é".encode("utf-8")).hexdigest()
