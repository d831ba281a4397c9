"""Issue 13, item 3: `workbench export annotations` writes one W3C Web Annotation per live coding,
with a TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector that both point at the
coded span of the study's text, the construct as body and the reviewer as creator."""
from __future__ import annotations

import json
import sqlite3

from support import run


def ok(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def texts(project) -> dict[str, str]:
    conn = sqlite3.connect(project / "project.db")
    try:
        return {f"urn:uuid:{guid}": text for guid, text in
                conn.execute("SELECT s.guid, d.text FROM study s JOIN document d ON d.study_id = s.id")}
    finally:
        conn.close()


def test_each_coding_is_an_annotation_whose_selectors_find_its_quote(small_project, tmp_path, capsys):
    p = small_project
    ok(capsys, "code", p, "--study", "1", "--start", "0", "--end", "18", "--construct", "Atypical path",
       "--order", "2", "--reviewer", "alice")
    ok(capsys, "code", p, "--study", "2", "--start", "0", "--end", "16", "--construct", "Diaspora",
       "--order", "1", "--reviewer", "ben")
    gone = json.loads(ok(capsys, "code", p, "--study", "2", "--start", "20", "--end", "30", "--construct",
                         "Diaspora", "--reviewer", "ben", "--json"))
    ok(capsys, "uncode", p, "--coding", gone["id"], "--reviewer", "ben")
    said = ok(capsys, "export", "annotations", p, "--format", "jsonld", "--out", tmp_path / "a.jsonld")
    assert said.strip() == f"wrote 2 annotations to {tmp_path / 'a.jsonld'}"
    doc = json.loads((tmp_path / "a.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["total"] == 2 and doc["label"] == "Test review"
    items = doc["first"]["items"]
    assert [(a["body"]["value"], a["creator"]["name"]) for a in items] == [("Atypical path", "alice"),
                                                                          ("Diaspora", "ben")]
    first = items[0]
    quote, position = first["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert quote["exact"] == "Medical migration:"            # written by hand from the seed text
    assert (position["start"], position["end"]) == (0, 18)
    assert first["type"] == "Annotation" and first["motivation"] == "classifying"
    assert first["body"]["purpose"] == "classifying" and first["body"]["type"] == "TextualBody"
    assert first["target"]["scope"] == "https://doi.org/10.1080/0142159x.2017.1370081"
    by_source = texts(p)
    for a in items:
        text = by_source[a["target"]["source"]]
        quote, position = a["target"]["selector"]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote["exact"]
        assert text[:start].endswith(quote["prefix"]) and text[end:].startswith(quote["suffix"])
    ok(capsys, "export", "annotations", p, "--format", "jsonld", "--out", tmp_path / "ben.jsonld",
       "--reviewer", "ben")
    ben = json.loads((tmp_path / "ben.jsonld").read_text(encoding="utf-8"))
    assert [a["creator"]["name"] for a in ben["first"]["items"]] == ["ben"]
