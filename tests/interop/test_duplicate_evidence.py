"""Import never drops a distinct study for looking like another (issue 9, measured cases 1 and 2):
a series whose titles differ by a number or a letter is a series, and a plain-text paper's DOI is
its own, read from its head, never one its reference list cites."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from support import run

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
    assert [a["title"] for a in report["added"]] == titles
    # "prat 1" vs "part 1": 2 letters swapped in 33, 97% alike, same number: the same paper retyped
    assert [(d["title"], d["existing_study"], d["reason"]) for d in report["duplicates"]] == [
        ("Returning doctors in Ghana, Prat 1", None, "near-identical title (97% alike)")]  # None: of this import


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
