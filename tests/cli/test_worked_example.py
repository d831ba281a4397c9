"""The worked example (issue 11, item 6): `workbench build` (what `make demo` runs) loads the demo's
codings file, placing each quote in its study's text; a bad codings file is refused with
file:line:column and the project is left as it was; undo takes the load back whole."""
import json
import shutil
from collections import Counter

import pytest
from support import DEMO, dump, run


def fresh_copy(tmp_path):
    """The demo project as a clean checkout has it: no database."""
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("project.db*"))
    return root


@pytest.fixture
def demo(tmp_path, capsys):
    root = fresh_copy(tmp_path)
    code, out, err = run(capsys, "build", root)
    assert code == 0, err
    assert out.splitlines() == [
        "There is no place like home: the return migration of international medical graduates: 5 studies imported, "
        "0 already present",
        "codebook codebook.yaml: 23 constructs loaded",
        "codings worked-example.yaml: 40 codings in 5 studies loaded for worked-example, 6 translation judgements"]
    return root


def codings(capsys, project, *more):
    code, out, err = run(capsys, "codings", project, "--json", *more)
    assert code == 0, err
    return json.loads(out)


def text_of(project, study_id):
    import sqlite3
    conn = sqlite3.connect(project / "project.db")
    try:
        return conn.execute("SELECT text FROM document WHERE study_id = ?", [study_id]).fetchone()[0]
    finally:
        conn.close()


def test_the_demo_builds_from_a_clean_checkout_with_the_worked_example_coded(demo, capsys):
    found = codings(capsys, demo)
    assert {c["reviewer"] for c in found} == {"worked-example"}
    assert Counter(c["year"] for c in found) == {2025: 14, 2019: 15, 2018: 5, 2024: 4, 2023: 2}
    assert Counter(c["construct"] for c in found) == {
        # the review's third-order constructs, each in its English and its Chinese abstract
        "Reflections on personal development": 2, "Social and cultural connection to home countries": 2,
        "Challenges associated with professional reintegration": 2, "Family trumps finances": 2,
        "Disillusionment with state healthcare systems": 2, "Drive to private practice": 2,
        "Wasted opportunity for knowledge transfer": 2,
        # Heist & Torok 2018
        "Pivotal experiences": 1, "Training quality and career opportunities": 1,
        "Desire to improve Japanese clinical training": 1, "An atypical path of medical migration": 2,
        # Frehywot et al. 2019
        "Sentimental and material links with the homeland": 2, "Professional ties with the country of origin": 1,
        "Indebted and obliged to help": 2, "Desire to improve medical resources at home": 2,
        "Diaspora as an underutilised resource": 3, "Knowledge exchange networks": 3,
        "Dissatisfaction with the state at home": 2,
        # Huang et al. 2024 and Wu 2023
        "Difficult transitions into the host health service": 1, "Mentoring as tailored support": 2,
        "A non-supervisor to talk to": 1, "Exchanging knowledge internationally": 1,
        "Deglobalisation of healthcare": 1}
    assert Counter(c["order"] for c in found) == {3: 14, 2: 23, 1: 3}
    for c in found:  # every quote is the study's text at its offsets
        assert text_of(demo, c["study_id"])[c["start"]:c["end"]] == c["quote"]
    family = [c["quote"] for c in found if c["construct"] == "Family trumps finances"]
    assert family == ["family trumps finances in reasons to return", "回国原因中家庭因素胜过经济因素"]
    # a quote said twice in the text, placed by its prefix: the Discussion's, not the abstract's
    lessons = next(c for c in found if c["quote"].startswith("valuable lessons learned"))
    assert text_of(demo, lessons["study_id"])[:lessons["start"]].endswith(
        "Most, also, lack knowledge of models for diaspora engagement or of ")


def test_the_codebook_links_the_studies_constructs_to_the_reviews(demo, capsys):
    code, out, err = run(capsys, "constructs", demo, "--json")
    assert code == 0, err
    listed = {c["name"]: c for c in json.loads(out)}
    interprets = sorted((name, link["to"]) for name, c in listed.items() for link in c.get("links", [])
                        if link.get("kind") == "interprets")
    assert ("Diaspora as an underutilised resource", "Wasted opportunity for knowledge transfer") in interprets
    assert ("Dissatisfaction with the state at home", "Disillusionment with state healthcare systems") in interprets
    assert len(interprets) == 10
    assert not listed["Mentoring as tailored support"].get("links")  # Huang 2024 addresses none of them


def test_a_second_build_leaves_the_worked_example_as_it_is(demo, capsys):
    before = dump(demo)
    code, out, err = run(capsys, "build", demo)
    assert code == 0, err
    assert out.splitlines()[-1] == "codings worked-example.yaml: not loaded, worked-example has codings already"
    assert dump(demo) == before


def undo_judgements(capsys, project) -> None:
    """Undo the worked example's 6 judgements, each its own event (last recorded, first undone)."""
    for _ in range(6):
        code, out, err = run(capsys, "undo", project, "--reviewer", "worked-example")
        assert code == 0 and out.startswith("undid judging "), err


def test_undo_takes_the_whole_load_back_and_redo_puts_it_back(demo, capsys):
    undo_judgements(capsys, demo)
    code, out, err = run(capsys, "undo", demo, "--reviewer", "worked-example")
    assert code == 0, err
    assert out.startswith("undid loading the codings file 'worked-example.yaml' (40 codings in 5 studies)")
    assert codings(capsys, demo) == []
    code, out, err = run(capsys, "redo", demo, "--reviewer", "worked-example")
    assert code == 0, err
    assert len(codings(capsys, demo)) == 40


def test_undo_is_refused_once_a_lead_deleted_a_construct_with_its_codings(tmp_path, capsys):
    root = fresh_copy(tmp_path)
    settings = root / "project.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "leads:\n  - alice\n", encoding="utf-8")
    assert run(capsys, "build", root)[0] == 0
    code, _, err = run(capsys, "construct", "delete", root, "Deglobalisation of healthcare", "--reviewer", "alice",
                       "--remove-codings", "--touching-others", "--yes")
    assert code == 0, err
    undo_judgements(capsys, root)
    before = dump(root)
    code, _, err = run(capsys, "undo", root, "--reviewer", "worked-example")
    assert code == 1
    assert err == ("workbench: error: cannot undo loading the codings file 'worked-example.yaml' (40 codings in "
                   "5 studies): some of its codings no longer exist (their construct was deleted)\n")
    assert dump(root) == before


HEAD = "format: 1\nreviewer: worked-example\ncodings:\n"
ENTRY = "  - study: {study}\n    construct: {construct}\n    quote: \"{quote}\"\n"

# name: (the codings file's text, the problems expected on stderr as "line:column: message")
BAD = {
    "quote not found": (
        HEAD + ENTRY.format(study="sources/heist2018.txt", construct="Pivotal experiences",
                            quote="pivotal experiences that always include"),
        ["6:12: Heist 2018 (sources/heist2018.txt): the quote is not in the study's text (it must be copied exactly, "
         "with the same spaces and punctuation): 'pivotal experiences that always include'"]),
    "unknown study": (
        HEAD + ENTRY.format(study="sources/heist2019.txt", construct="Pivotal experiences", quote="pivotal"),
        ["4:12: no study imported from 'sources/heist2019.txt' (did you mean 'heist2018.txt'?): name a study by the "
         "file it was imported from (one of frehywot2019.txt, heist2018.txt, huang2024.json, newman2025-review.txt, "
         "wu2023-editorial.txt) or by its DOI"]),
    "unknown DOI": (
        HEAD + ENTRY.format(study="10.1000/nowhere", construct="Pivotal experiences", quote="pivotal"),
        ["4:12: no study with the DOI '10.1000/nowhere' in the project"]),
    "unknown construct": (
        HEAD + ENTRY.format(study="sources/heist2018.txt", construct="Pivotal experience", quote="pivotal"),
        ["5:16: no construct called 'Pivotal experience' in the codebook or the project (did you mean 'Pivotal "
         "experiences'?): add it to the codebook, or give its 'order:' (1, 2 or 3) to create it"]),
    "quote said twice": (
        HEAD + ENTRY.format(study="sources/frehywot2019.txt", construct="Diaspora as an underutilised resource",
                            quote="valuable lessons learned by other governments about working with diaspora"),
        ["6:12: Frehywot 2019 (sources/frehywot2019.txt): the quote occurs 2 times in the text; say which with "
         "'occurrence: N' (1 is the first) or a 'prefix:' of the words right before it: 'valuable lessons learned "
         "by other governments about working…'"]),
    "YAML error": (
        HEAD + "  - study: sources/heist2018.txt\n    construct: Pivotal experiences\n    quote: \"pivotal\n",
        ["7:1: not valid YAML: found unexpected end of stream (while scanning a quoted scalar at line 6, "
         "column 12)"]),
    "several problems": (
        HEAD + ENTRY.format(study="sources/heist2018.txt", construct="Pivotal experiences", quote="pivotal")
        + "  - study: sources/heist2018.txt\n    quote: \"pivotal\"\n    occurrence: 0\n    colour: red\n",
        ["7:5: a coding without 'construct'", "9:17: occurrence must be a whole number from 1 (the first place "
         "the quote occurs), not '0'", "10:5: unknown key 'colour' in a coding; expected study, construct, quote, "
         "reviewer, occurrence, prefix, order, parent"]),
}


JUDGED = HEAD + ENTRY.format(study="sources/heist2018.txt", construct="Pivotal experiences", quote="pivotal") + \
    "judgements:\n  - concept: {concept}\n    study: sources/heist2018.txt\n    as: {kind}\n"
BAD.update({
    "judgement of an unknown concept": (
        JUDGED.format(concept="Family trump finances", kind="reciprocal"),
        ["8:14: no construct called 'Family trump finances' (did you mean 'Family trumps finances'?)"]),
    "judgement of an unknown kind": (
        JUDGED.format(concept="Family trumps finances", kind="agreeing"),
        ["10:9: as must be one of reciprocal, refutational, line-of-argument, not-addressed, not 'agreeing'"]),
})


@pytest.mark.parametrize("name", BAD)
def test_a_bad_codings_file_is_refused_with_file_and_line_and_nothing_is_built(tmp_path, capsys, name):
    content, expected = BAD[name]
    root = fresh_copy(tmp_path)
    path = root / "worked-example.yaml"
    path.write_text(content, encoding="utf-8")
    assert run(capsys, "studies", root)[0] == 0  # the database exists, with no study yet
    before = dump(root)
    code, out, err = run(capsys, "build", root)
    assert code == 1 and out == ""
    n = len(expected)
    assert err.splitlines() == [f"{path}:{line}" for line in expected] + [
        f"workbench: error: {path}: {n} problem{'s' if n != 1 else ''} found; nothing was loaded"]
    assert dump(root) == before  # no study imported, no codebook loaded, no reviewer added


def test_a_codings_file_can_create_a_construct_with_its_order_and_parent(tmp_path, capsys):
    root = fresh_copy(tmp_path)
    (root / "worked-example.yaml").write_text(
        HEAD + ENTRY.format(study="sources/huang2024.json", construct="Non-judgemental support", quote="non-judgemental support")
        + "    order: 1\n    parent: Mentoring as tailored support\n"
        + "  - study: sources/huang2024.json\n    construct: Non-judgemental support\n    quote: \"protected time\"\n"
        + "    reviewer: ben\n", encoding="utf-8")
    code, out, err = run(capsys, "build", root)
    assert code == 0, err
    assert out.splitlines()[-1] == ("codings worked-example.yaml: 2 codings in 1 study loaded for worked-example, ben, "
                                    "1 constructs created")
    assert [(c["reviewer"], c["order"], c["construct"], c["parent"], c["quote"]) for c in codings(capsys, root)] == [
        ("worked-example", 1, "Non-judgemental support", "Mentoring as tailored support", "non-judgemental support"),
        ("ben", 1, "Non-judgemental support", "Mentoring as tailored support", "protected time")]


def test_loading_the_same_codings_again_adds_nothing(demo):
    from workbench.interop.codings_file import plan, read
    from workbench.store import coding_sets
    from workbench.store.project import Project

    before = dump(demo)
    with Project.open(demo) as project:
        book = read(demo / "worked-example.yaml")
        planned = plan(project.db, book, "worked-example.yaml", {"worked-example": project.reviewer_id("worked-example")})
        assert len(planned.codings) == 40 and planned.constructs == []
        report = coding_sets.load(project.db, "worked-example.yaml", planned.codings)
    assert (report.added, report.skipped, report.events) == ([], 40, [])
    assert dump(demo) == before


def test_the_worked_example_ships_judgements_that_the_grid_shows(demo, capsys):
    code, out, err = run(capsys, "grid", demo, "--reviewer", "worked-example", "--json")
    assert code == 0, err
    grid = json.loads(out)
    labels = {s["id"]: s["label"] for s in grid["studies"]}
    judged = sorted((row["concept"], labels[cell["study"]], j["kind"])
                    for row in grid["rows"] for cell in row["cells"] for j in cell["judgements"])
    assert judged == [
        ("Disillusionment with state healthcare systems", "Frehywot 2019", "reciprocal"),
        ("Family trumps finances", "Huang 2024", "not_addressed"),
        ("Reflections on personal development", "Heist 2018", "reciprocal"),
        ("Wasted opportunity for knowledge transfer", "Frehywot 2019", "reciprocal"),
        ("Wasted opportunity for knowledge transfer", "Heist 2018", "reciprocal"),
        ("Wasted opportunity for knowledge transfer", "Wu 2023", "line_of_argument")]


def test_a_judgement_the_grid_refuses_fails_the_whole_build_naming_its_line(tmp_path, capsys):
    root = fresh_copy(tmp_path)
    path = root / "worked-example.yaml"
    path.write_text(JUDGED.format(concept="Pivotal experiences", kind="reciprocal"), encoding="utf-8")
    assert run(capsys, "studies", root)[0] == 0
    before = dump(root)
    code, out, err = run(capsys, "build", root)
    assert code == 1 and out == ""
    first = err.splitlines()[0]
    assert first == (f"{path}:8:14: Heist 2018, 'Pivotal experiences': 'Pivotal experiences' is second-order: a "
                     "translation is judged for the review's concepts, its third-order constructs")
    assert dump(root) == before  # the studies, the codebook and the codings went back with it
