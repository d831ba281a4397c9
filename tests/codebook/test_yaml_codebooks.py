"""YAML codebooks: the shipped ones round-trip, exports are stable, and every invalid file is refused
with file:line:column and an untouched project."""
from __future__ import annotations

import json
import sqlite3

import pytest
from cb_helpers import CODEBOOKS, SHIPPED, constructs
from support import dump, run

from workbench.interop.codebook_yaml import parse_yaml, to_yaml


def test_two_codebooks_ship():
    assert {p.name for p in SHIPPED} == {"meta-ethnography.yaml", "img-return-migration.yaml"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_codebook_round_trips_through_a_project(path, new_project, tmp_path, capsys):
    first, second = new_project(), new_project()
    code, out, err = run(capsys, "codebook", "load", first, path, "--reviewer", "alice")
    assert code == 0, err
    original = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    assert out.startswith(f"loaded {path}: {len(original.entries)} added, 0 changed, 0 unchanged")

    exported = tmp_path / "export.yaml"
    assert run(capsys, "codebook", "export", first, exported)[0] == 0
    code, _, err = run(capsys, "codebook", "load", second, exported)
    assert code == 0, err
    assert constructs(second) == constructs(first)

    # Everything the file says reached the database.
    state = constructs(first)["constructs"]
    for e in original.entries:
        got = state[e.name]
        assert (got["order"], got["parent"], got["definition"], got["when_to_use"], got["when_not_to_use"],
                got["example"], got["colour"]) == (e.order, e.parent or None, e.definition or "", e.when_to_use or "",
                                                   e.when_not_to_use or "", e.example or "", e.colour or None)
    want_links = sorted((e.name, kind, target) for e in original.entries for kind, target in e.links or ())
    assert sorted(constructs(first)["links"]) == want_links

    # Export twice (and from the second project): identical bytes.
    again = tmp_path / "again.yaml"
    assert run(capsys, "codebook", "export", first, again)[0] == 0
    assert again.read_bytes() == exported.read_bytes()
    other = tmp_path / "other.yaml"
    assert run(capsys, "codebook", "export", second, other)[0] == 0
    assert other.read_bytes() == exported.read_bytes()


def test_export_order_is_order_then_hierarchy_then_name(new_project, tmp_path, capsys):
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml")
    out = tmp_path / "cb.yaml"
    run(capsys, "codebook", "export", project, out)
    names = [line.split(": ", 1)[1] for line in out.read_text(encoding="utf-8").splitlines()
             if line.startswith("  - name: ")]
    assert names == [
        "A non-supervisor to talk to", "Indebted and obliged to help",
        "An atypical path of medical migration", "Deglobalisation of healthcare",
        "Desire to improve Japanese clinical training", "Desire to improve medical resources at home",
        "Diaspora as an underutilised resource", "Difficult transitions into the host health service",
        "Dissatisfaction with the state at home", "Exchanging knowledge internationally",
        "Knowledge exchange networks", "Mentoring as tailored support", "Pivotal experiences",
        "Professional ties with the country of origin", "Sentimental and material links with the homeland",
        "Training quality and career opportunities",
        "Challenges associated with professional reintegration",
        "Disillusionment with state healthcare systems", "Drive to private practice",
        "Wasted opportunity for knowledge transfer",
        "Reflections on personal development",
        "Social and cultural connection to home countries", "Family trumps finances"]
    assert not list(tmp_path.glob(".*.tmp"))  # the temporary file was renamed, not left behind


def test_to_yaml_keeps_multi_line_and_awkward_text(tmp_path):
    text = ("format: 1\ntitle: 'Yes: 2018'\nconstructs:\n  - name: 'yes'\n    order: 1\n"
            "    definition: \"line one\\nline two\\n\\n  indented: # not a comment\"\n"
            "    example: '\"quoted\" – 家庭因素胜过经济因素'\n")
    book = parse_yaml(text, "x.yaml")
    again = parse_yaml(to_yaml(book), "x.yaml")
    assert again.title == "Yes: 2018"
    assert again.entries == book.entries
    assert to_yaml(again) == to_yaml(book)


def test_validate_prints_a_one_line_summary_for_a_valid_file(capsys):
    path = CODEBOOKS / "img-return-migration.yaml"
    code, out, err = run(capsys, "codebook", "validate", path)
    assert code == 0 and err == ""
    assert out == (f"{path}: valid codebook 'There is no place like home: the return migration of international "
                   f"medical graduates': 23 constructs (2 first-order, 14 second-order, 7 third-order), 12 links, "
                   f"4 under a parent\n")


HEAD = "format: 1\ntitle: Bad codebook\nconstructs:\n"

# name: (the file's text, the expected "line:column: message" (start of), ...)
INVALID = {
    "order_4": (HEAD + "  - name: Drive to private practice\n    order: 4\n",
                ["5:12: order must be 1, 2 or 3 (first-, second- or third-order), not '4'"]),
    "unknown_parent": (HEAD + "  - name: Drive to private practice\n    order: 3\n"
                       "    parent: Challenges of reintegration\n"
                       "  - name: Challenges associated with professional reintegration\n    order: 3\n",
                       ["6:13: unknown parent 'Challenges of reintegration' of 'Drive to private practice': no "
                        "construct of that name in this codebook"]),
    "cycle": (HEAD + "  - name: A\n    order: 3\n    parent: C\n"
                     "  - name: B\n    order: 3\n    parent: A\n"
                     "  - name: C\n    order: 3\n    parent: b\n",
              ["6:13: cycle of parents: A -> C -> B -> A"]),
    "self_parent": (HEAD + "  - name: A\n    order: 3\n    parent: a\n", ["6:13: cycle of parents: A -> A"]),
    "duplicate_name": (HEAD + "  - name: Family trumps finances\n    order: 3\n"
                              "  - name: family trumps   FINANCES\n    order: 3\n",
                       ["6:11: duplicate name 'family trumps FINANCES': a construct of that name is already defined "
                        "(first at line 4)"]),
    "tab_indentation": (HEAD + "  - name: A\n\torder: 3\n  - name: B\n  \t order: 3\n",
                        ["5:1: a tab in the indentation: YAML allows only spaces for indentation",
                         "7:3: a tab in the indentation"]),
    "yaml_syntax": (HEAD + "  - name: A\n    order: 3\n   definition: x\n",
                    ["6:4: not valid YAML: expected <block end>, but found '<block mapping start>' (while parsing "
                     "a block collection at line 4, column 3); check the indentation"]),
    "unclosed_quote": ("format: 1\ntitle: \"Bad\nconstructs: []\n",
                       ["4:1: not valid YAML: found unexpected end of stream (while scanning a quoted scalar at "
                        "line 2, column 8)"]),
    "unknown_keys": ("format: 1\ntitle: T\nauthor: me\nconstructs:\n  - name: A\n    order: 3\n    definiton: x\n",
                     ["3:1: unknown key 'author' at the top of the codebook",
                      "7:5: unknown key 'definiton' in construct 'A' (did you mean 'definition'?)"]),
    "wrong_types": (HEAD + "  - name: yes\n    order: 3\n  - name: B\n    order: 3\n    definition: [a, b]\n"
                           "    links: interprets C\n",
                    ["4:11: name must be text, not bool 'yes': put it in quotes",
                     "8:17: definition must be text, not a list",
                     "9:12: links must be a list of '- supports: NAME' or '- interprets: NAME'"]),
    "bad_colour": (HEAD + "  - name: A\n    order: 3\n    colour: red\n  - name: B\n    order: 3\n"
                          "    colour: #7B3FA0\n",
                   ["6:13: colour must be \"#RRGGBB\" (e.g. \"#7B3FA0\"), not 'red'",
                    "9:12: colour is empty: \"#\" starts a YAML comment, so put the colour in quotes: "
                    "colour: \"#7B3FA0\""]),
    "link_directions": (HEAD + "  - name: Quote\n    order: 1\n    links:\n      - supports: Overarching\n"
                               "  - name: Theme\n    order: 2\n    links:\n      - supports: Quote\n"
                               "      - part_of: Overarching\n"
                               "  - name: Overarching\n    order: 3\n",
                        ["7:19: 'Quote' supports 'Overarching', which is third-order; 'supports' links go from a "
                         "first-order construct to a second-order one",
                         "11:19: 'Theme' is second-order: only a first-order construct can have a 'supports' link "
                         "(supports goes 1 -> 2)",
                         "12:9: unknown link kind 'part_of': a link is 'supports' (1 -> 2) or 'interprets' (2 -> 3); "
                         "the hierarchy (third-order under overarching) is written with 'parent:'"]),
    "unknown_link_target": (HEAD + "  - name: Pivotal experiences\n    order: 2\n    links:\n"
                                   "      - interprets: Reflections on personal developmnt\n"
                                   "  - name: Reflections on personal development\n    order: 3\n",
                            ["7:21: unknown link target 'Reflections on personal developmnt' of 'Pivotal "
                             "experiences': no construct of that name in this codebook (did you mean 'Reflections "
                             "on personal development'?)"]),
    "lower_order_parent": (HEAD + "  - name: Overarching\n    order: 3\n    parent: Theme\n"
                                  "  - name: Theme\n    order: 2\n",
                           ["6:13: 'Overarching' is third-order and cannot sit under 'Theme', which is second-order"]),
    "format_version": ("format: 2\ntitle: T\nconstructs: []\n",
                       ["1:9: format '2' is not one this workbench knows: it reads format 1"]),
    "missing_format_and_order": ("title: T\nconstructs:\n  - name: A\n",
                                 ["1:1: missing 'format: 1'"]),
    "duplicate_key": (HEAD + "  - name: A\n    order: 3\n    order: 2\n",
                      ["6:5: construct: key 'order' is given twice (first at line 5)"]),
    "not_a_mapping": ("- name: A\n  order: 3\n", ["1:1: a codebook is a mapping with the keys format, title and "
                                                   "constructs, not a list"]),
    "empty": ("", ["1:1: empty file"]),
}


@pytest.fixture
def loaded(new_project, capsys):
    """A project that already has constructs (the generic starter codebook)."""
    project = new_project()
    assert run(capsys, "codebook", "load", project, CODEBOOKS / "meta-ethnography.yaml")[0] == 0
    return project


@pytest.mark.parametrize("case", INVALID)
def test_invalid_codebook_names_file_line_column_and_leaves_the_project_unchanged(case, loaded, tmp_path, capsys):
    text, expected = INVALID[case]
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")

    code, out, err = run(capsys, "codebook", "validate", bad)
    assert code == 1 and out == ""
    lines = err.splitlines()
    for want in expected:
        assert any(line.startswith(f"{bad}:{want}") for line in lines), (want, err)
    n = len(lines) - 1
    assert lines[-1] == f"workbench: error: {bad}: {n} problem{'s' if n != 1 else ''} found; nothing was loaded"
    if case not in ("tab_indentation",):
        assert n == len(expected), err  # one line per problem, none invented

    before = dump(loaded)
    code, out, err_load = run(capsys, "codebook", "load", loaded, bad, "--reviewer", "alice")
    assert code == 1 and out == ""
    # The same problems at the same places (loading may word a few differently: "... or in the project").
    assert [line.split(": ", 1)[0] for line in err_load.splitlines()] == [line.split(": ", 1)[0] for line in lines]
    assert dump(loaded) == before


def test_every_problem_of_a_file_is_reported_in_file_order(tmp_path, capsys):
    bad = tmp_path / "many.yaml"
    bad.write_text(HEAD + "  - name: A\n    order: 4\n  - name: B\n    order: 3\n    parent: Nowhere\n"
                          "    colour: blue\n  - name: a\n    order: 3\n", encoding="utf-8")
    code, _, err = run(capsys, "codebook", "validate", bad)
    assert code == 1
    assert [line.split(": ", 1)[0] for line in err.splitlines()[:-1]] == [
        f"{bad}:5:12", f"{bad}:8:13", f"{bad}:9:13", f"{bad}:10:11"]
    assert err.splitlines()[-1].endswith("4 problems found; nothing was loaded")


def test_a_tab_inside_a_block_text_is_text_not_indentation(tmp_path, capsys):
    ok = tmp_path / "ok.yaml"
    ok.write_text(HEAD + "  - name: A\n    order: 3\n    definition: |\n      col one\tcol two\n      \tindented\n",
                  encoding="utf-8")
    code, out, err = run(capsys, "codebook", "validate", ok)
    assert code == 0, err


def test_not_utf8_and_missing_files_are_refused_with_a_position(tmp_path, capsys):
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("format: 1\ntitle: Migração\nconstructs: []\n".encode("latin-1"))
    code, _, err = run(capsys, "codebook", "validate", bad)
    assert code == 1 and err.startswith(f"{bad}:2:13: not UTF-8 text")
    code, _, err = run(capsys, "codebook", "validate", tmp_path / "nope.yaml")
    assert code == 1 and err.startswith(f"{tmp_path / 'nope.yaml'}: no such file")


# --- merging ----------------------------------------------------------------------------------------

EDITED = """\
format: 1
title: Edited
constructs:
  - name: drive to private practice          # other case: the same construct
    order: 3
    parent: Challenges associated with professional reintegration
    colour: "#E6550D"
    definition: Returning doctors moving into private practice.
  - name: Family trumps finances
    order: 3
    parent: Social and cultural connection to home countries
  - name: Loss of professional status
    order: 3
    parent: Challenges associated with professional reintegration
    definition: Returning doctors find their training abroad counts for less at home.
  - name: Pivotal experiences
    order: 2
    when_to_use: ""
    links:
      - interprets: Reflections on personal development
      - interprets: Social and cultural connection to home countries
"""


def test_loading_an_edited_codebook_merges_by_name_and_reports_field_by_field(new_project, tmp_path, capsys):
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml")
    before = constructs(project)
    edited = tmp_path / "edited.yaml"
    edited.write_text(EDITED, encoding="utf-8")

    code, out, err = run(capsys, "codebook", "load", project, edited, "--dry-run")
    assert code == 0, err
    assert out.endswith("dry run: nothing was written\n")
    assert constructs(project) == before

    code, out, err = run(capsys, "codebook", "load", project, edited, "--reviewer", "ben")
    assert code == 0, err
    assert out == (
        f"loaded {edited}: 1 added, 2 changed, 1 unchanged\n"
        "  added      3 Loss of professional status under 'Challenges associated with professional reintegration'\n"
        "  changed    Drive to private practice\n"
        "               colour: '#FF7F00' -> '#E6550D'\n"
        "               definition: 'The move of returning doctors towards private practice, enc…' -> "
        "'Returning doctors moving into private practice.'\n"
        "  changed    Pivotal experiences\n"
        "               when_to_use: 'The experiences that set a doctor on the path to training a…' -> (none)\n"
        "               links: + interprets Social and cultural connection to home countries\n"
        "  unchanged  Family trumps finances\n"
        "  note: 'drive to private practice' is called 'Drive to private practice' in the project; that name is kept\n"
        "`workbench undo --reviewer ben` takes the load back\n")
    after = constructs(project)
    # Nothing deleted: the constructs the file leaves out are all still there, as they were.
    assert set(after["constructs"]) == set(before["constructs"]) | {"Loss of professional status"}
    for name in set(before["constructs"]) - {"Drive to private practice", "Pivotal experiences"}:
        assert after["constructs"][name] == before["constructs"][name]
    drive = after["constructs"]["Drive to private practice"]
    assert drive["colour"] == "#E6550D" and drive["definition"] == "Returning doctors moving into private practice."
    assert drive["when_to_use"] == before["constructs"]["Drive to private practice"]["when_to_use"]  # left out: kept
    assert set(after["links"]) == set(before["links"]) | {
        ("Pivotal experiences", "interprets", "Social and cultural connection to home countries")}

    conn = sqlite3.connect(project / "project.db")
    events = conn.execute("SELECT e.action, r.name, e.payload FROM event e LEFT JOIN reviewer r ON r.id = e.reviewer_id "
                          "WHERE action = 'codebook.load' ORDER BY e.id").fetchall()
    assert len(events) == 2  # one per load, none for the dry run
    action, who, payload = events[-1]
    payload = json.loads(payload)
    assert who == "ben"
    assert [a["name"] for a in payload["added"]] == ["Loss of professional status"]
    assert {c["name"]: sorted(c["fields"]) for c in payload["changed"]} == {
        "Drive to private practice": ["colour", "definition"], "Pivotal experiences": ["links", "when_to_use"]}
    assert payload["unchanged"] == ["Family trumps finances"]
    assert [(link["kind"]) for link in payload["rows"]["links"]] == ["interprets"]
    created_by = conn.execute("SELECT r.name FROM construct c JOIN reviewer r ON r.id = c.created_by "
                              "WHERE c.name = 'Loss of professional status'").fetchone()
    assert created_by == ("ben",)

    # Loading the same file again changes nothing.
    code, out, _ = run(capsys, "codebook", "load", project, edited)
    assert out.startswith(f"loaded {edited}: 0 added, 0 changed, 4 unchanged")


def test_load_json_report(new_project, capsys):
    project = new_project()
    code, out, _ = run(capsys, "codebook", "load", project, CODEBOOKS / "meta-ethnography.yaml", "--json")
    report = json.loads(out)
    assert code == 0 and report["dry_run"] is False and len(report["added"]) == 4
    assert report["added"][0]["id"] and report["changed"] == [] and report["event"]


def _code_with(project, name: str):
    from workbench.store import codings
    from workbench.store import constructs as store_constructs
    from workbench.store.project import Project

    with Project.open(project) as p:
        construct = store_constructs.by_name(p.db, name)
        codings.add(p.db, 1, construct.id, p.reviewer_id("alice"), 0, 10)


def test_order_change_is_refused_for_a_construct_with_codings_and_allowed_without(small_project, tmp_path, capsys):
    run(capsys, "codebook", "load", small_project, CODEBOOKS / "img-return-migration.yaml")
    _code_with(small_project, "Family trumps finances")
    change = tmp_path / "order.yaml"
    change.write_text(HEAD + "  - name: Family trumps finances\n    order: 2\n"
                             "  - name: Drive to private practice\n    order: 2\n", encoding="utf-8")
    before = dump(small_project)
    code, _, err = run(capsys, "codebook", "load", small_project, change)
    assert code == 1
    assert err.splitlines()[0] == (
        f"{change}:5:12: 'Family trumps finances' is third-order in the project and has 1 coding: its order "
        f"cannot change to 2 by loading a codebook; reassign or remove its codings first, or keep order 3 in the file")
    assert len(err.splitlines()) == 2
    assert dump(small_project) == before

    change.write_text(HEAD + "  - name: Drive to private practice\n    order: 2\n", encoding="utf-8")
    code, out, err = run(capsys, "codebook", "load", small_project, change)
    assert code == 0, err
    assert "               order: third-order -> second-order\n" in out
    assert constructs(small_project)["constructs"]["Drive to private practice"]["order"] == 2


def test_merge_refuses_what_would_break_the_project_constructs(new_project, tmp_path, capsys):
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml")
    bad = tmp_path / "bad.yaml"
    # An overarching construct made second-order would sit above third-order children; a link made
    # by an existing second-order construct would no longer fit; a parent may be a project construct.
    bad.write_text(HEAD + "  - name: Social and cultural connection to home countries\n    order: 2\n"
                          "  - name: Reflections on personal development\n    order: 3\n"
                          "    parent: Family trumps finances\n"
                          "  - name: Wasted opportunity for knowledge transfer\n    order: 2\n",
                   encoding="utf-8")
    before = dump(project)
    code, _, err = run(capsys, "codebook", "load", project, bad)
    assert code == 1
    assert dump(project) == before
    assert (f"{bad}:5:12: 'Family trumps finances' (in the project) is third-order and cannot sit under 'Social and "
            f"cultural connection to home countries', which is second-order") in err
    assert (f"{bad}:10:12: 'Desire to improve Japanese clinical training' (in the project) interprets 'Wasted "
            f"opportunity for knowledge transfer', which is second-order") in err
    assert "cycle of parents" not in err  # Reflections under Family trumps finances is fine as such


def test_parent_and_links_may_name_project_constructs(new_project, tmp_path, capsys):
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml")
    more = tmp_path / "more.yaml"
    more.write_text(HEAD + "  - name: Returning to care for ageing parents\n    order: 2\n"
                           "    links:\n      - interprets: family trumps finances\n"
                           "  - name: Home is where the family is\n    order: 3\n"
                           "    parent: Social and cultural connection to home countries\n", encoding="utf-8")
    code, out, err = run(capsys, "codebook", "load", project, more)
    assert code == 0, err
    state = constructs(project)
    assert state["constructs"]["Home is where the family is"]["parent"] == "Social and cultural connection to home countries"
    assert ("Returning to care for ageing parents", "interprets", "Family trumps finances") in state["links"]
    # Alone, the same file is not a valid codebook: the names it refers to are not in it.
    code, _, err = run(capsys, "codebook", "validate", more)
    assert code == 1 and "unknown link target 'family trumps finances'" in err


def test_yaml_refuses_order_option_and_export_refuses_a_missing_directory(new_project, tmp_path, capsys):
    project = new_project()
    code, _, err = run(capsys, "codebook", "load", project, CODEBOOKS / "meta-ethnography.yaml", "--order", "2")
    assert code == 1 and "--order applies to a .qdc file" in err
    code, _, err = run(capsys, "codebook", "export", project, tmp_path / "nowhere" / "x.yaml")
    assert code == 1 and "no such directory" in err
