"""Exports never destroy a project and never carry a live formula or live markup (issue 8, items 1
and 8): the project's own files are refused whatever path names them, symlinks are written
through, standard output and devices are written as streams."""
import csv
import json
import os
import stat
import threading

import pytest
from support import dump, run

EXPORTS = {  # what -> the argv after the project, before the target
    "matrix": ["export", "matrix", "{p}", "--format", "csv", "--out"],
    "matrix-md": ["export", "matrix", "{p}", "--format", "md", "--out"],
    "memos": ["export", "memos", "{p}", "--out"],
    "memo export": ["memo", "export", "{p}", "--out"],
    "codebook": ["export", "codebook", "{p}", "--format", "yaml", "--out"],
    "codebook export": ["codebook", "export", "{p}"],
}


def export(capsys, project, what, target):
    argv = [a.format(p=project) for a in EXPORTS[what]]
    return run(capsys, *argv, target)


@pytest.mark.parametrize("what", EXPORTS)
@pytest.mark.parametrize("name, kind", [("project.db", "the database"), ("project.yaml", "the settings"),
                                        ("project.db-wal", "the database"), ("project.db-shm", "the database")])
def test_the_projects_own_files_are_refused(small_project, capsys, what, name, kind):
    settings = (small_project / "project.yaml").read_bytes()
    before = dump(small_project)
    target = small_project / name
    code, out, err = export(capsys, small_project, what, target)
    assert (code, out) == (1, "")
    assert err == (f"workbench: error: {target}: is {kind} of the project in {small_project}; an export never "
                   "replaces it: give another file name\n")
    assert dump(small_project) == before and (small_project / "project.yaml").read_bytes() == settings
    assert run(capsys, "studies", small_project)[0] == 0


def test_a_symlink_or_a_roundabout_path_to_the_database_is_refused_too(small_project, capsys, tmp_path):
    before = dump(small_project)
    link = tmp_path / "innocent.csv"
    link.symlink_to(small_project / "project.db")
    roundabout = small_project / ".." / small_project.name / "." / "project.db"
    for target in (link, roundabout):
        code, _, err = export(capsys, small_project, "matrix", target)
        assert code == 1 and "is the database of the project" in err
    assert dump(small_project) == before and link.is_symlink()


def test_an_export_is_written_through_a_symlink_which_stays_a_link(small_project, capsys, tmp_path):
    real = tmp_path / "shared" / "matrix.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "matrix.csv"
    link.symlink_to(real)
    assert export(capsys, small_project, "matrix", link)[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8-sig").startswith("study_id,study_title")


def test_dash_writes_to_standard_output_and_the_summary_to_standard_error(small_project, capsys, tmp_path,
                                                                         monkeypatch):
    monkeypatch.chdir(tmp_path)  # were "-" taken as a file name, it would land here
    code, out, err = export(capsys, small_project, "codebook", "-")
    assert code == 0
    assert out.startswith("# A synthesis-workbench codebook")
    assert err.startswith("wrote codebook -: 0 constructs")
    assert [p.name for p in tmp_path.iterdir()] == ["review"]  # the project, and no file called "-"


def test_a_pipe_is_written_as_a_stream_not_replaced(small_project, capsys, tmp_path):
    """(A pipe in a temporary directory stands for /dev/stdout and other devices: a regression must
    not be able to replace a real device of the machine running the tests.)"""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    code, _, err = export(capsys, small_project, "matrix", pipe)
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert received[0].decode("utf-8-sig").startswith("study_id,study_title,year")


@pytest.mark.parametrize("target, message", [
    ("", "give a file name to write to (or - for standard output)"),
    ("{tmp}", "{tmp}: is a directory; give a file name"),
    ("{tmp}/missing/m.csv", "{tmp}/missing: no such directory"),
])
def test_a_target_that_cannot_be_a_file_is_refused_with_a_message(small_project, capsys, tmp_path, target,
                                                                   message):
    code, out, err = export(capsys, small_project, "matrix", target.format(tmp=tmp_path))
    assert (code, out, err) == (1, "", f"workbench: error: {message.format(tmp=tmp_path)}\n")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_directory_is_refused(small_project, capsys, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    code, _, err = export(capsys, small_project, "matrix", locked / "m.csv")
    assert code == 1 and err == f"workbench: error: {locked / 'm.csv'}: cannot write there (permission denied)\n"


TEXT = ("-2 points, said one. =HYPERLINK(\"http://x\") was typed. @admin asked. "
        "<script>alert(1)</script> and [here](javascript:alert(1)) too.")


@pytest.fixture
def hostile(small_project, capsys, tmp_path):
    source = tmp_path / "hostile.txt"
    source.write_text(TEXT, encoding="utf-8")
    code, out, err = run(capsys, "import", small_project, source, "--title", "Hostile", "--year", 2030, "--json")
    assert code == 0, err
    study = json.loads(out)["added"][0]["id"]
    spans = [("-2 points", "=Sum of it", 1), ("@admin asked.", "+plus", 2),
             ("<script>alert(1)</script>", "<b>bold</b>", 2), ("[here](javascript:alert(1))", "Links", 2)]
    for quote, construct, order in spans:
        start = TEXT.index(quote)
        code, _, err = run(capsys, "code", small_project, "--study", study, "--start", start, "--end",
                           start + len(quote), f"--construct={construct}", "--order", order, "--reviewer", "alice")
        assert code == 0, err
    code, _, err = run(capsys, "memo", "set", small_project, "--study", study, "--reviewer", "alice", "--text",
                       "see <img src=x onerror=alert(1)> and [me](JavaScript:alert(2))")
    assert code == 0, err
    return small_project


def test_csv_cells_that_would_start_a_formula_are_written_as_text(hostile, capsys, tmp_path):
    out = tmp_path / "m.csv"
    assert export(capsys, hostile, "matrix", out)[0] == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig", newline="")))
    assert [(r["construct"], r["quote"]) for r in rows] == [
        ("'=Sum of it", "'-2 points"), ("'+plus", "'@admin asked."), ("<b>bold</b>", "<script>alert(1)</script>"),
        ("Links", "[here](javascript:alert(1))")]
    assert [r["start"] for r in rows] == ["0", "55", "69", "99"]  # numbers stay numbers
    wide = tmp_path / "w.csv"
    assert run(capsys, "export", "matrix", hostile, "--format", "csv", "--wide", "--out", wide)[0] == 0
    header = next(csv.reader(wide.open(encoding="utf-8-sig", newline="")))
    assert header == ["study_id", "study_title", "year", "'=Sum of it", "'+plus", "<b>bold</b>", "Links"]


def test_markdown_carries_no_live_html_and_no_script_links(hostile, capsys, tmp_path):
    table, memos = tmp_path / "m.md", tmp_path / "memos.md"
    assert export(capsys, hostile, "matrix-md", table)[0] == 0
    assert export(capsys, hostile, "memos", memos)[0] == 0
    text = table.read_text(encoding="utf-8")
    assert "| &lt;b&gt;bold&lt;/b&gt; |  | &lt;script&gt;alert(1)&lt;/script&gt; |" in text
    assert "[here](javascript&#58;alert(1))" in text
    assert "<script" not in text and "<b>" not in text and "javascript:" not in text
    notes = memos.read_text(encoding="utf-8")
    assert "see &lt;img src=x onerror=alert(1)&gt; and [me](JavaScript&#58;alert(2))" in notes
    assert "<img" not in notes
