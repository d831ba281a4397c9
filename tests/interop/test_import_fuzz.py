"""Fuzzing `workbench import`: random bytes, and random records in each format (txt, JSON, CSV, RIS,
MEDLINE), imported as a user does. Every outcome is an import, or a one-line refusal (exit 1) that
leaves the database exactly as it was; any other exception escapes `main` and fails the test."""
from __future__ import annotations

import csv
import io
import json
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import dump, run

from workbench.store.project import Project

FUZZ = settings(max_examples=40, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Any character, surrogates and control characters included, with the awkward ones made likely.
AWKWARD = st.sampled_from(["\x00", "\x1b[31m", "\x07", "\x85", "\u2028", "\r", "\n", "\t", "\ufeff", "\ud800",
                           "\x9b", "²", "家", "e\u0301", '"', ",", ";", "<b>", "&amp;", "10.1000/x", "2019"])
TEXT = st.lists(st.one_of(st.text(st.characters(), max_size=12), AWKWARD), max_size=8).map("".join)
NUMBER = st.one_of(st.integers(), st.integers(min_value=2**63 - 2, max_value=10**30),
                   st.sampled_from([2019, "2019", "1" * 25, -5, 0, 2**63]))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz") / "review"
    Project.create(root, title="Fuzz", reviewers=["alice"]).close()
    return root


def attempt(capsys, root, name: str, data: bytes) -> None:
    """Import ``data`` as the file ``name``: an import, or a one-line refusal changing nothing."""
    source = root.parent / name
    source.write_bytes(data)
    before = dump(root)
    code, out, err = run(capsys, "import", root, source, "--reviewer", "alice")
    if code == 0:
        assert err == "" and out.startswith("imported ")
        return
    assert code == 1 and out == ""
    assert err.startswith("workbench: error: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert dump(root) == before


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a lone surrogate makes invalid UTF-8: refused


@FUZZ
@given(data=st.binary(max_size=300),
       name=st.sampled_from(["a.txt", "a.json", "a.csv", "a.tsv", "a.ris", "a.nbib", "a.dat", "noext"]))
def test_random_bytes(project, capsys, data, name):
    attempt(capsys, project, name, data)


@FUZZ
@given(text=st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=5).map("\n".join)),
       bom=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]))
def test_txt(project, capsys, text, bom):
    data = bom + (text.encode("utf-16-le", "surrogatepass") if bom == b"\xff\xfe" else encode(text))
    attempt(capsys, project, "study.txt", data)


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), NUMBER, st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=8)
TITLE = st.one_of(TEXT, TEXT.map(lambda t: f"Study {t}"))  # mostly a title there is
JSON_FIELD = st.one_of(TEXT, NUMBER, JSON_VALUE)
JSON_RECORD = st.one_of(
    st.fixed_dictionaries({"title": TITLE}, optional={
        "participants": NUMBER, "year": NUMBER, "abstract": TEXT, "authors": st.lists(TEXT, max_size=3),
        **{key: JSON_FIELD for key in ("author", "issued", "doi", "DOI", "journal", "container-title",
                                       "country", "method", "resultStr", "URL")}}),
    st.dictionaries(TEXT, JSON_VALUE, max_size=3))


@FUZZ
@given(records=st.one_of(JSON_RECORD, st.lists(JSON_RECORD, max_size=4),
                         st.lists(JSON_RECORD, max_size=3).map(lambda r: {"records": r}), JSON_VALUE),
       shape=st.sampled_from(["json", "lines", "truncated"]), ascii=st.booleans())
def test_json(project, capsys, records, shape, ascii):
    if shape == "lines" and isinstance(records, list):
        text = "\n".join(json.dumps(r, ensure_ascii=ascii) for r in records)
    else:
        text = json.dumps(records, ensure_ascii=ascii)
        if shape == "truncated":
            text = text[: len(text) // 2]
    # a lone surrogate is written as JSON writes it, "\\ud800" (raw, it would be invalid UTF-8)
    text = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text)
    attempt(capsys, project, "records.json", text.encode("utf-8"))


CSV_HEADERS = st.lists(st.sampled_from(["title", "Article Title", "authors", "year", "doi", "abstract", "journal",
                                        "participants", "country", "method", "key", ""]), min_size=1, max_size=6)


@FUZZ
@given(header=CSV_HEADERS, cells=st.lists(st.lists(st.one_of(TEXT, NUMBER.map(str)), max_size=7), max_size=4),
       delimiter=st.sampled_from([",", ";", "\t"]), raw=st.booleans())
def test_csv(project, capsys, header, cells, delimiter, raw):
    if raw:  # joined without quoting: stray quotes and delimiters as people write them
        text = "\n".join(delimiter.join(row) for row in [header, *cells])
    else:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter).writerows([header, *cells])
        text = buffer.getvalue()
    attempt(capsys, project, "list.csv", encode(text))


TAG = st.text(string.ascii_uppercase + string.digits, min_size=2, max_size=2)
RIS_LINE = st.one_of(
    st.tuples(st.sampled_from(["TY", "TI", "T1", "AU", "A1", "PY", "Y1", "DA", "AB", "N2", "JO", "DO", "UR",
                               "ER"]) | TAG, TEXT).map(lambda t: f"{t[0]}  - {t[1]}"),
    TEXT)


@FUZZ
@given(records=st.lists(st.lists(RIS_LINE, max_size=6), max_size=3), end=st.booleans())
def test_ris(project, capsys, records, end):
    lines = []
    for body in records:
        lines += ["TY  - JOUR", *body] + (["ER  - "] if end else [])
    attempt(capsys, project, "refs.ris", encode("\r\n".join(lines)))


MEDLINE_LINE = st.one_of(
    st.tuples(st.sampled_from(["PMID", "TI", "BTI", "AB", "FAU", "AU", "DP", "JT", "TA", "LID", "AID"]), TEXT)
    .map(lambda t: f"{t[0]:<4}- {t[1]}"),
    TEXT.map(lambda t: "      " + t),  # a continuation
    TEXT)


@FUZZ
@given(records=st.lists(st.lists(MEDLINE_LINE, max_size=6), max_size=3))
def test_medline(project, capsys, records):
    text = "\n\n".join("\n".join([f"PMID- {n}", *body]) for n, body in enumerate(records, 1))
    attempt(capsys, project, "pubmed.nbib", encode(text))
