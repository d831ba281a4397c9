"""Hostile and odd input, as a user meets it through the command line (issue 8, items 7, 9, 10, 11):
every refusal is a one-line message naming what is wrong (exit 1, no traceback, nothing written);
control characters never reach the terminal or the database."""
from __future__ import annotations

import json

import pytest
from support import dump, rows, run

MAX = 9223372036854775807
HUGE = "99999999999999999999"  # 20 digits: more than SQLite's 64-bit integers hold
LONG = "1" * 5000  # more digits than Python's int() converts (4300)


def refused(capsys, root, *argv) -> str:
    """Run a command that must be refused: exit 1, nothing on stdout, the database unchanged;
    returns stderr."""
    before = dump(root)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (1, ""), err
    assert "Traceback" not in err and err.count("\n") == 1
    assert dump(root) == before
    return err


def settings(root, text: str) -> None:
    (root / "project.yaml").write_text("title: Test review\nreviewers: [alice, ben]\n" + text, encoding="utf-8")


# --- item 7: project.yaml sources stay inside the project -------------------------------------------


def test_a_source_outside_the_project_is_refused(small_project, tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("Private notes\nnot a study\n", encoding="utf-8")
    (small_project / "sources").mkdir()
    (small_project / "sources" / "link.txt").symlink_to(secret)
    inside = small_project.resolve()
    for name in ("../secret.txt", str(secret), "sources/link.txt", "sources/../../secret.txt"):
        settings(small_project, f"sources:\n  - file: {name}\n")
        err = refused(capsys, small_project, "build", small_project)
        assert err == (f"workbench: error: project.yaml sources entry 1 ({name}): the file is outside the "
                       f"project directory {inside}; copy it into the project (e.g. into sources/) and name "
                       "it relative to the project\n")


def test_a_source_inside_the_project_still_builds(small_project, capsys):
    (small_project / "sources").mkdir()
    (small_project / "sources" / "nowak.txt").write_text("Return migration to Poland\n\nFamily first.\n",
                                                         encoding="utf-8")
    settings(small_project, f"sources:\n  - file: {small_project / 'sources' / 'nowak.txt'}\n")
    code, out, err = run(capsys, "build", small_project)
    assert (code, out, err) == (0, "Test review: 1 studies imported, 0 already present\n", "")


# --- item 9: control characters ---------------------------------------------------------------------


def test_control_characters_are_removed_at_import(small_project, tmp_path, capsys):
    source = tmp_path / "escapes.json"
    source.write_text(json.dumps([{
        "title": "\x1b[31mRed\x1b[0m alert: doctors\x07 go\thome",
        "authors": ["Doe,\x1b[2J Jane", "\x9b"],
        "journal": "Journal\nof \x85Things",
        "abstract": "Line one\x00.\x1b[1m\r\nLine\ttwo\x9b",
    }, {"title": "Bad \ud800 title"}]), encoding="utf-8")
    code, out, err = run(capsys, "import", small_project, source, "--json")
    assert (code, err) == (0, "")
    assert [s["title"] for s in json.loads(out)["added"]] == ["[31mRed[0m alert: doctors go home",
                                                              "Bad \ufffd title"]
    code, out, err = run(capsys, "studies", small_project, "--json")
    study = json.loads(out)[3]
    assert (study["authors"], study["journal"]) == (["Doe,[2J Jane"], "Journal of Things")
    assert rows(small_project, "SELECT text FROM document WHERE study_id = 4")[0][0] == "Line one.[1m\nLine\ttwo"
    code, out, err = run(capsys, "studies", small_project)
    assert "\x1b" not in out and "\x07" not in out
    assert "[31mRed[0m alert: doctors go home" in out


def test_construct_names_lose_their_control_characters(small_project, capsys):
    code, out, err = run(capsys, "code", small_project, "--study", "1", "--start", "0", "--end", "7",
                         "--construct", "Fam\x1b[2Jily\nties", "--order", "1", "--reviewer", "alice")
    assert (code, err) == (0, "")
    code, out, err = run(capsys, "construct", "rename", small_project, "Fam[2Jily ties", "Kin\x07ship\x9b",
                         "--reviewer", "alice")
    assert (code, err) == (0, "")
    assert [r[0] for r in rows(small_project, "SELECT name FROM construct")] == ["Kinship"]


def test_clip_canonicalise_and_one_line_drop_control_characters():
    from workbench.core.text import canonicalise, clip, one_line

    assert clip("a\x1b[31mb\x07c\x9b\u2028d", 20) == "a[31mbc d"
    assert clip("\x1b" * 5 + "x" * 30, 10) == "xxxxxxxxx…"
    assert canonicalise("a\x1b[1mb\tc\x9bd\x85e\x7ff\ud800") == "a[1mb\tcd\nef\ufffd"
    assert canonicalise(canonicalise("a\x00\x1b\r\n")) == "a\n"
    assert one_line(" Heist,\x1b\tBrian\r\nS.\x0c ") == "Heist, Brian S."


# --- item 10: messages instead of tracebacks ---------------------------------------------------------


@pytest.mark.parametrize("key", [HUGE, "²", "٣", LONG])
def test_a_study_key_that_is_no_id_is_refused(small_project, capsys, key):
    shown = repr(key)
    message = (f"workbench: error: no study matches {shown}: give its id (see `workbench studies`), DOI or a "
               "unique title start\n")
    assert refused(capsys, small_project, "status", small_project, "--study", key, "--reviewer", "alice",
                   "--set", "done") == message
    assert refused(capsys, small_project, "codings", small_project, "--study", key) == message


@pytest.mark.parametrize("value,shown", [(HUGE, HUGE), ("²", "²"), ("-1", "-1"), (LONG, "1" * 30 + "...")])
def test_a_coding_id_out_of_range_is_refused(small_project, capsys, value, shown):
    assert refused(capsys, small_project, "uncode", small_project, "--coding", value, "--reviewer", "alice") == (
        f"workbench: error: --coding takes a whole number from 0 to {MAX}, not {shown!r}\n")


@pytest.mark.parametrize("year,message", [
    (HUGE, f"year must be between 1000 and 2999, not {HUGE!r}"),
    (LONG, f"year must be between 1000 and 2999, not {'1' * 30 + '...'!r}"),
    ("²", "year must be a whole number, not '²'"),
    ("12", "year must be between 1000 and 2999, not '12'"),
])
def test_an_impossible_year_on_the_command_line_is_refused(small_project, tmp_path, capsys, year, message):
    paper = tmp_path / "paper.txt"
    paper.write_text("Return migration to Poland\n\nFamily first.\n", encoding="utf-8")
    err = refused(capsys, small_project, "import", small_project, paper, "--year", year)
    assert err == f"workbench: error: {paper}: {message}\n"


def test_participants_too_large_to_store_are_refused_in_every_source(small_project, tmp_path, capsys):
    studies = tmp_path / "studies.json"
    studies.write_text('[{"title": "Ghana", "participants": %s}]' % HUGE, encoding="utf-8")
    table = tmp_path / "list.csv"
    table.write_text(f"title,participants\nGhana,n = {LONG}\n", encoding="utf-8")
    out_of_range = f"the number of participants is out of range (0 to {MAX})"
    assert refused(capsys, small_project, "import", small_project, studies) == (
        f"workbench: error: studies.json: record 1: {out_of_range}\n")
    assert refused(capsys, small_project, "import", small_project, table) == (
        f"workbench: error: list.csv: line 2: {out_of_range}\n")
    (small_project / "sources").mkdir()
    (small_project / "sources" / "a.txt").write_text("Return migration to Ghana\n", encoding="utf-8")
    settings(small_project, f"sources:\n  - file: sources/a.txt\n    participants: {HUGE}\n")
    assert refused(capsys, small_project, "build", small_project) == (
        "workbench: error: project.yaml sources entry 1 (sources/a.txt): participants must be between 0 and "
        f"{MAX}, not {HUGE}\n")


def test_json_nested_too_deeply_or_with_a_number_too_long_is_refused(small_project, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert refused(capsys, small_project, "import", small_project, deep) == (
        "workbench: error: deep.json: the JSON is nested too deeply to read (lists or objects hundreds of levels "
        "deep); a study record is an object of fields\n")
    big = tmp_path / "big.json"
    big.write_text('{"title": "Ghana", "year": %s}' % LONG, encoding="utf-8")
    assert refused(capsys, small_project, "import", small_project, big) == (
        "workbench: error: big.json: cannot read the JSON: Exceeds the limit (4300 digits) for integer string "
        "conversion: value has 5000 digits\n")


def test_project_yaml_nested_too_deeply_or_with_a_number_too_long_is_refused(small_project, capsys):
    path = small_project / "project.yaml"
    settings(small_project, "question: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert refused(capsys, small_project, "studies", small_project) == (
        f"workbench: error: {path}: nested too deeply to read (lists or mappings hundreds of levels deep); "
        "see the settings in the README\n")
    settings(small_project, f"sources:\n  - file: a.txt\n    year: {LONG}\n")
    assert refused(capsys, small_project, "studies", small_project) == (
        f"workbench: error: {path}: cannot read the settings (Exceeds the limit (4300 digits) for integer "
        "string conversion: value has 5000 digits)\n")


@pytest.mark.parametrize("kind", ["garbage", "directory"])
def test_a_project_db_that_is_no_database_is_named(tmp_path, capsys, kind):
    root = tmp_path / "review"
    root.mkdir()
    (root / "project.yaml").write_text("title: Review\nreviewers: [alice]\n", encoding="utf-8")
    db = root / "project.db"
    if kind == "garbage":
        db.write_bytes(bytes(range(256)) * 64)
        reason = "file is not a database"
    else:
        db.mkdir()
        reason = "unable to open database file"
    code, out, err = run(capsys, "studies", root)
    assert (code, out) == (1, "")
    assert err == (f"workbench: error: {db}: cannot open the project database ({reason}); if it is damaged, move "
                   "it aside and restore it from a backup\n")
    assert db.is_dir() if kind == "directory" else db.read_bytes() == bytes(range(256)) * 64


def test_init_where_a_file_is_in_the_way_is_refused(tmp_path, capsys):
    notes = tmp_path / "notes"
    notes.write_text("my notes\n", encoding="utf-8")
    code, out, err = run(capsys, "init", notes)
    assert (code, out, err) == (1, "", f"workbench: error: {notes}: a file of that name exists; a project is a "
                                       "directory, choose another name\n")
    code, out, err = run(capsys, "init", notes / "review")
    assert (code, out, err) == (1, "", f"workbench: error: {notes / 'review'}: cannot make the project directory "
                                       "(Not a directory)\n")
    assert notes.read_text(encoding="utf-8") == "my notes\n"


# --- item 11: refusals that were wrong or missing ----------------------------------------------------


def test_a_nul_byte_after_the_first_8_kb_is_refused_naming_its_line(small_project, tmp_path, capsys):
    late = tmp_path / "late.txt"
    late.write_bytes(b"Return migration to Ghana\n" + (b"x" * 99 + b"\n") * 100 + b"tail \x00 here\n")
    assert refused(capsys, small_project, "import", small_project, late) == (
        "workbench: error: late.txt:102: this is a binary file, not text (it contains NUL bytes)\n")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_text(small_project, tmp_path, capsys, encoding):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    paper = tmp_path / "paper.txt"
    paper.write_bytes(bom + "Retour des médecins au Bénin\r\n\r\nLa famille d'abord.\r\n".encode(encoding))
    sheet = tmp_path / "sheet.csv"  # Excel's "Unicode text": UTF-16, tab-separated
    sheet.write_bytes(bom + "title\tyear\n家庭因素胜过经济因素\t2020\n".encode(encoding))
    code, out, err = run(capsys, "import", small_project, paper, sheet, "--json")
    assert (code, err) == (0, "")
    assert [(s["title"], s["year"]) for s in json.loads(out)["added"]] == [
        ("Retour des médecins au Bénin", None), ("家庭因素胜过经济因素", 2020)]
    assert rows(small_project, "SELECT text FROM document WHERE study_id = 4")[0][0] == (
        "Retour des médecins au Bénin\n\nLa famille d'abord.\n")


def test_utf16_without_its_pair_is_refused(small_project, tmp_path, capsys):
    odd = tmp_path / "odd.txt"
    odd.write_bytes(b"\xff\xfeA\x00\x00\xd8")  # "A", then a lone high surrogate
    assert refused(capsys, small_project, "import", small_project, odd) == (
        "workbench: error: odd.txt: not valid UTF-16 text (bad bytes at offset 4); save the file as UTF-8 and "
        "import it again\n")


def test_a_csv_field_over_128_kib_is_imported(small_project, tmp_path, capsys):
    table = tmp_path / "full.csv"
    text = ("Doctors came home. " * 11_000).strip()  # 208,999 characters
    table.write_text(f'title,abstract\nReturn migration to Ghana,"{text}"\n', encoding="utf-8")
    code, out, err = run(capsys, "import", small_project, table)
    assert (code, err) == (0, "")
    assert rows(small_project, "SELECT length FROM document WHERE study_id = 4")[0][0] == len(text) == 208_999


@pytest.mark.parametrize("title", ["", "   ", "\x1b\x07"])
def test_an_empty_title_on_the_command_line_is_refused(small_project, tmp_path, capsys, title):
    paper = tmp_path / "paper.txt"
    paper.write_text("Return migration to Poland\n\nFamily first.\n", encoding="utf-8")
    assert refused(capsys, small_project, "import", small_project, paper, "--title", title) == (
        f"workbench: error: {paper}: the title is empty; a study needs a title\n")


def test_a_construct_name_starting_with_a_dash_needs_the_equals_form(small_project, capsys):
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "code", small_project, "--study", "1", "--start", "0", "--end", "7", "--construct", "-ve",
            "--order", "1", "--reviewer", "alice")
    assert exit_.value.code == 2
    assert "argument --construct: expected one argument" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(capsys, "code", "--help")
    assert "for a name that starts with '-', write --construct=-NAME" in " ".join(capsys.readouterr().out.split())
    code, out, err = run(capsys, "code", small_project, "--study", "1", "--start", "0", "--end", "7",
                         "--construct=-ve", "--order", "1", "--reviewer", "alice")
    assert (code, err) == (0, "")
    assert [r[0] for r in rows(small_project, "SELECT name FROM construct")] == ["-ve"]


def test_project_yaml_overrides_of_odd_types(small_project, capsys):
    (small_project / "sources").mkdir()
    (small_project / "sources" / "a.txt").write_text("Return migration to Ghana\n", encoding="utf-8")
    settings(small_project, "sources:\n  - file: sources/a.txt\n    participants: +-5\n")
    assert refused(capsys, small_project, "build", small_project) == (
        "workbench: error: project.yaml sources entry 1 (sources/a.txt): participants must be a whole number, "
        "not '+-5'\n")
    settings(small_project, "sources:\n  - file: sources/a.txt\n    authors: 5\n    journal: \"\\e[2J\"\n")
    code, out, err = run(capsys, "build", small_project)  # one author called "5"; no journal
    assert (code, err) == (0, "")
    assert [tuple(r) for r in rows(small_project, "SELECT authors, journal FROM study WHERE id = 4")] == [
        ('["5"]', "[2J")]


def test_project_yaml_with_a_number_as_a_key_or_escapes_in_names(small_project, capsys):
    path = small_project / "project.yaml"
    settings(small_project, "1: 2\n")
    assert refused(capsys, small_project, "studies", small_project) == (
        f"workbench: error: {path}: unknown setting(s): 1\n")
    path.write_text('title: "Review\\e[2J"\nreviewers: [alice, "b\\e[31mob", "\\ud800"]\n', encoding="utf-8")
    code, out, err = run(capsys, "studies", small_project)
    assert (code, err) == (0, "")
    assert [r[0] for r in rows(small_project, "SELECT name FROM reviewer ORDER BY id")] == [
        "alice", "ben", "b[31mob", "\ufffd"]



def test_a_source_name_with_an_escape_is_named_without_it(small_project, capsys):
    settings(small_project, 'sources:\n  - file: "\\e[2Jmissing.txt"\n')
    assert refused(capsys, small_project, "build", small_project) == (
        "workbench: error: project.yaml sources entry 1 ([2Jmissing.txt): no such file: "
        f"{small_project}/[2Jmissing.txt\n")


def test_a_memo_on_a_coding_id_sqlite_cannot_hold_is_refused(small_project, capsys):
    before = dump(small_project)
    code, out, err = run(capsys, "memo", "set", small_project, "--coding", "99999999999999999999",
                         "--reviewer", "alice", "--text", "x")
    assert (code, out) == (1, "")
    assert err == ("workbench: error: --coding takes a whole number from 0 to 9223372036854775807, "
                   "not '99999999999999999999'\n")
    assert dump(small_project) == before


@pytest.mark.parametrize("name", ["²", "99999999999999999999"])
def test_a_construct_named_by_an_odd_number_is_looked_up_by_name(small_project, capsys, name):
    code, out, err = run(capsys, "construct", "rename", small_project, name, "New", "--reviewer", "alice")
    assert (code, out) == (1, "")
    assert err == f"workbench: error: no construct called {name!r}; see `workbench constructs`\n"


@pytest.mark.parametrize("option", ["--limit", "--per-text", "--context"])
def test_search_numbers_sqlite_cannot_hold_are_refused(small_project, capsys, option):
    code, out, err = run(capsys, "search", small_project, "health", option, "99999999999999999999")
    assert (code, out) == (1, "")
    assert err.startswith(f"workbench: error: {option} takes a whole number from 0 to ")
