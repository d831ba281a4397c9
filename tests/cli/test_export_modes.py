"""Exported files get the permissions ``open()`` would give them (issue 10, item 12): a new file is
0o666 less the user's umask, whatever the export; a replaced file keeps its mode."""
import os
import stat

import pytest
from support import run

EXPORTS = {  # what -> the argv after the project, before the target
    "matrix csv": ["export", "matrix", "{p}", "--format", "csv", "--out"],
    "matrix md": ["export", "matrix", "{p}", "--format", "md", "--out"],
    "memos": ["export", "memos", "{p}", "--out"],
    "memo export": ["memo", "export", "{p}", "--out"],
    "codebook yaml": ["export", "codebook", "{p}", "--format", "yaml", "--out"],
    "codebook qdc": ["export", "codebook", "{p}", "--format", "qdc", "--out"],
    "codebook export": ["codebook", "export", "{p}"],
}


@pytest.fixture
def umask():
    """``umask(value)`` sets the process's umask for the test; the old one comes back after it."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


@pytest.fixture
def coded(small_project, capsys):
    """The small project with one coding and one memo, so every export has something to write."""
    assert run(capsys, "code", small_project, "--study", "1", "--start", "0", "--end", "17",
               "--construct", "Pivotal experiences", "--order", "2", "--reviewer", "alice")[0] == 0
    assert run(capsys, "memo", "set", small_project, "--study", "1", "--text", "Read twice.",
               "--reviewer", "alice")[0] == 0
    return small_project


def export(capsys, project, what, target):
    code, out, err = run(capsys, *[a.format(p=project) for a in EXPORTS[what]], target)
    assert code == 0, err
    return out, err


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("what", EXPORTS)
@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_export_gets_the_mode_open_would_give_it(coded, capsys, tmp_path, umask, what, mask, expected):
    target = tmp_path / "out" / ("codebook.qdc" if "qdc" in what else "export.txt")
    target.parent.mkdir()
    umask(mask)
    export(capsys, coded, what, target)
    assert mode(target) == expected
    assert os.listdir(target.parent) == [target.name]  # no temporary file left beside it
    assert os.umask(mask) == mask  # the export left the umask as it found it


@pytest.mark.parametrize("what", EXPORTS)
def test_a_replaced_file_keeps_its_mode_whatever_the_umask(coded, capsys, tmp_path, umask, what):
    target = tmp_path / ("codebook.qdc" if "qdc" in what else "export.txt")
    target.write_text("old")
    target.chmod(0o640)
    umask(0o077)
    export(capsys, coded, what, target)
    assert mode(target) == 0o640 and target.read_bytes() != b"old"
    target.chmod(0o604)
    umask(0o022)
    export(capsys, coded, what, target)
    assert mode(target) == 0o604


def test_through_a_symlink_the_file_it_points_at_keeps_its_mode(coded, capsys, tmp_path, umask):
    real = tmp_path / "shared" / "matrix.csv"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o664)
    link = tmp_path / "matrix.csv"
    link.symlink_to(real)
    umask(0o077)
    export(capsys, coded, "matrix csv", link)
    assert link.is_symlink() and mode(real) == 0o664
    assert real.read_text(encoding="utf-8-sig").startswith("study_id,study_title")


def test_an_export_never_changes_the_umask_even_for_a_moment(coded, capsys, tmp_path, umask, monkeypatch):
    """The umask is the whole process's: were an export to set it to 0 to read it, a file another
    thread created meanwhile (the TUI's database journal, a second export) would be world-writable."""
    umask(0o022)
    calls = []
    real = os.umask
    monkeypatch.setattr(os, "umask", lambda value: calls.append(value) or real(value))
    for what in EXPORTS:
        export(capsys, coded, what, tmp_path / f"{what.replace(' ', '-')}.out")
    assert calls == []
