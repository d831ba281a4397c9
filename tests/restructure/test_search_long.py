"""Search over long texts: a bounded number of hits per text, found without scanning the whole
text (issue 8, item 6: a 50 MB text took minutes, FTS5's highlight() over all of it)."""
import pytest
from support import run

from workbench.core.records import StudyRecord
from workbench.core.text import canonicalise
from workbench.store.project import Project
from workbench.store.search import search
from workbench.store.studies import add_studies, get_text

SENTENCE = ("Participants described returning home as a turning point. One surgeon felt her training "
            "was wasted. Family ties outweighed a higher salary. 家庭因素胜过经济因素。\n")


@pytest.fixture
def long_project(small_project):
    """The small project and a fourth study: SENTENCE 20,000 times (2.8 million characters)."""
    with Project.open(small_project) as project:
        add_studies(project.db, [StudyRecord(title="A very long transcript", year=2021, source_file="long.txt",
                                             text=canonicalise(SENTENCE * 20_000))])
        study = project.db.execute("SELECT id FROM study WHERE title = 'A very long transcript'").fetchone()[0]
    return small_project, study


def test_a_long_text_lists_its_first_20_hits_and_says_there_are_more(long_project):
    root, study = long_project
    with Project.open(root) as project:
        hits = [h for h in search(project.db, "training", limit=100) if h.study_id == study]
        text, _ = get_text(project.db, study)
    assert len(hits) == 20
    assert [h.start for h in hits] == [len(SENTENCE) * i + SENTENCE.index("training") for i in range(20)]
    assert all(text[h.start:h.end] == h.match == "training" for h in hits)
    assert [h.more for h in hits] == [False] * 19 + [True]


def test_search_does_not_highlight_whole_texts(long_project):
    """The hits are found from the start of the text and the scan stops: no highlight() (which
    marks every occurrence in the whole text), and the texts are read one at a time."""
    root, study = long_project
    with Project.open(root) as project:
        statements: list[str] = []
        project.db.conn.set_trace_callback(statements.append)
        hits = search(project.db, '"turning point" outweigh', limit=100)
        project.db.conn.set_trace_callback(None)
    assert not [s for s in statements if "highlight(" in s or "snippet(" in s]
    mine = [h for h in hits if h.study_id == study]
    assert len(mine) == 20 and mine[-1].more
    # phrase hits span both words; single words are stemmed: "outweigh" finds "outweighed"
    assert {h.match for h in mine} == {"turning point", "outweighed"}


def test_a_cjk_substring_is_bounded_per_text_too(long_project):
    root, study = long_project
    with Project.open(root) as project:
        hits = search(project.db, "家庭因素", limit=100)
    # the long text has 20,000 occurrences, so it comes first; 20 are listed, then the review's one
    assert [h.study_id for h in hits] == [study] * 20 + [3]
    assert hits[0].start == SENTENCE.index("家庭因素") and hits[19].more and not hits[20].more


def test_cli_says_there_are_more_in_the_text(capsys, long_project):
    root, study = long_project
    code, out, err = run(capsys, "search", root, "salary", "--per-text", "3")
    assert (code, err) == (0, "")
    start = SENTENCE.index("salary")
    assert out.splitlines()[3:] == [f"study {study}: … and more in this text (--per-text N lists more)"]
    assert out.startswith(f"study {study} [{start}-{start + 6}]  …")
    code, out, err = run(capsys, "search", root, "salary", "--per-text", "3", "--json")
    assert '"more": true' in out and out.count('"more"') == 3


@pytest.mark.parametrize("query, text, matches", [
    ("hoping", "We hope so; she hoped, hoping; they hop and hopped.", ["hope", "hoped", "hoping"]),
    ("familia", "A Família, a familia, FAMÍLIA e famílias.", ["Família", "familia", "FAMÍLIA", "famílias"]),
    ('"medical migration"', "medical. Migration, medical\n\nmigration, medical and migration",
     ["medical. Migration", "medical\n\nmigration"]),
    ("sensib*", "Sensibility and sensible senses.", ["Sensibility", "sensible"]),
    ("img's", "An IMG's path; IMG s; IMGs.", ["IMG's", "IMG s"]),
])
def test_words_are_found_as_fts5_matches_them(small_project, query, text, matches):
    with Project.open(small_project) as project:
        add_studies(project.db, [StudyRecord(title="Short", year=2022, source_file="short.txt", text=text)])
        hits = [h for h in search(project.db, query) if h.title == "Short"]
    assert [h.match for h in hits] == matches
    assert all(text[h.start:h.end] == h.match for h in hits)
