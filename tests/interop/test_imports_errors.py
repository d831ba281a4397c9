"""Bad input gets an ImportFailure whose message names the file and the line or record."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from workbench.interop.imports import ImportFailure, parse_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def fail(path: Path, **kwargs) -> ImportFailure:
    with pytest.raises(ImportFailure) as info:
        parse_file(path, **kwargs)
    return info.value


# --- files that are not text, or not UTF-8, or empty


def test_binary_file_names_file_and_line(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + b"\x00" * 32
    error = fail(write(tmp_path, "figure1.txt", png))
    # The NUL bytes start on line 3 (after "\x89PNG\r\n" and "\x1a\n").
    assert str(error) == "figure1.txt:3: this is a binary file, not text (it contains NUL bytes)"
    assert error.line == 3


def test_binary_file_with_an_unknown_extension_says_binary(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "figure1.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert "figure1.png:3: this is a binary file" in str(error)


def test_latin1_file_names_file_line_and_byte(tmp_path: Path) -> None:
    data = "Estudo qualitativo\nTítulo: Migração médica\n".encode("latin-1")
    error = fail(write(tmp_path, "estudo.txt", data))
    assert str(error).startswith("estudo.txt:2: not UTF-8 text (byte 0xed at offset 20)")
    assert "save the file as UTF-8" in str(error)
    assert error.line == 2


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t\n", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("name", ["refs.ris", "study.txt", "list.csv", "records.json", "p.nbib"])
def test_empty_file(tmp_path: Path, name: str, content: bytes) -> None:
    error = fail(write(tmp_path, name, content))
    assert str(error) == f"{name}: the file is empty"
    assert error.line is None


def test_missing_file(tmp_path: Path) -> None:
    error = fail(tmp_path / "nowhere.ris")
    assert str(error).startswith("nowhere.ris: cannot read the file:")


# --- JSON


def test_truncated_json_names_line_and_column(tmp_path: Path) -> None:
    text = '[\n  {"title": "Medical diaspora", "year": 2019},\n  {"title": "Medical migr'
    error = fail(write(tmp_path, "studies.json", text))
    assert str(error).startswith("studies.json:3: not valid JSON at column 13: Unterminated string")
    assert "truncated" in str(error)
    assert error.line == 3


def test_json_cut_after_a_comma(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "studies.json", '[\n  {"title": "A"},\n'))
    assert str(error).startswith("studies.json:3: not valid JSON")
    assert "truncated" in str(error)


def test_seed_002_whole_fails_at_line_2(tmp_path: Path) -> None:
    seed = FIXTURES / "002_bfe18654580229ae.txt"
    error = fail(seed, fmt="json")
    assert str(error).startswith("002_bfe18654580229ae.txt:2: this line is not JSON")
    assert "'引用次数: 0'" in str(error)
    assert "JSON Lines" in str(error)
    assert error.line == 2
    # Named .json, it is detected as JSON and fails the same way.
    copy = tmp_path / "seed002.json"
    shutil.copyfile(seed, copy)
    assert str(fail(copy)).startswith("seed002.json:2: this line is not JSON")


def test_text_after_a_multiline_json_value(tmp_path: Path) -> None:
    text = '{\n  "title": "Medical diaspora"\n}\n\nExported by ExampleTool\n'
    error = fail(write(tmp_path, "one.json", text))
    assert str(error).startswith(
        "one.json:5: unexpected text after the JSON value that ends on line 3: 'Exported by ExampleTool'"
    )


def test_json_record_without_title_names_record_and_line(tmp_path: Path) -> None:
    text = '[\n  {"title": "A study"},\n  {\n    "abstract": "No title here"\n  }\n]\n'
    error = fail(write(tmp_path, "studies.json", text))
    assert str(error) == "studies.json:3: record 2 has no title"
    assert (error.line, error.record) == (3, 2)


def test_json_lines_record_without_title(tmp_path: Path) -> None:
    text = '{"title": "A"}\n\n{"doi": "10.1/x"}\n'
    error = fail(write(tmp_path, "studies.jsonl", text))
    assert str(error) == "studies.jsonl:3: record 2 has no title"


def test_json_list_item_that_is_not_an_object(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "s.json", '[{"title": "A"},\n "B"]'))
    assert str(error) == "s.json:2: record 2 is not a JSON object (it is a string)"


def test_json_scalar(tmp_path: Path) -> None:
    assert str(fail(write(tmp_path, "s.json", "42\n"))) == (
        "s.json:1: expected a JSON object or a list of objects"
    )


def test_json_empty_list(tmp_path: Path) -> None:
    assert "no records found" in str(fail(write(tmp_path, "s.json", "[]")))


# --- CSV


def test_csv_without_title_column_lists_columns_and_how_to_map(tmp_path: Path) -> None:
    text = "Name,Authors,Year\r\nMedical diaspora,Frehywot S,2019\r\n"
    error = fail(write(tmp_path, "screened.csv", text))
    assert str(error) == (
        "screened.csv:1: no title column; the columns are 'Name', 'Authors', 'Year'. Say which column "
        "holds the title with column_map={'title': COLUMN} (on the command line: --map title=COLUMN)"
    )
    (record,) = parse_file(tmp_path / "screened.csv", column_map={"title": "name"})
    assert record.title == "Medical diaspora"


def test_csv_empty_title_names_the_row_first_line(tmp_path: Path) -> None:
    text = 'title,abstract\n"A","line one\nline two\nline three"\n"","orphan abstract"\n'
    error = fail(write(tmp_path, "refs.csv", text))
    assert str(error) == "refs.csv:5: record 2 has an empty title"


def test_csv_unclosed_quote(tmp_path: Path) -> None:
    text = 'title,abstract\n"A","fine"\n"B","never closed\nmore text\n'
    error = fail(write(tmp_path, "refs.csv", text))
    assert "refs.csv:" in str(error)
    assert "a quoted field in the row starting on line 3 is never closed" in str(error)


def test_csv_row_with_too_many_fields(tmp_path: Path) -> None:
    text = "title,year\nReturn migration, a review,2025\n"
    error = fail(write(tmp_path, "refs.csv", text))
    assert str(error).startswith("refs.csv:2: this row has 3 fields but the header has 2")


def test_csv_map_to_missing_column(tmp_path: Path) -> None:
    path = write(tmp_path, "refs.csv", "Title,Year\nA,2019\n")
    error = fail(path, column_map={"abstract": "Summary"})
    assert str(error) == "refs.csv:1: no column 'Summary' to map to abstract; the columns are 'Title', 'Year'"
    error = fail(path, column_map={"colour": "Title"})
    assert str(error).startswith("refs.csv:1: cannot map 'colour': the fields are title, authors")


def test_csv_header_only(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "refs.csv", "Title,Abstract\r\n"))
    assert str(error) == "refs.csv:1: no records found: the file has a header row and nothing else"


# --- RIS

RIS_OK = "TY  - JOUR\nTI  - First study\nER  - \n\n"


def test_ris_record_without_end_tag_before_next_record(tmp_path: Path) -> None:
    text = RIS_OK + "TY  - JOUR\nTI  - Second study\nAB  - An abstract\n\nTY  - JOUR\nTI  - Third\nER  - \n"
    error = fail(write(tmp_path, "refs.ris", text))
    assert str(error) == "refs.ris:9: record 2 has no ER  - end tag (it starts at line 5)"
    assert (error.line, error.record) == (9, 2)


def test_ris_record_without_end_tag_at_end_of_file(tmp_path: Path) -> None:
    text = (RIS_OK + "TY  - JOUR\r\nTI  - Second study\r\nPY  - 2019\r\n").replace("\n", "\r\n")
    error = fail(write(tmp_path, "refs.ris", text.replace("\r\r\n", "\r\n")))
    assert str(error) == "refs.ris:7: record 2 has no ER  - end tag (it starts at line 5)"


def test_ris_stray_line_outside_a_record(tmp_path: Path) -> None:
    text = RIS_OK + "Exported from ExampleDB on 2025-03-12\n"
    error = fail(write(tmp_path, "refs.ris", text))
    assert str(error) == (
        "refs.ris:5: this line is not a RIS tag line ('Exported from ExampleDB on 2025-03-12'); "
        "records start with 'TY  - ' and end with 'ER  - '"
    )


def test_ris_tag_before_ty(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "refs.ris", "TI  - No type\nER  - \n"), fmt="ris")
    assert str(error) == "refs.ris:1: tag TI outside a record; each record starts with 'TY  - '"


def test_ris_record_without_title(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "refs.ris", RIS_OK + "TY  - JOUR\nAU  - Heist, B.S.\nER  - \n"))
    assert str(error) == "refs.ris:5: record 2 has no title (no TI or T1 tag)"


# --- MEDLINE


def test_medline_line_that_is_not_a_tag_or_continuation(tmp_path: Path) -> None:
    text = "PMID- 1\nTI  - A title\nthis line lost its indent\n"
    error = fail(write(tmp_path, "p.nbib", text))
    assert str(error) == (
        "p.nbib:3: this line is not a MEDLINE tag line or an indented continuation "
        "('this line lost its indent')"
    )


def test_medline_record_without_title(tmp_path: Path) -> None:
    text = "PMID- 1\nTI  - A title\n\nPMID- 2\nAB  - An abstract only\n"
    error = fail(write(tmp_path, "p.nbib", text))
    assert str(error) == "p.nbib:4: record 2 has no title (no TI tag)"


# --- formats


def test_unknown_format_name(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "a.txt", "x"), fmt="bibtex")
    assert str(error) == "a.txt: unknown format 'bibtex'; choose one of auto, txt, json, csv, ris, medline"


def test_unsupported_extension_says_what_to_do(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "refs.bib", "@article{a, title={A}}"))
    assert str(error) == "refs.bib: BibTeX is not supported yet; export the references as RIS or CSV"


def test_unrecognisable_content(tmp_path: Path) -> None:
    error = fail(write(tmp_path, "notes.dat", "Some notes about the review.\n"))
    assert str(error).startswith("notes.dat: cannot tell the format of this file (extension '.dat'")


def test_import_failure_rendering_and_pickling() -> None:
    error = ImportFailure(Path("/data/refs.ris"), 41, 3, "record 3 has no title")
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.line, copy.record, copy.message) == (str(error), 41, 3, error.message)
    assert str(ImportFailure(Path("studies.json"), None, 2, "no title")) == "studies.json: record 2: no title"
    where = "project.yaml sources entry 2 (sources/a.txt)"
    assert str(ImportFailure(where, None, None, "no such file")) == f"{where}: no such file"
