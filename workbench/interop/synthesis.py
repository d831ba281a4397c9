"""``export synthesis``: the third-order hierarchy with contributing studies and the line of
argument with its narrative (the project memo of each reviewer shown), as Markdown
(``store.synthesis``). Every name, note and memo goes through ``cells.md_text``."""
from __future__ import annotations

from pathlib import Path

from ..store.db import Store
from ..store.synthesis import RELATION_WORDS, Group, relations, synthesis
from .cells import md_text
from .files import replacing


def _studies(columns) -> str:
    return ", ".join(md_text(c.label) for c in columns) or "none"


def markdown(groups: list[Group], lines_of_argument, title: str = "Synthesis", narrative=()) -> str:
    """The synthesis as Markdown: a section per overarching construct, a sub-section per concept
    (contributing and refuting studies, second-order constructs with their studies, relations),
    then the line of argument (every relation, with its note) and its narrative: the project memos
    (``narrative``: Memo rows), each headed by its reviewer."""
    out = [f"# {md_text(title)}", ""]
    for group in groups:
        out.append(f"## {md_text(group.overarching.name) if group.overarching else 'Not under an overarching construct'}")
        out.append("")
        out.append(f"Contributing studies ({len(group.contributing)}): {_studies(group.contributing)}")
        out.append("")
        for c in group.concepts:
            out.append(f"### {md_text(c.node.name)}")
            out.append("")
            out.append(f"- Contributing studies ({len(c.contributing)}): {_studies(c.contributing)}")
            out.append(f"- Refuting studies ({len(c.refuting)}): {_studies(c.refuting)}")
            seconds = "; ".join(f"{md_text(e.node.name)} ({_studies(e.studies)})" for e in c.second_order)
            out.append(f"- Second-order constructs: {seconds or 'none'}")
            for r in c.relations:
                out.append(f"- {RELATION_WORDS[r.kind].capitalize()}: {md_text(r.to_name)}"
                           + (f" ({md_text(r.note)})" if r.note else ""))
            out.append("")
    out.append("## Line of argument")
    out.append("")
    found = list(lines_of_argument)
    for r in found:
        out.append(f"- {md_text(r.words)}" + (f": {md_text(r.note)}" if r.note else ""))
    if not found:
        out.append("No relations between third-order constructs yet.")
    for memo in narrative:
        out += ["", f"### Narrative ({md_text(memo.reviewer)})", "", md_text(memo.text.strip())]
    return "\n".join(out) + "\n"


def export_synthesis(db: Store, path: Path, reviewer_id: int | None = None, rule: str = "chronological",
                     index_study_id: int | None = None, title: str = "Synthesis") -> int:
    """Write the synthesis as Markdown through ``files.replacing``; returns the number of concepts."""
    from ..store.memos import get_memo

    groups = synthesis(db, reviewer_id, rule, index_study_id)
    text = markdown(groups, relations(db), title, get_memo(db, "project", None, reviewer_id))
    with replacing(path, "utf-8") as out:
        out.write(text)
    return sum(len(g.concepts) for g in groups)
