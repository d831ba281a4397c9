"""Codings files (docs/codings.md): codings written as quotes, read with every problem named by
``file:line:column``, and placed in a project's study texts.

```yaml
format: 1
reviewer: worked-example             # who made the codings (created if the project lacks them)
codings:
  - study: sources/heist2018.txt     # the source file it was imported from, or its DOI
    construct: Pivotal experiences   # in the codebook or the project, or created with 'order'
    quote: "pivotal experiences that often include ..."   # copied exactly from the study's text
    occurrence: 2                    # optional: the Nth place the quote occurs
    prefix: "the words right before "  # optional: another way to say which place
judgements:                          # optional: translation judgements (issue 11's grid)
  - concept: Family trumps finances  # a concept of the grid (third-order, or second-order)
    study: sources/heist2018.txt
    as: reciprocal                   # reciprocal, refutational, line-of-argument, not-addressed
    note: "why"                      # optional
```

``read`` checks the file's structure; ``plan`` finds each study, construct and quote in the project
and refuses the whole file (CodingsFileError) on any problem, before anything is written.
PyYAML is imported only when a file is read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..core.codebook import Pos, Problem, name_key, parse_order_value, suggest
from ..core.constructs import ORDERS
from ..core.errors import WorkbenchError
from ..core.quotes import QuoteError, locate
from ..core.records import normalise_doi
from ..core.text import clip, one_line
from ..store.coding_sets import NewCoding, NewConstruct, studies_by_source
from ..store.constructs import all_constructs, by_name
from ..store.db import Store
from ..store.studies import find_study, get_study, get_text
from ..store.words import study_name

FORMAT = 1
TOP_KEYS = ("format", "title", "description", "reviewer", "codings", "judgements")
JUDGEMENT_KEYS = ("concept", "study", "as", "note", "reviewer")
ENTRY_KEYS = ("study", "construct", "quote", "reviewer", "occurrence", "prefix", "order", "parent")


class CodingsFileError(WorkbenchError, ValueError):
    """A codings file was refused: every problem, one per line with file:line:column, and a count."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.column or 0))
        super().__init__("\n".join(self.lines() + [self.summary()]))

    def lines(self) -> list[str]:
        return [p.format(self.file) for p in self.problems]

    def summary(self) -> str:
        n = len(self.problems)
        return f"{self.file}: {n} problem{'s' if n != 1 else ''} found; nothing was loaded"


@dataclass
class Entry:
    """One coding as the file writes it; ``where`` holds the line and column of each key's value."""

    study: str
    construct: str
    quote: str
    reviewer: str
    occurrence: int | None = None
    prefix: str | None = None
    order: int | None = None
    parent: str | None = None
    where: dict[str, Pos] = field(default_factory=dict, repr=False)

    def pos(self, key: str) -> Pos:
        return self.where.get(key) or self.where["item"]


@dataclass
class JudgementEntry:
    """One translation judgement as the file writes it (``kind`` as typed: "line-of-argument")."""

    concept: str
    study: str
    kind: str
    reviewer: str
    note: str = ""
    where: dict[str, Pos] = field(default_factory=dict, repr=False)

    def pos(self, key: str) -> Pos:
        return self.where.get(key) or self.where["item"]


@dataclass
class CodingsFile:
    title: str
    description: str
    entries: list[Entry]
    judgements: list[JudgementEntry] = field(default_factory=list)

    def reviewers(self) -> list[str]:
        """The reviewers the entries and judgements name, in the order they first appear."""
        return list(dict.fromkeys([e.reviewer for e in self.entries] + [j.reviewer for j in self.judgements]))


def read(path: Path | str) -> CodingsFile:
    """The codings file at ``path``; CodingsFileError lists every problem of its structure."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise CodingsFileError(file, [Problem("no such file")])
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CodingsFileError(file, [Problem("not UTF-8 text: save the file as UTF-8", line, column)]) from None
    if "\x00" in text:
        raise CodingsFileError(file, [Problem("a binary file, not a YAML codings file")])
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        message = f"not valid YAML: {getattr(exc, 'problem', None) or exc}"
        context, cmark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and cmark is not None and cmark is not mark:  # where the unfinished thing began
            message += f" ({context} at line {cmark.line + 1}, column {cmark.column + 1})"
        raise CodingsFileError(file, [Problem(message, mark.line + 1, mark.column + 1) if mark
                                      else Problem(message)]) from None
    reader = _Reader(yaml)
    found = reader.codings_file(root)
    if reader.problems or found is None:
        raise CodingsFileError(file, reader.problems)
    return found


class _Reader:
    """Composed YAML nodes to a CodingsFile, collecting problems instead of stopping at the first."""

    def __init__(self, yaml):
        self.yaml = yaml
        self.constructor = yaml.constructor.SafeConstructor()
        self.problems: list[Problem] = []

    def error(self, message: str, node) -> None:
        self.problems.append(Problem(message, *self.at(node)))

    @staticmethod
    def at(node) -> Pos:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def value(self, node):
        if not isinstance(node, self.yaml.ScalarNode):
            return node
        try:
            return self.constructor.construct_object(node, deep=True)
        except self.yaml.YAMLError as exc:
            self.error(f"not a valid value: {getattr(exc, 'problem', exc)}", node)
            return None

    def mapping(self, node, what: str, keys: tuple[str, ...]) -> dict[str, tuple]:
        out: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node)
            if not isinstance(key, str):
                self.error(f"{what}: keys are words such as 'quote', not {key_node.value!r}", key_node)
            elif key in out:
                self.error(f"{what}: key {key!r} is given twice (first at line {out[key][0].start_mark.line + 1})",
                           key_node)
            elif key not in keys:
                self.error(f"unknown key {key!r} in {what}{suggest(key, keys)}; expected {', '.join(keys)}", key_node)
            else:
                out[key] = (key_node, value_node)
        return out

    def text(self, node, what: str) -> str | None:
        """A non-empty text (numbers are refused: a DOI or a quote written bare may not be read as text)."""
        value = self.value(node)
        if isinstance(value, str) and value.strip():
            return value
        if value is None or value == "":
            self.error(f"{what} is empty", node)
        elif isinstance(value, str):
            self.error(f"{what} is blank", node)
        else:
            shown = node.value if isinstance(node, self.yaml.ScalarNode) else "a list or mapping"
            self.error(f"{what} must be text, not {shown!r}: put it in quotes", node)
        return None

    def codings_file(self, root) -> CodingsFile | None:
        yaml = self.yaml
        if not isinstance(root, yaml.MappingNode):
            self.problems.append(Problem("a codings file is a mapping with format, reviewer and codings", 1, 1))
            return None
        top = self.mapping(root, "the codings file", TOP_KEYS)
        if "format" not in top:
            self.error(f"missing 'format: {FORMAT}' (the version of the codings file format)", root)
            return None
        version = self.value(top["format"][1])
        if isinstance(version, bool) or version != FORMAT:
            self.error(f"format {getattr(top['format'][1], 'value', '')!r} is not one this workbench knows: "
                       f"it reads format {FORMAT}", top["format"][1])
            return None
        reviewer = self.text(top["reviewer"][1], "reviewer") if "reviewer" in top else None
        title = self.text(top["title"][1], "title") or "" if "title" in top else ""
        description = self.text(top["description"][1], "description") or "" if "description" in top else ""
        entries: list[Entry] = []
        if "codings" not in top:
            self.error("missing 'codings' (a list of '- study: ... construct: ... quote: ...' items)", root)
        elif not isinstance(top["codings"][1], yaml.SequenceNode):
            self.error("codings must be a list of '- study: ... construct: ... quote: ...' items", top["codings"][1])
        else:
            for item in top["codings"][1].value:
                entry = self.entry(item, reviewer)
                if entry is not None:
                    entries.append(entry)
        judgements: list[JudgementEntry] = []
        if "judgements" in top:
            if not isinstance(top["judgements"][1], yaml.SequenceNode):
                self.error("judgements must be a list of '- concept: ... study: ... as: ...' items",
                           top["judgements"][1])
            else:
                for item in top["judgements"][1].value:
                    judgement = self.judgement(item, reviewer)
                    if judgement is not None:
                        judgements.append(judgement)
        return CodingsFile(one_line(title), description.strip(), entries, judgements)

    def judgement(self, node, reviewer: str | None) -> JudgementEntry | None:
        from ..core.translation import KINDS, parse_kind

        if not isinstance(node, self.yaml.MappingNode):
            self.error("a judgement is a mapping with concept, study and as", node)
            return None
        fields = self.mapping(node, "a judgement", JUDGEMENT_KEYS)
        where: dict[str, Pos] = {"item": self.at(node)}
        values: dict[str, str | None] = {}
        for key in JUDGEMENT_KEYS:
            if key in fields:
                where[key] = self.at(fields[key][1])
                values[key] = self.text(fields[key][1], key)
        for key in ("concept", "study", "as"):
            if key not in fields:
                self.error(f"a judgement without '{key}'", node)
        if "reviewer" not in fields and reviewer is None:
            self.error("a judgement without a reviewer: give 'reviewer:' at the top of the file or in it", node)
        kind = values.get("as")
        if kind is not None:
            try:
                parse_kind(kind)
            except WorkbenchError:
                self.error(f"as must be one of {', '.join(k.replace('_', '-') for k in KINDS)}, not {kind!r}",
                           fields["as"][1])
                return None
        if any(values.get(k) is None for k in ("concept", "study", "as")) or values.get("reviewer", reviewer) is None:
            return None
        return JudgementEntry(concept=one_line(values["concept"]), study=one_line(values["study"]),
                              kind=str(values["as"]), reviewer=one_line(values.get("reviewer") or reviewer),
                              note=(values.get("note") or "").strip(), where=where)

    def entry(self, node, reviewer: str | None) -> Entry | None:
        if not isinstance(node, self.yaml.MappingNode):
            self.error("a coding is a mapping with study, construct and quote", node)
            return None
        fields = self.mapping(node, "a coding", ENTRY_KEYS)
        where: dict[str, Pos] = {"item": self.at(node)}
        values: dict[str, object] = {}
        for key in ("study", "construct", "quote", "reviewer", "prefix", "parent"):
            if key in fields:
                where[key] = self.at(fields[key][1])
                values[key] = self.text(fields[key][1], key)
        for key in ("study", "construct", "quote"):
            if key not in fields:
                self.error(f"a coding without '{key}'", node)
        if "reviewer" not in fields and reviewer is None:
            self.error("a coding without a reviewer: give 'reviewer:' at the top of the file or in the coding", node)
        if "occurrence" in fields:
            value_node = fields["occurrence"][1]
            where["occurrence"] = self.at(value_node)
            value = self.value(value_node)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                self.error(f"occurrence must be a whole number from 1 (the first place the quote occurs), not "
                           f"{getattr(value_node, 'value', value)!r}", value_node)
            else:
                values["occurrence"] = value
        if "order" in fields:
            value_node = fields["order"][1]
            where["order"] = self.at(value_node)
            order = parse_order_value(self.value(value_node))
            if order is None:
                self.error(f"order must be 1, 2 or 3 (first-, second- or third-order), not "
                           f"{getattr(value_node, 'value', '')!r}", value_node)
            values["order"] = order
        if any(values.get(k) is None for k in ("study", "construct", "quote")) or \
                values.get("reviewer", reviewer) is None:
            return None
        return Entry(study=one_line(values["study"]), construct=one_line(values["construct"]),
                     quote=str(values["quote"]), reviewer=one_line(values.get("reviewer") or reviewer),
                     occurrence=values.get("occurrence"), prefix=values.get("prefix"),  # type: ignore[arg-type]
                     order=values.get("order"), parent=one_line(values["parent"]) if values.get("parent") else None,
                     where=where)


# --- placing the codings in a project ---------------------------------------------------------------

@dataclass
class Plan:
    codings: list[NewCoding]
    constructs: list[NewConstruct]
    studies: dict[int, int]  # study id -> codings planned in it
    # (concept name, study id, reviewer id, kind, note, (line, column)): the concept is looked up
    # when the judgements are loaded, after the codings, since the file may create it
    judgements: list[tuple[str, int, int, str, str, Pos]] = field(default_factory=list)


def plan(db: Store, book: CodingsFile, file: str, reviewer_ids: dict[str, int]) -> Plan:
    """Find every entry's study, construct and quote in the project, writing nothing.
    ``reviewer_ids`` maps each reviewer the file names to its id. Raises CodingsFileError with
    every problem found."""
    problems: list[Problem] = []
    by_source = studies_by_source(db)
    texts: dict[int, str] = {}
    names: dict[int, str] = {}
    created: dict[str, Entry] = {}
    out = Plan([], [], {})
    seen: dict[tuple, int] = {}
    for e in book.entries:
        refuse = _refuser(problems, e)
        study_id = _study(db, e.study, by_source)
        if isinstance(study_id, str):
            refuse(study_id, "study")
        construct = _construct(db, e, created)
        if isinstance(construct, str):
            refuse(construct, "construct")
        if isinstance(study_id, str):
            continue
        if study_id not in texts:
            get_study(db, study_id)  # refuses a removed study
            names[study_id] = study_name(db, study_id)
            texts[study_id] = get_text(db, study_id)[0]
        try:
            start, end = locate(texts[study_id], e.quote, e.occurrence, e.prefix)
        except QuoteError as exc:
            refuse(f"{names[study_id]} ({e.study}): {exc}: {clip(e.quote, 60)!r}", "quote")
            continue
        if isinstance(construct, str):
            continue
        key = (study_id, name_key(e.construct), e.reviewer, start, end)
        if key in seen:
            refuse(f"the same coding as at line {seen[key]}: {names[study_id]}, {e.construct!r}, "
                   f"{clip(e.quote, 40)!r}", "quote")
            continue
        seen[key] = e.pos("quote")[0]
        out.codings.append(NewCoding(study_id, e.construct, reviewer_ids[e.reviewer], start, end))
        out.studies[study_id] = out.studies.get(study_id, 0) + 1
    for j in book.judgements:
        refuse = _refuser(problems, j)
        study_id = _study(db, j.study, by_source)
        if isinstance(study_id, str):
            refuse(study_id, "study")
            continue
        concept = by_name(db, j.concept)
        if concept is None and name_key(j.concept) not in created:
            names_known = [c.name for c in all_constructs(db)] + [e.construct for e in created.values()]
            refuse(f"no construct called {j.concept!r}{suggest(j.concept, names_known)}", "concept")
            continue
        out.judgements.append((j.concept, study_id, reviewer_ids[j.reviewer], j.kind, j.note, j.pos("concept")))
    if problems:
        raise CodingsFileError(file, problems)
    out.constructs = [NewConstruct(e.construct, e.order, e.parent, reviewer_ids[e.reviewer])  # type: ignore[arg-type]
                      for e in created.values()]
    return out


def load_judgements(db: Store, planned: Plan, file: str) -> int:
    """Record the planned translation judgements (``translation.set`` events), after the codings;
    a judgement the grid refuses (not a concept of the grid, the same twice) is a CodingsFileError
    naming its line. Returns how many were recorded."""
    from ..store import translation

    for concept, study_id, reviewer_id, kind, note, (line, column) in planned.judgements:
        found = by_name(db, concept)
        try:
            translation.judge(db, found.id, study_id, reviewer_id, kind, note)
        except WorkbenchError as exc:
            raise CodingsFileError(file, [Problem(f"{study_name(db, study_id)}, {concept!r}: {exc}", line,
                                                  column)]) from None
    return len(planned.judgements)


def _refuser(problems: list[Problem], e: Entry | JudgementEntry):
    """``refuse(message, key)``: a problem at the place of ``key`` in the entry ``e``."""
    return lambda message, key: problems.append(Problem(message, *e.pos(key)))


def _study(db: Store, key: str, by_source: dict[str, list[int]]) -> int | str:
    """The id of the study ``key`` names (its source file, or its DOI), or the problem in words."""
    name = PurePosixPath(key.replace("\\", "/")).name
    ids = by_source.get(name, [])
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        return f"{len(ids)} studies were imported from files called {name!r}: name the study by its DOI"
    if normalise_doi(key):
        found = find_study(db, key)
        if found is not None:
            return found
        return f"no study with the DOI {key!r} in the project"
    known = sorted(by_source)
    return (f"no study imported from {key!r}{suggest(name, known)}: name a study by the file it was imported "
            f"from (one of {', '.join(known) or 'none yet'}) or by its DOI")


def _construct(db: Store, e: Entry, created: dict[str, Entry]) -> str | None:
    """None when the entry's construct exists (in the project, or created by an earlier entry),
    else the problem in words. An entry with 'order' creates a missing construct (under 'parent',
    which must exist and be of the same or a higher order)."""
    order = _order_of(db, e.construct, created)
    if order is not None:
        if e.order is not None and e.order != order:
            return f"construct {e.construct!r} is {ORDERS[order]}, not {ORDERS[e.order]}"
        return None
    if e.order is None:
        known = [c.name for c in all_constructs(db)]
        return (f"no construct called {e.construct!r} in the codebook or the project{suggest(e.construct, known)}: "
                f"add it to the codebook, or give its 'order:' (1, 2 or 3) to create it")
    if e.parent:
        parent_order = _order_of(db, e.parent, created)
        if parent_order is None:
            return f"no construct called {e.parent!r} to put {e.construct!r} under"
        if parent_order < e.order:
            return (f"{e.construct!r} is {ORDERS[e.order]} and cannot sit under {e.parent!r}, which is "
                    f"{ORDERS[parent_order]}")
    created[name_key(e.construct)] = e
    return None


def _order_of(db: Store, name: str, created: dict[str, Entry]) -> int | None:
    found = by_name(db, name)
    if found is not None:
        return found.order
    key = name_key(name)
    return created[key].order if key in created else None
