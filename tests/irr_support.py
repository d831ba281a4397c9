"""A review built for agreement tests the way reviewers build one: `workbench init`, a codebook
loaded, plain-text studies imported, spans coded with `workbench code`, studies marked done with
`workbench status`, then `workbench irr --json`."""
from __future__ import annotations

import json
from pathlib import Path

from support import rows, run


class Review:
    def __init__(self, root: Path, capsys, reviewers: list[str], constructs: list[str]):
        self.root, self.capsys = root, capsys
        self.cli("init", root, *(a for r in reviewers for a in ("--reviewer", r)))
        book = root.parent / f"{root.name}-codebook.yaml"
        book.write_text("format: 1\ntitle: Test codebook\nconstructs:\n"
                        + "".join(f"  - name: {json.dumps(c)}\n    order: 2\n" for c in constructs), encoding="utf-8")
        self.cli("codebook", "load", root, book, "--reviewer", reviewers[0])

    def cli(self, *argv) -> str:
        """Run a command that must succeed; its standard output."""
        code, out, err = run(self.capsys, *argv)
        assert code == 0, err
        return out

    def add_study(self, text: str, title: str, author: str, year: int) -> int:
        """Import ``text`` as a plain-text study; its id (the text must arrive unchanged)."""
        path = self.root.parent / f"{title.replace(' ', '-')}.txt"
        path.write_text(text, encoding="utf-8")
        found = json.loads(self.cli("import", self.root, path, "--title", title, "--authors", author,
                                    "--year", year, "--json"))
        (study,) = [r["study"] for r in found["records"]]
        assert rows(self.root, "SELECT text FROM document WHERE study_id = ?", [study])[0][0] == text
        return study

    def sentences(self, study: int) -> list[tuple[int, int]]:
        return [tuple(r) for r in rows(self.root, "SELECT span_start, span_end FROM sentence WHERE study_id = ? "
                                                  "ORDER BY span_start", [study])]

    def code(self, reviewer: str, study: int, start: int, end: int, construct: str) -> None:
        self.cli("code", self.root, "--study", study, "--start", start, "--end", end, "--construct", construct,
                 "--reviewer", reviewer)

    def done(self, reviewer: str, study: int) -> None:
        self.cli("status", self.root, "--study", study, "--reviewer", reviewer, "--set", "done")

    def irr(self, *argv) -> dict:
        return json.loads(self.cli("irr", self.root, *argv, "--json"))


def by_name(entries: list[dict], key: str = "construct") -> dict:
    return {e[key]: e for e in entries}
