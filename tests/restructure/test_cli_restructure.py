"""The command-line twins: construct rename/merge/move/order/delete, memo set/list/export, undo, redo,
history and search; output, exit status, and an unchanged database on refusal."""
import json

import pytest
from support import dump, run


def refused(capsys, project, *argv) -> str:
    """Run a command that must be refused; return its message after checking nothing was written."""
    before = dump(project)
    code, out, err = run(capsys, *argv)
    assert code == 1, (out, err)
    assert err.startswith("workbench: error: ")
    assert dump(project) == before
    return err.removeprefix("workbench: error: ").strip()


@pytest.fixture
def coded(small_project, capsys):
    """Two second-order themes coded by alice and ben, and an overarching third-order construct."""
    p = small_project
    for study, start, end, construct, order, reviewer in [
            (1, 0, 18, "Pivotal experiences", 2, "alice"), (1, 30, 60, "Pivotal experiences", 2, "ben"),
            (1, 0, 18, "Formative experiences", 2, "alice"), (3, 5, 40, "Formative experiences", 2, "ben"),
            (3, 100, 140, "Reintegration", 3, "alice")]:
        # ben codes with the constructs alice made while coding: not blind (--all-reviewers)
        code, _, err = run(capsys, "code", p, "--study", study, "--start", start, "--end", end, "--construct",
                           construct, "--order", order, "--reviewer", reviewer, "--all-reviewers")
        assert code == 0, err
    return p


def make_lead(project, name: str) -> None:
    """Name ``name`` a lead in project.yaml, as a reviewer edits it."""
    path = project / "project.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f"leads: [{name}]\n", encoding="utf-8")


def test_rename_move_order(coded, capsys):
    # ben coded with 'Pivotal experiences' too: a lead renames, moves and re-orders it only with --touching-others
    make_lead(coded, "alice")
    code, out, _ = run(capsys, "construct", "rename", coded, "pivotal EXPERIENCES", "Turning points",
                       "--reviewer", "alice", "--touching-others")
    assert code == 0 and out == "renamed 'Pivotal experiences' to 'Turning points'\n"
    assert refused(capsys, coded, "construct", "rename", coded, "Turning points", "formative experiences",
                   "--reviewer", "alice", "--touching-others") == (
        "a construct called 'Formative experiences' already exists; merge into it instead")
    assert refused(capsys, coded, "construct", "rename", coded, "Turnin points", "X", "--reviewer", "alice") == (
        "no construct called 'Turnin points'; did you mean 'Turning points'?")
    code, out, _ = run(capsys, "construct", "move", coded, "Turning points", "--parent", "Reintegration",
                       "--reviewer", "alice", "--touching-others")
    assert code == 0 and out == "moved 'Turning points' under 'Reintegration'\n"
    assert "which is under it" in refused(capsys, coded, "construct", "move", coded, "Reintegration", "--parent",
                                          "Turning points", "--reviewer", "alice")
    assert refused(capsys, coded, "construct", "move", coded, "Turning points", "--reviewer", "alice") == (
        "give either --parent NAME or --top")
    assert refused(capsys, coded, "construct", "order", coded, "Reintegration", "1", "--reviewer", "alice") == (
        "'Reintegration' cannot become first-order: its child 'Turning points' is second-order")
    code, out, _ = run(capsys, "construct", "move", coded, "Turning points", "--top", "--reviewer", "alice",
                       "--touching-others")
    assert code == 0 and out == "moved 'Turning points' to the top level\n"
    code, out, _ = run(capsys, "construct", "order", coded, "Turning points", "3", "--reviewer", "alice",
                       "--touching-others")
    assert code == 0 and out == "'Turning points' is third-order now (was second-order)\n"
    assert refused(capsys, coded, "construct", "rename", coded, "Turning points", "Y", "--reviewer", "zoe").startswith(
        "unknown reviewer 'zoe'")


def test_merge_then_undo_redo_history(coded, capsys):
    before = dump(coded)
    make_lead(coded, "alice")
    code, out, err = run(capsys, "construct", "merge", coded, "Pivotal experiences", "Formative experiences",
                         "--reviewer", "alice", "--touching-others")
    assert code == 0, err
    assert out.splitlines() == [
        "merged 'Pivotal experiences' into 'Formative experiences'; 'Pivotal experiences' is retired "
        "(`workbench undo` puts it back)",
        "  1 live coding moved (ben 1)",
        "  alice's coding “Medical migration:” (Medical migration 2018) as 'Formative experiences' was there "
        "twice: the copy from 'Pivotal experiences' is marked removed, not duplicated"]
    assert refused(capsys, coded, "construct", "merge", coded, "Formative experiences", "Reintegration",
                   "--reviewer", "alice") == (
        "'Formative experiences' is second-order and 'Reintegration' is third-order: merging would change the "
        "order of its codings; allow an order change (--allow-order-change) to go ahead")
    after = dump(coded)
    code, out, _ = run(capsys, "history", coded, "--reviewer", "alice")
    assert code == 0
    first = out.splitlines()[0]
    assert "construct.merge" in first and "merging 'Pivotal experiences' into 'Formative experiences'" in first
    code, out, _ = run(capsys, "undo", coded, "--reviewer", "alice")
    assert code == 0 and out == "undid merging 'Pivotal experiences' into 'Formative experiences'\n"
    assert _tables(coded) == _tables_of(before)
    code, out, _ = run(capsys, "redo", coded, "--reviewer", "alice")
    assert code == 0 and out.startswith("redid merging")
    assert _tables(coded) == _tables_of(after)
    assert refused(capsys, coded, "redo", coded, "--reviewer", "alice") == "nothing to redo for alice"
    history = json.loads(run(capsys, "history", coded, "--reviewer", "alice", "--json")[1])
    assert history[0]["action"] == "construct.merge" and history[0]["undone"] is False


def _tables_of(text: str) -> list[str]:
    return sorted(line for line in text.splitlines()
                  if line.startswith(('INSERT INTO "construct"', 'INSERT INTO "coding"', 'INSERT INTO "memo"',
                                      'INSERT INTO "construct_link"')))


def _tables(project) -> list[str]:
    return _tables_of(dump(project))


def test_refused_undo_and_nothing_to_undo(coded, capsys):
    # ben cannot remove alice's coding (issue 10: each reviewer's work is theirs)
    assert refused(capsys, coded, "uncode", coded, "--coding", 5, "--reviewer", "ben") == (
        "alice's coding “iomedical Campus, Cambridge, UK. London” (Return migration of international… 2025) as "
        "'Reintegration' is not yours: a reviewer removes only their own codings")
    assert run(capsys, "uncode", coded, "--coding", 4, "--reviewer", "ben")[0] == 0
    code, out, _ = run(capsys, "undo", coded, "--reviewer", "ben")
    assert code == 0 and out == ("undid removal of your coding “n Rhiannon, Rashid Mohammed A Schoo” (Return "
                                 "migration of international… 2025) as 'Formative experiences'\n")
    assert run(capsys, "undo", coded, "--reviewer", "ben")[0] == 0  # coding 4
    assert run(capsys, "undo", coded, "--reviewer", "ben")[0] == 0  # coding 2
    assert refused(capsys, coded, "undo", coded, "--reviewer", "ben") == "nothing to undo for ben"
    # alice's coding 5 made 'Reintegration': undoing it takes the construct back too (nothing else uses it)
    code, out, _ = run(capsys, "undo", coded, "--reviewer", "alice")
    assert code == 0 and out == ("undid your coding “iomedical Campus, Cambridge, UK. London” (Return migration of "
                                 "international… 2025) as new construct 'Reintegration'\n")
    assert "Reintegration" not in [c["name"] for c in json.loads(run(capsys, "constructs", coded, "--json")[1])]


def test_delete_needs_yes_and_refuses_live_codings(coded, capsys):
    message = refused(capsys, coded, "construct", "delete", coded, "Reintegration", "--reviewer", "alice")
    assert message == ("'Reintegration' has 1 live coding(s) (alice 1); merge it into another construct to keep "
                       "them, or remove them with it (--remove-codings)")
    message = refused(capsys, coded, "construct", "delete", coded, "Reintegration", "--reviewer", "alice",
                      "--remove-codings")
    assert message == ("would delete 'Reintegration' (1 live coding marked removed); nothing was changed: run "
                       "again with --yes")
    code, out, _ = run(capsys, "construct", "delete", coded, "Reintegration", "--reviewer", "alice",
                       "--remove-codings", "--yes")
    assert code == 0 and out == ("deleted 'Reintegration' (1 live coding marked removed); "
                                 "`workbench undo` puts it back\n")
    names = [c["name"] for c in json.loads(run(capsys, "constructs", coded, "--json")[1])]
    assert "Reintegration" not in names
    assert run(capsys, "undo", coded, "--reviewer", "alice")[0] == 0
    assert [c["construct"] for c in json.loads(run(capsys, "codings", coded, "--study", 3, "--json")[1])] == [
        "Formative experiences", "Reintegration"]


def test_memo_set_list_export_and_matrix_column(coded, capsys, tmp_path):
    code, out, err = run(capsys, "memo", "set", coded, "--construct", "Reintegration", "--reviewer", "alice",
                         "--text", "Overarching: coming home is hard")
    assert code == 0, err
    assert out == "alice's memo on construct 'Reintegration': 'Overarching: coming home is hard'\n"
    note = tmp_path / "note.txt"
    note.write_text("A long memo\r\nfrom a file", encoding="utf-8")
    assert run(capsys, "memo", "set", coded, "--coding", 2, "--reviewer", "ben", "--file", note)[0] == 0
    assert run(capsys, "memo", "set", coded, "--project", "--reviewer", "ben", "--text", "p")[0] == 0
    assert run(capsys, "memo", "set", coded, "--study", "Medical migration", "--reviewer", "ben", "--text", "s")[0] == 0
    assert refused(capsys, coded, "memo", "set", coded, "--reviewer", "ben", "--text", "x") == (
        "give one of --project, --study ID, --construct NAME or --coding ID")
    assert refused(capsys, coded, "memo", "set", coded, "--coding", 99, "--reviewer", "ben", "--text", "x") == (
        "no coding with id 99")
    assert refused(capsys, coded, "memo", "set", coded, "--study", 1, "--reviewer", "ben", "--file",
                   tmp_path / "missing.txt").endswith("missing.txt: no such file")
    listed = json.loads(run(capsys, "memo", "list", coded, "--json")[1])
    assert [(m["target_kind"], m["reviewer"]) for m in listed] == [
        ("project", "ben"), ("study", "ben"), ("construct", "alice"), ("coding", "ben")]
    assert listed[3]["text"] == "A long memo\nfrom a file"
    code, out, _ = run(capsys, "memo", "list", coded, "--reviewer", "alice")
    assert code == 0 and len(out.splitlines()) == 1 and "construct 'Reintegration'" in out
    code, out, _ = run(capsys, "memo", "set", coded, "--construct", "Reintegration", "--reviewer", "alice",
                       "--text", "")
    assert code == 0 and out == "removed alice's memo on construct 'Reintegration'\n"

    md = tmp_path / "memos.md"
    code, out, _ = run(capsys, "memo", "export", coded, "--out", md)
    assert code == 0 and out == f"wrote 3 memos to {md}\n"
    assert md.read_text(encoding="utf-8").startswith("# Memos: Test review\n")

    matrix = tmp_path / "m.md"
    assert run(capsys, "export", "matrix", coded, "--format", "md", "--out", matrix)[0] == 0
    lines = matrix.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("| start | end | memo |")
    assert any(line.endswith("| ben: A long memo<br>from a file |") for line in lines)
    assert run(capsys, "export", "matrix", coded, "--format", "md", "--out", matrix, "--no-memo")[0] == 0
    assert matrix.read_text(encoding="utf-8").splitlines()[0].endswith("| start | end |")


def test_search_prints_keyword_in_context(coded, capsys):
    code, out, _ = run(capsys, "search", coded, "pivotal experiences")
    assert code == 0
    assert all(line.startswith("study 1 [") for line in out.splitlines())
    assert "…op an understanding of the Japanese IMG «experience». Methods: Using a grounded theory appro…" in out
    assert "«pivotal»" in out
    hits = json.loads(run(capsys, "search", coded, "家庭因素胜过", "--json")[1])
    assert [(h["kind"], h["study_id"], h["match"]) for h in hits] == [("study", 3, "家庭因素胜过")]
    assert hits[0]["end"] - hits[0]["start"] == 6
    code, out, _ = run(capsys, "search", coded, "家庭因素胜过")
    assert out.startswith(f"study 3 [{hits[0]['start']}-{hits[0]['end']}]  …") and "«家庭因素胜过»" in out
    code, out, _ = run(capsys, "search", coded, "zebra")
    assert code == 0 and out == "no matches for 'zebra'\n"
    assert len(json.loads(run(capsys, "search", coded, "the", "--json", "--limit", 2)[1])) == 2
    assert refused(capsys, coded, "search", coded, '"') == "nothing to search for in '\"': give a word"
