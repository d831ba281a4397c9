"""HTML (and JATS-like XML) fragments to plain text, for abstracts that arrive with markup."""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that end a paragraph: each becomes a line break in the plain text.
BLOCK_TAGS = frozenset(
    """
    address article aside blockquote body br caption dd div dl dt figcaption figure footer
    h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr ul
    abstract list list-item sec title
    """.split()
)
# Elements whose content is not text a reader sees.
SKIP_TAGS = frozenset({"script", "style", "head", "template"})
# Table cells sit side by side: separate them by a space, not a line.
CELL_TAGS = frozenset({"td", "th"})

_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(
    r"</?[A-Za-z][\w:.-]*(\s[^<>]*)?/?>"  # a tag
    r"|&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);"  # an entity
)


def _local(tag: str) -> str:
    """``jats:p`` -> ``p``: namespaced tags (Crossref JATS abstracts) act like their local name."""
    return tag.rpartition(":")[2].lower()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._chunks: list[str] = []
        self._skip_depth = 0

    def _flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self._chunks)).strip()
        self._chunks = []
        if text:
            self.paragraphs.append(text)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        name = _local(tag)
        if name in SKIP_TAGS:
            self._skip_depth += 1
        elif name in BLOCK_TAGS:
            self._flush()
        elif name in CELL_TAGS:
            self._chunks.append(" ")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        name = _local(tag)
        if name in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        name = _local(tag)
        if name in SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif name in BLOCK_TAGS:
            self._flush()
        elif name in CELL_TAGS:
            self._chunks.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._chunks.append(data)


def html_to_text(s: str) -> str:
    """Return the plain text of the HTML fragment ``s``.

    Block elements (p, div, br, li, h1-h6, ...) end a paragraph; paragraphs are joined by exactly one
    ``\\n`` (no blank lines, none at either end). Inline markup is dropped, entities are unescaped,
    and runs of whitespace inside a paragraph become one space. Script and style content is dropped.
    Namespaced tags such as ``<jats:p>`` are treated like their local name.
    """
    parser = _TextCollector()
    parser.feed(s)
    parser.close()
    parser._flush()
    return "\n".join(parser.paragraphs)


def looks_like_html(s: str) -> bool:
    """True if ``s`` contains something that looks like a tag or a character entity."""
    return _MARKUP.search(s) is not None
