"""Issue 13, item 5: ``workbench reimport`` replaces a study's text with a corrected one and
re-anchors every coding (counts by method, one undoable event); ``workbench orphans`` lists the
codings that could not be placed, places one or drops it. Refusals leave the database as it was."""
from __future__ import annotations

import json
import sqlite3

import pytest
from support import rows, run

OLD = ("Japanese doctors abroad: why they return\n"
       "Background. Doctors returned home for their famlies. Pay was lower at home.\n"
       "They missed their parents and the food of home.\n"
       "Some went back abroad after a year, others stayed for good.\n")
# The corrected extraction: a typo fixed, the last paragraph moved up and cut short.
NEW = ("Japanese doctors abroad: why they return\n"
       "Background. Doctors returned home for their families. Pay was lower at home.\n"
       "Some went back abroad after a year.\n"
       "They missed their parents and the food of home.\n")


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, ""), err
    return out


def code(capsys, root, reviewer: str, quote: str, construct: str) -> int:
    start = OLD.index(quote)
    out = ok(capsys, "code", root, "--study", "1", "--start", start, "--end", start + len(quote), "--construct",
             construct, "--order", "2", "--reviewer", reviewer, "--all-reviewers", "--json")
    return json.loads(out)["id"]


def content(root) -> dict:
    """Every row of the tables a re-anchoring touches, and the search index's answer."""
    conn = sqlite3.connect(root / "project.db")
    try:
        found = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                 for t in ("document", "sentence", "coding", "orphan")}
        found["search"] = conn.execute("SELECT rowid FROM document_fts WHERE document_fts MATCH 'famlies'").fetchall()
        return found
    finally:
        conn.close()


@pytest.fixture
def review(tmp_path, capsys):
    root = tmp_path / "review"
    ok(capsys, "init", root, "--reviewer", "alice", "--reviewer", "bob")
    source = tmp_path / "heist2018.txt"
    source.write_text(OLD, encoding="utf-8")
    ok(capsys, "import", root, source, "--reviewer", "alice")
    ids = {
        "title": code(capsys, root, "alice", "why they return", "Reasons to return"),
        "typo": code(capsys, root, "alice", "Doctors returned home for their famlies.", "Family over finances"),
        "pay": code(capsys, root, "alice", "Pay was lower at home.", "Pay"),
        "parents": code(capsys, root, "bob", "They missed their parents", "Family over finances"),
        "went": code(capsys, root, "bob", "Some went back abroad after a year", "Leaving again"),
        "stayed": code(capsys, root, "bob", "others stayed for good", "Staying"),
        "food": code(capsys, root, "alice", "the food of home", "Food"),
    }
    ok(capsys, "uncode", root, "--coding", ids["food"], "--reviewer", "alice")
    fixed = tmp_path / "heist2018-corrected.txt"
    fixed.write_bytes(b"\xef\xbb\xbf" + NEW.replace("\n", "\r\n").encode("utf-8"))  # a BOM and CRLF, as Windows saves
    return root, fixed, ids


def test_reimport_places_each_coding_by_the_first_method_that_finds_it_and_reports_the_counts(review, capsys):
    root, fixed, ids = review
    out = ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice")
    assert out == (
        "replaced the text of Japanese doctors abroad with heist2018-corrected.txt (202 characters); re-anchored "
        "6 codings: 1 at their place, 2 moved with the text, 1 found by their quote, 1 matched fuzzily, 1 orphaned\n"
        f"  fuzzy {ids['typo']:>6}: “Doctors returned home for their families.” (was “Doctors returned home for "
        "their famlies.”, 98% alike)\n"
        "also re-anchored 1 removed coding (0 not placed), so undoing a removal puts it back on the new text\n"
        f"1 orphaned coding: `workbench orphans {root}` lists them; place or drop each\n"
        "`workbench undo` puts the old text and every coding's place back\n")

    listed = {c["id"]: (c["start"], c["end"], c["quote"]) for c in json.loads(ok(capsys, "codings", root, "--json"))}
    assert listed == {ids["title"]: (25, 40, "why they return"),
                      ids["typo"]: (53, 94, "Doctors returned home for their families."),
                      ids["pay"]: (95, 117, "Pay was lower at home."),
                      ids["went"]: (118, 152, "Some went back abroad after a year"),
                      ids["parents"]: (154, 179, "They missed their parents")}
    # the text, its hash and length, the sentences and the search index follow the new text
    (doc,) = rows(root, "SELECT text, length, sha256 FROM document")
    assert (doc["text"], doc["length"]) == (NEW, 202)
    assert [tuple(r) for r in rows(root, "SELECT span_start, span_end FROM sentence ORDER BY 1")] == [
        (0, 40), (41, 52), (53, 94), (95, 117), (118, 153), (154, 201)]
    assert content(root)["search"] == []
    # each coding says how it was placed; the fuzzy one keeps its old quote; the removed one moved too
    anchors = {r["id"]: (r["anchor"], r["old_exact"], r["span_start"], r["removed_at"] is not None)
               for r in rows(root, "SELECT id, anchor, old_exact, span_start, removed_at FROM coding")}
    assert anchors == {ids["title"]: ("position", None, 25, False),
                       ids["typo"]: ("fuzzy", "Doctors returned home for their famlies.", 53, False),
                       ids["pay"]: ("diff", None, 95, False), ids["parents"]: ("diff", None, 154, False),
                       ids["went"]: ("quote", None, 118, False), ids["stayed"]: ("orphaned", None, 201, True),
                       ids["food"]: ("diff", None, 184, True)}


def test_reimport_json_gives_the_counts_by_method(review, capsys):
    root, fixed, _ = review
    report = json.loads(ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice", "--json"))
    assert {k: report[k] for k in ("study_id", "study", "file", "length", "counts", "removed")} == {
        "study_id": 1, "study": "Japanese doctors abroad", "file": "heist2018-corrected.txt", "length": 202,
        "counts": {"position": 1, "diff": 2, "quote": 1, "fuzzy": 1, "orphaned": 1},
        "removed": {"position": 0, "diff": 1, "quote": 0, "fuzzy": 0, "orphaned": 0}}
    assert report["fuzzy"] == [{"id": 2, "start": 53, "end": 94, "score": 97.6,
                                "quote": "Doctors returned home for their families.",
                                "old_quote": "Doctors returned home for their famlies."}]


def test_undo_puts_the_old_text_sentences_and_places_back_and_redo_replaces_them_again(review, capsys):
    root, fixed, _ = review
    before = content(root)
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice")
    after = content(root)
    assert after != before

    out = ok(capsys, "undo", root, "--reviewer", "alice")
    assert "replacing the text of Japanese doctors abroad from heist2018-corrected.txt, 1 coding orphaned" in out
    assert content(root) == before
    assert content(root)["search"] == [(1,)]  # the old words are found again

    ok(capsys, "redo", root, "--reviewer", "alice")
    assert content(root) == after


def test_undo_is_refused_once_someone_coded_on_the_new_text(review, capsys):
    root, fixed, _ = review
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice")
    ok(capsys, "code", root, "--study", "1", "--start", "0", "--end", "8", "--construct", "Pay", "--reviewer", "bob",
       "--all-reviewers")
    held = content(root)
    code_, out, err = run(capsys, "undo", root, "--reviewer", "alice")
    assert code_ == 1
    assert err == ("workbench: error: cannot undo replacing the text of Japanese doctors abroad from "
                   "heist2018-corrected.txt, 1 coding orphaned: bob's coding “Japanese” (Japanese doctors abroad) "
                   "as 'Pay' was coded on the new text since\n")
    assert content(root) == held


@pytest.mark.parametrize("argv, message", [
    (["--study", "1", "missing.txt"], "missing.txt: cannot read the file: No such file or directory"),
    (["--study", "9", "FIXED"], "no study matches '9'"),
    (["--study", "1", "EMPTY"], "empty.txt: the file is empty"),
    (["--study", "1", "SAME"], "same.txt is the text Japanese doctors abroad has already: nothing to re-anchor"),
    (["--study", "1", "BINARY"], "binary.txt:1: this is a binary file, not text (it contains NUL bytes)"),
])
def test_a_refused_reimport_says_why_and_leaves_the_database_as_it_was(review, tmp_path, capsys, argv, message):
    root, fixed, _ = review
    files = {"FIXED": fixed, "EMPTY": tmp_path / "empty.txt", "SAME": tmp_path / "same.txt",
             "BINARY": tmp_path / "binary.txt", "missing.txt": tmp_path / "missing.txt"}
    files["EMPTY"].write_text(" \n", encoding="utf-8")
    files["SAME"].write_text(OLD, encoding="utf-8")
    files["BINARY"].write_bytes(b"\x00\x01text")
    before = content(root)
    events = rows(root, "SELECT count(*) FROM event")[0][0]
    code_, out, err = run(capsys, "reimport", root, *[files.get(a, a) for a in argv], "--reviewer", "alice")
    assert (code_, out) == (1, "")
    assert err.startswith("workbench: error: ") and message in err, err
    assert content(root) == before
    assert rows(root, "SELECT count(*) FROM event")[0][0] == events


def test_orphans_are_listed_placed_and_dropped_by_their_reviewer_each_undoable(review, capsys):
    root, fixed, ids = review
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice")
    listed = json.loads(ok(capsys, "orphans", root, "--json"))
    assert [{k: o[k] for k in ("id", "study", "reviewer", "construct", "quote", "prefix", "suffix")}
            for o in listed] == [{"id": ids["stayed"], "study": "Japanese doctors abroad", "reviewer": "bob",
                                  "construct": "Staying", "quote": "others stayed for good",
                                  "prefix": " went back abroad after a year, ", "suffix": ".\n"}]
    out = ok(capsys, "orphans", root)
    assert out.startswith("1 orphaned coding (their study's text was replaced and the quote not found):\n"
                          f"{ids['stayed']:>6}  Japanese doctors ab… bob      Staying                  "
                          "“others stayed for good”\n")

    # only its reviewer places it
    code_, _, err = run(capsys, "orphans", root, "--place", ids["stayed"], "--start", "118", "--end", "152",
                        "--reviewer", "alice")
    assert code_ == 1 and "bob's coding “others stayed for good” (Japanese doctors abroad) as 'Staying' is not " \
                          "yours: a reviewer places only their own orphaned codings" in err
    out = ok(capsys, "orphans", root, "--place", ids["stayed"], "--start", "118", "--end", "152", "--reviewer", "bob")
    assert out == (f"placed coding {ids['stayed']} on [118, 152): “Some went back abroad after a year” "
                   "(was “others stayed for good”)\n")
    assert ok(capsys, "orphans", root) == "no orphaned codings: every coding is on its study's text\n"
    assert (ids["stayed"], 118, 152) in [(c["id"], c["start"], c["end"])
                                         for c in json.loads(ok(capsys, "codings", root, "--json"))]

    ok(capsys, "undo", root, "--reviewer", "bob")  # back to the list
    assert [o["id"] for o in json.loads(ok(capsys, "orphans", root, "--json"))] == [ids["stayed"]]
    out = ok(capsys, "orphans", root, "--drop", ids["stayed"], "--reviewer", "bob")
    assert out == ("dropped the orphaned coding “others stayed for good” (Japanese doctors abroad) as 'Staying'; "
                   "it stays removed, with its quote, in the log\n")
    assert json.loads(ok(capsys, "orphans", root, "--json")) == []
    assert ids["stayed"] not in [c["id"] for c in json.loads(ok(capsys, "codings", root, "--json"))]
    ok(capsys, "undo", root, "--reviewer", "bob")
    assert [o["id"] for o in json.loads(ok(capsys, "orphans", root, "--json"))] == [ids["stayed"]]


def test_an_orphan_is_placed_on_its_best_candidate(review, capsys):
    root, fixed, ids = review
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice")
    (orphan,) = json.loads(ok(capsys, "orphans", root, "--json"))
    candidate = orphan["candidate"]
    placed = json.loads(ok(capsys, "orphans", root, "--place", ids["stayed"], "--best", "--reviewer", "bob", "--json"))
    assert (placed["start"], placed["end"], placed["quote"]) == (candidate["start"], candidate["end"],
                                                                 candidate["text"])
    assert placed["old_quote"] == "others stayed for good"


def test_undoing_a_removal_after_the_text_was_replaced_puts_the_coding_on_the_new_text(review, capsys):
    root, fixed, ids = review
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "bob")
    ok(capsys, "undo", root, "--reviewer", "alice")  # alice's last action: removing "the food of home"
    listed = {c["id"]: (c["start"], c["end"], c["quote"]) for c in json.loads(ok(capsys, "codings", root, "--json"))}
    assert listed[ids["food"]] == (184, 200, "the food of home")


def test_the_same_text_check_of_an_import_follows_the_replaced_text(review, tmp_path, capsys):
    root, fixed, _ = review
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice")
    (tmp_path / "again-new.txt").write_text(NEW, encoding="utf-8")
    (tmp_path / "again-old.txt").write_text(OLD, encoding="utf-8")
    report = json.loads(ok(capsys, "import", root, tmp_path / "again-new.txt", "--title", "Another title",
                           "--json"))
    assert (report["added"], report["duplicates"]) == ([], [
        {"file": "again-new.txt", "where": "record 1", "title": "Another title", "existing_study": 1,
         "reason": "same text"}])
    report = json.loads(ok(capsys, "import", root, tmp_path / "again-old.txt", "--title", "Old extraction",
                           "--json"))
    assert ([a["title"] for a in report["added"]], report["duplicates"]) == (["Old extraction"], [])


def test_a_later_text_that_has_the_quote_again_places_the_orphan(review, tmp_path, capsys):
    root, fixed, ids = review
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "alice")
    third = tmp_path / "third.txt"
    third.write_text(NEW + "In the end, others stayed for good.\n", encoding="utf-8")
    report = json.loads(ok(capsys, "reimport", root, "--study", "1", third, "--reviewer", "alice", "--json"))
    assert report["counts"] == {"position": 5, "diff": 0, "quote": 1, "fuzzy": 0, "orphaned": 0}
    assert json.loads(ok(capsys, "orphans", root, "--json")) == []
    listed = {c["id"]: (c["start"], c["end"]) for c in json.loads(ok(capsys, "codings", root, "--json"))}
    assert listed[ids["stayed"]] == (214, 236)

    ok(capsys, "undo", root, "--reviewer", "alice")  # an orphan again, as after the first replacement
    assert [o["id"] for o in json.loads(ok(capsys, "orphans", root, "--json"))] == [ids["stayed"]]


def test_undoing_a_construct_deletion_will_not_put_codings_back_on_a_replaced_text(review, capsys):
    root, fixed, _ = review
    ok(capsys, "construct", "delete", root, "Pay", "--remove-codings", "--yes", "--reviewer", "alice")
    ok(capsys, "reimport", root, "--study", "1", fixed, "--reviewer", "bob")
    held = content(root)
    code_, out, err = run(capsys, "undo", root, "--reviewer", "alice")
    assert code_ == 1
    assert err == ("workbench: error: cannot undo deleting 'Pay' with 1 coding(s): the text of Japanese doctors "
                   "abroad was replaced since\n")
    assert content(root) == held
