"""Codebooks as YAML files (the format is docs/codebook.md): reading with every problem named by
``file:line:column``, and writing in a stable, diff-friendly order.

``read_yaml`` reads with ``yaml.safe_load`` semantics but through ``yaml.compose`` (SafeLoader), so
every node keeps its line and column; the rules that relate constructs are ``core.codebook.check``.
PyYAML is imported only when a YAML file is read or written.
"""
from __future__ import annotations

import re

from ..core.codebook import (COLOUR, CONSTRUCT_KEYS, FORMAT, TEXT_FIELDS, TOP_KEYS, Codebook, CodebookError, Entry,
                             Pos, Problem, check, clean_name, name_key, ordered, parse_order_value, problem, suggest)
from ..core.constructs import LINK_KINDS


# --- reading -----------------------------------------------------------------------------------

_BLOCK_START = re.compile(r"(?:^|[\s:-])[|>][-+0-9]*\s*(?:#.*)?$")


def _tab_problems(text: str) -> list[Problem]:
    """Tabs in the indentation of a line (YAML allows only spaces there), skipping lines that are
    plainly the content of a ``|`` or ``>`` block, where a tab after the indentation is text."""
    problems = []
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip(" \t")
        lead = line[: len(line) - len(stripped)]
        spaces = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not stripped or spaces > block_indent:
                continue
            block_indent = None
        if "\t" in lead and stripped:
            column = lead.index("\t") + 1
            problems.append(Problem(
                "a tab in the indentation: YAML allows only spaces for indentation; replace the tab with spaces",
                number, column))
            continue
        if stripped and not stripped.startswith("#") and _BLOCK_START.search(stripped.rstrip()):
            block_indent = spaces
    return problems


def _yaml_problem(exc, tabs: list[Problem]) -> Problem | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    text = getattr(exc, "problem", None) or str(exc)
    if mark is None:
        return Problem(f"not valid YAML: {text}")
    line, column = mark.line + 1, mark.column + 1
    if "'\\t'" in text:
        if any(t.line == line for t in tabs):
            return None
        return Problem("a tab character where YAML allows only spaces; replace it with spaces", line, column)
    context = getattr(exc, "context", None)
    cmark = getattr(exc, "context_mark", None)
    if context and cmark is not None and (cmark.line, cmark.column) != (mark.line, mark.column):
        text += f" ({context} at line {cmark.line + 1}, column {cmark.column + 1})"
    elif context:
        text += f" ({context})"
    if "<block end>" in text or "mapping values are not allowed" in text:
        text += "; check the indentation of this line against the lines above it"
    return Problem(f"not valid YAML: {text}", line, column)


def parse_yaml(text: str, file: str) -> Codebook:
    """Read a YAML codebook; CodebookError lists every problem with file:line:column.

    Checks the structure (keys, types, orders, colours, link kinds, the format version) and then the
    rules of ``check``: a file that passes can be loaded into an empty project.
    """
    codebook, problems = read_yaml(text, file)
    if codebook is not None:
        problems = problems + check(codebook.entries)
    if problems:
        raise CodebookError(file, problems)
    assert codebook is not None
    return codebook


def read_yaml(text: str, file: str) -> tuple[Codebook | None, list[Problem]]:
    """The codebook in ``text`` and the structural problems found (without the rules of ``check``)."""
    import yaml

    if text.startswith("\ufeff"):
        text = text[1:]
    tabs = _tab_problems(text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        found = _yaml_problem(exc, tabs)
        return None, tabs + ([found] if found else [])
    return _Reader(yaml, text).codebook(root)


class _Reader:
    """Turns composed YAML nodes into a Codebook, collecting problems instead of stopping at one."""

    def __init__(self, yaml, text: str = ""):
        self.yaml = yaml
        self.lines = text.split("\n")
        self.constructor = yaml.constructor.SafeConstructor()
        self.problems: list[Problem] = []

    def error(self, message: str, node, *names: str) -> None:
        self.problems.append(problem(message, self.at(node), *names))

    @staticmethod
    def at(node) -> Pos:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def value(self, node):
        try:
            return self.constructor.construct_object(node, deep=True)
        except self.yaml.YAMLError as exc:  # e.g. a timestamp that is not a real date
            self.error(f"not a valid value: {getattr(exc, 'problem', exc)}", node)
            return None

    @staticmethod
    def kind(node) -> str:
        return {"MappingNode": "a mapping", "SequenceNode": "a list"}.get(type(node).__name__, "")

    def mapping(self, node, what: str) -> dict[str, tuple]:
        """The keys of a mapping node -> (key node, value node); duplicate and non-text keys reported."""
        out: dict[str, tuple] = {}
        for key_node, value_node in node.value:
            key = self.value(key_node) if isinstance(key_node, self.yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.error(f"{what}: keys must be words such as 'name', not {key_node.value!r}", key_node)
                continue
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.error(f"{what}: key {key!r} is given twice (first at line {first})", key_node)
                continue
            out[key] = (key_node, value_node)
        return out

    def text(self, node, what: str, required: bool = False) -> str | None:
        """A text value: a null counts as empty, except where a value is required."""
        if not isinstance(node, self.yaml.ScalarNode):
            self.error(f"{what} must be text, not {self.kind(node)}", node)
            return None
        value = self.value(node)
        if value is None:
            if required:
                self.error(f"{what} is empty", node)
                return None
            return ""
        if not isinstance(value, str):
            self.error(f"{what} must be text, not {type(value).__name__} {node.value!r}: put it in quotes "
                       f"({what}: \"{node.value}\")", node)
            return None
        return value.strip()

    def codebook(self, root) -> tuple[Codebook | None, list[Problem]]:
        yaml = self.yaml
        if root is None:
            self.problems.append(Problem("empty file: a codebook is a mapping with format, title and constructs", 1, 1))
            return None, self.problems
        if not isinstance(root, yaml.MappingNode):
            self.error("a codebook is a mapping with the keys format, title and constructs, "
                       f"not {self.kind(root) or 'a single value'}", root)
            return None, self.problems
        top = self.mapping(root, "codebook")
        for key, (key_node, _) in top.items():
            if key not in TOP_KEYS:
                self.error(f"unknown key {key!r} at the top of the codebook{suggest(key, TOP_KEYS)}; "
                           f"expected {', '.join(TOP_KEYS)}", key_node)
        if "format" not in top:
            self.error(f"missing 'format: {FORMAT}' (the version of the codebook format)", root)
            return None, self.problems
        version = self.value(top["format"][1]) if isinstance(top["format"][1], yaml.ScalarNode) else None
        if isinstance(version, bool) or version != FORMAT:
            shown = top["format"][1].value if isinstance(top["format"][1], yaml.ScalarNode) else self.kind(top["format"][1])
            self.error(f"format {shown!r} is not one this workbench knows: it reads format {FORMAT}", top["format"][1])
            return None, self.problems
        title = ""
        if "title" not in top:
            self.error("missing 'title'", root)
        else:
            title = self.text(top["title"][1], "title", required=True) or ""
        description = ""
        if "description" in top:
            description = self.text(top["description"][1], "description") or ""
        entries: list[Entry] = []
        if "constructs" not in top:
            self.error("missing 'constructs' (a list of constructs, possibly empty)", root)
        else:
            node = top["constructs"][1]
            if isinstance(node, yaml.ScalarNode) and self.value(node) is None:
                pass  # "constructs:" with nothing under it: none
            elif not isinstance(node, yaml.SequenceNode):
                self.error(f"constructs must be a list ('- name: ...' items), not {self.kind(node) or 'text'}", node)
            else:
                for item in node.value:
                    entry = self.entry(item)
                    if entry is not None:
                        entries.append(entry)
        return Codebook(title=title, description=description, entries=entries), self.problems

    def entry(self, node) -> Entry | None:
        yaml = self.yaml
        if not isinstance(node, yaml.MappingNode):
            self.error(f"a construct is a mapping with at least name and order, not {self.kind(node) or 'text'}", node)
            return None
        fields = self.mapping(node, "construct")
        where: dict[str, Pos] = {"item": self.at(node)}
        name = None
        if "name" in fields:
            where["name"] = self.at(fields["name"][1])
            name = self.text(fields["name"][1], "name", required=True)
            name = clean_name(name) if name else None
        else:
            self.error("a construct without a 'name'", node)
        what = f"construct {name!r}" if name else "construct"
        for key, (key_node, _) in fields.items():
            if key not in CONSTRUCT_KEYS:
                hint = " (use 'parent:' for the hierarchy)" if key in ("part_of", "parent_id", "under") else \
                    suggest(key, CONSTRUCT_KEYS)
                self.error(f"unknown key {key!r} in {what}{hint}; expected {', '.join(CONSTRUCT_KEYS)}", key_node, name or "")
        order = None
        if "order" not in fields:
            self.error(f"{what} has no 'order' (1, 2 or 3)", node, name or "")
        else:
            value_node = fields["order"][1]
            where["order"] = self.at(value_node)
            value = self.value(value_node) if isinstance(value_node, yaml.ScalarNode) else value_node
            order = parse_order_value(value)
            if order is None:
                shown = value_node.value if isinstance(value_node, yaml.ScalarNode) else self.kind(value_node)
                self.error(f"order must be 1, 2 or 3 (first-, second- or third-order), not {shown!r}", value_node,
                           name or "")
        entry = Entry(name=name or "", order=order or 0, where=where)  # order 0: refused, reported
        for key in TEXT_FIELDS:
            if key in fields:
                where[key] = self.at(fields[key][1])
                setattr(entry, key, self.text(fields[key][1], key))
        if "parent" in fields:
            value_node = fields["parent"][1]
            where["parent"] = self.at(value_node)
            parent = self.text(value_node, "parent")
            entry.parent = clean_name(parent) if parent is not None else None
        if "colour" in fields:
            value_node = fields["colour"][1]
            where["colour"] = self.at(value_node)
            entry.colour = self.colour(value_node)
        if "links" in fields:
            entry.links = self.links(fields["links"][1], where)
        if name is None:
            return None
        return entry  # even with a refused order, so that its parent and links are checked too

    def colour(self, node) -> str | None:
        if isinstance(node, self.yaml.ScalarNode) and node.tag.endswith(":null") and node.value == "":
            line = self.lines[node.start_mark.line] if node.start_mark.line < len(self.lines) else ""
            found = re.search(r"colour:\s*(#\S*)", line)
            meant = found.group(1) if found and COLOUR.fullmatch(found.group(1)) else "#7B3FA0"
            self.error(f'colour is empty: "#" starts a YAML comment, so put the colour in quotes: '
                       f'colour: "{meant}"', node)
            return None
        value = self.text(node, "colour")
        if value is None:
            return None
        value = value.strip()
        if value == "":
            return ""
        if not COLOUR.fullmatch(value):
            self.error(f'colour must be "#RRGGBB" (e.g. "#7B3FA0"), not {value!r}', node)
            return None
        return value.upper()

    def links(self, node, where: dict[str, Pos]) -> list[tuple[str, str]] | None:
        yaml = self.yaml
        where["links"] = self.at(node)
        if isinstance(node, yaml.ScalarNode) and self.value(node) is None:
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error("links must be a list of '- supports: NAME' or '- interprets: NAME'", node)
            return None
        links = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode) or len(item.value) != 1:
                self.error("a link is one pair, written '- supports: NAME' (first-order to second-order) or "
                           "'- interprets: NAME' (second-order to third-order)", item)
                continue
            key_node, value_node = item.value[0]
            kind = self.value(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if kind not in LINK_KINDS:
                hint = "; the hierarchy (third-order under overarching) is written with 'parent:'" \
                    if kind == "part_of" else ""
                self.error(f"unknown link kind {key_node.value!r}: a link is 'supports' (1 -> 2) or "
                           f"'interprets' (2 -> 3){hint}", key_node)
                continue
            target = self.text(value_node, kind, required=True)
            if target:
                where[f"links.{len(links)}"] = self.at(value_node)
                links.append((kind, clean_name(target)))
        return links


# --- writing -----------------------------------------------------------------------------------

def entry_dict(e: Entry) -> dict:
    """The YAML mapping of an entry: only the fields that have a value, in a fixed key order."""
    out: dict = {"name": e.name, "order": e.order}
    if e.parent:
        out["parent"] = e.parent
    if e.colour:
        out["colour"] = e.colour
    for key in TEXT_FIELDS:
        value = getattr(e, key)
        if value:
            out[key] = value
    if e.links:
        out["links"] = [{kind: target} for kind, target in sorted(e.links, key=lambda l: (l[0], name_key(l[1])))]
    return out


def to_yaml(codebook: Codebook) -> str:
    """The codebook as YAML: constructs in ``ordered`` order, a blank line between them, multi-line
    texts as ``|`` blocks. The same codebook always gives the same text."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow=False, indentless=False):
            return super().increase_indent(flow, False)

    def text(dumper, value: str):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)

    def dump(data) -> str:
        return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=10**9,
                         default_flow_style=False)

    head: dict = {"format": FORMAT, "title": codebook.title}
    if codebook.description:
        head["description"] = codebook.description
    parts = ["# A synthesis-workbench codebook; the format is described in docs/codebook.md\n", dump(head)]
    entries = ordered(codebook.entries)
    if not entries:
        parts.append("constructs: []\n")
        return "".join(parts)
    parts.append("constructs:\n")
    for i, e in enumerate(entries):
        item = dump([entry_dict(e)])
        if i:
            parts.append("\n")
        parts.append("".join(("  " + line) if line.strip() else line for line in item.splitlines(keepends=True)))
    return "".join(parts)
