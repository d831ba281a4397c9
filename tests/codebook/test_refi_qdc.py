"""REFI-QDA codebooks (.qdc): exports validate against the XSD and round-trip; files written the way
NVivo and ATLAS.ti write them import with their hierarchy, names, descriptions and colours."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import xmlschema
from cb_helpers import CODEBOOKS, FIXTURES, SHIPPED, XSD, constructs, hierarchy
from support import dump, run

from workbench.core.codebook import Entry
from workbench.interop.refi_qdc import NS, describe, parse_description

NVIVO = FIXTURES / "nvivo-return-migration.qdc"
ATLAS = FIXTURES / "atlasti-return-migration.qdc"


@pytest.fixture(scope="module")
def schema():
    return xmlschema.XMLSchema(str(XSD))


def test_the_xsd_is_well_formed_and_checks_what_the_standard_requires(schema):
    ok = f'<CodeBook xmlns="{NS}"><Codes><Code guid="{{6F9619FF-8B86-D011-B42D-00C04FC964FF}}" name="a" isCodable="true"/></Codes></CodeBook>'
    assert schema.is_valid(ok)
    assert not schema.is_valid(ok.replace("</Codes>", "</Codes><Sets/>"))  # an empty Sets is invalid
    assert not schema.is_valid(ok.replace(' isCodable="true"', ""))
    assert not schema.is_valid(ok.replace("6F9619FF-", "6F9619FF"))
    assert not schema.is_valid(ok.replace('name="a"', 'name="a" color="red"'))
    assert not schema.is_valid(ok.replace(NS, "urn:QDA-XML:project:1.0"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_qdc_export_validates_against_the_xsd_and_round_trips(path, new_project, tmp_path, capsys, schema):
    first, second = new_project(), new_project()
    assert run(capsys, "codebook", "load", first, path)[0] == 0
    exported = tmp_path / "cb.qdc"
    code, out, err = run(capsys, "codebook", "export", first, exported)
    assert code == 0, err
    assert out.startswith(f"wrote REFI-QDA codebook {exported}: ")
    schema.validate(str(exported))
    data = exported.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
                           b'origin="synthesis-workbench">')

    code, out, err = run(capsys, "codebook", "load", second, exported)
    assert code == 0, err
    assert "had no order" not in out  # every order came back from the Description marker
    # names, descriptions (all four texts), colours, hierarchy, orders, links and guids
    assert constructs(second, with_guid=True) == constructs(first, with_guid=True)
    again = tmp_path / "again.qdc"
    assert run(capsys, "codebook", "export", second, again)[0] == 0
    assert again.read_bytes() == data
    assert run(capsys, "codebook", "export", first, again)[0] == 0
    assert again.read_bytes() == data


def test_qdc_export_nests_the_hierarchy_and_lists_order_sets(new_project, tmp_path, capsys):
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml")
    out = tmp_path / "cb.qdc"
    run(capsys, "codebook", "export", project, out)
    root = ET.parse(out).getroot()
    q = f"{{{NS}}}"
    top = [c.get("name") for c in root.find(f"{q}Codes").findall(f"{q}Code")]
    assert "Challenges associated with professional reintegration" in top and "Drive to private practice" not in top
    challenges = next(c for c in root.iter(f"{q}Code") if c.get("name") == top[top.index(
        "Challenges associated with professional reintegration")])
    assert [c.get("name") for c in challenges.findall(f"{q}Code")] == [
        "Disillusionment with state healthcare systems", "Drive to private practice",
        "Wasted opportunity for knowledge transfer"]
    assert challenges.get("color") == "#E31A1C" and challenges.get("isCodable") == "true"
    assert challenges.get("guid") == challenges.get("guid").upper()
    assert challenges.find(f"{q}Description").text.startswith("Order: third-order\nOverarching third-order construct.")
    sets = {s.get("name"): len(s.findall(f"{q}MemberCode")) for s in root.find(f"{q}Sets")}
    assert sets == {"First-order constructs": 2, "Second-order constructs": 14, "Third-order constructs": 7}


def test_an_empty_project_exports_yaml_but_not_an_invalid_qdc(new_project, tmp_path, capsys):
    project = new_project()
    out = tmp_path / "empty.qdc"
    code, _, err = run(capsys, "codebook", "export", project, out)
    assert code == 1 and "a REFI-QDA codebook needs at least one code" in err
    assert not out.exists() and not list(tmp_path.glob(".*.tmp"))
    assert run(capsys, "codebook", "export", project, tmp_path / "empty.yaml")[0] == 0
    assert (tmp_path / "empty.yaml").read_text(encoding="utf-8").endswith("constructs: []\n")


WANT_HIERARCHY = {
    "Challenges associated with professional reintegration": None,
    "Disillusionment with state healthcare systems": "Challenges associated with professional reintegration",
    "Drive to private practice": "Challenges associated with professional reintegration",
    "Wasted opportunity for knowledge transfer": "Challenges associated with professional reintegration",
    "Reflections on personal development": None,
    "Pivotal experiences": "Reflections on personal development",
    "Social and cultural connection to home countries": None,
    "Family trumps finances": "Social and cultural connection to home countries",
}


def test_nvivo_and_atlasti_codebooks_import_with_the_same_hierarchy(new_project, capsys, schema):
    for fixture in (NVIVO, ATLAS):
        schema.validate(str(fixture))  # the fixtures are valid REFI, as the tools write it
    nvivo, atlas = new_project("nvivo"), new_project("atlas")
    code, out, err = run(capsys, "codebook", "load", nvivo, NVIVO, "--reviewer", "alice")
    assert code == 0, err
    assert out.splitlines()[0] == f"loaded {NVIVO}: 8 added, 0 changed, 0 unchanged"
    assert ("  note: 8 codes had no order (no 'Order:' line in the description, no order set): new constructs "
            "among them are third-order, existing ones keep theirs; give --order to choose") in out.splitlines()
    code, out, err = run(capsys, "codebook", "load", atlas, ATLAS)
    assert code == 0, err
    assert "  note: set 'Newman & Rashid 2025' (4 codes) was not imported: the workbench has no sets; its codes were" \
        in out.splitlines()
    assert '  note: 3 grouping codes (isCodable="false") became constructs, to keep the hierarchy' in out.splitlines()

    assert hierarchy(nvivo) == hierarchy(atlas) == WANT_HIERARCHY
    a, b = constructs(nvivo, with_guid=True)["constructs"], constructs(atlas, with_guid=True)["constructs"]
    # Same guids (braces and case aside) and colours (#F70 and #ff7700 are one colour).
    assert {n: (c["guid"], c["colour"], c["order"]) for n, c in a.items()} == \
        {n: (c["guid"], c["colour"], c["order"]) for n, c in b.items()}
    assert a["Drive to private practice"]["colour"] == "#FF7700"
    assert a["Challenges associated with professional reintegration"]["guid"] == "4b1c2e8a-7f3d-4e21-9a6b-0c5d8e7f1a23"
    assert {c["order"] for c in a.values()} == {3}
    # Descriptions: the whole text is the definition; NVivo's CR LF line breaks become \n; &amp; is &.
    assert a["Challenges associated with professional reintegration"]["definition"] == (
        "What returning doctors meet when they take up practice again at home.\n\n"
        "Includes the state health system and private practice.")
    assert a["Wasted opportunity for knowledge transfer"]["definition"] == b[
        "Wasted opportunity for knowledge transfer"]["definition"] == (
        "The wasted opportunity for valuable knowledge transfer & what it costs the home country.")


@pytest.mark.parametrize("fixture", [NVIVO, ATLAS], ids=["nvivo", "atlasti"])
def test_a_foreign_codebook_round_trips_through_the_workbench_qdc(fixture, new_project, tmp_path, capsys, schema):
    first, second = new_project(), new_project()
    assert run(capsys, "codebook", "load", first, fixture)[0] == 0
    out = tmp_path / "again.qdc"
    assert run(capsys, "codebook", "export", first, out)[0] == 0
    schema.validate(str(out))
    assert run(capsys, "codebook", "load", second, out)[0] == 0
    assert constructs(second, with_guid=True) == constructs(first, with_guid=True)
    assert hierarchy(second) == WANT_HIERARCHY


def test_order_option_sets_the_order_of_every_imported_code(new_project, capsys):
    project = new_project()
    code, out, err = run(capsys, "codebook", "load", project, NVIVO, "--order", "2")
    assert code == 0, err
    assert "had no order" not in out  # without --order this load notes "8 codes had no order"
    assert {c["order"] for c in constructs(project)["constructs"].values()} == {2}


def test_loading_a_qdc_over_the_same_yaml_codebook_merges_by_name_and_keeps_orders(new_project, capsys):
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "img-return-migration.yaml")
    before = constructs(project)
    code, out, err = run(capsys, "codebook", "load", project, NVIVO, "--dry-run")
    assert code == 0, err
    assert out.splitlines()[0] == f"would load {NVIVO}: 0 added, 7 changed, 1 unchanged"
    assert constructs(project) == before
    code, out, err = run(capsys, "codebook", "load", project, NVIVO)
    assert code == 0, err
    after = constructs(project)
    # The file has no orders: existing constructs keep theirs (Pivotal experiences stays second-order,
    # so its 'interprets' link still fits); names, colours, parents and descriptions are the file's.
    assert {n: c["order"] for n, c in after["constructs"].items()} == {n: c["order"] for n, c in before["constructs"].items()}
    assert after["constructs"]["Pivotal experiences"]["parent"] == "Reflections on personal development"
    assert after["constructs"]["Drive to private practice"]["colour"] == "#FF7700"
    assert "               parent: (none) -> 'Reflections on personal development'" in out.splitlines()
    assert after["links"] == before["links"]
    # What REFI cannot carry (when to use, when not to use, example) is not in the file: kept.
    for name, c in after["constructs"].items():
        for key in ("when_to_use", "when_not_to_use", "example"):
            assert c[key] == before["constructs"][name][key]
    # A code without a Description or a color attribute keeps the project's definition and colour.
    assert after["constructs"]["Social and cultural connection to home countries"] == \
        before["constructs"]["Social and cultural connection to home countries"]
    # --order 3 for all would make Pivotal experiences third-order: refused, with the file position.
    code, _, err = run(capsys, "codebook", "load", project, NVIVO, "--order", "3")
    assert code == 1
    assert (f"{NVIVO}:16:7: 'Pivotal experiences' is third-order: only a second-order construct can have an "
            f"'interprets' link (interprets goes 2 -> 3)") in err


def test_validate_accepts_a_qdc(capsys):
    code, out, err = run(capsys, "codebook", "validate", ATLAS)
    assert code == 0, err
    assert out.startswith(f"{ATLAS}: valid REFI-QDA codebook 'atlasti-return-migration': 8 constructs (0 "
                          f"first-order, 0 second-order, 8 third-order), 0 links, 5 under a parent\n")


BAD_QDC = {
    "not_well_formed": ('<?xml version="1.0"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n  <Codes>\n'
                        '    <Code guid="4B1C2E8A-7F3D-4E21-9A6B-0C5D8E7F1A23" name="A" isCodable="true">\n'
                        '  </Codes>\n</CodeBook>\n',
                        ["5:5: not well-formed XML: mismatched tag"]),
    "wrong_root": ('<?xml version="1.0"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>\n',
                   ["2:1: a REFI-QDA project without a CodeBook"]),
    "not_refi": ('<html><body/></html>', ["1:1: not a REFI-QDA codebook: the root element is <html>"]),
    "bad_guid_colour_duplicate": (
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0">\n<Codes>\n'
        '<Code guid="not-a-guid" name="A" isCodable="true"/>\n'
        '<Code guid="{9D2A6F41-3C8B-4E77-B1D0-2F6E9A4C8B15}" name="B" isCodable="true" color="blue">\n'
        '  <Code guid="9d2a6f41-3c8b-4e77-b1d0-2f6e9a4c8b15" name="b" isCodable="true"/>\n'
        '</Code>\n</Codes>\n</CodeBook>\n',
        ["3:1: code 'A': 'not-a-guid' is not a GUID",
         "4:1: code 'B': colour 'blue' is not #RRGGBB or #RGB",
         "5:3: code 'b': guid 9d2a6f41-3c8b-4e77-b1d0-2f6e9a4c8b15 is used twice (first at line 4)",
         "5:3: duplicate name 'b': a construct of that name is already defined (first at line 4)"]),
    "doctype": ('<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY lol "lol">]>\n<CodeBook/>\n',
                ["2:1: a DOCTYPE declaration"]),
}


@pytest.mark.parametrize("case", BAD_QDC)
def test_invalid_qdc_names_file_line_column_and_leaves_the_project_unchanged(case, new_project, tmp_path, capsys):
    text, expected = BAD_QDC[case]
    bad = tmp_path / "bad.qdc"
    bad.write_text(text, encoding="utf-8")
    project = new_project()
    run(capsys, "codebook", "load", project, CODEBOOKS / "meta-ethnography.yaml")
    before = dump(project)
    code, out, err = run(capsys, "codebook", "load", project, bad)
    assert code == 1 and out == ""
    lines = err.splitlines()
    for want in expected:
        assert any(line.startswith(f"{bad}:{want}") for line in lines), (want, err)
    assert len(lines) == len(expected) + 1
    assert dump(project) == before


def test_description_layout_round_trips_and_foreign_descriptions_are_definitions():
    e = Entry(name="X", order=2, definition="Line one.\n\nLine two.", when_to_use="When A.\n\nAnd B.",
              when_not_to_use="Never C.", example='"a quote"', links=[("interprets", "Z"), ("interprets", "Y")])
    text = describe(e)
    assert text.startswith("Order: second-order\nLine one.\n\nLine two.\n\nWhen to use: When A.\n\nAnd B.\n\n")
    assert text.endswith("Interprets: Y\nInterprets: Z")
    back = parse_description(text)
    assert (back.order, back.definition, back.when_to_use, back.when_not_to_use, back.example, back.links) == (
        2, "Line one.\n\nLine two.", "When A.\n\nAnd B.", "Never C.", '"a quote"', [("interprets", "Y"), ("interprets", "Z")])
    assert parse_description("Order: first-order").order == 1
    foreign = parse_description("Example: something an NVivo user wrote.\r\n\r\nWhen to use: anything.")
    assert foreign.order is None
    assert foreign.definition == "Example: something an NVivo user wrote.\n\nWhen to use: anything."
