"""The command line as scripts use it: output, exit status, and an unchanged database on refusal."""
import csv
import json
import shutil
import sqlite3

import pytest
from support import DEMO, dump, run


@pytest.fixture
def demo(tmp_path, capsys):
    """A copy of the demo project, built from its sources as `make demo` builds it."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("project.db*"))
    code, out, err = run(capsys, "build", root)
    assert code == 0, err
    assert "5 studies imported" in out and "codebook codebook.yaml: 10 constructs loaded" in out
    return root


def test_demo_builds_with_the_right_metadata_in_study_order(demo, capsys):
    code, out, _ = run(capsys, "studies", demo, "--json")
    studies = json.loads(out)
    assert [(s["year"], s["doi"]) for s in studies] == [
        (2018, "10.1080/0142159x.2017.1370081"), (2019, "10.1186/s12960-019-0393-1"),
        (2023, "10.1186/s12909-023-04374-2"), (2024, "10.1080/14739879.2024.2355933"), (2025, "10.1111/tct.70188")]
    assert studies[0]["authors"] == ["Heist, Brian S.", "Torok, Haruka Matsubara"]
    assert studies[3]["title"] == ("Mentoring to address differential attainment of international medical "
                                   "graduates in GP training")
    assert studies[3]["authors"] == ["Tina Huang", "Annabel Shepherd", "Monica Milne"]
    assert studies[3]["journal"] == "Education for Primary Care"
    code, out, _ = run(capsys, "build", demo)
    assert code == 0 and "0 studies imported, 5 already present" in out


def test_code_codings_and_matrix_export_carry_the_exact_quote(demo, capsys, tmp_path):
    review = next(s for s in json.loads(run(capsys, "studies", demo, "--json")[1]) if s["year"] == 2025)
    text = sqlite3.connect(demo / "project.db").execute(
        "SELECT text FROM document WHERE study_id = ?", [review["id"]]).fetchone()[0]
    start = text.index("家庭因素胜过经济因素")
    code, out, err = run(capsys, "code", demo, "--study", review["id"], "--start", start, "--end", start + 10,
                         "--construct", "Family over finances", "--order", "3", "--reviewer", "alice", "--json")
    assert code == 0, err
    assert json.loads(out)["quote"] == "家庭因素胜过经济因素" == text[start:start + 10]
    code, out, err = run(capsys, "code", demo, "--study", "10.1080/0142159X.2017.1370081", "--start", 0,
                         "--end", 18, "--construct", "Pivotal experiences", "--order", "2", "--reviewer", "ben")
    assert code == 0, err
    found = json.loads(run(capsys, "codings", demo, "--json")[1])
    assert [(c["reviewer"], c["order"], c["construct"], c["quote"]) for c in found] == [
        ("ben", 2, "Pivotal experiences", "Medical migration:"),
        ("alice", 3, "Family over finances", "家庭因素胜过经济因素")]
    assert json.loads(run(capsys, "codings", demo, "--reviewer", "alice", "--json")[1])[0]["start"] == start

    out_csv = tmp_path / "matrix.csv"
    assert run(capsys, "export", "matrix", demo, "--format", "csv", "--out", out_csv)[0] == 0
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8-sig", newline="")))
    assert rows[1] == {"study_id": str(review["id"]), "study_title": review["title"], "year": "2025",
                       "reviewer": "alice", "order": "3", "construct": "Family over finances",
                       "parent_construct": "", "quote": "家庭因素胜过经济因素", "start": str(start),
                       "end": str(start + 10), "memo": ""}
    out_md = tmp_path / "matrix.md"
    assert run(capsys, "export", "matrix", demo, "--format", "md", "--out", out_md)[0] == 0
    assert f"| alice | 3 | Family over finances |  | 家庭因素胜过经济因素 | {start} | {start + 10} |  |\n" in out_md.read_text()

    wide = tmp_path / "wide.csv"
    assert run(capsys, "export", "matrix", demo, "--format", "csv", "--wide", "--out", wide)[0] == 0
    table = list(csv.reader(wide.open(encoding="utf-8-sig", newline="")))
    # a column per construct: the demo codebook's ten, and the one made by coding
    assert table[0][:3] == ["study_id", "study_title", "year"] and len(table[0]) == 3 + 11
    pivotal, family = table[0].index("Pivotal experiences"), table[0].index("Family over finances")
    assert [(r[2], r[pivotal], r[family]) for r in table[1:]] == [
        ("2018", "1", "0"), ("2019", "0", "0"), ("2023", "0", "0"), ("2024", "0", "0"), ("2025", "0", "1")]
    assert {r[i] for r in table[1:] for i in range(3, len(table[0])) if i not in (pivotal, family)} == {"0"}


@pytest.mark.parametrize("start,end,message", [
    (10, 10, "span 10-10 is empty"),
    (10, 5, "span 10-5 is reversed"),
    (0, 10**6, "runs past the end of the text"),
])
def test_bad_spans_are_refused_and_nothing_is_written(demo, capsys, start, end, message):
    before = dump(demo)
    code, _, err = run(capsys, "code", demo, "--study", 1, "--start", start, "--end", end,
                       "--construct", "New one", "--order", "1", "--reviewer", "alice")
    assert code == 1 and message in err
    assert dump(demo) == before  # not even the new construct


def test_uncode_keeps_the_coding_in_the_log_and_status_is_per_reviewer(demo, capsys):
    run(capsys, "code", demo, "--study", 1, "--start", 0, "--end", 5, "--construct", "X", "--order", "1",
        "--reviewer", "alice")
    code, out, _ = run(capsys, "uncode", demo, "--coding", 1, "--reviewer", "alice")
    assert code == 0 and "removed coding 1" in out
    assert json.loads(run(capsys, "codings", demo, "--json")[1]) == []
    code, _, err = run(capsys, "uncode", demo, "--coding", 1, "--reviewer", "alice")
    assert code == 1 and "already removed" in err
    assert run(capsys, "status", demo, "--study", 1, "--reviewer", "ben", "--set", "done")[0] == 0
    by_ben = {s["id"]: s["status"] for s in json.loads(run(capsys, "studies", demo, "--reviewer", "ben", "--json")[1])}
    by_alice = {s["id"]: s["status"] for s in json.loads(run(capsys, "studies", demo, "--reviewer", "alice", "--json")[1])}
    assert by_ben[1] == "done" and by_alice[1] == "todo"


BAD_INPUTS = {
    "truncated.json": ('{"title": "Return migration of doctors", "abstract": "Doctors who went ho', "truncated.json:1"),
    "screening.csv": ("Article Name,Abstract\r\nReturn migration,Doctors went home\r\n", "screening.csv:1"),
    "refs.ris": ("TY  - JOUR\nTI  - Return migration\nAB  - Doctors went home.\nER  - \n\n"
                 "TY  - JOUR\nTI  - Second record\nAB  - Never ended.\n",
                 "refs.ris:8: record 2 has no ER  - end tag (it starts at line 6)"),
    "scan.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "scan.txt"),
    "latin1.txt": ("Título: Migração de médicos\nResumo".encode("latin-1"), "latin1.txt:1"),
    "empty.ris": ("", "empty.ris"),
}


@pytest.mark.parametrize("name", BAD_INPUTS)
def test_bad_input_names_the_file_and_line_and_leaves_the_database_as_it_was(demo, capsys, tmp_path, name):
    content, where = BAD_INPUTS[name]
    bad = tmp_path / name
    bad.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    good = tmp_path / "good.txt"
    good.write_text("A study that would be imported\nwith text.", encoding="utf-8")
    before = dump(demo)
    code, out, err = run(capsys, "import", demo, good, bad)
    assert code == 1
    assert err.startswith(f"workbench: error: {where}"), err
    assert out == ""
    assert dump(demo) == before  # the good file before it was not imported either


def test_build_checks_the_project_codebook_before_importing_anything(tmp_path, capsys):
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("project.db*"))
    (root / "codebook.yaml").unlink()
    (root / "codebook.yaml").write_text("format: 1\ntitle: T\nconstructs:\n  - name: A\n    order: 4\n",
                                        encoding="utf-8")
    code, out, err = run(capsys, "build", root)
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith(f"{root / 'codebook.yaml'}:5:12: ")
    assert err.splitlines()[-1] == f"workbench: error: {root / 'codebook.yaml'}: 1 problem found; nothing was loaded"
    assert sqlite3.connect(root / "project.db").execute("SELECT count(*) FROM study").fetchone()[0] == 0
