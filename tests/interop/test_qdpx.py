"""Issue 13, items 1 and 2: a whole project out as a REFI-QDA .qdpx and back in.

The demo (with the worked example's codings and judgements, memos and a second reviewer's coding)
goes out as a .qdpx that validates against the REFI-QDA Project XSD and comes back into a new
project identical; a .qdpx written by the `qualitative-coding` package imports with its codes and
spans; a hand-made file with what other tools write (a BOM, CRLF counted either way, UTF-16, a
selection without a coding, a coding pointing at a case, an annotation linked to a selection)
imports correctly and says what it left out; a bad file is refused naming the file and the line,
the project unchanged.
"""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import xmlschema
from support import DEMO, ROOT, dump, rows, run

XSD = ROOT / "workbench" / "interop" / "schemas" / "Project.xsd"
QC_FIXTURE = ROOT / "tests" / "fixtures" / "qdpx" / "qualitative-coding.qdpx"


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def validate(qdpx: Path) -> None:
    with zipfile.ZipFile(qdpx) as archive:
        xmlschema.XMLSchema(str(XSD)).validate(archive.read("project.qde").decode("utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The demo built, with memos on the project, a study, a construct and a coding, and a second
    reviewer's coding."""
    from workbench.cli import main

    root = tmp_path_factory.mktemp("qdpx") / "demo"
    shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("project.db*"))
    for argv in (
        ["build", root],
        ["memo", "set", root, "--study", "1", "--reviewer", "alice", "--text", "Read twice; the café scene matters."],
        ["memo", "set", root, "--project", "--reviewer", "ben", "--text", "Line of argument: draft 1\nsecond line"],
        ["memo", "set", root, "--construct", "Pivotal experiences", "--reviewer", "alice", "--text", "Ask ben."],
        ["code", root, "--study", "2", "--start", "0", "--end", "40", "--construct", "Pivotal experiences",
         "--reviewer", "ben"],
    ):
        assert main([str(a) for a in argv]) == 0
    coding = rows(root, "SELECT id FROM coding WHERE reviewer_id = (SELECT id FROM reviewer WHERE name = 'ben')")[0][0]
    assert main(["memo", "set", str(root), "--coding", str(coding), "--reviewer", "ben", "--text", "Too broad?"]) == 0
    return root


def content(project: Path) -> dict[str, list]:
    """The project in the reviewer's words: no ids, every relation by name."""
    memo_target = ("CASE m.target_kind WHEN 'project' THEN '' WHEN 'study' THEN (SELECT title FROM study WHERE id = "
                   "m.target_id) WHEN 'construct' THEN (SELECT name FROM construct WHERE id = m.target_id) ELSE "
                   "(SELECT s.title || ' ' || c.span_start || '-' || c.span_end || ' ' || k.name FROM coding c JOIN "
                   "study s ON s.id = c.study_id JOIN construct k ON k.id = c.construct_id WHERE c.id = m.target_id) END")
    queries = {
        "studies": "SELECT s.title, s.authors, s.year, s.doi, s.journal, s.country, s.participants, s.method, d.text, "
                   "d.sha256 FROM study s JOIN document d ON d.study_id = s.id ORDER BY s.title",
        "constructs": "SELECT c.guid, c.name, c.construct_order, p.name, c.colour, c.definition, c.when_to_use, "
                      "c.when_not_to_use, c.example FROM construct c LEFT JOIN construct p ON p.id = c.parent_id "
                      "ORDER BY c.name",
        "links": "SELECT f.name, t.name, l.kind FROM construct_link l JOIN construct f ON f.id = l.from_id "
                 "JOIN construct t ON t.id = l.to_id ORDER BY 1, 2",
        "codings": "SELECT c.guid, s.title, k.name, r.name, c.span_start, c.span_end, c.exact, c.prefix, c.suffix "
                   "FROM coding c JOIN study s ON s.id = c.study_id JOIN construct k ON k.id = c.construct_id "
                   "JOIN reviewer r ON r.id = c.reviewer_id WHERE c.removed_at IS NULL ORDER BY 2, 5, 6, 3, 4",
        "reviewers": "SELECT guid, name FROM reviewer ORDER BY name",
        "memos": f"SELECT m.target_kind, {memo_target}, r.name, m.text FROM memo m JOIN reviewer r ON "
                 "r.id = m.reviewer_id WHERE m.removed_at IS NULL ORDER BY 1, 2, 3",
        "judgements": "SELECT k.name, s.title, r.name, t.kind, t.note FROM translation t JOIN construct k ON "
                      "k.id = t.concept_id JOIN study s ON s.id = t.study_id JOIN reviewer r ON r.id = t.reviewer_id "
                      "ORDER BY 1, 2, 3",
    }
    return {name: [tuple(r) for r in rows(project, sql)] for name, sql in queries.items()}


def test_the_demo_goes_out_and_comes_back_identical(demo, tmp_path, capsys):
    out = ok(capsys, "export", "qdpx", demo, "--out", tmp_path / "review.qdpx")
    assert out == ("wrote REFI-QDA project " + str(tmp_path / "review.qdpx") + ": 5 studies, 23 constructs, "
                   "41 codings, 4 memos, 6 translation judgements, 3 reviewers\n")
    validate(tmp_path / "review.qdpx")
    ok(capsys, "export", "qdpx", demo, "--out", tmp_path / "twice.qdpx")
    assert (tmp_path / "twice.qdpx").read_bytes() == (tmp_path / "review.qdpx").read_bytes()
    with zipfile.ZipFile(tmp_path / "review.qdpx") as archive:
        names = sorted(archive.namelist())
        assert names[0] == "project.qde" and len(names) == 6
        assert all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:])
        texts = {archive.read(n) for n in names[1:]}
    assert not any(t.startswith(b"\xef\xbb\xbf") or b"\r" in t for t in texts)
    assert {t.decode("utf-8") for t in texts} == {r[0] for r in rows(demo, "SELECT text FROM document")}

    copy = tmp_path / "copy"
    ok(capsys, "init", copy, "--title", "A copy")
    out = ok(capsys, "import", copy, tmp_path / "review.qdpx")
    assert out.splitlines()[:2] == [
        f"imported {tmp_path / 'review.qdpx'}: 5 studies added; 23 constructs added, 0 changed, 0 unchanged; "
        "41 codings added; 4 memos; 6 translation judgements",
        "  reviewers added: alice, ben, worked-example",
    ]
    before, after = content(demo), content(copy)
    for table in before:
        assert after[table] == before[table], table
    # by hand, a few of what the comparison covers
    assert ("construct", "Pivotal experiences", "alice", "Ask ben.") in after["memos"]
    assert ("project", "", "ben", "Line of argument: draft 1\nsecond line") in after["memos"]
    assert len(after["codings"]) == 41 and len(after["judgements"]) == 6
    orders = {name: order for _, name, order, *_ in after["constructs"]}
    assert (orders["Pivotal experiences"], orders["Family trumps finances"]) == (2, 3)
    parents = {name: parent for _, name, _, parent, *_ in after["constructs"]}
    assert parents["Family trumps finances"] == "Social and cultural connection to home countries"
    # the study order and the metadata the study list shows
    listed = lambda p: [(s["title"], s["year"], s["authors"]) for s in json.loads(ok(capsys, "studies", p, "--json"))]
    assert listed(copy) == listed(demo)

    # a second export of the copy carries the same codebook, sources, selections and codings
    ok(capsys, "export", "qdpx", copy, "--out", tmp_path / "again.qdpx")
    validate(tmp_path / "again.qdpx")
    with zipfile.ZipFile(tmp_path / "review.qdpx") as a, zipfile.ZipFile(tmp_path / "again.qdpx") as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        first, second = a.read("project.qde").decode(), b.read("project.qde").decode()
    book = lambda xml: re.sub(r"\s*<NoteRef [^>]*>", "", xml.split("<CodeBook>")[1].split("</CodeBook>")[0])
    assert book(first) == book(second)  # (memos get new guids in the copy)


def test_importing_a_project_into_itself_adds_nothing(demo, tmp_path, capsys):
    ok(capsys, "export", "qdpx", demo, "--out", tmp_path / "review.qdpx")
    before = content(demo)
    report = json.loads(ok(capsys, "import", demo, tmp_path / "review.qdpx", "--json"))
    assert (report["studies_added"], len(report["studies_matched"])) == ([], 5)
    assert report["constructs"] == {"added": 0, "changed": 0, "unchanged": 23}
    assert report["codings"] == {"added": 0, "present": 41}
    assert report["memos"] == {"added": 0, "appended": 0, "present": 4}
    assert report["judgements"] == {"added": 0, "present": 6}
    assert report["left_out"] == []
    assert content(demo) == before


def test_constructs_merge_by_guid_then_name(tmp_path, capsys):
    """A construct renamed in the project since the export is still the file's code (same guid)."""
    src = tmp_path / "src"
    ok(capsys, "init", src, "--reviewer", "alice")
    (tmp_path / "a.txt").write_text("Doctors came home to care for ageing parents.", encoding="utf-8")
    ok(capsys, "import", src, tmp_path / "a.txt")
    ok(capsys, "code", src, "--study", "1", "--start", "0", "--end", "7", "--construct", "Family ties",
       "--order", "2", "--reviewer", "alice")
    ok(capsys, "export", "qdpx", src, "--out", tmp_path / "one.qdpx")
    ok(capsys, "construct", "rename", src, "Family ties", "Caring for parents", "--reviewer", "alice")
    ok(capsys, "code", src, "--study", "1", "--start", "30", "--end", "44", "--construct", "Caring for parents",
       "--reviewer", "alice")
    ok(capsys, "export", "qdpx", src, "--out", tmp_path / "two.qdpx")
    # the older file into the renamed project: its code is 'Caring for parents'
    out = ok(capsys, "import", src, tmp_path / "one.qdpx")
    assert "  note: code 'Family ties' is the project's construct 'Caring for parents' (the same guid); the " \
           "project's name is kept" in out.splitlines()
    assert [r[0] for r in rows(src, "SELECT name FROM construct")] == ["Caring for parents"]
    # a project that has 'Caring for parents' under another guid: matched by name
    other = tmp_path / "other"
    ok(capsys, "init", other, "--reviewer", "alice")
    ok(capsys, "import", other, tmp_path / "a.txt")
    ok(capsys, "code", other, "--study", "1", "--start", "8", "--end", "12", "--construct", "caring for parents",
       "--order", "2", "--reviewer", "alice")
    report = json.loads(ok(capsys, "import", other, tmp_path / "two.qdpx", "--json"))
    assert report["constructs"]["added"] == 0
    assert report["studies_matched"] == [{"source": "Doctors came home to care for ageing parents.", "study": 1}]
    assert [tuple(r) for r in rows(other, "SELECT k.name, c.span_start, c.span_end, c.exact FROM coding c JOIN "
                                          "construct k ON k.id = c.construct_id ORDER BY 2")] == [
        ("caring for parents", 0, 7, "Doctors"), ("caring for parents", 8, 12, "came"),
        ("caring for parents", 30, 44, "ageing parents")]


def test_a_qdpx_made_by_the_qualitative_coding_package_imports(tmp_path, capsys):
    project = tmp_path / "qc"
    ok(capsys, "init", project)
    out = ok(capsys, "import", project, QC_FIXTURE)
    assert out.splitlines()[:2] == [
        f"imported {QC_FIXTURE}: 2 studies added; 9 constructs added, 0 changed, 0 unchanged; 9 codings added; "
        "0 memos; 0 translation judgements",
        "  reviewers added: alice, ben",
    ]
    assert [tuple(r) for r in rows(project, "SELECT c.name, c.construct_order, p.name FROM construct c LEFT JOIN "
                                            "construct p ON p.id = c.parent_id ORDER BY c.id")] == [
        ("reasons_for_leaving", 3, None), ("training_abroad", 3, "reasons_for_leaving"),
        ("return_experience", 3, None), ("estrangement", 3, "return_experience"),
        ("mentoring", 3, "return_experience"), ("resistance_to_change", 3, "return_experience"),
        ("ties_to_home", 3, None), ("family_over_finances", 3, "ties_to_home"), ("missing_people", 3, "ties_to_home")]
    line1 = "I went abroad to train because the hospitals at home had no places.\n"
    line2 = "Coming back, I felt like a stranger in my own ward.\n"
    line3 = "My family needed me, so money did not matter much.\n"
    other1 = "Returning doctors described a café culture of mentoring.\n"
    other2 = "Some said the system at home resisted new ideas.\n"
    other3 = "Others simply missed the people they grew up with.\n"
    assert [tuple(r) for r in rows(project, "SELECT title, text FROM study JOIN document ON study_id = id")] == [
        ("interview1.txt", line1 + line2 + line3), ("interview2.txt", other1 + other2 + other3)]
    coded = [tuple(r) for r in rows(project, "SELECT s.title, k.name, r.name, c.span_start, c.span_end, c.exact FROM "
                                             "coding c JOIN study s ON s.id = c.study_id JOIN construct k ON "
                                             "k.id = c.construct_id JOIN reviewer r ON r.id = c.reviewer_id ORDER BY "
                                             "s.id, c.span_start, r.name")]
    assert coded == [
        ("interview1.txt", "training_abroad", "alice", 0, 68, line1),
        ("interview1.txt", "training_abroad", "ben", 0, 68, line1),
        ("interview1.txt", "estrangement", "alice", 68, 120, line2),
        ("interview1.txt", "family_over_finances", "alice", 120, 171, line3),
        ("interview1.txt", "family_over_finances", "ben", 120, 171, line3),
        ("interview2.txt", "mentoring", "alice", 0, 57, other1),
        ("interview2.txt", "resistance_to_change", "alice", 57, 106, other2),
        ("interview2.txt", "resistance_to_change", "ben", 57, 106, other2),
        ("interview2.txt", "missing_people", "ben", 106, 157, other3),
    ]


# --- a hand-made file with what other tools write --------------------------------------------------------

G = {k: f"{n:08X}-0000-4000-8000-000000000000" for n, k in enumerate(
    ["alice", "ben", "homesick", "group", "belonging", "a", "b", "pdf", "case", "year", "gender", "sel_a1", "sel_a2",
     "sel_b1", "sel_b2", "sel_b3", "c1", "c2", "c3", "c4", "note", "link", "sel_b4", "homesick2", "c", "sel_c1", "c5"], start=1)}


def quirky_qdpx(path: Path) -> Path:
    """Source A: UTF-8 with a BOM and CRLF line ends counted as one character (as ATLAS.ti counts
    them); source B: UTF-16 with CRLF counted as two (the file as stored); a selection without a
    coding (MAXQDA's comments), a coding pointing at a case, a coding without a creator, an
    annotation note linked to a selection (NVivo), a PDF source, a case, a variable the
    workbench has no field for, two codes of one name under different parents (NVivo), and a
    plainTextPath without its internal:// (older qualitative-coding)."""
    a = "\ufeffFirst line here.\r\nSecond line with café.\r\nThird.\r\n".encode("utf-8")
    b = "Alpha beta.\r\nGamma delta.\r\n".encode("utf-16")  # with its byte order mark; C is in cp1252
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Quirks" origin="Some tool 1.0">
<Users><User guid="{G['alice']}" name="alice"/><User guid="{{{G['ben'].lower()}}}" name="ben"/></Users>
<CodeBook><Codes>
<Code guid="{G['homesick']}" name="Homesick" isCodable="true" color="#F00"><Description>Missing home.</Description></Code>
<Code guid="{G['group']}" name="Belonging (group)" isCodable="false"><Code guid="{G['belonging']}" name="Belonging" isCodable="true"/><Code guid="{G['homesick2']}" name="Homesick" isCodable="true"/></Code>
</Codes></CodeBook>
<Variables><Variable guid="{G['year']}" name="Year" typeOfVariable="Integer"/><Variable guid="{G['gender']}" name="Gender" typeOfVariable="Text"/></Variables>
<Cases><Case guid="{G['case']}" name="Participant 1"/></Cases>
<Sources>
<TextSource guid="{G['a']}" name="Interview A" plainTextPath="internal://{G['a']}.txt">
<PlainTextSelection guid="{G['sel_a1']}" name="Second line with café." startPosition="17" endPosition="39" creatingUser="{G['alice']}">
<Coding guid="{G['c1']}" creatingUser="{G['alice']}"><CodeRef targetGUID="{G['homesick']}"/></Coding></PlainTextSelection>
<PlainTextSelection guid="{G['sel_a2']}" startPosition="40" endPosition="46" creatingUser="{G['alice']}"><Description>Third.</Description>
<Coding guid="{G['c2']}" creatingUser="{G['alice']}"><CodeRef targetGUID="{G['case']}"/></Coding></PlainTextSelection>
<VariableValue><VariableRef targetGUID="{G['year']}"/><IntegerValue>2021</IntegerValue></VariableValue>
<VariableValue><VariableRef targetGUID="{G['gender']}"/><TextValue>f</TextValue></VariableValue>
</TextSource>
<TextSource guid="{G['b']}" name="Interview B" plainTextPath="{G['b']}.txt">
<PlainTextSelection guid="{G['sel_b1']}" startPosition="0" endPosition="11" creatingUser="{G['ben']}"><Description>Ask about the alpha.</Description></PlainTextSelection>
<PlainTextSelection guid="{G['sel_b2']}" name="Gamma delta." startPosition="13" endPosition="25">
<Coding guid="{G['c3']}"><CodeRef targetGUID="{G['belonging']}"/></Coding>
<Coding guid="{G['c4']}" creatingUser="{G['ben']}"><CodeRef targetGUID="{G['homesick']}"/></Coding></PlainTextSelection>
</TextSource>
<TextSource guid="{G['c']}" name="Interview C" plainTextPath="internal://{G['c']}.txt">
<PlainTextSelection guid="{G['sel_c1']}" startPosition="0" endPosition="4"><Coding guid="{G['c5']}"><CodeRef targetGUID="{G['homesick']}"/></Coding></PlainTextSelection></TextSource>
<PDFSource guid="{G['pdf']}" name="Paper.pdf" path="relative://Paper.pdf"/>
</Sources>
<Notes><Note guid="{G['note']}" name="Annotation" creatingUser="{G['alice']}"><PlainTextContent>Said with a smile.</PlainTextContent></Note></Notes>
<Links><Link guid="{G['link']}" originGUID="{G['note']}" targetGUID="{G['sel_a1']}" direction="OneWay"/></Links>
</Project>
"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde.encode("utf-8"))
        archive.writestr(f"sources/{G['a']}.txt", a)
        archive.writestr(f"sources/{G['b']}.txt", b)
        archive.writestr(f"sources/{G['c']}.txt", "Café au lait.".encode("cp1252"))  # neither UTF-8 nor UTF-16
    return path


def test_a_hand_made_file_with_other_tools_quirks_imports(tmp_path, capsys):
    qdpx = quirky_qdpx(tmp_path / "quirks.qdpx")
    project = tmp_path / "p"
    ok(capsys, "init", project, "--reviewer", "ben")
    out = ok(capsys, "import", project, qdpx)
    assert out.splitlines() == [
        f"imported {qdpx}: 2 studies added; 4 constructs added, 0 changed, 0 unchanged; 3 codings added; "
        "2 memos; 0 translation judgements",
        "  reviewers added: alice, imported",
        "  note: a second code called 'Homesick' (line 6) became 'Homesick (Belonging (group))'",
        "  note: 1 grouping code (isCodable=\"false\") became constructs, to keep the hierarchy",
        "  note: 4 codes had no order (no 'Order:' line in the description, no order set): new constructs among them "
        "are third-order, existing ones keep theirs; `workbench construct order` changes one",
        "  note: source 'Interview A': positions read with each \\r\\n line end counted as one character (under "
        "that reading every selection fits its text)",
        "  note: 1 selection without a coding became memos on their studies",
        "  note: a note linked to a selection became a memo on its codings",
        "  not imported: source 'Interview C' (line 25): 00000019-0000-4000-8000-000000000000.txt:1: not UTF-8 text "
        "(byte 0xe9 at offset 3); save the file as UTF-8 and import it again; it and its 1 coding were not imported",
        "  not imported: 1 case ('Participant 1'): the workbench has no cases; each source is a study",
        "  not imported: 1 coding pointing at a case rather than a code: not imported",
        "  not imported: 1 PDFSource: only text sources are imported",
        "  not imported: variable 'Gender' (1 value): a study has no such field",
    ]
    assert [tuple(r) for r in rows(project, "SELECT title, year, text FROM study JOIN document ON study_id = id "
                                            "ORDER BY id")] == [
        ("Interview A", 2021, "First line here.\nSecond line with café.\nThird.\n"),
        ("Interview B", None, "Alpha beta.\nGamma delta.\n")]
    assert [tuple(r) for r in rows(project, "SELECT s.title, k.name, r.name, c.span_start, c.span_end, c.exact FROM "
                                            "coding c JOIN study s ON s.id = c.study_id JOIN construct k ON "
                                            "k.id = c.construct_id JOIN reviewer r ON r.id = c.reviewer_id "
                                            "ORDER BY c.id")] == [
        ("Interview A", "Homesick", "alice", 17, 39, "Second line with café."),
        ("Interview B", "Belonging", "imported", 12, 24, "Gamma delta."),
        ("Interview B", "Homesick", "ben", 12, 24, "Gamma delta.")]
    assert [tuple(r) for r in rows(project, "SELECT c.name, p.name, c.colour, c.definition FROM construct c LEFT JOIN "
                                            "construct p ON p.id = c.parent_id ORDER BY c.name")] == [
        ("Belonging", "Belonging (group)", None, ""), ("Belonging (group)", None, None, ""),
        ("Homesick", None, "#FF0000", "Missing home."),
        ("Homesick (Belonging (group))", "Belonging (group)", None, "")]
    assert [tuple(r) for r in rows(project, "SELECT m.target_kind, m.target_id, r.name, m.text FROM memo m JOIN "
                                            "reviewer r ON r.id = m.reviewer_id ORDER BY m.id")] == [
        ("coding", 1, "alice", "Said with a smile."),  # the coding of Interview A, 17-39
        ("study", 2, "ben", "Selection 0-11 “Alpha beta.”: Ask about the alpha.")]
    report = json.loads(ok(capsys, "import", project, qdpx, "--json"))
    assert report["codings"] == {"added": 0, "present": 3}
    assert report["left_out"][2] == "1 coding pointing at a case rather than a code: not imported"


def _zip(path: Path, qde: bytes, **members: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("not a zip") and p, "{f}: not a ZIP archive; a .qdpx is a ZIP holding project.qde and sources/"),
    (lambda p: _zip(p, b'<Project xmlns="urn:QDA-XML:project:1.0" name="x">\n<Sources>\n</Project>'),
     "{f}: project.qde:3:3: not well-formed XML: mismatched tag"),
    (lambda p: _zip(p, b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'),
     '{f}: project.qde:1:1: not a REFI-QDA project: the root element is '
     '<{{urn:QDA-XML:codebook:1.0}}CodeBook>, not <Project xmlns="urn:QDA-XML:project:1.0">'),
    (lambda p: _zip(p, f'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources>\n<TextSource guid="{G["a"]}">'
                       f'<PlainTextContent>Some text</PlainTextContent>\n<PlainTextSelection guid="{G["sel_a1"]}" '
                       'startPosition="two" endPosition="4"/></TextSource></Sources></Project>'.encode()),
     "{f}: project.qde:3:1: <PlainTextSelection> startPosition='two' is not a whole number"),
])
def test_a_bad_file_is_refused_naming_the_file_and_line(tmp_path, capsys, make, message):
    project = tmp_path / "p"
    ok(capsys, "init", project, "--reviewer", "ben")
    (tmp_path / "a.txt").write_text("A study text.", encoding="utf-8")
    ok(capsys, "import", project, tmp_path / "a.txt")
    before = dump(project)
    bad = make(tmp_path / "bad.qdpx")
    code, out, err = run(capsys, "import", project, bad)
    assert code == 1 and out == ""
    assert err.startswith("workbench: error: " + message.format(f=bad)), err
    assert dump(project) == before


def test_offsets_of_a_source_map_to_its_canonical_text():
    from workbench.interop.refi_qdpx import offsets

    # "e" + combining acute becomes "é" (NFC); "\r\n" becomes "\n"; a BOM counted as a character is dropped
    assert offsets("e\u0301x\r\ny") == ("éx\ny", [0, 0, 1, 2, 2, 3, 4])
    assert offsets("\ufeffab\u2028c") == ("ab\nc", [0, 0, 1, 2, 3, 4])


def test_a_codebook_that_cannot_merge_leaves_the_project_as_it_was(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("Doctors came home to care for ageing parents.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Another study, only in the file.", encoding="utf-8")
    src, dst = tmp_path / "src", tmp_path / "dst"
    for project, order in ((src, "2"), (dst, "1")):
        ok(capsys, "init", project, "--reviewer", "alice")
        ok(capsys, "import", project, tmp_path / "a.txt")
        ok(capsys, "code", project, "--study", "1", "--start", "0", "--end", "7", "--construct", "Homesick",
           "--order", order, "--reviewer", "alice")
    ok(capsys, "import", src, tmp_path / "b.txt")
    ok(capsys, "export", "qdpx", src, "--out", tmp_path / "src.qdpx")
    before = dump(dst)
    code, out, err = run(capsys, "import", dst, tmp_path / "src.qdpx")
    assert code == 1 and out == ""
    assert "'Homesick' is first-order in the project and has 1 coding: its order cannot change to 2" in err
    assert err.rstrip().endswith(f"{tmp_path / 'src.qdpx'}: its codebook cannot merge with the project's "
                                 "constructs; nothing was imported")
    assert dump(dst) == before


def test_crlf_is_read_as_the_names_say_then_as_stored_except_from_atlas_ti():
    from workbench.interop.refi_qdpx import _Node, _Sel, choose_reading

    raw = "ab\r\ncd\r\n"
    unnamed = [_Sel(_Node("", "PlainTextSelection", {}, (1, 1)), 3, 5, "")]
    named = [_Sel(_Node("", "PlainTextSelection", {}, (1, 1)), 3, 5, "cd")]
    # a tie (both readings fit, no name to check): the file as stored, unless ATLAS.ti wrote it
    words, text, at = choose_reading(raw, False, unnamed, "MAXQDA 2022")
    assert (words, text[at[3]:at[5]]) == ("as stored", "\nc")  # raw 3-5 is "\nc" of "\r\ncd"
    words, text, at = choose_reading(raw, False, unnamed, "ATLAS.ti Windows 23")
    assert text[at[3]:at[5]] == "cd"
    # a name that matches under one reading decides
    words, text, at = choose_reading(raw, False, named, "MAXQDA 2022")
    assert (text, text[at[3]:at[5]]) == ("ab\ncd\n", "cd")
    # a selection that fits only when CRLF counts two
    words, text, at = choose_reading(raw, False, [_Sel(_Node("", "S", {}, (1, 1)), 4, 8, "")], "ATLAS.ti")
    assert (words, text[at[4]:at[8]]) == ("as stored", "cd\n")
