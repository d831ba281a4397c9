"""Golden tests: each realistic fixture imports to exactly the hand-checked records in its
``*.expected.json``, and the seed texts keep what matters about them."""
from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import pytest

from workbench.core.text import canonicalise
from workbench.interop.imports import parse_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
GOLDEN = sorted(p for p in FIXTURES.glob("*.expected.json"))
# The shared seed texts: CI clones the repository with `shared/` beside it (and a worktree sits beside
# it too), so they are found from this file, wherever the checkout is.
REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO.parent / "shared" / "seeds"


def summarise(record) -> dict:
    """The golden view of one record: its origin, metadata, and the first 80 characters, length and
    sha256 of its text. (The ``*.expected.json`` files are lists of these, checked by hand.)"""
    return {
        "source_file": record.source_file,
        "locator": record.locator,
        "title": record.title,
        "authors": record.authors,
        "year": record.year,
        "doi": record.doi,
        "journal": record.journal,
        "text_start": record.text[:80],
        "text_length": len(record.text),
        "text_sha256": hashlib.sha256(record.text.encode("utf-8")).hexdigest(),
    }


def load(name: str):
    return parse_file(FIXTURES / name)


@pytest.mark.parametrize("expected", GOLDEN, ids=lambda p: p.name.removesuffix(".expected.json"))
def test_fixture_matches_golden(expected: Path) -> None:
    source = FIXTURES / expected.name.removesuffix(".expected.json")
    records = parse_file(source)
    assert [summarise(r) for r in records] == json.loads(expected.read_text(encoding="utf-8"))
    for record in records:
        assert record.text == canonicalise(record.text)
        assert record.source_file == source.name


def test_every_fixture_format_has_a_golden_file() -> None:
    suffixes = {p.name.removesuffix(".expected.json").rsplit(".", 1)[1] for p in GOLDEN}
    assert suffixes == {"txt", "json", "csv", "ris", "nbib"}


# --- seed 002: a Semantic Scholar record with HTML and a nested JSON copy of itself


def test_seed_002_json_is_one_study_with_its_outer_title() -> None:
    (record,) = load("semantic_scholar_002.json")
    assert record.title == "指导解决国际医学毕业生在全科医生培训中的成绩差异问题。"
    assert record.doi == "10.1080/14739879.2024.2355933"
    assert record.year == 2024
    assert record.authors == ["Tina Huang", "Annabel Shepherd", "Monica Milne"]
    assert record.journal == "Education for Primary Care"


def test_seed_002_abstract_is_one_paragraph_per_html_p() -> None:
    (record,) = load("semantic_scholar_002.json")
    paragraphs = record.text.split("\n")
    assert [p.split(":")[0] for p in paragraphs] == [
        "Introduction",
        "Aim",
        "Method",
        "Results",
        "Conclusion",
    ]
    assert paragraphs[0].startswith(
        "Introduction: International Medical Graduates (IMGs) form an important and valued part"
    )
    assert paragraphs[-1].endswith("long-term impact of the NES GP IMG mentoring programme.")
    assert "<" not in record.text and "&" not in record.text
    # The seed's own plain-text copy of the abstract (its lines 6-10) says the same.
    seed_lines = (FIXTURES / "002_bfe18654580229ae.txt").read_text(encoding="utf-8").split("\n")
    assert paragraphs == seed_lines[5:10]


# --- plain-text seeds: kept exactly


@pytest.mark.parametrize("name", ["000_eaac0f5a167bc34e.txt", "001_01205ebc193aab53.txt"])
def test_txt_seed_text_is_the_file_itself(name: str) -> None:
    (record,) = load(name)
    assert record.text == (FIXTURES / name).read_text(encoding="utf-8")


def test_seed_000_keeps_its_chinese_paragraph_intact() -> None:
    (record,) = load("000_eaac0f5a167bc34e.txt")
    chinese = (FIXTURES / "000_eaac0f5a167bc34e.txt").read_bytes().decode("utf-8").split("\n")[5]
    assert chinese.startswith("医学人才迁移描述了医生跨越国界的流动")
    assert chinese.endswith("提供参考。")
    assert record.text.split("\n")[5] == chinese
    assert unicodedata.is_normalized("NFC", record.text)
    assert record.text.index(chinese) == record.text.rindex(chinese)
    assert record.doi == "10.1111/tct.70188"


def test_seed_001_title_is_its_first_line() -> None:
    (record,) = load("001_01205ebc193aab53.txt")
    assert record.title.startswith("Medical migration: A qualitative exploration")
    assert record.doi is None
    assert record.text.endswith("Cite this")  # page furniture is kept


@pytest.mark.parametrize(
    "name", ["000_eaac0f5a167bc34e.txt", "001_01205ebc193aab53.txt", "002_bfe18654580229ae.txt"]
)
def test_seed_fixtures_are_byte_for_byte_copies(name: str) -> None:
    seed = SEEDS / name
    if not seed.is_file():
        pytest.fail(f"{seed} is missing: these tests expect the shared folder (shared/seeds/) beside the "
                    f"repository {REPO}, as CI clones it")
    assert (FIXTURES / name).read_bytes() == seed.read_bytes()


def test_semantic_scholar_fixture_is_seed_002_first_line() -> None:
    seed = (FIXTURES / "002_bfe18654580229ae.txt").read_bytes()
    assert (FIXTURES / "semantic_scholar_002.json").read_bytes() == seed.split(b"\n")[0] + b"\n"


# --- the same study read from different formats gives the same text


def _text(name: str, title_start: str) -> str:
    (record,) = [r for r in load(name) if r.title.startswith(title_start)]
    return record.text


def test_heist_abstract_is_identical_across_formats() -> None:
    seed_abstract = (FIXTURES / "001_01205ebc193aab53.txt").read_text(encoding="utf-8").split("\n")[9]
    texts = {
        name: _text(name, "Medical migration")
        for name in ("scopus_endnote_zotero.ris", "pubmed_2.nbib", "zotero_csl.json")
    }
    assert set(texts.values()) == {seed_abstract}
    # Rayyan's copy has the same words with a line per section.
    assert _text("rayyan_export.csv", "Medical migration").replace("\n", " ") == seed_abstract


def test_frehywot_abstract_is_identical_in_ris_csv_and_csl() -> None:
    texts = [
        _text(name, "Medical diaspora")
        for name in ("scopus_endnote_zotero.ris", "rayyan_export.csv", "zotero_csl.json")
    ]
    assert texts[0] == texts[1] == texts[2]
    assert texts[0].split("\n")[::2] == ["Background", "Methods", "Result", "Conclusions"]
    digest = hashlib.sha256(texts[0].encode()).hexdigest()
    assert all(hashlib.sha256(t.encode()).hexdigest() == digest for t in texts)


def test_fixtures_keep_the_line_endings_they_imitate() -> None:
    """Guards against git or an editor normalising the fixtures' bytes."""
    ris = (FIXTURES / "scopus_endnote_zotero.ris").read_bytes()
    assert ris.count(b"\r\n") == ris.count(b"\n")
    csv_bytes = (FIXTURES / "rayyan_export.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbf") and b'"\r\n"rayyan-102"' in csv_bytes
    assert b"\r" not in (FIXTURES / "pubmed_2.nbib").read_bytes()
