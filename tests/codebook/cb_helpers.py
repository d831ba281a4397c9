"""Shared by the codebook tests: where the codebooks are, a normalised view of constructs."""
from __future__ import annotations

import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODEBOOKS = ROOT / "codebooks"
SHIPPED = sorted(CODEBOOKS.glob("*.yaml"))
FIXTURES = ROOT / "tests" / "fixtures" / "codebook"
XSD = ROOT / "workbench" / "interop" / "schemas" / "Codebook.xsd"


def constructs(project: Path, with_guid: bool = False) -> dict:
    """Every construct (by name: order, parent, texts, colour) and every link, as plain values."""
    conn = sqlite3.connect(project / "project.db")
    try:
        rows = conn.execute(
            "SELECT c.name, c.construct_order, p.name, c.definition, c.when_to_use, c.when_not_to_use, c.example, "
            "c.colour, c.guid FROM construct c LEFT JOIN construct p ON p.id = c.parent_id ORDER BY c.name").fetchall()
        links = conn.execute(
            "SELECT a.name, l.kind, b.name FROM construct_link l JOIN construct a ON a.id = l.from_id "
            "JOIN construct b ON b.id = l.to_id ORDER BY a.name, l.kind, b.name").fetchall()
    finally:
        conn.close()
    out = {}
    for name, order, parent, definition, when, when_not, example, colour, guid in rows:
        out[name] = {"order": order, "parent": parent, "definition": definition, "when_to_use": when,
                     "when_not_to_use": when_not, "example": example, "colour": colour}
        if with_guid:
            out[name]["guid"] = guid.lower()
    return {"constructs": out, "links": links}


def hierarchy(project: Path) -> dict[str, str | None]:
    return {name: c["parent"] for name, c in constructs(project)["constructs"].items()}
