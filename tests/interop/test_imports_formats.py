"""Unit tests for each importer's variants, detect_format and author splitting."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from workbench.interop.imports import FORMATS, ImportFailure, detect_format, parse_file
from workbench.interop.imports._common import split_authors


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def parse(tmp_path: Path, name: str, content: str | bytes, **kwargs):
    return parse_file(write(tmp_path, name, content), **kwargs)


# --- txt


def test_txt_crlf_bom_and_nfd_are_canonicalised(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Migração médica")
    (record,) = parse(tmp_path, "s.txt", b"\xef\xbb\xbf" + f"\r\n  {nfd}  \r\nBody\r\n".encode())
    assert record.text == "\n  Migração médica  \nBody\n"
    assert record.title == "Migração médica"
    assert (record.source_file, record.locator) == ("s.txt", "record 1")
    assert (record.authors, record.year, record.journal) == ([], None, None)


def test_txt_title_is_capped_at_300_characters(tmp_path: Path) -> None:
    (record,) = parse(tmp_path, "s.md", "word " * 100 + "\nbody")
    assert len(record.title) <= 300
    assert record.title.startswith("word word")


def test_txt_doi_from_url(tmp_path: Path) -> None:
    (record,) = parse(tmp_path, "s.txt", "Title\nhttps://doi.org/10.1186/S12960-019-0393-1\n")
    assert record.doi == "10.1186/s12960-019-0393-1"


# --- json


def test_json_single_simple_object(tmp_path: Path) -> None:
    record_json = {
        "title": "Return migration of doctors",
        "authors": ["Newman, Rhiannon", "Rashid, Mohammed A"],
        "year": 2025,
        "doi": "doi: 10.1111/TCT.70188.",
        "abstract": "Medical migration describes the movement of doctors.",
        "journal": "The Clinical Teacher",
        "country": "United Kingdom",
        "participants": "134 doctors",
        "method": "meta-ethnography",
    }
    (record,) = parse(tmp_path, "s.json", json.dumps(record_json))
    assert record.authors == ["Newman, Rhiannon", "Rashid, Mohammed A"]
    assert (record.year, record.doi, record.journal) == (2025, "10.1111/tct.70188", "The Clinical Teacher")
    assert (record.country, record.participants, record.method) == (
        "United Kingdom",
        134,
        "meta-ethnography",
    )
    assert record.locator == "record 1"


@pytest.mark.parametrize("key", ["records", "items", "data", "results"])
def test_json_wrapper_object(tmp_path: Path, key: str) -> None:
    text = json.dumps({"count": 2, key: [{"title": "A"}, {"title": "B"}]}, indent=2)
    records = parse(tmp_path, "s.json", text)
    assert [r.title for r in records] == ["A", "B"]
    assert [r.locator for r in records] == ["record 1", "record 2"]


def test_json_wrapper_reports_the_line_of_a_bad_item(tmp_path: Path) -> None:
    text = '{"results": [\n{"title": "A"},\n{"title": ""}\n], "results_count": 2}'
    with pytest.raises(ImportFailure) as info:
        parse(tmp_path, "s.json", text)
    assert str(info.value) == "s.json:3: record 2 has no title"


def test_json_lines(tmp_path: Path) -> None:
    text = '{"title": "A", "year": "2019"}\n\n{"title": "B", "issued": {"date-parts": [[2018]]}}\n'
    records = parse(tmp_path, "s.jsonl", text)
    assert [(r.title, r.year, r.locator) for r in records] == [("A", 2019, "line 1"), ("B", 2018, "line 3")]


def test_csl_json_authors_dates_and_container(tmp_path: Path) -> None:
    item = {
        "type": "article-journal",
        "title": ["Medical diaspora"],
        "author": [
            {"family": "Frehywot", "given": "Seble"},
            {"literal": "WHO Global Health Workforce Alliance"},
            {"family": "Park"},
        ],
        "issued": {"date-parts": [["2019", "7"]]},
        "DOI": "10.1186/s12960-019-0393-1",
        "container-title": ["Human Resources for Health"],
        "abstract": "<jats:p>Background</jats:p><jats:p>At present, over 215 million people&#8230;</jats:p>",
    }
    (record,) = parse(tmp_path, "s.json", json.dumps([item]))
    assert record.title == "Medical diaspora"
    assert record.authors == ["Frehywot, Seble", "WHO Global Health Workforce Alliance", "Park"]
    assert record.year == 2019
    assert record.journal == "Human Resources for Health"
    assert record.text == "Background\nAt present, over 215 million people…"


def test_json_semantic_scholar_style_authors_objects(tmp_path: Path) -> None:
    item = {"title": "T", "authors": [{"authorId": "1", "name": "Tina Huang"}], "venue": "Educ Prim Care"}
    (record,) = parse(tmp_path, "s.json", json.dumps(item))
    assert (record.authors, record.journal) == (["Tina Huang"], "Educ Prim Care")


def test_json_nested_copy_fills_only_missing_fields(tmp_path: Path) -> None:
    nested = {"title": "English title", "doi": "10.1000/abc", "abstract": "Nested abstract", "year": 2020}
    outer = {"title": "中文标题", "doi": "https://doi.org/10.1000/ABC", "year": 2024, "resultStr": json.dumps(nested)}
    (record,) = parse(tmp_path, "s.json", json.dumps(outer, ensure_ascii=False))
    assert (record.title, record.year, record.text) == ("中文标题", 2024, "Nested abstract")


def test_json_nested_record_with_another_doi_is_ignored(tmp_path: Path) -> None:
    nested = {"title": "Other", "doi": "10.2000/zzz", "abstract": "Not this study"}
    outer = {"title": "T", "doi": "10.1000/abc", "related": json.dumps(nested)}
    records = parse(tmp_path, "s.json", json.dumps(outer))
    assert len(records) == 1 and records[0].text == ""


def test_json_record_without_abstract_is_allowed(tmp_path: Path) -> None:
    (record,) = parse(tmp_path, "s.json", '{"title": "Only a title"}')
    assert record.text == ""


def test_json_plain_text_abstract_keeps_its_lines(tmp_path: Path) -> None:
    (record,) = parse(tmp_path, "s.json", json.dumps({"title": "T", "abstract": "  A & B\n\nC < 5 \r\n"}))
    assert record.text == "A & B\n\nC < 5"


# --- csv


def test_csv_semicolon_delimited_with_scopus_headers(tmp_path: Path) -> None:
    text = (
        "Authors;Title;Year;Source title;DOI;Abstract\n"
        'Heist B.S., Torok H.M.;Medical migration;2018;Medical Teacher;10.1080/x;"Background; methods, results"\n'
    )
    (record,) = parse(tmp_path, "scopus.csv", text)
    assert record.authors == ["Heist B.S.", "Torok H.M."]
    assert (record.year, record.journal, record.doi) == (2018, "Medical Teacher", "10.1080/x")
    assert record.text == "Background; methods, results"


def test_csv_tab_separated_with_extra_fields(tmp_path: Path) -> None:
    text = "TI\tAU\tPY\tcountry\tparticipants\tmethod\tText\nA study\tHuang, T.; Milne, M.\t2024\tUK\t19\tinterviews\tFull text here\n"
    (record,) = parse(tmp_path, "s.tsv", text)
    assert record.authors == ["Huang, T.", "Milne, M."]
    assert (record.country, record.participants, record.method) == ("UK", 19, "interviews")
    assert record.text == "Full text here"
    assert record.locator == "line 2"


def test_csv_column_map_overrides_aliases(tmp_path: Path) -> None:
    text = "Title,Label,Notes\nWrong,Right title,Body\n"
    (record,) = parse(tmp_path, "s.csv", text, column_map={"title": "Label", "text": "notes"})
    assert (record.title, record.text) == ("Right title", "Body")


def test_csv_skips_blank_rows_and_pads_short_rows(tmp_path: Path) -> None:
    records = parse(tmp_path, "s.csv", "Title,Year,DOI\n\nA,2019\n,,\nB\n")
    assert [(r.title, r.year, r.locator) for r in records] == [("A", 2019, "line 3"), ("B", None, "line 5")]


# --- ris


def test_ris_variants(tmp_path: Path) -> None:
    text = (
        "TY  - JOUR\nT1  - A title\n  wrapped on\nA1  - Park, Chulwoo\nDA  - 2019/07/15\n"
        "JO  - Hum Resour Health\nUR  - https://link.springer.com/article/10.1186/s12960-019-0393-1\n"
        "AB  - First paragraph,\nstill the abstract.\nER  -\n"
    )
    (record,) = parse(tmp_path, "r.ris", text)
    assert record.title == "A title wrapped on"
    assert record.authors == ["Park, Chulwoo"]
    assert (record.year, record.journal) == (2019, "Hum Resour Health")
    assert record.doi == "10.1186/s12960-019-0393-1"
    assert record.text == "First paragraph,\nstill the abstract."


def test_ris_prefers_ti_au_and_do(tmp_path: Path) -> None:
    text = "TY  - JOUR\nT1  - Old\nTI  - New\nA1  - A1 name\nAU  - AU name\nDO  - 10.1000/DO\nUR  - https://doi.org/10.2000/ur\nER  - \n"
    (record,) = parse(tmp_path, "r.ris", text)
    assert (record.title, record.authors, record.doi) == ("New", ["AU name"], "10.1000/do")


# --- medline


def test_medline_fallbacks_and_records_without_blank_lines(tmp_path: Path) -> None:
    text = (
        "PMID- 1\nTI  - First\nAU  - Heist BS\nDP  - 2018 Jan\nTA  - Med Teach\n"
        "AID - e70188 [pii]\nAID - 10.1111/tct.70188 [doi]\n"
        "PMID- 2\nTI  - Second\nAB  - Some\n      words.\n"
    )
    first, second = parse(tmp_path, "p.nbib", text)
    assert (first.authors, first.year, first.journal, first.doi) == (
        ["Heist BS"],
        2018,
        "Med Teach",
        "10.1111/tct.70188",
    )
    assert (second.title, second.text, second.locator) == ("Second", "Some words.", "record 2")


# --- authors


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Tina Huang, Annabel Shepherd, Monica Milne", ["Tina Huang", "Annabel Shepherd", "Monica Milne"]),
        ("Huang, Tina; Shepherd, Annabel", ["Huang, Tina", "Shepherd, Annabel"]),
        ("Heist, B. S. and Torok, H. M.", ["Heist, B. S.", "Torok, H. M."]),
        ("Heist B.S., Torok H.M.", ["Heist B.S.", "Torok H.M."]),
        ("Huang, T., Shepherd, A.", ["Huang, T.", "Shepherd, A."]),
        ("Heist, Brian S.", ["Heist, Brian S."]),
        ("WHO", ["WHO"]),
        ("  ", []),
    ],
)
def test_split_authors(value: str, expected: list[str]) -> None:
    assert split_authors(value) == expected


# --- detect_format


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("a.txt", "txt"),
        ("a.TEXT", "txt"),
        ("a.md", "txt"),
        ("a.json", "json"),
        ("a.jsonl", "json"),
        ("a.csv", "csv"),
        ("a.tsv", "csv"),
        ("a.ris", "ris"),
        ("a.nbib", "medline"),
        ("a.medline", "medline"),
    ],
)
def test_detect_by_extension(name: str, fmt: str) -> None:
    assert detect_format(Path(name), b"anything") == fmt
    assert fmt in FORMATS


@pytest.mark.parametrize(
    "data, fmt",
    [
        (b'\xef\xbb\xbf  [{"title": "A"}]', "json"),
        (b'{"title": "A"}\n{"title": "B"}', "json"),
        (b"\r\nTY  - JOUR\r\nTI  - A\r\nER  - \r\n", "ris"),
        (b"PMID- 12345\nTI  - A\n", "medline"),
        (b"Title;Authors;Year\nA;B;2019\n", "csv"),
        (b'"key","title","authors"\n', "csv"),
    ],
)
def test_detect_by_content(data: bytes, fmt: str) -> None:
    assert detect_format(Path("export"), data) == fmt
    assert detect_format(Path("export.dat"), data) == fmt


def test_detect_txt_that_is_really_ris_or_medline() -> None:
    assert detect_format(Path("savedrecs.txt"), b"TY  - JOUR\nTI  - A\nER  - \n") == "ris"
    assert detect_format(Path("pubmed-set.txt"), b"\nPMID- 3\nTI  - A\n") == "medline"
    assert detect_format(Path("study.txt"), b"A study about TY  - JOUR\n") == "txt"


@pytest.mark.parametrize("name, data", [("notes", b"Plain prose, no header.\n"), ("x.bib", b"@article{")])
def test_detect_unknown(name: str, data: bytes) -> None:
    with pytest.raises(ImportFailure) as info:
        detect_format(Path(name), data)
    assert str(info.value).startswith(f"{name}: ")
