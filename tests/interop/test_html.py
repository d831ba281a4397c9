"""html_to_text: block elements to single line breaks, inline markup and entities resolved."""
from __future__ import annotations


import pytest

from workbench.interop.html import html_to_text, looks_like_html


@pytest.mark.parametrize(
    "html, text",
    [
        ("<p><strong>Aim: </strong>To evaluate.</p><p><strong>Method: </strong>Twelve.</p>", "Aim: To evaluate.\nMethod: Twelve."),
        ("<p>One</p>\n\n\n<p>Two</p>", "One\nTwo"),
        ("Line one<br>Line two<br/>Line three", "Line one\nLine two\nLine three"),
        ("<ul><li>first</li><li>second <em>item</em></li></ul>", "first\nsecond item"),
        ("<h2>Results</h2><div>Some   \n  spaced\ttext</div>", "Results\nSome spaced text"),
        ("<p>A &amp; B &lt; C&nbsp;D &#8211; &#x2019;</p>", "A & B < C D – ’"),
        ("<p></p><div> </div><p>Only</p><br><br>", "Only"),
        ("<style>p{color:red}</style><script>alert(1)</script><p>Kept</p>", "Kept"),
        ("<jats:sec><jats:title>Background</jats:title><jats:p>Text <jats:italic>here</jats:italic></jats:p></jats:sec>", "Background\nText here"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("no markup at all", "no markup at all"),
        ("", ""),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text


def test_html_to_text_has_no_blank_lines_or_edge_whitespace() -> None:
    out = html_to_text("<div>\n<p> a </p>\n<br>\n<p>b</p>\n</div>\n")
    assert out == "a\nb"


@pytest.mark.parametrize(
    "s, expected",
    [("<p>x</p>", True), ("a &amp; b", True), ("<br/>", True), ("C < 5 and D > 2", False), ("A & B", False)],
)
def test_looks_like_html(s: str, expected: bool) -> None:
    assert looks_like_html(s) is expected
