"""Issue 12, item 5: working apart, merging together. Two copies of one project (the directory copied
after a shared codebook load and import), alice coding in one and ben in the other; ``workbench
merge PROJECT OTHER`` brings ben's work in with every quote exact, merging again adds nothing, undo
takes the whole merge back, conflicts are reported in words and OTHER's file is never changed."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
from support import ROOT, SOURCES, dump, rows, run

CODEBOOK = ROOT / "codebooks" / "img-return-migration.yaml"
HEIST, FREHYWOT = 1, 2  # the small project's studies


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def text_of(project, study: int) -> str:
    return rows(project, "SELECT text FROM document WHERE study_id = ?", [study])[0][0]


def code(capsys, project, study: int, quote: str, construct: str, reviewer: str, order: int | None = None) -> int:
    """Code the first place ``quote`` stands in the study's text; the coding's id."""
    start = text_of(project, study).index(quote)
    argv = ["code", project, "--study", study, "--start", start, "--end", start + len(quote), "--construct",
            construct, "--reviewer", reviewer, "--json"]
    if order is not None:
        argv += ["--order", order]
    return json.loads(ok(capsys, *argv))["id"]


def codings(capsys, project) -> set[tuple]:
    """(reviewer, study, construct, quote) of every live coding, each quote checked against the text."""
    found = json.loads(ok(capsys, "codings", project, "--json"))
    for c in found:
        assert text_of(project, c["study_id"])[c["start"]:c["end"]] == c["quote"]
    return {(c["reviewer"], c["study_id"], c["construct"], c["quote"]) for c in found}


def statuses(capsys, project, reviewer: str) -> dict[int, str]:
    return {s["id"]: s["status"] for s in json.loads(ok(capsys, "studies", project, "--reviewer", reviewer, "--json"))}


def memos(capsys, project) -> set[tuple]:
    return {(m["reviewer"], m["target_kind"], m["text"]) for m in json.loads(ok(capsys, "memo", "list", project, "--json"))}


def judgements(project) -> set[tuple]:
    return {tuple(r) for r in rows(project, "SELECT r.name, k.name, t.study_id, t.kind, t.note FROM translation t "
                                            "JOIN reviewer r ON r.id = t.reviewer_id JOIN construct k ON k.id = t.concept_id")}


def state(project) -> str:
    """The database as SQL without the event log (undo adds to it) and the search index's own tables."""
    return "\n".join(line for line in dump(project).splitlines()
                     if not line.startswith(('INSERT INTO "event"', 'INSERT INTO "memo_fts', 'INSERT INTO "document_fts')))


def merged(capsys, project, other, *more) -> dict:
    return json.loads(ok(capsys, "merge", project, other, "--reviewer", "alice", "--json", *more))


@pytest.fixture
def copies(small_project, tmp_path, capsys):
    """The review after a shared codebook load and one coding of alice's, copied to ben's laptop."""
    p = small_project
    ok(capsys, "codebook", "load", p, CODEBOOK, "--reviewer", "alice")
    code(capsys, p, HEIST, "Medical migration", "An atypical path of medical migration", "alice")
    ok(capsys, "memo", "set", p, "--study", HEIST, "--reviewer", "alice", "--text", "Read twice.")
    other = tmp_path / "ben-laptop"
    shutil.copytree(p, other)
    return p, other


def alice_and_ben_work_apart(capsys, p, other) -> None:
    # alice, in the project
    code(capsys, p, HEIST, "A qualitative exploration", "Pivotal experiences", "alice")
    code(capsys, p, HEIST, "Japanese international medical graduates", "Career detours", "alice", order=2)
    ok(capsys, "status", p, "--study", HEIST, "--reviewer", "alice", "--set", "done")
    ok(capsys, "translate", p, "--concept", "Family trumps finances", "--study", HEIST, "--as", "reciprocal",
       "--reviewer", "alice")
    # ben, on his laptop: the same study, a construct named as alice named hers, one of his own, another study
    code(capsys, other, HEIST, "A qualitative exploration", "Pivotal experiences", "ben")
    code(capsys, other, HEIST, "Japanese international medical graduates", "Career detours", "ben", order=2)
    unusual = code(capsys, other, HEIST, "atypical path", "Unusual routes", "ben", order=2)
    ok(capsys, "construct", "link", other, "Unusual routes", "interprets", "Family trumps finances", "--reviewer", "ben")
    code(capsys, other, FREHYWOT, "Medical diaspora", "Diaspora as an underutilised resource", "ben")
    ok(capsys, "memo", "set", other, "--coding", unusual, "--reviewer", "ben", "--text", "Not the usual direction.")
    ok(capsys, "memo", "set", other, "--project", "--reviewer", "ben", "--text", "Coded on the train.")
    ok(capsys, "status", other, "--study", HEIST, "--reviewer", "ben", "--set", "done")
    ok(capsys, "status", other, "--study", FREHYWOT, "--reviewer", "ben", "--set", "doing")
    ok(capsys, "translate", other, "--concept", "Family trumps finances", "--study", HEIST, "--as", "refutational",
       "--note", "pay mattered more", "--reviewer", "ben")


def test_merge_brings_every_coding_status_memo_and_judgement(copies, capsys):
    p, other = copies
    alice_and_ben_work_apart(capsys, p, other)
    other_bytes, other_files = (other / "project.db").read_bytes(), sorted(f.name for f in other.iterdir())
    before = state(p)

    report = merged(capsys, p, other)
    assert report["brought"] == {"reviewers": 0, "constructs": 1, "links": 1, "codings": 4, "removals": 0,
                                 "statuses": 2, "memos": 2, "judgements": 1, "cleared": 0}
    assert report["already"]["codings"] == 1 and report["already"]["memos"] == 1
    assert report["conflicts"] == [] and report["parted_at"] is not None
    assert codings(capsys, p) == {
        ("alice", HEIST, "An atypical path of medical migration", "Medical migration"),
        ("alice", HEIST, "Pivotal experiences", "A qualitative exploration"),
        ("alice", HEIST, "Career detours", "Japanese international medical graduates"),
        ("ben", HEIST, "Pivotal experiences", "A qualitative exploration"),
        ("ben", HEIST, "Career detours", "Japanese international medical graduates"),  # alice's construct, by name
        ("ben", HEIST, "Unusual routes", "atypical path"),
        ("ben", FREHYWOT, "Diaspora as an underutilised resource", "Medical diaspora"),
    }
    assert statuses(capsys, p, "ben") == {HEIST: "done", FREHYWOT: "doing", 3: "todo"}
    assert statuses(capsys, p, "alice") == {HEIST: "done", FREHYWOT: "todo", 3: "todo"}
    assert memos(capsys, p) == {("alice", "study", "Read twice."), ("ben", "coding", "Not the usual direction."),
                                ("ben", "project", "Coded on the train.")}
    assert [tuple(r) for r in rows(p, "SELECT a.name, a.construct_order, l.kind, b.name FROM construct_link l "
                                      "JOIN construct a ON a.id = l.from_id JOIN construct b ON b.id = l.to_id "
                                      "WHERE a.name = 'Unusual routes'")] == [
        ("Unusual routes", 2, "interprets", "Family trumps finances")]
    assert judgements(p) == {("alice", "Family trumps finances", HEIST, "reciprocal", ""),
                             ("ben", "Family trumps finances", HEIST, "refutational", "pay mattered more")}
    # OTHER was only read: its file is byte for byte as it was, and nothing was left beside it
    assert (other / "project.db").read_bytes() == other_bytes
    assert sorted(f.name for f in other.iterdir()) == other_files

    after = dump(p)
    again = merged(capsys, p, other)
    assert not any(again["brought"].values()) and again["event"] is None
    assert again["already"]["codings"] == 5 and again["already"]["statuses"] == 2
    assert dump(p) == after  # merging twice adds nothing, not even an event

    code_, out, err = run(capsys, "undo", p, "--reviewer", "alice")
    assert code_ == 0, err
    assert out == (f"undid merging 1 construct, 1 link, 4 codings, 2 statuses, 2 memos and 1 judgement from {other}\n")
    assert state(p) == before
    ok(capsys, "redo", p, "--reviewer", "alice")
    assert state(p) == "\n".join(line for line in after.splitlines()
                                 if not line.startswith(('INSERT INTO "event"', 'INSERT INTO "memo_fts',
                                                         'INSERT INTO "document_fts')))


def test_the_text_report_counts_each_kind(copies, capsys):
    p, other = copies
    alice_and_ben_work_apart(capsys, p, other)
    before = dump(p)
    out = ok(capsys, "merge", p, other, "--dry-run")
    assert out.splitlines()[:2] == [
        f"dry run, nothing written: merging {other} into {p}",
        "  would bring in: 1 construct, 1 link, 4 codings, 2 statuses, 2 memos, 1 judgement"]
    assert dump(p) == before
    out = ok(capsys, "merge", p, other, "--reviewer", "alice")
    assert out.splitlines()[1] == "  brought in: 1 construct, 1 link, 4 codings, 2 statuses, 2 memos, 1 judgement"
    assert out.splitlines()[-1] == f"one step: `workbench undo {p} --reviewer alice` takes the whole merge back"


def test_a_status_or_judgement_changed_in_one_copy_only_is_taken_from_it(copies, capsys):
    p, other = copies
    ok(capsys, "status", p, "--study", HEIST, "--reviewer", "ben", "--set", "doing")  # before the copies part
    ok(capsys, "translate", p, "--concept", "Family trumps finances", "--study", HEIST, "--as", "reciprocal",
       "--reviewer", "ben")
    ok(capsys, "translate", p, "--concept", "Drive to private practice", "--study", HEIST, "--as", "reciprocal",
       "--reviewer", "ben")
    shutil.rmtree(other)
    shutil.copytree(p, other)
    ok(capsys, "status", other, "--study", HEIST, "--reviewer", "ben", "--set", "done")     # ben, on his laptop
    ok(capsys, "translate", other, "--concept", "Family trumps finances", "--study", HEIST, "--as", "refutational",
       "--reviewer", "ben")
    ok(capsys, "translate", other, "--concept", "Drive to private practice", "--study", HEIST, "--clear",
       "--reviewer", "ben")
    ok(capsys, "status", p, "--study", FREHYWOT, "--reviewer", "ben", "--set", "doing")    # ben, here
    report = merged(capsys, p, other)
    assert report["conflicts"] == []
    assert report["brought"]["statuses"] == 1 and report["brought"]["judgements"] == 1
    assert report["brought"]["cleared"] == 1
    assert statuses(capsys, p, "ben") == {HEIST: "done", FREHYWOT: "doing", 3: "todo"}
    assert judgements(p) == {("ben", "Family trumps finances", HEIST, "refutational", "")}
    # ben changes his mind on the laptop again: the merged value is his copy's, not a change here
    ok(capsys, "status", other, "--study", HEIST, "--reviewer", "ben", "--set", "doing")
    assert merged(capsys, p, other)["conflicts"] == []
    assert statuses(capsys, p, "ben")[HEIST] == "doing"


def test_each_conflict_is_reported_in_words_and_this_projects_side_kept(copies, capsys):
    p, other = copies
    # the same construct renamed differently in both copies
    ok(capsys, "construct", "rename", p, "Pivotal experiences", "Turning points", "--reviewer", "alice")
    ok(capsys, "construct", "rename", other, "Pivotal experiences", "Life-changing experiences", "--reviewer", "ben")
    code(capsys, other, HEIST, "A qualitative exploration", "Life-changing experiences", "ben")
    # renamed in OTHER only: a note, the name here kept
    ok(capsys, "construct", "rename", other, "Mentoring as tailored support", "Tailored mentoring", "--reviewer", "ben")
    code(capsys, other, HEIST, "Torok", "Tailored mentoring", "ben")
    # a name that is a construct of another order here
    code(capsys, p, HEIST, "Japanese international", "Stigma", "alice", order=2)
    code(capsys, other, HEIST, "medical graduates", "Stigma", "ben", order=1)
    # a new construct in OTHER named as a construct here is now called, which OTHER knows by its old name
    ok(capsys, "construct", "rename", p, "Drive to private practice", "Private practice", "--reviewer", "alice")
    code(capsys, other, HEIST, "Heist", "Private practice", "ben", order=3)
    # deleted here; merged here (a note, not a conflict)
    ok(capsys, "construct", "delete", p, "Deglobalisation of healthcare", "--yes", "--reviewer", "alice")
    code(capsys, other, FREHYWOT, "Medical diaspora", "Deglobalisation of healthcare", "ben")
    ok(capsys, "construct", "merge", p, "Knowledge exchange networks", "Exchanging knowledge internationally",
       "--reviewer", "alice")
    code(capsys, other, FREHYWOT, "Research", "Knowledge exchange networks", "ben")
    # a study only OTHER has
    ok(capsys, "import", other, SOURCES / "wu2023-editorial.txt", "--title", "Internationalisation of medical "
       "education", "--year", "2023", "--authors", "Wu, Hao", "--reviewer", "ben")
    wu = next(s["id"] for s in json.loads(ok(capsys, "studies", other, "--json")) if s["year"] == 2023)
    code(capsys, other, wu, "medical education", "Training quality and career opportunities", "ben")
    ok(capsys, "status", other, "--study", wu, "--reviewer", "ben", "--set", "done")
    # a coding whose quote is not the text at its span (a damaged copy)
    odd = code(capsys, other, FREHYWOT, "health system development", "Knowledge exchange networks", "ben")
    conn = sqlite3.connect(other / "project.db")
    conn.execute("UPDATE coding SET exact = 'health system collapse' WHERE id = ?", [odd])
    conn.commit()
    conn.close()
    # a status, a judgement and a memo set differently in both copies
    for project, status, kind, memo in ((p, "doing", "reciprocal", "Server note."),
                                        (other, "done", "refutational", "Laptop note.")):
        ok(capsys, "status", project, "--study", FREHYWOT, "--reviewer", "ben", "--set", status)
        ok(capsys, "translate", project, "--concept", "Family trumps finances", "--study", FREHYWOT, "--as", kind,
           "--reviewer", "ben")
        ok(capsys, "memo", "set", project, "--project", "--reviewer", "ben", "--text", memo)

    report = merged(capsys, p, other)
    assert [(c["kind"], c["message"]) for c in report["conflicts"]] == [
        ("renamed", f"'Turning points' here is called 'Life-changing experiences' in {other}; kept 'Turning "
                    "points', and brought its codings to it"),
        ("quote", f"ben's coding “health system collapse” (Medical diaspora 2019) as 'Knowledge exchange networks' does "
                  f"not match this project's text at {text_of(p, FREHYWOT).index('health system development')}-"
                  f"{text_of(p, FREHYWOT).index('health system development') + 25} (“health system development”): "
                  "not brought"),
        ("memo", f"ben's memo on the project differs between the copies (“Server note.” here, “Laptop note.” in "
                 f"{other}); kept this project's"),
        ("status", f"ben's status of Medical diaspora 2019 is 'doing' here and 'done' in {other}, set in both since the "
                   "copies parted; kept 'doing'"),
        ("judgement", f"ben's judgement of Medical diaspora 2019 for 'Family trumps finances' is reciprocal here and "
                      f"refutational in {other}, set in both since the copies parted; kept reciprocal"),
        ("construct deleted", "'Deglobalisation of healthcare' was deleted in this project: 1 coding with it not "
                              "brought"),
        ("name taken", f"'Stigma' is first-order in {other}, but 'Stigma' here is second-order: 1 coding with it "
                       "not brought"),
        ("name taken", f"'Private practice' in {other} has the name of another construct here ('Private practice', "
                       f"which {other} calls 'Drive to private practice'): 1 coding with it not brought"),
        ("study missing", "Wu 2023 (“Internationalisation of medical education”) is not in this project (no study "
                          "has its text): 1 coding and 1 status not brought; import it, then merge again"),
    ]
    assert report["notes"] == [f"'Mentoring as tailored support' was renamed 'Tailored mentoring' in {other}; kept "
                                "'Mentoring as tailored support' here (rename it here if that is wanted)",
                                "'Knowledge exchange networks' was merged into 'Exchanging knowledge internationally' "
                                f"here: 1 coding with it in {other} went to 'Exchanging knowledge internationally'"]
    ben = {c for c in codings(capsys, p) if c[0] == "ben"}
    assert ben == {("ben", HEIST, "Turning points", "A qualitative exploration"),
                   ("ben", FREHYWOT, "Exchanging knowledge internationally", "Research"),
                   ("ben", HEIST, "Mentoring as tailored support", "Torok")}
    assert statuses(capsys, p, "ben")[FREHYWOT] == "doing"
    assert ("ben", "project", "Server note.") in memos(capsys, p)


def test_refusals_leave_the_project_as_it_was(copies, tmp_path, capsys):
    p, other = copies
    before = dump(p)

    def refused(*argv) -> str:
        code_, out, err = run(capsys, *argv)
        assert code_ == 1, (out, err)
        assert dump(p) == before
        return err.removeprefix("workbench: error: ").strip()

    assert refused("merge", p, p, "--reviewer", "alice") == f"{p} is this project itself; give the other copy's directory"
    assert refused("merge", p, tmp_path / "nowhere", "--reviewer", "alice") == (
        f"{tmp_path / 'nowhere'}: not a project to merge from (no project.db); give the other copy's directory")
    assert refused("merge", p, other) == ("say who merges with --reviewer NAME: the merge is one step on their "
                                          "undo stack (`workbench undo --reviewer NAME` takes it back)")
    conn = sqlite3.connect(other / "project.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    newer = (other / "project.db").read_bytes()
    assert refused("merge", p, other, "--reviewer", "alice") == (
        f"{other / 'project.db'}: made by a newer workbench (database schema 99); this workbench reads schema "
        f"{rows(p, 'PRAGMA user_version')[0][0]} and older: upgrade the workbench, then merge")
    assert (other / "project.db").read_bytes() == newer


def test_an_older_copy_without_shared_history_brings_its_reviewer(small_project, tmp_path, capsys):
    """OTHER made by an older workbench (schema 6) in a project of its own that imported the same
    Heist 2018 text: chloe, her construct and coding come in; OTHER stays at schema 6, unchanged."""
    from sqlite_utils import Database

    from workbench.store.schema import migrations

    p = small_project
    other = tmp_path / "chloe"
    other.mkdir()
    (other / "project.yaml").write_text("format: 1\ntitle: Chloe's copy\nreviewers: [chloe]\n", encoding="utf-8")
    text, sha = rows(p, "SELECT text, sha256 FROM document WHERE study_id = ?", [HEIST])[0]
    quote = "Japanese international medical graduates"
    start = text.index(quote)
    conn = sqlite3.connect(other / "project.db", isolation_level=None)
    migrations.apply(Database(conn), stop_before="m007_study_order_and_translation")
    conn.execute("PRAGMA user_version = 6")
    at = "2024-05-01T09:00:00.000000+00:00"
    conn.execute("INSERT INTO reviewer (id, guid, name, created_at) VALUES (1, 'r-chloe', 'chloe', ?)", [at])
    conn.execute("INSERT INTO study (id, guid, title, order_index, imported_at) VALUES (1, 's-1', 'Heist', 1, ?)", [at])
    conn.execute("INSERT INTO document (study_id, text, sha256, length) VALUES (1, ?, ?, ?)", [text, sha, len(text)])
    conn.execute("INSERT INTO construct (id, guid, name, construct_order, created_by, created_at) "
                 "VALUES (1, 'c-1', 'Homeward', 2, 1, ?)", [at])
    conn.execute("INSERT INTO coding (id, guid, study_id, construct_id, reviewer_id, span_start, span_end, exact, "
                 "prefix, suffix, text_sha256, created_at) VALUES (1, 'k-1', 1, 1, 1, ?, ?, ?, '', '', ?, ?)",
                 [start, start + len(quote), quote, sha, at])
    conn.execute("INSERT INTO study_status (study_id, reviewer_id, status, updated_at) VALUES (1, 1, 'done', ?)", [at])
    conn.close()
    other_bytes = (other / "project.db").read_bytes()
    before = state(p)

    report = merged(capsys, p, other)
    assert report["parted_at"] is None and report["conflicts"] == []
    assert {k: n for k, n in report["brought"].items() if n} == {"reviewers": 1, "constructs": 1, "codings": 1,
                                                                  "statuses": 1}
    assert codings(capsys, p) == {("chloe", HEIST, "Homeward", quote)}
    assert statuses(capsys, p, "chloe")[HEIST] == "done"
    assert (other / "project.db").read_bytes() == other_bytes
    assert rows(other, "PRAGMA user_version")[0][0] == 6

    ok(capsys, "undo", p, "--reviewer", "alice")
    assert state(p) == before  # chloe herself is taken back too


def test_undo_is_refused_once_someone_has_worked_on_what_the_merge_brought(copies, capsys):
    p, other = copies
    alice_and_ben_work_apart(capsys, p, other)
    merged(capsys, p, other)
    ben = json.loads(ok(capsys, "codings", p, "--reviewer", "ben", "--json"))
    unusual = next(c["id"] for c in ben if c["construct"] == "Unusual routes")
    ok(capsys, "memo", "set", p, "--construct", "Unusual routes", "--reviewer", "ben", "--text", "Rare.")
    ok(capsys, "uncode", p, "--coding", unusual, "--reviewer", "ben")
    before = dump(p)
    code_, out, err = run(capsys, "undo", p, "--reviewer", "alice")
    assert code_ == 1 and dump(p) == before
    assert err == (f"workbench: error: cannot undo merging 1 construct, 1 link, 4 codings, 2 statuses, 2 memos and 1 "
                   f"judgement from {other}: 1 coding it brought or changed was changed since; 1 memo written since "
                   "on what it brought\n")


def test_merging_back_and_forth_keeps_each_reviewers_latest_word(copies, capsys):
    """ben pulls the project into his copy after alice merged his work; what a merge wrote into a
    copy is the other copy's value, so later changes on either side come through without a conflict."""
    p, other = copies
    alice_and_ben_work_apart(capsys, p, other)
    merged(capsys, p, other)
    back = json.loads(ok(capsys, "merge", other, p, "--reviewer", "ben", "--json"))
    assert back["conflicts"] == [] and back["brought"]["statuses"] == 1 and back["brought"]["codings"] == 2
    ok(capsys, "status", p, "--study", HEIST, "--reviewer", "alice", "--set", "doing")      # alice, here
    ok(capsys, "status", other, "--study", FREHYWOT, "--reviewer", "ben", "--set", "done")  # ben, on the laptop
    ok(capsys, "translate", other, "--concept", "Family trumps finances", "--study", HEIST, "--as", "reciprocal",
       "--reviewer", "ben")
    report = merged(capsys, p, other)
    assert report["conflicts"] == []
    assert {k: n for k, n in report["brought"].items() if n} == {"statuses": 1, "judgements": 1}
    assert statuses(capsys, p, "alice")[HEIST] == "doing"
    assert statuses(capsys, p, "ben") == {HEIST: "done", FREHYWOT: "done", 3: "todo"}
    assert ("ben", "Family trumps finances", HEIST, "reciprocal", "") in judgements(p)
