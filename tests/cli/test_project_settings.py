"""`workbench init` and project.yaml as a reviewer meets them: what init writes, what it refuses, every
project.yaml mistake named on stderr (exit 1, nothing written), and the study orders it chooses."""
import json

import pytest
import yaml
from support import dump, rows, run

from workbench.store.db import SCHEMA_VERSION


def init(capsys, root, *extra) -> None:
    code, out, err = run(capsys, "init", root, *extra)
    assert (code, err) == (0, ""), err


# --- init ------------------------------------------------------------------------------------------


def test_init_writes_project_yaml_and_a_database_that_knows_the_reviewers(tmp_path, capsys):
    root = tmp_path / "img-review"
    code, out, err = run(capsys, "init", root, "--title", "Return migration of IMGs",
                         "--question", "Why do international medical graduates go home?",
                         "--reviewer", "alice", "--reviewer", "ben")
    assert (code, out, err) == (0, f"created project 'Return migration of IMGs' in {root}\n", "")
    assert yaml.safe_load((root / "project.yaml").read_text(encoding="utf-8")) == {
        "format": 1,
        "title": "Return migration of IMGs",
        "question": "Why do international medical graduates go home?",
        "reviewers": ["alice", "ben"],
        "study_order": "chronological",
    }
    assert (root / "project.db").is_file()
    assert [r["name"] for r in rows(root, "SELECT name FROM reviewer ORDER BY id")] == ["alice", "ben"]
    assert rows(root, "PRAGMA user_version")[0][0] == SCHEMA_VERSION

    code, out, err = run(capsys, "studies", root, "--reviewer", "ben", "--json")
    assert (code, json.loads(out), err) == (0, [], "")


def test_init_without_a_title_names_the_project_after_its_directory(tmp_path, capsys):
    root = tmp_path / "scoping"
    init(capsys, root)
    assert yaml.safe_load((root / "project.yaml").read_text(encoding="utf-8")) == {
        "format": 1, "title": "scoping", "question": "", "reviewers": [], "study_order": "chronological"}


def test_an_unknown_reviewer_is_refused_with_the_known_ones_listed(tmp_path, capsys):
    root = tmp_path / "review"
    init(capsys, root, "--reviewer", "alice", "--reviewer", "ben")
    before = dump(root)
    code, out, err = run(capsys, "studies", root, "--reviewer", "zoe")
    assert (code, out) == (1, "")
    assert err == ("workbench: error: unknown reviewer 'zoe' (reviewers of this project: alice, ben); "
                   f"add the name under 'reviewers:' in {root / 'project.yaml'}\n")
    assert dump(root) == before


def test_init_on_an_existing_project_is_refused_and_changes_nothing(tmp_path, capsys):
    root = tmp_path / "review"
    init(capsys, root, "--title", "First", "--reviewer", "alice")
    settings, before = (root / "project.yaml").read_bytes(), dump(root)
    code, out, err = run(capsys, "init", root, "--title", "Second", "--reviewer", "zoe")
    assert (code, out) == (1, "")
    assert err == f"workbench: error: {root}: already a project (project.yaml exists)\n"
    assert (root / "project.yaml").read_bytes() == settings
    assert dump(root) == before


def test_init_with_a_blank_reviewer_name_leaves_no_half_made_project(tmp_path, capsys):
    root = tmp_path / "review"
    code, out, err = run(capsys, "init", root, "--reviewer", "alice", "--reviewer", " ")
    assert (code, out) == (1, "")
    assert "reviewer" in err
    assert not (root / "project.yaml").exists()  # so that init can be run again, correctly


# --- project.yaml mistakes, through any command -----------------------------------------------------

BAD_SETTINGS = {
    "unclosed list": ("title: Review\nreviewers: [alice\nstudy_order: import\n",
                      ":3:12: not valid YAML (expected ',' or ']', but got ':')"),
    "colon in a value": ("title: Review\nquestion: what: why\n",
                         ":2:15: not valid YAML (mapping values are not allowed here)"),
    "a list": ("- alice\n- ben\n", ": expected a mapping with at least 'title'"),
    "empty": ("", ": expected a mapping with at least 'title'"),
    "misspelt settings": ("title: Review\nreviewer: [alice]\nreviwers: [ben]\n",
                          ": unknown setting(s): reviewer, reviwers"),
    "study order": ("title: Review\nstudy_order: by-year\n",
                    ": study_order must be one of chronological, import, index-first, not 'by-year'"),
    "reviewers as one string": ("title: Review\nreviewers: alice, ben\n", ": reviewers must be a list of names"),
    "a reviewer that is a number": ("title: Review\nreviewers: [alice, 3]\n", ": reviewers must be a list of names"),
    "a blank reviewer": ("title: Review\nreviewers: [alice, '  ']\n", ": reviewers must be a list of names"),
    "sources as one string": ("title: Review\nsources: sources/heist2018.txt\n",
                              ": sources must be a list of mappings, each with a 'file'"),
    "a source without file": ("title: Review\nsources:\n  - path: sources/heist2018.txt\n",
                              ": sources must be a list of mappings, each with a 'file'"),
    "a source that is a string": ("title: Review\nsources:\n  - sources/heist2018.txt\n",
                                  ": sources must be a list of mappings, each with a 'file'"),
    "Latin-1": ("title: Révision systématique\n".encode("latin-1"), ": not UTF-8 text"),
}


@pytest.mark.parametrize("case", BAD_SETTINGS)
def test_a_bad_project_yaml_is_named_with_what_is_wrong(tmp_path, capsys, case):
    root = tmp_path / "review"
    init(capsys, root, "--reviewer", "alice")
    content, message = BAD_SETTINGS[case]
    settings = root / "project.yaml"
    settings.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = dump(root)
    code, out, err = run(capsys, "studies", root)  # an exception escaping main would be a traceback
    assert (code, out) == (1, "")
    assert err == f"workbench: error: {settings}{message}\n"
    assert dump(root) == before


def test_a_utf8_byte_order_mark_is_fine(tmp_path, capsys):
    root = tmp_path / "review"
    init(capsys, root)
    (root / "project.yaml").write_bytes(b"\xef\xbb\xbftitle: Review\nreviewers: [alice]\n")
    code, out, err = run(capsys, "studies", root, "--reviewer", "alice", "--json")
    assert (code, json.loads(out), err) == (0, [], "")


# --- study order -----------------------------------------------------------------------------------

# Imported in this order, so ids 1..5. Two studies of 2018 (ids 2 and 4) and one without a year (id 3).
UNORDERED = (
    "title,authors,year,doi,abstract\n"
    "Coming home to practise: Irish doctors after Australia,Niamh Humphries,2021,"
    "10.1016/j.healthpol.2021.05.002,Irish doctors weighed family against career.\n"
    "Medical migration: the atypical path of Japanese international medical graduates,"
    "Brian Heist; Haruka Torok,2018,10.1080/0142159X.2017.1370081,Japanese doctors who trained abroad came home.\n"
    "Return migration of doctors to Poland,Anna Nowak,,,Polish doctors returned from Germany.\n"
    "Why doctors return: interviews in Ghana,Kofi Mensah,2018,10.1186/s12960-018-0001-x,"
    "Twenty doctors who came back to Ghana were interviewed.\n"
    "Return migration of international medical graduates: a meta-ethnography,Ana Newman,2025,"
    "10.1111/tct.70188,A synthesis of why doctors go home.\n"
)
# Imported in year order, so that "index first, then chronological" and "index first, then import order"
# agree: ids 1 (2016), 2 (2018), 3 (2021), 4 (2025).
ORDERED = (
    "title,authors,year,doi,abstract\n"
    "Why doctors return: interviews in Ghana,Kofi Mensah,2016,10.1186/s12960-016-0001-x,Twenty doctors.\n"
    "Medical migration: the atypical path of Japanese international medical graduates,Brian Heist,2018,"
    "10.1080/0142159X.2017.1370081,Japanese doctors came home.\n"
    "Coming home to practise: Irish doctors after Australia,Niamh Humphries,2021,"
    "10.1016/j.healthpol.2021.05.002,Irish doctors weighed family against career.\n"
    "Return migration of international medical graduates: a meta-ethnography,Ana Newman,2025,"
    "10.1111/tct.70188,A synthesis of why doctors go home.\n"
)


def project_with(tmp_path, capsys, csv_text: str, settings: str):
    root = tmp_path / "review"
    init(capsys, root, "--reviewer", "alice")
    studies = tmp_path / "included.csv"
    studies.write_text(csv_text, encoding="utf-8")
    code, _, err = run(capsys, "import", root, studies)
    assert code == 0, err
    (root / "project.yaml").write_text("title: Review\nreviewers: [alice]\n" + settings, encoding="utf-8")
    return root


def listed(capsys, root) -> list[int]:
    code, out, err = run(capsys, "studies", root, "--json")
    assert code == 0, err
    return [s["id"] for s in json.loads(out)]


@pytest.mark.parametrize("settings,ids", [
    ("", [2, 4, 1, 5, 3]),                               # chronological is the default
    ("study_order: chronological\n", [2, 4, 1, 5, 3]),   # by year; 2018 twice: import order; no year last
    ("study_order: import\n", [1, 2, 3, 4, 5]),
])
def test_study_order(tmp_path, capsys, settings, ids):
    assert listed(capsys, project_with(tmp_path, capsys, UNORDERED, settings)) == ids


@pytest.mark.parametrize("index,ids", [
    ("10.1111/tct.70188", [4, 1, 2, 3]),
    ("https://doi.org/10.1111/TCT.70188", [4, 1, 2, 3]),
    ("'Coming home to practise: Irish doctors after Australia'", [3, 1, 2, 4]),
    ("Coming home to practise", [3, 1, 2, 4]),            # a unique title start is enough
], ids=["doi", "doi-url", "title", "title-start"])
def test_index_first_puts_the_index_study_first(tmp_path, capsys, index, ids):
    root = project_with(tmp_path, capsys, ORDERED, f"study_order: index-first\nindex_study: {index}\n")
    assert listed(capsys, root) == ids


@pytest.mark.parametrize("settings,ids", [
    ("study_order: index-first\nindex_study: 10.1111/tct.70188\n", [5, 2, 4, 1, 3]),
    ("study_order: index-first\n", [2, 4, 1, 5, 3]),  # no index study chosen yet
], ids=["with-index", "no-index-yet"])
def test_index_first_lists_the_other_studies_chronologically(tmp_path, capsys, settings, ids):
    assert listed(capsys, project_with(tmp_path, capsys, UNORDERED, settings)) == ids


def test_index_study_given_as_a_study_id(tmp_path, capsys):
    root = project_with(tmp_path, capsys, ORDERED, "study_order: index-first\nindex_study: 3\n")
    assert listed(capsys, root) == [3, 1, 2, 4]
