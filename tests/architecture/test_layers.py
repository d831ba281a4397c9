"""The layers of docs/architecture.md, read from the source with ``ast`` (no imports run):

- core imports nothing of the project but core; store imports core; interop imports core and store;
  cli and tui sit on top (tui never imports cli);
- nothing but tui imports Textual or Rich, and the plain-Python parts of tui (the session and the
  geometry and matching modules) do not either, directly or through what they import;
- no two project modules import each other in a loop, counting imports inside functions.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from support import ROOT

PACKAGE = ROOT / "workbench"

# layer -> the layers it may import
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "interop": {"core", "store", "interop"},
    "tui": {"core", "store", "interop", "tui"},
    "cli": {"core", "store", "interop", "cli", "tui"},  # `workbench open` starts the TUI
}
UI_PACKAGES = {"textual", "rich"}
# The one exception: the CLI's progress bars on stderr (an import of 50,000 records) are Rich's.
RICH_OUTSIDE_TUI = {("workbench.cli.progress", "rich")}
PLAIN_TUI = {"workbench.tui.session", "workbench.tui.spans", "workbench.tui.units", "workbench.tui.matching",
             "workbench.tui.tree_model", "workbench.tui.translating", "workbench.tui.adjudicating"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def read_sources(package: Path = PACKAGE) -> dict[str, tuple[str, bool]]:
    """``{module: (source, is_package)}`` for every module under ``package``."""
    return {module_name(p): (p.read_text(encoding="utf-8"), p.name == "__init__.py")
            for p in sorted(package.rglob("*.py"))}


def imports_of(name: str, source: str, is_package: bool, modules: set[str]) -> set[str]:
    """Every module ``name`` imports (at any depth in the file, but not under ``if TYPE_CHECKING:``,
    which never runs): project modules by full name (``from . import x`` counts as importing the
    submodule x when there is one), others by their top-level package."""
    found: set[str] = set()
    here = name if is_package else name.rpartition(".")[0]
    for node in _runtime_nodes(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.add(alias.name if alias.name in modules else alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.split(".")[0] != "workbench":
                found.add(target.split(".")[0])
                continue
            subs = {f"{target}.{alias.name}" for alias in node.names} & modules
            found |= subs or {target}
            if len(subs) < len(node.names):
                found.add(target)
    found.discard(name)
    return found


def _runtime_nodes(tree: ast.AST):
    for node in ast.iter_child_nodes(tree):
        test = node.test if isinstance(node, ast.If) else None
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or (
                isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def graph(sources: dict[str, tuple[str, bool]]) -> dict[str, set[str]]:
    modules = set(sources)
    return {name: imports_of(name, src, is_pkg, modules) for name, (src, is_pkg) in sources.items()}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def layer_violations(edges: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in sorted(edges.items()):
        mine = layer(module)
        for target in sorted(targets):
            if target.startswith("workbench"):
                theirs = layer(target)
                if mine in ALLOWED and theirs is not None and theirs not in ALLOWED[mine]:
                    problems.append(f"{module} imports {target}: {mine} may import only {sorted(ALLOWED[mine])}")
            elif target in UI_PACKAGES and mine != "tui" and (module, target) not in RICH_OUTSIDE_TUI:
                problems.append(f"{module} imports {target}: only workbench.tui may import Textual or Rich")
    return problems


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    seen, stack = set(), [start]
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen


def plain_tui_violations(edges: dict[str, set[str]]) -> list[str]:
    return [f"{module} reaches {ui} (through its imports); it must stay plain Python"
            for module in sorted(PLAIN_TUI) for ui in sorted(reachable(edges, module) & UI_PACKAGES)]


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import loops among project modules (strongly connected components of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in edges:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


# --- the project as it is ---------------------------------------------------------------------------

def test_every_module_imports_only_what_its_layer_allows():
    assert layer_violations(graph(read_sources())) == []


def test_every_project_import_names_a_module_that_exists():
    edges = graph(read_sources())
    missing = sorted(f"{m} imports {t}" for m, targets in edges.items() for t in targets
                     if t.startswith("workbench") and t not in edges)
    assert missing == []


def test_plain_tui_modules_reach_no_textual_or_rich():
    assert plain_tui_violations(graph(read_sources())) == []


def test_no_two_modules_import_each_other_in_a_loop():
    assert cycles(graph(read_sources())) == []


def test_the_reader_sees_the_imports_that_matter():
    edges = graph(read_sources())
    assert "workbench.store.db" in edges["workbench.store.codings"]
    assert "workbench.store.undo" in edges["workbench.store.codings"]   # `from . import events, undo`
    assert "textual" in edges["workbench.tui.app"]
    assert "workbench.interop.codebook_files" in edges["workbench.cli.codebook"]  # inside a function
    assert set(edges) >= {"workbench.cli", "workbench.cli.options", "workbench.store.restructure.merge"}


SQL = re.compile(r"\s*(SELECT\b.*\bFROM\b|INSERT INTO\b|UPDATE \w+ SET\b|DELETE FROM\b|WITH RECURSIVE\b|PRAGMA \w+)",
                 re.S)


def sql_outside_store(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Modules outside the store that hold SQL text: queries belong to the store, so the CLI and
    the TUI can reach the same ones."""
    found = []
    for name, (source, _) in sorted(sources.items()):
        if layer(name) in ("store", None):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value):
                found.append(f"{name}:{node.lineno}: {node.value.strip()[:40]!r}")
    return found


def test_queries_live_in_the_store():
    assert sql_outside_store(read_sources()) == []


# --- the rules catch what they are for --------------------------------------------------------------

def synthetic(**modules: str) -> dict[str, set[str]]:
    sources = {name.replace("__", "."): (src, False) for name, src in modules.items()}
    sources.update({m: ("", True) for m in ("workbench", "workbench.core", "workbench.store", "workbench.tui",
                                            "workbench.interop", "workbench.cli")})
    return graph(sources)


@pytest.mark.parametrize("module, source, expected", [
    ("workbench__core__text", "from ..store import db", "workbench.core.text imports workbench.store.db"),
    ("workbench__core__text", "def f():\n    from workbench.interop import files",
     "workbench.core.text imports workbench.interop.files"),
    ("workbench__store__db", "from ..interop.files import write_bytes",
     "workbench.store.db imports workbench.interop.files"),
    ("workbench__interop__files", "from ..cli.output import clip",
     "workbench.interop.files imports workbench.cli.output"),
    ("workbench__tui__app", "from ..cli import options", "workbench.tui.app imports workbench.cli.options"),
    ("workbench__store__db", "import rich.text", "workbench.store.db imports rich"),
    ("workbench__cli__output", "from textual.app import App", "workbench.cli.output imports textual"),
])
def test_a_forbidden_import_is_reported(module, source, expected):
    others = {"workbench__store__db": "", "workbench__interop__files": "", "workbench__cli__output": "",
              "workbench__cli__options": "", "workbench__core__text": "", "workbench__tui__app": ""}
    problems = layer_violations(synthetic(**{**others, module: source}))
    assert len(problems) == 1 and problems[0].startswith(expected)


def test_sql_outside_the_store_is_reported():
    sources = {"workbench.interop.matrix": ('x = 1\ndef f(db):\n    return db.execute("SELECT id FROM study")', False),
               "workbench.store.studies": ('Q = "SELECT id FROM study"', False)}
    assert sql_outside_store(sources) == ["workbench.interop.matrix:3: 'SELECT id FROM study'"]


def test_imports_for_type_checking_only_are_not_a_loop():
    edges = synthetic(workbench__tui__a="from .b import x",
                      workbench__tui__b="from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import A")
    assert cycles(edges) == []


def test_an_import_loop_is_reported_even_through_a_function():
    edges = synthetic(workbench__cli__a="from .b import x", workbench__cli__b="def f():\n    from .c import y",
                      workbench__cli__c="from . import a")
    assert cycles(edges) == [["workbench.cli.a", "workbench.cli.b", "workbench.cli.c"]]


def test_a_plain_tui_module_reaching_textual_through_another_is_reported():
    edges = synthetic(workbench__tui__session="from .widgets import x", workbench__tui__widgets="import textual")
    assert plain_tui_violations(edges) == [
        "workbench.tui.session reaches textual (through its imports); it must stay plain Python"]
