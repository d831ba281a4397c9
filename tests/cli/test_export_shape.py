"""Every export has one shape, `workbench export WHAT PROJECT --format F --out FILE`, and one way of
writing its file: atomically, with the permissions open() would give (umask for a new file; a
replaced file keeps its mode)."""
import os
import stat

import pytest
from support import run


@pytest.fixture
def coded(small_project, capsys):
    for argv in (["code", small_project, "--study", 1, "--start", 0, "--end", 18, "--construct", "Pivotal",
                  "--order", 2, "--reviewer", "alice"],
                 ["memo", "set", small_project, "--construct", "Pivotal", "--reviewer", "alice", "--text", "Why."]):
        code, _, err = run(capsys, *argv)
        assert code == 0, err
    return small_project


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield
    os.umask(old)


EXPORTS = [("matrix", "csv", "m.csv"), ("matrix", "md", "m.md"), ("memos", "md", "memos.md"),
           ("codebook", "yaml", "cb.yaml"), ("codebook", "qdc", "cb.qdc"), ("annotations", "jsonld", "a.jsonld")]


@pytest.mark.parametrize("what, fmt, name", EXPORTS)
def test_a_new_export_file_gets_the_users_umask(coded, capsys, tmp_path, umask_027, what, fmt, name):
    out = tmp_path / name
    code, said, err = run(capsys, "export", what, coded, "--format", fmt, "--out", out)
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert str(out) in said
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize("what, fmt, name", EXPORTS)
def test_a_replaced_export_file_keeps_its_mode(coded, capsys, tmp_path, what, fmt, name):
    out = tmp_path / name
    out.write_text("old")
    out.chmod(0o604)
    assert run(capsys, "export", what, coded, "--format", fmt, "--out", out)[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o604 and out.read_bytes() != b"old"


def test_export_codebook_and_memos_write_what_codebook_export_and_memo_export_write(coded, capsys, tmp_path):
    assert run(capsys, "export", "codebook", coded, "--format", "qdc", "--out", tmp_path / "a.xml")[0] == 0
    assert run(capsys, "codebook", "export", coded, tmp_path / "b.qdc")[0] == 0
    assert (tmp_path / "a.xml").read_bytes() == (tmp_path / "b.qdc").read_bytes()
    assert (tmp_path / "a.xml").read_bytes().startswith(b"<?xml")
    assert run(capsys, "export", "memos", coded, "--out", tmp_path / "a.md")[0] == 0  # md is the only format
    assert run(capsys, "memo", "export", coded, "--out", tmp_path / "b.md")[0] == 0
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "**alice**" in (tmp_path / "a.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("what", ["matrix", "memos", "codebook"])
def test_an_export_into_a_missing_directory_is_refused(coded, capsys, tmp_path, what):
    fmt = {"matrix": "csv", "memos": "md", "codebook": "yaml"}[what]
    code, out, err = run(capsys, "export", what, coded, "--format", fmt, "--out", tmp_path / "nowhere" / "f")
    assert (code, out, err) == (1, "", f"workbench: error: {tmp_path / 'nowhere'}: no such directory\n")
