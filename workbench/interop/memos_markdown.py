"""Memos as a Markdown document: the project's, then each study's, construct's and coding's."""
from __future__ import annotations

from pathlib import Path

from ..core.text import clip
from ..store import codings
from ..store.constructs import all_constructs
from ..store.db import Store
from ..store.memos import Memo, all_memos
from ..store.studies import titles
from .cells import md_text
from .files import write_text



def export_markdown(db: Store, path: Path | str, reviewer_id: int | None = None, *, title: str | None = None) -> int:
    """Write every live memo (or one reviewer's) to ``path`` as Markdown; returns how many.

    Grouped as the project, then studies (in chronological study order), constructs (by order, then
    name) and codings (in study order, then offset, each with its quote). The file is replaced only
    once it is completely written.
    """
    memos = all_memos(db, reviewer_id=reviewer_id)
    by_target: dict[tuple[str, int | None], list[Memo]] = {}
    for m in memos:
        by_target.setdefault((m.target_kind, m.target_id), []).append(m)
    out: list[str] = [f"# Memos{': ' + md_text(title) if title else ''}\n"]

    def block(items: list[Memo]) -> None:
        for m in items:
            out.append(f"**{md_text(m.reviewer)}** ({m.updated_at[:16].replace('T', ' ')}):\n")
            out.append(md_text(m.text) + "\n")

    if ("project", None) in by_target:
        out.append("## Project\n")
        block(by_target[("project", None)])
    studies = [(sid, stitle, year) for sid, stitle, year in titles(db) if ("study", sid) in by_target]
    if studies:
        out.append("## Studies\n")
        for sid, stitle, year in studies:
            out.append(f"### {md_text(stitle)}{f' ({year})' if year else ''} [study {sid}]\n")
            block(by_target[("study", sid)])
    constructs = [(c.id, c.name, c.order) for c in all_constructs(db) if ("construct", c.id) in by_target]
    if constructs:
        out.append("## Constructs\n")
        for cid, name, order in constructs:
            out.append(f"### {md_text(name)} (order {order})\n")
            block(by_target[("construct", cid)])
    coded = [k[1] for k in by_target if k[0] == "coding"]
    if coded:
        out.append("## Codings\n")
        for cid, stitle, year, name, start, end, exact, coder in codings.rows(
                db, columns=("id", "study_title", "year", "construct", "start", "end", "quote", "reviewer"), ids=coded):
            when = f" ({year})" if year else ""
            out.append(f"### {md_text(name)}: {md_text(clip(stitle, 60))}{when} [{start}-{end}], "
                       f"coding {cid} by {md_text(coder)}\n")
            out.append("> " + md_text(exact).replace("\n", "\n> ") + "\n")
            block(by_target[("coding", cid)])
    write_text(path, "\n".join(out))
    return len(memos)
