"""A project is a directory: ``project.yaml`` (settings a reviewer may edit) and ``project.db``."""
from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


from ..core.errors import WorkbenchError
from ..core.text import canonicalise, one_line
from . import events
from .db import Store, connect, now

PROJECT_FILE = "project.yaml"
DB_FILE = "project.db"
STUDY_ORDERS = ("chronological", "import", "index-first")
SETTINGS_FORMAT = 1


class ProjectError(WorkbenchError):
    """A project cannot be opened or used as asked; the message says why and what to do."""


@dataclass
class Settings:
    """The contents of ``project.yaml``."""

    title: str
    question: str = ""
    reviewers: list[str] = field(default_factory=list)
    study_order: str = "chronological"
    index_study: str | None = None  # DOI or title of the index paper, for "index-first"
    sources: list[dict[str, Any]] = field(default_factory=list)
    codebook: str | None = None  # a codebook file (relative to the project) that `build` loads
    codings: str | None = None  # a codings file (relative to the project) that `build` loads
    leads: list[str] = field(default_factory=list)  # reviewers who may change other reviewers' work

    @classmethod
    def load(cls, path: Path) -> "Settings":
        """Read and check ``path``; ProjectError names the file, and the line for YAML errors."""
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
            raise ProjectError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
        except UnicodeDecodeError:
            raise ProjectError(f"{path}: not UTF-8 text") from None
        except RecursionError:
            raise ProjectError(f"{path}: nested too deeply to read (lists or mappings hundreds of levels "
                               "deep); see the settings in the README") from None
        except ValueError as exc:  # a whole number of more than 4300 digits
            raise ProjectError(f"{path}: cannot read the settings ({str(exc).split(';')[0]})") from None
        if not isinstance(data, dict):
            raise ProjectError(f"{path}: expected a mapping with at least 'title'")
        unknown = set(data) - {"format", "title", "question", "reviewers", "study_order", "index_study", "sources",
                              "codebook", "codings", "leads"}
        if unknown:
            raise ProjectError(f"{path}: unknown setting(s): {', '.join(sorted(map(one_line, unknown)))}")
        order = data.get("study_order", "chronological")
        if order not in STUDY_ORDERS:
            raise ProjectError(f"{path}: study_order must be one of {', '.join(STUDY_ORDERS)}, not {order!r}")
        reviewers = data.get("reviewers") or []
        if not isinstance(reviewers, list) or not all(isinstance(r, str) and one_line(r) for r in reviewers):
            raise ProjectError(f"{path}: reviewers must be a list of names")
        leads = data.get("leads") or []
        if not isinstance(leads, list) or not all(isinstance(r, str) and one_line(r) for r in leads):
            raise ProjectError(f"{path}: leads must be a list of reviewers' names (e.g. leads: [alice])")
        named = {one_line(r).casefold() for r in reviewers}
        strangers = [one_line(r) for r in leads if one_line(r).casefold() not in named]
        if strangers:
            raise ProjectError(f"{path}: leads names {', '.join(map(repr, strangers))}, not among the reviewers "
                               f"({', '.join(one_line(r) for r in reviewers) or 'none'}); a lead must be listed "
                               "under reviewers too")
        sources = data.get("sources") or []
        if not isinstance(sources, list) or not all(isinstance(s, dict) and "file" in s for s in sources):
            raise ProjectError(f"{path}: sources must be a list of mappings, each with a 'file'")
        return cls(
            # one line, without control characters or lone surrogates (YAML "\e", "\ud800"), as imports
            title=one_line(data.get("title") or "") or path.parent.name,
            question=canonicalise(str(data.get("question") or "")),
            reviewers=[one_line(r) for r in reviewers],
            study_order=order,
            # a study id written as a number (index_study: 3) is the key "3", as typed on the command line
            index_study=one_line(data["index_study"]) if data.get("index_study") is not None else None,
            sources=sources,
            codebook=str(data["codebook"]) if data.get("codebook") else None,
            codings=str(data["codings"]) if data.get("codings") else None,
            leads=[one_line(r) for r in leads],
        )

    def dump(self, path: Path) -> None:
        """Write the settings to ``path`` as YAML (keys in a stable order)."""
        data: dict[str, Any] = {"format": SETTINGS_FORMAT, "title": self.title, "question": self.question,
                                "reviewers": self.reviewers, "study_order": self.study_order}
        if self.index_study:
            data["index_study"] = self.index_study
        if self.sources:
            data["sources"] = self.sources
        if self.codebook:
            data["codebook"] = self.codebook
        if self.codings:
            data["codings"] = self.codings
        if self.leads:
            data["leads"] = self.leads
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def reviewers_named(db: Store, names: list[str], purpose: str, most: int | None = None) -> list[tuple[int, str]]:
    """``(id, name as stored)`` of each reviewer in ``names`` (``--reviewers A,B`` split at the
    commas: any case, blanks ignored), in order. Refuses, saying ``purpose`` ("agreement compares two
    or more reviewers"), an unknown name (listing the project's reviewers), a reviewer named twice,
    fewer than two names and more than ``most``."""
    known = {name.casefold(): (rid, name) for rid, name in db.execute("SELECT id, name FROM reviewer ORDER BY name")}
    given = [n.strip() for n in names if n.strip()]
    shape = "A,B" if most == 2 else "A,B[,C...]"
    if len(given) < 2 or (most is not None and len(given) > most):
        raise ProjectError(f"{purpose}: give --reviewers {shape}, not {','.join(given) or 'nobody'}")
    found: list[tuple[int, str]] = []
    for name in given:
        hit = known.get(name.casefold())
        if hit is None:
            listed = ", ".join(n for _, n in known.values()) or "none yet"
            raise ProjectError(f"unknown reviewer {name!r} (reviewers of this project: {listed})")
        if hit in found:
            raise ProjectError(f"{purpose}: --reviewers names {hit[1]} twice")
        found.append(hit)
    return found


class Project:
    """An open project: its directory, its settings and a connection to its database."""

    def __init__(self, root: Path, settings: Settings, db: Store):
        self.root = root
        self.settings = settings
        self.db = db

    @classmethod
    def create(cls, root: Path | str, title: str | None = None, question: str = "",
               reviewers: list[str] | None = None) -> "Project":
        """Create the project directory, ``project.yaml`` and an empty database.

        Refuses a directory that already holds a project, a file in the way and a blank reviewer
        name, before writing anything.
        """
        root = Path(root)
        if (root / PROJECT_FILE).exists():
            raise ProjectError(f"{root}: already a project ({PROJECT_FILE} exists)")
        if root.exists() and not root.is_dir():
            raise ProjectError(f"{root}: a file of that name exists; a project is a directory, choose another name")
        reviewers = [one_line(r) for r in reviewers or []]
        if not all(reviewers):
            raise ProjectError("a reviewer needs a name: every --reviewer must name someone")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProjectError(f"{root}: cannot make the project directory ({exc.strerror or exc})") from None
        settings = Settings(title=title or root.resolve().name, question=question, reviewers=reviewers)
        settings.dump(root / PROJECT_FILE)
        return cls.open(root)

    @classmethod
    def open(cls, root: Path | str) -> "Project":
        """Open an existing project, creating or migrating its database and adding the reviewers
        named in ``project.yaml`` that the database does not know yet."""
        root = Path(root)
        if not (root / PROJECT_FILE).is_file():
            raise ProjectError(f"{root}: not a project (no {PROJECT_FILE}); create one with `workbench init {root}`")
        settings = Settings.load(root / PROJECT_FILE)
        try:
            db = connect(root / DB_FILE)
        except (sqlite3.DatabaseError, OSError) as exc:  # not SQLite, a directory, unreadable
            raise ProjectError(
                f"{root / DB_FILE}: cannot open the project database ({exc}); if it is damaged, move it aside "
                "and restore it from a backup") from None
        project = cls(root, settings, db)
        for name in settings.reviewers:
            project.ensure_reviewer(name)
        return project

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def reviewers(self) -> dict[str, int]:
        """Reviewer names (as stored) mapped to their ids."""
        return {row["name"]: row["id"] for row in self.db.query("SELECT id, name FROM reviewer ORDER BY name")}

    def ensure_reviewer(self, name: str) -> int:
        """The id of reviewer ``name`` (case-insensitive), adding the reviewer if new."""
        name = name.strip()
        if not name:
            raise ProjectError("a reviewer needs a name")
        row = next(self.db.query("SELECT id FROM reviewer WHERE name = ?", [name]), None)
        if row:
            return row["id"]
        with self.db.atomic():  # looked up again under the write lock: another process may have just added it
            row = next(self.db.query("SELECT id FROM reviewer WHERE name = ?", [name]), None)
            if row:
                return row["id"]
            rid = self.db.execute(
                "INSERT INTO reviewer (guid, name, created_at) VALUES (?, ?, ?)",
                [str(uuid.uuid4()), name, now()],
            ).lastrowid
            events.record(self.db, "reviewer.add", rid, {"name": name})
        return rid

    def is_lead(self, reviewer_id: int) -> bool:
        """Whether ``project.yaml`` names the reviewer a lead (``leads:``), who may change other
        reviewers' work after saying so."""
        leads = {name.casefold() for name in self.settings.leads}
        return any(rid == reviewer_id and name.casefold() in leads for name, rid in self.reviewers().items())

    def reviewer_id(self, name: str) -> int:
        """The id of a known reviewer; ProjectError lists the known ones otherwise."""
        row = next(self.db.query("SELECT id FROM reviewer WHERE name = ?", [name.strip()]), None)
        if row:
            return row["id"]
        known = ", ".join(self.reviewers()) or "none yet"
        raise ProjectError(
            f"unknown reviewer {name!r} (reviewers of this project: {known}); "
            f"add the name under 'reviewers:' in {self.root / PROJECT_FILE}"
        )
