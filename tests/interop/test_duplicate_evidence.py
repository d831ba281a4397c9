"""Import never drops a distinct study for looking like another, nor imports one paper twice
(issue 9): a series whose titles differ by a number or a letter is a series; a plain-text paper's DOI
is its own, read from its head, never one its reference list cites; the same paper exported by two
databases is imported once; a title that is only alike is imported and flagged, never dropped."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from support import rows, run

from workbench.core.records import title_markers


def imported(capsys, project, *files):
    code, out, err = run(capsys, "import", project, *files, "--json")
    assert code == 0, err
    return json.loads(out)


def test_twenty_interview_transcripts_are_twenty_studies(small_project, capsys, tmp_path):
    files = []
    for n in range(1, 21):
        path = tmp_path / f"participant{n:02}.txt"
        path.write_text(f"Interview with participant {n}\n\nI went home in {1990 + n} because my mother "
                        f"was ill, and stayed {n} years.\n", encoding="utf-8")
        files.append(path)
    report = imported(capsys, small_project, *files)
    assert len(report["added"]) == 20 and report["duplicates"] == []
    again = imported(capsys, small_project, *files)
    assert again["added"] == [] and len(again["duplicates"]) == 20  # the same files again add nothing


def test_the_parts_of_a_series_are_all_imported_and_a_retyped_title_is_not(small_project, capsys, tmp_path):
    titles = ["Returning doctors in Ghana, Part 1", "Returning doctors in Ghana, Part 2",
              "Returning doctors in Ghana: Part II", "Returning doctors in Ghana: Site A",
              "Returning doctors in Ghana: Site B", "Returning doctors in Ghana, Wave 3",
              "Returning doctors in Ghana, Wave 4"]
    records = [{"title": t, "issued": {"date-parts": [[2020]]}, "abstract": f"Text of {t}."} for t in titles]
    records.append({"title": "Returning doctors in Ghana, Prat 1", "issued": {"date-parts": [[2020]]},
                    "abstract": "A typo of the first title."})
    path = tmp_path / "series.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    report = imported(capsys, small_project, path)
    assert [a["title"] for a in report["added"]] == titles + ["Returning doctors in Ghana, Prat 1"]
    # "prat 1" vs "part 1": 2 letters swapped in 33, 97% alike, same number: imported and flagged as
    # a possible duplicate of "Part 1" (the earlier record of the same import), never dropped
    part1, typo = report["added"][0]["id"], report["added"][-1]["id"]
    assert [(r["title"], r["outcome"], r["duplicate_of"], r["reason"]) for r in report["records"]
            if r["outcome"] != "imported"] == [
        ("Returning doctors in Ghana, Prat 1", "possible duplicate", part1,
         "titles 97% alike; same year; no first author to compare")]
    assert report["duplicates"] == []
    code, out, _ = run(capsys, "duplicates", small_project)
    assert code == 0 and out.splitlines()[0] == "1 possible duplicate to review"
    assert f"workbench duplicates resolve {small_project} {typo} {part1} --same | --different" in out


REFERENCES = """
References
1. Newman R, et al. There is no place like home. Clin Teach. 2025;22:e70188. doi:10.1111/tct.70188
2. Heist BS, Torok HM. Medical migration. Med Teach. 2018. https://doi.org/10.1080/0142159X.2017.1370081
"""


def test_papers_citing_the_same_doi_and_the_cited_paper_are_all_imported(small_project, capsys, tmp_path):
    body = "We interviewed returning doctors about their first year home. " * 8
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(f"Home again: doctors in Lagos\n\nA. Author\n\n{body}\n{REFERENCES}", encoding="utf-8")
    second.write_text(f"Coming back to Accra\n\nB. Author\nDOI: 10.5555/accra.2020.7\n\n{body}\n{REFERENCES}",
                      encoding="utf-8")
    cited = tmp_path / "cited.ris"
    cited.write_text("TY  - JOUR\nTI  - A paper the others cite\nPY  - 2021\nDO  - 10.1111/tct.99999\nER  - \n",
                     encoding="utf-8")
    before = imported(capsys, small_project, first, second, cited)
    assert [(a["title"], a["doi"]) for a in before["added"]] == [
        ("Home again: doctors in Lagos", None), ("Coming back to Accra", "10.5555/accra.2020.7"),
        ("A paper the others cite", "10.1111/tct.99999")]
    assert before["duplicates"] == []


def test_a_doi_in_the_body_is_not_the_papers_own(small_project, capsys, tmp_path):
    path = tmp_path / "c.txt"
    prose = ("Earlier work (doi:10.1111/tct.70188) found that family outweighs pay, and we asked whether "
             "that holds for doctors who trained in Europe and came home to West Africa after ten years.")
    path.write_text(f"Family and pay\n\n{prose}\n", encoding="utf-8")
    assert imported(capsys, small_project, path)["added"][0]["doi"] is None


WORDS = st.text(alphabet="bcdefghjkmnopqrstuwyz", min_size=3, max_size=9)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, min_size=3, max_size=8), st.integers(0, 99), st.integers(0, 99))
def test_titles_that_differ_in_a_number_never_share_their_markers(words, a, b):
    """Property: however alike the words, two titles whose numbers differ are told apart."""
    first, second = " ".join(words + [str(a)]), " ".join(words + [str(b)])
    assert (title_markers(first) == title_markers(second)) == (a == b)


# The same two papers as two databases export them (issue 9, acceptance): the DOI as a URL in capitals
# against a bare DOI; the title in title case with other punctuation, "Newman R" against "Newman, R.",
# and "Y1  - 2025///" against "PY  - 2025".
DATABASE_A = """TY  - JOUR
TI  - There is no place like home: return migration of doctors
AU  - Newman, R.
AU  - Rashid, M.
PY  - 2025
DO  - https://doi.org/10.1111/TCT.70999
AB  - We interviewed doctors who came home.
ER  - 

TY  - JOUR
TI  - Medical migration: a qualitative exploration of an atypical path
AU  - Heist, B. S.
PY  - 2018
AB  - Japanese international medical graduates in the United States.
ER  - 
"""
DATABASE_B = """TY  - JOUR
TI  - There Is No Place Like Home - Return Migration of Doctors
AU  - Newman R
AU  - Rashid M
Y1  - 2025///
DO  - doi:10.1111/tct.70999
AB  - An abstract as the second database words it.
ER  - 

TY  - JOUR
TI  - Medical Migration. A Qualitative Exploration of an Atypical Path
AU  - Heist BS
Y1  - 2018///
AB  - Another wording of the abstract.
ER  - 
"""


def test_the_same_papers_from_two_databases_are_imported_once(small_project, capsys, tmp_path):
    first, second = tmp_path / "pubmed.ris", tmp_path / "scopus.ris"
    first.write_text(DATABASE_A, encoding="utf-8")
    second.write_text(DATABASE_B, encoding="utf-8")
    a = imported(capsys, small_project, first)
    ids = [s["id"] for s in a["added"]]
    assert len(ids) == 2
    b = imported(capsys, small_project, second)
    assert b["added"] == []
    assert [(r["outcome"], r["duplicate_of"], r["reason"]) for r in b["records"]] == [
        ("duplicate", ids[0], "same DOI 10.1111/tct.70999"),
        ("duplicate", ids[1], "same title, year and first author")]
    # and importing either file again adds nothing
    assert imported(capsys, small_project, first, second)["added"] == []
    code, out, _ = run(capsys, "import", small_project, second)
    assert out.splitlines()[0] == "imported 0 studies; skipped 2 definite duplicates"
    assert out.splitlines()[1] == (f"  skipped  scopus.ris record 1: 'There Is No Place Like Home - Return "
                                   f"Migration of…' is a definite duplicate of study {ids[0]} (Newman 2025): "
                                   "same DOI 10.1111/tct.70999")


def test_a_pubmed_id_and_the_same_text_are_definite(small_project, capsys, tmp_path):
    medline = tmp_path / "pubmed.txt"
    medline.write_text("PMID- 31234567\nTI  - Doctors who stay\nDP  - 2019\nAB  - Why doctors stay.\n\n", encoding="utf-8")
    csv = tmp_path / "other.csv"
    csv.write_text("Title,Year,PMID,Abstract\n\"Doctors who stayed, a re-analysis\",2020,PMID: 31234567,Other words\n",
                   encoding="utf-8")
    first = imported(capsys, small_project, medline)
    assert first["added"][0]["pmid"] == "31234567"
    second = imported(capsys, small_project, csv)
    assert [(r["outcome"], r["reason"]) for r in second["records"]] == [("duplicate", "same PubMed id 31234567")]
    same_text = tmp_path / "copy.txt"
    same_text.write_text("Why doctors stay.", encoding="utf-8")  # its first line makes another title
    assert [r["reason"] for r in imported(capsys, small_project, same_text)["records"]] == ["same text"]


def test_resolve_different_clears_a_flag_and_study_remove_is_undone(small_project, capsys, tmp_path):
    path = tmp_path / "near.json"
    path.write_text(json.dumps([
        {"title": "Medical migration: a qualitative exploration of the atypical path of Japanese "
                  "international medical graduate", "issued": {"date-parts": [[2018]]}, "abstract": "Another text."}]),
        encoding="utf-8")
    report = imported(capsys, small_project, path)
    new, old = report["added"][0]["id"], report["added"][0]["possible_duplicate_of"]
    assert old is not None
    code, out, _ = run(capsys, "duplicates", small_project, "--json")
    pairs = json.loads(out)
    assert [(p["study"]["id"], p["other"]["id"], p["evidence"]["year"], p["evidence"]["first_author"],
             p["evidence"]["text"]) for p in pairs] == [(new, old, "same", "missing", "different")]
    code, out, err = run(capsys, "duplicates", "resolve", small_project, new, old, "--different",
                         "--reviewer", "alice")
    assert code == 0, err
    assert "different studies; no longer flagged" in out
    assert json.loads(run(capsys, "duplicates", small_project, "--json")[1]) == []
    assert run(capsys, "duplicates", small_project)[1] == "no possible duplicates to review\n"

    before = [s["id"] for s in json.loads(run(capsys, "studies", small_project, "--json")[1])]
    code, out, err = run(capsys, "study", "remove", small_project, "--study", new, "--reviewer", "alice")
    assert code == 0, err
    assert out.startswith(f"removed “Medical migration: a qualitative explor…” (study {new})")
    after = [s["id"] for s in json.loads(run(capsys, "studies", small_project, "--json")[1])]
    assert after == [i for i in before if i != new]
    code, out, err = run(capsys, "undo", small_project, "--reviewer", "alice")
    assert code == 0, err
    assert [s["id"] for s in json.loads(run(capsys, "studies", small_project, "--json")[1])] == before


def test_study_remove_is_refused_while_it_has_codings_unless_told(small_project, capsys):
    code, _, err = run(capsys, "code", small_project, "--study", "1", "--construct", "Family first",
                       "--order", "1", "--start", "0", "--end", "20", "--reviewer", "ben")
    assert code == 0, err
    database = rows(small_project, "SELECT id, removed_at FROM study ORDER BY id")
    code, out, err = run(capsys, "study", "remove", small_project, "--study", "1", "--reviewer", "alice")
    assert code == 1 and out == ""
    assert err == ("workbench: error: “Medical migration: a qualitative explor…” has 1 coding "
                   "(ben 1); say what becomes of them: --with-codings removes them with the study (undo "
                   "brings both back)\n")
    assert rows(small_project, "SELECT id, removed_at FROM study ORDER BY id") == database
    code, out, err = run(capsys, "study", "remove", small_project, "--study", "1", "--reviewer", "alice",
                         "--with-codings")
    assert code == 0 and "and its 1 coding;" in out
    assert rows(small_project, "SELECT count(*) FROM coding WHERE removed_at IS NULL")[0][0] == 0
    code, _, err = run(capsys, "code", small_project, "--study", "1", "--construct", "Family first",
                       "--start", "0", "--end", "20", "--reviewer", "ben")
    assert code == 1 and "was removed from the review" in err
    assert run(capsys, "undo", small_project, "--reviewer", "alice")[0] == 0
    assert rows(small_project, "SELECT count(*) FROM coding WHERE removed_at IS NULL")[0][0] == 1


TITLE_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=10)
SURNAMES = st.sampled_from(["Newman", "Heist", "Frehywot", "Chen", "Okafor", ""])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(TITLE_WORDS, min_size=1, max_size=6), st.one_of(st.none(), st.integers(0, 30)),
                          st.one_of(st.none(), st.integers(2015, 2020)), SURNAMES), min_size=2, max_size=12))
def test_distinct_titles_are_never_merged_unless_numbers_year_and_first_author_agree(records):
    """Property: a record is skipped as a definite duplicate on its title only when its title (case and
    punctuation aside), its numbers, its year and its first author all agree with a study already in."""
    from workbench.core.duplicates import DuplicateIndex, Entry
    from workbench.core.records import title_key

    entries = [Entry(key=i, title=" ".join(words) + (f" part {n}" if n is not None else ""), year=year,
                     first_author=author.casefold()) for i, (words, n, year, author) in enumerate(records)]
    index = DuplicateIndex(entries)
    for entry in entries:
        match = index.find(entry)
        if match is not None and match.kind == "definite":
            other = match.other
            assert title_key(other.title) == title_key(entry.title)
            assert title_markers(other.title) == title_markers(entry.title)
            assert other.year == entry.year is not None and other.first_author == entry.first_author != ""
        else:
            index.add(entry)
